"""Interception: which clients smmock answers, how, and what it leaves alone."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator
from typing import Any, cast

import boto3
import botocore
import botocore.endpoint
import botocore.handlers
import botocore.session
import botocore.signers
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError, NoCredentialsError

from smmock import mock_secrets
from smmock._intercept import hook as _hook
from smmock._wire import protocol as _protocol

FAKE_KEY = "AKIAIOSFODNN7EXAMPLE"
NOT_FOUND = "Secrets Manager can't find the specified secret."


class NetworkBlocked(Exception):
    """Raised by the socket guard; not an OSError, so nothing retries or swallows it."""


pytestmark = pytest.mark.usefixtures("clean_aws_env")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Fail any attempt to open a connection, and fail the test if one was tried."""
    attempts: list[Any] = []

    def refuse(*args: Any, **_kwargs: Any) -> Any:
        attempts.append(args[1:] if args and isinstance(args[0], socket.socket) else args)
        raise NetworkBlocked(f"network access attempted: {attempts[-1]!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    # Tests that provoke an attempt on purpose check and clear the list themselves.
    assert attempts == []


def sm(region: str = "us-east-1", **kwargs: Any) -> Any:
    return boto3.client("secretsmanager", region_name=region, **kwargs)


def signed_client(service: str = "secretsmanager", **kwargs: Any) -> Any:
    """A client with explicit (made-up) credentials, usable with or without a mock."""
    factory: Any = boto3.client  # the stubs only accept literal service names
    return factory(
        service,
        region_name="us-east-1",
        aws_access_key_id="AKIAUSERSOWNKEY00000",
        aws_secret_access_key="users-own-secret",
        **kwargs,
    )


def capture_requests(client: Any) -> list[AWSPreparedRequest]:
    """Record the requests a client sends, as signed: while a mock is active no
    ``before-send`` handler sees a Secrets Manager request, so this listens last on
    ``request-created``, after botocore's signer."""
    seen: list[AWSPreparedRequest] = []

    def record(request: AWSPreparedRequest, **_kwargs: Any) -> None:
        seen.append(request)

    client.meta.events.register_last("request-created.secrets-manager", record)
    return seen


def header(request: AWSPreparedRequest, name: str) -> str:
    value = request.headers.get(name, b"")
    return value.decode() if isinstance(value, bytes) else str(value)


# -- which clients are intercepted ---------------------------------------------------------


def test_socket_guard_catches_an_unmocked_call(no_network: list[Any]) -> None:
    # The guard itself must work, or every "no network" test below proves nothing.
    client = signed_client(config=Config(retries={"total_max_attempts": 1}))
    with pytest.raises(HTTPClientError) as info:
        client.list_secrets()
    assert isinstance(info.value.kwargs["error"], NetworkBlocked)
    assert [a[:2] for a in no_network] == [("secretsmanager.us-east-1.amazonaws.com", 443)]
    no_network.clear()


def test_client_created_before_the_mock_started() -> None:
    client = signed_client()
    seen = capture_requests(client)
    with mock_secrets() as backend:
        created = client.create_secret(Name="early", SecretString="v")
        assert client.get_secret_value(SecretId="early")["SecretString"] == "v"
        assert backend.get_secret("early").arn == created["ARN"]
    # Signed with the mock's fake keys, never the client's own credentials, which a
    # refreshable provider would have fetched from STS or SSO to sign a local call.
    assert f"Credential={FAKE_KEY}/" in header(seen[0], "Authorization")
    assert header(seen[0], "X-Amz-Target") == "secretsmanager.CreateSecret"


def test_client_created_inside_the_mock_signs_with_fake_credentials() -> None:
    with mock_secrets():
        client = sm()
        seen = capture_requests(client)
        client.list_secrets()
    assert client._request_signer._credentials.access_key == FAKE_KEY
    assert f"Credential={FAKE_KEY}/" in header(seen[0], "Authorization")


def test_client_without_credentials_created_before_the_mock_signs_with_fake_keys() -> None:
    # A fresh session: boto3's default one may hold credentials cached by another test.
    client: Any = boto3.session.Session().client("secretsmanager", region_name="us-east-1")
    assert client._request_signer._credentials is None
    with pytest.raises(NoCredentialsError):
        client.list_secrets()  # unmocked, botocore refuses before any network access
    seen = capture_requests(client)
    with mock_secrets():
        arn = client.create_secret(Name="anonymous", SecretString="v")["ARN"]
        assert client.describe_secret(SecretId="anonymous")["ARN"] == arn
    assert [header(r, "Authorization").split("/")[0] for r in seen] == [
        f"AWS4-HMAC-SHA256 Credential={FAKE_KEY}"
    ] * 2
    with pytest.raises(NoCredentialsError):
        client.list_secrets()


def test_botocore_session_client_created_before_the_mock() -> None:
    session = botocore.session.get_session()
    session.set_credentials("AKIAUSERSOWNKEY00000", "users-own-secret")
    client: Any = session.create_client("secretsmanager", region_name="eu-central-1")
    with mock_secrets() as backend:
        client.create_secret(Name="core", SecretString="v")
        assert [s.name for s in backend.secrets(region="eu-central-1")] == ["core"]


_PRE_IMPORT_SCRIPT = textwrap.dedent(
    """
    import json, socket, sys
    import boto3, botocore.endpoint, botocore.session, botocore.signers
    from botocore.exceptions import NoCredentialsError

    # Clients made before smmock is imported never get its botocore handlers.
    signed = boto3.client(
        "secretsmanager", region_name="us-east-1",
        aws_access_key_id="AKIAUSERSOWNKEY00000", aws_secret_access_key="x",
    )
    anonymous = botocore.session.get_session().create_client(
        "secretsmanager", region_name="eu-west-1"
    )
    assert "smmock" not in sys.modules

    def refuse(*args, **kwargs):
        raise RuntimeError("network access attempted")
    socket.socket.connect = refuse
    socket.create_connection = refuse

    send = botocore.endpoint.Endpoint._send
    sign = botocore.signers.RequestSigner.sign
    import smmock
    out = {}
    with smmock.mock_secrets() as backend:
        out["signed"] = signed.create_secret(Name="signed", SecretString="1")["ARN"]
        out["signed_value"] = signed.get_secret_value(SecretId="signed")["SecretString"]
        out["anonymous"] = anonymous.create_secret(Name="anonymous", SecretString="2")["ARN"]
        try:
            anonymous.describe_secret(SecretId="missing")
        except anonymous.exceptions.ResourceNotFoundException as error:
            out["error"] = error.response["Error"]
        out["stored"] = sorted((s.region, s.name) for s in backend.all_secrets())
    out["restored"] = (
        botocore.endpoint.Endpoint._send is send and botocore.signers.RequestSigner.sign is sign
    )
    try:
        anonymous.list_secrets()
    except NoCredentialsError:
        out["after"] = "NoCredentialsError"
    print(json.dumps(out))
    """
)


def test_clients_created_before_smmock_was_imported(tmp_path: Any) -> None:
    (tmp_path / "empty").write_text("")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "empty"),
        "AWS_CONFIG_FILE": str(tmp_path / "empty"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "PYTHONWARNINGS": "error",
    }
    done = subprocess.run(
        [sys.executable, "-c", _PRE_IMPORT_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["signed"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:signed-")
    assert out["signed_value"] == "1"
    assert out["anonymous"].startswith(
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:anonymous-"
    )
    assert out["error"] == {"Code": "ResourceNotFoundException", "Message": NOT_FOUND}
    assert out["stored"] == [["eu-west-1", "anonymous"], ["us-east-1", "signed"]]
    assert out["restored"] is True
    assert out["after"] == "NoCredentialsError"


def test_endpoint_send_patch_serves_a_client_without_smmock_handlers() -> None:
    # What a client made before `import smmock` looks like: no smmock handler on its
    # emitter, so its requests reach Endpoint._send (and, without credentials, the signer).
    client: Any = boto3.session.Session().client("secretsmanager", region_name="ca-central-1")
    for event, handler in _hook._HANDLERS:
        client.meta.events.unregister(event, handler)
    assert client._request_signer._credentials is None
    with mock_secrets() as backend:
        arn = client.create_secret(Name="bare", SecretString="v")["ARN"]
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_secret_value(SecretId="missing")
        assert backend.get_secret("bare", region="ca-central-1").arn == arn
    with pytest.raises(NoCredentialsError):
        client.list_secrets()


def test_a_failed_start_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    from smmock._intercept import plain_requests as _requests

    def broken(_serve: Any) -> Any:
        raise OSError("cannot patch requests")

    monkeypatch.setattr(_requests, "start", broken)
    environ = dict(os.environ)
    send = vars(botocore.endpoint.Endpoint)["_send"]
    sign = vars(botocore.signers.RequestSigner)["sign"]
    mock = mock_secrets()
    with pytest.raises(OSError, match=r"^cannot patch requests$"):
        mock.start()
    assert dict(os.environ) == environ
    assert vars(botocore.endpoint.Endpoint)["_send"] is send
    assert vars(botocore.signers.RequestSigner)["sign"] is sign
    assert _hook.active_backend() is None
    with pytest.raises(RuntimeError, match=r"^This mock_secrets\(\) is not started"):
        mock.stop()


def test_deactivate_misuse_is_a_runtime_error() -> None:
    with pytest.raises(RuntimeError) as never:
        _hook.deactivate()
    assert str(never.value) == ("smmock is not active: stop() was called more often than start().")
    ended = _hook.activate("123456789012", "us-east-1")
    still = _hook.activate("123456789012", "us-east-1")
    _hook.deactivate(ended)
    with pytest.raises(RuntimeError) as twice:
        _hook.deactivate(ended)
    assert str(twice.value) == "This smmock activation has already ended."
    _hook.deactivate()  # the innermost: `still`
    assert _hook.active_backend() is None
    assert still.account_id == "123456789012"


def test_handlers_are_registered_once() -> None:
    _hook._register()
    registered = [h for h in botocore.handlers.BUILTIN_HANDLERS if h in _hook._HANDLERS]
    assert registered == list(_hook._HANDLERS)


def test_region_of_a_request_without_botocore_context() -> None:
    with mock_secrets(region="sa-east-1") as backend:
        scope = "AWS4-HMAC-SHA256 Credential=AKID/20240310/ap-south-1/secretsmanager/aws4_request"
        cases = {
            ("https://secretsmanager.eu-north-1.amazonaws.com/", scope): "ap-south-1",
            ("https://secretsmanager.eu-north-1.amazonaws.com/", ""): "eu-north-1",
            ("https://secretsmanager.eu-north-1.amazonaws.com/", "Credential=AKID/x"): (
                "eu-north-1"
            ),
            ("http://localhost:4566/", ""): "sa-east-1",
        }
        for (url, authorization), region in cases.items():
            assert _hook.region_from_request(url, authorization, backend) == region
        request = AWSPreparedRequest(
            method="POST",
            url="https://secretsmanager.eu-north-1.amazonaws.com/",
            headers=cast(Any, {"X-Amz-Target": b"secretsmanager.CreateSecret"}),
            body=b'{"Name": "contextless"}',
            stream_output=False,
        )
        response = _hook.before_send(request=request)
        assert response is not None
        assert response.status_code == 200
        assert [s.name for s in backend.secrets(region="eu-north-1")] == ["contextless"]
        # With botocore's context: the signing region, else the client's region.
        request.context = {"signing": {}, "client_region": "eu-south-1"}  # type: ignore[attr-defined]
        assert _hook.before_send(request=request) is not None
        request.context = {"signing": {"region": "me-south-1"}, "client_region": "eu-south-1"}  # type: ignore[attr-defined]
        assert _hook.before_send(request=request) is not None
        assert [(s.region, s.name) for s in backend.all_secrets()] == [
            ("eu-north-1", "contextless"),
            ("eu-south-1", "contextless"),
            ("me-south-1", "contextless"),
        ]


def test_response_content_can_be_awaited() -> None:
    # aiobotocore awaits `http_response.content`; botocore reads it as bytes.
    response = _hook.MockResponse("https://example/", 200, b'{"a":1}')

    async def read() -> bytes:
        return await response.content  # type: ignore[misc]

    assert response.content == b'{"a":1}'
    assert asyncio.run(read()) == b'{"a":1}'
    assert list(response.raw.stream()) == [b'{"a":1}']


def test_plain_requests_are_not_served_without_a_mock() -> None:
    assert (
        _hook._serve_plain("https://secretsmanager.us-east-1.amazonaws.com/", "", "", b"") is None
    )


# -- the handler when no mock is active ----------------------------------------------------


def test_handlers_answer_nothing_without_an_active_mock() -> None:
    request = AWSPreparedRequest(
        method="POST",
        url="https://secretsmanager.us-east-1.amazonaws.com/",
        headers=cast(Any, {"X-Amz-Target": "secretsmanager.ListSecrets"}),
        body=b"{}",
        stream_output=False,
    )
    anonymous_signer = types.SimpleNamespace(_credentials=None)
    context: dict[str, Any] = {}
    assert _hook.before_send(request=request) is None
    _hook.before_call(request_signer=anonymous_signer, context=context)
    assert context == {}
    assert _hook.choose_signer(context={"smmock_unsigned": True}) is None
    with mock_secrets():
        # Signed (with the fake keys) unless skip_signing asks otherwise.
        _hook.before_call(request_signer=anonymous_signer, context=context)
        assert context == {}
    with mock_secrets(skip_signing=True):
        _hook.before_call(request_signer=anonymous_signer, context=context)
        assert context == {"smmock_unsigned": True}
        assert _hook.choose_signer(context=context) is botocore.UNSIGNED
        status = _hook.before_send(request=request)
        assert isinstance(status, AWSResponse)
        assert (status.status_code, json.loads(status.content)) == (200, {"SecretList": []})


def test_without_a_mock_botocore_falls_through_to_the_next_handler() -> None:
    # A handler registered on the client runs after smmock's built-in one; it can only
    # answer when smmock's returned None.
    client = signed_client()

    def canned(request: AWSPreparedRequest, **_kwargs: Any) -> AWSResponse:
        return _hook.MockResponse(request.url, 200, b'{"SecretList":[{"Name":"canned"}]}')

    client.meta.events.register("before-send.secrets-manager", canned)
    assert [s["Name"] for s in client.list_secrets()["SecretList"]] == ["canned"]
    with mock_secrets() as backend:
        backend.create_secret("real", "v")
        assert [s["Name"] for s in client.list_secrets()["SecretList"]] == ["real"]
    assert [s["Name"] for s in client.list_secrets()["SecretList"]] == ["canned"]


# -- botocore runs as in production ----------------------------------------------------


def test_modeled_exceptions_are_raised() -> None:
    with mock_secrets():
        client = sm()
        with pytest.raises(client.exceptions.ResourceNotFoundException) as missing:
            client.get_secret_value(SecretId="missing")
        client.create_secret(Name="dup", SecretString="v")
        with pytest.raises(client.exceptions.ResourceExistsException) as exists:
            client.create_secret(Name="dup", SecretString="v")
    assert missing.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": NOT_FOUND,
    }
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert missing.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert str(missing.value) == (
        "An error occurred (ResourceNotFoundException) when calling the GetSecretValue "
        f"operation: {NOT_FOUND}"
    )
    assert exists.value.response["Error"] == {
        "Code": "ResourceExistsException",
        "Message": "The operation failed because the secret dup already exists.",
    }


def test_responses_are_parsed_into_datetimes() -> None:
    with mock_secrets() as backend:
        client = sm()
        client.create_secret(Name="dated", SecretString="v")
        described = client.describe_secret(SecretId="dated")
        created = backend.get_secret("dated").created_date
    assert described["CreatedDate"].timestamp() == round(created.timestamp(), 3)
    assert described["CreatedDate"].utcoffset() is not None
    assert "x-amzn-requestid" in described["ResponseMetadata"]["HTTPHeaders"]


def test_internal_errors_are_500_and_retried(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[dict[str, Any]] = []
    sleeps: list[float] = []

    def broken(_ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
        calls.append(params)
        raise RuntimeError("bug in an operation")

    monkeypatch.setitem(_protocol.OPERATIONS, "GetSecretValue", broken)
    # botocore sleeps between attempts; record the delays instead of waiting.
    monkeypatch.setattr("botocore.endpoint.time.sleep", sleeps.append)
    caplog.set_level(logging.ERROR, logger="smmock")
    with mock_secrets():
        client = sm(config=Config(retries={"total_max_attempts": 3, "mode": "standard"}))
        with pytest.raises(ClientError) as info:
            client.get_secret_value(SecretId="anything")
    assert info.value.response["Error"] == {
        "Code": "InternalServiceError",
        "Message": "An internal error occurred in smmock; see its log.",
    }
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert info.value.response["ResponseMetadata"]["RetryAttempts"] == 2
    assert calls == [{"SecretId": "anything"}] * 3
    assert len(sleeps) == 2
    assert [r.getMessage() for r in caplog.records] == [
        "smmock failed to serve secretsmanager.GetSecretValue"
    ] * 3


def test_client_errors_are_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    real = _protocol.OPERATIONS["GetSecretValue"]

    def counted(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
        calls.append(params)
        return real(ctx, params)

    monkeypatch.setitem(_protocol.OPERATIONS, "GetSecretValue", counted)
    with mock_secrets():
        client = sm(config=Config(retries={"total_max_attempts": 3, "mode": "standard"}))
        with pytest.raises(client.exceptions.ResourceNotFoundException) as info:
            client.get_secret_value(SecretId="missing")
    assert info.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert len(calls) == 1


# -- what is left alone ------------------------------------------------------------------


def test_other_services_are_not_answered(no_network: list[Any]) -> None:
    with mock_secrets():
        s3 = signed_client("s3", config=Config(retries={"total_max_attempts": 1}))
        with pytest.raises(HTTPClientError) as info:
            s3.list_buckets()
        # Secrets Manager in the same breath is served without the network.
        assert sm().list_secrets()["SecretList"] == []
    assert isinstance(info.value.kwargs["error"], NetworkBlocked)
    assert [a[:2] for a in no_network] == [("s3.amazonaws.com", 443)]
    no_network.clear()


@pytest.mark.parametrize("moto_outside", [True, False])
def test_moto_serves_other_services_while_smmock_serves_secrets_manager(
    moto_outside: bool,
) -> None:
    pytest.importorskip("moto")
    from moto import mock_aws

    outer, inner = (mock_aws(), mock_secrets()) if moto_outside else (mock_secrets(), mock_aws())
    with outer, inner:
        backend = _hook.active_backend()
        assert backend is not None
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="smmock-coexistence")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["smmock-coexistence"]
        backend.create_secret("only-in-smmock", "from-smmock")
        client = sm()
        got = client.get_secret_value(SecretId="only-in-smmock")
        assert got["SecretString"] == "from-smmock"
        assert got["ARN"] == backend.get_secret("only-in-smmock").arn


def test_region_comes_from_the_client() -> None:
    with mock_secrets() as backend:
        europe, america = sm("eu-west-1"), sm("us-east-1")
        arn = europe.create_secret(Name="regional", SecretString="eu")["ARN"]
        assert arn.startswith("arn:aws:secretsmanager:eu-west-1:123456789012:secret:regional-")
        with pytest.raises(america.exceptions.ResourceNotFoundException):
            america.get_secret_value(SecretId="regional")
        assert america.list_secrets()["SecretList"] == []
        america.create_secret(Name="regional", SecretString="us")
        assert europe.get_secret_value(SecretId="regional")["SecretString"] == "eu"
        assert america.get_secret_value(SecretId="regional")["SecretString"] == "us"
        assert [s.name for s in backend.secrets(region="eu-west-1")] == ["regional"]
        assert [s.name for s in backend.secrets(region="us-east-1")] == ["regional"]


def test_accounts_are_isolated() -> None:
    other = "210987654321"
    with mock_secrets() as backend:
        client = sm()
        mine = client.create_secret(Name="same", SecretString="mine")["ARN"]
        with mock_secrets(account_id=other):
            with pytest.raises(client.exceptions.ResourceNotFoundException):
                client.get_secret_value(SecretId="same")
            assert client.list_secrets()["SecretList"] == []
            theirs = client.create_secret(Name="same", SecretString="theirs")["ARN"]
        assert client.get_secret_value(SecretId="same")["SecretString"] == "mine"
        assert [s.name for s in backend.secrets(account_id=other)] == ["same"]
    assert mine.split(":")[4] == "123456789012"
    assert theirs.split(":")[4] == other
