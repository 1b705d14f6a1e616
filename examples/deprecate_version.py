"""Deprecate a secret version by taking its last staging label away.

Secrets Manager never deletes a version on request. The AWS User Guide instead has you
remove a version's staging labels with UpdateSecretVersionStage: a version without
labels is "deprecated", hidden from ListSecretVersionIds unless IncludeDeprecated=True,
yet still readable by its VersionId. This script plays that procedure against smmock,
with fixed version ids so the output reads well. Every line printed is also checked.
Run it with ``python examples/deprecate_version.py``.
"""

from __future__ import annotations

import boto3

from smmock import mock_secrets

NAME = "prod/api/signing-key"
V1 = "11111111-1111-4111-8111-111111111111"
V2 = "22222222-2222-4222-8222-222222222222"
V3 = "33333333-3333-4333-8333-333333333333"


def expect(what: str, actual: object, expected: object) -> None:
    """Print what the mock answered; stop with an error if AWS would answer otherwise."""
    print(f"   {what:<40} {actual}")
    if actual != expected:
        raise SystemExit(f"FAILED {what}: expected {expected!r}, got {actual!r}")


def main() -> None:
    with mock_secrets():
        client = boto3.client("secretsmanager", region_name="us-east-1")

        def stages(include_deprecated: bool) -> dict[str, list[str] | None]:
            # Short ids keep the output readable. None means the VersionStages member was
            # omitted, which is how AWS lists a deprecated version.
            versions = client.list_secret_version_ids(
                SecretId=NAME, IncludeDeprecated=include_deprecated
            )["Versions"]
            return {v["VersionId"][:8]: v.get("VersionStages") for v in versions}

        print("1. Three values: each PutSecretValue moves AWSCURRENT, and AWSPREVIOUS behind it")
        client.create_secret(Name=NAME, SecretString="key-1", ClientRequestToken=V1)
        client.put_secret_value(SecretId=NAME, SecretString="key-2", ClientRequestToken=V2)
        client.put_secret_value(SecretId=NAME, SecretString="key-3", ClientRequestToken=V3)
        expect(
            "versions (IncludeDeprecated)",
            stages(include_deprecated=True),
            {V1[:8]: None, V2[:8]: ["AWSPREVIOUS"], V3[:8]: ["AWSCURRENT"]},
        )

        print("2. UpdateSecretVersionStage: remove AWSPREVIOUS from the second version")
        client.update_secret_version_stage(
            SecretId=NAME, VersionStage="AWSPREVIOUS", RemoveFromVersionId=V2
        )
        expect("ListSecretVersionIds", stages(include_deprecated=False), {V3[:8]: ["AWSCURRENT"]})
        expect(
            "... with IncludeDeprecated=True",
            stages(include_deprecated=True),
            {V1[:8]: None, V2[:8]: None, V3[:8]: ["AWSCURRENT"]},
        )
        described = client.describe_secret(SecretId=NAME)
        expect(
            "DescribeSecret VersionIdsToStages",
            described["VersionIdsToStages"],
            {V3: ["AWSCURRENT"]},
        )

        print("3. A deprecated version is still readable by its VersionId")
        old = client.get_secret_value(SecretId=NAME, VersionId=V2)
        expect("SecretString of the second version", old["SecretString"], "key-2")
        current = client.get_secret_value(SecretId=NAME)
        expect("AWSCURRENT is still the third", current["VersionId"], V3)

    print("OK: removing the last label deprecates a version without deleting it.")


if __name__ == "__main__":
    main()
