"""RotateSecret and CancelRotateSecret through a real boto3 client, with a rotation
function written the way AWS's Lambda templates are.

The function gets the real event, builds its own boto3 client on
``SECRETS_MANAGER_ENDPOINT`` and calls the mock back, so these tests exercise the whole
protocol: the AWSPENDING stub, the four steps in order, label moves, failure
bookkeeping, and scheduled rotation under time travel.
"""

from __future__ import annotations

import datetime
import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from smmock import mock_secrets
from smmock._intercept import hook as _hook
from smmock._service.rotation import LambdaContext, RotationFailure
from smmock._wire import protocol as _protocol
from smmock.backend import SecretsBackend
from smmock.exceptions import (
    RotationDeadlockError,
    RotationFailedError,
    RotationFailedWarning,
    UnregisteredRotationFunctionWarning,
)

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)  # the `frozen` fixture
DAY = datetime.timedelta(days=1)
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate-db"
OTHER_LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:not-deployed"
ENDPOINT = "https://secretsmanager.us-east-1.amazonaws.com"
OLD = "00000000-0000-4000-8000-000000000001"
NEW = "00000000-0000-4000-8000-000000000002"
NEWER = "00000000-0000-4000-8000-000000000003"
STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"]
INCOMPLETE = "A previous rotation isn't complete. That rotation will be reattempted."
NO_FUNCTION = "No Lambda rotation function ARN is associated with this secret."
NOT_INVOCABLE = (
    "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function "
    "policy grants access to the principal secretsmanager.amazonaws.com."
)
NOT_CONFIGURED = "You can't cancel rotation because rotation isn't configured for this secret."


def failed(arn: str, token: str, step: str, index: int = 0, cause: str = "RuntimeError") -> str:
    """The RotationFailedWarning for a step that raised, leaving ``token`` pending."""
    return (
        f"Rotation of {arn} failed: the rotation function {LAMBDA_ARN} raised {cause} at step "
        f"{step}. As in AWS, the call that started it succeeded. Version {token} keeps "
        f'AWSPENDING, so another RotateSecret is refused with "{INCOMPLETE}" To retry as AWS '
        f"does, call RotateSecret with ClientRequestToken='{token}'; to give up, remove "
        "AWSPENDING from that version (UpdateSecretVersionStage) or write a new value "
        f"(PutSecretValue). The exception is backend.rotation_failures[{index}].error."
    )


def messages(caught: Any) -> list[tuple[type[Warning], str]]:
    return [(w.category, str(w.message)) for w in caught]


TOKEN_REQUIRED = "You must provide a ClientRequestToken value. We recommend a UUID-type value."


class RotationLambda:
    """A rotation function in the shape of AWS's single-user template.

    ``createSecret`` puts a new password as AWSPENDING, ``setSecret`` and ``testSecret``
    only read it back (there is no database), ``finishSecret`` moves AWSCURRENT. It
    records what it saw at each step so tests can inspect the protocol from the inside.
    ``fail_at`` makes that step raise, as a Lambda that cannot reach its database would.
    """

    def __init__(self, fail_at: str | None = None) -> None:
        self.fail_at = fail_at
        self.events: list[dict[str, str]] = []
        self.stages_seen: list[dict[str, list[str]]] = []
        self.rotation_enabled_seen: list[bool] = []
        self.endpoints: list[str] = []
        self.contexts: list[Any] = []
        self.pending_errors: list[str] = []
        self.pending_values: list[str] = []
        self.passwords: list[str] = []

    def __call__(self, event: dict[str, str], context: Any) -> None:
        self.events.append(dict(event))
        self.contexts.append(context)
        endpoint = os.environ["SECRETS_MANAGER_ENDPOINT"]
        self.endpoints.append(endpoint)
        client = boto3.client("secretsmanager", endpoint_url=endpoint)
        arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]

        metadata = client.describe_secret(SecretId=arn)
        self.rotation_enabled_seen.append(metadata["RotationEnabled"])
        versions = metadata["VersionIdsToStages"]
        self.stages_seen.append(versions)
        if not metadata["RotationEnabled"]:
            raise ValueError(f"Secret {arn} is not enabled for rotation")
        if token not in versions:
            raise ValueError(f"Secret version {token} has no stage for rotation of {arn}")
        if "AWSCURRENT" in versions[token]:
            return
        if "AWSPENDING" not in versions[token]:
            raise ValueError(f"Secret version {token} not set as AWSPENDING for {arn}")
        if step == self.fail_at:
            raise RuntimeError(f"{step} failed: the database is unreachable")
        _HANDLERS[step](self, client, arn, token)

    def create_secret(self, client: Any, arn: str, token: str) -> None:
        client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
        try:
            client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except client.exceptions.ResourceNotFoundException as error:
            self.pending_errors.append(error.response["Error"]["Message"])
            password = client.get_random_password(ExcludeCharacters="/@\"'\\")["RandomPassword"]
            self.passwords.append(password)
            client.put_secret_value(
                SecretId=arn,
                ClientRequestToken=token,
                SecretString=json.dumps({"username": "app", "password": password}),
                VersionStages=["AWSPENDING"],
            )

    def read_pending(self, client: Any, arn: str, token: str) -> None:
        pending = client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        self.pending_values.append(pending["SecretString"])

    def finish_secret(self, client: Any, arn: str, token: str) -> None:
        versions = client.describe_secret(SecretId=arn)["VersionIdsToStages"]
        current = next(v for v, stages in versions.items() if "AWSCURRENT" in stages)
        if current == token:
            return
        client.update_secret_version_stage(
            SecretId=arn,
            VersionStage="AWSCURRENT",
            MoveToVersionId=token,
            RemoveFromVersionId=current,
        )

    @property
    def steps(self) -> list[str]:
        return [event["Step"] for event in self.events]


_HANDLERS: dict[str, Callable[[RotationLambda, Any, str, str], None]] = {
    "createSecret": RotationLambda.create_secret,
    "setSecret": RotationLambda.read_pending,
    "testSecret": RotationLambda.read_pending,
    "finishSecret": RotationLambda.finish_secret,
}

OLD_VALUE = json.dumps({"username": "app", "password": "old"})


def seed(client: Any, name: str = "db") -> str:
    return client.create_secret(Name=name, SecretString=OLD_VALUE, ClientRequestToken=OLD)["ARN"]


def described(client: Any, secret_id: str = "db") -> dict[str, Any]:
    out = client.describe_secret(SecretId=secret_id)
    out.pop("ResponseMetadata")
    return out


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    error = info.value.response["Error"]
    return error["Code"], error["Message"]


def rotate(client: Any, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("SecretId", "db")
    out = client.rotate_secret(**kwargs)
    out.pop("ResponseMetadata")
    return out


@pytest.fixture(autouse=True)
def _no_endpoint_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests check smmock sets it for the function and takes it away afterwards.
    monkeypatch.delenv("SECRETS_MANAGER_ENDPOINT", raising=False)


@pytest.fixture
def handler(backend: SecretsBackend) -> RotationLambda:
    function = RotationLambda()
    backend.register_rotation_function(LAMBDA_ARN, function)
    return function


@pytest.fixture
def no_validation_client(backend: SecretsBackend) -> Any:
    """A client that sends what botocore would refuse (min bounds), as raw callers can."""
    return boto3.client(
        "secretsmanager", region_name="us-east-1", config=Config(parameter_validation=False)
    )


# -- a rotation, step by step -------------------------------------------------------------------


def test_rotate_secret_runs_the_four_steps_in_order_with_lambdas_event(
    client: Any, handler: RotationLambda, frozen: Any
) -> None:
    arn = seed(client)
    answer = rotate(
        client,
        RotationLambdaARN=LAMBDA_ARN,
        RotationRules={"AutomaticallyAfterDays": 30},
        ClientRequestToken=NEW,
    )
    assert answer == {"ARN": arn, "Name": "db", "VersionId": NEW}
    assert handler.steps == STEPS
    for event in handler.events:
        assert set(event) == {"Step", "SecretId", "ClientRequestToken", "RotationToken"}
        assert event["SecretId"] == arn
        assert event["ClientRequestToken"] == NEW
        assert len(event["RotationToken"]) == 36
    # RotationEnabled is saved before the function runs: the templates refuse otherwise.
    assert handler.rotation_enabled_seen == [True, True, True, True]


def test_the_pending_stub_is_visible_and_empty_before_create_secret(
    client: Any, handler: RotationLambda
) -> None:
    seed(client)
    rotate(client, RotationLambdaARN=LAMBDA_ARN, ClientRequestToken=NEW)
    # What describe_secret showed at the start of each step.
    assert handler.stages_seen == [{OLD: ["AWSCURRENT"], NEW: ["AWSPENDING"]}] * 4
    assert handler.pending_errors == [
        f"Secrets Manager can't find the specified secret value for VersionId: {NEW}"
    ]
    new_value = json.dumps({"username": "app", "password": handler.passwords[0]})
    assert handler.pending_values == [new_value, new_value]


def test_finish_secret_leaves_the_new_version_current(
    client: Any, backend: SecretsBackend, handler: RotationLambda
) -> None:
    seed(client)
    rotate(client, RotationLambdaARN=LAMBDA_ARN, ClientRequestToken=NEW)
    assert backend.labels("db") == {"AWSCURRENT": NEW, "AWSPREVIOUS": OLD, "AWSPENDING": NEW}
    assert described(client)["VersionIdsToStages"] == {
        OLD: ["AWSPREVIOUS"],
        NEW: ["AWSPENDING", "AWSCURRENT"],
    }
    current = client.get_secret_value(SecretId="db")
    assert current["VersionId"] == NEW
    assert json.loads(current["SecretString"]) == {
        "username": "app",
        "password": handler.passwords[0],
    }
    previous = client.get_secret_value(SecretId="db", VersionStage="AWSPREVIOUS")
    assert previous["SecretString"] == OLD_VALUE
    assert backend.rotation_failures == []


def test_a_second_rotation_moves_the_labels_on(
    client: Any, backend: SecretsBackend, handler: RotationLambda
) -> None:
    seed(client)
    rotate(client, RotationLambdaARN=LAMBDA_ARN, ClientRequestToken=NEW)
    # AWSPENDING left on the current version is a finished state: it does not block.
    rotate(client, ClientRequestToken=NEWER)
    assert backend.labels("db") == {"AWSCURRENT": NEWER, "AWSPREVIOUS": NEW, "AWSPENDING": NEWER}
    assert described(client)["VersionIdsToStages"] == {
        NEW: ["AWSPREVIOUS"],
        NEWER: ["AWSPENDING", "AWSCURRENT"],
    }
    assert handler.steps == STEPS * 2


def test_the_function_gets_the_endpoint_variable_and_a_lambda_context(
    client: Any, handler: RotationLambda
) -> None:
    seed(client)
    rotate(client, RotationLambdaARN=LAMBDA_ARN)
    assert handler.endpoints == [ENDPOINT] * 4
    assert "SECRETS_MANAGER_ENDPOINT" not in os.environ
    context = handler.contexts[0]
    assert isinstance(context, LambdaContext)
    assert context.invoked_function_arn == LAMBDA_ARN
    assert context.function_name == "rotate-db"
    assert context.get_remaining_time_in_millis() == 900_000


@pytest.mark.smmock(region="eu-west-1")
def test_the_endpoint_variable_names_the_secrets_region(
    sm_backend: SecretsBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = RotationLambda()
    arn = LAMBDA_ARN.replace("us-east-1", "eu-west-1")
    sm_backend.register_rotation_function(arn, handler)
    client = boto3.client("secretsmanager", region_name="eu-west-1")
    seed(client)
    rotate(client, RotationLambdaARN=arn)
    assert handler.endpoints == ["https://secretsmanager.eu-west-1.amazonaws.com"] * 4
    assert client.get_secret_value(SecretId="db")["VersionStages"] == ["AWSPENDING", "AWSCURRENT"]


def test_rotation_metadata_under_frozen_time(
    client: Any, handler: RotationLambda, frozen: Any
) -> None:
    arn = seed(client)
    before = described(client)
    assert not {"RotationEnabled", "RotationLambdaARN", "RotationRules"} & set(before)
    frozen.tick(3600)
    rotate(client, RotationLambdaARN=LAMBDA_ARN, RotationRules={"AutomaticallyAfterDays": 30})
    rotated_at = T0 + datetime.timedelta(hours=1)
    after = described(client)
    assert after == {
        "ARN": arn,
        "Name": "db",
        "RotationEnabled": True,
        "RotationLambdaARN": LAMBDA_ARN,
        "RotationRules": {"AutomaticallyAfterDays": 30},
        "LastRotatedDate": rotated_at,
        "LastChangedDate": rotated_at,
        # The end of the window: 23:59:59 UTC on the day 30 days after the rotation.
        "NextRotationDate": datetime.datetime(2024, 4, 9, 23, 59, 59, tzinfo=UTC),
        # The function's own reads count as accesses.
        "LastAccessedDate": datetime.datetime(2024, 3, 10, tzinfo=UTC),
        "VersionIdsToStages": after["VersionIdsToStages"],
        "CreatedDate": T0,
    }


# -- failures ---------------------------------------------------------------------------------


def test_a_failing_step_leaves_awspending_and_blocks_the_next_rotation(
    client: Any, backend: SecretsBackend, frozen: Any
) -> None:
    handler = RotationLambda(fail_at="setSecret")
    backend.register_rotation_function(LAMBDA_ARN, handler)
    arn = seed(client)
    # In AWS the function runs asynchronously: RotateSecret itself succeeds, and smmock
    # warns at the call (pytest shows it; -W error turns it into the test's failure).
    with pytest.warns(RotationFailedWarning) as caught:
        answer = rotate(
            client,
            RotationLambdaARN=LAMBDA_ARN,
            RotationRules={"AutomaticallyAfterDays": 30},
            ClientRequestToken=NEW,
        )
    assert messages(caught) == [(RotationFailedWarning, failed(arn, NEW, "setSecret"))]
    assert caught[0].filename == __file__  # the test's own call, not smmock's
    assert answer == {"ARN": arn, "Name": "db", "VersionId": NEW}
    assert handler.steps == ["createSecret", "setSecret"]
    assert backend.labels("db") == {"AWSCURRENT": OLD, "AWSPENDING": NEW}
    assert client.get_secret_value(SecretId="db")["SecretString"] == OLD_VALUE
    [failure] = backend.rotation_failures
    assert isinstance(failure, RotationFailure)
    assert (failure.secret_arn, failure.version_id, failure.step) == (arn, NEW, "setSecret")
    assert isinstance(failure.error, RuntimeError)
    assert str(failure.error) == "setSecret failed: the database is unreachable"
    after = described(client)
    assert "LastRotatedDate" not in after
    assert after["RotationEnabled"] is True
    # Decision: the schedule still counts from the attempt.
    assert after["NextRotationDate"] == datetime.datetime(2024, 4, 9, 23, 59, 59, tzinfo=UTC)

    assert error_of(client.rotate_secret, SecretId="db") == ("InvalidRequestException", INCOMPLETE)
    assert handler.steps == ["createSecret", "setSecret"]
    assert described(client) == after


def test_a_failing_create_secret_leaves_an_empty_pending_version(
    client: Any, backend: SecretsBackend
) -> None:
    handler = RotationLambda(fail_at="createSecret")
    backend.register_rotation_function(LAMBDA_ARN, handler)
    arn = seed(client)
    with pytest.warns(RotationFailedWarning) as caught:
        rotate(client, RotationLambdaARN=LAMBDA_ARN, ClientRequestToken=NEW)
    assert messages(caught) == [(RotationFailedWarning, failed(arn, NEW, "createSecret"))]
    assert handler.steps == ["createSecret"]
    assert described(client)["VersionIdsToStages"] == {OLD: ["AWSCURRENT"], NEW: ["AWSPENDING"]}
    # ListSecretVersionIds lists only versions that hold a value: the stub is not there.
    for include_deprecated in (False, True):
        listed = client.list_secret_version_ids(
            SecretId="db", IncludeDeprecated=include_deprecated
        )["Versions"]
        assert [(v["VersionId"], v["VersionStages"]) for v in listed] == [(OLD, ["AWSCURRENT"])]
    assert error_of(client.get_secret_value, SecretId="db", VersionStage="AWSPENDING") == (
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
    )
    assert [(f.step, f.version_id) for f in backend.rotation_failures] == [("createSecret", NEW)]
    assert error_of(client.rotate_secret, SecretId="db") == ("InvalidRequestException", INCOMPLETE)


def test_recovering_from_a_failed_rotation(client: Any, backend: SecretsBackend) -> None:
    backend.register_rotation_function(LAMBDA_ARN, RotationLambda(fail_at="testSecret"))
    seed(client)
    with pytest.warns(RotationFailedWarning):
        rotate(client, RotationLambdaARN=LAMBDA_ARN, ClientRequestToken=NEW)
    # As the CancelRotateSecret docs say: cancel, then remove the stale AWSPENDING.
    cancelled = client.cancel_rotate_secret(SecretId="db")
    assert cancelled["VersionId"] == NEW
    client.update_secret_version_stage(
        SecretId="db", VersionStage="AWSPENDING", RemoveFromVersionId=NEW
    )
    fixed = RotationLambda()
    backend.register_rotation_function(LAMBDA_ARN, fixed)
    rotate(client, ClientRequestToken=NEWER)  # stored ARN, rotation enabled again
    assert fixed.steps == STEPS
    assert backend.labels("db") == {"AWSCURRENT": NEWER, "AWSPREVIOUS": OLD, "AWSPENDING": NEWER}
    assert described(client)["RotationEnabled"] is True


def test_an_unregistered_function_is_access_denied_and_nothing_is_saved(
    client: Any, backend: SecretsBackend, handler: RotationLambda
) -> None:
    arn = seed(client)
    before = described(client)
    # AWS's answer, and a warning that says how to give smmock the function.
    with pytest.warns(UnregisteredRotationFunctionWarning) as caught:
        assert error_of(
            client.rotate_secret,
            SecretId="db",
            RotationLambdaARN=OTHER_LAMBDA_ARN,
            RotationRules={"AutomaticallyAfterDays": 7},
        ) == ("AccessDeniedException", NOT_INVOCABLE)
    assert messages(caught) == [
        (
            UnregisteredRotationFunctionWarning,
            f"RotateSecret on {arn} answered AccessDeniedException, as AWS does when it cannot "
            "invoke the rotation function: no rotation function is registered for "
            f"{OTHER_LAMBDA_ARN}. To have smmock run one, call "
            f"backend.register_rotation_function('{OTHER_LAMBDA_ARN}', handler) first.",
        )
    ]
    assert described(client) == before
    assert backend.labels("db") == {"AWSCURRENT": OLD}
    assert handler.events == []
    assert backend.rotation_failures == []


def test_no_function_arn_at_all(client: Any, backend: SecretsBackend) -> None:
    seed(client)
    before = described(client)
    assert error_of(client.rotate_secret, SecretId="db") == ("InvalidRequestException", NO_FUNCTION)
    assert error_of(
        client.rotate_secret, SecretId="db", RotationRules={"AutomaticallyAfterDays": 7}
    ) == ("InvalidRequestException", NO_FUNCTION)
    assert described(client) == before


def test_raw_rotate_secret_without_a_token_is_refused_before_the_lookup() -> None:
    backend = SecretsBackend()
    for secret_id in ("db", "missing"):
        status, body = _protocol.handle(
            backend,
            "us-east-1",
            "123456789012",
            "secretsmanager.RotateSecret",
            json.dumps({"SecretId": secret_id, "RotationLambdaARN": LAMBDA_ARN}).encode(),
        )
        assert (status, json.loads(body)) == (
            400,
            {"__type": "InvalidParameterException", "Message": TOKEN_REQUIRED},
        )


def test_a_token_that_names_an_existing_version_is_refused(
    client: Any, handler: RotationLambda
) -> None:
    arn = seed(client)
    before = described(client)
    # Decision (AWS unconfirmed): InvalidRequest, since RotateSecret models no
    # ResourceExistsException.
    assert error_of(
        client.rotate_secret, SecretId="db", RotationLambdaARN=LAMBDA_ARN, ClientRequestToken=OLD
    ) == (
        "InvalidRequestException",
        f"You can't use ClientRequestToken {OLD} because that value is already in use for a "
        f"version of secret {arn}.",
    )
    assert described(client) == before
    assert handler.events == []


def test_rotate_unknown_and_scheduled_secrets(client: Any, handler: RotationLambda) -> None:
    assert error_of(client.rotate_secret, SecretId="missing", RotationLambdaARN=LAMBDA_ARN) == (
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.",
    )
    seed(client)
    client.delete_secret(SecretId="db")
    assert error_of(client.rotate_secret, SecretId="db", RotationLambdaARN=LAMBDA_ARN) == (
        "InvalidRequestException",
        "You can't perform this operation on the secret because it was marked for deletion.",
    )
    assert handler.events == []


# -- RotateImmediately=False --------------------------------------------------------------------


def test_rotate_immediately_false_runs_only_test_secret_on_a_copy(
    client: Any, backend: SecretsBackend, handler: RotationLambda, frozen: Any
) -> None:
    seed(client)
    answer = rotate(
        client,
        RotationLambdaARN=LAMBDA_ARN,
        RotationRules={"AutomaticallyAfterDays": 10},
        RotateImmediately=False,
        ClientRequestToken=NEW,
    )
    assert answer["VersionId"] == NEW
    assert handler.steps == ["testSecret"]
    # testSecret read the pending copy of the current value.
    assert handler.stages_seen == [{OLD: ["AWSCURRENT"], NEW: ["AWSPENDING"]}]
    assert handler.pending_values == [OLD_VALUE]
    # ...which is gone afterwards: AWSCURRENT and the versions are as they were.
    assert backend.labels("db") == {"AWSCURRENT": OLD}
    versions = client.list_secret_version_ids(SecretId="db", IncludeDeprecated=True)["Versions"]
    assert [v["VersionId"] for v in versions] == [OLD]
    after = described(client)
    assert after["RotationEnabled"] is True
    assert after["RotationRules"] == {"AutomaticallyAfterDays": 10}
    assert after["NextRotationDate"] == datetime.datetime(2024, 3, 20, 23, 59, 59, tzinfo=UTC)
    assert "LastRotatedDate" not in after


# -- RotationRules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "rule"),
    [
        (0, "Member must have value greater than or equal to 1"),
        (1001, "Member must have value less than or equal to 1000"),
    ],
)
def test_automatically_after_days_bounds_come_from_the_model(
    no_validation_client: Any, handler: RotationLambda, days: int, rule: str
) -> None:
    seed(no_validation_client)
    before = described(no_validation_client)
    assert error_of(
        no_validation_client.rotate_secret,
        SecretId="db",
        RotationLambdaARN=LAMBDA_ARN,
        RotationRules={"AutomaticallyAfterDays": days},
    ) == (
        "ValidationException",
        f"1 validation error detected: Value '{days}' at 'rotationRules.automaticallyAfterDays' "
        f"failed to satisfy constraint: {rule}",
    )
    assert described(no_validation_client) == before
    assert handler.events == []


@pytest.mark.parametrize(
    ("rules", "code", "message"),
    [
        (
            {"AutomaticallyAfterDays": 3, "ScheduleExpression": "rate(2 days)"},
            "InvalidParameterException",
            "You can't specify both AutomaticallyAfterDays and ScheduleExpression.",
        ),
        (
            {"Duration": "3h"},
            "InvalidParameterException",
            "RotationRules must specify AutomaticallyAfterDays or ScheduleExpression.",
        ),
        (
            {"ScheduleExpression": "rate(3 hours)"},
            "InvalidParameterException",
            "The schedule expression must not rotate more often than every 4 hours.",
        ),
        *(
            (
                {"ScheduleExpression": expression},
                "InvalidParameterException",
                "The schedule expression must rotate at least every 1000 days.",
            )
            for expression in ("rate(1001 days)", "cron(0 0 29 2 ? *)")  # leap days
        ),
        (
            {"ScheduleExpression": "cron(0 0/2 * * ? *)"},
            "InvalidParameterException",
            "The schedule expression must not rotate more often than every 4 hours.",
        ),
        *(
            (
                {"ScheduleExpression": expression},
                "InvalidParameterException",
                f"The ScheduleExpression {expression} is not valid. Use rate(N hours), "
                "rate(N days) or cron(0 Hours Day-of-month Month Day-of-week *).",
            )
            for expression in (
                "rate(10 minutes)",
                "rate(1 days)",
                "rate(2 day)",
                "rate(0 days)",
                "cron(5 16 1,15 * ? *)",
                "cron(0 16 1,15 * *)",
                "cron(0 16 1,15 * * *)",
                "cron(0 16 1,15 * ? 2025)",
                "cron(0 25 * * ? *)",
                "every day",
            )
        ),
        (
            {"AutomaticallyAfterDays": 3, "Duration": "25h"},
            "InvalidParameterException",
            "The Duration 25h is not valid. Specify 1h to 24h.",
        ),
        (
            {"AutomaticallyAfterDays": 3, "Duration": "0h"},
            "InvalidParameterException",
            "The Duration 0h is not valid. Specify 1h to 24h.",
        ),
        (
            {"AutomaticallyAfterDays": 3, "Duration": "3d"},
            "ValidationException",
            "1 validation error detected: Value '3d' at 'rotationRules.duration' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: [0-9]+h",
        ),
    ],
)
def test_bad_rotation_rules_are_refused_and_nothing_is_saved(
    client: Any, handler: RotationLambda, rules: dict[str, Any], code: str, message: str
) -> None:
    seed(client)
    before = described(client)
    assert error_of(
        client.rotate_secret, SecretId="db", RotationLambdaARN=LAMBDA_ARN, RotationRules=rules
    ) == (code, message)
    assert described(client) == before
    assert handler.events == []


@pytest.mark.parametrize(
    ("rules", "shown", "next_rotation"),
    [
        (
            {"AutomaticallyAfterDays": 1},
            {"AutomaticallyAfterDays": 1},
            datetime.datetime(2024, 3, 11, 23, 59, 59, tzinfo=UTC),
        ),
        (
            {"AutomaticallyAfterDays": 1000, "Duration": "24h"},
            {"AutomaticallyAfterDays": 1000, "Duration": "24h"},
            datetime.datetime(2026, 12, 5, 23, 59, 59, tzinfo=UTC),
        ),
        (
            {"ScheduleExpression": "rate(4 hours)"},
            {"AutomaticallyAfterDays": 1, "ScheduleExpression": "rate(4 hours)"},
            T0 + datetime.timedelta(hours=4),
        ),
        (
            {"ScheduleExpression": "rate(1 day)"},
            {"AutomaticallyAfterDays": 1, "ScheduleExpression": "rate(1 day)"},
            T0 + DAY,
        ),
        (
            {"ScheduleExpression": "rate(10 days)"},
            {"AutomaticallyAfterDays": 10, "ScheduleExpression": "rate(10 days)"},
            T0 + 10 * DAY,
        ),
        # The model's example: 1st and 15th of the month, 16:00-18:00 UTC.
        (
            {"ScheduleExpression": "cron(0 16 1,15 * ? *)", "Duration": "2h"},
            {
                "AutomaticallyAfterDays": 14,
                "Duration": "2h",
                "ScheduleExpression": "cron(0 16 1,15 * ? *)",
            },
            datetime.datetime(2024, 3, 15, 16, tzinfo=UTC),
        ),
        # Yearly: the interval is a year, not the gap to the first firing.
        (
            {"ScheduleExpression": "cron(0 0 1 1 ? *)"},
            {"AutomaticallyAfterDays": 365, "ScheduleExpression": "cron(0 0 1 1 ? *)"},
            datetime.datetime(2025, 1, 1, tzinfo=UTC),
        ),
        # January and July: the shorter of the two gaps (Jan-Jul in a common year).
        (
            {"ScheduleExpression": "cron(0 0 1 1,7 ? *)"},
            {"AutomaticallyAfterDays": 181, "ScheduleExpression": "cron(0 0 1 1,7 ? *)"},
            datetime.datetime(2024, 7, 1, tzinfo=UTC),
        ),
        # Every Monday at 08:00; T0 is a Sunday.
        (
            {"ScheduleExpression": "cron(0 8 ? * MON *)"},
            {"AutomaticallyAfterDays": 7, "ScheduleExpression": "cron(0 8 ? * MON *)"},
            datetime.datetime(2024, 3, 11, 8, tzinfo=UTC),
        ),
    ],
)
def test_good_rotation_rules_and_the_next_rotation_date(
    client: Any,
    handler: RotationLambda,
    frozen: Any,
    rules: dict[str, Any],
    shown: dict[str, Any],
    next_rotation: datetime.datetime,
) -> None:
    seed(client)
    rotate(client, RotationLambdaARN=LAMBDA_ARN, RotationRules=rules)
    after = described(client)
    assert after["RotationRules"] == shown
    assert after["LastRotatedDate"] == T0
    assert after["NextRotationDate"] == next_rotation
    assert handler.steps == STEPS


def test_omitted_rules_and_arn_reuse_the_stored_ones(
    client: Any, handler: RotationLambda, frozen: Any
) -> None:
    seed(client)
    rotate(client, RotationLambdaARN=LAMBDA_ARN, RotationRules={"AutomaticallyAfterDays": 5})
    frozen.tick(3600)
    rotate(client)
    after = described(client)
    assert after["RotationLambdaARN"] == LAMBDA_ARN
    assert after["RotationRules"] == {"AutomaticallyAfterDays": 5}
    assert after["LastRotatedDate"] == T0 + datetime.timedelta(hours=1)
    assert after["NextRotationDate"] == datetime.datetime(2024, 3, 15, 23, 59, 59, tzinfo=UTC)
    assert handler.steps == STEPS * 2


# -- scheduled rotation under time travel ---------------------------------------------------


def test_scheduled_rotation_runs_once_the_clock_passes_next_rotation_date(
    client: Any, backend: SecretsBackend, handler: RotationLambda, frozen: Any
) -> None:
    seed(client)
    rotate(
        client,
        RotationLambdaARN=LAMBDA_ARN,
        RotationRules={"AutomaticallyAfterDays": 30},
        ClientRequestToken=NEW,
    )
    assert handler.steps == STEPS
    # Due at the end of the window: 23:59:59 UTC, 30 days after the rotation.
    due = datetime.datetime(2024, 4, 9, 23, 59, 59, tzinfo=UTC)
    assert described(client)["NextRotationDate"] == due
    frozen.move_to(due - datetime.timedelta(microseconds=1))
    assert client.get_secret_value(SecretId="db")["VersionId"] == NEW
    assert handler.steps == STEPS

    frozen.move_to(T0 + 31 * DAY)
    value = client.get_secret_value(SecretId="db")
    assert handler.steps == STEPS * 2
    scheduled = handler.events[-1]["ClientRequestToken"]
    assert scheduled not in (OLD, NEW)
    assert value["VersionId"] == scheduled
    assert value["VersionStages"] == ["AWSPENDING", "AWSCURRENT"]
    assert json.loads(value["SecretString"])["password"] == handler.passwords[-1]
    assert value["CreatedDate"] == T0 + 31 * DAY
    assert backend.labels("db") == {
        "AWSCURRENT": scheduled,
        "AWSPREVIOUS": NEW,
        "AWSPENDING": scheduled,
    }
    after = described(client)
    assert after["LastRotatedDate"] == T0 + 31 * DAY
    assert after["NextRotationDate"] == datetime.datetime(2024, 5, 10, 23, 59, 59, tzinfo=UTC)
    # Once: further calls at the same moment do not rotate again.
    client.get_secret_value(SecretId="db")
    client.describe_secret(SecretId="db")
    assert handler.steps == STEPS * 2
    assert backend.rotation_failures == []


def test_scheduled_rotation_on_a_cron_schedule(
    client: Any, backend: SecretsBackend, handler: RotationLambda, frozen: Any
) -> None:
    seed(client)
    rotate(
        client,
        RotationLambdaARN=LAMBDA_ARN,
        RotationRules={"ScheduleExpression": "cron(0 16 1,15 * ? *)"},
        RotateImmediately=False,
    )
    assert described(client)["NextRotationDate"] == datetime.datetime(2024, 3, 15, 16, tzinfo=UTC)
    frozen.move_to(datetime.datetime(2024, 3, 15, 15, 59, tzinfo=UTC))
    client.describe_secret(SecretId="db")
    assert handler.steps == ["testSecret"]
    frozen.move_to(datetime.datetime(2024, 3, 15, 16, tzinfo=UTC))
    after = described(client)  # DescribeSecret touches the secret too
    assert handler.steps == ["testSecret", *STEPS]
    assert after["LastRotatedDate"] == datetime.datetime(2024, 3, 15, 16, tzinfo=UTC)
    assert after["NextRotationDate"] == datetime.datetime(2024, 4, 1, 16, tzinfo=UTC)
    assert backend.labels("db")["AWSPREVIOUS"] == OLD


def test_a_failing_scheduled_rotation_is_recorded_and_rescheduled(
    client: Any, backend: SecretsBackend, frozen: Any
) -> None:
    handler = RotationLambda()
    backend.register_rotation_function(LAMBDA_ARN, handler)
    arn = seed(client)
    rotate(client, RotationLambdaARN=LAMBDA_ARN, RotationRules={"AutomaticallyAfterDays": 7})
    handler.fail_at = "finishSecret"
    frozen.tick(8 * DAY)  # past 2024-03-17 23:59:59
    with pytest.warns(RotationFailedWarning) as caught:
        value = client.get_secret_value(SecretId="db")
    assert handler.steps == STEPS * 2
    [failure] = backend.rotation_failures
    assert (failure.secret_arn, failure.step) == (arn, "finishSecret")
    assert messages(caught) == [
        (RotationFailedWarning, failed(arn, failure.version_id, "finishSecret"))
    ]
    # The call is served with the old current value; the new one waits as AWSPENDING.
    assert value["VersionStages"] == ["AWSCURRENT"]
    assert backend.labels("db")["AWSPENDING"] == failure.version_id
    after = described(client)
    assert after["LastRotatedDate"] == T0
    assert after["NextRotationDate"] == datetime.datetime(2024, 3, 25, 23, 59, 59, tzinfo=UTC)


def test_no_scheduled_rotation_after_cancel(
    client: Any, handler: RotationLambda, frozen: Any
) -> None:
    seed(client)
    rotate(client, RotationLambdaARN=LAMBDA_ARN, RotationRules={"AutomaticallyAfterDays": 1})
    client.cancel_rotate_secret(SecretId="db")
    frozen.tick(10 * DAY)
    client.get_secret_value(SecretId="db")
    assert handler.steps == STEPS


def test_no_scheduled_rotation_while_scheduled_for_deletion(
    client: Any, backend: SecretsBackend, handler: RotationLambda, frozen: Any
) -> None:
    seed(client)
    rotate(client, RotationLambdaARN=LAMBDA_ARN, RotationRules={"AutomaticallyAfterDays": 1})
    client.delete_secret(SecretId="db", RecoveryWindowInDays=7)
    frozen.tick(2 * DAY)
    client.describe_secret(SecretId="db")
    assert handler.steps == STEPS
    assert backend.rotation_failures == []
    # Restored, the overdue rotation runs on the next touch after the restore.
    client.restore_secret(SecretId="db")
    assert handler.steps == STEPS
    client.get_secret_value(SecretId="db")
    assert handler.steps == STEPS * 2
    assert described(client)["LastRotatedDate"] == T0 + 2 * DAY
    assert backend.rotation_failures == []


# -- CancelRotateSecret -------------------------------------------------------------------------


def test_cancel_keeps_rules_and_arn(client: Any, handler: RotationLambda, frozen: Any) -> None:
    arn = seed(client)
    rotate(
        client,
        RotationLambdaARN=LAMBDA_ARN,
        RotationRules={"AutomaticallyAfterDays": 30},
        ClientRequestToken=NEW,
    )
    frozen.tick(60)
    answer = client.cancel_rotate_secret(SecretId="db")
    answer.pop("ResponseMetadata")
    assert answer == {"ARN": arn, "Name": "db"}
    after = described(client)
    assert after["RotationEnabled"] is False
    assert after["RotationLambdaARN"] == LAMBDA_ARN
    assert after["RotationRules"] == {"AutomaticallyAfterDays": 30}
    assert after["LastRotatedDate"] == T0
    assert after["LastChangedDate"] == T0 + datetime.timedelta(seconds=60)
    assert "NextRotationDate" not in after
    # Labels are untouched.
    assert after["VersionIdsToStages"] == {OLD: ["AWSPREVIOUS"], NEW: ["AWSPENDING", "AWSCURRENT"]}


def test_cancel_returns_the_version_of_a_rotation_in_progress(
    client: Any, backend: SecretsBackend
) -> None:
    backend.register_rotation_function(LAMBDA_ARN, RotationLambda(fail_at="setSecret"))
    arn = seed(client)
    with pytest.warns(RotationFailedWarning):
        rotate(client, RotationLambdaARN=LAMBDA_ARN, ClientRequestToken=NEW)
    answer = client.cancel_rotate_secret(SecretId="db")
    answer.pop("ResponseMetadata")
    assert answer == {"ARN": arn, "Name": "db", "VersionId": NEW}
    # The stale AWSPENDING stays and still blocks rotation.
    assert backend.labels("db") == {"AWSCURRENT": OLD, "AWSPENDING": NEW}
    assert error_of(client.rotate_secret, SecretId="db") == ("InvalidRequestException", INCOMPLETE)


def test_cancel_on_a_secret_never_configured_for_rotation(client: Any) -> None:
    seed(client)
    before = described(client)
    assert error_of(client.cancel_rotate_secret, SecretId="db") == (
        "InvalidRequestException",
        NOT_CONFIGURED,
    )
    assert described(client) == before


def test_rotate_after_cancel_enables_rotation_again(
    client: Any, handler: RotationLambda, frozen: Any
) -> None:
    seed(client)
    rotate(client, RotationLambdaARN=LAMBDA_ARN, RotationRules={"AutomaticallyAfterDays": 30})
    client.cancel_rotate_secret(SecretId="db")
    frozen.tick(DAY)
    rotate(client)
    after = described(client)
    assert after["RotationEnabled"] is True
    assert after["NextRotationDate"] == datetime.datetime(2024, 4, 10, 23, 59, 59, tzinfo=UTC)
    assert handler.steps == STEPS * 2


# -- the versions quota -----------------------------------------------------------------------

TOO_MANY_VERSIONS = (
    "You can't create more than 100 versions of a secret while none of its deprecated "
    "versions is older than 24 hours."
)


def fill_to_quota(backend: SecretsBackend) -> None:
    for index in range(99):  # plus the first version: 100, all younger than 24 h
        backend.put_secret_value("db", f"value {index}")


def test_rotate_secret_at_the_versions_quota_is_refused_and_saves_nothing(
    client: Any, backend: SecretsBackend, handler: RotationLambda
) -> None:
    seed(client)
    fill_to_quota(backend)
    before = described(client)
    for immediately in (True, False):
        # Decision: InvalidRequest, as RotateSecret models no LimitExceededException.
        assert error_of(
            client.rotate_secret,
            SecretId="db",
            RotationLambdaARN=LAMBDA_ARN,
            RotationRules={"AutomaticallyAfterDays": 2},
            RotateImmediately=immediately,
        ) == ("InvalidRequestException", TOO_MANY_VERSIONS)
    assert described(client) == before
    assert len(backend.get_secret("db").versions) == 100
    assert handler.events == []


def test_a_scheduled_rotation_at_the_versions_quota_is_recorded_not_raised(
    client: Any, backend: SecretsBackend, handler: RotationLambda, frozen: Any
) -> None:
    arn = seed(client)
    rotate(
        client,
        RotationLambdaARN=LAMBDA_ARN,
        RotationRules={"ScheduleExpression": "rate(4 hours)"},
        RotateImmediately=False,
    )
    fill_to_quota(backend)
    frozen.tick(datetime.timedelta(hours=4))
    # The call that found the rotation due is served as if nothing happened.
    with pytest.warns(RotationFailedWarning) as caught:
        assert client.get_secret_value(SecretId="db")["SecretString"] == "value 98"
    assert messages(caught) == [
        (
            RotationFailedWarning,
            f"The scheduled rotation of {arn} could not start: the secret has 100 versions and "
            "none of its deprecated versions is older than 24 hours (LimitExceededException). "
            "The rotation is due again at its next date; the failure is in "
            "backend.rotation_failures.",
        )
    ]
    [failure] = backend.rotation_failures
    assert (failure.secret_arn, failure.step) == (arn, "schedule")
    assert str(failure.error) == TOO_MANY_VERSIONS
    assert handler.steps == ["testSecret"]
    assert described(client)["NextRotationDate"] == T0 + datetime.timedelta(hours=8)


def test_a_scheduled_rotation_reattempts_a_stuck_one(
    client: Any, backend: SecretsBackend, frozen: Any
) -> None:
    # AWS: "That rotation will be reattempted." The due rotation runs the stuck one again,
    # on its own version, instead of starting another.
    handler = RotationLambda(fail_at="setSecret")
    backend.register_rotation_function(LAMBDA_ARN, handler)
    arn = seed(client)
    with pytest.warns(RotationFailedWarning):
        rotate(
            client,
            RotationLambdaARN=LAMBDA_ARN,
            RotationRules={"AutomaticallyAfterDays": 1},
            ClientRequestToken=NEW,
        )
    frozen.tick(2 * DAY)  # past 2024-03-11 23:59:59
    with pytest.warns(RotationFailedWarning) as caught:
        assert client.get_secret_value(SecretId="db")["VersionId"] == OLD
    assert messages(caught) == [(RotationFailedWarning, failed(arn, NEW, "setSecret", index=1))]
    assert handler.steps == ["createSecret", "setSecret"] * 2
    assert [e["ClientRequestToken"] for e in handler.events] == [NEW] * 4
    assert [(f.version_id, f.step) for f in backend.rotation_failures] == [
        (NEW, "setSecret"),
        (NEW, "setSecret"),
    ]
    # The second attempt found the pending value made by the first and kept it.
    assert len(handler.passwords) == 1
    assert described(client)["NextRotationDate"] == datetime.datetime(
        2024, 3, 13, 23, 59, 59, tzinfo=UTC
    )
    # Fixed, the next due rotation completes the stuck one.
    handler.fail_at = None
    frozen.tick(2 * DAY)
    assert client.get_secret_value(SecretId="db")["VersionId"] == NEW
    assert backend.labels("db") == {"AWSCURRENT": NEW, "AWSPREVIOUS": OLD, "AWSPENDING": NEW}
    assert described(client)["LastRotatedDate"] == T0 + 4 * DAY


# -- retrying and clearing a failed rotation ---------------------------------------------------


def test_rotate_secret_with_the_pending_token_reattempts_the_rotation(
    client: Any, backend: SecretsBackend, frozen: Any
) -> None:
    # The API reference: ClientRequestToken is for "your own retry logic", so Secrets
    # Manager does not create the version twice.
    handler = RotationLambda(fail_at="testSecret")
    backend.register_rotation_function(LAMBDA_ARN, handler)
    arn = seed(client)
    with pytest.warns(RotationFailedWarning):
        rotate(client, RotationLambdaARN=LAMBDA_ARN, ClientRequestToken=NEW)
    frozen.tick(60)
    # Another token is refused as AWS does...
    assert error_of(client.rotate_secret, SecretId="db", ClientRequestToken=NEWER) == (
        "InvalidRequestException",
        INCOMPLETE,
    )
    # ...and so is the pending one without RotateImmediately: there is nothing to test.
    assert error_of(
        client.rotate_secret, SecretId="db", ClientRequestToken=NEW, RotateImmediately=False
    ) == ("InvalidRequestException", INCOMPLETE)
    handler.fail_at = None
    assert rotate(client, ClientRequestToken=NEW) == {"ARN": arn, "Name": "db", "VersionId": NEW}
    assert handler.steps == ["createSecret", "setSecret", "testSecret", *STEPS]
    assert len(handler.passwords) == 1  # createSecret kept the first attempt's value
    assert backend.labels("db") == {"AWSCURRENT": NEW, "AWSPREVIOUS": OLD, "AWSPENDING": NEW}
    versions = client.list_secret_version_ids(SecretId="db", IncludeDeprecated=True)["Versions"]
    assert [v["VersionId"] for v in versions] == [OLD, NEW]
    assert described(client)["LastRotatedDate"] == T0 + datetime.timedelta(seconds=60)
    [failure] = backend.rotation_failures
    assert (failure.version_id, failure.step) == (NEW, "testSecret")


@pytest.mark.parametrize("write", ["put_secret_value", "update_secret"])
def test_a_value_written_by_hand_clears_a_stuck_rotation_and_counts_as_one(
    client: Any, backend: SecretsBackend, frozen: Any, write: str
) -> None:
    handler = RotationLambda(fail_at="setSecret")
    backend.register_rotation_function(LAMBDA_ARN, handler)
    seed(client)
    with pytest.warns(RotationFailedWarning):
        rotate(
            client,
            RotationLambdaARN=LAMBDA_ARN,
            RotationRules={"AutomaticallyAfterDays": 30},
            ClientRequestToken=NEW,
        )
    frozen.move_to(datetime.datetime(2024, 3, 12, 18, 5, tzinfo=UTC))  # before it is due
    written = getattr(client, write)(
        SecretId="db", SecretString="set by hand", ClientRequestToken=NEWER
    )
    assert written["VersionId"] == NEWER
    # AWSPENDING left the stuck version; the write took AWSCURRENT as usual.
    assert backend.labels("db") == {"AWSCURRENT": NEWER, "AWSPREVIOUS": OLD}
    after = described(client)
    # A manual write is a rotation for the schedule (real output: a put on 2026-02-03
    # with 30 days shows 2026-03-05T23:59:59Z); LastRotatedDate is not touched.
    assert after["NextRotationDate"] == datetime.datetime(2024, 4, 11, 23, 59, 59, tzinfo=UTC)
    assert "LastRotatedDate" not in after
    # So the next RotateSecret is accepted.
    handler.fail_at = None
    final = "00000000-0000-4000-8000-000000000004"
    rotate(client, ClientRequestToken=final)
    assert backend.labels("db") == {
        "AWSCURRENT": final,
        "AWSPREVIOUS": NEWER,
        "AWSPENDING": final,
    }


def test_writes_that_do_not_make_a_new_current_leave_rotation_alone(
    client: Any, backend: SecretsBackend, frozen: Any
) -> None:
    backend.register_rotation_function(LAMBDA_ARN, RotationLambda(fail_at="setSecret"))
    seed(client)
    with pytest.warns(RotationFailedWarning):
        rotate(
            client,
            RotationLambdaARN=LAMBDA_ARN,
            RotationRules={"AutomaticallyAfterDays": 30},
            ClientRequestToken=NEW,
        )
    before = described(client)["NextRotationDate"]
    frozen.tick(DAY)
    client.put_secret_value(
        SecretId="db", SecretString="labelled", VersionStages=["custom"], ClientRequestToken=NEWER
    )
    client.update_secret(SecretId="db", Description="metadata only")
    assert backend.labels("db") == {"AWSCURRENT": OLD, "AWSPENDING": NEW, "custom": NEWER}
    assert described(client)["NextRotationDate"] == before
    assert error_of(client.rotate_secret, SecretId="db") == ("InvalidRequestException", INCOMPLETE)


def test_a_manual_write_without_rotation_enabled_sets_no_next_rotation_date(
    client: Any, handler: RotationLambda, frozen: Any
) -> None:
    seed(client)
    client.put_secret_value(SecretId="db", SecretString="v2")
    assert "NextRotationDate" not in described(client)
    rotate(client, RotationLambdaARN=LAMBDA_ARN, RotationRules={"AutomaticallyAfterDays": 3})
    client.cancel_rotate_secret(SecretId="db")
    client.put_secret_value(SecretId="db", SecretString="v3")
    assert "NextRotationDate" not in described(client)


# -- failures that cannot be missed ------------------------------------------------------------


def test_a_scheduled_rotation_without_its_function_warns(frozen: Any) -> None:
    # A state loaded from dump() carries rotation settings but no functions.
    with mock_secrets() as backend:
        client = boto3.client("secretsmanager", region_name="us-east-1")
        backend.register_rotation_function(LAMBDA_ARN, RotationLambda())
        arn = seed(client)
        rotate(client, RotationLambdaARN=LAMBDA_ARN, RotationRules={"AutomaticallyAfterDays": 1})
        state = backend.dump()
    frozen.tick(2 * DAY)
    with mock_secrets(state=state) as backend:
        client = boto3.client("secretsmanager", region_name="us-east-1")
        with pytest.warns(UnregisteredRotationFunctionWarning) as caught:
            client.describe_secret(SecretId="db")
        assert messages(caught) == [
            (
                UnregisteredRotationFunctionWarning,
                f"The scheduled rotation of {arn} did not run (recorded in "
                "backend.rotation_failures): no rotation function is registered for "
                f"{LAMBDA_ARN}. To have smmock run one, call "
                f"backend.register_rotation_function('{LAMBDA_ARN}', handler) first.",
            )
        ]
        [failure] = backend.rotation_failures
        assert (failure.secret_arn, failure.version_id, failure.step) == (arn, "", "schedule")
        assert str(failure.error) == NOT_INVOCABLE


def test_the_warning_leaves_the_exception_text_out(client: Any, backend: SecretsBackend) -> None:
    def leaky(event: dict[str, str], context: Any) -> None:
        raise ValueError("password hunter2 was refused")

    backend.register_rotation_function(LAMBDA_ARN, leaky)
    arn = seed(client)
    with pytest.warns(RotationFailedWarning) as caught:
        rotate(client, RotationLambdaARN=LAMBDA_ARN, ClientRequestToken=NEW)
    assert messages(caught) == [
        (RotationFailedWarning, failed(arn, NEW, "createSecret", cause="ValueError"))
    ]
    assert str(backend.rotation_failures[0].error) == "password hunter2 was refused"


def test_rotate_immediately_false_failure_leaves_nothing_pending(
    client: Any, backend: SecretsBackend
) -> None:
    backend.register_rotation_function(LAMBDA_ARN, RotationLambda(fail_at="testSecret"))
    arn = seed(client)
    with pytest.warns(RotationFailedWarning) as caught:
        rotate(client, RotationLambdaARN=LAMBDA_ARN, RotateImmediately=False)
    assert messages(caught) == [
        (
            RotationFailedWarning,
            f"Rotation of {arn} failed: the rotation function {LAMBDA_ARN} raised RuntimeError "
            "at step testSecret. As in AWS, the call that started it succeeded. The exception "
            "is backend.rotation_failures[0].error.",
        )
    ]
    assert backend.labels("db") == {"AWSCURRENT": OLD}


def strict_failure(mock: Any, name: str = "db") -> tuple[SecretsBackend, str]:
    """Start ``mock``; rotate a new secret ``name`` with a function that fails setSecret."""
    backend: SecretsBackend = mock.start()
    if LAMBDA_ARN not in backend.rotation_functions:
        backend.register_rotation_function(LAMBDA_ARN, RotationLambda(fail_at="setSecret"))
    client = boto3.client("secretsmanager", region_name="us-east-1")
    arn = seed(client, name)
    rotate(client, SecretId=name, RotationLambdaARN=LAMBDA_ARN, ClientRequestToken=NEW)
    return backend, arn


def test_strict_rotation_fails_at_exit_unless_the_failures_were_read() -> None:
    mock = mock_secrets(strict_rotation=True)
    _, arn = strict_failure(mock)  # no warning (-W error is on in this suite)
    with pytest.raises(RotationFailedError) as raised:
        mock.stop()
    assert str(raised.value) == (
        "1 rotation failed while this strict_rotation mock was active, and the test never "
        "read backend.rotation_failures:\n"
        f"  {arn} version {NEW} at setSecret: RuntimeError\n"
        "Read backend.rotation_failures to check failures the test expects (the exceptions "
        "are there), or fix the rotation function."
    )
    assert _hook.active_backend() is None  # stopped all the same
    # Read, they are the test's business: no error.
    mock = mock_secrets(strict_rotation=True)
    backend, _ = strict_failure(mock)
    assert [f.step for f in backend.rotation_failures] == ["setSecret"]
    mock.stop()


def test_strict_rotation_counts_only_failures_after_the_last_read() -> None:
    mock = mock_secrets(strict_rotation=True)
    backend, _ = strict_failure(mock, "a")
    assert len(backend.rotation_failures) == 1
    for name in ("b", "c"):
        nested = mock_secrets()  # the same backend
        strict_failure(nested, name)
        nested.stop()
    with pytest.raises(RotationFailedError) as raised:
        mock.stop()
    assert str(raised.value).startswith("2 rotations failed while this strict_rotation mock")
    assert [line.split(":secret:")[1][:2] for line in str(raised.value).splitlines()[1:3]] == [
        "b-",
        "c-",
    ]


def test_strict_rotation_lets_the_bodys_own_error_through() -> None:
    def body() -> None:
        with mock_secrets(strict_rotation=True):
            nested = mock_secrets()
            strict_failure(nested)
            nested.stop()
            raise KeyError("the body's")

    with pytest.raises(KeyError, match="the body's"):
        body()
    assert _hook.active_backend() is None


def test_strict_rotation_covers_the_mocks_nested_in_it() -> None:
    # Strict while any active mock asks for it (so no warning from the inner one); the
    # outer one reports at its exit.
    outer = mock_secrets(strict_rotation=True)
    outer.start()
    inner = mock_secrets()
    strict_failure(inner)
    inner.stop()
    with pytest.raises(RotationFailedError):
        outer.stop()


def test_a_rotation_function_calling_boto3_from_another_thread_is_told_why(
    client: Any, backend: SecretsBackend
) -> None:
    # The function runs under the mock's lock and waits for a worker that needs it.
    def threaded(event: dict[str, str], context: Any) -> None:
        def read() -> Any:
            worker = boto3.session.Session().client("secretsmanager", region_name="us-east-1")
            return worker.get_secret_value(SecretId=event["SecretId"])

        with ThreadPoolExecutor(1, thread_name_prefix="rotation-worker") as pool:
            pool.submit(read).result()

    backend.register_rotation_function(LAMBDA_ARN, threaded)
    arn = seed(client)
    with pytest.warns(RotationFailedWarning) as caught:
        rotate(client, RotationLambdaARN=LAMBDA_ARN, ClientRequestToken=NEW)
    deadlock = (
        "smmock: this call, from thread 'rotation-worker_0', would wait for ever. The "
        f"rotation function {LAMBDA_ARN} is running its createSecret step for {arn} in "
        f"thread {threading.current_thread().name!r}: smmock runs it inside RotateSecret, "
        "holding the mock's lock until it returns, and it is waiting for another thread, "
        "which waits for that lock. Make the rotation function's boto3 calls from its own "
        "thread rather than a ThreadPoolExecutor or another thread it waits for."
    )
    [failure] = backend.rotation_failures
    assert isinstance(failure.error, RotationDeadlockError)
    assert str(failure.error) == deadlock
    assert messages(caught) == [
        (
            RotationFailedWarning,
            failed(arn, NEW, "createSecret", cause=f"RotationDeadlockError ({deadlock})"),
        )
    ]
    # The mock is still usable from any thread.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(lambda: client.describe_secret(SecretId="db")["ARN"]).result() == arn
