"""Plain ``requests`` calls to the Secrets Manager endpoint, and living with ``responses``."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import requests.adapters
import responses

from smmock import mock_secrets
from smmock._intercept import hook as _hook

URL = "https://secretsmanager.us-east-1.amazonaws.com/"
JSON_1_1 = "application/x-amz-json-1.1"
TOKEN = "11111111-2222-3333-4444-555555555555"


class NetworkBlocked(Exception):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: Any, **_kwargs: Any) -> Any:
        raise NetworkBlocked(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    yield
    assert _hook.active_backend() is None, "a test left smmock active"


def call(operation: str, body: dict[str, Any], url: str = URL) -> requests.Response:
    return requests.post(
        url,
        headers={"X-Amz-Target": f"secretsmanager.{operation}", "Content-Type": JSON_1_1},
        data=json.dumps(body),
        timeout=5,
    )


def test_plain_requests_are_served() -> None:
    with mock_secrets() as backend:
        created = call(
            "CreateSecret", {"Name": "plain", "SecretString": "v", "ClientRequestToken": TOKEN}
        )
        got = call("GetSecretValue", {"SecretId": "plain"})
    assert created.status_code == 200
    assert created.headers["Content-Type"] == JSON_1_1
    assert len(created.headers["x-amzn-RequestId"]) == 36
    body = created.json()
    assert sorted(body) == ["ARN", "Name", "VersionId"]
    assert body["ARN"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:plain-")
    assert (body["Name"], body["VersionId"]) == ("plain", TOKEN)
    assert got.status_code == 200
    value = got.json()
    assert (value["SecretString"], value["VersionId"], value["VersionStages"]) == (
        "v",
        TOKEN,
        ["AWSCURRENT"],
    )
    assert isinstance(value["CreatedDate"], float)
    assert backend.all_secrets() == []  # reset when the mock ended


def test_error_bodies() -> None:
    with mock_secrets():
        missing = call("GetSecretValue", {"SecretId": "missing"})
        unknown = call("Nope", {})
        garbage = requests.post(
            URL,
            headers={"X-Amz-Target": "secretsmanager.ListSecrets", "Content-Type": JSON_1_1},
            data="not json",
            timeout=5,
        )
    assert (missing.status_code, missing.json()) == (
        400,
        {
            "__type": "ResourceNotFoundException",
            "Message": "Secrets Manager can't find the specified secret.",
        },
    )
    assert (unknown.status_code, unknown.json()) == (
        400,
        {"__type": "UnknownOperationException", "Message": "Unknown operation secretsmanager.Nope"},
    )
    assert (garbage.status_code, garbage.json()) == (
        400,
        {"__type": "SerializationException", "Message": "The request body is not valid JSON."},
    )


def test_region_comes_from_the_host_or_the_signature() -> None:
    europe = "https://secretsmanager.eu-west-1.amazonaws.com/"
    with mock_secrets() as backend:
        call(
            "CreateSecret", {"Name": "eu", "SecretString": "v", "ClientRequestToken": TOKEN}, europe
        )
        signed = requests.post(
            URL,  # the SigV4 credential scope wins over the host
            headers={
                "X-Amz-Target": "secretsmanager.ListSecrets",
                "Content-Type": JSON_1_1,
                "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240310/eu-west-1/"
                "secretsmanager/aws4_request, SignedHeaders=host, Signature=0",
            },
            data="{}",
            timeout=5,
        )
        assert [s.name for s in backend.secrets(region="eu-west-1")] == ["eu"]
        assert call("ListSecrets", {}).json() == {"SecretList": []}
    assert [s["Name"] for s in signed.json()["SecretList"]] == ["eu"]


def test_other_methods_and_paths_on_the_endpoint_never_reach_the_network() -> None:
    with mock_secrets():
        get = requests.get(URL, timeout=5)
        other_path = requests.post(URL + "some/path?x=1", data="{}", timeout=5)
    assert (get.status_code, get.json()["__type"]) == (400, "UnknownOperationException")
    assert (other_path.status_code, other_path.json()["__type"]) == (
        400,
        "UnknownOperationException",
    )


def test_other_urls_pass_through_to_what_was_installed_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []

    def installed_before(adapter: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(request.url)
        response = requests.Response()
        response.status_code = 299
        response._content = b"from the adapter installed before"
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", installed_before)
    with mock_secrets():
        other = requests.get("https://example.com/thing", timeout=5)
        served = call("ListSecrets", {})
        assert requests.adapters.HTTPAdapter.send is not installed_before
    assert requests.adapters.HTTPAdapter.send is installed_before
    assert (other.status_code, other.text) == (299, "from the adapter installed before")
    assert served.json() == {"SecretList": []}
    assert seen == ["https://example.com/thing"]


def test_other_urls_without_a_mock_underneath_go_to_the_real_adapter() -> None:
    # The socket guard stops it: proof that the real adapter was reached.
    with mock_secrets(), pytest.raises(NetworkBlocked, match=r"example\.com"):
        requests.get("https://example.com/", timeout=5)


def test_user_responses_mock_started_before_smmock() -> None:
    send_before = requests.adapters.HTTPAdapter.send
    with responses.RequestsMock() as user:
        user.add(responses.GET, "https://api.example.com/users", json={"users": ["ann"]})
        with mock_secrets():
            assert requests.get("https://api.example.com/users", timeout=5).json() == {
                "users": ["ann"]
            }
            assert call("ListSecrets", {}).json() == {"SecretList": []}
            # Unmatched by both: refused by the user's mock, which was there first.
            with pytest.raises(requests.exceptions.ConnectionError) as info:
                requests.get("https://unknown.example.com/", timeout=5)
            assert "Connection refused by Responses" in str(info.value)
        # Ours stopped; the user's still serves its URL.
        assert requests.get("https://api.example.com/users", timeout=5).json() == {"users": ["ann"]}
        assert user.calls[0].request.url == "https://api.example.com/users"
        assert len(user.calls) == 3
    assert requests.adapters.HTTPAdapter.send is send_before


def test_user_responses_mock_started_inside_smmock() -> None:
    send_before = requests.adapters.HTTPAdapter.send
    with mock_secrets():
        ours = requests.adapters.HTTPAdapter.send
        with responses.RequestsMock() as user:
            user.add(responses.GET, "https://api.example.com/users", json={"users": ["bob"]})
            assert requests.get("https://api.example.com/users", timeout=5).json() == {
                "users": ["bob"]
            }
            # Known limitation (see _intercept/plain_requests.py): the inner mock does not hand
            # unmatched requests to ours, so it refuses the Secrets Manager call itself.
            with pytest.raises(requests.exceptions.ConnectionError) as info:
                call("ListSecrets", {})
            assert "Connection refused by Responses" in str(info.value)
        # LIFO: the user's mock came off and ours serves again.
        assert requests.adapters.HTTPAdapter.send is ours
        assert call("ListSecrets", {}).json() == {"SecretList": []}
    assert requests.adapters.HTTPAdapter.send is send_before
