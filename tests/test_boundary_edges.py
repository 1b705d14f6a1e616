"""Edges of starting and stopping found by an adversarial review, each pinned here.

* A thread still inside one of smmock's patched functions when the last mock stops
  finishes its call with botocore's original (the original is the wrapper's own, not
  looked up in shared state that the stop clears).
* A request smmock took on when the last mock stopped is still answered in the process,
  never sent to the network signed with the fake keys.
* A start that fails (a state file that does not load, an interrupt while the backend
  is built) leaves nothing changed: no patch, no environment, no options on an outer
  mock.
* ``create_client`` called with every parameter by position, keys ``None``, still gets
  the fake keys inside a mock.
* A ``responses`` mock started inside smmock and stopped after it keeps its patch, and
  smmock's, left beneath it, passes everything through.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import boto3
import boto3.session
import botocore.endpoint
import botocore.history
import botocore.session
import botocore.signers
import pytest
import requests
import requests.adapters
from botocore.config import Config

from smmock import mock_secrets
from smmock._intercept import hook as _hook
from smmock._service import backend as _backend_module

FAKE_KEY = "AKIAIOSFODNN7EXAMPLE"
pytestmark = pytest.mark.usefixtures("clean_aws_env")


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every connection or name lookup is recorded and refused."""
    seen: list[Any] = []

    def refuse(*args: Any, **_kwargs: Any) -> Any:
        seen.append(args[-1] if args else None)
        raise OSError(101, "network blocked by the test")

    for owner, name in (
        (socket.socket, "connect"),
        (socket.socket, "connect_ex"),
        (socket, "create_connection"),
        (socket, "getaddrinfo"),
    ):
        monkeypatch.setattr(owner, name, refuse)
    return seen


def patched_attributes() -> dict[str, Any]:
    return {
        "_do_get_response": vars(botocore.endpoint.Endpoint)["_do_get_response"],
        "sign": vars(botocore.signers.RequestSigner)["sign"],
        "create_client": vars(botocore.session.Session)["create_client"],
        "HTTPAdapter.send": vars(requests.adapters.HTTPAdapter)["send"],
    }


def test_a_wrapper_entered_before_the_last_stop_finishes_with_the_original() -> None:
    session = botocore.session.get_session()
    with mock_secrets():
        wrappers = patched_attributes()
    # What a thread that had looked the patched method up, and was preempted, runs.
    client = wrappers["create_client"](
        session,
        "sts",
        region_name="us-east-1",
        aws_access_key_id="AKIAUSERSOWNKEY00000",
        aws_secret_access_key="users-own-secret",
    )
    assert client.meta.region_name == "us-east-1"
    assert client._request_signer._credentials.access_key == "AKIAUSERSOWNKEY00000"


def test_a_request_in_flight_when_the_last_mock_stops_is_answered_locally(
    attempts: list[Any],
) -> None:
    mock = mock_secrets()
    mock.start()
    client = boto3.session.Session().client(
        "secretsmanager",
        region_name="us-east-1",
        config=Config(retries={"total_max_attempts": 1}),
    )
    stopped: list[bool] = []

    class StopMidCall(botocore.history.BaseHistoryHandler):
        # botocore records the request between taking it on and sending it: the
        # moment another thread's stop is most harmful.
        def emit(self, event_type: str, payload: Any, source: str) -> None:
            if event_type == "HTTP_REQUEST" and not stopped:
                stopped.append(True)
                mock.stop()

    recorder = botocore.history.get_global_history_recorder()
    handler = StopMidCall()
    recorder.add_handler(handler)
    recorder.enable()
    try:
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_secret_value(SecretId="anything")
    finally:
        recorder.disable()
        recorder._handlers.remove(handler)  # type: ignore[attr-defined]
    assert stopped == [True]
    assert _hook.active_backend() is None
    assert attempts == []


def test_a_nested_start_whose_state_fails_leaves_the_outer_mock_as_it_was(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "smmock-state", "version": 99}')
    with mock_secrets() as backend:
        inner = mock_secrets(
            state=str(broken),
            allowed_actions=["secretsmanager:ListSecrets"],
            caller_arn="arn:aws:iam::123456789012:user/inner",
        )
        with pytest.raises(ValueError):
            inner.start()
        client = boto3.client("secretsmanager", region_name="us-east-1")
        arn = client.create_secret(Name="outer", SecretString="v")["ARN"]
        assert backend.get_secret("outer").arn == arn


def test_an_interrupt_while_the_backend_is_built_leaves_nothing_patched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before_environment = dict(os.environ)
    before = patched_attributes()
    real_init = _backend_module.SecretsBackend.__init__

    def interrupted(self: Any, *args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_backend_module.SecretsBackend, "__init__", interrupted)
    for _ in range(2):
        with pytest.raises(KeyboardInterrupt):
            mock_secrets().start()
        assert patched_attributes() == before
        assert dict(os.environ) == before_environment
        assert _hook.active_backend() is None
    monkeypatch.setattr(_backend_module.SecretsBackend, "__init__", real_init)
    with mock_secrets():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        assert client.list_secrets()["SecretList"] == []


def test_create_client_with_every_argument_by_position_gets_the_fake_keys() -> None:
    session = botocore.session.get_session()
    with mock_secrets():
        client: Any = session.create_client(
            "secretsmanager", "us-east-1", None, True, None, None, None, None, None, Config()
        )
        assert client._request_signer._credentials.access_key == FAKE_KEY
        assert client.list_secrets()["SecretList"] == []
        own: Any = session.create_client(
            "secretsmanager", "us-east-1", None, True, None, None, "AKIAUSERSOWNKEY00000", "s"
        )
        assert own._request_signer._credentials.access_key == "AKIAUSERSOWNKEY00000"


def test_a_responses_mock_stopped_after_smmock_keeps_its_patch(attempts: list[Any]) -> None:
    import responses

    before = vars(requests.adapters.HTTPAdapter)["send"]
    smmock = mock_secrets()
    smmock.start()
    router = responses.RequestsMock(assert_all_requests_are_fired=False)
    router.start()
    router.add(responses.GET, "https://example.invalid/users", json={"users": ["bob"]})
    theirs = vars(requests.adapters.HTTPAdapter)["send"]
    smmock.stop()
    # Their patch stays while they are active: their routes keep answering.
    assert vars(requests.adapters.HTTPAdapter)["send"] is theirs
    assert requests.get("https://example.invalid/users", timeout=5).json() == {"users": ["bob"]}
    router.stop()
    # Beneath theirs, smmock's patch passes everything through now.
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post("https://secretsmanager.us-east-1.amazonaws.com/", data=b"{}", timeout=5)
    assert attempts, "the unmocked call went to the (blocked) network"
    attempts.clear()
    requests.adapters.HTTPAdapter.send = before  # type: ignore[method-assign]
