"""The AWS SDK for JavaScript v3 (from npm, run by node) against ``smmock serve``.

tests/js/sdk_v3.mjs creates, reads, deletes with a 14-day window, lists with and
without IncludePlannedDeletion, restores; this test checks what it printed, and that
the API seen from Python agrees.
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess

from tests.server_fixtures import ROOT, Server, require

JS = ROOT / "tests" / "js"
UTC = datetime.timezone.utc
MARKED = "You can't perform this operation on the secret because it was marked for deletion."


def iso(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_sdk_v3_round_trip(server: Server) -> None:
    node = shutil.which("node")
    require(node is not None, "node", "apt-get install nodejs npm")
    sdk = JS / "node_modules" / "@aws-sdk" / "client-secrets-manager"
    require(sdk.is_dir(), "@aws-sdk/client-secrets-manager", f"npm ci --prefix {JS}")
    server.admin("clock/set", {"time": "2024-03-10T14:30:15Z", "frozen": True})
    result = subprocess.run(
        [str(node), "sdk_v3.mjs", server.url],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    name = "development/MyTestDatabase"
    arn = out["create"]["ARN"]
    assert arn.startswith(f"arn:aws:secretsmanager:eu-west-2:123456789012:secret:{name}-")
    assert out["create"]["Name"] == name
    assert out["get"]["SecretString"] == '{"user":"admin"}'
    assert out["get"]["VersionStages"] == ["AWSCURRENT"]
    assert out["get"]["VersionId"] == out["create"]["VersionId"]
    assert iso(out["get"]["CreatedDate"]) == datetime.datetime(2024, 3, 10, 14, 30, 15, tzinfo=UTC)
    assert out["deleted"] == {"ARN": arn, "Name": name, "DeletionDate": "2024-03-24T14:30:15.000Z"}
    assert out["listedActive"] == []
    assert out["listedPlanned"] == [{"Name": name, "DeletedDate": "2024-03-10T14:30:15.000Z"}]
    assert out["getWhileScheduled"] == {
        "name": "InvalidRequestException",
        "message": MARKED,
        "status": 400,
    }
    assert out["restored"] == {"ARN": arn, "Name": name}
    assert out["listedAfterRestore"] == [{"Name": name, "DeletedDate": None}]
    assert out["getAfterRestore"] == '{"user":"admin"}'
    # The same state, seen from Python.
    described = server.client("eu-west-2").describe_secret(SecretId=name)
    assert (described["ARN"], "DeletedDate" in described) == (arn, False)
