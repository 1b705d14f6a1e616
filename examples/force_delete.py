"""Delete a secret immediately, without a recovery window.

The AWS Secrets Manager User Guide procedure "Delete a secret" with
``ForceDeleteWithoutRecovery``, played against smmock: the secret is gone at once, so
RestoreSecret can no longer find it, and its name can be reused straight away by a new
secret with a new ARN. (AWS finishes a forced deletion asynchronously, within seconds;
smmock purges at once, see the README's "Differences from AWS".) Every line printed is
also checked. Run it with ``python examples/force_delete.py``.
"""

from __future__ import annotations

import datetime
import re

import boto3
from freezegun import freeze_time

from smmock import mock_secrets

UTC = datetime.timezone.utc
START = datetime.datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
NAME = "ci/build-token"
NOT_FOUND = "Secrets Manager can't find the specified secret."


def expect(what: str, actual: object, expected: object) -> None:
    """Print what the mock answered; stop with an error if AWS would answer otherwise."""
    shown = actual.astimezone(UTC) if isinstance(actual, datetime.datetime) else actual
    print(f"   {what:<40} {shown}")
    if actual != expected:
        raise SystemExit(f"FAILED {what}: expected {expected!r}, got {actual!r}")


def main() -> None:
    with freeze_time(START), mock_secrets():
        client = boto3.client("secretsmanager", region_name="us-east-1")

        print(f"1. CreateSecret {NAME!r}")
        first = client.create_secret(Name=NAME, SecretString="token-1")
        print(f"   {'ARN':<40} {first['ARN']}")

        print("2. DeleteSecret with ForceDeleteWithoutRecovery=True")
        deleted = client.delete_secret(SecretId=NAME, ForceDeleteWithoutRecovery=True)
        expect("ARN", deleted["ARN"], first["ARN"])
        expect("DeletionDate (now: no window)", deleted["DeletionDate"], START)

        print("3. RestoreSecret fails: there is nothing left to restore")
        try:
            client.restore_secret(SecretId=NAME)
        except client.exceptions.ResourceNotFoundException as error:
            expect("Error Code", error.response["Error"]["Code"], "ResourceNotFoundException")
            expect("Error Message", error.response["Error"]["Message"], NOT_FOUND)
        else:
            raise SystemExit("FAILED: RestoreSecret brought back a force-deleted secret")
        listed = client.list_secrets(IncludePlannedDeletion=True)["SecretList"]
        expect("ListSecrets(IncludePlannedDeletion)", listed, [])

        print("4. The name is free at once; the new secret gets a new ARN suffix")
        second = client.create_secret(Name=NAME, SecretString="token-2")
        print(f"   {'new ARN':<40} {second['ARN']}")
        prefix = first["ARN"][: -len("-XXXXXX")]
        expect("same ARN up to the suffix", second["ARN"][: len(prefix)], prefix)
        suffix = second["ARN"][len(prefix) :]
        expect(
            "new suffix is - and 6 alphanumerics",
            bool(re.fullmatch(r"-[A-Za-z0-9]{6}", suffix)),
            True,
        )
        expect("new ARN differs from the old one", second["ARN"] != first["ARN"], True)
        value = client.get_secret_value(SecretId=NAME)["SecretString"]
        expect("GetSecretValue", value, "token-2")

    print("OK: force delete purges at once; restore fails and the name is reusable.")


if __name__ == "__main__":
    main()
