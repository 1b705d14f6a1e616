"""aiobotocore clients are intercepted however early their session was made.

aiobotocore pins its own botocore, so these tests run in a virtual environment of their
own (``make test`` builds it: ``.venv-aio``); the main run leaves this folder out when
aiobotocore is not installed. Each case runs in a fresh interpreter under the socket
guard of :mod:`tests.isolated`, with web-identity credentials that a signer reading them
would fetch from STS.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.isolated import clean_environment, run_isolated

FAKE_KEY = "AKIAIOSFODNN7EXAMPLE"

BODY = """
import asyncio, os, pathlib

async def main():
    if MOMENT != "import-inside-mock":
        from aiobotocore.session import get_session
    phase("setup")
    session = client = None
    if MOMENT in ("session-before-import", "client-before-import"):
        session = get_session()
    if MOMENT == "client-before-import":
        client = await session.create_client("secretsmanager", region_name="us-east-1").__aenter__()
    import smmock
    from smmock import mock_secrets
    if MOMENT == "session-after-import":
        session = get_session()
    environment = dict(os.environ)
    phase("mock")
    seen = []
    with mock_secrets() as backend:
        if MOMENT == "import-inside-mock":
            # A lazy import in application code, while a mock is already active.
            # An explicit assume-role profile: the provider chain skips the fake keys in
            # the environment, so only smmock's patches keep STS out of it.
            from aiobotocore.session import AioSession
            session = AioSession(profile="dev")
        if client is None:
            client = await session.create_client(
                "secretsmanager", region_name="us-east-1"
            ).__aenter__()
        client.meta.events.register_last(
            "request-created.secrets-manager", lambda request, **_: seen.append(request)
        )
        arn = (await client.create_secret(Name="db", SecretString="s3cret"))["ARN"]
        value = (await client.get_secret_value(SecretId="db"))["SecretString"]
        try:
            await client.get_secret_value(SecretId="missing")
            missing = None
        except client.exceptions.ResourceNotFoundException as error:
            missing = error.response["Error"]
        stored = [s.name for s in backend.secrets()]
    phase("after")
    await client.__aexit__(None, None, None)
    return dict(
        arn=arn, value=value, missing=missing, stored=stored,
        keys=[r.headers["Authorization"].split("Credential=")[1].split("/")[0] for r in seen],
        restored=dict(os.environ) == environment,
    )

done(**asyncio.run(main()))
"""


@pytest.mark.parametrize(
    "moment",
    [
        "session-before-import",
        "client-before-import",
        "session-after-import",
        "import-inside-mock",
    ],
)
def test_aiobotocore_calls_are_served_and_never_resolve_credentials(
    moment: str, tmp_path: Path
) -> None:
    env = clean_environment(tmp_path)
    token = tmp_path / "token"
    token.write_text("a-web-identity-token")
    env.update(
        AWS_ROLE_ARN="arn:aws:iam::111122223333:role/ci",
        AWS_WEB_IDENTITY_TOKEN_FILE=str(token),
    )
    Path(env["AWS_CONFIG_FILE"]).write_text(
        "[profile dev]\nrole_arn = arn:aws:iam::111122223333:role/dev\nsource_profile = base\n"
    )
    Path(env["AWS_SHARED_CREDENTIALS_FILE"]).write_text(
        "[base]\naws_access_key_id = AKIAUSERSOWNKEY00000\naws_secret_access_key = s\n"
    )
    result: Any = run_isolated(f"MOMENT = {moment!r}\n{BODY}", env, tmp_path)
    assert [a for a in result["attempts"] if a[0] == "mock"] == []
    assert result["arn"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-")
    assert (result["value"], result["stored"]) == ("s3cret", ["db"])
    assert result["missing"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Secrets Manager can't find the specified secret.",
    }
    assert result["keys"] == [FAKE_KEY] * 3
    assert result["restored"] is True


def test_this_environment_has_aiobotocore() -> None:
    import aiobotocore

    assert aiobotocore.__version__
    assert "aiobotocore" in sys.modules
