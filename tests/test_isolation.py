"""Isolation: what the outermost mock leaves behind, and what one activation or test leaves
for the next (nothing), in one process and across pytest-xdist workers.

Restored after every way out (normal exit, an exception or a ``BaseException`` from the
body, a nested mock raising, ``stop()``, a failing start): the environment exactly,
values, empty strings and absent variables alike; ``boto3.DEFAULT_SESSION`` (the same
object, credentials it had resolved included); ``botocore.handlers.BUILTIN_HANDLERS``
(the same list, same contents); and the class attributes smmock patches
(``Endpoint._send``, ``RequestSigner.sign``, ``HTTPAdapter.send``), including somebody
else's patch that was in place first.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import boto3.session
import botocore.endpoint
import botocore.handlers
import botocore.signers
import pytest
import requests
import requests.adapters
import responses

from smmock import mock_secrets
from smmock._intercept import hook as _hook
from smmock._intercept import plain_requests as _requests

REGION = "us-east-1"
NOT_FOUND = "Secrets Manager can't find the specified secret."
USER_KEY = "AKIAUSERSOWNKEY00000"
# Odd but legal starting points: empty strings are values, absent variables stay absent.
ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "",
    "AWS_SESSION_TOKEN": "",
    "AWS_DEFAULT_REGION": "",
    "SMMOCK_UNRELATED": "keep me",
    "SMMOCK_EMPTY": "",
}
ABSENT = ("AWS_SECRET_ACCESS_KEY", "AWS_SECURITY_TOKEN", "AWS_REGION", "AWS_PROFILE")


class Boom(Exception):
    """Raised from a mocked body."""


class Interrupt(BaseException):
    """A BaseException from the body, as KeyboardInterrupt or a test timeout would be."""


@pytest.fixture(autouse=True)
def odd_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[None]:
    """No AWS settings from this machine; a few empty and absent variables; no mock left."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    (tmp_path / "empty").write_text("")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    # A default session of this test's own, whatever an earlier test left there: the
    # mocked code below uses boto3.client(), which would create one if there were none.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", boto3.session.Session())
    assert _hook.active_backend() is None
    yield
    assert _hook.active_backend() is None, "a test left smmock active"


class Before:
    """Everything smmock may touch while active, captured before it starts."""

    def __init__(self) -> None:
        self.environ = dict(os.environ)
        self.absent = [name for name in ABSENT if name not in os.environ]
        self.default_session = boto3.DEFAULT_SESSION
        self.handlers_list = botocore.handlers.BUILTIN_HANDLERS
        self.handlers = list(botocore.handlers.BUILTIN_HANDLERS)
        self.send = vars(botocore.endpoint.Endpoint)["_send"]
        self.sign = vars(botocore.signers.RequestSigner)["sign"]
        self.adapter_send = vars(requests.adapters.HTTPAdapter)["send"]

    def assert_restored(self) -> None:
        assert dict(os.environ) == self.environ
        for name in self.absent:
            assert name not in os.environ
        assert boto3.DEFAULT_SESSION is self.default_session
        assert botocore.handlers.BUILTIN_HANDLERS is self.handlers_list
        assert self.handlers == botocore.handlers.BUILTIN_HANDLERS
        assert vars(botocore.endpoint.Endpoint)["_send"] is self.send
        assert vars(botocore.signers.RequestSigner)["sign"] is self.sign
        assert vars(requests.adapters.HTTPAdapter)["send"] is self.adapter_send
        assert _hook.active_backend() is None


def use_everything() -> None:
    """Exercise every patched path: boto3's default session, a fresh session, requests."""
    boto3.client("secretsmanager", region_name=REGION).create_secret(Name="a", SecretString="v")
    session = boto3.session.Session(region_name=REGION)
    assert session.client("secretsmanager").get_secret_value(SecretId="a")["SecretString"] == "v"
    answer = requests.post(
        f"https://secretsmanager.{REGION}.amazonaws.com/",
        data=b'{"SecretId": "a"}',
        headers={"X-Amz-Target": "secretsmanager.DescribeSecret"},
        timeout=5,
    )
    assert answer.status_code == 200
    assert answer.json()["Name"] == "a"


def access_key(credentials: Any) -> str | None:
    return None if credentials is None else str(credentials.access_key)


def signing_key(client: Any) -> str | None:
    """The access key a client signs with (None: it has no credentials)."""
    return access_key(client._request_signer._credentials)


# -- the ways out of a mock -----------------------------------------------------------------------


def exit_normally() -> None:
    with mock_secrets():
        use_everything()


def _raise_in_mock(error: type[BaseException]) -> None:
    with mock_secrets():
        use_everything()
        raise error


def exit_by_exception() -> None:
    with pytest.raises(Boom):
        _raise_in_mock(Boom)


def exit_by_base_exception() -> None:
    with pytest.raises(Interrupt):
        _raise_in_mock(Interrupt)


def exit_nested_by_exception() -> None:
    @mock_secrets(region="eu-west-1")
    def inner() -> None:
        use_everything()
        raise Boom

    with pytest.raises(Boom), mock_secrets(), mock_secrets(account_id="210987654321"):
        inner()


def exit_by_stop() -> None:
    outer, inner = mock_secrets(), mock_secrets()
    outer.start()
    inner.start()
    use_everything()
    outer.stop()  # out of order: the inner one is now the outermost
    inner.stop()


def exit_from_a_decorated_coroutine() -> None:
    @mock_secrets
    async def body() -> None:
        use_everything()
        raise Boom

    with pytest.raises(Boom):
        asyncio.run(body())


WAYS_OUT: dict[str, Callable[[], None]] = {
    "normal exit": exit_normally,
    "exception": exit_by_exception,
    "BaseException": exit_by_base_exception,
    "nested mocks, inner raises": exit_nested_by_exception,
    "start/stop out of order": exit_by_stop,
    "decorated coroutine raises": exit_from_a_decorated_coroutine,
}


@pytest.mark.parametrize("way_out", WAYS_OUT.values(), ids=list(WAYS_OUT))
def test_everything_is_restored(way_out: Callable[[], None]) -> None:
    before = Before()
    way_out()
    before.assert_restored()
    assert os.environ["AWS_ACCESS_KEY_ID"] == ""
    assert os.environ["SMMOCK_UNRELATED"] == "keep me"
    # The default session resolved smmock's fake keys inside the mock; it must not keep
    # signing with them (there are no credentials out here).
    assert signing_key(boto3.client("secretsmanager", region_name=REGION)) is None


@pytest.mark.parametrize("way_out", WAYS_OUT.values(), ids=list(WAYS_OUT))
def test_an_existing_default_session_is_kept_with_its_credentials(
    way_out: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", USER_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "users-own-secret")
    boto3.setup_default_session(region_name=REGION)
    session = boto3.DEFAULT_SESSION
    assert session is not None
    assert access_key(session.get_credentials()) == USER_KEY
    before = Before()
    way_out()
    before.assert_restored()
    # Still the user's session, still signing with the user's key, not smmock's fake one.
    assert boto3.DEFAULT_SESSION is session
    assert access_key(session.get_credentials()) == USER_KEY
    assert signing_key(boto3.client("secretsmanager")) == USER_KEY


def test_a_mock_that_uses_no_boto3_creates_no_default_session(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    with mock_secrets() as backend:
        backend.create_secret("seeded", "v")
    assert boto3.DEFAULT_SESSION is None


def test_a_failing_start_restores_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    # The last patch to go in is the requests one; make it fail.
    def refuse(_serve: Any) -> Any:
        raise RuntimeError("responses is broken")

    before = Before()
    with monkeypatch.context() as patch:
        patch.setattr(_requests, "start", refuse)
        with pytest.raises(RuntimeError, match=r"^responses is broken$"):
            mock_secrets().start()
        before.assert_restored()
    # Nothing half-installed is left to trip the next mock.
    with mock_secrets():
        use_everything()
    before.assert_restored()


def test_someone_elses_patches_survive_and_keep_working() -> None:
    # A user's own responses mock (patching HTTPAdapter.send) and a wrapper around
    # Endpoint._send were in place before smmock started: both are back afterwards, and
    # the responses mock still answers its URL.
    original_send = vars(botocore.endpoint.Endpoint)["_send"]
    original_adapter_send = vars(requests.adapters.HTTPAdapter)["send"]
    calls: list[str] = []

    def wrapped_send(self: Any, request: Any) -> Any:
        calls.append(request.url)
        return original_send(self, request)

    with responses.RequestsMock() as user_mock:
        user_mock.add(responses.GET, "https://example.com/health", body="ok")
        botocore.endpoint.Endpoint._send = wrapped_send  # type: ignore[attr-defined]
        try:
            before = Before()
            exit_by_exception()
            before.assert_restored()
            assert requests.get("https://example.com/health", timeout=5).text == "ok"
        finally:
            botocore.endpoint.Endpoint._send = original_send  # type: ignore[attr-defined]
    assert vars(requests.adapters.HTTPAdapter)["send"] is original_adapter_send


# -- no state from one activation in the next ---------------------------------------------------


def test_secrets_do_not_outlive_their_activation() -> None:
    with mock_secrets() as first:
        client = boto3.client("secretsmanager", region_name=REGION)
        client.create_secret(Name="shared", SecretString="first")
        first.create_secret("seeded", "v", region="eu-west-1", account_id="210987654321")
        assert len(first.all_secrets()) == 2
    assert first.all_secrets() == []
    with mock_secrets() as second:
        assert second is not first
        assert second.all_secrets() == []
        with pytest.raises(client.exceptions.ResourceNotFoundException) as info:
            client.get_secret_value(SecretId="shared")
        assert info.value.response["Error"]["Message"] == NOT_FOUND
        # The name is free again, and the old ARN is unknown.
        arn = client.create_secret(Name="shared", SecretString="second")["ARN"]
        assert client.get_secret_value(SecretId=arn)["SecretString"] == "second"


def test_nothing_survives_an_activation_that_raised() -> None:
    def body() -> None:
        with mock_secrets() as first:
            first.create_secret("shared", "first")
            first.register_rotation_function(
                "arn:aws:lambda:us-east-1:123456789012:function:f", lambda event, context: None
            )
            raise Boom

    with pytest.raises(Boom):
        body()
    with mock_secrets() as second:
        assert second.all_secrets() == []
        assert second.rotation_functions == {}
        assert second.rotation_failures == []


def test_tokens_of_one_activation_are_invalid_in_the_next() -> None:
    with mock_secrets() as first:
        for n in range(3):
            first.create_secret(f"s{n}", "v")
        client = boto3.client("secretsmanager", region_name=REGION)
        token = client.list_secrets(MaxResults=1)["NextToken"]
    with mock_secrets() as second:
        for n in range(3):
            second.create_secret(f"s{n}", "v")
        with pytest.raises(client.exceptions.InvalidNextTokenException):
            client.list_secrets(MaxResults=1, NextToken=token)


def test_the_environment_is_restored_but_the_bodys_own_changes_to_other_keys_stay() -> None:
    # smmock restores the keys it set, not the whole environment: what the body set for
    # itself is the body's business.
    before = dict(os.environ)
    with mock_secrets():
        os.environ["SMMOCK_SET_BY_BODY"] = "mine"
    assert os.environ.pop("SMMOCK_SET_BY_BODY") == "mine"
    assert dict(os.environ) == before


# -- across tests and pytest-xdist workers --------------------------------------------------------

GENERATED = """
import os

import boto3
import pytest

from smmock._intercept import hook as _hook


def client():
    return boto3.client("secretsmanager", region_name="us-east-1")


@pytest.mark.parametrize("n", range(12))
def test_same_name_everywhere(sm_backend, n):
    assert sm_backend.all_secrets() == []
    assert client().list_secrets()["SecretList"] == []
    arn = client().create_secret(Name="shared", SecretString=f"value-{n}")["ARN"]
    assert client().get_secret_value(SecretId="shared")["SecretString"] == f"value-{n}"
    assert [s.arn for s in sm_backend.all_secrets()] == [arn]
    print(f"worker={os.environ.get('PYTEST_XDIST_WORKER')} n={n}")


@pytest.mark.smmock(region="eu-west-1", account_id="210987654321")
@pytest.mark.parametrize("n", range(4))
def test_same_name_with_a_marker(sm_backend, n):
    assert sm_backend.all_secrets() == []
    sm_backend.create_secret("shared", f"marked-{n}")
    eu = boto3.client("secretsmanager", region_name="eu-west-1")
    assert eu.get_secret_value(SecretId="shared")["SecretString"] == f"marked-{n}"


@pytest.mark.parametrize("n", range(4))
def test_no_mock_outside_the_fixture(n):
    assert _hook.active_backend() is None
    assert os.environ.get("AWS_ACCESS_KEY_ID") != "AKIAIOSFODNN7EXAMPLE"
"""


def test_isolated_across_tests_and_xdist_workers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_generated=GENERATED)
    result = pytester.runpytest_subprocess(
        "-n", "2", "-v", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-W", "error"
    )
    result.assert_outcomes(passed=20)
    # Both workers ran tests, so "isolated across workers" was actually exercised.
    result.stdout.fnmatch_lines_random(["[[]gw0[]]*PASSED*", "[[]gw1[]]*PASSED*"])
