"""No escape: while a mock is active, no Secrets Manager call opens a network connection.

A socket guard replaces ``socket.socket.connect``/``connect_ex``,
``socket.create_connection`` and ``socket.getaddrinfo`` (DNS comes first, so even a
lookup counts) with functions that record the attempt and raise. Every operation of the
installed botocore model is called with minimal valid parameters through every kind of
caller smmock promises to serve: clients made inside the mock, before it started (with
and without credentials), of a session that lacks smmock's handlers (as sessions created
before ``import smmock`` do), pointed at another endpoint, on FIPS and dual-stack
endpoints, and plain ``requests`` POSTs. Errors are fine; connection attempts are not.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import boto3.session
import botocore.session
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError

from smmock import SecretsBackend, mock_secrets
from smmock._intercept import hook as _hook

MODEL = botocore.session.get_session().get_service_model("secretsmanager")
OPERATIONS = tuple(MODEL.operation_names)
REGION = "us-east-1"
SECRET = "no-escape"
ONE_ATTEMPT = Config(retries={"mode": "standard", "total_max_attempts": 1})
# Required members whose generic minimum would be refused before the operation runs.
_MINIMAL = {
    "SecretId": SECRET,
    "Name": "no-escape-new",
    "VersionStage": "AWSCURRENT",
    "ResourcePolicy": json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
            },
        }
    ),
    "Tags": [{"Key": "team", "Value": "a"}],
    "TagKeys": ["team"],
    "AddReplicaRegions": [{"Region": "eu-west-1"}],
    "RemoveReplicaRegions": ["eu-west-1"],
    "CrossAccountReplicaARN": (
        "arn:aws:secretsmanager:us-east-1:210987654321:secret:no-escape-AbCdEf"
    ),
}


class NetworkBlocked(Exception):
    """Raised by the guard. Not an OSError, so nothing on the way retries or swallows it."""


def _minimum(shape: Any) -> Any:
    """The smallest value of a shape that its constraints accept (patterns aside)."""
    kind = shape.type_name
    if kind == "structure":
        return {name: _minimum(shape.members[name]) for name in shape.required_members}
    if kind == "list":
        return [_minimum(shape.member)] * max(1, shape.metadata.get("min", 1))
    if kind == "string":
        return shape.enum[0] if shape.enum else "x" * max(1, shape.metadata.get("min", 1))
    if kind in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if kind == "boolean":
        return False
    if kind == "blob":
        return b"x"
    return {}


def minimal_params(operation: str) -> dict[str, Any]:
    """Required members only: known ones as listed above, any others generated."""
    shape: Any = MODEL.operation_model(operation).input_shape
    return {
        name: _MINIMAL[name] if name in _MINIMAL else _minimum(shape.members[name])
        for name in shape.required_members
    }


pytestmark = pytest.mark.usefixtures("clean_aws_env")


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    """The socket guard: every connection or lookup attempt is recorded and refused.

    Teardown fails the test if any was made; tests that provoke one on purpose check
    the list and clear it.
    """
    seen: list[tuple[str, Any]] = []

    def guard(name: str) -> Callable[..., Any]:
        def refuse(*args: Any, **_kwargs: Any) -> Any:
            target = args[1:] if args and isinstance(args[0], socket.socket) else args
            seen.append((name, target))
            raise NetworkBlocked(f"network access attempted: {name}{target!r}")

        return refuse

    monkeypatch.setattr(socket.socket, "connect", guard("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", guard("connect_ex"))
    monkeypatch.setattr(socket, "create_connection", guard("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", guard("getaddrinfo"))
    yield seen
    assert seen == [], f"network access attempted: {seen}"


def _seed(backend: SecretsBackend) -> None:
    backend.create_secret(SECRET, "value", tags={"team": "a"})


def call(client: Any, operation: str) -> dict[str, Any]:
    """Call an operation; return its response, or the error response it raised."""
    try:
        response: dict[str, Any] = getattr(client, botocore.xform_name(operation))(
            **minimal_params(operation)
        )
    except ClientError as error:
        response = dict(error.response)
    return response


def assert_answered_by_smmock(response: dict[str, Any]) -> None:
    metadata = response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] in (200, 400), response
    assert metadata["HTTPHeaders"]["content-type"] == "application/x-amz-json-1.1"
    assert metadata["RetryAttempts"] == 0


# -- the guard itself ------------------------------------------------------------------------------


def test_the_guard_sees_an_unmocked_client_call(attempts: list[tuple[str, Any]]) -> None:
    client = boto3.client(
        "secretsmanager",
        region_name=REGION,
        aws_access_key_id="AKIAUSERSOWNKEY00000",
        aws_secret_access_key="users-own-secret",
        config=ONE_ATTEMPT,
    )
    with pytest.raises(HTTPClientError) as info:
        client.list_secrets()
    assert isinstance(info.value.kwargs["error"], NetworkBlocked)
    assert [name for name, _ in attempts] == ["getaddrinfo"]
    assert attempts[0][1][:2] == ("secretsmanager.us-east-1.amazonaws.com", 443)
    attempts.clear()


def test_the_guard_sees_an_unmocked_requests_call(attempts: list[tuple[str, Any]]) -> None:
    with pytest.raises(NetworkBlocked):
        requests.post(f"https://secretsmanager.{REGION}.amazonaws.com/", data=b"{}", timeout=5)
    assert [name for name, _ in attempts] == ["getaddrinfo"]
    attempts.clear()


# -- every operation, every kind of caller ---------------------------------------------------------


def _inside(_backend: SecretsBackend, early: Any) -> Any:
    return early["shared session"].client("secretsmanager", region_name=REGION)


def _made_before(_backend: SecretsBackend, early: Any) -> Any:
    return early["no credentials"]


def _made_before_signed(_backend: SecretsBackend, early: Any) -> Any:
    return early["own credentials"]


def _old_session(_backend: SecretsBackend, early: Any) -> Any:
    return early["session without smmock's handlers"]


def _other_endpoint(_backend: SecretsBackend, early: Any) -> Any:
    # E.g. a client configured for LocalStack: the mock still answers it.
    return early["shared session"].client(
        "secretsmanager", region_name=REGION, endpoint_url="http://localhost:4566"
    )


def _fips_dualstack(_backend: SecretsBackend, early: Any) -> Any:
    config = Config(use_fips_endpoint=True, use_dualstack_endpoint=True)
    return early["shared session"].client("secretsmanager", region_name=REGION, config=config)


@pytest.fixture(scope="module")
def early() -> Iterator[dict[str, Any]]:
    """Clients made before any mock starts, in a clean environment, once per module."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("AWS_"):
                patch.delenv(name)
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        patch.setenv("AWS_CONFIG_FILE", os.devnull)
        patch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        assert _hook.active_backend() is None
        session = botocore.session.get_session()
        # A session created before smmock was imported lacks its handlers; only the
        # Endpoint._send and RequestSigner.sign patches can catch its requests.
        handler: Any
        for event, handler in _hook._HANDLERS:
            session.unregister(event, handler)
        yield {
            # Clients of the kinds made inside a mock come from this one session: a
            # session loads the service model once, so each client costs less.
            "shared session": boto3.session.Session(),
            "no credentials": boto3.session.Session().client(
                "secretsmanager", region_name=REGION, config=ONE_ATTEMPT
            ),
            "own credentials": boto3.session.Session(
                aws_access_key_id="AKIAUSERSOWNKEY00000",
                aws_secret_access_key="users-own-secret",
            ).client("secretsmanager", region_name=REGION, config=ONE_ATTEMPT),
            "session without smmock's handlers": session.create_client(
                "secretsmanager", region_name=REGION, config=ONE_ATTEMPT
            ),
        }


CALLERS: dict[str, Callable[[SecretsBackend, Any], Any]] = {
    "client made inside": _inside,
    "client made before, no credentials": _made_before,
    "client made before, own credentials": _made_before_signed,
    "client of a session without smmock's handlers": _old_session,
    "client with another endpoint_url": _other_endpoint,
    "client on a FIPS dual-stack endpoint": _fips_dualstack,
}


@pytest.mark.parametrize("caller", CALLERS.values(), ids=list(CALLERS))
@pytest.mark.parametrize("operation", OPERATIONS)
def test_no_connection_from_any_client(
    operation: str,
    caller: Callable[[SecretsBackend, Any], Any],
    early: dict[str, Any],
    attempts: list[tuple[str, Any]],
) -> None:
    with mock_secrets(region=REGION) as backend:
        _seed(backend)
        response = call(caller(backend, early), operation)
    assert_answered_by_smmock(response)
    assert attempts == []


@pytest.mark.parametrize("operation", OPERATIONS)
def test_no_connection_from_plain_requests(operation: str, attempts: list[tuple[str, Any]]) -> None:
    with mock_secrets(region=REGION) as backend:
        _seed(backend)
        answer = requests.post(
            f"https://secretsmanager.{REGION}.amazonaws.com/",
            data=json.dumps(minimal_params(operation)),
            headers={
                "X-Amz-Target": f"secretsmanager.{operation}",
                "Content-Type": "application/x-amz-json-1.1",
            },
            timeout=5,
        )
    assert answer.status_code in (200, 400), answer.text
    assert answer.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "https://secretsmanager.us-east-1.amazonaws.com",
        "https://secretsmanager.us-east-1.amazonaws.com:443/",
        "http://secretsmanager.us-east-1.amazonaws.com/",
        "https://secretsmanager-fips.us-east-1.amazonaws.com/",
        "https://secretsmanager.cn-north-1.amazonaws.com.cn/",
        "https://secretsmanager.us-gov-west-1.amazonaws.com/",
    ],
)
def test_no_connection_from_plain_requests_to_any_endpoint_form(
    url: str, attempts: list[tuple[str, Any]]
) -> None:
    with mock_secrets():
        answer = requests.post(
            url, data=b"{}", headers={"X-Amz-Target": "secretsmanager.ListSecrets"}, timeout=5
        )
    assert answer.status_code == 200
    assert answer.json() == {"SecretList": []}
    assert attempts == []


def test_no_connection_from_a_rotation_function(attempts: list[tuple[str, Any]]) -> None:
    # The rotation function's own boto3 calls (a client it makes itself, as a Lambda
    # handler would) are served by the same mock.
    arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
    steps: list[str] = []

    def rotate(event: dict[str, str], _context: Any) -> None:
        client = boto3.session.Session().client("secretsmanager")
        steps.append(event["Step"])
        if event["Step"] == "createSecret":
            client.put_secret_value(
                SecretId=event["SecretId"],
                ClientRequestToken=event["ClientRequestToken"],
                SecretString="rotated",
                VersionStages=["AWSPENDING"],
            )
        elif event["Step"] == "finishSecret":
            current = client.describe_secret(SecretId=event["SecretId"])["VersionIdsToStages"]
            (old,) = [v for v, labels in current.items() if "AWSCURRENT" in labels]
            client.update_secret_version_stage(
                SecretId=event["SecretId"],
                VersionStage="AWSCURRENT",
                MoveToVersionId=event["ClientRequestToken"],
                RemoveFromVersionId=old,
            )

    with mock_secrets(region=REGION) as backend:
        _seed(backend)
        backend.register_rotation_function(arn, rotate)
        client = boto3.session.Session().client("secretsmanager", region_name=REGION)
        client.rotate_secret(SecretId=SECRET, RotationLambdaARN=arn)
        value = client.get_secret_value(SecretId=SECRET)["SecretString"]
    assert steps == ["createSecret", "setSecret", "testSecret", "finishSecret"]
    assert value == "rotated"
    assert attempts == []
