"""BatchGetSecretValue through a boto3 client: by id list, by filters, paging, errors."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from smmock.backend import SecretsBackend

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)  # the `frozen` fixture
NOT_FOUND = "Secrets Manager can't find the specified secret."
MARKED = "You can't perform this operation on the secret because it was marked for deletion."
NO_VALUE = "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
ONE_SELECTOR = "Specify either SecretIdList or Filters, but not both."
MAX_WITHOUT_FILTERS = "MaxResults can be used only together with Filters."
TOKEN = "00000000-0000-4000-8000-00000000000{}"


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    error = info.value.response["Error"]
    return error["Code"], error["Message"]


def batch(client: Any, **kwargs: Any) -> dict[str, Any]:
    out = client.batch_get_secret_value(**kwargs)
    out.pop("ResponseMetadata")
    return out


def names(page: dict[str, Any]) -> list[str]:
    return [entry["Name"] for entry in page["SecretValues"]]


APP = [{"Key": "name", "Values": ["app/"]}]


@pytest.fixture
def apps(client: Any) -> list[str]:
    """Five secrets app/0..app/4 (created in that order) and one that no filter here picks."""
    arns = [
        client.create_secret(Name=f"app/{i}", SecretString=f"value {i}")["ARN"] for i in range(5)
    ]
    client.create_secret(Name="other", SecretString="x")
    return arns


# -- SecretIdList --------------------------------------------------------------------------------


def test_values_by_id_list(client: Any, frozen: Any) -> None:
    arn = client.create_secret(Name="a", SecretString="text", ClientRequestToken=TOKEN.format(1))[
        "ARN"
    ]
    frozen.tick(60)
    binary = client.create_secret(
        Name="b", SecretBinary=b"\x00\xff", ClientRequestToken=TOKEN.format(2)
    )["ARN"]
    out = batch(client, SecretIdList=["a", binary])
    assert out == {
        "SecretValues": [
            {
                "ARN": arn,
                "Name": "a",
                "VersionId": TOKEN.format(1),
                "SecretString": "text",
                "VersionStages": ["AWSCURRENT"],
                "CreatedDate": T0,
            },
            {
                "ARN": binary,
                "Name": "b",
                "VersionId": TOKEN.format(2),
                "SecretBinary": b"\x00\xff",
                "VersionStages": ["AWSCURRENT"],
                "CreatedDate": T0 + datetime.timedelta(seconds=60),
            },
        ],
        "Errors": [],
    }


def test_failing_ids_go_to_errors_in_request_order(client: Any) -> None:
    client.create_secret(Name="good", SecretString="g")
    client.create_secret(Name="empty")
    client.create_secret(Name="scheduled", SecretString="s")
    client.delete_secret(SecretId="scheduled")
    unknown_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-a1b2c3"
    out = batch(client, SecretIdList=["missing", "good", "scheduled", "empty", unknown_arn])
    assert names(out) == ["good"]
    assert out["Errors"] == [
        {"SecretId": "missing", "ErrorCode": "ResourceNotFoundException", "Message": NOT_FOUND},
        {"SecretId": "scheduled", "ErrorCode": "InvalidRequestException", "Message": MARKED},
        {"SecretId": "empty", "ErrorCode": "ResourceNotFoundException", "Message": NO_VALUE},
        {"SecretId": unknown_arn, "ErrorCode": "ResourceNotFoundException", "Message": NOT_FOUND},
    ]
    assert "NextToken" not in out


def test_an_invalid_name_in_the_list_is_a_per_item_error(client: Any) -> None:
    # Decision (unconfirmed): the name rule reports per id, like every other failure.
    out = batch(client, SecretIdList=["bad name"])
    assert out == {
        "SecretValues": [],
        "Errors": [
            {
                "SecretId": "bad name",
                "ErrorCode": "ValidationException",
                "Message": "Invalid name. Must be a valid name containing alphanumeric "
                "characters, or any of the following: -/_+=.@!",
            }
        ],
    }


def test_ids_by_full_and_partial_arn_and_repeated(client: Any, apps: list[str]) -> None:
    partial = apps[1][:-7]
    out = batch(client, SecretIdList=[apps[0], partial, "app/0"])
    # Decision: a repeated id is answered each time it is asked for.
    assert names(out) == ["app/0", "app/1", "app/0"]
    assert [entry["SecretString"] for entry in out["SecretValues"]] == [
        "value 0",
        "value 1",
        "value 0",
    ]


def test_batch_reads_count_as_accesses(client: Any, frozen: Any) -> None:
    client.create_secret(Name="a", SecretString="x")
    assert "LastAccessedDate" not in client.describe_secret(SecretId="a")
    batch(client, SecretIdList=["a"])
    assert client.describe_secret(SecretId="a")["LastAccessedDate"] == datetime.datetime(
        2024, 3, 10, tzinfo=UTC
    )


def test_id_list_bounds_come_from_the_model(client: Any) -> None:
    ids = [f"s{i}" for i in range(21)]
    assert error_of(client.batch_get_secret_value, SecretIdList=ids) == (
        "ValidationException",
        f"1 validation error detected: Value '[{', '.join(ids)}]' at 'secretIdList' failed to "
        "satisfy constraint: Member must have length less than or equal to 20",
    )


# -- Filters -------------------------------------------------------------------------------------


def test_filters_page_with_max_results(client: Any, apps: list[str]) -> None:
    first = batch(client, Filters=APP, MaxResults=2)
    assert names(first) == ["app/0", "app/1"]
    assert first["Errors"] == []
    second = batch(client, Filters=APP, MaxResults=2, NextToken=first["NextToken"])
    assert names(second) == ["app/2", "app/3"]
    third = batch(client, Filters=APP, MaxResults=2, NextToken=second["NextToken"])
    assert names(third) == ["app/4"]
    assert "NextToken" not in third
    assert [entry["ARN"] for entry in first["SecretValues"]] == apps[:2]


def test_filters_default_page_is_20(client: Any, backend: SecretsBackend) -> None:
    for i in range(25):
        backend.create_secret(f"s{i:02}", "v")
    first = batch(client, Filters=[{"Key": "name", "Values": ["s"]}])
    assert names(first) == [f"s{i:02}" for i in range(20)]
    rest = batch(client, Filters=[{"Key": "name", "Values": ["s"]}], NextToken=first["NextToken"])
    assert names(rest) == [f"s{i:02}" for i in range(20, 25)]
    assert "NextToken" not in rest


def test_filters_skip_scheduled_secrets_and_report_valueless_ones(client: Any) -> None:
    client.create_secret(Name="app/live", SecretString="v")
    client.create_secret(Name="app/empty")
    empty_arn = client.describe_secret(SecretId="app/empty")["ARN"]
    client.create_secret(Name="app/scheduled", SecretString="v")
    client.delete_secret(SecretId="app/scheduled")
    out = batch(client, Filters=APP)
    assert names(out) == ["app/live"]
    # Decision (unconfirmed): a matching secret without a value is a per-item error,
    # reported under its ARN.
    assert out["Errors"] == [
        {"SecretId": empty_arn, "ErrorCode": "ResourceNotFoundException", "Message": NO_VALUE}
    ]


def test_filters_and_together(client: Any) -> None:
    client.create_secret(Name="app/a", SecretString="1", Tags=[{"Key": "env", "Value": "prod"}])
    client.create_secret(Name="app/b", SecretString="2", Tags=[{"Key": "env", "Value": "dev"}])
    client.create_secret(Name="web/c", SecretString="3", Tags=[{"Key": "env", "Value": "prod"}])
    out = batch(client, Filters=[*APP, {"Key": "tag-value", "Values": ["prod"]}])
    assert names(out) == ["app/a"]


def test_a_bad_next_token(client: Any, apps: list[str]) -> None:
    assert error_of(client.batch_get_secret_value, Filters=APP, NextToken="not-a-token") == (
        "InvalidNextTokenException",
        "The NextToken value is not valid.",
    )


def test_max_results_bound_comes_from_the_model(client: Any) -> None:
    assert error_of(client.batch_get_secret_value, Filters=APP, MaxResults=21) == (
        "ValidationException",
        "1 validation error detected: Value '21' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 20",
    )


def test_an_unknown_filter_key_comes_from_the_model(client: Any) -> None:
    assert error_of(
        client.batch_get_secret_value, Filters=[{"Key": "colour", "Values": ["red"]}]
    ) == (
        "ValidationException",
        "1 validation error detected: Value 'colour' at 'filters.1.member.key' failed to "
        "satisfy constraint: Member must satisfy enum value set: [description, name, tag-key, "
        "tag-value, primary-region, owning-service, all]",
    )


# -- selector errors ----------------------------------------------------------------------------


def test_neither_selector(client: Any) -> None:
    assert error_of(client.batch_get_secret_value) == ("InvalidParameterException", ONE_SELECTOR)


def test_both_selectors(client: Any, apps: list[str]) -> None:
    assert error_of(client.batch_get_secret_value, SecretIdList=["app/0"], Filters=APP) == (
        "InvalidParameterException",
        ONE_SELECTOR,
    )


def test_max_results_without_filters(client: Any, apps: list[str]) -> None:
    assert error_of(client.batch_get_secret_value, SecretIdList=["app/0"], MaxResults=5) == (
        "InvalidParameterException",
        MAX_WITHOUT_FILTERS,
    )
    assert error_of(client.batch_get_secret_value, MaxResults=5) == (
        "InvalidParameterException",
        ONE_SELECTOR,
    )
