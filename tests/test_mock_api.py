"""The public mock API: decorator forms, context manager, start/stop, nesting, restoration."""

from __future__ import annotations

import asyncio
import inspect
import os
import re
import unittest
from collections.abc import AsyncIterator, Generator, Iterator
from typing import Any

import boto3
import botocore.endpoint
import botocore.handlers
import botocore.session
import botocore.signers
import pytest
import requests.adapters

from smmock import MockSecrets, SecretsBackend, mock_secrets
from smmock._intercept import hook as _hook

ARN_SUFFIX = r"-[A-Za-z0-9]{6}"
OTHER_ACCOUNT = "210987654321"


pytestmark = pytest.mark.usefixtures("clean_aws_env")


def sm(region: str | None = "us-east-1") -> Any:
    if region is None:
        return boto3.client("secretsmanager")
    return boto3.client("secretsmanager", region_name=region)


def round_trip(name: str = "n", value: str = "v", region: str | None = "us-east-1") -> str:
    client = sm(region)
    client.create_secret(Name=name, SecretString=value)
    return str(client.get_secret_value(SecretId=name)["SecretString"])


class Snapshot:
    """Everything smmock may change while active, to compare before and after."""

    def __init__(self) -> None:
        self.environ = dict(os.environ)
        self.send = vars(botocore.endpoint.Endpoint)["_do_get_response"]
        self.sign = vars(botocore.signers.RequestSigner)["sign"]
        self.create_client = vars(botocore.session.Session)["create_client"]
        self.adapter_send = vars(requests.adapters.HTTPAdapter)["send"]
        self.handlers = list(botocore.handlers.BUILTIN_HANDLERS)

    def assert_restored(self) -> None:
        assert dict(os.environ) == self.environ
        assert vars(botocore.endpoint.Endpoint)["_do_get_response"] is self.send
        assert vars(botocore.signers.RequestSigner)["sign"] is self.sign
        assert vars(botocore.session.Session)["create_client"] is self.create_client
        assert vars(requests.adapters.HTTPAdapter)["send"] is self.adapter_send
        assert self.handlers == botocore.handlers.BUILTIN_HANDLERS
        assert _hook.active_backend() is None


# -- decorator forms ---------------------------------------------------------------------


def test_bare_decorator_on_a_function() -> None:
    @mock_secrets
    def body(value: str) -> tuple[str, SecretsBackend | None]:
        return round_trip(value=value), _hook.active_backend()

    value, backend = body("bare")

    assert value == "bare"
    assert isinstance(backend, SecretsBackend)
    assert body.__name__ == "body"
    assert _hook.active_backend() is None


def test_decorator_with_account_and_region() -> None:
    @mock_secrets(account_id=OTHER_ACCOUNT, region="eu-west-1")
    def body() -> tuple[str, str, str]:
        # No region_name: smmock sets AWS_DEFAULT_REGION to its region when none is set.
        arn = sm(None).create_secret(Name="configured", SecretString="v")["ARN"]
        return arn, os.environ["AWS_DEFAULT_REGION"], os.environ["AWS_ACCESS_KEY_ID"]

    arn, region, key = body()

    assert re.fullmatch(
        rf"arn:aws:secretsmanager:eu-west-1:{OTHER_ACCOUNT}:secret:configured{ARN_SUFFIX}", arn
    )
    assert region == "eu-west-1"
    assert key == "AKIAIOSFODNN7EXAMPLE"
    assert "AWS_DEFAULT_REGION" not in os.environ
    assert "AWS_ACCESS_KEY_ID" not in os.environ


def test_default_account_in_arn() -> None:
    with mock_secrets():
        arn = sm().create_secret(Name="default", SecretString="v")["ARN"]
    assert re.fullmatch(
        rf"arn:aws:secretsmanager:us-east-1:123456789012:secret:default{ARN_SUFFIX}", arn
    )


def test_decorator_on_a_coroutine_function() -> None:
    @mock_secrets(account_id=OTHER_ACCOUNT)
    async def body(value: str) -> tuple[str, str]:
        await asyncio.sleep(0)
        client = sm()
        arn = client.create_secret(Name="async", SecretString=value)["ARN"]
        return arn, client.get_secret_value(SecretId="async")["SecretString"]

    assert inspect.iscoroutinefunction(body)
    assert _hook.active_backend() is None  # creating the coroutine starts nothing
    arn, value = asyncio.run(body("awaited"))

    assert value == "awaited"
    assert f":{OTHER_ACCOUNT}:secret:async-" in arn
    assert _hook.active_backend() is None


def test_decorator_on_a_method() -> None:
    class Service:
        def __init__(self) -> None:
            self.prefix = "svc/"

        @mock_secrets
        def store(self, name: str) -> str:
            return round_trip(self.prefix + name, "stored")

    assert Service().store("one") == "stored"
    assert Service().store("one") == "stored"  # fresh state: no ResourceExistsException
    assert _hook.active_backend() is None


def test_decorator_on_a_plain_class_wraps_test_methods_only() -> None:
    @mock_secrets(account_id=OTHER_ACCOUNT)
    class Tests:
        def test_sync(self) -> str:
            return round_trip("sync", "1")

        async def test_async(self) -> str:
            return round_trip("async", "2")

        @staticmethod
        def test_static() -> str:
            return round_trip("static", "3")

        @classmethod
        def test_class(cls) -> str:
            return round_trip(cls.__name__, "4")

        def helper(self) -> SecretsBackend | None:
            return _hook.active_backend()

        test_data = ["not", "callable"]

    tests = Tests()
    assert tests.test_sync() == "1"
    assert asyncio.run(tests.test_async()) == "2"
    assert tests.test_static() == "3"
    assert Tests.test_static() == "3"
    assert tests.test_class() == "4"
    assert tests.helper() is None
    assert Tests.test_data == ["not", "callable"]
    assert _hook.active_backend() is None


def test_decorator_on_a_unittest_testcase() -> None:
    events: list[tuple[str, Any]] = []

    @mock_secrets(account_id=OTHER_ACCOUNT)
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            self.client = sm()
            # Fails with ResourceExistsException if state leaked from the previous test.
            arn = self.client.create_secret(Name="fixture", SecretString="from-setUp")["ARN"]
            events.append(("setUp", arn.split(":")[4]))

        def tearDown(self) -> None:
            names = [s["Name"] for s in self.client.list_secrets()["SecretList"]]
            events.append(("tearDown", names))

        def test_one(self) -> None:
            self.client.create_secret(Name="one", SecretString="1")
            value = self.client.get_secret_value(SecretId="fixture")["SecretString"]
            events.append(("test_one", value))

        def test_two(self) -> None:
            names = [s["Name"] for s in self.client.list_secrets()["SecretList"]]
            events.append(("test_two", names))

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)

    assert result.errors == []
    assert result.failures == []
    assert result.testsRun == 2
    assert events == [
        ("setUp", OTHER_ACCOUNT),
        ("test_one", "from-setUp"),
        ("tearDown", ["fixture", "one"]),
        ("setUp", OTHER_ACCOUNT),
        ("test_two", ["fixture"]),
        ("tearDown", ["fixture"]),
    ]
    assert _hook.active_backend() is None


def test_unittest_setup_that_raises_still_stops_the_mock() -> None:
    @mock_secrets
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            raise RuntimeError("setUp failed")

        def test_nothing(self) -> None:
            raise AssertionError("not reached")  # pragma: no cover

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)

    assert len(result.errors) == 1
    assert "RuntimeError: setUp failed" in result.errors[0][1]
    assert _hook.active_backend() is None


def test_decorator_on_a_generator_function() -> None:
    @mock_secrets
    def body(name: str) -> Generator[str, str, str]:
        client = sm()
        client.create_secret(Name=name, SecretString="first")
        reply = yield client.get_secret_value(SecretId=name)["SecretString"]
        client.put_secret_value(SecretId=name, SecretString=reply)
        yield client.get_secret_value(SecretId=name)["SecretString"]
        return str(_hook.active_backend() is not None)

    generator = body("gen")
    assert _hook.active_backend() is None  # nothing runs before the first next()
    assert next(generator) == "first"
    assert _hook.active_backend() is not None
    assert generator.send("second") == "second"
    with pytest.raises(StopIteration) as info:
        next(generator)
    assert info.value.value == "True"
    assert _hook.active_backend() is None


@pytest.fixture
@mock_secrets(account_id=OTHER_ACCOUNT)
def decorated_yield_fixture() -> Iterator[str]:
    arn = sm().create_secret(Name="from-fixture", SecretString="v")["ARN"]
    yield arn
    # Teardown still runs inside the mock, with the test's changes visible.
    assert sm().get_secret_value(SecretId="from-fixture")["SecretString"] == "changed"


def test_decorated_yield_fixture_keeps_the_mock_for_the_test(decorated_yield_fixture: str) -> None:
    assert decorated_yield_fixture.split(":")[4] == OTHER_ACCOUNT
    assert sm().get_secret_value(SecretId="from-fixture")["ARN"] == decorated_yield_fixture
    sm().put_secret_value(SecretId="from-fixture", SecretString="changed")


def test_async_generator_functions_are_refused() -> None:
    async def body() -> AsyncIterator[None]:
        yield None

    with pytest.raises(TypeError) as info:
        mock_secrets(body)
    assert str(info.value) == (
        "mock_secrets cannot decorate an async generator function; "
        "use `with mock_secrets():` inside it."
    )


def test_decorating_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError) as info:
        mock_secrets(42)  # type: ignore[call-overload]
    assert str(info.value) == (
        "mock_secrets can decorate a function, coroutine function or class, not 42."
    )


# -- context manager and start/stop -------------------------------------------------------


def test_context_manager_yields_the_active_backend() -> None:
    with mock_secrets() as backend:
        assert isinstance(backend, SecretsBackend)
        assert backend is _hook.active_backend()
        seeded = backend.create_secret("seeded", "from-backend", tags={"team": "a"})
        got = sm().get_secret_value(SecretId="seeded")
        assert got["ARN"] == seeded.arn
        assert got["SecretString"] == "from-backend"
        assert backend.labels("seeded") == {"AWSCURRENT": got["VersionId"]}


def test_start_and_stop() -> None:
    mock = mock_secrets(region="eu-west-1")
    assert isinstance(mock, MockSecrets)
    backend = mock.start()
    try:
        assert backend is _hook.active_backend()
        assert backend.region == "eu-west-1"
        assert round_trip(region="eu-west-1") == "v"
    finally:
        mock.stop()
    assert _hook.active_backend() is None
    assert backend.all_secrets() == []


def test_stop_without_start_is_a_runtime_error() -> None:
    mock = mock_secrets()
    with pytest.raises(RuntimeError) as info:
        mock.stop()
    assert str(info.value) == (
        "This mock_secrets() is not started: call start() before stop(), "
        "or use it as a context manager."
    )


def test_stop_more_often_than_start_is_a_runtime_error() -> None:
    mock = mock_secrets()
    mock.start()
    mock.stop()
    with pytest.raises(RuntimeError, match=r"^This mock_secrets\(\) is not started"):
        mock.stop()


def test_one_object_started_twice_needs_two_stops() -> None:
    mock = mock_secrets()
    first = mock.start()
    second = mock.start()
    assert first is second
    mock.stop()
    assert _hook.active_backend() is first
    mock.stop()
    assert _hook.active_backend() is None


# -- nesting -------------------------------------------------------------------------------


@pytest.fixture
def outer_with() -> Iterator[SecretsBackend]:
    with mock_secrets() as backend:
        backend.create_secret("from-with", "1")
        yield backend


@pytest.fixture
def inner_fixture(outer_with: SecretsBackend) -> Iterator[SecretsBackend]:
    with mock_secrets() as backend:
        backend.create_secret("from-fixture", "2")
        yield backend


@mock_secrets
def test_decorator_inside_fixture_inside_with_share_one_state(
    outer_with: SecretsBackend, inner_fixture: SecretsBackend
) -> None:
    active = _hook.active_backend()
    assert outer_with is inner_fixture is active
    client = sm()
    client.create_secret(Name="from-test", SecretString="3")
    assert [s["Name"] for s in client.list_secrets()["SecretList"]] == [
        "from-with",
        "from-fixture",
        "from-test",
    ]
    assert [s.name for s in outer_with.secrets()] == ["from-with", "from-fixture", "from-test"]


def test_inner_exit_keeps_state_and_outer_exit_resets_it() -> None:
    with mock_secrets() as outer:
        with mock_secrets() as inner:
            assert inner is outer
            sm().create_secret(Name="kept", SecretString="v")
        assert _hook.active_backend() is outer
        assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAIOSFODNN7EXAMPLE"
        assert sm().get_secret_value(SecretId="kept")["SecretString"] == "v"
    assert outer.all_secrets() == []
    with mock_secrets() as again:
        assert again is not outer
        assert sm().list_secrets()["SecretList"] == []


def test_nested_account_and_region_apply_to_requests_and_helpers() -> None:
    with mock_secrets() as backend:
        backend.create_secret("shared-name", "outer")
        assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
        with mock_secrets(account_id=OTHER_ACCOUNT, region="eu-west-1"):
            assert (backend.account_id, backend.region) == (OTHER_ACCOUNT, "eu-west-1")
            assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"
            seeded = backend.create_secret("shared-name", "inner")
            assert seeded.arn.startswith(
                f"arn:aws:secretsmanager:eu-west-1:{OTHER_ACCOUNT}:secret:shared-name-"
            )
            got = sm(None).get_secret_value(SecretId="shared-name")
            assert (got["ARN"], got["SecretString"]) == (seeded.arn, "inner")
        assert (backend.account_id, backend.region) == ("123456789012", "us-east-1")
        assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
        assert sm(None).get_secret_value(SecretId="shared-name")["SecretString"] == "outer"
        assert sorted((s.account_id, s.region) for s in backend.all_secrets()) == [
            ("123456789012", "us-east-1"),
            (OTHER_ACCOUNT, "eu-west-1"),
        ]
    assert "AWS_DEFAULT_REGION" not in os.environ


def test_user_region_is_kept_while_nested(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    with mock_secrets(), mock_secrets(region="eu-west-1") as backend:
        assert os.environ["AWS_DEFAULT_REGION"] == "ap-south-1"
        assert backend.region == "eu-west-1"
    assert os.environ["AWS_DEFAULT_REGION"] == "ap-south-1"


def test_region_the_test_sets_while_active_survives_nested_mocks() -> None:
    with mock_secrets():
        os.environ["AWS_DEFAULT_REGION"] = "eu-central-1"
        with mock_secrets(region="eu-west-1"):
            assert os.environ["AWS_DEFAULT_REGION"] == "eu-central-1"
        assert os.environ["AWS_DEFAULT_REGION"] == "eu-central-1"
    assert "AWS_DEFAULT_REGION" not in os.environ


def test_stopping_out_of_order_keeps_the_remaining_mock_configured() -> None:
    first = mock_secrets()
    second = mock_secrets(account_id=OTHER_ACCOUNT)
    backend = first.start()
    second.start()
    first.stop()
    assert _hook.active_backend() is backend
    assert backend.account_id == OTHER_ACCOUNT
    arn = sm().create_secret(Name="left", SecretString="v")["ARN"]
    assert arn.split(":")[4] == OTHER_ACCOUNT
    second.stop()
    assert _hook.active_backend() is None


# -- restoring everything ------------------------------------------------------------------


@pytest.fixture
def odd_environment(clean_aws_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # After clean_aws_env, which empties AWS_* first.
    # Empty strings must come back as empty strings, absent names stay absent.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "users-own-token")
    monkeypatch.setenv("SMMOCK_UNRELATED", "")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    monkeypatch.delenv("AWS_SECURITY_TOKEN", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)


@pytest.mark.usefixtures("odd_environment")
def test_everything_is_restored_after_the_outermost_exit() -> None:
    before = Snapshot()
    with mock_secrets(region="eu-west-1"):
        assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAIOSFODNN7EXAMPLE"
        assert os.environ["AWS_SECRET_ACCESS_KEY"] == "smmock-fake-secret-access-key"
        # The user's own session token must not ride along with the fake keys.
        assert "AWS_SESSION_TOKEN" not in os.environ
        assert "AWS_SECURITY_TOKEN" not in os.environ
        assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"  # "" names no region
        assert "AWS_REGION" not in os.environ
        assert vars(botocore.endpoint.Endpoint)["_do_get_response"] is not before.send
        assert vars(botocore.session.Session)["create_client"] is not before.create_client
        assert vars(botocore.signers.RequestSigner)["sign"] is not before.sign
        assert vars(requests.adapters.HTTPAdapter)["send"] is not before.adapter_send
        assert round_trip(region=None) == "v"
    before.assert_restored()
    assert os.environ["AWS_ACCESS_KEY_ID"] == ""
    assert os.environ["AWS_DEFAULT_REGION"] == ""


@pytest.mark.usefixtures("odd_environment")
def test_everything_is_restored_when_the_body_raises() -> None:
    before = Snapshot()

    def body() -> None:
        with mock_secrets(), mock_secrets():
            sm().create_secret(Name="doomed", SecretString="v")
            raise KeyError("from the body")

    with pytest.raises(KeyError) as info:
        body()
    assert info.value.args == ("from the body",)
    before.assert_restored()


@pytest.mark.usefixtures("odd_environment")
def test_everything_is_restored_when_a_decorated_function_raises() -> None:
    before = Snapshot()

    @mock_secrets
    def body() -> None:
        sm().get_secret_value(SecretId="missing")

    with pytest.raises(sm().exceptions.ResourceNotFoundException):
        body()
    before.assert_restored()


def test_everything_is_restored_when_a_coroutine_raises() -> None:
    before = Snapshot()

    @mock_secrets
    async def body() -> None:
        raise ValueError("async body")

    with pytest.raises(ValueError, match=r"^async body$"):
        asyncio.run(body())
    before.assert_restored()


def test_boto3_default_session_forgets_the_fake_credentials() -> None:
    with mock_secrets():
        inside = sm()
        assert inside._request_signer._credentials.access_key == "AKIAIOSFODNN7EXAMPLE"
    # The default session, reused by boto3.client(), must not keep signing with them.
    assert sm()._request_signer._credentials is None


# -- invalid options -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("account_id", "shown"),
    [("12345", "'12345'"), ("12345678901a", "'12345678901a'"), (123456789012, "123456789012")],
)
def test_invalid_account_id(account_id: Any, shown: str) -> None:
    with pytest.raises(ValueError) as info:
        mock_secrets(account_id=account_id)
    assert str(info.value) == f"account_id must be a string of 12 digits, not {shown}."


@pytest.mark.parametrize(
    ("region", "shown"),
    [
        ("", "''"),
        ("us east 1", "'us east 1'"),
        ("-us-east-1", "'-us-east-1'"),
        ("EU", "'EU'"),
        ("US-EAST-1", "'US-EAST-1'"),
        ("us-east", "'us-east'"),
        (1, "1"),
    ],
)
def test_invalid_region(region: Any, shown: str) -> None:
    with pytest.raises(ValueError) as info:
        MockSecrets(region=region)
    assert str(info.value) == (
        "region must be a region name such as 'us-east-1' (lowercase words and a number, "
        f"joined by '-'), not {shown}."
    )
