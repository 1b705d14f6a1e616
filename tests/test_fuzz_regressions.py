"""Bugs the fuzzer found (B1-B4), pinned so they stay fixed."""

from __future__ import annotations

import json
import socket
import uuid
from typing import Any

import pytest
import requests

from smmock import SecretsBackend, mock_secrets
from smmock._wire import protocol as _protocol

ACCOUNT = "123456789012"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:rotate"


def serve(backend: SecretsBackend, operation: str, body: Any) -> tuple[int, dict[str, Any]]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    status, answer = _protocol.handle(
        backend, "us-east-1", ACCOUNT, f"secretsmanager.{operation}", raw
    )
    return status, json.loads(answer)


@pytest.mark.parametrize("version", [[], {}, ["2012-10-17"], 2012])
def test_b1_a_policy_version_that_is_not_a_string_is_a_syntax_error(version: Any) -> None:
    backend = SecretsBackend()
    backend.create_secret("s", "v")
    policy = json.dumps(
        {"Version": version, "Statement": {"Effect": "Allow", "Principal": "*", "Action": "*"}}
    )
    assert serve(backend, "PutResourcePolicy", {"SecretId": "s", "ResourcePolicy": policy}) == (
        400,
        {
            "__type": "MalformedPolicyDocumentException",
            "Message": "This policy has invalid syntax.",
        },
    )
    assert serve(backend, "ValidateResourcePolicy", {"ResourcePolicy": policy}) == (
        200,
        {
            "PolicyValidationPassed": False,
            "ValidationErrors": [
                {"CheckName": "SYNTAX_CHECK", "ErrorMessage": "This policy has invalid syntax."}
            ],
        },
    )


@pytest.mark.parametrize(
    "expression",
    ["rate(1001 days)", "rate(24001 hours)", "rate(1000000000 days)", "rate(99999999999 hours)"],
)
def test_b2_a_huge_rate_is_refused_like_any_rate_over_1000_days(expression: str) -> None:
    backend = SecretsBackend()
    backend.create_secret("s", "v")
    backend.register_rotation_function(LAMBDA, lambda event, context: None)
    body = {
        "SecretId": "s",
        "ClientRequestToken": str(uuid.uuid4()),
        "RotationLambdaARN": LAMBDA,
        "RotationRules": {"ScheduleExpression": expression},
    }
    assert serve(backend, "RotateSecret", body) == (
        400,
        {
            "__type": "InvalidParameterException",
            "Message": "The schedule expression must rotate at least every 1000 days.",
        },
    )
    assert backend.get_secret("s").rotation_enabled is None


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b"[" * 2_000 + b"]" * 2_000, b'{"SecretId":' * 2_000 + b"1" + b"}" * 2_000],
)
def test_b3_a_deeply_nested_body_is_a_serialization_error(body: bytes) -> None:
    status, answer = serve(SecretsBackend(), "ListSecrets", body)
    assert (status, answer) == (
        400,
        {"__type": "SerializationException", "Message": "The request body is not valid JSON."},
    )


@pytest.mark.parametrize(
    "body", [b"[" * 1_001 + b"]" * 1_001, b'{"Filters":' * 1_001 + b"[]" + b"}" * 1_001]
)
def test_b3_more_than_1000_levels_are_refused_by_every_python(body: bytes) -> None:
    # Python 3.13's parser reads 1,001 levels without a RecursionError (3.11's does not):
    # the limit is smmock's own, so every version answers alike.
    status, answer = serve(SecretsBackend(), "ListSecrets", body)
    assert (status, answer) == (
        400,
        {"__type": "SerializationException", "Message": "The request body is not valid JSON."},
    )


def nested(depth: int) -> tuple[list[Any], bytes]:
    """A list nested ``depth`` deep, built without recursion, and its JSON text."""
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value, b"[" * depth + b"]" * depth


def test_b3_the_limit_is_1000_levels_of_structure_not_of_brackets() -> None:
    value, text = nested(1_000)
    assert _protocol._too_deep(text, value) is False
    value, text = nested(1_001)
    assert _protocol._too_deep(text, value) is True
    # Brackets inside a string are text: a large, shallow body is served.
    backend = SecretsBackend()
    text_value = "[{" * 3_000
    body = {"Name": "s", "SecretString": text_value, "ClientRequestToken": str(uuid.uuid4())}
    assert serve(backend, "CreateSecret", body)[0] == 200
    assert serve(backend, "GetSecretValue", {"SecretId": "s"})[1]["SecretString"] == text_value


@pytest.mark.parametrize(
    "url",
    [
        "https://secretsmanager.us-east-1.api.aws/",
        "https://secretsmanager-fips.us-east-1.api.aws/",
    ],
)
def test_b4_plain_requests_to_dual_stack_endpoints_are_served(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network access: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    with mock_secrets() as backend:
        backend.create_secret("dual", "v", region="us-east-1")
        answer = requests.post(
            url, data=b"{}", headers={"X-Amz-Target": "secretsmanager.ListSecrets"}, timeout=5
        )
    assert answer.status_code == 200
    assert [s["Name"] for s in answer.json()["SecretList"]] == ["dual"]
