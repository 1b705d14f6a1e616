"""A mypy-boto3-secretsmanager typed client against smmock, type-checked under mypy strict.

pyproject.toml checks this module with every strict flag (the other test modules relax
a few), so `make test`'s mypy step fails if smmock's public API or the typed client's
use of it stops type-checking. The last test runs mypy itself on a wrong call, to show
the stubs are really in force.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import boto3
from mypy import api
from mypy_boto3_secretsmanager import SecretsManagerClient
from mypy_boto3_secretsmanager.type_defs import (
    GetSecretValueResponseTypeDef,
    SecretListEntryTypeDef,
)

from smmock import CallRecord, Fault, SecretsBackend, mock_secrets, no_retry_sleep


def _client() -> SecretsManagerClient:
    client: SecretsManagerClient = boto3.client("secretsmanager", region_name="us-east-1")
    return client


def _names(client: SecretsManagerClient) -> list[str]:
    entries: list[SecretListEntryTypeDef] = [
        entry
        for page in client.get_paginator("list_secrets").paginate()
        for entry in page["SecretList"]
    ]
    return [entry["Name"] for entry in entries if "Name" in entry]


def test_a_typed_client_through_the_tools(sm_backend: SecretsBackend) -> None:
    client = _client()
    client.create_secret(Name="typed/secret", SecretString="v1")
    fault: Fault = sm_backend.inject_fault("GetSecretValue", "ThrottlingException")
    with no_retry_sleep() as retries:
        answer: GetSecretValueResponseTypeDef = client.get_secret_value(SecretId="typed/secret")
    assert answer["SecretString"] == "v1"
    assert (fault.fired, len(retries.delays)) == (1, 1)
    record: CallRecord = sm_backend.calls[-1]
    assert (record.operation, record.error_code) == ("GetSecretValue", None)
    assert _names(client) == ["typed/secret"]
    with mock_secrets(allowed_actions=["secretsmanager:List*"]):
        assert _names(client) == ["typed/secret"]


def test_the_stubs_catch_a_wrong_call(tmp_path: Path) -> None:
    source = tmp_path / "wrong.py"
    source.write_text(
        textwrap.dedent(
            """
            import boto3
            from mypy_boto3_secretsmanager import SecretsManagerClient

            client: SecretsManagerClient = boto3.client("secretsmanager")
            client.get_secret_value(SecretId=3)
            """
        )
    )
    out, err, status = api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"), str(source)]
    )
    assert (status, err) == (1, "")
    assert out.splitlines() == [
        f'{source}:6: error: Argument "SecretId" to "get_secret_value" of '
        '"SecretsManagerClient" has incompatible type "int"; expected "str"  [arg-type]'
    ]
