"""The API over HTTP: the same backend answers boto3 through ``smmock serve``.

Region and account come from the request's SigV4 credential scope; errors keep AWS's
codes and messages; the server refuses Host names that are not loopback names.
"""

from __future__ import annotations

import http.client
import json
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from smmock.server.api import Identity, credential_scope
from tests.server_fixtures import Server

NOT_FOUND = "Secrets Manager can't find the specified secret."
SCOPE = "AWS4-HMAC-SHA256 Credential={}/20240101/{}/secretsmanager/aws4_request, " + (
    "SignedHeaders=host;x-amz-date, Signature=abc"
)


def error_of(call: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return {
        "Code": info.value.response["Error"]["Code"],
        "Message": info.value.response["Error"]["Message"],
    }


def raw(
    server: Server, headers: dict[str, str], body: bytes, method: str = "POST", path: str = "/"
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_lifecycle_through_boto3(server: Server) -> None:
    sm = server.client()
    created = sm.create_secret(Name="app/db", SecretString="s3cr3t", Description="the db")
    assert created["ARN"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-")
    put = sm.put_secret_value(SecretId="app/db", SecretString="next")
    got = sm.get_secret_value(SecretId="app/db")
    assert (got["SecretString"], got["VersionId"], got["VersionStages"]) == (
        "next",
        put["VersionId"],
        ["AWSCURRENT"],
    )
    previous = sm.get_secret_value(SecretId="app/db", VersionStage="AWSPREVIOUS")
    assert (previous["SecretString"], previous["VersionId"]) == ("s3cr3t", created["VersionId"])
    deleted = sm.delete_secret(SecretId="app/db", RecoveryWindowInDays=7)
    assert deleted["Name"] == "app/db"
    assert sm.list_secrets()["SecretList"] == []
    listed = sm.list_secrets(IncludePlannedDeletion=True)["SecretList"]
    assert [s["Name"] for s in listed] == ["app/db"]
    restored = sm.restore_secret(SecretId="app/db")
    assert (restored["ARN"], restored["Name"]) == (created["ARN"], "app/db")
    assert sm.describe_secret(SecretId="app/db")["Description"] == "the db"


def test_errors_keep_aws_codes_and_messages(server: Server) -> None:
    sm = server.client()
    assert error_of(sm.get_secret_value, SecretId="missing") == {
        "Code": "ResourceNotFoundException",
        "Message": NOT_FOUND,
    }
    sm.create_secret(Name="dup", SecretString="v")
    assert error_of(sm.create_secret, Name="dup", SecretString="v") == {
        "Code": "ResourceExistsException",
        "Message": "The operation failed because the secret dup already exists.",
    }
    assert error_of(sm.delete_secret, SecretId="dup", RecoveryWindowInDays=6)["Code"] == (
        "InvalidParameterException"
    )
    # The failed calls changed nothing.
    assert sm.get_secret_value(SecretId="dup")["SecretString"] == "v"


def test_region_comes_from_the_credential_scope(server: Server) -> None:
    server.client("eu-west-1").create_secret(Name="regional", SecretString="v")
    arn = server.client("eu-west-1").describe_secret(SecretId="regional")["ARN"]
    assert arn.startswith("arn:aws:secretsmanager:eu-west-1:123456789012:secret:regional-")
    assert error_of(server.client("us-east-1").describe_secret, SecretId="regional") == {
        "Code": "ResourceNotFoundException",
        "Message": NOT_FOUND,
    }
    # An ARN names its own region, whatever the client's.
    assert server.client("us-east-1").describe_secret(SecretId=arn)["Name"] == "regional"


def test_a_twelve_digit_access_key_names_the_account(server: Server) -> None:
    other = server.client(access_key="210987654321")
    arn = other.create_secret(Name="theirs", SecretString="v")["ARN"]
    assert arn.startswith("arn:aws:secretsmanager:us-east-1:210987654321:secret:theirs-")
    assert server.client().list_secrets()["SecretList"] == []
    assert [s["Name"] for s in other.list_secrets()["SecretList"]] == ["theirs"]


def create(name: str) -> bytes:
    # SDKs fill ClientRequestToken in; a raw request must send one with a value.
    token = str(uuid.uuid4())
    return json.dumps({"Name": name, "SecretString": "v", "ClientRequestToken": token}).encode()


def test_wire_level_answers(server: Server) -> None:
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "secretsmanager.CreateSecret",
        "Authorization": SCOPE.format("AKID", "ap-south-1"),
    }
    status, answer_headers, body = raw(server, headers, create("wire"))
    assert status == 200
    assert answer_headers["content-type"] == "application/x-amz-json-1.1"
    assert uuid.UUID(answer_headers["x-amzn-requestid"])
    assert json.loads(body)["ARN"].startswith("arn:aws:secretsmanager:ap-south-1:")
    # No Authorization header: the server's region.
    status, _, body = raw(server, {**headers, "Authorization": ""}, create("plain"))
    assert json.loads(body)["ARN"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:")
    status, _, body = raw(server, {**headers, "X-Amz-Target": "secretsmanager.Nope"}, b"{}")
    assert (status, json.loads(body)) == (
        400,
        {"__type": "UnknownOperationException", "Message": "Unknown operation secretsmanager.Nope"},
    )
    status, _, body = raw(server, headers, b"{not json")
    assert (status, json.loads(body)) == (
        400,
        {"__type": "SerializationException", "Message": "The request body is not valid JSON."},
    )


def test_hosts_that_are_not_loopback_names_are_refused(server: Server) -> None:
    headers = {"X-Amz-Target": "secretsmanager.ListSecrets", "Host": "attacker.example:4585"}
    status, _, body = raw(server, headers, b"{}")
    assert (status, body) == (421, b"Host not allowed: smmock serves loopback names only.")
    for host in ("localhost:1", "127.0.0.2", "[::1]:80", "app.localhost"):
        status, _, _ = raw(server, {**headers, "Host": host}, b"{}")
        assert status == 200, host


def test_credential_scope_parsing() -> None:
    assert credential_scope(SCOPE.format("AKID", "eu-north-1")) == ("AKID", "eu-north-1")
    assert credential_scope("Credential=A/d/r/s/aws4_request") == ("A", "r")
    assert credential_scope("AWS4-HMAC-SHA256 Signature=x") is None
    assert credential_scope("Credential=A/d//s/aws4_request, x") is None
    assert credential_scope("Credential=A/d/r, x") is None


def test_identity() -> None:
    identity = Identity("us-west-2", "111122223333")
    assert identity.of(None) == ("us-west-2", "111122223333")
    assert identity.of(b"garbage") == ("us-west-2", "111122223333")
    assert identity.of(SCOPE.format("AKID", "eu-west-3").encode()) == ("eu-west-3", "111122223333")
    assert identity.of(SCOPE.format("444455556666", "eu-west-3").encode()) == (
        "eu-west-3",
        "444455556666",
    )
    assert identity.of(SCOPE.format("44445555666", "eu-west-3").encode()) == (
        "eu-west-3",
        "111122223333",
    )
