"""The call log: one record per intercepted call, and the guide's recovery-window alarm."""

from __future__ import annotations

import datetime
import json
from typing import Any

import boto3
import pytest

from smmock import CallLog, CallRecord, SecretsBackend, mock_secrets
from smmock._wire.protocol import handle
from smmock.backend import REDACTED

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)


def test_every_field_of_a_record(frozen: Any, backend: SecretsBackend, client: Any) -> None:
    arn = client.create_secret(Name="app/db", SecretString="s3cr3t", ClientRequestToken="t" * 32)[
        "ARN"
    ]
    frozen.tick(1.5)
    client.get_secret_value(SecretId="app/db")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId="missing")

    create, get, describe = backend.calls
    assert isinstance(backend.calls, CallLog)
    assert isinstance(create, CallRecord)
    assert (create.operation, create.arn, create.region, create.account_id) == (
        "CreateSecret",
        arn,
        "us-east-1",
        "123456789012",
    )
    assert create.params == {
        "Name": "app/db",
        "SecretString": REDACTED,
        "ClientRequestToken": "t" * 32,
    }
    assert (create.error_code, create.time, create.pending_deletion) == (None, T0, False)
    assert (get.operation, get.arn, get.params, get.error_code) == (
        "GetSecretValue",
        arn,
        {"SecretId": "app/db"},
        None,
    )
    assert get.time == T0 + datetime.timedelta(seconds=1.5)
    assert (describe.operation, describe.arn, describe.error_code) == (
        "DescribeSecret",
        None,
        "ResourceNotFoundException",
    )
    assert repr(describe) == (
        "CallRecord(operation='DescribeSecret', arn=None, "
        "error_code='ResourceNotFoundException', pending_deletion=False)"
    )
    assert REDACTED == "**redacted**"


def test_values_and_passwords_never_enter_the_log(backend: SecretsBackend, client: Any) -> None:
    client.create_secret(Name="bin", SecretBinary=b"\x00\x01")
    client.put_secret_value(SecretId="bin", SecretBinary=b"\x02", VersionStages=["X"])
    client.update_secret(SecretId="bin", SecretString="plain", Description="d")
    password = client.get_random_password(PasswordLength=20)["RandomPassword"]
    value = client.get_secret_value(SecretId="bin")["SecretString"]

    text = repr([(c.operation, c.params) for c in backend.calls])
    for secret in ("AAE=", "Ag==", "plain", password, value):
        assert secret not in text
    assert [c.params.get("SecretBinary", c.params.get("SecretString")) for c in backend.calls] == [
        REDACTED,
        REDACTED,
        REDACTED,
        None,
        None,
    ]
    assert backend.calls[2].params["Description"] == "d"
    assert backend.calls[3].params == {"PasswordLength": 20}


def test_the_recovery_window_alarm(frozen: Any, backend: SecretsBackend, client: Any) -> None:
    arn = client.create_secret(Name="old/key", SecretString="v")["ARN"]
    client.delete_secret(SecretId="old/key", RecoveryWindowInDays=7)
    frozen.tick(datetime.timedelta(days=2))
    with pytest.raises(client.exceptions.InvalidRequestException):
        client.get_secret_value(SecretId="old/key")
    client.describe_secret(SecretId=arn)
    client.restore_secret(SecretId="old/key")
    client.get_secret_value(SecretId="old/key")

    alarm = backend.calls.during_recovery_window()
    assert alarm == [c for c in backend.calls if c.pending_deletion]
    assert [(c.operation, c.arn, c.error_code, c.time) for c in alarm] == [
        ("GetSecretValue", arn, "InvalidRequestException", T0 + datetime.timedelta(days=2)),
        ("DescribeSecret", arn, None, T0 + datetime.timedelta(days=2)),
        ("RestoreSecret", arn, None, T0 + datetime.timedelta(days=2)),
    ]
    # The DeleteSecret call itself came before the window, the last read after it.
    assert [c.pending_deletion for c in backend.calls] == [False, False, True, True, True, False]


def test_a_purged_secret_is_no_longer_pending(
    frozen: Any, backend: SecretsBackend, client: Any
) -> None:
    client.create_secret(Name="gone", SecretString="v")
    client.delete_secret(SecretId="gone", RecoveryWindowInDays=7)
    frozen.tick(datetime.timedelta(days=7))
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_secret_value(SecretId="gone")
    assert (backend.calls[-1].arn, backend.calls[-1].pending_deletion) == (None, False)


def test_requests_refused_before_the_operation_are_recorded(backend: SecretsBackend) -> None:
    target = "secretsmanager.GetSecretValue"
    assert handle(backend, "eu-west-1", "123456789012", "secretsmanager.Nope", b"{}")[0] == 400
    assert handle(backend, "eu-west-1", "123456789012", target, b"{not json")[0] == 400
    assert handle(backend, "eu-west-1", "123456789012", target, b'{"SecretId": "a b"}')[0] == 400
    assert [(c.operation, c.region, c.params, c.error_code) for c in backend.calls] == [
        ("Nope", "eu-west-1", {}, "UnknownOperationException"),
        ("GetSecretValue", "eu-west-1", {}, "SerializationException"),
        ("GetSecretValue", "eu-west-1", {"SecretId": "a b"}, "ValidationException"),
    ]


def test_an_arn_of_another_region_is_recorded_there(backend: SecretsBackend, client: Any) -> None:
    secret = backend.create_secret("west", "v", region="eu-west-1")
    client.get_secret_value(SecretId=secret.arn)
    record = backend.calls[-1]
    # The request went to us-east-1's endpoint; the ARN names the secret in eu-west-1.
    assert (record.region, record.arn, record.error_code) == ("us-east-1", secret.arn, None)


def test_a_rotation_function_calls_appear_after_the_rotate_call(
    backend: SecretsBackend, client: Any
) -> None:
    def rotate(event: dict[str, Any], _context: Any) -> None:
        lam = boto3.client("secretsmanager", region_name="us-east-1")
        if event["Step"] == "createSecret":
            lam.put_secret_value(
                SecretId=event["SecretId"],
                ClientRequestToken=event["ClientRequestToken"],
                SecretString="new",
                VersionStages=["AWSPENDING"],
            )
        elif event["Step"] == "finishSecret":
            current = lam.describe_secret(SecretId=event["SecretId"])["VersionIdsToStages"]
            old = next(v for v, s in current.items() if "AWSCURRENT" in s)
            lam.update_secret_version_stage(
                SecretId=event["SecretId"],
                VersionStage="AWSCURRENT",
                MoveToVersionId=event["ClientRequestToken"],
                RemoveFromVersionId=old,
            )

    fn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
    backend.register_rotation_function(fn, rotate)
    client.create_secret(Name="r", SecretString="old")
    backend.calls.clear()
    client.rotate_secret(
        SecretId="r", RotationLambdaARN=fn, RotationRules={"AutomaticallyAfterDays": 30}
    )
    assert backend.calls.operations() == [
        "RotateSecret",
        "PutSecretValue",
        "DescribeSecret",
        "UpdateSecretVersionStage",
    ]
    assert backend.calls[1].params["SecretString"] == REDACTED


def test_bounded_cleared_and_switched_off(backend: SecretsBackend, client: Any) -> None:
    assert backend.calls.maxlen == CallLog.DEFAULT_MAXLEN == 10_000
    backend.calls.maxlen = 3
    for _ in range(5):
        client.list_secrets()
    assert len(backend.calls) == 3
    client.get_random_password()
    assert backend.calls.operations() == ["ListSecrets", "ListSecrets", "GetRandomPassword"]
    assert [c.operation for c in backend.calls[1:]] == ["ListSecrets", "GetRandomPassword"]
    assert repr(backend.calls) == "CallLog(3 calls, enabled=True)"

    backend.calls.enabled = False
    client.list_secrets()
    handle(backend, "us-east-1", "123456789012", "secretsmanager.Nope", b"")
    assert len(backend.calls) == 3
    backend.calls.enabled = True
    backend.calls.clear()
    assert list(backend.calls) == []
    with pytest.raises(ValueError, match=r"^maxlen must be a positive int, not 0\.$"):
        backend.calls.maxlen = 0


def test_the_log_is_per_mock_and_reset_at_the_end() -> None:
    with mock_secrets() as outer:
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.list_secrets()
        with mock_secrets(account_id="111122223333") as inner:
            assert inner is outer
            client.list_secrets()
        assert [c.account_id for c in outer.calls] == ["123456789012", "111122223333"]
    assert len(outer.calls) == 0


def test_params_keep_what_the_operation_saw(backend: SecretsBackend) -> None:
    body = json.dumps({"SecretId": "x", "VersionStage": None})
    handle(backend, "us-east-1", "123456789012", "secretsmanager.GetSecretValue", body)
    # JSON null is an absent member, in the log too.
    assert backend.calls[0].params == {"SecretId": "x"}
