"""The contenders: smmock, moto, botocore's Stubber and a canned ``before-send`` handler.

Every contender gets its own client from its own session made after both smmock and moto
were imported, so each client carries the same built-in handlers (smmock's and moto's,
idle when their mock is off). A mock's client is made inside that mock's first activation
and signs with the mock's fake credentials, as a test's client would (smmock's include a
session token: one more signed header, ~10 µs per call); the floors' clients sign with
the benchmark's static credentials. Responses carry the same secret value so botocore's
parser does the same work for each.

Only one mock is active at a time: botocore calls every ``before-send`` handler, so two
active mocks would both serve each request and blur the comparison.

``smmock skip_signing`` is smmock in its optional mode (``mock_secrets(skip_signing=True)``,
off by default) that sends Secrets Manager requests unsigned. It is shown beside the
others and used for no target.
"""

from __future__ import annotations

import datetime
import functools
import json
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3
import boto3.session
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

import smmock
from benchmarks.common import ACCOUNT, REGION, UNSIGNED

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

__all__ = [
    "UNSIGNED",
    "CannedCycle",
    "CannedHandler",
    "EnterExit",
    "ListAll",
    "MockedClient",
    "StubbedClient",
    "TestCycle",
    "moto_mock",
    "smmock_mock",
    "smmock_unsigned_mock",
]

NAME = "bench/db-credentials"
# A typical secret: a small JSON document, as RDS credentials are stored.
VALUE = json.dumps({"username": "app_user", "password": "9f3KqZt1LmNw0XyR7vBc2Hd8"})
VERSION_ID = "5f0c2b9e-8d1a-4c3b-9e7f-1a2b3c4d5e6f"
ARN = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{NAME}-AbC123"
CREATED = 1700000000.123

Operation = Callable[[], object]


class _Mock:
    """A mock as a start/stop pair, so smmock and moto are driven the same way."""

    def __init__(self, label: str, factory: Callable[[], Any]) -> None:
        self.label = label
        self.factory = factory

    def start(self) -> tuple[Any, Any]:
        """Start a new mock; return it and what its ``start()`` returned."""
        mock = self.factory()
        return mock, mock.start()


def smmock_mock() -> _Mock:
    return _Mock("smmock", smmock.mock_secrets)


def smmock_unsigned_mock() -> _Mock:
    """smmock in its optional mode that skips SigV4 signing (not used for any target)."""
    return _Mock(UNSIGNED, functools.partial(smmock.mock_secrets, skip_signing=True))


def moto_mock() -> _Mock:
    from moto import mock_aws

    return _Mock("moto", mock_aws)


def new_client() -> SecretsManagerClient:
    """A client of a fresh session: picks up every handler registered at import."""
    return boto3.session.Session(region_name=REGION).client("secretsmanager")


def _names(calls: int) -> Callable[[], str]:
    # Pre-built so the timed loop only advances an iterator.
    return iter([f"bench/new-{uuid.uuid4().hex}" for _ in range(calls)]).__next__


def _get(client: SecretsManagerClient) -> Operation:
    return functools.partial(client.get_secret_value, SecretId=NAME)


def _create(client: SecretsManagerClient, calls: int) -> Operation:
    name = _names(calls)
    create = client.create_secret

    def operation() -> object:
        return create(Name=name(), SecretString=VALUE)

    return operation


class MockedClient:
    """GetSecretValue or CreateSecret on a client served by a real mock (smmock, moto).

    Parameters:
        mock: the mock, started and stopped around each batch.
        operation: ``"get"`` or ``"create"``.
        client: a client made before the mock started; by default one is made inside
            its first activation (so it signs with the mock's fake keys) and reused.
        label: the contender's label (default: the mock's).
    """

    def __init__(
        self,
        mock: _Mock,
        operation: str,
        client: SecretsManagerClient | None = None,
        label: str | None = None,
    ) -> None:
        self.label = label or mock.label
        self.client = client
        self._mock = mock
        self._operation = operation
        self._active: Any = None

    def begin(self, calls: int) -> Operation:
        self._active, _ = self._mock.start()
        if self.client is None:
            self.client = new_client()
        if self._operation == "get":
            self.client.create_secret(Name=NAME, SecretString=VALUE)
            return _get(self.client)
        return _create(self.client, calls)

    def end(self) -> None:
        self._active.stop()


def wire_body(operation: str) -> bytes:
    """The JSON body AWS (and smmock) answers for ``operation`` on the benchmark secret."""
    if operation == "get":
        body: dict[str, Any] = {
            "ARN": ARN,
            "Name": NAME,
            "VersionId": VERSION_ID,
            "SecretString": VALUE,
            "VersionStages": ["AWSCURRENT"],
            "CreatedDate": CREATED,
        }
    else:
        body = {"ARN": ARN, "Name": NAME, "VersionId": VERSION_ID}
    return json.dumps(body, separators=(",", ":")).encode()


class _Raw:
    """The smallest ``raw`` botocore accepts: something with ``stream()``."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs: Any) -> Any:
        yield self._body


class CannedHandler:
    """The floor for any mock that keeps botocore's wire round trip.

    A ``before-send`` handler that ignores the request and answers pre-encoded bytes:
    serialization, signing, parsing and retry checks all still run, the mock does nothing.
    """

    label = "canned before-send"

    def __init__(self, operation: str) -> None:
        self._operation = operation
        body = wire_body(operation)
        raw = _Raw(body)
        # botocore-stubs type headers as HTTPHeaders; AWSResponse wraps any mapping.
        headers: Any = {
            "x-amzn-RequestId": VERSION_ID,
            "Content-Type": "application/x-amz-json-1.1",
            "Content-Length": str(len(body)),
        }

        def handler(request: Any, **_kwargs: Any) -> Any:
            return AWSResponse(request.url, 200, headers, raw)

        self.client = new_client()
        self.client.meta.events.register("before-send.secrets-manager", handler)

    def begin(self, calls: int) -> Operation:
        if self._operation == "get":
            return _get(self.client)
        return _create(self.client, calls)

    def end(self) -> None:
        pass


class StubbedClient:
    """botocore's Stubber: the absolute floor (no signing, no wire bytes, no parsing)."""

    label = "botocore Stubber"

    def __init__(self, operation: str) -> None:
        self._operation = operation
        self._client = new_client()
        self._stubber = Stubber(self._client)
        self._stubber.activate()
        response: dict[str, Any] = json.loads(wire_body(operation))
        if "CreatedDate" in response:
            response["CreatedDate"] = datetime.datetime.fromtimestamp(
                CREATED, datetime.timezone.utc
            )
        self._response = response

    def begin(self, calls: int) -> Operation:
        method = "get_secret_value" if self._operation == "get" else "create_secret"
        for _ in range(calls):
            self._stubber.add_response(method, self._response)
        if self._operation == "get":
            return _get(self._client)
        return _create(self._client, calls)

    def end(self) -> None:
        self._stubber.assert_no_pending_responses()


class EnterExit:
    """``with mock(): pass`` on a warm process."""

    def __init__(self, mock: _Mock) -> None:
        self.label = mock.label
        self._factory = mock.factory

    def begin(self, calls: int) -> Operation:
        factory = self._factory

        def operation() -> None:
            with factory():
                pass

        return operation

    def end(self) -> None:
        pass


class TestCycle:
    """One small test: enter the mock, make a client, create a secret, read it, exit."""

    __test__ = False  # not a pytest class, whatever collects this module

    def __init__(self, mock: _Mock) -> None:
        self.label = mock.label
        self._factory = mock.factory

    def begin(self, calls: int) -> Operation:
        factory = self._factory

        def operation() -> None:
            with factory():
                client = boto3.client("secretsmanager", region_name=REGION)
                client.create_secret(Name=NAME, SecretString=VALUE)
                client.get_secret_value(SecretId=NAME)

        return operation

    def end(self) -> None:
        pass


class CannedCycle:
    """The test cycle's floor for a wire mock: no mock at all, a canned handler per client.

    It pays what any mock keeping botocore's round trip pays: building the client and
    its first calls (endpoint rules, serializers, signing, parsing).
    """

    __test__ = False
    label = "canned before-send"

    def __init__(self) -> None:
        bodies = {
            b"secretsmanager.CreateSecret": wire_body("create"),
            b"secretsmanager.GetSecretValue": wire_body("get"),
        }
        content_type = "application/x-amz-json-1.1"

        def handler(request: Any, **_kwargs: Any) -> Any:
            target = request.headers["X-Amz-Target"]
            body = bodies[target if isinstance(target, bytes) else target.encode()]
            headers: Any = {"Content-Type": content_type, "Content-Length": str(len(body))}
            return AWSResponse(request.url, 200, headers, _Raw(body))

        self._handler = handler

    def begin(self, calls: int) -> Operation:
        handler = self._handler

        def operation() -> None:
            client = boto3.client("secretsmanager", region_name=REGION)
            client.meta.events.register("before-send.secrets-manager", handler)
            client.create_secret(Name=NAME, SecretString=VALUE)
            client.get_secret_value(SecretId=NAME)

        return operation

    def end(self) -> None:
        pass


def _seed_smmock(backend: smmock.SecretsBackend, count: int) -> None:
    for index in range(count):
        backend.create_secret(f"bench/secret-{index:05d}", VALUE)


def _seed_moto(client: SecretsManagerClient, count: int) -> None:
    # moto's own backend is far quicker to seed than 10,000 HTTP round trips; it is a
    # moto internal, so fall back to the client if its signature ever changes.
    try:
        from moto.secretsmanager.models import secretsmanager_backends

        backend = secretsmanager_backends[ACCOUNT][REGION]
        for index in range(count):
            backend.create_secret(
                name=f"bench/secret-{index:05d}",
                secret_string=VALUE,
                secret_binary=None,
                description=None,
                tags=None,
                kms_key_id=None,
                client_request_token=str(uuid.uuid4()),
                replica_regions=[],
                force_overwrite=False,
            )
    except (ImportError, TypeError):
        for index in range(count):
            client.create_secret(Name=f"bench/secret-{index:05d}", SecretString=VALUE)


def list_all(client: SecretsManagerClient) -> int:
    """Page through ListSecrets with MaxResults=100; return how many secrets came back."""
    total = 0
    token: str | None = None
    while True:
        if token is None:
            page = client.list_secrets(MaxResults=100)
        else:
            page = client.list_secrets(MaxResults=100, NextToken=token)
        total += len(page["SecretList"])
        token = page.get("NextToken")
        if token is None:
            return total


class ListAll:
    """Full ListSecrets pagination over ``count`` secrets seeded before timing."""

    def __init__(self, mock: _Mock, count: int) -> None:
        self.label = f"{mock.label} {count:,}"
        self.count = count
        self._mock = mock
        self._client: SecretsManagerClient | None = None
        self._active: Any = None

    def begin(self, calls: int) -> Operation:
        self._active, started = self._mock.start()
        if self._client is None:
            self._client = new_client()
        client = self._client
        if isinstance(started, smmock.SecretsBackend):
            _seed_smmock(started, self.count)
        else:
            _seed_moto(client, self.count)
        expected = self.count

        def operation() -> None:
            found = list_all(client)
            if found != expected:
                raise RuntimeError(f"{self.label}: listed {found} secrets, expected {expected}")

        return operation

    def end(self) -> None:
        self._active.stop()
