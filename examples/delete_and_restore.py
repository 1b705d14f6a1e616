"""Delete a secret with a 14-day recovery window, then restore it.

The AWS Secrets Manager User Guide procedures "Delete a secret" and "Restore a secret",
played against smmock. The clock is frozen with freezegun so every date printed is
exact, and every line printed is also checked: the script exits non-zero if smmock
answers differently. Run it with ``python examples/delete_and_restore.py``.
"""

from __future__ import annotations

import datetime

import boto3
from freezegun import freeze_time

from smmock import mock_secrets

UTC = datetime.timezone.utc
START = datetime.datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
NAME = "prod/payments/db-password"
VALUE = '{"password": "hunter2"}'
MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)


def expect(what: str, actual: object, expected: object) -> None:
    """Print what the mock answered; stop with an error if AWS would answer otherwise."""
    shown = actual.astimezone(UTC) if isinstance(actual, datetime.datetime) else actual
    print(f"   {what:<40} {shown}")
    if actual != expected:
        raise SystemExit(f"FAILED {what}: expected {expected!r}, got {actual!r}")


def main() -> None:
    with freeze_time(START) as clock, mock_secrets():
        client = boto3.client("secretsmanager", region_name="us-east-1")

        print(f"1. CreateSecret {NAME!r} at {START}")
        created = client.create_secret(Name=NAME, SecretString=VALUE)
        print(f"   {'ARN':<40} {created['ARN']}")

        print("2. DeleteSecret with RecoveryWindowInDays=14")
        deleted = client.delete_secret(SecretId=NAME, RecoveryWindowInDays=14)
        expect("DeletionDate (start + 14 days)", deleted["DeletionDate"], START + _days(14))

        print("3. While it is scheduled for deletion, GetSecretValue is refused")
        try:
            client.get_secret_value(SecretId=NAME)
        except client.exceptions.InvalidRequestException as error:
            expect("Error Code", error.response["Error"]["Code"], "InvalidRequestException")
            expect("Error Message", error.response["Error"]["Message"], MARKED_FOR_DELETION)
        else:
            raise SystemExit("FAILED: GetSecretValue read a secret scheduled for deletion")

        print("4. DescribeSecret still answers, with DeletedDate")
        described = client.describe_secret(SecretId=NAME)
        expect("DeletedDate (time of DeleteSecret)", described["DeletedDate"], START)

        print("5. ListSecrets hides it; IncludePlannedDeletion=True shows it")
        listed = client.list_secrets()["SecretList"]
        expect("ListSecrets names", [s["Name"] for s in listed], [])
        listed = client.list_secrets(IncludePlannedDeletion=True)["SecretList"]
        expect("... with IncludePlannedDeletion", [s["Name"] for s in listed], [NAME])

        print("6. Ten days later, inside the window, RestoreSecret cancels the deletion")
        clock.tick(_days(10))
        restored = client.restore_secret(SecretId=NAME)
        expect("RestoreSecret ARN", restored["ARN"], created["ARN"])
        described = client.describe_secret(SecretId=NAME)
        expect("DeletedDate present after restore", "DeletedDate" in described, False)

        print("7. The secret is usable again")
        value = client.get_secret_value(SecretId=NAME)
        expect("SecretString", value["SecretString"], VALUE)
        expect("VersionStages", value["VersionStages"], ["AWSCURRENT"])
        listed = client.list_secrets()["SecretList"]
        expect("ListSecrets names", [s["Name"] for s in listed], [NAME])

    print("OK: delete with a recovery window and restore behave as AWS documents.")


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


if __name__ == "__main__":
    main()
