"""Rotate a secret with a rotation function written like a real Lambda.

The AWS Secrets Manager User Guide's rotation procedure, played against smmock: the
handler below has the shape of AWS's single-user rotation template (``createSecret``,
``setSecret``, ``testSecret``, ``finishSecret``) and makes its own boto3 calls against
the endpoint in ``SECRETS_MANAGER_ENDPOINT``, as the template does. smmock runs it in
process when RotateSecret is called and, under time travel, again when the schedule
says so. Every line printed is also checked. Run it with ``python examples/rotate_secret.py``.
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

import boto3
from freezegun import freeze_time

from smmock import mock_secrets

UTC = datetime.timezone.utc
START = datetime.datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
NAME = "prod/orders/db"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:rotate-orders-db"
PASSWORDS_SET: list[str] = []


def expect(what: str, actual: object, expected: object) -> None:
    """Print what the mock answered; stop with an error if AWS would answer otherwise."""
    shown = actual.astimezone(UTC) if isinstance(actual, datetime.datetime) else actual
    print(f"   {what:<44} {shown}")
    if actual != expected:
        raise SystemExit(f"FAILED {what}: expected {expected!r}, got {actual!r}")


# -- the rotation function, as it would be deployed to Lambda -----------------------------


def lambda_handler(event: dict[str, str], context: Any) -> None:
    """Single-user rotation: a new password in AWSPENDING, set, tested, promoted."""
    client = boto3.client("secretsmanager", endpoint_url=os.environ["SECRETS_MANAGER_ENDPOINT"])
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    stages = client.describe_secret(SecretId=arn)["VersionIdsToStages"]
    if "AWSPENDING" not in stages.get(token, []):
        raise ValueError(f"version {token} is not set as AWSPENDING for rotation")
    if step == "createSecret":
        current = json.loads(client.get_secret_value(SecretId=arn)["SecretString"])
        current["password"] = client.get_random_password(
            PasswordLength=24, ExcludeCharacters="/@\"'\\"
        )["RandomPassword"]
        client.put_secret_value(
            SecretId=arn,
            ClientRequestToken=token,
            SecretString=json.dumps(current),
            VersionStages=["AWSPENDING"],
        )
    elif step == "setSecret":
        pending = json.loads(
            client.get_secret_value(SecretId=arn, VersionStage="AWSPENDING")["SecretString"]
        )
        PASSWORDS_SET.append(pending["password"])  # the database would be changed here
    elif step == "testSecret":
        pending = json.loads(client.get_secret_value(SecretId=arn, VersionId=token)["SecretString"])
        if pending["password"] != PASSWORDS_SET[-1]:
            raise ValueError("the database does not accept the pending password")
    elif step == "finishSecret":
        current = next(v for v, labels in stages.items() if "AWSCURRENT" in labels)
        if current != token:
            client.update_secret_version_stage(
                SecretId=arn,
                VersionStage="AWSCURRENT",
                MoveToVersionId=token,
                RemoveFromVersionId=current,
            )
    else:
        raise ValueError(f"unknown step {step}")


# -- the procedure --------------------------------------------------------------------------


def main() -> None:
    with freeze_time(START) as clock, mock_secrets() as backend:
        backend.register_rotation_function(FUNCTION, lambda_handler)
        client = boto3.client("secretsmanager", region_name="us-east-1")

        print(f"1. CreateSecret {NAME!r} with a user name and password")
        first = client.create_secret(
            Name=NAME, SecretString=json.dumps({"username": "orders", "password": "initial"})
        )["VersionId"]

        print("2. RotateSecret: turn on rotation every 30 days and rotate now")
        rotated = client.rotate_secret(
            SecretId=NAME,
            RotationLambdaARN=FUNCTION,
            RotationRules={"AutomaticallyAfterDays": 30},
        )["VersionId"]
        value = json.loads(client.get_secret_value(SecretId=NAME)["SecretString"])
        expect("new AWSCURRENT password", value["password"], PASSWORDS_SET[-1])
        described = client.describe_secret(SecretId=NAME)
        expect("RotationEnabled", described["RotationEnabled"], True)
        expect("LastRotatedDate", described["LastRotatedDate"], START)
        # The end of the rotation window: 23:59:59 UTC on the 30th day after the rotation.
        expect(
            "NextRotationDate",
            described["NextRotationDate"],
            datetime.datetime(2024, 5, 31, 23, 59, 59, tzinfo=UTC),
        )
        expect(
            "labels of the first version", described["VersionIdsToStages"][first], ["AWSPREVIOUS"]
        )
        expect(
            "labels of the rotated version",
            described["VersionIdsToStages"][rotated],
            ["AWSPENDING", "AWSCURRENT"],
        )

        print("3. Travel 31 days: the scheduled rotation runs on the next call")
        clock.tick(datetime.timedelta(days=31))
        value = json.loads(client.get_secret_value(SecretId=NAME)["SecretString"])
        expect("rotations so far", len(PASSWORDS_SET), 2)
        expect("AWSCURRENT password is the newest", value["password"], PASSWORDS_SET[-1])
        described = client.describe_secret(SecretId=NAME)
        expect("LastRotatedDate", described["LastRotatedDate"], START + datetime.timedelta(days=31))
        expect(
            "NextRotationDate",
            described["NextRotationDate"],
            datetime.datetime(2024, 7, 1, 23, 59, 59, tzinfo=UTC),
        )
        expect(
            "rotated version is now AWSPREVIOUS",
            described["VersionIdsToStages"][rotated],
            ["AWSPREVIOUS"],
        )

        print("4. CancelRotateSecret: rotation off, rules and function kept")
        client.cancel_rotate_secret(SecretId=NAME)
        described = client.describe_secret(SecretId=NAME)
        expect("RotationEnabled", described["RotationEnabled"], False)
        expect("RotationRules", described["RotationRules"], {"AutomaticallyAfterDays": 30})
        expect("RotationLambdaARN", described["RotationLambdaARN"], FUNCTION)
        expect("rotation failures recorded", backend.rotation_failures, [])


if __name__ == "__main__":
    main()
