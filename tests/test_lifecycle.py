"""The secret lifecycle through a real boto3 client: create, read, write, describe, list."""

from __future__ import annotations

import datetime
import re
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, ParamValidationError

from smmock import SecretsBackend

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)  # the `frozen` fixture
MIDNIGHT = datetime.datetime(2024, 3, 10, tzinfo=UTC)
ACCOUNT = "123456789012"
PREFIX = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:"
TOKEN1 = "11111111-1111-1111-1111-111111111111"
TOKEN2 = "22222222-2222-2222-2222-222222222222"
TOKEN3 = "33333333-3333-3333-3333-333333333333"
NOT_FOUND = "Secrets Manager can't find the specified secret."
INVALID_NAME = (
    "Invalid name. Must be a valid name containing alphanumeric characters, "
    "or any of the following: -/_+=.@!"
)
BOTH_VALUES = (
    "You can't specify both a binary secret value and a string secret value in the same secret."
)


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    err = exc.value.response["Error"]
    return err["Code"], err["Message"]


def token_in_use(token: str, arn: str) -> str:
    return (
        f"You can't use ClientRequestToken {token} because that value is already in use for a "
        f"version of secret {arn}."
    )


def snapshot(client: Any, secret_id: str) -> tuple[Any, Any]:
    """What DescribeSecret and ListSecretVersionIds(IncludeDeprecated) show, sans metadata."""
    described = client.describe_secret(SecretId=secret_id)
    versions = client.list_secret_version_ids(SecretId=secret_id, IncludeDeprecated=True)
    del described["ResponseMetadata"], versions["ResponseMetadata"]
    return described, versions


# -- CreateSecret ---------------------------------------------------------------------------


def test_create_secret_arn_has_a_six_character_suffix(client: Any) -> None:
    out = client.create_secret(Name="app/db", SecretString="v", ClientRequestToken=TOKEN1)
    assert re.fullmatch(re.escape(PREFIX + "app/db-") + r"[A-Za-z0-9]{6}", out["ARN"])
    assert out["Name"] == "app/db"
    assert out["VersionId"] == TOKEN1


def test_two_secrets_get_different_suffixes(client: Any) -> None:
    arns = {client.create_secret(Name=f"n{i}")["ARN"][-6:] for i in range(20)}
    assert len(arns) > 1


def test_botocore_fills_the_token_with_a_uuid(client: Any) -> None:
    out = client.create_secret(Name="n", SecretString="v")
    assert re.fullmatch(r"[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}", out["VersionId"])
    assert client.describe_secret(SecretId="n")["VersionIdsToStages"] == {
        out["VersionId"]: ["AWSCURRENT"]
    }


def test_create_without_value_has_no_version(client: Any) -> None:
    out = client.create_secret(Name="n")
    assert "VersionId" not in out
    described = client.describe_secret(SecretId="n")
    assert "VersionIdsToStages" not in described
    assert client.list_secret_version_ids(SecretId="n")["Versions"] == []
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.get_secret_value(SecretId="n")
    assert error(exc) == (
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    )


def test_create_binary_secret(client: Any) -> None:
    client.create_secret(Name="n", SecretBinary=b"\x00\xffdata")
    out = client.get_secret_value(SecretId="n")
    assert out["SecretBinary"] == b"\x00\xffdata"
    assert "SecretString" not in out


def test_create_with_both_values_is_refused(client: Any, backend: SecretsBackend) -> None:
    with pytest.raises(client.exceptions.InvalidParameterException) as exc:
        client.create_secret(Name="n", SecretString="v", SecretBinary=b"v")
    assert error(exc) == ("InvalidParameterException", BOTH_VALUES)
    assert backend.secrets() == []


def test_create_existing_name(client: Any) -> None:
    client.create_secret(Name="n", SecretString="v")
    before = snapshot(client, "n")
    with pytest.raises(client.exceptions.ResourceExistsException) as exc:
        client.create_secret(Name="n", SecretString="w")
    assert error(exc) == (
        "ResourceExistsException",
        "The operation failed because the secret n already exists.",
    )
    with pytest.raises(client.exceptions.ResourceExistsException):
        client.create_secret(Name="n")
    assert snapshot(client, "n") == before


def test_create_retry_with_same_token_and_value_is_idempotent(client: Any, frozen: Any) -> None:
    first = client.create_secret(Name="n", SecretString="v", ClientRequestToken=TOKEN1)
    before = snapshot(client, "n")
    frozen.tick(5)
    again = client.create_secret(Name="n", SecretString="v", ClientRequestToken=TOKEN1)
    assert {k: again[k] for k in ("ARN", "Name", "VersionId")} == {
        k: first[k] for k in ("ARN", "Name", "VersionId")
    }
    assert snapshot(client, "n") == before


def test_create_retry_with_same_token_and_other_value(client: Any) -> None:
    arn = client.create_secret(Name="n", SecretString="v", ClientRequestToken=TOKEN1)["ARN"]
    with pytest.raises(client.exceptions.ResourceExistsException) as exc:
        client.create_secret(Name="n", SecretString="w", ClientRequestToken=TOKEN1)
    assert error(exc) == ("ResourceExistsException", token_in_use(TOKEN1, arn))
    with pytest.raises(client.exceptions.ResourceExistsException) as exc:
        client.create_secret(Name="n", SecretBinary=b"v", ClientRequestToken=TOKEN1)
    assert error(exc) == ("ResourceExistsException", token_in_use(TOKEN1, arn))
    assert client.get_secret_value(SecretId="n")["SecretString"] == "v"


@pytest.mark.parametrize("name", ["has space", "semi;colon", "star*", "caf\u00e9", "a,b"])
def test_invalid_name(client: Any, backend: SecretsBackend, name: str) -> None:
    with pytest.raises(ClientError) as exc:
        client.create_secret(Name=name, SecretString="v")
    assert error(exc) == ("ValidationException", INVALID_NAME)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as exc:
        client.get_secret_value(SecretId=name)
    assert error(exc) == ("ValidationException", INVALID_NAME)
    assert backend.secrets() == []


def test_description_and_kms_key(client: Any) -> None:
    client.create_secret(Name="n", Description="", KmsKeyId="alias/mine")
    described = client.describe_secret(SecretId="n")
    assert "Description" not in described
    assert described["KmsKeyId"] == "alias/mine"
    client.create_secret(Name="m", Description="about m")
    described = client.describe_secret(SecretId="m")
    assert described["Description"] == "about m"
    assert "KmsKeyId" not in described


def test_dates_under_frozen_time(client: Any, frozen: Any) -> None:
    client.create_secret(Name="n", SecretString="v", ClientRequestToken=TOKEN1)
    frozen.tick(90)
    described = client.describe_secret(SecretId="n")
    assert described["CreatedDate"] == T0
    assert described["LastChangedDate"] == T0
    assert "LastAccessedDate" not in described
    client.put_secret_value(SecretId="n", SecretString="w", ClientRequestToken=TOKEN2)
    described = client.describe_secret(SecretId="n")
    assert described["CreatedDate"] == T0
    assert described["LastChangedDate"] == T0 + datetime.timedelta(seconds=90)
    versions = client.list_secret_version_ids(SecretId="n")["Versions"]
    assert [(v["VersionId"], v["CreatedDate"]) for v in versions] == [
        (TOKEN1, T0),
        (TOKEN2, T0 + datetime.timedelta(seconds=90)),
    ]


# -- identification -------------------------------------------------------------------------


def test_secret_id_by_name_full_arn_and_partial_arn(client: Any) -> None:
    arn = client.create_secret(Name="app/db", SecretString="v")["ARN"]
    for secret_id in ("app/db", arn, PREFIX + "app/db"):
        out = client.get_secret_value(SecretId=secret_id)
        assert (out["ARN"], out["Name"], out["SecretString"]) == (arn, "app/db", "v")
        assert client.describe_secret(SecretId=secret_id)["ARN"] == arn


@pytest.mark.parametrize(
    "secret_id",
    [
        "App/db",  # case-sensitive
        "app/db-AbC123",  # a name plus a suffix is not a name
        PREFIX + "app/db-AbC123",  # wrong suffix
        "arn:aws:secretsmanager:us-east-1:999999999999:secret:app/db",  # other account
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db",  # other region
    ],
)
def test_secret_id_that_does_not_match(client: Any, secret_id: str) -> None:
    client.create_secret(Name="app/db", SecretString="v")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.get_secret_value(SecretId=secret_id)
    assert error(exc) == ("ResourceNotFoundException", NOT_FOUND)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId=secret_id)


def test_partial_arn_that_looks_like_a_full_arn(client: Any) -> None:
    arn = client.create_secret(Name="x-a1b2c3", SecretString="v")["ARN"]
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.describe_secret(SecretId=PREFIX + "x-a1b2c3")
    assert error(exc) == ("ResourceNotFoundException", NOT_FOUND)
    assert client.describe_secret(SecretId=arn)["Name"] == "x-a1b2c3"
    assert client.describe_secret(SecretId="x-a1b2c3")["Name"] == "x-a1b2c3"


@pytest.mark.parametrize("name", ["x-a1b2", "x-a1b2c3-"])
def test_partial_arn_of_names_with_short_or_trailing_dash_suffix(client: Any, name: str) -> None:
    arn = client.create_secret(Name=name, SecretString="v")["ARN"]
    assert client.describe_secret(SecretId=PREFIX + name)["ARN"] == arn


def test_regions_are_separate_stores(client: Any) -> None:
    arn = client.create_secret(Name="n", SecretString="v")["ARN"]
    eu = boto3.client("secretsmanager", region_name="eu-west-1")
    with pytest.raises(eu.exceptions.ResourceNotFoundException):
        eu.describe_secret(SecretId="n")
    assert eu.list_secrets()["SecretList"] == []
    eu_arn = eu.create_secret(Name="n", SecretString="w")["ARN"]
    assert eu_arn.startswith(f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:n-")
    assert client.get_secret_value(SecretId="n")["SecretString"] == "v"
    assert client.describe_secret(SecretId="n")["ARN"] == arn
    # An ARN addresses its own region, whichever endpoint is called.
    assert client.get_secret_value(SecretId=eu_arn)["SecretString"] == "w"


# -- GetSecretValue --------------------------------------------------------------------------


@pytest.fixture
def two_versions(client: Any, frozen: Any) -> Any:
    """Secret ``n``: TOKEN1 (``v1``, AWSPREVIOUS, at T0), TOKEN2 (``v2``, AWSCURRENT, T0+60s)."""
    client.create_secret(Name="n", SecretString="v1", ClientRequestToken=TOKEN1)
    frozen.tick(60)
    client.put_secret_value(SecretId="n", SecretString="v2", ClientRequestToken=TOKEN2)
    return client


def test_get_defaults_to_awscurrent(two_versions: Any) -> None:
    out = two_versions.get_secret_value(SecretId="n")
    assert out["SecretString"] == "v2"
    assert out["VersionId"] == TOKEN2
    assert out["VersionStages"] == ["AWSCURRENT"]
    assert out["CreatedDate"] == T0 + datetime.timedelta(seconds=60)


def test_get_by_stage_by_id_and_by_both(two_versions: Any) -> None:
    client = two_versions
    out = client.get_secret_value(SecretId="n", VersionStage="AWSPREVIOUS")
    assert (out["VersionId"], out["SecretString"], out["CreatedDate"]) == (TOKEN1, "v1", T0)
    out = client.get_secret_value(SecretId="n", VersionId=TOKEN1)
    assert (out["VersionId"], out["VersionStages"]) == (TOKEN1, ["AWSPREVIOUS"])
    out = client.get_secret_value(SecretId="n", VersionId=TOKEN2, VersionStage="AWSCURRENT")
    assert out["SecretString"] == "v2"


def test_get_errors(two_versions: Any) -> None:
    client = two_versions
    with pytest.raises(client.exceptions.InvalidRequestException) as exc:
        client.get_secret_value(SecretId="n", VersionId=TOKEN1, VersionStage="AWSCURRENT")
    assert error(exc) == (
        "InvalidRequestException",
        "You provided a VersionStage that is not associated to the provided VersionId.",
    )
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.get_secret_value(SecretId="n", VersionId=TOKEN3)
    assert error(exc) == (
        "ResourceNotFoundException",
        f"Secrets Manager can't find the specified secret value for VersionId: {TOKEN3}",
    )
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.get_secret_value(SecretId="n", VersionStage="AWSPENDING")
    assert error(exc) == (
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
    )
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.get_secret_value(SecretId="nope")
    assert error(exc) == ("ResourceNotFoundException", NOT_FOUND)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_last_accessed_date_is_midnight_utc_of_the_read(two_versions: Any, frozen: Any) -> None:
    client = two_versions
    client.describe_secret(SecretId="n")
    assert "LastAccessedDate" not in client.describe_secret(SecretId="n")
    client.get_secret_value(SecretId="n", VersionId=TOKEN1)
    assert client.describe_secret(SecretId="n")["LastAccessedDate"] == MIDNIGHT
    versions = client.list_secret_version_ids(SecretId="n")["Versions"]
    assert [v.get("LastAccessedDate") for v in versions] == [MIDNIGHT, None]
    # A read the next day (23:59:59 UTC) moves both dates to that day's midnight.
    frozen.move_to(datetime.datetime(2024, 3, 11, 23, 59, 59, tzinfo=UTC))
    client.get_secret_value(SecretId="n")
    next_day = datetime.datetime(2024, 3, 11, tzinfo=UTC)
    assert client.describe_secret(SecretId="n")["LastAccessedDate"] == next_day
    versions = client.list_secret_version_ids(SecretId="n")["Versions"]
    assert [v.get("LastAccessedDate") for v in versions] == [MIDNIGHT, next_day]
    # Reading does not change the secret.
    assert client.describe_secret(SecretId="n")["LastChangedDate"] == T0 + datetime.timedelta(
        seconds=60
    )


# -- PutSecretValue ----------------------------------------------------------------------------


def test_put_moves_awscurrent_and_awsprevious(two_versions: Any) -> None:
    client = two_versions
    out = client.put_secret_value(SecretId="n", SecretString="v3", ClientRequestToken=TOKEN3)
    assert out["VersionId"] == TOKEN3
    assert out["VersionStages"] == ["AWSCURRENT"]
    assert out["Name"] == "n"
    assert client.describe_secret(SecretId="n")["VersionIdsToStages"] == {
        TOKEN2: ["AWSPREVIOUS"],
        TOKEN3: ["AWSCURRENT"],
    }


def test_put_with_stages_leaves_awscurrent(two_versions: Any) -> None:
    client = two_versions
    out = client.put_secret_value(
        SecretId="n", SecretString="v3", ClientRequestToken=TOKEN3, VersionStages=["staged"]
    )
    assert out["VersionStages"] == ["staged"]
    assert client.describe_secret(SecretId="n")["VersionIdsToStages"] == {
        TOKEN1: ["AWSPREVIOUS"],
        TOKEN2: ["AWSCURRENT"],
        TOKEN3: ["staged"],
    }
    assert client.get_secret_value(SecretId="n")["SecretString"] == "v2"
    assert client.get_secret_value(SecretId="n", VersionStage="staged")["SecretString"] == "v3"


def test_put_first_value_is_current_even_with_other_stages(client: Any) -> None:
    client.create_secret(Name="n")
    out = client.put_secret_value(
        SecretId="n", SecretString="v", ClientRequestToken=TOKEN1, VersionStages=["mine"]
    )
    assert out["VersionStages"] == ["mine", "AWSCURRENT"]
    assert client.get_secret_value(SecretId="n")["VersionId"] == TOKEN1


def test_put_retry_is_a_no_op(two_versions: Any, frozen: Any) -> None:
    client = two_versions
    before = snapshot(client, "n")
    frozen.tick(60)
    out = client.put_secret_value(SecretId="n", SecretString="v1", ClientRequestToken=TOKEN1)
    assert (out["VersionId"], out["VersionStages"]) == (TOKEN1, ["AWSPREVIOUS"])
    assert snapshot(client, "n") == before


def test_put_retry_with_other_value(two_versions: Any) -> None:
    client = two_versions
    arn = client.describe_secret(SecretId="n")["ARN"]
    before = snapshot(client, "n")
    with pytest.raises(client.exceptions.ResourceExistsException) as exc:
        client.put_secret_value(SecretId="n", SecretString="other", ClientRequestToken=TOKEN1)
    assert error(exc) == ("ResourceExistsException", token_in_use(TOKEN1, arn))
    assert snapshot(client, "n") == before


def test_put_needs_exactly_one_value(two_versions: Any) -> None:
    client = two_versions
    before = snapshot(client, "n")
    with pytest.raises(client.exceptions.InvalidParameterException) as exc:
        client.put_secret_value(SecretId="n", SecretString="a", SecretBinary=b"b")
    assert error(exc) == ("InvalidParameterException", BOTH_VALUES)
    # Decision (unconfirmed in AWS): neither value is an InvalidRequestException.
    with pytest.raises(client.exceptions.InvalidRequestException) as exc:
        client.put_secret_value(SecretId="n")
    assert error(exc) == (
        "InvalidRequestException",
        "You must provide either SecretString or SecretBinary.",
    )
    assert snapshot(client, "n") == before


def test_put_to_unknown_secret(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.put_secret_value(SecretId="nope", SecretString="v")
    assert error(exc) == ("ResourceNotFoundException", NOT_FOUND)


# -- UpdateSecret ------------------------------------------------------------------------------


def test_update_with_value_makes_a_current_version(two_versions: Any, frozen: Any) -> None:
    client = two_versions
    frozen.tick(60)
    out = client.update_secret(SecretId="n", SecretString="v2", ClientRequestToken=TOKEN3)
    assert (out["Name"], out["VersionId"]) == ("n", TOKEN3)
    described = client.describe_secret(SecretId="n")
    # Equal to the current value, yet a new version.
    assert described["VersionIdsToStages"] == {TOKEN2: ["AWSPREVIOUS"], TOKEN3: ["AWSCURRENT"]}
    assert described["LastChangedDate"] == T0 + datetime.timedelta(seconds=120)


def test_update_metadata_only_makes_no_version(two_versions: Any, frozen: Any) -> None:
    client = two_versions
    frozen.tick(60)
    out = client.update_secret(SecretId="n", Description="about n", KmsKeyId="alias/k")
    assert "VersionId" not in out
    described = client.describe_secret(SecretId="n")
    assert described["Description"] == "about n"
    assert described["KmsKeyId"] == "alias/k"
    assert described["VersionIdsToStages"] == {TOKEN1: ["AWSPREVIOUS"], TOKEN2: ["AWSCURRENT"]}
    assert described["LastChangedDate"] == T0 + datetime.timedelta(seconds=120)
    client.update_secret(SecretId="n", Description="", KmsKeyId="")
    described = client.describe_secret(SecretId="n")
    assert "Description" not in described
    assert "KmsKeyId" not in described


def test_update_version_uses_the_new_kms_key(two_versions: Any) -> None:
    client = two_versions
    client.update_secret(
        SecretId="n", SecretString="v3", KmsKeyId="alias/k", ClientRequestToken=TOKEN3
    )
    versions = client.list_secret_version_ids(SecretId="n", IncludeDeprecated=True)["Versions"]
    assert [(v["VersionId"], v["KmsKeyIds"]) for v in versions] == [
        (TOKEN1, ["DefaultEncryptionKey"]),
        (TOKEN2, ["DefaultEncryptionKey"]),
        (TOKEN3, ["alias/k"]),
    ]


def test_update_token_reuse(two_versions: Any, frozen: Any) -> None:
    client = two_versions
    arn = client.describe_secret(SecretId="n")["ARN"]
    before = snapshot(client, "n")
    frozen.tick(60)
    # A retry changes nothing, not even LastChangedDate; an older version stays where it is.
    out = client.update_secret(SecretId="n", SecretString="v2", ClientRequestToken=TOKEN2)
    assert out["VersionId"] == TOKEN2
    out = client.update_secret(SecretId="n", SecretString="v1", ClientRequestToken=TOKEN1)
    assert out["VersionId"] == TOKEN1
    assert snapshot(client, "n") == before
    with pytest.raises(client.exceptions.ResourceExistsException) as exc:
        client.update_secret(SecretId="n", SecretString="v9", ClientRequestToken=TOKEN1)
    assert error(exc) == ("ResourceExistsException", token_in_use(TOKEN1, arn))
    with pytest.raises(client.exceptions.InvalidParameterException) as exc:
        client.update_secret(SecretId="n", SecretString="a", SecretBinary=b"b")
    assert error(exc) == ("InvalidParameterException", BOTH_VALUES)
    assert snapshot(client, "n") == before


def test_update_token_reuse_with_metadata_applies_the_metadata(two_versions: Any) -> None:
    client = two_versions
    out = client.update_secret(
        SecretId="n", SecretString="v2", ClientRequestToken=TOKEN2, Description="d"
    )
    assert out["VersionId"] == TOKEN2
    described = client.describe_secret(SecretId="n")
    assert described["Description"] == "d"
    assert described["VersionIdsToStages"] == {TOKEN1: ["AWSPREVIOUS"], TOKEN2: ["AWSCURRENT"]}


def test_update_unknown_secret(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.update_secret(SecretId="nope", Description="d")
    assert error(exc) == ("ResourceNotFoundException", NOT_FOUND)


def test_update_the_first_value_of_an_empty_secret(client: Any) -> None:
    client.create_secret(Name="n")
    client.update_secret(SecretId="n", SecretString="v", ClientRequestToken=TOKEN1)
    assert client.describe_secret(SecretId="n")["VersionIdsToStages"] == {TOKEN1: ["AWSCURRENT"]}


# -- ListSecrets ---------------------------------------------------------------------------------


def test_list_secrets_in_creation_order_with_versions_to_stages(client: Any, frozen: Any) -> None:
    for name in ("b", "a", "c"):
        client.create_secret(Name=name, SecretString="v", ClientRequestToken=TOKEN1)
        frozen.tick(1)
    listed = client.list_secrets()["SecretList"]
    assert [s["Name"] for s in listed] == ["b", "a", "c"]
    assert listed[0]["SecretVersionsToStages"] == {TOKEN1: ["AWSCURRENT"]}
    assert "VersionIdsToStages" not in listed[0]
    assert listed[1]["CreatedDate"] == T0 + datetime.timedelta(seconds=1)


def test_list_secrets_pages(client: Any, backend: SecretsBackend) -> None:
    for n in range(7):
        backend.create_secret(f"s{n}", "v")
    first = client.list_secrets(MaxResults=3)
    assert [s["Name"] for s in first["SecretList"]] == ["s0", "s1", "s2"]
    second = client.list_secrets(MaxResults=3, NextToken=first["NextToken"])
    assert [s["Name"] for s in second["SecretList"]] == ["s3", "s4", "s5"]
    third = client.list_secrets(MaxResults=3, NextToken=second["NextToken"])
    assert [s["Name"] for s in third["SecretList"]] == ["s6"]
    assert "NextToken" not in third
    pages = client.get_paginator("list_secrets").paginate(PaginationConfig={"PageSize": 2})
    assert [[s["Name"] for s in p["SecretList"]] for p in pages] == [
        ["s0", "s1"],
        ["s2", "s3"],
        ["s4", "s5"],
        ["s6"],
    ]


def test_list_secrets_default_page_is_100(client: Any, backend: SecretsBackend) -> None:
    for n in range(101):
        backend.create_secret(f"s{n:03d}")
    first = client.list_secrets()
    assert len(first["SecretList"]) == 100
    rest = client.list_secrets(NextToken=first["NextToken"])
    assert [s["Name"] for s in rest["SecretList"]] == ["s100"]
    assert "NextToken" not in rest


def test_list_secrets_skips_secrets_deleted_between_pages(
    client: Any, backend: SecretsBackend
) -> None:
    for n in range(4):
        backend.create_secret(f"s{n}", "v")
    first = client.list_secrets(MaxResults=2)
    client.delete_secret(SecretId="s2", ForceDeleteWithoutRecovery=True)
    second = client.list_secrets(MaxResults=2, NextToken=first["NextToken"])
    assert [s["Name"] for s in second["SecretList"]] == ["s3"]


def test_list_secrets_bad_next_token(client: Any) -> None:
    with pytest.raises(client.exceptions.InvalidNextTokenException) as exc:
        client.list_secrets(NextToken="not-a-token")
    assert error(exc) == ("InvalidNextTokenException", "The NextToken value is not valid.")


def test_list_secrets_max_results_bounds(client: Any) -> None:
    with pytest.raises(ClientError) as exc:
        client.list_secrets(MaxResults=101)
    assert error(exc) == (
        "ValidationException",
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100",
    )
    with pytest.raises(ParamValidationError):
        client.list_secrets(MaxResults=0)


# -- ListSecretVersionIds -------------------------------------------------------------------------


def test_list_secret_version_ids_pages(client: Any, backend: SecretsBackend) -> None:
    backend.create_secret("n", "v0", version_id=TOKEN1)
    backend.put_secret_value("n", "v1", version_id=TOKEN2, version_stages=["a"])
    backend.put_secret_value("n", "v2", version_id=TOKEN3, version_stages=["b"])
    first = client.list_secret_version_ids(SecretId="n", MaxResults=2)
    assert [v["VersionId"] for v in first["Versions"]] == [TOKEN1, TOKEN2]
    assert first["Name"] == "n"
    second = client.list_secret_version_ids(
        SecretId="n", MaxResults=2, NextToken=first["NextToken"]
    )
    assert [v["VersionId"] for v in second["Versions"]] == [TOKEN3]
    assert "NextToken" not in second


def test_list_secret_version_ids_errors(client: Any, backend: SecretsBackend) -> None:
    backend.create_secret("n", "v")
    with pytest.raises(client.exceptions.InvalidNextTokenException) as exc:
        client.list_secret_version_ids(SecretId="n", NextToken="bogus")
    assert error(exc) == ("InvalidNextTokenException", "The NextToken value is not valid.")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.list_secret_version_ids(SecretId="nope")
    assert error(exc) == ("ResourceNotFoundException", NOT_FOUND)
    for n in range(3):
        backend.create_secret(f"s{n}")
    token = client.list_secrets(MaxResults=1)["NextToken"]
    with pytest.raises(client.exceptions.InvalidNextTokenException):
        client.list_secret_version_ids(SecretId="n", NextToken=token)


# -- a failed call changes nothing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "kwargs", "code"),
    [
        ("create_secret", {"Name": "n", "SecretString": "x"}, "ResourceExistsException"),
        (
            "put_secret_value",
            {"SecretId": "n", "SecretString": "x", "ClientRequestToken": TOKEN1},
            "ResourceExistsException",
        ),
        (
            "put_secret_value",
            {"SecretId": "n", "SecretString": "x", "SecretBinary": b"x"},
            "InvalidParameterException",
        ),
        (
            "update_secret",
            {
                "SecretId": "n",
                "SecretString": "x",
                "Description": "changed",
                "ClientRequestToken": TOKEN1,
            },
            "ResourceExistsException",
        ),
        (
            "update_secret_version_stage",
            {"SecretId": "n", "VersionStage": "AWSCURRENT", "MoveToVersionId": TOKEN1},
            "InvalidParameterException",
        ),
        (
            "update_secret_version_stage",
            {"SecretId": "n", "VersionStage": "AWSCURRENT", "RemoveFromVersionId": TOKEN2},
            "InvalidParameterException",
        ),
        (
            "delete_secret",
            {"SecretId": "n", "RecoveryWindowInDays": 7, "ForceDeleteWithoutRecovery": True},
            "InvalidParameterException",
        ),
        (
            "delete_secret",
            {"SecretId": "n", "RecoveryWindowInDays": 31},
            "InvalidParameterException",
        ),
        (
            "get_secret_value",
            {"SecretId": "n", "VersionId": TOKEN1, "VersionStage": "AWSCURRENT"},
            "InvalidRequestException",
        ),
    ],
)
def test_a_failed_call_changes_nothing(
    two_versions: Any, frozen: Any, operation: str, kwargs: dict[str, Any], code: str
) -> None:
    client = two_versions
    before = snapshot(client, "n")
    frozen.tick(3600)
    with pytest.raises(ClientError) as exc:
        getattr(client, operation)(**kwargs)
    assert exc.value.response["Error"]["Code"] == code
    assert snapshot(client, "n") == before


# -- wire details seen through boto3 -------------------------------------------------------------


def test_response_metadata_and_modeled_error_shape(client: Any) -> None:
    out = client.create_secret(Name="n")
    meta = out["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 200
    assert meta["HTTPHeaders"]["content-type"] == "application/x-amz-json-1.1"
    assert re.fullmatch(r"[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}", meta["RequestId"])
    assert meta["RetryAttempts"] == 0
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.describe_secret(SecretId="nope")
    # Modeled exceptions also carry the top-level Message member.
    assert exc.value.response["Message"] == NOT_FOUND
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert str(exc.value) == (
        "An error occurred (ResourceNotFoundException) when calling the DescribeSecret "
        f"operation: {NOT_FOUND}"
    )


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("get_secret_value", {}),
        ("put_secret_value", {"SecretString": "v"}),
        ("update_secret", {"Description": "d"}),
        ("describe_secret", {}),
        ("list_secret_version_ids", {}),
        ("update_secret_version_stage", {"VersionStage": "x", "MoveToVersionId": TOKEN1}),
        ("delete_secret", {}),
        ("delete_secret", {"ForceDeleteWithoutRecovery": True}),
        ("restore_secret", {}),
    ],
)
def test_invalid_secret_id_on_every_operation(
    client: Any, operation: str, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ClientError) as exc:
        getattr(client, operation)(SecretId="bad name", **kwargs)
    assert error(exc) == ("ValidationException", INVALID_NAME)


def test_put_accepts_and_ignores_a_rotation_token(client: Any) -> None:
    client.create_secret(Name="n", SecretString="v1", ClientRequestToken=TOKEN1)
    out = client.put_secret_value(
        SecretId="n", SecretString="v2", ClientRequestToken=TOKEN2, RotationToken="r" * 36
    )
    assert out["VersionStages"] == ["AWSCURRENT"]


def test_partition_follows_the_region(backend: SecretsBackend) -> None:
    china = boto3.client("secretsmanager", region_name="cn-north-1")
    arn = china.create_secret(Name="n")["ARN"]
    assert arn.startswith(f"arn:aws-cn:secretsmanager:cn-north-1:{ACCOUNT}:secret:n-")
    assert china.describe_secret(SecretId=arn)["Name"] == "n"
    assert [s.arn for s in backend.secrets(region="cn-north-1")] == [arn]
