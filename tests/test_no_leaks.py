"""No leaks: secret values never show up where smmock prints, logs or explains something.

Covered: ``repr``/``str`` of the model objects and the backend (they end up in assertion
output and logs), smmock's log records at DEBUG (including a rotation function that
fails and an internal error), the messages of every error smmock sends about a request
that carries a value, and the answers of every operation except the two that exist to
return values (GetSecretValue, BatchGetSecretValue). botocore's own DEBUG logs print
request bodies; they are botocore's, so only smmock's loggers are checked.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from smmock import SecretsBackend, mock_secrets
from smmock._wire import protocol as _protocol
from smmock.exceptions import RotationFailedWarning

REGION = "us-east-1"
ACCOUNT = "123456789012"
VALUE = "s3cr3t-TOPSECRET-string-7f3a9c"
BINARY = b"\x00s3cr3t-TOPSECRET-bytes\xff"
# Every form a value could take in text: as sent, bytes' repr, and base64 on the wire.
NEEDLES = (
    "TOPSECRET",
    base64.b64encode(BINARY).decode(),
    base64.b64encode(VALUE.encode()).decode(),
)
ROTATE_OK = "arn:aws:lambda:us-east-1:123456789012:function:rotate-ok"
ROTATE_FAILS = "arn:aws:lambda:us-east-1:123456789012:function:rotate-fails"
TOKEN = "00000000-0000-4000-8000-000000000001"
OTHER_TOKEN = "00000000-0000-4000-8000-000000000002"
MODEL = botocore.session.get_session().get_service_model("secretsmanager")
LOOSE = Config(parameter_validation=False, retries={"mode": "standard", "total_max_attempts": 1})


def leaked(text: str) -> list[str]:
    """Which forms of the secret values ``text`` contains."""
    return [needle for needle in NEEDLES if needle in text]


pytestmark = pytest.mark.usefixtures("clean_aws_env")


@pytest.fixture
def backend() -> Iterator[SecretsBackend]:
    with mock_secrets(region=REGION) as active:
        yield active


@pytest.fixture
def client(backend: SecretsBackend) -> Any:
    return boto3.session.Session().client("secretsmanager", region_name=REGION, config=LOOSE)


def seed(backend: SecretsBackend) -> None:
    """A string secret with two versions, a binary one, and a replica of the first."""
    backend.create_secret("db/password", VALUE + "-v1", version_id=TOKEN)
    backend.put_secret_value("db/password", VALUE, version_id=OTHER_TOKEN)
    backend.create_secret("db/key", secret_binary=BINARY)


def error_of(call: Any, **params: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as info:
        call(**params)
    return dict(info.value.response["Error"])


# -- reprs -------------------------------------------------------------------------------------


def test_reprs_show_no_values(backend: SecretsBackend) -> None:
    seed(backend)
    backend.region_backend("eu-west-1")  # another store, so the backend repr has more to show
    secret, binary = backend.get_secret("db/password"), backend.get_secret("db/key")
    shown = [
        repr(backend),
        str(backend),
        repr(secret),
        str(secret),
        repr(binary),
        repr(secret.versions),
        repr(secret.labels),
        repr(secret.current),
        str(secret.current),
        repr(binary.current),
        repr(backend.all_secrets()),
        repr(backend.put_secret_value("db/password", VALUE + "-v3")),
    ]
    assert [leaked(text) for text in shown] == [[]] * len(shown)
    # Not vacuous: the reprs do identify what they show.
    assert repr(secret).startswith("Secret(name='db/password', arn='arn:aws:secretsmanager:")
    assert (
        repr(secret.versions[OTHER_TOKEN])
        == f"SecretVersion(version_id='{OTHER_TOKEN}', stages=('AWSPREVIOUS',))"
    )


# -- smmock's log records ----------------------------------------------------------------------


def smmock_log(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every record of smmock's loggers, formatted with its traceback."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [
        formatter.format(record)
        for record in caplog.records
        if record.name == "smmock" or record.name.startswith("smmock.")
    ]


def _rotation_fails(event: dict[str, str], _context: Any) -> None:
    client = boto3.session.Session().client("secretsmanager")
    if event["Step"] == "createSecret":
        client.put_secret_value(
            SecretId=event["SecretId"],
            ClientRequestToken=event["ClientRequestToken"],
            SecretString=VALUE + "-pending",
            VersionStages=["AWSPENDING"],
        )
    elif event["Step"] == "setSecret":
        # What a real rotation function might say: it names the password it tried.
        pending = client.get_secret_value(SecretId=event["SecretId"], VersionStage="AWSPENDING")
        raise RuntimeError(f"the database refused password {pending['SecretString']!r}")


def _rotation_ok(event: dict[str, str], _context: Any) -> None:
    client = boto3.session.Session().client("secretsmanager")
    if event["Step"] == "createSecret":
        client.put_secret_value(
            SecretId=event["SecretId"],
            ClientRequestToken=event["ClientRequestToken"],
            SecretString=VALUE + "-rotated",
            VersionStages=["AWSPENDING"],
        )
    elif event["Step"] == "finishSecret":
        stages = client.describe_secret(SecretId=event["SecretId"])["VersionIdsToStages"]
        (current,) = [v for v, labels in stages.items() if "AWSCURRENT" in labels]
        client.update_secret_version_stage(
            SecretId=event["SecretId"],
            VersionStage="AWSCURRENT",
            MoveToVersionId=event["ClientRequestToken"],
            RemoveFromVersionId=current,
        )


def test_log_records_show_no_values(
    backend: SecretsBackend,
    client: Any,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG, logger="smmock")
    seed(backend)
    backend.register_rotation_function(ROTATE_OK, _rotation_ok)
    backend.register_rotation_function(ROTATE_FAILS, _rotation_fails)
    client.create_secret(Name="app/one", SecretString=VALUE, ClientRequestToken=TOKEN)
    client.put_secret_value(SecretId="app/one", SecretString=VALUE + "-2")
    client.update_secret(SecretId="app/one", SecretBinary=BINARY)
    client.get_secret_value(SecretId="app/one")
    client.batch_get_secret_value(SecretIdList=["app/one", "db/password", "db/key", "missing"])
    client.rotate_secret(SecretId="db/password", RotationLambdaARN=ROTATE_OK)
    with pytest.warns(RotationFailedWarning) as caught:
        client.rotate_secret(SecretId="app/one", RotationLambdaARN=ROTATE_FAILS)
    # The warning, like the log, names the exception's class but not its text (which
    # quotes the password the function tried).
    [warning] = caught
    assert leaked(str(warning.message)) == []
    assert "RuntimeError at step setSecret" in str(warning.message)
    error_of(
        client.create_secret, Name="app/one", SecretString=VALUE + "-b", ClientRequestToken=TOKEN
    )
    error_of(client.put_secret_value, SecretId="app/one", SecretString=VALUE + "x" * 65_536)

    # An unexpected exception while serving a request that carries a value.
    def broken(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("an unexpected bug")

    monkeypatch.setitem(_protocol.OPERATIONS, "PutSecretValue", broken)
    assert error_of(client.put_secret_value, SecretId="app/one", SecretString=VALUE)["Code"] == (
        "InternalServiceError"
    )

    log = smmock_log(caplog)
    assert [leaked(line) for line in log] == [[]] * len(log)
    # Not vacuous: the failed rotation and the internal error were logged.
    assert [line.splitlines()[0] for line in log] == [
        f"smmock WARNING rotation function {ROTATE_FAILS} failed at setSecret for "
        f"{backend.get_secret('app/one').arn}: RuntimeError",
        "smmock ERROR smmock failed to serve secretsmanager.PutSecretValue",
    ]
    assert log[1].splitlines()[-1] == "RuntimeError: an unexpected bug"


# -- smmock's error messages -------------------------------------------------------------------


def test_errors_about_requests_with_values_show_no_values(
    backend: SecretsBackend, client: Any
) -> None:
    seed(backend)
    client.create_secret(Name="app/one", SecretString=VALUE, ClientRequestToken=TOKEN)
    huge = VALUE + "x" * 65_536
    arn = backend.get_secret("app/one").arn
    errors = {
        "name taken": error_of(client.create_secret, Name="app/one", SecretString=VALUE + "-other"),
        "token taken, create": error_of(
            client.create_secret,
            Name="app/one",
            SecretString=VALUE + "-other",
            ClientRequestToken=TOKEN,
        ),
        "token taken, put": error_of(
            client.put_secret_value,
            SecretId="app/one",
            SecretString=VALUE + "-other",
            ClientRequestToken=TOKEN,
        ),
        "token taken, update": error_of(
            client.update_secret, SecretId="app/one", SecretBinary=BINARY, ClientRequestToken=TOKEN
        ),
        "string too long": error_of(client.create_secret, Name="app/two", SecretString=huge),
        "binary too long": error_of(
            client.put_secret_value, SecretId="app/one", SecretBinary=BINARY * 3_000
        ),
        "too long, with another bad member": error_of(
            client.update_secret, SecretId="app/one", SecretString=huge, Description="d" * 2049
        ),
        "rotation token": error_of(
            client.put_secret_value, SecretId="app/one", SecretString=VALUE, RotationToken=VALUE
        ),
        "both values": error_of(
            client.put_secret_value, SecretId="app/one", SecretString=VALUE, SecretBinary=BINARY
        ),
        "wrong type": error_of(client.create_secret, Name="app/two", SecretString=[VALUE]),
        "bad name": error_of(client.create_secret, Name="app two", SecretString=VALUE),
        "scheduled": error_of(
            client.put_secret_value,
            SecretId=client.delete_secret(SecretId="db/key")["ARN"],
            SecretBinary=BINARY,
        ),
    }
    assert {k: leaked(e["Message"]) for k, e in errors.items()} == {k: [] for k in errors}
    # Not vacuous: the messages are the ones that describe these very requests.
    assert errors["name taken"] == {
        "Code": "ResourceExistsException",
        "Message": "The operation failed because the secret app/one already exists.",
    }
    assert errors["token taken, put"]["Message"] == (
        f"You can't use ClientRequestToken {TOKEN} because that value is already in use for a "
        f"version of secret {arn}."
    )
    assert errors["string too long"] == {
        "Code": "ValidationException",
        "Message": "1 validation error detected: Value at 'secretString' failed to satisfy "
        "constraint: Member must have length less than or equal to 65536",
    }
    assert errors["too long, with another bad member"]["Message"].startswith(
        "2 validation errors detected: Value '" + "d" * 2049 + "' at 'description'"
    )


def test_raw_bad_values_get_errors_without_them(backend: SecretsBackend) -> None:
    backend.create_secret("app/one", VALUE)
    bodies = {
        "bad base64": {
            "SecretId": "app/one",
            "SecretBinary": "TOPSECRET!",
            "ClientRequestToken": TOKEN,
        },
        "base64 of the wrong length": {
            "SecretId": "app/one",
            "SecretBinary": VALUE,
            "ClientRequestToken": TOKEN,
        },
        "number for a string": {"SecretId": "app/one", "SecretString": 7, "Description": VALUE},
        "object for a string": {"SecretId": "app/one", "SecretString": {"password": VALUE}},
        "no token": {"SecretId": "app/one", "SecretString": VALUE},
    }
    messages = {}
    for case, body in bodies.items():
        status, answer = _protocol.handle(
            backend, REGION, ACCOUNT, "secretsmanager.PutSecretValue", json.dumps(body)
        )
        assert status == 400
        messages[case] = json.loads(answer)["Message"]
    assert {k: leaked(m) for k, m in messages.items()} == {k: [] for k in messages}
    assert (
        messages["bad base64"]
        == "Base64 encoded length is expected a multiple of 4 bytes but found: 10"
    )


# -- answers: only the value-reading operations carry values -----------------------------------

READS_VALUES = {"GetSecretValue", "BatchGetSecretValue"}
# Enough for each operation to run against db/password rather than fail on its input.
_PARAMS: dict[str, dict[str, Any]] = {
    "AssociateCrossAccountReplica": {
        "CrossAccountReplicaARN": "arn:aws:secretsmanager:us-east-1:210987654321:secret:x-AbCdEf"
    },
    "BatchGetSecretValue": {"SecretIdList": ["db/password", "db/key"]},
    "CreateSecret": {
        "Name": "app/new",
        "SecretString": VALUE + "-new",
        "ClientRequestToken": TOKEN,
    },
    "DisassociateCrossAccountReplica": {
        "CrossAccountReplicaARN": "arn:aws:secretsmanager:us-east-1:210987654321:secret:x-AbCdEf"
    },
    "GetRandomPassword": {},
    "ListSecrets": {"IncludePlannedDeletion": True},
    "PutResourcePolicy": {
        "ResourcePolicy": json.dumps(
            {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:*"}}
        )
    },
    "PutSecretValue": {"SecretString": VALUE + "-put", "ClientRequestToken": "0" * 32},
    "RemoveRegionsFromReplication": {"RemoveReplicaRegions": ["eu-west-1"]},
    "ReplicateSecretToRegions": {"AddReplicaRegions": [{"Region": "eu-west-2"}]},
    "RotateSecret": {"RotationLambdaARN": ROTATE_OK, "ClientRequestToken": "1" * 32},
    "TagResource": {"Tags": [{"Key": "team", "Value": "a"}]},
    "UntagResource": {"TagKeys": ["team"]},
    "UpdateSecret": {"SecretString": VALUE + "-update", "ClientRequestToken": "2" * 32},
    "UpdateSecretVersionStage": {"VersionStage": "blue", "MoveToVersionId": OTHER_TOKEN},
    "ValidateResourcePolicy": {"ResourcePolicy": json.dumps({"Statement": []})},
}


@pytest.mark.parametrize("operation", MODEL.operation_names)
def test_only_value_reads_answer_with_values(backend: SecretsBackend, operation: str) -> None:
    seed(backend)
    backend.register_rotation_function(ROTATE_OK, _rotation_ok)
    params = {"SecretId": "db/password", **_PARAMS.get(operation, {})}
    status, answer = _protocol.handle(
        backend, REGION, ACCOUNT, f"secretsmanager.{operation}", json.dumps(params)
    )
    text = answer.decode()
    if operation in READS_VALUES:
        assert status == 200, text
        assert leaked(text) != []
    else:
        assert leaked(text) == [], text
