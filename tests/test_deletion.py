"""The deletion lifecycle through a real boto3 client: schedule, refuse, restore, purge."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from smmock import SecretsBackend

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)  # the `frozen` fixture
DAY = datetime.timedelta(days=1)
TICK = datetime.timedelta(microseconds=1)
ACCOUNT = "123456789012"
PREFIX = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:"
V1 = "11111111-1111-1111-1111-111111111111"
V2 = "22222222-2222-2222-2222-222222222222"
NOT_FOUND = "Secrets Manager can't find the specified secret."
MARKED = "You can't perform this operation on the secret because it was marked for deletion."
WINDOW = "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
FORCE_AND_WINDOW = (
    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
)
NAME_SCHEDULED = (
    "You can't create this secret because a secret with this name is already scheduled for "
    "deletion."
)


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    err = exc.value.response["Error"]
    return err["Code"], err["Message"]


def snapshot(client: Any, secret_id: str = "n") -> tuple[Any, Any]:
    described = client.describe_secret(SecretId=secret_id)
    versions = client.list_secret_version_ids(SecretId=secret_id, IncludeDeprecated=True)
    del described["ResponseMetadata"], versions["ResponseMetadata"]
    return described, versions


def names(client: Any, **kwargs: Any) -> list[str]:
    return [s["Name"] for s in client.list_secrets(**kwargs)["SecretList"]]


@pytest.fixture
def live(client: Any, frozen: Any) -> Any:
    """Secret ``n`` with V1 (AWSPREVIOUS) and V2 (AWSCURRENT), created at T0."""
    client.create_secret(Name="n", SecretString="v1", ClientRequestToken=V1)
    client.put_secret_value(SecretId="n", SecretString="v2", ClientRequestToken=V2)
    return client


@pytest.fixture
def scheduled(live: Any, frozen: Any) -> Any:
    """``live``, scheduled for deletion at T0 + 1 h with a 7-day window."""
    frozen.tick(3600)
    live.delete_secret(SecretId="n", RecoveryWindowInDays=7)
    return live


# -- DeleteSecret parameters -----------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 1, 6, 31, 365, -1])
def test_window_out_of_range(live: Any, days: int) -> None:
    before = snapshot(live)
    with pytest.raises(live.exceptions.InvalidParameterException) as exc:
        live.delete_secret(SecretId="n", RecoveryWindowInDays=days)
    assert error(exc) == ("InvalidParameterException", WINDOW)
    assert snapshot(live) == before


@pytest.mark.parametrize("days", [0, 6, 31])
def test_window_range_is_checked_before_the_force_conflict(live: Any, days: int) -> None:
    with pytest.raises(live.exceptions.InvalidParameterException) as exc:
        live.delete_secret(SecretId="n", RecoveryWindowInDays=days, ForceDeleteWithoutRecovery=True)
    assert error(exc) == ("InvalidParameterException", WINDOW)


def test_force_with_a_valid_window_is_refused(live: Any) -> None:
    before = snapshot(live)
    with pytest.raises(live.exceptions.InvalidParameterException) as exc:
        live.delete_secret(SecretId="n", RecoveryWindowInDays=7, ForceDeleteWithoutRecovery=True)
    # Decision: message unconfirmed in AWS.
    assert error(exc) == ("InvalidParameterException", FORCE_AND_WINDOW)
    assert snapshot(live) == before


def test_window_is_checked_before_the_secret_is_looked_up(client: Any) -> None:
    with pytest.raises(client.exceptions.InvalidParameterException) as exc:
        client.delete_secret(SecretId="nope", RecoveryWindowInDays=6)
    assert error(exc) == ("InvalidParameterException", WINDOW)


@pytest.mark.parametrize(("days", "expected"), [(7, 7), (30, 30), (None, 30), (12, 12)])
def test_deletion_date_is_request_time_plus_window(
    live: Any, frozen: Any, days: int | None, expected: int
) -> None:
    frozen.tick(42)
    kwargs = {} if days is None else {"RecoveryWindowInDays": days}
    out = live.delete_secret(SecretId="n", **kwargs)
    arn = live.describe_secret(SecretId="n")["ARN"]
    assert (out["ARN"], out["Name"]) == (arn, "n")
    assert out["DeletionDate"] == T0 + datetime.timedelta(seconds=42) + expected * DAY


def test_plain_delete_of_unknown_secret(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.delete_secret(SecretId="nope")
    assert error(exc) == ("ResourceNotFoundException", NOT_FOUND)


def test_delete_by_arn_and_partial_arn(client: Any) -> None:
    arn = client.create_secret(Name="a")["ARN"]
    client.create_secret(Name="b")
    assert client.delete_secret(SecretId=arn)["Name"] == "a"
    assert client.delete_secret(SecretId=PREFIX + "b")["Name"] == "b"
    assert names(client, IncludePlannedDeletion=True) == ["a", "b"]


# -- force delete ----------------------------------------------------------------------------------


def test_force_delete_purges_at_once(live: Any, frozen: Any) -> None:
    arn = live.describe_secret(SecretId="n")["ARN"]
    frozen.tick(5)
    out = live.delete_secret(SecretId="n", ForceDeleteWithoutRecovery=True)
    assert (out["ARN"], out["Name"]) == (arn, "n")
    assert out["DeletionDate"] == T0 + datetime.timedelta(seconds=5)
    # Decision: AWS finishes a force delete within seconds; smmock purges immediately.
    for call in (live.describe_secret, live.get_secret_value, live.restore_secret):
        with pytest.raises(live.exceptions.ResourceNotFoundException) as exc:
            call(SecretId="n")
        assert error(exc) == ("ResourceNotFoundException", NOT_FOUND)
    assert names(live, IncludePlannedDeletion=True) == []


def test_force_delete_of_unknown_name_succeeds(client: Any, frozen: Any) -> None:
    out = client.delete_secret(SecretId="never-existed", ForceDeleteWithoutRecovery=True)
    assert out["Name"] == "never-existed"
    assert re.fullmatch(re.escape(PREFIX + "never-existed-") + "[A-Za-z0-9]{6}", out["ARN"])
    assert out["DeletionDate"] == T0


def test_force_delete_of_unknown_arn_echoes_it(client: Any) -> None:
    arn = PREFIX + "gone-AbC123"
    out = client.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
    assert (out["ARN"], out["Name"]) == (arn, "gone")


def test_force_delete_by_partial_arn_of_an_unknown_account_and_region(client: Any) -> None:
    # No store exists for that account and region: the answer still names them in order.
    partial = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:gone"
    out = client.delete_secret(SecretId=partial, ForceDeleteWithoutRecovery=True)
    assert out["Name"] == "gone"
    assert re.fullmatch(re.escape(partial + "-") + "[A-Za-z0-9]{6}", out["ARN"])


def test_force_delete_of_a_scheduled_secret(scheduled: Any, frozen: Any) -> None:
    arn = scheduled.describe_secret(SecretId="n")["ARN"]
    out = scheduled.delete_secret(SecretId="n", ForceDeleteWithoutRecovery=True)
    assert (out["ARN"], out["Name"]) == (arn, "n")
    assert out["DeletionDate"] == T0 + datetime.timedelta(hours=1)
    with pytest.raises(scheduled.exceptions.ResourceNotFoundException):
        scheduled.describe_secret(SecretId="n")


def test_force_delete_with_an_invalid_name(client: Any) -> None:
    with pytest.raises(ClientError) as exc:
        client.delete_secret(SecretId="bad name", ForceDeleteWithoutRecovery=True)
    assert error(exc) == (
        "ValidationException",
        "Invalid name. Must be a valid name containing alphanumeric characters, "
        "or any of the following: -/_+=.@!",
    )


# -- while scheduled -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("get_secret_value", {}),
        ("get_secret_value", {"VersionId": V1}),
        ("get_secret_value", {"VersionStage": "AWSPREVIOUS"}),
        ("put_secret_value", {"SecretString": "v3"}),
        # The scheduled check comes before the token check.
        ("put_secret_value", {"SecretString": "other", "ClientRequestToken": V1}),
        ("update_secret", {"SecretString": "v3"}),
        ("update_secret", {"Description": "d"}),
        ("update_secret_version_stage", {"VersionStage": "x", "MoveToVersionId": V1}),
        # Decision: AWS's text for a second plain delete is unconfirmed.
        ("delete_secret", {}),
        ("delete_secret", {"RecoveryWindowInDays": 7}),
    ],
)
def test_scheduled_secret_refuses(scheduled: Any, operation: str, kwargs: dict[str, Any]) -> None:
    before = snapshot(scheduled)
    with pytest.raises(scheduled.exceptions.InvalidRequestException) as exc:
        getattr(scheduled, operation)(SecretId="n", **kwargs)
    assert error(exc) == ("InvalidRequestException", MARKED)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert snapshot(scheduled) == before


def test_create_secret_on_a_scheduled_name(scheduled: Any) -> None:
    for kwargs in ({}, {"SecretString": "v1", "ClientRequestToken": V1}):
        with pytest.raises(scheduled.exceptions.InvalidRequestException) as exc:
            scheduled.create_secret(Name="n", **kwargs)
        assert error(exc) == ("InvalidRequestException", NAME_SCHEDULED)


def test_describe_shows_deleted_date_and_versions(scheduled: Any) -> None:
    described = scheduled.describe_secret(SecretId="n")
    assert described["DeletedDate"] == T0 + datetime.timedelta(hours=1)
    assert described["VersionIdsToStages"] == {V1: ["AWSPREVIOUS"], V2: ["AWSCURRENT"]}
    # Decision (unconfirmed): deleting is not a change of the secret.
    assert described["LastChangedDate"] == T0


def test_list_secret_version_ids_works_while_scheduled(scheduled: Any) -> None:
    # Decision (unconfirmed): the model lists no InvalidRequestException for it.
    versions = scheduled.list_secret_version_ids(SecretId="n")["Versions"]
    assert [(v["VersionId"], v["VersionStages"]) for v in versions] == [
        (V1, ["AWSPREVIOUS"]),
        (V2, ["AWSCURRENT"]),
    ]


def test_list_secrets_hides_scheduled_secrets(scheduled: Any) -> None:
    scheduled.create_secret(Name="other")
    assert names(scheduled) == ["other"]
    assert names(scheduled, IncludePlannedDeletion=False) == ["other"]
    listed = scheduled.list_secrets(IncludePlannedDeletion=True)["SecretList"]
    assert [s["Name"] for s in listed] == ["n", "other"]
    assert listed[0]["DeletedDate"] == T0 + datetime.timedelta(hours=1)
    assert "DeletedDate" not in listed[1]


def test_list_secrets_pages_skip_scheduled_secrets(client: Any, backend: SecretsBackend) -> None:
    for n in range(5):
        backend.create_secret(f"s{n}")
    client.delete_secret(SecretId="s1")
    client.delete_secret(SecretId="s3")
    first = client.list_secrets(MaxResults=2)
    assert [s["Name"] for s in first["SecretList"]] == ["s0", "s2"]
    second = client.list_secrets(MaxResults=2, NextToken=first["NextToken"])
    assert [s["Name"] for s in second["SecretList"]] == ["s4"]
    assert "NextToken" not in second


def test_list_secrets_pages_skip_secrets_purged_between_pages(client: Any, frozen: Any) -> None:
    for name in ("a", "b", "c"):
        client.create_secret(Name=name)
    client.delete_secret(SecretId="b", RecoveryWindowInDays=7)
    first = client.list_secrets(IncludePlannedDeletion=True, MaxResults=1)
    assert [s["Name"] for s in first["SecretList"]] == ["a"]
    frozen.tick(7 * DAY)
    second = client.list_secrets(IncludePlannedDeletion=True, NextToken=first["NextToken"])
    assert [s["Name"] for s in second["SecretList"]] == ["c"]


# -- RestoreSecret ---------------------------------------------------------------------------------


def test_restore_makes_the_secret_usable_again(scheduled: Any) -> None:
    before = scheduled.describe_secret(SecretId="n")
    out = scheduled.restore_secret(SecretId="n")
    assert (out["ARN"], out["Name"]) == (before["ARN"], "n")
    described = scheduled.describe_secret(SecretId="n")
    assert "DeletedDate" not in described
    assert described["VersionIdsToStages"] == before["VersionIdsToStages"]
    assert scheduled.get_secret_value(SecretId="n")["SecretString"] == "v2"
    scheduled.put_secret_value(SecretId="n", SecretString="v3")
    assert names(scheduled) == ["n"]
    # Restored for good: the old DeletionDate no longer purges it.
    scheduled.delete_secret(SecretId="n", ForceDeleteWithoutRecovery=False)
    scheduled.restore_secret(SecretId="n")


def test_restore_survives_the_old_deletion_date(scheduled: Any, frozen: Any) -> None:
    scheduled.restore_secret(SecretId="n")
    frozen.tick(8 * DAY)
    assert scheduled.get_secret_value(SecretId="n")["SecretString"] == "v2"


def test_restore_of_a_live_secret_is_a_no_op(live: Any) -> None:
    # Decision (unconfirmed): restoring a secret that is not scheduled succeeds.
    before = snapshot(live)
    out = live.restore_secret(SecretId="n")
    assert out["Name"] == "n"
    assert snapshot(live) == before


def test_restore_of_unknown_secret(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.restore_secret(SecretId="nope")
    assert error(exc) == ("ResourceNotFoundException", NOT_FOUND)


def test_delete_again_after_restore_starts_a_new_window(scheduled: Any, frozen: Any) -> None:
    scheduled.restore_secret(SecretId="n")
    frozen.tick(DAY)
    out = scheduled.delete_secret(SecretId="n", RecoveryWindowInDays=10)
    moment = T0 + datetime.timedelta(hours=1) + DAY
    assert out["DeletionDate"] == moment + 10 * DAY
    assert scheduled.describe_secret(SecretId="n")["DeletedDate"] == moment


# -- purge -----------------------------------------------------------------------------------------


def test_purge_happens_exactly_at_the_deletion_date(scheduled: Any, frozen: Any) -> None:
    deletion_date = T0 + datetime.timedelta(hours=1) + 7 * DAY
    frozen.move_to(deletion_date - TICK)
    assert scheduled.describe_secret(SecretId="n")["Name"] == "n"
    frozen.move_to(deletion_date)
    with pytest.raises(scheduled.exceptions.ResourceNotFoundException) as exc:
        scheduled.describe_secret(SecretId="n")
    assert error(exc) == ("ResourceNotFoundException", NOT_FOUND)


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("describe_secret", {}),
        ("get_secret_value", {}),
        ("get_secret_value", {"VersionId": V1}),
        ("put_secret_value", {"SecretString": "v3"}),
        ("update_secret", {"Description": "d"}),
        ("update_secret_version_stage", {"VersionStage": "x", "MoveToVersionId": V1}),
        ("list_secret_version_ids", {}),
        ("delete_secret", {}),
        ("restore_secret", {}),
    ],
)
def test_after_purge_everything_is_not_found(
    scheduled: Any, frozen: Any, operation: str, kwargs: dict[str, Any]
) -> None:
    arn = scheduled.describe_secret(SecretId="n")["ARN"]
    frozen.tick(7 * DAY)
    for secret_id in ("n", arn, PREFIX + "n"):
        with pytest.raises(scheduled.exceptions.ResourceNotFoundException) as exc:
            getattr(scheduled, operation)(SecretId=secret_id, **kwargs)
        assert error(exc) == ("ResourceNotFoundException", NOT_FOUND)


def test_purged_secret_leaves_every_listing(scheduled: Any, frozen: Any, backend: Any) -> None:
    frozen.tick(7 * DAY)
    assert names(scheduled, IncludePlannedDeletion=True) == []
    assert backend.secrets() == []


def test_force_delete_after_purge_still_succeeds(scheduled: Any, frozen: Any) -> None:
    frozen.tick(7 * DAY)
    out = scheduled.delete_secret(SecretId="n", ForceDeleteWithoutRecovery=True)
    assert out["Name"] == "n"
    assert out["DeletionDate"] == T0 + datetime.timedelta(hours=1) + 7 * DAY


def test_purged_name_is_free_and_gets_a_new_arn(scheduled: Any, frozen: Any) -> None:
    old_arn = scheduled.describe_secret(SecretId="n")["ARN"]
    frozen.tick(7 * DAY)
    out = scheduled.create_secret(Name="n", SecretString="fresh", ClientRequestToken=V1)
    assert out["ARN"] != old_arn
    assert re.fullmatch(re.escape(PREFIX + "n-") + "[A-Za-z0-9]{6}", out["ARN"])
    assert out["VersionId"] == V1
    described = scheduled.describe_secret(SecretId="n")
    assert described["VersionIdsToStages"] == {V1: ["AWSCURRENT"]}
    assert described["CreatedDate"] == T0 + datetime.timedelta(hours=1) + 7 * DAY
    assert "DeletedDate" not in described
    # The old ARN does not reach the new secret.
    with pytest.raises(scheduled.exceptions.ResourceNotFoundException):
        scheduled.describe_secret(SecretId=old_arn)


def test_force_deleted_name_is_free_at_once(live: Any) -> None:
    old_arn = live.describe_secret(SecretId="n")["ARN"]
    live.delete_secret(SecretId="n", ForceDeleteWithoutRecovery=True)
    new_arn = live.create_secret(Name="n")["ARN"]
    assert new_arn != old_arn
    assert live.describe_secret(SecretId="n")["ARN"] == new_arn


def test_purge_is_lazy_but_reaches_list_secrets(client: Any, frozen: Any) -> None:
    client.create_secret(Name="a")
    client.create_secret(Name="b")
    client.delete_secret(SecretId="a", RecoveryWindowInDays=7)
    frozen.tick(7 * DAY - TICK)
    assert names(client, IncludePlannedDeletion=True) == ["a", "b"]
    frozen.tick(TICK)
    assert names(client, IncludePlannedDeletion=True) == ["b"]


def test_deletion_date_follows_freezegun_move_to(client: Any, frozen: Any) -> None:
    client.create_secret(Name="n")
    later = datetime.datetime(2030, 1, 1, tzinfo=UTC)
    frozen.move_to(later)
    out = client.delete_secret(SecretId="n", RecoveryWindowInDays=7)
    assert out["DeletionDate"] == later + 7 * DAY
    assert client.describe_secret(SecretId="n")["DeletedDate"] == later
