"""Fault injection through botocore's own retry modes, and the no-sleep retry helper."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import botocore.endpoint
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time

from smmock import SecretsBackend, mock_secrets, no_retry_sleep
from smmock._intercept import retries as _retries
from smmock._service.faults import COMMON_ERRORS, MODELED_ERRORS
from smmock._wire.protocol import handle
from tests.contract import check_response, service_model, unchecked


def _endpoint_time() -> Any:
    # What botocore.endpoint calls time.sleep through (its module global ``time``).
    return vars(botocore.endpoint)["time"]


def _client(mode: str, attempts: int) -> Any:
    config = Config(retries={"mode": mode, "total_max_attempts": attempts})  # type: ignore[arg-type]
    return boto3.client("secretsmanager", region_name="us-east-1", config=config)


@pytest.fixture
def seeded(backend: SecretsBackend) -> SecretsBackend:
    backend.create_secret("db/password", "hunter2")
    return backend


# -- the fault itself ---------------------------------------------------------------------------


def test_a_fault_answers_with_aws_code_message_and_status(seeded: SecretsBackend) -> None:
    fault = seeded.inject_fault("GetSecretValue", "ThrottlingException")
    body = json.dumps({"SecretId": "db/password"})

    first = handle(seeded, "us-east-1", "123456789012", "secretsmanager.GetSecretValue", body)
    second = handle(seeded, "us-east-1", "123456789012", "secretsmanager.GetSecretValue", body)

    assert first == (400, b'{"__type":"ThrottlingException","Message":"Rate exceeded"}')
    assert second[0] == 200
    assert json.loads(second[1])["SecretString"] == "hunter2"
    assert (fault.fired, fault.remaining, fault.active) == (1, 0, False)
    assert seeded.faults == []


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        ("InternalServiceError", 500, "An error occurred on the server side."),
        (
            "ServiceUnavailable",
            503,
            "The request has failed due to a temporary failure of the server.",
        ),
        (
            "InternalFailure",
            500,
            "The request processing has failed because of an unknown error, exception or failure.",
        ),
        (
            "DecryptionFailure",
            400,
            ("Secrets Manager can't decrypt the protected secret text using the provided KMS key."),
        ),
        ("ResourceNotFoundException", 400, "Secrets Manager can't find the specified secret."),
        (
            "AccessDeniedException",
            400,
            "You do not have sufficient access to perform this action.",
        ),
    ],
)
def test_each_code_has_aws_status_and_a_default_message(
    seeded: SecretsBackend, code: str, status: int, message: str
) -> None:
    fault = seeded.inject_fault("GetSecretValue", code)
    answer = handle(
        seeded, "us-east-1", "123456789012", "secretsmanager.GetSecretValue", b'{"SecretId":"x"}'
    )
    assert fault.status == status
    assert answer == (
        status,
        json.dumps({"__type": code, "Message": message}, separators=(",", ":")).encode(),
    )


def test_a_modeled_error_reaches_the_client_as_its_modeled_exception(
    seeded: SecretsBackend, client: Any
) -> None:
    seeded.inject_fault("GetSecretValue", "DecryptionFailure", message="KMS key disabled.")
    with pytest.raises(client.exceptions.DecryptionFailure) as caught:
        client.get_secret_value(SecretId="db/password")
    assert caught.value.response["Error"] == {
        "Code": "DecryptionFailure",
        "Message": "KMS key disabled.",
    }
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_times_secret_id_and_cancel(seeded: SecretsBackend, client: Any) -> None:
    other = seeded.create_secret("other", "o")
    fault = seeded.inject_fault(
        "GetSecretValue", "InvalidRequestException", times=None, secret_id="db/password"
    )
    assert repr(fault) == (
        "Fault('GetSecretValue', 'InvalidRequestException', status=400, fired=0, remaining=None)"
    )
    # The other secret is served; the named one fails by name and by ARN.
    assert client.get_secret_value(SecretId=other.arn)["SecretString"] == "o"
    arn = seeded.get_secret("db/password").arn
    for secret_id in ("db/password", arn, "db/password", arn):
        with pytest.raises(client.exceptions.InvalidRequestException):
            client.get_secret_value(SecretId=secret_id)
    assert (fault.fired, fault.remaining, seeded.faults) == (4, None, [fault])
    fault.cancel()
    assert (fault.remaining, fault.active, seeded.faults) == (0, False, [])
    assert client.get_secret_value(SecretId="db/password")["SecretString"] == "hunter2"


def test_a_fault_by_arn_matches_calls_by_name(seeded: SecretsBackend, client: Any) -> None:
    arn = seeded.get_secret("db/password").arn
    seeded.inject_fault("DescribeSecret", "InternalServiceError", secret_id=arn)
    with pytest.raises(client.exceptions.InternalServiceError), no_retry_sleep():
        # One attempt only: the InternalServiceError would be retried.
        _client("standard", 1).describe_secret(SecretId="db/password")


def test_faults_fire_first_injected_first_and_clear(seeded: SecretsBackend, client: Any) -> None:
    first = seeded.inject_fault("ListSecrets", "InvalidParameterException", message="first")
    second = seeded.inject_fault("ListSecrets", "InvalidRequestException", message="second")
    with pytest.raises(ClientError, match="first"):
        client.list_secrets()
    seeded.clear_faults()
    assert client.list_secrets()["SecretList"][0]["Name"] == "db/password"
    assert (first.fired, second.fired, second.active) == (1, 0, False)


def test_a_faulted_write_changes_nothing(seeded: SecretsBackend, client: Any) -> None:
    seeded.inject_fault("PutSecretValue", "InternalServiceError")
    with pytest.raises(client.exceptions.InternalServiceError):
        _client("standard", 1).put_secret_value(SecretId="db/password", SecretString="new")
    assert seeded.get_secret("db/password").version_count() == 1
    assert seeded.get_secret("db/password").current.secret_string == "hunter2"  # type: ignore[union-attr]


def test_a_gateway_status_can_be_given(seeded: SecretsBackend) -> None:
    seeded.inject_fault("GetSecretValue", "ServiceUnavailable", status=502, message="Bad Gateway")
    with unchecked():
        answer = handle(seeded, "us-east-1", "123456789012", "secretsmanager.GetSecretValue", b"{}")
    assert answer == (502, b'{"__type":"ServiceUnavailable","Message":"Bad Gateway"}')
    # AWS itself never answers 502 (a gateway in front of it might): the contract says so.
    assert check_response("secretsmanager.GetSecretValue", *answer) == [
        "ServiceUnavailable answered with HTTP 502, expected 503"
    ]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (
            ("GetSecret", "ThrottlingException"),
            {},
            ValueError,
            "'GetSecret' is not a Secrets Manager operation; use one of "
            "AssociateCrossAccountReplica, BatchGetSecretValue, ",
        ),
        (
            ("GetSecretValue", "ResourceExistsException"),
            {},
            ValueError,
            "GetSecretValue never answers 'ResourceExistsException': use one of its modeled "
            "errors (DecryptionFailure, InternalServiceError, InvalidParameterException, "
            "InvalidRequestException, ResourceNotFoundException) or an error every AWS API "
            "can answer (AccessDeniedException, InternalFailure, ServiceUnavailable, "
            "ThrottlingException).",
        ),
        (
            ("GetSecretValue", "ThrottlingException"),
            {"times": 0},
            ValueError,
            "times must be at least 1 (or None for every call), not 0.",
        ),
        (
            ("GetSecretValue", "ThrottlingException"),
            {"times": True},
            TypeError,
            "times must be a positive int or None, not True.",
        ),
        (
            ("GetSecretValue", "ThrottlingException"),
            {"secret_id": 5},
            TypeError,
            "secret_id must be a name or ARN string, not 5.",
        ),
        (
            ("GetSecretValue", "ThrottlingException"),
            {"message": b"x"},
            TypeError,
            "message must be a string, not b'x'.",
        ),
        (
            ("GetSecretValue", "ThrottlingException"),
            {"status": 200},
            ValueError,
            "status must be an HTTP error status (400-599), not 200.",
        ),
    ],
)
def test_bad_faults_are_refused(
    backend: SecretsBackend,
    args: tuple[str, str],
    kwargs: dict[str, Any],
    error: type,
    message: str,
) -> None:
    with pytest.raises(error) as caught:
        backend.inject_fault(*args, **kwargs)
    assert str(caught.value).startswith(message)
    assert backend.faults == []


def test_the_error_table_matches_botocore_model() -> None:
    model = service_model()
    assert sorted(MODELED_ERRORS) == sorted(model.operation_names)
    for name in model.operation_names:
        modeled = {shape.name for shape in model.operation_model(name).error_shapes}
        assert MODELED_ERRORS[name] == modeled, name
    assert {
        "AccessDeniedException",
        "InternalFailure",
        "ServiceUnavailable",
        "ThrottlingException",
    } == COMMON_ERRORS


# -- botocore's retry modes, as in production ---------------------------------------------------


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
def test_code_survives_two_throttles_with_three_attempts(seeded: SecretsBackend, mode: str) -> None:
    client = _client(mode, 3)
    fault = seeded.inject_fault("GetSecretValue", "ThrottlingException", times=2)
    seeded.calls.clear()
    with no_retry_sleep() as retries:
        assert client.get_secret_value(SecretId="db/password")["SecretString"] == "hunter2"
    assert [(c.operation, c.error_code) for c in seeded.calls] == [
        ("GetSecretValue", "ThrottlingException"),
        ("GetSecretValue", "ThrottlingException"),
        ("GetSecretValue", None),
    ]
    assert fault.fired == 2
    assert len(retries.delays) == 2
    assert all(0 <= delay <= 20 for delay in retries.delays)


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
def test_code_gives_up_with_one_attempt(seeded: SecretsBackend, mode: str) -> None:
    client = _client(mode, 1)
    seeded.inject_fault("GetSecretValue", "ThrottlingException", times=2)
    seeded.calls.clear()
    with no_retry_sleep() as retries, pytest.raises(ClientError) as caught:
        client.get_secret_value(SecretId="db/password")
    assert caught.value.response["Error"] == {
        "Code": "ThrottlingException",
        "Message": "Rate exceeded",
    }
    assert seeded.calls.operations() == ["GetSecretValue"]
    assert retries.delays == []


@pytest.mark.parametrize(
    ("mode", "code", "status", "attempts"),
    [
        # legacy (botocore's _retry.json): throttling codes only with HTTP 400, and the
        # statuses 429, 500, 502, 503, 504 whatever the code.
        ("legacy", "ThrottlingException", None, 3),
        ("legacy", "ThrottlingException", 403, 1),
        ("legacy", "ThrottlingException", 429, 3),
        ("legacy", "InternalServiceError", None, 3),
        ("legacy", "ServiceUnavailable", None, 3),
        ("legacy", "LimitExceededException", None, 1),
        ("legacy", "InvalidRequestException", None, 1),
        # standard: throttling codes whatever the status (LimitExceededException is one),
        # and transient statuses 500, 502, 503, 504.
        ("standard", "ThrottlingException", 403, 3),
        ("standard", "InternalFailure", None, 3),
        ("standard", "ServiceUnavailable", None, 3),
        ("standard", "LimitExceededException", None, 3),
        ("standard", "InvalidRequestException", None, 1),
        ("standard", "ResourceNotFoundException", None, 1),
    ],
)
def test_which_faults_each_mode_retries(
    seeded: SecretsBackend, mode: str, code: str, status: int | None, attempts: int
) -> None:
    client = _client(mode, 3)
    seeded.inject_fault("PutSecretValue", code, times=2, status=status)
    seeded.calls.clear()
    with no_retry_sleep(), unchecked():
        if attempts == 3:
            client.put_secret_value(SecretId="db/password", SecretString="v2")
        else:
            with pytest.raises(ClientError) as caught:
                client.put_secret_value(SecretId="db/password", SecretString="v2")
            assert caught.value.response["Error"]["Code"] == code
    assert len(seeded.calls) == attempts
    assert seeded.calls.operations() == ["PutSecretValue"] * attempts
    # Only a call that got through wrote a version.
    assert seeded.get_secret("db/password").version_count() == (2 if attempts == 3 else 1)


def test_no_retry_sleep_leaves_time_sleep_alone(seeded: SecretsBackend) -> None:
    real_sleep = time.sleep
    with no_retry_sleep() as retries:
        assert time.sleep is real_sleep
        assert _endpoint_time() is not time
        started = time.perf_counter()
        time.sleep(0.02)  # other code still sleeps
        assert time.perf_counter() - started >= 0.02
        with no_retry_sleep() as inner:
            seeded.inject_fault("GetSecretValue", "ThrottlingException")
            _client("standard", 2).get_secret_value(SecretId="db/password")
    assert _endpoint_time() is time
    assert len(inner.delays) == 1
    assert retries.delays == inner.delays
    with pytest.raises(RuntimeError, match=r"^This no_retry_sleep\(\) is not active\.$"):
        retries.stop()


def test_no_retry_sleep_as_a_decorator(seeded: SecretsBackend) -> None:
    @no_retry_sleep()
    def read() -> str:
        assert _endpoint_time() is not time
        seeded.inject_fault("GetSecretValue", "ServiceUnavailable", times=2)
        return str(_client("legacy", 3).get_secret_value(SecretId="db/password")["SecretString"])

    assert read() == "hunter2"
    assert _endpoint_time() is time


def test_adaptive_mode_under_a_frozen_clock_is_refused_with_a_message() -> None:
    with freeze_time("2024-05-01"), mock_secrets() as backend:
        backend.create_secret("s", "v")
        client = _client("adaptive", 3)
        backend.inject_fault("GetSecretValue", "ThrottlingException", times=2)
        with pytest.raises(RuntimeError) as caught:
            client.get_secret_value(SecretId="s")
        assert str(caught.value) == _retries.ADAPTIVE_FROZEN.format(
            operation="GetSecretValue", code="ThrottlingException"
        )
        assert str(caught.value).startswith(
            "smmock answered GetSecretValue with ThrottlingException, which switches on"
        )
        assert [c.error_code for c in backend.calls][-1] == "ThrottlingException"


def test_adaptive_mode_under_a_frozen_clock_works_with_the_helper() -> None:
    with freeze_time("2024-05-01"), mock_secrets() as backend, no_retry_sleep() as retries:
        backend.create_secret("s", "v")
        client = _client("adaptive", 3)
        for _ in range(3):
            backend.inject_fault("GetSecretValue", "ThrottlingException", times=2)
            assert client.get_secret_value(SecretId="s")["SecretString"] == "v"
        assert len(retries.delays) == 6
        assert [c.error_code for c in backend.calls][-3:] == [
            "ThrottlingException",
            "ThrottlingException",
            None,
        ]


def test_adaptive_mode_with_a_ticking_clock_is_not_refused() -> None:
    with freeze_time("2024-05-01", tick=True), mock_secrets() as backend, no_retry_sleep():
        backend.create_secret("s", "v")
        backend.inject_fault("GetSecretValue", "ThrottlingException")
        assert _client("adaptive", 3).get_secret_value(SecretId="s")["SecretString"] == "v"


def test_faults_through_the_fixture(sm_backend: SecretsBackend) -> None:
    sm_backend.create_secret("s", "v")
    sm_backend.inject_fault("DescribeSecret", "ThrottlingException")
    with no_retry_sleep() as retries:
        assert _client("standard", 2).describe_secret(SecretId="s")["Name"] == "s"
    assert len(retries.delays) == 1
