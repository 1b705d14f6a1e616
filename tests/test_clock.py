"""Time travel: freezegun and time-machine drive dates and the deletion purge.

time-machine refuses to start while freezegun is active, so each library is tested on
its own.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError
from freezegun import freeze_time

from smmock import SecretsBackend, mock_secrets
from smmock._intercept import hook as _hook
from smmock.exceptions import ResourceNotFoundException

UTC = datetime.timezone.utc
START = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)
WEEK = datetime.timedelta(days=7)
SECOND = datetime.timedelta(seconds=1)
NOT_FOUND = "Secrets Manager can't find the specified secret."
MARKED = "You can't perform this operation on the secret because it was marked for deletion."


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    yield
    assert _hook.active_backend() is None, "a test left smmock active"


def sm() -> Any:
    return boto3.client("secretsmanager", region_name="us-east-1")


def error_of(call: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        call(**kwargs)
    except ClientError as error:
        return {
            "Code": error.response["Error"]["Code"],
            "Message": error.response["Error"]["Message"],
        }
    raise AssertionError("no error")  # pragma: no cover


def create_and_delete(client: Any) -> str:
    """Create at the current time, then schedule deletion with a 7-day window."""
    arn = str(client.create_secret(Name="doomed", SecretString="v")["ARN"])
    deleted = client.delete_secret(SecretId="doomed", RecoveryWindowInDays=7)
    assert deleted["ARN"] == arn
    return arn


def assert_scheduled(client: Any, deleted_at: datetime.datetime) -> None:
    described = client.describe_secret(SecretId="doomed")
    assert described["DeletedDate"] == deleted_at
    listed = client.list_secrets(IncludePlannedDeletion=True)["SecretList"]
    assert [s["Name"] for s in listed] == ["doomed"]
    assert client.list_secrets()["SecretList"] == []
    assert error_of(client.get_secret_value, SecretId="doomed") == {
        "Code": "InvalidRequestException",
        "Message": MARKED,
    }


def assert_purged(client: Any, backend: SecretsBackend, old_arn: str) -> None:
    assert error_of(client.describe_secret, SecretId="doomed") == {
        "Code": "ResourceNotFoundException",
        "Message": NOT_FOUND,
    }
    assert client.list_secrets(IncludePlannedDeletion=True)["SecretList"] == []
    assert backend.secrets() == []
    # The name is free again, with a new ARN suffix.
    new_arn = client.create_secret(Name="doomed", SecretString="again")["ARN"]
    assert new_arn != old_arn
    assert new_arn.rsplit("-", 1)[0] == old_arn.rsplit("-", 1)[0]


# -- freezegun -------------------------------------------------------------------------------


def test_freezegun_frozen_before_the_mock_started() -> None:
    with freeze_time(START) as frozen, mock_secrets() as backend:
        client = sm()
        old_arn = create_and_delete(client)
        described = client.describe_secret(SecretId="doomed")
        assert described["CreatedDate"] == START
        assert described["DeletedDate"] == START
        assert backend.get_secret("doomed").deletion_date == START + WEEK
        frozen.tick(WEEK - SECOND)
        assert_scheduled(client, START)
        frozen.tick(SECOND)
        assert_purged(client, backend, old_arn)


def test_freezegun_frozen_after_the_mock_started() -> None:
    with mock_secrets() as backend, freeze_time(START) as frozen:
        client = sm()
        old_arn = create_and_delete(client)
        frozen.move_to(START + WEEK - SECOND)
        assert_scheduled(client, START)
        frozen.move_to(START + WEEK)
        assert_purged(client, backend, old_arn)


def test_deletion_date_in_the_delete_response_and_version_dates() -> None:
    with freeze_time(START) as frozen, mock_secrets():
        client = sm()
        first = client.create_secret(Name="dated", SecretString="1")["VersionId"]
        frozen.tick(datetime.timedelta(hours=1, milliseconds=500))
        second = client.put_secret_value(SecretId="dated", SecretString="2")["VersionId"]
        versions = {
            v["VersionId"]: v["CreatedDate"]
            for v in client.list_secret_version_ids(SecretId="dated")["Versions"]
        }
        assert versions == {
            first: START,
            second: START + datetime.timedelta(hours=1, milliseconds=500),
        }
        frozen.tick(datetime.timedelta(days=2))
        deleted = client.delete_secret(SecretId="dated", RecoveryWindowInDays=30)
        deleted_at = START + datetime.timedelta(days=2, hours=1, milliseconds=500)
        assert deleted["DeletionDate"] == deleted_at + datetime.timedelta(days=30)
        described = client.describe_secret(SecretId="dated")
        assert described["CreatedDate"] == START
        assert described["DeletedDate"] == deleted_at


def test_restore_before_the_purge_keeps_the_secret() -> None:
    with freeze_time(START) as frozen, mock_secrets():
        client = sm()
        arn = create_and_delete(client)
        frozen.tick(WEEK - SECOND)
        client.restore_secret(SecretId="doomed")
        frozen.tick(datetime.timedelta(days=365))
        assert client.get_secret_value(SecretId="doomed")["ARN"] == arn
        assert "DeletedDate" not in client.describe_secret(SecretId="doomed")


def test_freezegun_tick_true() -> None:
    with freeze_time(START, tick=True), mock_secrets() as backend:
        client = sm()
        client.create_secret(Name="ticking", SecretString="v")
        created = client.describe_secret(SecretId="ticking")["CreatedDate"]
        deleted = client.delete_secret(SecretId="ticking", RecoveryWindowInDays=7)
        stored = backend.get_secret("ticking")
        assert stored.deleted_date is not None
        # The clock runs from START; the deletion date is exactly 7 days after deletion.
        assert START <= created <= stored.deleted_date
        assert stored.deletion_date == stored.deleted_date + WEEK
        # On the wire: epoch seconds with millisecond precision.
        wire = round((stored.deleted_date + WEEK).timestamp(), 3)
        assert deleted["DeletionDate"].timestamp() == wire


def test_freezegun_as_decorator_outside_mock_secrets() -> None:
    @freeze_time("2030-01-01 00:00:00")
    @mock_secrets
    def body() -> datetime.datetime:
        client = sm()
        client.create_secret(Name="future", SecretString="v")
        return client.describe_secret(SecretId="future")["CreatedDate"]

    assert body() == datetime.datetime(2030, 1, 1, tzinfo=UTC)


# -- time-machine ----------------------------------------------------------------------------


def test_time_machine_travel_before_the_mock_started() -> None:
    with time_machine.travel(START, tick=False) as traveller, mock_secrets() as backend:
        client = sm()
        old_arn = create_and_delete(client)
        described = client.describe_secret(SecretId="doomed")
        assert described["CreatedDate"] == START
        assert described["DeletedDate"] == START
        traveller.shift(WEEK - SECOND)
        assert_scheduled(client, START)
        traveller.shift(SECOND)
        assert_purged(client, backend, old_arn)


def test_time_machine_travel_after_the_mock_started() -> None:
    with mock_secrets() as backend, time_machine.travel(START, tick=False) as traveller:
        client = sm()
        old_arn = create_and_delete(client)
        traveller.move_to(START + WEEK - SECOND)
        assert_scheduled(client, START)
        traveller.move_to(START + WEEK)
        assert_purged(client, backend, old_arn)


def test_time_machine_purge_seen_by_the_backend_helpers() -> None:
    with time_machine.travel(START, tick=False) as traveller, mock_secrets() as backend:
        backend.create_secret("seeded", "v")
        sm().delete_secret(SecretId="seeded", RecoveryWindowInDays=10)
        secret = backend.get_secret("seeded")
        assert (secret.deleted_date, secret.deletion_date) == (
            START,
            START + datetime.timedelta(days=10),
        )
        traveller.shift(datetime.timedelta(days=10))
        assert backend.secrets() == []
        with pytest.raises(ResourceNotFoundException) as info:
            backend.get_secret("seeded")
        assert info.value.message == NOT_FOUND
