"""The user's credentials are never resolved while a mock is active, nor on start and stop.

Every credential provider botocore has, times every moment a client can be made (before
``import smmock``, after it but before the mock, inside the mock, between two mocks), each
in a fresh interpreter under a socket guard with a clean AWS environment. A provider that
would fetch or refresh its credentials (STS, SSO, a credential process, a container or
instance-metadata endpoint) is set up so that any use inside the mock shows: remote
endpoints are blocked and recorded, local fake endpoints record each connection, and the
credential process counts its runs. The fetched credentials all expire within five
minutes, inside botocore's refresh window, so signing with them would refresh them.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.isolated import clean_environment, run_isolated

FAKE_KEY = "AKIAIOSFODNN7EXAMPLE"
USER_KEY = "AKIAUSERSOWNKEY00000"
SSO_URL = "https://example.awsapps.com/start"

# A small fake credential server for the container and instance-metadata providers,
# started in the isolated interpreter before any client exists.
SERVER = """
import datetime, http.server, json, os, threading

def _expiring():
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

class _Credentials(http.server.BaseHTTPRequestHandler):
    def _answer(self, body):
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):  # IMDSv2 token
        self._answer("imds-token")

    def do_GET(self):
        if self.path.rstrip("/").endswith("security-credentials"):
            return self._answer("role")
        self._answer(json.dumps({
            "Code": "Success", "AccessKeyId": "ASIASERVEDKEY0000000",
            "SecretAccessKey": "served-secret", "Token": "served-token",
            "Expiration": _expiring(),
        }))

    def log_message(self, *args):
        pass

_server = http.server.HTTPServer(("127.0.0.1", 0), _Credentials)
threading.Thread(target=_server.serve_forever, daemon=True).start()
ENDPOINT = "http://127.0.0.1:%d" % _server.server_address[1]
"""

PROCESS = """
import datetime, json, sys
with open(sys.argv[1], "a") as runs:
    runs.write("run\\n")
moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)
print(json.dumps({
    "Version": 1, "AccessKeyId": "ASIAPROCESSKEY000000", "SecretAccessKey": "process-secret",
    "SessionToken": "process-token", "Expiration": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
}))
"""


def _provider(name: str, home: Path, env: dict[str, str]) -> tuple[str | None, str]:
    """Set up one provider; return the profile a session names (or None) and extra
    source for the isolated body to run first."""
    config = Path(env["AWS_CONFIG_FILE"])
    credentials = Path(env["AWS_SHARED_CREDENTIALS_FILE"])
    if name == "static":
        env.update(
            AWS_ACCESS_KEY_ID=USER_KEY,
            AWS_SECRET_ACCESS_KEY="users-own-secret",
            AWS_SESSION_TOKEN="users-own-token",
        )
        return None, ""
    if name == "environment-with-expiry":
        env.update(
            AWS_ACCESS_KEY_ID=USER_KEY,
            AWS_SECRET_ACCESS_KEY="users-own-secret",
            AWS_SESSION_TOKEN="users-own-token",
            AWS_CREDENTIAL_EXPIRATION="2020-01-01T00:00:00Z",
        )
        return None, ""
    if name == "assume-role":
        config.write_text(
            "[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/dev\n"
            "source_profile = base\n\n[profile base]\nregion = us-east-1\n"
        )
        credentials.write_text(
            f"[base]\naws_access_key_id = {USER_KEY}\naws_secret_access_key = base-secret\n"
        )
        return "dev", ""
    if name == "web-identity":
        token = home / "token"
        token.write_text("a-web-identity-token")
        env.update(
            AWS_ROLE_ARN="arn:aws:iam::111122223333:role/ci",
            AWS_WEB_IDENTITY_TOKEN_FILE=str(token),
            AWS_ROLE_SESSION_NAME="ci",
        )
        return None, ""
    if name == "sso":
        config.write_text(
            f"[profile sso]\nsso_start_url = {SSO_URL}\nsso_region = us-east-1\n"
            "sso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n"
        )
        cache = home / ".aws" / "sso" / "cache"
        cache.mkdir(parents=True)
        (cache / (hashlib.sha1(SSO_URL.encode()).hexdigest() + ".json")).write_text(
            json.dumps(
                {
                    "startUrl": SSO_URL,
                    "region": "us-east-1",
                    "accessToken": "sso-access-token",
                    "expiresAt": "2099-01-01T00:00:00Z",
                }
            )
        )
        return "sso", ""
    if name == "credential-process":
        script = home / "process.py"
        script.write_text(PROCESS)
        config.write_text(
            f"[profile proc]\ncredential_process = {sys.executable} {script} {home / 'runs'}\n"
        )
        return "proc", ""
    if name == "container":
        return None, SERVER + (
            "os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI'] = ENDPOINT + '/creds'\n"
        )
    assert name == "instance-metadata"
    env.pop("AWS_EC2_METADATA_DISABLED")
    return None, SERVER + "os.environ['AWS_EC2_METADATA_SERVICE_ENDPOINT'] = ENDPOINT + '/'\n"


PROVIDERS = [
    "static",
    "environment-with-expiry",
    "assume-role",
    "web-identity",
    "sso",
    "credential-process",
    "container",
    "instance-metadata",
]
MOMENTS = ["before-import", "before-mock", "inside", "between-mocks"]

BODY = """
import os, pathlib
runs = pathlib.Path(os.environ["HOME"]) / "runs"

def run_count():
    return len(runs.read_text().splitlines()) if runs.exists() else 0

def make_client():
    import boto3
    if PROFILE is None:
        return boto3.client("secretsmanager", region_name="us-east-1")
    return boto3.Session(profile_name=PROFILE).client("secretsmanager", region_name="us-east-1")

def capture(client):
    seen = []
    client.meta.events.register_last(
        "request-created.secrets-manager", lambda request, **_: seen.append(request)
    )
    return seen

phase("setup")
client = make_client() if MOMENT == "before-import" else None
import smmock
from smmock import mock_secrets
if MOMENT == "before-mock":
    client = make_client()
if MOMENT == "between-mocks":
    with mock_secrets():
        pass
    client = make_client()
environment = dict(os.environ)
runs_before = run_count()
phase("mock")
with mock_secrets() as backend:
    if MOMENT == "inside":
        client = make_client()
    seen = capture(client)
    arn = client.create_secret(Name="db", SecretString="s3cret")["ARN"]
    value = client.get_secret_value(SecretId="db")["SecretString"]
    stored = [s.name for s in backend.secrets()]
phase("after")
done(
    arn=arn,
    value=value,
    stored=stored,
    keys=[r.headers["Authorization"].split("Credential=")[1].split("/")[0] for r in seen],
    restored=dict(os.environ) == environment,
    process_runs=run_count() - runs_before,
)
"""


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_mocked_call_never_resolves_the_users_credentials(
    provider: str, moment: str, tmp_path: Path
) -> None:
    env = clean_environment(tmp_path)
    profile, setup = _provider(provider, tmp_path, env)
    body = f"PROFILE = {profile!r}\nMOMENT = {moment!r}\n{setup}\n{BODY}"
    result: Any = run_isolated(body, env, tmp_path)
    assert [a for a in result["attempts"] if a[0] == "mock"] == []
    assert result["process_runs"] == 0
    assert result["arn"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-")
    assert (result["value"], result["stored"]) == ("s3cret", ["db"])
    assert result["keys"] == [FAKE_KEY, FAKE_KEY]
    assert result["restored"] is True


EXIT_BODY = """
import boto3, os
phase("setup")
# boto3's default session resolves (and caches) the provider's credentials object.
boto3.client("sts", region_name="us-east-1")
import smmock
from smmock import mock_secrets
environment = dict(os.environ)
phase("mock")
with mock_secrets():
    pass
mock_secrets().start()
smmock.mock_secrets  # a second start/stop pair, by hand
phase("stop")
from smmock._intercept import hook
hook.deactivate()
phase("after")
session = boto3.DEFAULT_SESSION._session
done(restored=dict(os.environ) == environment, kept=type(session._credentials).__name__)
"""

# What boto3's default session holds after the mocks: the user's credentials object,
# untouched (smmock drops only the plain fake keys it may have cached).
KEPT = {
    "static": "Credentials",
    "environment-with-expiry": "RefreshableCredentials",
    "web-identity": "DeferredRefreshableCredentials",
    "container": "RefreshableCredentials",
    "instance-metadata": "RefreshableCredentials",
}


@pytest.mark.parametrize("provider", sorted(KEPT))
def test_starting_and_stopping_never_resolve_the_users_credentials(
    provider: str, tmp_path: Path
) -> None:
    env = clean_environment(tmp_path)
    _profile, setup = _provider(provider, tmp_path, env)
    result: Any = run_isolated(f"{setup}\n{EXIT_BODY}", env, tmp_path)
    assert [a for a in result["attempts"] if a[0] in ("mock", "stop")] == []
    assert result["restored"] is True
    assert result["kept"] == KEPT[provider]
