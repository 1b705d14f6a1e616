"""The AWS CLI v2 (Debian's ``awscli``) runs the AWS guide's commands against ``smmock serve``.

Each guide command runs exactly as written there, with ``--endpoint-url`` added, and
the JSON the CLI prints is checked. (The guide's sample output names the members
``SecretARN`` and ``SecretName``; the API, and so the CLI, say ``ARN`` and ``Name``.
The guide's update-secret-version-stage sample lacks one line continuation; it runs
here as the single command it describes.)
"""

from __future__ import annotations

import datetime
import json
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.server_fixtures import Server, require

AWS = Path("/usr/bin/aws")
UTC = datetime.timezone.utc
NAME = "development/MyTestDatabase"
EXAMPLE_VERSION = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE"
# The guide's commands, verbatim (the leading "aws" dropped).
DELETE_14 = (
    "secretsmanager delete-secret --secret-id development/MyTestDatabase "
    "--recovery-window-in-days 14"
)
DELETE_FORCE = (
    "secretsmanager delete-secret --secret-id development/MyTestDatabase "
    "--force-delete-without-recovery"
)
RESTORE = "secretsmanager restore-secret --secret-id development/MyTestDatabase"
REMOVE_PREVIOUS = (
    "secretsmanager update-secret-version-stage --secret-id development/MyTestDatabase "
    "--remove-from-version-id EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE --version-stage AWSPREVIOUS"
)


@pytest.fixture
def aws(server: Server, tmp_path: Path) -> Any:
    version = ""
    if AWS.exists():
        version = subprocess.run(
            [AWS, "--version"], capture_output=True, text=True, timeout=60
        ).stdout
    require(
        version.startswith("aws-cli/2"), "the AWS CLI v2 (/usr/bin/aws)", "apt-get install awscli"
    )
    (tmp_path / "empty").write_text("")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "not-checked",
        "AWS_DEFAULT_REGION": "us-west-2",
        "AWS_CONFIG_FILE": str(tmp_path / "empty"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "empty"),
        "AWS_PAGER": "",
        "AWS_EC2_METADATA_DISABLED": "true",
    }

    def run(command: str, *, ok: bool = True) -> Any:
        result = subprocess.run(
            [AWS, *shlex.split(command), "--endpoint-url", server.url],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        if not ok:
            assert result.returncode != 0, result.stdout
            return result.stderr.strip()
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else None

    return run


def when(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


def test_the_guides_commands(server: Server, aws: Any) -> None:
    server.admin("clock/set", {"time": "2024-03-10T14:30:15.309Z", "frozen": True})
    created = aws(
        f"secretsmanager create-secret --name {NAME} --secret-string first "
        f"--client-request-token {EXAMPLE_VERSION}"
    )
    arn = created["ARN"]
    assert arn.startswith(f"arn:aws:secretsmanager:us-west-2:123456789012:secret:{NAME}-")
    assert created == {"ARN": arn, "Name": NAME, "VersionId": EXAMPLE_VERSION}
    # The example version becomes AWSPREVIOUS, as in the guide's scenario.
    second = aws(f"secretsmanager put-secret-value --secret-id {NAME} --secret-string second")
    versions = aws(f"secretsmanager describe-secret --secret-id {NAME}")["VersionIdsToStages"]
    assert versions == {EXAMPLE_VERSION: ["AWSPREVIOUS"], second["VersionId"]: ["AWSCURRENT"]}

    # To delete one version of a secret: remove its last label.
    assert aws(REMOVE_PREVIOUS) == {"ARN": arn, "Name": NAME}
    versions = aws(f"secretsmanager describe-secret --secret-id {NAME}")["VersionIdsToStages"]
    assert versions == {second["VersionId"]: ["AWSCURRENT"]}
    listed = aws(f"secretsmanager list-secret-version-ids --secret-id {NAME} --include-deprecated")
    assert [(v["VersionId"], v.get("VersionStages")) for v in listed["Versions"]] == [
        (EXAMPLE_VERSION, None),
        (second["VersionId"], ["AWSCURRENT"]),
    ]

    # To delete a secret with a 14-day recovery window.
    deleted = aws(DELETE_14)
    assert deleted == {"ARN": arn, "Name": NAME, "DeletionDate": deleted["DeletionDate"]}
    assert when(deleted["DeletionDate"]) == datetime.datetime(
        2024, 3, 24, 14, 30, 15, 309000, tzinfo=UTC
    )
    scheduled = aws("secretsmanager list-secrets --include-planned-deletion")["SecretList"]
    assert [(s["Name"], when(s["DeletedDate"])) for s in scheduled] == [
        (NAME, datetime.datetime(2024, 3, 10, 14, 30, 15, 309000, tzinfo=UTC))
    ]
    assert aws("secretsmanager list-secrets") == {"SecretList": []}
    refused = aws(f"secretsmanager get-secret-value --secret-id {NAME}", ok=False)
    assert refused == (
        "An error occurred (InvalidRequestException) when calling the GetSecretValue "
        "operation: You can't perform this operation on the secret because it was marked "
        "for deletion."
    )

    # To restore a secret that's scheduled for deletion.
    assert aws(RESTORE) == {"ARN": arn, "Name": NAME}
    value = aws(f"secretsmanager get-secret-value --secret-id {NAME}")
    assert (value["SecretString"], value["VersionStages"]) == ("second", ["AWSCURRENT"])

    # Deleting without a recovery window: DeletionDate is now, and there is no way back.
    server.admin("clock/advance", {"hours": 1})
    forced = aws(DELETE_FORCE)
    assert forced == {"ARN": arn, "Name": NAME, "DeletionDate": forced["DeletionDate"]}
    assert when(forced["DeletionDate"]) == datetime.datetime(
        2024, 3, 10, 15, 30, 15, 309000, tzinfo=UTC
    )
    assert aws(RESTORE, ok=False) == (
        "An error occurred (ResourceNotFoundException) when calling the RestoreSecret "
        "operation: Secrets Manager can't find the specified secret."
    )
    assert aws("secretsmanager list-secrets --include-planned-deletion") == {"SecretList": []}
