"""The contract with botocore's model: every operation exists, and the checker has teeth.

The checker itself (``tests/contract.py``) runs on every response of the whole suite;
these tests prove it is installed and that it rejects what it should, so a green suite
means something.
"""

from __future__ import annotations

import base64
import contextlib
import json
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from smmock._wire import protocol as _protocol
from smmock.backend import SecretsBackend
from tests import contract
from tests.contract import check_response, recorded_violations, service_model

GOOD_DESCRIBE = {
    "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:n-abcdef",
    "Name": "n",
    "RotationEnabled": True,
    "RotationRules": {"AutomaticallyAfterDays": 30},
    "LastChangedDate": 1710081015.25,
    "LastAccessedDate": 1710028800,
    "Tags": [{"Key": "k", "Value": "v"}],
    "VersionIdsToStages": {"v1": ["AWSCURRENT"]},
    "CreatedDate": 1710081015.25,
    "PrimaryRegion": "us-east-1",
    "ReplicationStatus": [{"Region": "eu-west-1", "Status": "InSync"}],
}


def target(operation: str) -> str:
    return f"secretsmanager.{operation}"


def describe_problems(body: Any, status: int = 200) -> list[str]:
    return check_response(target("DescribeSecret"), status, json.dumps(body).encode())


def error(code: str, message: str = "text") -> bytes:
    return json.dumps({"__type": code, "Message": message}).encode()


# -- every operation of the model is implemented ---------------------------------------------


def test_every_operation_of_botocores_model_is_implemented() -> None:
    operations = service_model().operation_names
    missing = sorted(set(operations) - set(_protocol.OPERATIONS))
    assert missing == []
    # Nothing beyond the model either: such a name could never be called by a client.
    assert sorted(_protocol.OPERATIONS) == sorted(operations)


def test_the_installed_model_has_the_26_operations_this_suite_was_written_for() -> None:
    # A newer botocore adding an operation fails the test above first; this one says
    # which model the suite last matched.
    assert len(service_model().operation_names) == 26


# -- success bodies -------------------------------------------------------------------------


def test_a_conforming_body_passes() -> None:
    assert describe_problems(GOOD_DESCRIBE) == []


def test_an_unknown_member_is_rejected_at_the_top() -> None:
    assert describe_problems({**GOOD_DESCRIBE, "Bogus": 1}) == [
        "DescribeSecret.Bogus: unknown member of DescribeSecretResponse"
    ]


def test_an_unknown_member_is_rejected_at_depth() -> None:
    body = {**GOOD_DESCRIBE, "ReplicationStatus": [{"Region": "eu-west-1", "Extra": "x"}]}
    assert describe_problems(body) == [
        "DescribeSecret.ReplicationStatus[0].Extra: unknown member of ReplicationStatusType"
    ]


@pytest.mark.parametrize(
    ("member", "value", "problem"),
    [
        (
            "RotationRules",
            {"AutomaticallyAfterDays": "30"},
            "DescribeSecret.RotationRules.AutomaticallyAfterDays: long "
            "AutomaticallyRotateAfterDaysType sent as str '30'",
        ),
        (
            "RotationRules",
            {"AutomaticallyAfterDays": True},
            "DescribeSecret.RotationRules.AutomaticallyAfterDays: long "
            "AutomaticallyRotateAfterDaysType sent as bool True",
        ),
        (
            "RotationRules",
            {"AutomaticallyAfterDays": 30.0},
            "DescribeSecret.RotationRules.AutomaticallyAfterDays: long "
            "AutomaticallyRotateAfterDaysType sent as float 30.0",
        ),
        (
            "RotationEnabled",
            "true",
            "DescribeSecret.RotationEnabled: boolean RotationEnabledType sent as str 'true'",
        ),
        (
            "CreatedDate",
            "2024-03-10T14:30:15Z",
            "DescribeSecret.CreatedDate: timestamp TimestampType sent as str "
            "'2024-03-10T14:30:15Z'",
        ),
        (
            "CreatedDate",
            True,
            "DescribeSecret.CreatedDate: timestamp TimestampType sent as bool True",
        ),
        ("Name", 5, "DescribeSecret.Name: string SecretNameType sent as int 5"),
        ("Tags", {"k": "v"}, "DescribeSecret.Tags: list TagListType sent as dict"),
        (
            "VersionIdsToStages",
            {"v1": "AWSCURRENT"},
            "DescribeSecret.VersionIdsToStages['v1']: list SecretVersionStagesType sent as str",
        ),
        (
            "RotationRules",
            [30],
            "DescribeSecret.RotationRules: structure RotationRulesType sent as list",
        ),
        (
            "ReplicationStatus",
            [{"Region": "eu-west-1", "Status": "Done"}],
            "DescribeSecret.ReplicationStatus[0].Status: 'Done' is not in the enum of StatusType",
        ),
        ("Description", None, "DescribeSecret.Description: null; absent members must be omitted"),
    ],
)
def test_a_wrong_json_type_is_rejected(member: str, value: Any, problem: str) -> None:
    assert describe_problems({**GOOD_DESCRIBE, member: value}) == [problem]


def test_a_blob_must_be_base64() -> None:
    good = {"ARN": "a", "Name": "n", "VersionId": "v", "SecretBinary": "AAEC"}
    assert check_response(target("GetSecretValue"), 200, json.dumps(good)) == []
    bad = {**good, "SecretBinary": "not base64!"}
    assert check_response(target("GetSecretValue"), 200, json.dumps(bad)) == [
        "GetSecretValue.SecretBinary: blob SecretBinaryType sent as str 'not base64!'"
    ]


def test_a_required_member_must_be_present() -> None:
    assert check_response(target("ListResourcePolicies"), 200, b"{}") == [
        "ListResourcePolicies.ResourcePolicies: required member of "
        "ListResourcePoliciesResponse missing"
    ]


def test_an_operation_without_output_answers_an_empty_object() -> None:
    assert check_response(target("TagResource"), 200, b"{}") == []
    assert check_response(target("TagResource"), 200, b'{"ARN": "a"}') == [
        "TagResource has no output in the model; expected {}"
    ]


def test_success_for_an_unknown_operation_is_rejected() -> None:
    assert check_response(target("Nope"), 200, b"{}") == [
        "HTTP 200 for 'secretsmanager.Nope', which is no operation of the model"
    ]


def test_a_body_that_is_not_json_is_rejected() -> None:
    assert check_response(target("DescribeSecret"), 200, b"<html>") == [
        "body is not JSON: b'<html>'"
    ]


# -- error bodies -------------------------------------------------------------------------------


def test_modeled_and_unmodeled_errors_pass() -> None:
    describe = target("DescribeSecret")
    assert check_response(describe, 400, error("ResourceNotFoundException")) == []
    assert check_response(describe, 400, error("ValidationException")) == []
    assert check_response(target("RotateSecret"), 400, error("AccessDeniedException")) == []
    assert check_response(describe, 500, error("InternalServiceError")) == []
    assert check_response(target("Nope"), 400, error("UnknownOperationException")) == []


def test_an_error_the_operation_does_not_model_is_rejected() -> None:
    # DescribeSecret models RNF, ISE and IPE only.
    assert check_response(target("DescribeSecret"), 400, error("InvalidRequestException")) == [
        "InvalidRequestException is not a modeled error of DescribeSecret (modeled: "
        "['InternalServiceError', 'InvalidParameterException', 'ResourceNotFoundException']) "
        "nor one AWS sends unmodeled (['AccessDeniedException', 'InternalFailure', "
        "'SerializationException', 'ServiceUnavailable', 'ThrottlingException', "
        "'UnknownOperationException', 'ValidationException'])"
    ]


@pytest.mark.parametrize(
    ("status", "code", "problem"),
    [
        (
            404,
            "ResourceNotFoundException",
            "ResourceNotFoundException answered with HTTP 404, expected 400",
        ),
        (400, "InternalServiceError", "InternalServiceError answered with HTTP 400, expected 500"),
        (
            500,
            "InvalidParameterException",
            "InvalidParameterException answered with HTTP 500, expected 400",
        ),
    ],
)
def test_error_status_codes(status: int, code: str, problem: str) -> None:
    assert check_response(target("DescribeSecret"), status, error(code)) == [problem]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            {"__type": "ResourceNotFoundException", "message": "x"},
            "error body must have exactly __type and Message, got ['__type', 'message']",
        ),
        (
            {"__type": "ResourceNotFoundException", "Message": "x", "Extra": 1},
            "error body must have exactly __type and Message, got ['Extra', 'Message', '__type']",
        ),
        (
            {"__type": "ResourceNotFoundException", "Message": None},
            "__type and Message must be strings, got 'ResourceNotFoundException', None",
        ),
        ([], "error body must have exactly __type and Message, got list"),
    ],
)
def test_error_body_shape(body: Any, problem: str) -> None:
    assert check_response(target("DescribeSecret"), 400, json.dumps(body)) == [problem]


# -- the plugin is live ----------------------------------------------------------------------


def test_protocol_handle_is_wrapped_for_the_whole_session() -> None:
    assert _protocol.handle is not contract._original_handle
    assert getattr(_protocol.handle, "__wrapped__", None) is contract._original_handle


def test_a_bad_answer_through_a_client_fails_the_call(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        _protocol.OPERATIONS, "GetRandomPassword", lambda ctx, p: {"RandomPassword": 7}
    )
    with recorded_violations() as found, pytest.raises(AssertionError) as info:
        client.get_random_password()
    expected = (
        "smmock's answer to secretsmanager.GetRandomPassword breaks botocore's model:\n"
        "  GetRandomPassword.RandomPassword: string RandomPasswordType sent as int 7\n"
        "  (HTTP 200, body b'{\"RandomPassword\":7}')"
    )
    assert str(info.value) == expected
    assert found == [expected]


def test_a_violation_swallowed_by_the_code_under_test_is_still_recorded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(_protocol.OPERATIONS, "GetRandomPassword", lambda ctx, p: {"Password": "x"})
    # suppress() stands for a rotation function's try/except around its boto3 call.
    with recorded_violations() as found, contextlib.suppress(AssertionError):
        _protocol.handle(
            SecretsBackend(), "us-east-1", "123456789012", target("GetRandomPassword"), b"{}"
        )
    assert found == [
        "smmock's answer to secretsmanager.GetRandomPassword breaks botocore's model:\n"
        "  GetRandomPassword.Password: unknown member of GetRandomPasswordResponse\n"
        '  (HTTP 200, body b\'{"Password":"x"}\')'
    ]


def test_conforming_answers_pass_through_unchanged(client: Any) -> None:
    created = client.create_secret(Name="n", SecretBinary=b"\x00\x01")
    with pytest.raises(ClientError) as info:
        client.describe_secret(SecretId="missing")
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    value = client.get_secret_value(SecretId=created["ARN"])
    assert value["SecretBinary"] == b"\x00\x01"
    assert base64.b64encode(value["SecretBinary"]) == b"AAE="


def test_a_phase_with_a_recorded_violation_fails_even_if_the_test_body_passed() -> None:
    # The hook wrappers drive this generator around each setup, call and teardown.
    phase = contract._phase()
    next(phase)
    contract._violations.append("DescribeSecret.Bogus: unknown member")
    with pytest.raises(AssertionError) as info:
        phase.send(None)
    assert str(info.value) == "DescribeSecret.Bogus: unknown member"
    assert contract._violations == []


def test_a_clean_phase_returns_the_result_of_the_hook() -> None:
    phase = contract._phase()
    next(phase)
    with pytest.raises(StopIteration) as info:
        phase.send("result")
    assert info.value.value == "result"


def test_a_bad_answer_to_plain_requests_is_caught_too(
    backend: SecretsBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        _protocol.OPERATIONS, "GetRandomPassword", lambda ctx, p: {"RandomPassword": None}
    )
    with recorded_violations() as found, pytest.raises(AssertionError):
        requests.post(
            "https://secretsmanager.us-east-1.amazonaws.com/",
            data=b"{}",
            headers={
                "X-Amz-Target": "secretsmanager.GetRandomPassword",
                "Content-Type": "application/x-amz-json-1.1",
            },
            timeout=5,
        )
    assert found == [
        "smmock's answer to secretsmanager.GetRandomPassword breaks botocore's model:\n"
        "  GetRandomPassword.RandomPassword: null; absent members must be omitted\n"
        "  (HTTP 200, body b'{\"RandomPassword\":null}')"
    ]
