"""smmock's testing power tools, each shown on one of the AWS guide's procedures.

1. Faults through botocore's own retries: two throttles survived with three attempts,
   given up with one, and the back-off recorded instead of slept.
2. The call log and the guide's tip ("create an alarm that alerts you to any attempt to
   access a secret during the recovery window").
3. Least privilege: the guide's minimum permissions for deleting and restoring.
4. Reproducible runs: the same seed gives the same ARN, version id and password.
5. Dump the state to a JSON file and start another mock from it.

Every line printed is also checked. Run it with ``python examples/testing_power_tools.py``.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import tempfile
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time

from smmock import mock_secrets, no_retry_sleep

UTC = datetime.timezone.utc
START = datetime.datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
NAME = "development/MyTestDatabase"


def expect(what: str, actual: object, expected: object) -> None:
    """Print what the mock answered; stop with an error if it is not what AWS would do."""
    print(f"   {what:<52} {actual}")
    if actual != expected:
        raise SystemExit(f"FAILED {what}: expected {expected!r}, got {actual!r}")


def client(attempts: int | None = None) -> Any:
    config = None
    if attempts is not None:
        config = Config(retries={"mode": "standard", "total_max_attempts": attempts})
    return boto3.client("secretsmanager", region_name="us-east-1", config=config)


def faults() -> None:
    print("1. Two throttles, botocore's standard retry mode")
    with mock_secrets() as backend, no_retry_sleep() as retries:
        backend.create_secret(NAME, "s3cr3t")
        fault = backend.inject_fault("GetSecretValue", "ThrottlingException", times=2)
        value = client(attempts=3).get_secret_value(SecretId=NAME)["SecretString"]
        expect("3 attempts: value", value, "s3cr3t")
        expect("attempts in the call log", [c.error_code for c in backend.calls], [
            "ThrottlingException", "ThrottlingException", None,
        ])  # fmt: skip
        expect("fault fired", fault.fired, 2)
        expect("back-offs recorded, not slept", len(retries.delays), 2)
        backend.inject_fault("GetSecretValue", "ThrottlingException", times=2)
        try:
            client(attempts=1).get_secret_value(SecretId=NAME)
        except ClientError as error:
            expect(
                "1 attempt: gives up with", error.response["Error"]["Code"], "ThrottlingException"
            )
        else:
            raise SystemExit("FAILED: one attempt survived a throttle")


def recovery_window_alarm() -> None:
    print("2. The call log as the guide's recovery-window alarm")
    with freeze_time(START) as clock, mock_secrets() as backend:
        sm = client()
        arn = sm.create_secret(Name=NAME, SecretString="s3cr3t")["ARN"]
        sm.delete_secret(SecretId=NAME, RecoveryWindowInDays=14)
        clock.tick(datetime.timedelta(days=3))
        with contextlib.suppress(sm.exceptions.InvalidRequestException):
            sm.get_secret_value(SecretId=NAME)  # something still uses the secret!
        alarm = [c for c in backend.calls if c.pending_deletion]
        expect("accesses during the recovery window", len(alarm), 1)
        expect("operation", alarm[0].operation, "GetSecretValue")
        expect("secret", alarm[0].arn, arn)
        expect("error", alarm[0].error_code, "InvalidRequestException")
        expect("when (the mock's clock)", alarm[0].time, START + datetime.timedelta(days=3))
        expect("same list from the helper", backend.calls.during_recovery_window(), alarm)


def least_privilege() -> None:
    print("3. The guide's minimum permissions")
    delete = ["secretsmanager:ListSecrets", "secretsmanager:DeleteSecret"]
    with mock_secrets(allowed_actions=delete) as backend:
        backend.create_secret(NAME, "s3cr3t")
        sm = client()
        listed = [s["Name"] for s in sm.list_secrets()["SecretList"]]
        expect("ListSecrets", listed, [NAME])
        sm.delete_secret(SecretId=NAME, RecoveryWindowInDays=7)
        expect("DeleteSecret scheduled it", backend.get_secret(NAME).scheduled_for_deletion, True)
        try:
            sm.restore_secret(SecretId=NAME)
        except ClientError as error:
            message = error.response["Error"]["Message"]
            expect(
                "RestoreSecret refused", error.response["Error"]["Code"], "AccessDeniedException"
            )
            print(f"   {message}")
        else:
            raise SystemExit("FAILED: RestoreSecret was allowed")
        with mock_secrets(
            allowed_actions=["secretsmanager:ListSecrets", "secretsmanager:RestoreSecret"]
        ):
            sm.restore_secret(SecretId=NAME)
        expect("restored", backend.get_secret(NAME).scheduled_for_deletion, False)


def reproducible() -> None:
    print("4. mock_secrets(seed=7): the same ids every run")

    def run() -> tuple[str, str, str]:
        with freeze_time(START), mock_secrets(seed=7):
            sm = client()
            created = sm.create_secret(Name=NAME, SecretString="s3cr3t")
            password = sm.get_random_password(PasswordLength=16)["RandomPassword"]
            return created["ARN"], created["VersionId"], password

    first, second = run(), run()
    print(f"   {'ARN, VersionId, password':<52} {first}")
    expect("second run identical", second, first)


def state_file() -> None:
    print("5. Dump the state, start another mock from the file")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.json"
        with freeze_time(START), mock_secrets() as backend:
            backend.create_secret(NAME, "v1", tags={"team": "db"})
            backend.put_secret_value(NAME, "v2")
            path.write_text(json.dumps(backend.dump(), indent=2))
            labels = backend.labels(NAME)
        with mock_secrets(state=path) as loaded:
            expect("labels after loading", loaded.labels(NAME), labels)
            value = client().get_secret_value(SecretId=NAME, VersionStage="AWSPREVIOUS")
            expect("AWSPREVIOUS value", value["SecretString"], "v1")


def main() -> None:
    faults()
    recovery_window_alarm()
    least_privilege()
    reproducible()
    state_file()
    print("OK: faults, call log, least privilege, seeds and state files all behave.")


if __name__ == "__main__":
    main()
