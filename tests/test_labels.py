"""Staging labels and deprecated versions through a real boto3 client."""

from __future__ import annotations

import datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from smmock import SecretsBackend

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)  # the `frozen` fixture
V1 = "11111111-1111-1111-1111-111111111111"
V2 = "22222222-2222-2222-2222-222222222222"
V3 = "33333333-3333-3333-3333-333333333333"
V4 = "44444444-4444-4444-4444-444444444444"
UNKNOWN = "99999999-9999-9999-9999-999999999999"


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    err = exc.value.response["Error"]
    return err["Code"], err["Message"]


def stages(client: Any, secret_id: str = "n") -> dict[str, list[str]]:
    """VersionIdsToStages as DescribeSecret shows it (labelled versions only)."""
    return dict(client.describe_secret(SecretId=secret_id).get("VersionIdsToStages", {}))


def all_versions(client: Any, secret_id: str = "n") -> list[tuple[str, list[str] | None]]:
    """(VersionId, VersionStages or None when omitted) of every version, oldest first."""
    versions = client.list_secret_version_ids(SecretId=secret_id, IncludeDeprecated=True)
    return [(v["VersionId"], v.get("VersionStages")) for v in versions["Versions"]]


def move(client: Any, label: str, to: str | None = None, remove: str | None = None) -> Any:
    kwargs: dict[str, Any] = {"SecretId": "n", "VersionStage": label}
    if to is not None:
        kwargs["MoveToVersionId"] = to
    if remove is not None:
        kwargs["RemoveFromVersionId"] = remove
    return client.update_secret_version_stage(**kwargs)


@pytest.fixture
def three(client: Any) -> Any:
    """Secret ``n`` with V1 (deprecated), V2 (AWSPREVIOUS), V3 (AWSCURRENT)."""
    client.create_secret(Name="n", SecretString="v1", ClientRequestToken=V1)
    client.put_secret_value(SecretId="n", SecretString="v2", ClientRequestToken=V2)
    client.put_secret_value(SecretId="n", SecretString="v3", ClientRequestToken=V3)
    return client


# -- AWSCURRENT / AWSPREVIOUS -------------------------------------------------------------------


def test_awscurrent_is_on_exactly_one_version_and_awsprevious_follows(three: Any) -> None:
    assert all_versions(three) == [(V1, None), (V2, ["AWSPREVIOUS"]), (V3, ["AWSCURRENT"])]
    three.update_secret(SecretId="n", SecretString="v4", ClientRequestToken=V4)
    assert all_versions(three) == [
        (V1, None),
        (V2, None),
        (V3, ["AWSPREVIOUS"]),
        (V4, ["AWSCURRENT"]),
    ]


def test_custom_labels_survive_awscurrent_moves(three: Any) -> None:
    move(three, "blue", to=V3)
    move(three, "green", to=V2)
    three.put_secret_value(SecretId="n", SecretString="v4", ClientRequestToken=V4)
    assert stages(three) == {
        V2: ["green"],
        V3: ["blue", "AWSPREVIOUS"],
        V4: ["AWSCURRENT"],
    }


def test_a_label_lives_on_one_version(three: Any) -> None:
    three.put_secret_value(
        SecretId="n", SecretString="v4", ClientRequestToken=V4, VersionStages=["blue", "AWSCURRENT"]
    )
    assert stages(three) == {V3: ["AWSPREVIOUS"], V4: ["blue", "AWSCURRENT"]}
    # PutSecretValue moves a listed label without RemoveFromVersionId.
    out = three.put_secret_value(
        SecretId="n", SecretString="v5", ClientRequestToken=UNKNOWN, VersionStages=["blue"]
    )
    assert out["VersionStages"] == ["blue"]
    assert stages(three) == {V3: ["AWSPREVIOUS"], V4: ["AWSCURRENT"], UNKNOWN: ["blue"]}


def test_put_awsprevious_explicitly_takes_it_from_its_holder(three: Any) -> None:
    three.put_secret_value(
        SecretId="n", SecretString="v4", ClientRequestToken=V4, VersionStages=["AWSPREVIOUS"]
    )
    assert stages(three) == {V3: ["AWSCURRENT"], V4: ["AWSPREVIOUS"]}


# -- AWSPENDING ---------------------------------------------------------------------------------


def test_awspending_is_dropped_when_its_version_loses_awscurrent(three: Any) -> None:
    # A finished rotation: the new current still carries AWSPENDING.
    move(three, "AWSPENDING", to=V3)
    assert stages(three) == {V2: ["AWSPREVIOUS"], V3: ["AWSCURRENT", "AWSPENDING"]}
    three.put_secret_value(SecretId="n", SecretString="v4", ClientRequestToken=V4)
    assert stages(three) == {V3: ["AWSPREVIOUS"], V4: ["AWSCURRENT"]}
    with pytest.raises(three.exceptions.ResourceNotFoundException):
        three.get_secret_value(SecretId="n", VersionStage="AWSPENDING")


def test_awspending_is_dropped_on_update_secret_too(three: Any) -> None:
    # Decision (AWS observed only for PutSecretValue): every AWSCURRENT move drops it.
    move(three, "AWSPENDING", to=V3)
    three.update_secret(SecretId="n", SecretString="v4", ClientRequestToken=V4)
    assert stages(three) == {V3: ["AWSPREVIOUS"], V4: ["AWSCURRENT"]}


def test_awspending_is_dropped_on_update_secret_version_stage_too(three: Any) -> None:
    move(three, "AWSPENDING", to=V3)
    move(three, "AWSCURRENT", to=V1, remove=V3)
    assert stages(three) == {V1: ["AWSCURRENT"], V3: ["AWSPREVIOUS"]}


def test_rotation_style_finish_keeps_awspending_on_the_new_current(three: Any) -> None:
    three.put_secret_value(
        SecretId="n", SecretString="v4", ClientRequestToken=V4, VersionStages=["AWSPENDING"]
    )
    assert stages(three) == {V2: ["AWSPREVIOUS"], V3: ["AWSCURRENT"], V4: ["AWSPENDING"]}
    move(three, "AWSCURRENT", to=V4, remove=V3)
    assert stages(three) == {V3: ["AWSPREVIOUS"], V4: ["AWSPENDING", "AWSCURRENT"]}
    assert three.get_secret_value(SecretId="n")["SecretString"] == "v4"


# -- UpdateSecretVersionStage -------------------------------------------------------------------


def test_move_to_only_attaches_a_free_label(three: Any) -> None:
    out = move(three, "blue", to=V1)
    assert set(out) - {"ResponseMetadata"} == {"ARN", "Name"}
    assert out["Name"] == "n"
    assert stages(three) == {V1: ["blue"], V2: ["AWSPREVIOUS"], V3: ["AWSCURRENT"]}
    assert three.get_secret_value(SecretId="n", VersionStage="blue")["SecretString"] == "v1"


def test_move_to_its_holder_is_a_no_op(three: Any) -> None:
    move(three, "AWSCURRENT", to=V3)
    assert stages(three) == {V2: ["AWSPREVIOUS"], V3: ["AWSCURRENT"]}


def test_move_to_only_of_a_held_label_needs_remove_from(three: Any) -> None:
    for label, holder in (("AWSCURRENT", V3), ("AWSPREVIOUS", V2)):
        with pytest.raises(three.exceptions.InvalidParameterException) as exc:
            move(three, label, to=V1)
        assert error(exc) == (
            "InvalidParameterException",
            f"The parameter RemoveFromVersionId can't be empty. Staging label {label} is "
            f"currently attached to version {holder}, so you must explicitly reference that "
            "version in RemoveFromVersionId.",
        )
    assert stages(three) == {V2: ["AWSPREVIOUS"], V3: ["AWSCURRENT"]}


def test_move_awscurrent_with_remove_from(three: Any) -> None:
    move(three, "blue", to=V1)
    move(three, "AWSCURRENT", to=V1, remove=V3)
    assert all_versions(three) == [
        (V1, ["blue", "AWSCURRENT"]),
        (V2, None),
        (V3, ["AWSPREVIOUS"]),
    ]
    assert three.get_secret_value(SecretId="n")["SecretString"] == "v1"


def test_roll_back_to_awsprevious_swaps_the_two_labels(three: Any) -> None:
    move(three, "AWSCURRENT", to=V2, remove=V3)
    assert all_versions(three) == [(V1, None), (V2, ["AWSCURRENT"]), (V3, ["AWSPREVIOUS"])]
    assert three.get_secret_value(SecretId="n")["SecretString"] == "v2"


def test_move_custom_label_with_remove_from(three: Any) -> None:
    move(three, "blue", to=V1)
    move(three, "blue", to=V2, remove=V1)
    assert stages(three) == {V2: ["AWSPREVIOUS", "blue"], V3: ["AWSCURRENT"]}


def test_remove_from_only_detaches(three: Any) -> None:
    move(three, "AWSPREVIOUS", remove=V2)
    assert all_versions(three) == [(V1, None), (V2, None), (V3, ["AWSCURRENT"])]


def test_remove_awscurrent_without_a_destination_is_refused(three: Any) -> None:
    # Decision (unconfirmed): AWSCURRENT cannot be left on no version.
    with pytest.raises(three.exceptions.InvalidParameterException) as exc:
        move(three, "AWSCURRENT", remove=V3)
    assert error(exc) == (
        "InvalidParameterException",
        "You can only move staging label AWSCURRENT to a different secret version. It "
        "can\u2019t be completely removed.",
    )
    assert stages(three) == {V2: ["AWSPREVIOUS"], V3: ["AWSCURRENT"]}


@pytest.mark.parametrize(
    ("to", "remove", "message"),
    [
        # Decisions (unconfirmed texts).
        (None, None, "You must specify MoveToVersionId, RemoveFromVersionId, or both."),
        (
            None,
            V1,
            "The staging label AWSPREVIOUS is not attached to version "
            f"{V1}, so you can't remove it from that version.",
        ),
        (
            V1,
            V3,
            "The staging label AWSPREVIOUS is not attached to version "
            f"{V3}, so you can't remove it from that version.",
        ),
        (None, UNKNOWN, f"Secrets Manager can't find the specified secret version: {UNKNOWN}."),
        (UNKNOWN, V2, f"Secrets Manager can't find the specified secret version: {UNKNOWN}."),
    ],
)
def test_update_secret_version_stage_errors(
    three: Any, to: str | None, remove: str | None, message: str
) -> None:
    before = all_versions(three)
    with pytest.raises(three.exceptions.InvalidParameterException) as exc:
        move(three, "AWSPREVIOUS", to=to, remove=remove)
    assert error(exc) == ("InvalidParameterException", message)
    assert all_versions(three) == before


def test_update_secret_version_stage_of_unknown_secret(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.update_secret_version_stage(SecretId="nope", VersionStage="x", MoveToVersionId=V1)
    assert error(exc) == (
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.",
    )


def test_label_changes_bump_last_changed_date(client: Any, frozen: Any) -> None:
    # Decision (unconfirmed): a label change is a modification of the secret.
    client.create_secret(Name="n", SecretString="v1", ClientRequestToken=V1)
    frozen.tick(30)
    move(client, "blue", to=V1)
    assert client.describe_secret(SecretId="n")["LastChangedDate"] == T0 + datetime.timedelta(
        seconds=30
    )


# -- deprecated versions ------------------------------------------------------------------------


def test_deprecated_versions_are_hidden_unless_include_deprecated(three: Any) -> None:
    listed = three.list_secret_version_ids(SecretId="n")["Versions"]
    assert [v["VersionId"] for v in listed] == [V2, V3]
    listed = three.list_secret_version_ids(SecretId="n", IncludeDeprecated=False)["Versions"]
    assert [v["VersionId"] for v in listed] == [V2, V3]
    assert V1 not in stages(three)
    assert V1 not in three.list_secrets()["SecretList"][0]["SecretVersionsToStages"]


def test_deprecated_version_is_still_readable_by_id(three: Any) -> None:
    out = three.get_secret_value(SecretId="n", VersionId=V1)
    assert (out["VersionId"], out["SecretString"]) == (V1, "v1")
    # Decision (unconfirmed): VersionStages is omitted, as the model's min 1 implies.
    assert "VersionStages" not in out


def test_deprecate_by_removing_awsprevious(three: Any) -> None:
    move(three, "AWSPREVIOUS", remove=V2)
    listed = three.list_secret_version_ids(SecretId="n")["Versions"]
    assert [v["VersionId"] for v in listed] == [V3]
    assert all_versions(three) == [(V1, None), (V2, None), (V3, ["AWSCURRENT"])]
    assert three.get_secret_value(SecretId="n", VersionId=V2)["SecretString"] == "v2"


def test_a_deprecated_version_can_be_labelled_again(three: Any) -> None:
    move(three, "AWSCURRENT", to=V1, remove=V3)
    assert all_versions(three) == [(V1, ["AWSCURRENT"]), (V2, None), (V3, ["AWSPREVIOUS"])]


def test_include_deprecated_pages(client: Any, backend: SecretsBackend) -> None:
    backend.create_secret("n", "v1", version_id=V1)
    for version_id in (V2, V3, V4):
        backend.put_secret_value("n", version_id, version_id=version_id)
    first = client.list_secret_version_ids(SecretId="n", IncludeDeprecated=True, MaxResults=3)
    assert [v["VersionId"] for v in first["Versions"]] == [V1, V2, V3]
    second = client.list_secret_version_ids(
        SecretId="n", IncludeDeprecated=True, MaxResults=3, NextToken=first["NextToken"]
    )
    assert [v["VersionId"] for v in second["Versions"]] == [V4]
    assert "NextToken" not in second


# -- version quota through boto3 ----------------------------------------------------------------


def test_version_quota(client: Any, frozen: Any) -> None:
    client.create_secret(Name="n", SecretString="v", ClientRequestToken=f"{0:036d}")
    for n in range(1, 100):
        client.put_secret_value(SecretId="n", SecretString="v", ClientRequestToken=f"{n:036d}")
    with pytest.raises(client.exceptions.LimitExceededException) as exc:
        client.put_secret_value(SecretId="n", SecretString="v", ClientRequestToken=f"{100:036d}")
    assert error(exc) == (
        "LimitExceededException",
        "You can't create more than 100 versions of a secret while none of its deprecated "
        "versions is older than 24 hours.",
    )
    frozen.tick(datetime.timedelta(hours=24))
    client.put_secret_value(SecretId="n", SecretString="v", ClientRequestToken=f"{100:036d}")
    listed = client.list_secret_version_ids(SecretId="n", IncludeDeprecated=True)["Versions"]
    assert len(listed) == 100
    assert listed[0]["VersionId"] == f"{1:036d}"
    with pytest.raises(client.exceptions.InvalidRequestException) as exc:
        client.get_secret_value(SecretId="n", VersionId=f"{0:036d}")
    assert error(exc) == (
        "InvalidRequestException",
        f"You can't perform this operation on secret version {0:036d} because it was deleted.",
    )


def test_at_most_20_staging_labels_per_secret(client: Any) -> None:
    # botocore retries LimitExceededException as throttling, with real sleeps.
    client = boto3.client(
        "secretsmanager", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
    )
    client.create_secret(Name="many", SecretString="v0")
    for n in range(19):
        client.put_secret_value(SecretId="many", SecretString=f"v{n}", VersionStages=[f"L{n}"])
    before = client.describe_secret(SecretId="many")["VersionIdsToStages"]
    assert sum(len(labels) for labels in before.values()) == 20
    message = "A secret can have at most 20 staging labels across its versions; it has 20."
    with pytest.raises(ClientError) as put:
        client.put_secret_value(SecretId="many", SecretString="x", VersionStages=["L20"])
    assert put.value.response["Error"]["Code"] == "LimitExceededException"
    assert put.value.response["Error"]["Message"] == message
    some_version = next(iter(before))
    with pytest.raises(ClientError) as moved:
        client.update_secret_version_stage(
            SecretId="many", VersionStage="L20", MoveToVersionId=some_version
        )
    assert moved.value.response["Error"]["Message"] == message
    # Moving a label that exists is fine at the quota.
    client.put_secret_value(SecretId="many", SecretString="y", VersionStages=["L0"])
    assert client.describe_secret(SecretId="many")["VersionIdsToStages"] != before


def test_the_label_quota_counts_labels_aws_adds_itself(
    client: Any, backend: SecretsBackend
) -> None:
    # botocore retries LimitExceededException as throttling, with real sleeps.
    client = boto3.client(
        "secretsmanager", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
    )
    message = "A secret can have at most 20 staging labels across its versions; it has "
    # The first value always gets AWSCURRENT as well: 20 custom labels make 21.
    client.create_secret(Name="first")
    with pytest.raises(ClientError) as first:
        client.put_secret_value(
            SecretId="first", SecretString="v", VersionStages=[f"L{n}" for n in range(20)]
        )
    assert first.value.response["Error"]["Message"] == message + "0."
    assert backend.labels("first") == {}
    # Moving AWSCURRENT creates AWSPREVIOUS: UpdateSecret at 20 labels would make 21.
    client.create_secret(Name="full", SecretString="v0")
    current = backend.labels("full")["AWSCURRENT"]
    for n in range(19):
        client.update_secret_version_stage(
            SecretId="full", VersionStage=f"L{n}", MoveToVersionId=current
        )
    before = client.describe_secret(SecretId="full")["VersionIdsToStages"]
    with pytest.raises(ClientError) as update:
        client.update_secret(SecretId="full", SecretString="v1")
    assert update.value.response["Error"]["Code"] == "LimitExceededException"
    assert update.value.response["Error"]["Message"] == message + "20."
    assert client.describe_secret(SecretId="full")["VersionIdsToStages"] == before
    assert (
        len(client.list_secret_version_ids(SecretId="full", IncludeDeprecated=True)["Versions"])
        == 1
    )
