"""How to use smmock in a pytest suite: the decorator, the fixture, and time travel.

Run it with ``pytest examples/test_example_usage.py``. Installing smmock registers its
pytest plugin, so the ``sm_backend`` fixture and the ``smmock`` marker need no import
and no conftest.py.
"""

from __future__ import annotations

import datetime
import unittest

import boto3
import pytest
from freezegun import freeze_time

from smmock import SecretsBackend, mock_secrets

UTC = datetime.timezone.utc


# -- 1. The decorator: every boto3 call inside the test is served in memory ----------------


@mock_secrets
def test_decorator_serves_boto3() -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    client.create_secret(Name="app/db-password", SecretString="hunter2")

    answer = client.get_secret_value(SecretId="app/db-password")

    assert answer["SecretString"] == "hunter2"
    assert answer["VersionStages"] == ["AWSCURRENT"]


@mock_secrets(account_id="111122223333", region="eu-west-1")
class TestDecoratedTestCase(unittest.TestCase):
    """On a TestCase class, setUp, each test and tearDown all run inside the mock."""

    def setUp(self) -> None:
        self.client = boto3.client("secretsmanager", region_name="eu-west-1")
        self.arn = self.client.create_secret(Name="shared", SecretString="s3cr3t")["ARN"]

    def test_the_account_id_is_in_the_arn(self) -> None:
        assert self.arn.startswith("arn:aws:secretsmanager:eu-west-1:111122223333:secret:shared-")
        assert self.client.get_secret_value(SecretId=self.arn)["SecretString"] == "s3cr3t"


# -- 2. The fixture: the mock is active for the test and yields the typed backend -----------


def test_fixture_seeds_and_inspects(sm_backend: SecretsBackend) -> None:
    # Seed without boto3, exactly as CreateSecret / PutSecretValue would.
    sm_backend.create_secret("svc/api-key", "old-key", tags={"team": "payments"})
    sm_backend.put_secret_value("svc/api-key", "new-key")

    # The code under test reads it through boto3 as usual...
    client = boto3.client("secretsmanager", region_name="us-east-1")
    assert client.get_secret_value(SecretId="svc/api-key")["SecretString"] == "new-key"

    # ...and the test inspects the state directly.
    secret = sm_backend.get_secret("svc/api-key")
    assert secret.tags == {"team": "payments"}
    assert sorted(sm_backend.labels("svc/api-key")) == ["AWSCURRENT", "AWSPREVIOUS"]
    assert secret.current is not None
    assert secret.current.secret_string == "new-key"


@pytest.mark.smmock(account_id="444455556666", region="ap-southeast-2")
def test_marker_configures_the_fixture(sm_backend: SecretsBackend) -> None:
    secret = sm_backend.create_secret("regional", "value")

    assert secret.arn.startswith(
        "arn:aws:secretsmanager:ap-southeast-2:444455556666:secret:regional-"
    )
    client = boto3.client("secretsmanager", region_name="ap-southeast-2")
    assert client.describe_secret(SecretId="regional")["ARN"] == secret.arn
    # Regions are separate stores, as in AWS.
    other = boto3.client("secretsmanager", region_name="us-east-1")
    assert other.list_secrets()["SecretList"] == []


# -- 3. Time travel: freezegun drives the recovery window -----------------------------------


def test_secret_is_purged_once_the_window_ends(sm_backend: SecretsBackend) -> None:
    with freeze_time("2024-01-01 12:00:00") as clock:
        client = boto3.client("secretsmanager", region_name="us-east-1")
        first_arn = client.create_secret(Name="temp", SecretString="x")["ARN"]
        deleted = client.delete_secret(SecretId="temp", RecoveryWindowInDays=7)
        assert deleted["DeletionDate"] == datetime.datetime(2024, 1, 8, 12, tzinfo=UTC)

        # One second before DeletionDate the secret is still there, scheduled.
        clock.tick(datetime.timedelta(days=7, seconds=-1))
        described = client.describe_secret(SecretId="temp")
        assert described["DeletedDate"] == datetime.datetime(2024, 1, 1, 12, tzinfo=UTC)

        # At DeletionDate it is purged: gone everywhere, and the name is free.
        clock.tick(datetime.timedelta(seconds=1))
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            client.describe_secret(SecretId="temp")
        assert excinfo.value.response["Error"]["Message"] == (
            "Secrets Manager can't find the specified secret."
        )
        assert sm_backend.secrets() == []

        second_arn = client.create_secret(Name="temp", SecretString="y")["ARN"]
        assert second_arn != first_arn
