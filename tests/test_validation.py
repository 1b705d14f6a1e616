"""Model-driven request validation: exact AWS texts for constraint and type errors."""

from __future__ import annotations

import ast
import base64
import re
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.model import ListShape, Shape, StringShape, StructureShape

from smmock._wire import validation as _validation
from smmock._wire.validation import operation_names, validate
from smmock.exceptions import (
    INVALID_NAME,
    SerializationException,
    UnknownOperationException,
    ValidationException,
)

SERVICE_MODEL = botocore.session.get_session().get_service_model("secretsmanager")
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:my/secret-AbCdEf"
TOKEN = "a" * 36
# Candidates for pattern-constrained strings; the builder picks the first that fits.
PATTERN_SAMPLES = ["value", "us-east-1", "2h", "rate(10 hours)", "a" * 36]


def constraint(value: str | None, path: str, rule: str) -> str:
    shown = "Value" if value is None else f"Value '{value}'"
    return f"{shown} at '{path}' failed to satisfy constraint: Member must {rule}"


def one(value: str | None, path: str, rule: str) -> str:
    return "1 validation error detected: " + constraint(value, path, rule)


def missing(path: str) -> str:
    return f"Value null at '{path}' failed to satisfy constraint: Member must not be null"


def assert_invalid(operation: str, params: Any, message: str) -> None:
    with pytest.raises(ValidationException) as info:
        validate(operation, params)
    assert info.value.message == message


def assert_unserializable(operation: str, params: Any, message: str) -> None:
    with pytest.raises(SerializationException) as info:
        validate(operation, params)
    assert info.value.message == message


# --- building valid bodies from the model -------------------------------------------


def sample(shape: Shape, full: bool) -> Any:
    meta = shape.metadata
    if isinstance(shape, StructureShape):
        names = shape.members if full else shape.required_members
        return {name: sample(shape.members[name], full) for name in names}
    if isinstance(shape, ListShape):
        return [sample(shape.member, full)] * max(meta.get("min", 0), 1)
    kind = shape.type_name
    if isinstance(shape, StringShape):
        if shape.enum:
            return shape.enum[0]
        low, high = meta.get("min", 0), meta.get("max", 10**6)
        pattern = meta.get("pattern")
        candidates = PATTERN_SAMPLES if pattern else ["a" * max(low, 1)]
        for text in candidates:
            if low <= len(text) <= high and (not pattern or re.fullmatch(pattern, text)):
                return text
        raise AssertionError(f"no sample for {shape.name} ({pattern})")
    if kind == "blob":
        return base64.b64encode(b"x" * max(meta.get("min", 0), 1)).decode()
    if kind in ("integer", "long"):
        return meta.get("min", 1)
    if kind == "boolean":
        return True
    raise AssertionError(f"unexpected input shape kind {kind}")


def body(operation: str, full: bool = False) -> dict[str, Any]:
    shape = SERVICE_MODEL.operation_model(operation).input_shape
    return sample(shape, full) if shape is not None else {}


def test_operation_names_match_the_installed_model() -> None:
    assert operation_names() == list(SERVICE_MODEL.operation_names)
    assert {"CreateSecret", "GetSecretValue", "ListSecrets"} <= set(operation_names())


@pytest.mark.parametrize("operation", list(SERVICE_MODEL.operation_names))
def test_minimal_valid_body_passes(operation: str) -> None:
    validate(operation, body(operation))


@pytest.mark.parametrize("operation", list(SERVICE_MODEL.operation_names))
def test_body_with_every_member_valid_passes(operation: str) -> None:
    validate(operation, body(operation, full=True))


def test_unknown_operation() -> None:
    with pytest.raises(UnknownOperationException) as info:
        validate("GetSecret", {})
    assert info.value.message == "Unknown operation GetSecret"


def test_unknown_and_wrongly_cased_members_are_ignored() -> None:
    validate("GetSecretValue", {"SecretId": "x", "Bogus": {"any": [1]}})
    assert_invalid(
        "GetSecretValue", {"secretId": "x"}, "1 validation error detected: " + missing("secretId")
    )


# --- lengths and values -------------------------------------------------------------


def test_secret_string_too_long_hides_the_value() -> None:
    assert_invalid(
        "PutSecretValue",
        {"SecretId": "s", "SecretString": "x" * 65537},
        one(None, "secretString", "have length less than or equal to 65536"),
    )
    validate("PutSecretValue", {"SecretId": "s", "SecretString": "x" * 65536})


def test_secret_binary_length_is_the_decoded_length() -> None:
    limit = base64.b64encode(b"\0" * 65536).decode()
    validate("CreateSecret", {"Name": "n", "SecretBinary": limit})
    assert_invalid(
        "CreateSecret",
        {"Name": "n", "SecretBinary": base64.b64encode(b"\0" * 65537).decode()},
        one(None, "secretBinary", "have length less than or equal to 65536"),
    )
    assert_invalid(
        "UpdateSecret",
        {"SecretId": "s", "SecretBinary": ""},
        one(None, "secretBinary", "have length greater than or equal to 1"),
    )


def test_description_too_long() -> None:
    text = "d" * 2049
    assert_invalid(
        "CreateSecret",
        {"Name": "n", "Description": text},
        one(text, "description", "have length less than or equal to 2048"),
    )
    validate("CreateSecret", {"Name": "n", "Description": ""})


@pytest.mark.parametrize(
    ("length", "rule"),
    [(4097, "have value less than or equal to 4096"), (0, "have value greater than or equal to 1")],
)
def test_password_length_bounds(length: int, rule: str) -> None:
    assert_invalid(
        "GetRandomPassword", {"PasswordLength": length}, one(str(length), "passwordLength", rule)
    )


def test_password_length_message_from_aws() -> None:
    assert_invalid(
        "GetRandomPassword",
        {"PasswordLength": 4097},
        "1 validation error detected: Value '4097' at 'passwordLength' failed to satisfy "
        "constraint: Member must have value less than or equal to 4096",
    )


@pytest.mark.parametrize("operation", ["ListSecrets", "ListSecretVersionIds"])
@pytest.mark.parametrize(
    ("value", "rule"),
    [(0, "have value greater than or equal to 1"), (101, "have value less than or equal to 100")],
)
def test_max_results_bounds(operation: str, value: int, rule: str) -> None:
    params = {**body(operation), "MaxResults": value}
    assert_invalid(operation, params, one(str(value), "maxResults", rule))
    validate(operation, {**params, "MaxResults": 100})


def test_batch_max_results_bound() -> None:
    assert_invalid(
        "BatchGetSecretValue",
        {"MaxResults": 21},
        one("21", "maxResults", "have value less than or equal to 20"),
    )


def test_decimal_for_an_integer_is_truncated() -> None:
    validate("ListSecrets", {"MaxResults": 100.9})
    assert_invalid(
        "ListSecrets",
        {"MaxResults": 101.5},
        one("101", "maxResults", "have value less than or equal to 100"),
    )


@pytest.mark.parametrize(
    ("size", "rule"),
    [(31, "have length greater than or equal to 32"), (65, "have length less than or equal to 64")],
)
def test_client_request_token_length(size: int, rule: str) -> None:
    token = "t" * size
    assert_invalid(
        "CreateSecret",
        {"Name": "n", "ClientRequestToken": token},
        one(token, "clientRequestToken", rule),
    )


# --- enums, patterns and nested paths -------------------------------------------------


def test_unknown_filter_key() -> None:
    assert_invalid(
        "ListSecrets",
        {"Filters": [{"Key": "name", "Values": ["a"]}, {"Key": "color", "Values": ["b"]}]},
        one(
            "color",
            "filters.2.member.key",
            "satisfy enum value set: [description, name, tag-key, tag-value, primary-region, "
            "owning-service, all]",
        ),
    )


def test_filter_value_too_long_and_bad_characters() -> None:
    long = "v" * 513
    assert_invalid(
        "ListSecrets",
        {"Filters": [{"Key": "name", "Values": ["ok", long, "a#b"]}]},
        "2 validation errors detected: "
        + constraint(
            long, "filters.1.member.values.2.member", "have length less than or equal to 512"
        )
        + "; "
        + constraint(
            "a#b",
            "filters.1.member.values.3.member",
            r"satisfy regular expression pattern: ^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$",
        ),
    )
    validate("ListSecrets", {"Filters": [{"Key": "name", "Values": ["!/prod/a b", ""]}]})


def test_filter_values_list_length() -> None:
    values = [str(i) for i in range(11)]
    assert_invalid(
        "BatchGetSecretValue",
        {"Filters": [{"Key": "tag-key", "Values": values}]},
        one(
            "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
            "filters.1.member.values",
            "have length less than or equal to 10",
        ),
    )
    assert_invalid(
        "ListSecrets",
        {"Filters": [{"Key": "name", "Values": []}]},
        one("[]", "filters.1.member.values", "have length greater than or equal to 1"),
    )


def test_too_many_filters() -> None:
    # How AWS prints a list of structures is unconfirmed; only the rule is asserted.
    with pytest.raises(ValidationException) as info:
        validate("ListSecrets", {"Filters": [{"Key": "all", "Values": ["x"]}] * 11})
    assert info.value.message.endswith(
        "at 'filters' failed to satisfy constraint: "
        "Member must have length less than or equal to 10"
    )


@pytest.mark.parametrize(
    ("member", "value", "allowed"),
    [
        ("SortOrder", "up", "asc, desc"),
        ("SortBy", "Name", "created-date, last-accessed-date, last-changed-date, name"),
    ],
)
def test_list_secrets_sort_enums(member: str, value: str, allowed: str) -> None:
    path = member[0].lower() + member[1:]
    assert_invalid(
        "ListSecrets", {member: value}, one(value, path, f"satisfy enum value set: [{allowed}]")
    )


def test_two_errors_in_model_order() -> None:
    assert_invalid(
        "ListSecrets",
        {"SortOrder": "up", "MaxResults": 0},
        "2 validation errors detected: "
        + constraint("0", "maxResults", "have value greater than or equal to 1")
        + "; "
        + constraint("up", "sortOrder", "satisfy enum value set: [asc, desc]"),
    )


def test_nested_structure_path() -> None:
    assert_invalid(
        "RotateSecret",
        {"SecretId": "s", "RotationRules": {"AutomaticallyAfterDays": 1001}},
        one(
            "1001", "rotationRules.automaticallyAfterDays", "have value less than or equal to 1000"
        ),
    )


def test_patterns_must_match_the_whole_value() -> None:
    # "x1h" contains a match of [0-9]+h but is not one, as in Java's matches().
    assert_invalid(
        "RotateSecret",
        {"SecretId": "s", "RotationRules": {"Duration": "x1h"}},
        one("x1h", "rotationRules.duration", "satisfy regular expression pattern: [0-9]+h"),
    )
    validate("RotateSecret", {"SecretId": "s", "RotationRules": {"Duration": "24h"}})


def test_pattern_digits_are_ascii_only() -> None:
    region = "us-east-\u0661"  # ARABIC-INDIC DIGIT ONE
    assert_invalid(
        "RemoveRegionsFromReplication",
        {"SecretId": "s", "RemoveReplicaRegions": ["eu-west-1", region]},
        one(
            region,
            "removeReplicaRegions.2.member",
            r"satisfy regular expression pattern: ^([a-z]+-)+\d+$",
        ),
    )


def test_sensitive_pattern_hides_the_value() -> None:
    assert_invalid(
        "PutSecretValue",
        {"SecretId": "s", "RotationToken": "!" * 36},
        one(None, "rotationToken", "satisfy regular expression pattern: ^[a-zA-Z0-9\\-]+$"),
    )


def test_list_of_structures_paths() -> None:
    key = "k" * 129
    assert_invalid(
        "TagResource",
        {"SecretId": "s", "Tags": [{"Key": "a", "Value": ""}, {"Key": key, "Value": "v"}]},
        one(key, "tags.2.member.key", "have length less than or equal to 128"),
    )


def test_list_of_strings_paths_and_length() -> None:
    assert_invalid(
        "UntagResource",
        {"SecretId": "s", "TagKeys": ["a", ""]},
        one("", "tagKeys.2.member", "have length greater than or equal to 1"),
    )
    assert_invalid(
        "PutSecretValue",
        {"SecretId": "s", "VersionStages": []},
        one("[]", "versionStages", "have length greater than or equal to 1"),
    )


def test_null_list_elements_are_dropped() -> None:
    validate("UntagResource", {"SecretId": "s", "TagKeys": [None, "a"]})
    assert_invalid(
        "PutSecretValue",
        {"SecretId": "s", "VersionStages": [None]},
        one("[]", "versionStages", "have length greater than or equal to 1"),
    )


# --- required members ---------------------------------------------------------------


def test_missing_required_member() -> None:
    assert_invalid("GetSecretValue", {}, "1 validation error detected: " + missing("secretId"))


def test_null_counts_as_missing() -> None:
    assert_invalid(
        "DescribeSecret", {"SecretId": None}, "1 validation error detected: " + missing("secretId")
    )
    validate("GetSecretValue", {"SecretId": "s", "VersionId": None})


def test_several_missing_required_members() -> None:
    assert_invalid(
        "TagResource",
        {},
        "2 validation errors detected: " + missing("secretId") + "; " + missing("tags"),
    )


# --- names and SecretId -------------------------------------------------------------


def takes_secret_id(operation: str) -> bool:
    shape = SERVICE_MODEL.operation_model(operation).input_shape
    return shape is not None and "SecretId" in shape.members


SECRET_ID_OPERATIONS = [name for name in SERVICE_MODEL.operation_names if takes_secret_id(name)]


def test_every_current_secret_id_operation_is_covered() -> None:
    assert len(SECRET_ID_OPERATIONS) >= 20


@pytest.mark.parametrize("operation", SECRET_ID_OPERATIONS)
@pytest.mark.parametrize("secret_id", ["my secret", "caf\u00e9", "a#b", "x!"])
def test_secret_id_with_invalid_characters(operation: str, secret_id: str) -> None:
    assert_invalid(operation, {**body(operation), "SecretId": secret_id}, INVALID_NAME)


@pytest.mark.parametrize("name", ["my secret", "tab\there", "a*b", "\u00fcber"])
def test_create_secret_name_with_invalid_characters(name: str) -> None:
    assert_invalid("CreateSecret", {"Name": name}, INVALID_NAME)


def test_every_allowed_name_character_passes() -> None:
    name = "AZaz09/_+=.@-"
    validate("CreateSecret", {"Name": name})
    validate("GetSecretValue", {"SecretId": name})


def test_arn_secret_id_is_not_name_checked() -> None:
    validate("GetSecretValue", {"SecretId": ARN})
    validate("DeleteSecret", {"SecretId": ARN.replace("my/secret", "my secret")})
    # CreateSecret's Name has no ARN exemption.
    assert_invalid("CreateSecret", {"Name": "arn:aws:x y"}, INVALID_NAME)


def test_arn_secret_id_is_length_checked() -> None:
    arn = ARN + "x" * 2048
    assert_invalid(
        "GetSecretValue",
        {"SecretId": arn},
        one(arn, "secretId", "have length less than or equal to 2048"),
    )


def test_other_constraint_errors_win_over_the_name_rule() -> None:
    name = "a b" * 200
    assert_invalid(
        "CreateSecret", {"Name": name}, one(name, "name", "have length less than or equal to 512")
    )
    assert_invalid(
        "GetSecretValue",
        {"SecretId": "a b", "VersionId": "short"},
        one("short", "versionId", "have length greater than or equal to 32"),
    )
    assert_invalid(
        "CreateSecret", {"Name": ""}, one("", "name", "have length greater than or equal to 1")
    )


def test_batch_secret_id_list_entries_are_not_name_checked() -> None:
    validate("BatchGetSecretValue", {"SecretIdList": ["my secret", ARN]})
    long = "s" * 2049
    assert_invalid(
        "BatchGetSecretValue",
        {"SecretIdList": ["ok", long]},
        one(long, "secretIdList.2.member", "have length less than or equal to 2048"),
    )


# --- type errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "params", "message"),
    [
        ("ListSecrets", {"MaxResults": "10"}, "STRING_VALUE can not be converted to an Integer"),
        ("ListSecrets", {"MaxResults": True}, "TRUE_VALUE can not be converted to an Integer"),
        (
            "ListSecrets",
            {"MaxResults": float("nan")},
            "NUMBER_VALUE can not be converted to an Integer",
        ),
        (
            "GetRandomPassword",
            {"PasswordLength": "32"},
            "STRING_VALUE can not be converted to a Long",
        ),
        (
            "GetRandomPassword",
            {"PasswordLength": False},
            "FALSE_VALUE can not be converted to a Long",
        ),
        (
            "GetRandomPassword",
            {"ExcludeNumbers": 1},
            "NUMBER_VALUE can not be converted to a Boolean",
        ),
        (
            "GetRandomPassword",
            {"ExcludeNumbers": "true"},
            "STRING_VALUE can not be converted to a Boolean",
        ),
        ("GetSecretValue", {"SecretId": 123}, "NUMBER_VALUE can not be converted to a String"),
        ("GetSecretValue", {"SecretId": 1.5}, "NUMBER_VALUE can not be converted to a String"),
        ("GetSecretValue", {"SecretId": False}, "FALSE_VALUE can not be converted to a String"),
        ("GetSecretValue", {"SecretId": ["s"]}, "Start of list found where not expected"),
        (
            "GetSecretValue",
            {"SecretId": {"a": 1}},
            "Start of structure or map found where not expected.",
        ),
        ("ListSecrets", {"Filters": "name"}, "Expected list or null"),
        (
            "ListSecrets",
            {"Filters": {"Key": "name"}},
            "Start of structure or map found where not expected.",
        ),
        ("ListSecrets", {"Filters": ["name"]}, "Expected null"),
        (
            "RotateSecret",
            {"SecretId": "s", "RotationRules": []},
            "Start of list found where not expected",
        ),
        ("RotateSecret", {"SecretId": "s", "RotationRules": 7}, "Expected null"),
        (
            "UntagResource",
            {"SecretId": "s", "TagKeys": [1]},
            "NUMBER_VALUE can not be converted to a String",
        ),
        (
            "CreateSecret",
            {"Name": "n", "SecretBinary": 5},
            "only base-64-encoded strings are convertible to bytes",
        ),
        (
            "CreateSecret",
            {"Name": "n", "SecretBinary": [1]},
            "Start of list found where not expected",
        ),
    ],
)
def test_type_errors(operation: str, params: dict[str, Any], message: str) -> None:
    assert_unserializable(operation, params, message)


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        ("AAA", "Base64 encoded length is expected a multiple of 4 bytes but found: 3"),
        ("AA*=", "Invalid Base64 encoded value"),
        ("A===", "Invalid Base64 encoded value"),
        ("\u00e9\u00e9\u00e9\u00e9", "Invalid Base64 encoded value"),
    ],
)
def test_invalid_base64_blob(blob: str, message: str) -> None:
    assert_unserializable("PutSecretValue", {"SecretId": "s", "SecretBinary": blob}, message)


def test_type_error_wins_over_constraint_errors() -> None:
    assert_unserializable(
        "ListSecrets",
        {"MaxResults": 0, "SortOrder": 5},
        "NUMBER_VALUE can not be converted to a String",
    )
    assert_unserializable("TagResource", {"Tags": "x"}, "Expected list or null")


@pytest.mark.parametrize(
    ("params", "message"), [([], "Start of list found where not expected"), ("x", ""), (None, "")]
)
def test_body_that_is_not_an_object(params: Any, message: str) -> None:
    assert_unserializable("ListSecrets", params, message)


def test_in_process_bytes_blob_is_measured_directly() -> None:
    validate("CreateSecret", {"Name": "n", "SecretBinary": b"\0" * 65536})
    assert_invalid(
        "CreateSecret",
        {"Name": "n", "SecretBinary": b""},
        one(None, "secretBinary", "have length greater than or equal to 1"),
    )


# --- import cost --------------------------------------------------------------------


def test_module_does_not_import_botocore_at_import_time() -> None:
    source = Path(__file__).parents[1] / "smmock" / "_wire" / "validation.py"
    tree = ast.parse(source.read_text())
    top_level: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            top_level += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            top_level.append(node.module or "")
    assert top_level
    assert not [name for name in top_level if name.split(".")[0] == "botocore"]


# --- shape kinds the current model does not use ------------------------------------

FUTURE_MODEL = {
    "operations": {
        "Ping": {},
        "Future": {"input": {"shape": "FutureRequest"}},
    },
    "shapes": {
        "FutureRequest": {
            "type": "structure",
            "members": {
                "Ratio": {"shape": "Ratio"},
                "Labels": {"shape": "Labels"},
                "Flags": {"shape": "Flags"},
                "When": {"shape": "When"},
                "Word": {"shape": "Word"},
            },
        },
        "Ratio": {"type": "double", "min": 0.5, "max": 2},
        "Labels": {"type": "map", "key": {"shape": "Word"}, "value": {"shape": "Word"}},
        "Flags": {"type": "list", "member": {"shape": "Flag"}, "max": 1},
        "Flag": {"type": "boolean"},
        "When": {"type": "timestamp"},
        "Word": {"type": "string", "pattern": "\\p{L}+"},
    },
}


@pytest.fixture
def future_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_validation, "_model", FUTURE_MODEL)
    monkeypatch.setattr(_validation, "_compiled", {})


@pytest.mark.usefixtures("future_model")
def test_future_shape_kinds() -> None:
    assert operation_names() == ["Ping", "Future"]
    validate("Ping", {"Anything": 1})
    validate("Future", {"Ratio": 1.5, "Labels": {}, "Flags": [True], "When": 1.0, "Word": "1"})
    assert_invalid(
        "Future", {"Ratio": 2.5}, one("2.5", "ratio", "have value less than or equal to 2")
    )
    assert_invalid(
        "Future",
        {"Flags": [True, False]},
        one("[true, false]", "flags", "have length less than or equal to 1"),
    )
    assert_unserializable("Future", {"Ratio": "1"}, "STRING_VALUE can not be converted to a Double")
    assert_unserializable("Future", {"Labels": []}, "Start of list found where not expected")
    assert_unserializable("Future", {"Labels": "x"}, "Expected null")
