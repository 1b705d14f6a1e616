"""ListSecrets through a boto3 client: every filter key, negation, sorting and paging."""

from __future__ import annotations

import base64
import datetime
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

from smmock.backend import SecretsBackend

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)  # the `frozen` fixture
BAD_TOKEN = ("InvalidNextTokenException", "The NextToken value is not valid.")


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    error = info.value.response["Error"]
    return error["Code"], error["Message"]


def listed(client: Any, *filters: tuple[str, list[str]], **kwargs: Any) -> list[str]:
    if filters:
        kwargs["Filters"] = [{"Key": key, "Values": values} for key, values in filters]
    return [entry["Name"] for entry in client.list_secrets(**kwargs)["SecretList"]]


@pytest.fixture
def catalogue(client: Any, backend: SecretsBackend) -> None:
    """Secrets with names, descriptions and tags that tell the filter rules apart."""

    def make(name: str, description: str | None = None, **tags: str) -> None:
        kwargs: dict[str, Any] = {"Name": name, "SecretString": "v"}
        if description is not None:
            kwargs["Description"] = description
        if tags:
            kwargs["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        client.create_secret(**kwargs)

    make("/prod/db", "Primary Postgres password", Team="data", env="prod")
    make("/prod/api-key", "API key for the billing service", team="billing", env="prod")
    make("dev/db", "postgres for developers", Team="data", env="dev")
    make("Prod-legacy", "an old secret", owner="ops")
    make("COMPANYthings", "company wide settings")
    backend.get_secret("Prod-legacy").owning_service = "rds"  # made by another service


# -- one key at a time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["/prod"], ["/prod/db", "/prod/api-key"]),
        (["/"], ["/prod/db", "/prod/api-key"]),
        (["prod"], []),  # prefix of the whole name, not of a word
        (["Prod"], ["Prod-legacy"]),  # case-sensitive
        (["/prod/db", "dev"], ["/prod/db", "dev/db"]),  # values OR (unconfirmed)
        (["/prod db"], []),  # a value with a space matches no name
    ],
)
def test_name(client: Any, catalogue: None, values: list[str], expected: list[str]) -> None:
    assert listed(client, ("name", values)) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["postgres"], ["/prod/db", "dev/db"]),  # case-insensitive
        (["pass"], ["/prod/db"]),  # prefix of a word
        (["gres"], []),  # not inside a word
        (["billing serv"], ["/prod/api-key"]),  # every word prefixes some word
        (["old company"], []),
        (["OLD"], ["Prod-legacy"]),
    ],
)
def test_description(client: Any, catalogue: None, values: list[str], expected: list[str]) -> None:
    assert listed(client, ("description", values)) == expected


def test_tag_key_and_tag_value(client: Any, catalogue: None) -> None:
    assert listed(client, ("tag-key", ["Team"])) == ["/prod/db", "dev/db"]
    assert listed(client, ("tag-key", ["team"])) == ["/prod/api-key"]
    assert listed(client, ("tag-key", ["own"])) == ["Prod-legacy"]
    assert listed(client, ("tag-value", ["prod"])) == ["/prod/db", "/prod/api-key"]
    assert listed(client, ("tag-value", ["d"])) == ["/prod/db", "dev/db"]  # "data", "dev"
    assert listed(client, ("tag-value", ["Data"])) == []


def test_owning_service(client: Any, catalogue: None) -> None:
    assert listed(client, ("owning-service", ["rds"])) == ["Prod-legacy"]
    assert listed(client, ("owning-service", ["r"])) == ["Prod-legacy"]
    assert listed(client, ("owning-service", ["RDS"])) == []
    assert listed(client, ("owning-service", ["!rds"])) == [
        "/prod/db",
        "/prod/api-key",
        "dev/db",
        "COMPANYthings",
    ]


def test_primary_region(client: Any, backend: SecretsBackend) -> None:
    client.create_secret(Name="replicated", SecretString="v")
    client.create_secret(Name="local", SecretString="v")
    client.replicate_secret_to_regions(
        SecretId="replicated", AddReplicaRegions=[{"Region": "eu-west-1"}]
    )
    assert listed(client, ("primary-region", ["us-east-1"])) == ["replicated"]
    assert listed(client, ("primary-region", ["us-"])) == ["replicated"]
    assert listed(client, ("primary-region", ["eu-"])) == []
    eu = boto3.client("secretsmanager", region_name="eu-west-1")
    assert listed(eu, ("primary-region", ["us-east"])) == ["replicated"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["data"], ["/prod/db", "dev/db"]),  # a tag value
        (["team"], ["/prod/db", "/prod/api-key", "dev/db"]),  # tag keys, any case
        (["api"], ["/prod/api-key"]),  # a word of the name
        (["postgres"], ["/prod/db", "dev/db"]),  # a word of the description
        (["company"], ["COMPANYthings"]),  # description word...
        (["ythings"], ["COMPANYthings"]),  # ...and AWS's case split of the name
        (["ret"], []),  # no word starts with it
        (["prod billing"], ["/prod/api-key"]),  # words from different fields
    ],
)
def test_all(client: Any, catalogue: None, values: list[str], expected: list[str]) -> None:
    assert listed(client, ("all", values)) == expected


def test_all_splits_where_letters_and_digits_meet(client: Any) -> None:
    client.create_secret(Name="db892", SecretString="v")
    client.create_secret(Name="app", Description="replica 2east", SecretString="v")
    client.create_secret(Name="db-other", SecretString="v")
    assert listed(client, ("all", ["892"])) == ["db892"]
    assert listed(client, ("all", ["db"])) == ["db892", "db-other"]
    assert listed(client, ("all", ["db892"])) == ["db892"]  # both of its words
    assert listed(client, ("all", ["east"])) == ["app"]
    assert listed(client, ("description", ["2"])) == ["app"]
    assert listed(client, ("all", ["b892"])) == []  # "b" begins no word
    assert listed(client, ("name", ["892"])) == []  # name stays a whole-name prefix


# -- negation and combination ------------------------------------------------------------------


def test_a_leading_bang_negates(client: Any, catalogue: None) -> None:
    assert listed(client, ("name", ["!/"])) == ["dev/db", "Prod-legacy", "COMPANYthings"]
    assert listed(client, ("description", ["!postgres"])) == [
        "/prod/api-key",
        "Prod-legacy",
        "COMPANYthings",
    ]
    # An untagged secret has no key starting with "Team", so "!Team" keeps it.
    assert listed(client, ("tag-key", ["!Team"])) == [
        "/prod/api-key",
        "Prod-legacy",
        "COMPANYthings",
    ]


def test_filters_and_together(client: Any, catalogue: None) -> None:
    assert listed(client, ("name", ["/prod"]), ("tag-key", ["Team"])) == ["/prod/db"]
    assert listed(client, ("tag-value", ["d"]), ("name", ["!/"])) == ["dev/db"]
    # A repeated key ANDs as well.
    assert listed(client, ("all", ["postgres"]), ("all", ["dev"])) == ["dev/db"]
    assert listed(client, ("name", ["/prod"]), ("name", ["dev"])) == []


def test_filters_with_planned_deletion(client: Any, catalogue: None) -> None:
    client.delete_secret(SecretId="dev/db")
    assert listed(client, ("tag-key", ["Team"])) == ["/prod/db"]
    assert listed(client, ("tag-key", ["Team"]), IncludePlannedDeletion=True) == [
        "/prod/db",
        "dev/db",
    ]


# -- filter errors -------------------------------------------------------------------------------


def test_filter_values_missing(client: Any) -> None:
    assert error_of(client.list_secrets, Filters=[{"Key": "name"}]) == (
        "InvalidParameterException",
        "Invalid filter values for key: name",
    )


def test_filter_key_missing(client: Any) -> None:
    assert error_of(client.list_secrets, Filters=[{"Values": ["x"]}]) == (
        "InvalidParameterException",
        "Invalid filter key",
    )


def test_filter_constraints_come_from_the_model(client: Any) -> None:
    assert error_of(client.list_secrets, Filters=[{"Key": "colour", "Values": ["red"]}]) == (
        "ValidationException",
        "1 validation error detected: Value 'colour' at 'filters.1.member.key' failed to "
        "satisfy constraint: Member must satisfy enum value set: [description, name, tag-key, "
        "tag-value, primary-region, owning-service, all]",
    )
    assert error_of(client.list_secrets, Filters=[{"Key": "name", "Values": ["a*b"]}]) == (
        "ValidationException",
        "1 validation error detected: Value 'a*b' at 'filters.1.member.values.1.member' failed "
        "to satisfy constraint: Member must satisfy regular expression pattern: "
        "^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$",
    )
    values = [str(i) for i in range(11)]
    assert error_of(client.list_secrets, Filters=[{"Key": "name", "Values": values}]) == (
        "ValidationException",
        f"1 validation error detected: Value '[{', '.join(values)}]' at "
        "'filters.1.member.values' failed to satisfy constraint: Member must have length less "
        "than or equal to 10",
    )


# -- sorting -----------------------------------------------------------------------------------


@pytest.fixture
def timeline(client: Any, frozen: Any) -> None:
    """b, c, a created a minute apart; a changed last; reads of c then b on later days."""
    for name in ("b", "c", "a"):
        client.create_secret(Name=name, SecretString="v")
        frozen.tick(60)
    client.update_secret(SecretId="b", Description="changed first")
    frozen.tick(60)
    client.update_secret(SecretId="a", Description="changed last")
    frozen.tick(datetime.timedelta(days=1))
    client.get_secret_value(SecretId="c")
    frozen.tick(datetime.timedelta(days=1))
    client.get_secret_value(SecretId="b")


@pytest.mark.parametrize(
    ("sort_by", "ascending"),
    [
        (None, ["b", "c", "a"]),  # default: creation order
        ("created-date", ["b", "c", "a"]),
        ("name", ["a", "b", "c"]),
        ("last-changed-date", ["c", "b", "a"]),
        # Never read sorts as oldest (decision, unconfirmed).
        ("last-accessed-date", ["a", "c", "b"]),
    ],
)
def test_sort_by_and_order(
    client: Any, timeline: None, sort_by: str | None, ascending: list[str]
) -> None:
    kwargs = {} if sort_by is None else {"SortBy": sort_by}
    assert listed(client, **kwargs) == ascending
    assert listed(client, SortOrder="asc", **kwargs) == ascending
    assert listed(client, SortOrder="desc", **kwargs) == ascending[::-1]


def test_the_timeline_dates(client: Any, timeline: None) -> None:
    entries = {e["Name"]: e for e in client.list_secrets()["SecretList"]}
    assert entries["b"]["CreatedDate"] == T0
    assert entries["a"]["CreatedDate"] == T0 + datetime.timedelta(seconds=120)
    assert entries["a"]["LastChangedDate"] == T0 + datetime.timedelta(seconds=240)
    assert entries["c"]["LastAccessedDate"] == datetime.datetime(2024, 3, 11, tzinfo=UTC)
    assert entries["b"]["LastAccessedDate"] == datetime.datetime(2024, 3, 12, tzinfo=UTC)
    assert "LastAccessedDate" not in entries["a"]


def test_name_sort_is_by_code_point(client: Any) -> None:
    # Decision (unconfirmed): plain string order, upper case before lower case.
    for name in ("b", "B", "a", "_x", "A"):
        client.create_secret(Name=name)
    assert listed(client, SortBy="name") == ["A", "B", "_x", "a", "b"]


def test_sort_values_come_from_the_model(client: Any) -> None:
    assert error_of(client.list_secrets, SortBy="size") == (
        "ValidationException",
        "1 validation error detected: Value 'size' at 'sortBy' failed to satisfy constraint: "
        "Member must satisfy enum value set: [created-date, last-accessed-date, "
        "last-changed-date, name]",
    )
    assert error_of(client.list_secrets, SortOrder="up") == (
        "ValidationException",
        "1 validation error detected: Value 'up' at 'sortOrder' failed to satisfy constraint: "
        "Member must satisfy enum value set: [asc, desc]",
    )


# -- MaxResults and NextToken -------------------------------------------------------------------


def test_max_results_bounds(client: Any, backend: SecretsBackend) -> None:
    raw = boto3.client(
        "secretsmanager", region_name="us-east-1", config=Config(parameter_validation=False)
    )
    assert error_of(raw.list_secrets, MaxResults=0) == (
        "ValidationException",
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1",
    )
    assert error_of(client.list_secrets, MaxResults=101) == (
        "ValidationException",
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 100",
    )
    # botocore itself refuses 0 before sending (it checks min bounds).
    with pytest.raises(ParamValidationError):
        client.list_secrets(MaxResults=0)


def test_max_results_edges(client: Any, backend: SecretsBackend) -> None:
    for i in range(3):
        backend.create_secret(f"s{i}", "v")
    one = client.list_secrets(MaxResults=1)
    assert [e["Name"] for e in one["SecretList"]] == ["s0"]
    assert "NextToken" in one
    assert listed(client, MaxResults=100) == ["s0", "s1", "s2"]


def test_next_token_is_opaque_and_pages_resume(client: Any, backend: SecretsBackend) -> None:
    for i in range(5):
        backend.create_secret(f"secret-{i}", "v")
    first = client.list_secrets(MaxResults=2)
    token = first["NextToken"]
    assert isinstance(token, str)
    assert "secret" not in token
    assert "secret" not in base64.urlsafe_b64decode(token + "==").decode(errors="replace")
    second = client.list_secrets(MaxResults=2, NextToken=token)
    third = client.list_secrets(MaxResults=2, NextToken=second["NextToken"])
    pages = [first, second, third]
    assert [[e["Name"] for e in p["SecretList"]] for p in pages] == [
        ["secret-0", "secret-1"],
        ["secret-2", "secret-3"],
        ["secret-4"],
    ]
    assert "NextToken" not in third


@pytest.mark.parametrize("token", ["garbage", "c21tb2NrOjk5OTo1", "", "x" * 4096])
def test_an_unknown_next_token(client: Any, backend: SecretsBackend, token: str) -> None:
    backend.create_secret("s", "v")
    if not token:
        # botocore refuses an empty string (min length 1) before sending it.
        with pytest.raises(ParamValidationError):
            client.list_secrets(NextToken=token)
        return
    assert error_of(client.list_secrets, NextToken=token) == BAD_TOKEN


def test_a_next_token_of_another_listing_is_refused(client: Any, backend: SecretsBackend) -> None:
    backend.create_secret("s", "v")
    for _ in range(3):
        backend.put_secret_value("s", "w", version_stages=["AWSCURRENT"])
    versions = client.list_secret_version_ids(SecretId="s", MaxResults=1, IncludeDeprecated=True)
    assert error_of(client.list_secrets, NextToken=versions["NextToken"]) == BAD_TOKEN


def test_paging_through_1050_secrets_returns_each_once_in_order(
    client: Any, backend: SecretsBackend
) -> None:
    names = [f"app/{i:04}" for i in range(1050)]
    for name in names:
        backend.create_secret(name, "v")
    seen: list[str] = []
    pages = 0
    kwargs: dict[str, Any] = {}
    while True:
        page = client.list_secrets(**kwargs)
        pages += 1
        seen += [entry["Name"] for entry in page["SecretList"]]
        if "NextToken" not in page:
            break
        assert len(page["SecretList"]) == 100  # smmock fills every page (decision)
        kwargs["NextToken"] = page["NextToken"]
    assert pages == 11
    assert seen == names
    # boto3's paginator walks the same pages, at any page size the model allows.
    paginated = [
        entry["Name"]
        for page in client.get_paginator("list_secrets").paginate(PaginationConfig={"PageSize": 73})
        for entry in page["SecretList"]
    ]
    assert paginated == names


def test_paging_with_filters_and_sorting(client: Any, backend: SecretsBackend) -> None:
    for i in range(30):
        backend.create_secret(f"{'keep' if i % 3 else 'drop'}-{i:02}", "v")
    kept = sorted(f"keep-{i:02}" for i in range(30) if i % 3)
    seen: list[str] = []
    kwargs: dict[str, Any] = {
        "Filters": [{"Key": "name", "Values": ["keep"]}],
        "SortBy": "name",
        "SortOrder": "desc",
        "MaxResults": 7,
    }
    while True:
        page = client.list_secrets(**kwargs)
        seen += [entry["Name"] for entry in page["SecretList"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == kept[::-1]


def test_a_next_token_only_resumes_the_listing_that_issued_it(
    client: Any, backend: SecretsBackend
) -> None:
    for n in range(3):
        backend.create_secret(f"s{n}", "v")
    token = client.list_secrets(MaxResults=1)["NextToken"]
    invalid = ("InvalidNextTokenException", "The NextToken value is not valid.")
    with pytest.raises(ClientError) as batch:
        client.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["zzz"]}], NextToken=token)
    with pytest.raises(ClientError) as other_filters:
        client.list_secrets(Filters=[{"Key": "name", "Values": ["s"]}], NextToken=token)
    with pytest.raises(ClientError) as other_order:
        client.list_secrets(SortOrder="desc", NextToken=token)
    for caught in (batch, other_filters, other_order):
        error = caught.value.response["Error"]
        assert (error["Code"], error["Message"]) == invalid
    assert [s["Name"] for s in client.list_secrets(NextToken=token)["SecretList"]] == ["s1", "s2"]
