"""RotateSecret and CancelRotateSecret, running the user's own rotation function.

A test registers a Python callable as the Lambda function of an ARN. RotateSecret then
follows AWS's protocol synchronously: an empty ``AWSPENDING`` version is added, and the
function is invoked with the real event shape for ``createSecret``, ``setSecret``,
``testSecret`` and ``finishSecret`` in turn. Its own boto3 calls reach the same mock (the
backend lock is re-entrant). In AWS the function runs asynchronously, so a failing step
does not fail RotateSecret: it leaves ``AWSPENDING`` behind, is recorded in
``SecretsBackend.rotation_failures`` and logged, and the next RotateSecret is refused.

Scheduled rotations run lazily: the first call that touches a secret after its
``NextRotationDate`` runs one rotation before it is served.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from smmock import _clock
from smmock._model import (
    AWSCURRENT,
    AWSPENDING,
    Secret,
    SecretVersion,
    attach,
    check_label_quota,
    detach,
)
from smmock._model import ids as _ids
from smmock._service.env import EnvPatch
from smmock._service.schedule import check_rules, next_rotation
from smmock.exceptions import (
    AccessDeniedException,
    InvalidParameterException,
    InvalidRequestException,
    LimitExceededException,
)

__all__ = [
    "STEPS",
    "LambdaContext",
    "RotationFailure",
    "RotationFunction",
    "Rotator",
    "cancel_rotate_secret",
    "due",
    "require_token",
]

RotationFunction = Callable[[dict[str, str], Any], Any]
STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")

_logger = logging.getLogger("smmock")
_NO_FUNCTION = "No Lambda rotation function ARN is associated with this secret."
_NOT_INVOCABLE = (
    "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function "
    "policy grants access to the principal secretsmanager.amazonaws.com."
)
_INCOMPLETE = "A previous rotation isn't complete. That rotation will be reattempted."
_TOKEN_REQUIRED = "You must provide a ClientRequestToken value. We recommend a UUID-type value."


@dataclass(frozen=True, slots=True)
class RotationFailure:
    """A rotation whose function raised: which secret, version and step, and the error."""

    secret_arn: str
    version_id: str
    step: str
    error: BaseException


class LambdaContext:
    """The ``context`` argument a Lambda handler receives, with the commonly used fields."""

    def __init__(self, function_arn: str) -> None:
        self.invoked_function_arn = function_arn
        self.function_name = function_arn.rsplit(":", 1)[-1]
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 128
        self.aws_request_id = _ids.new_uuid()
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "smmock"

    def get_remaining_time_in_millis(self) -> int:
        """Lambda's remaining-time hook; smmock imposes no timeout."""
        return 900_000


class Rotator:
    """Runs rotations for one SecretsBackend (which owns the registry and the failures).

    ``add_version`` appends a version under the quota rules of the backend.
    """

    __slots__ = ("add_version", "failures", "functions")

    def __init__(
        self,
        functions: dict[str, RotationFunction],
        failures: list[RotationFailure],
        add_version: Callable[[Secret, str], SecretVersion],
    ) -> None:
        self.functions = functions
        self.failures = failures
        self.add_version = add_version

    def rotate(
        self,
        secret: Secret,
        client_request_token: str,
        *,
        rotation_lambda_arn: str | None = None,
        rotation_rules: Mapping[str, Any] | None = None,
        rotate_immediately: bool = True,
    ) -> str:
        """RotateSecret on a writable secret; returns the VersionId of the rotation.

        Everything that can be refused is checked before anything is saved.
        """
        rules = check_rules(rotation_rules) if rotation_rules is not None else None
        function_arn = rotation_lambda_arn or secret.rotation_lambda_arn
        if not function_arn:
            raise InvalidRequestException(_NO_FUNCTION)
        if rules is None:
            rules = secret.rotation_rules
        pending = secret.holder(AWSPENDING)
        if pending is not None and AWSCURRENT not in pending.stages:
            raise InvalidRequestException(_INCOMPLETE)
        function = self.functions.get(function_arn)
        if function is None:
            raise AccessDeniedException(_NOT_INVOCABLE)
        if secret.version(client_request_token) is not None:
            # RotateSecret's model lists no ResourceExistsException (botocore would not
            # even map it to a modeled class), so the clash is an InvalidRequest here;
            # AWS's answer is unconfirmed.
            raise InvalidRequestException(
                f"You can't use ClientRequestToken {client_request_token} because that value "
                f"is already in use for a version of secret {secret.arn}."
            )
        # The new version is the last thing that can refuse the call (the versions
        # quota), so it is made before any rotation setting is saved: a refused call
        # changes nothing. Only RotateImmediately=false on a secret without a value
        # needs no version at all.
        needs_version = rotate_immediately or secret.current is not None
        if needs_version:
            try:
                check_label_quota(secret, [AWSPENDING], None)
            except LimitExceededException as error:
                # Not in RotateSecret's modeled errors (see _new_version).
                raise InvalidRequestException(error.message) from None
        version = self._new_version(secret, client_request_token) if needs_version else None
        # Saved before the function runs: rotation templates check RotationEnabled.
        secret.rotation_enabled = True
        secret.rotation_lambda_arn = function_arn
        if rules is not None:
            secret.rotation_rules = rules
        now = _clock.now()
        if rotate_immediately:
            assert version is not None
            self._run(secret, version, function_arn, function, STEPS)
        elif version is not None:
            self._test_only(secret, version, function_arn, function)
        secret.last_changed_date = now
        if secret.rotation_rules is not None:
            base = secret.last_rotated_date if rotate_immediately else now
            secret.next_rotation_date = next_rotation(secret.rotation_rules, base or now)
        # Also with RotateImmediately=false, whose temporary version is gone by now (or,
        # on a secret without a value, never existed): AWS names the rotation's token.
        return client_request_token

    def _new_version(self, secret: Secret, token: str) -> SecretVersion:
        try:
            return self.add_version(secret, token)
        except LimitExceededException as error:
            # RotateSecret's model lists no LimitExceededException (and botocore retries
            # that code as throttling), so the full versions quota refuses the call as an
            # InvalidRequest; AWS's answer is unconfirmed.
            raise InvalidRequestException(error.message) from None

    def _run(
        self,
        secret: Secret,
        stub: SecretVersion,
        function_arn: str,
        function: RotationFunction,
        steps: tuple[str, ...],
    ) -> bool:
        attach(secret, AWSPENDING, stub)
        if not self._invoke(secret, stub.version_id, function_arn, function, steps):
            return False
        secret.last_rotated_date = _clock.now()
        return True

    def _test_only(
        self, secret: Secret, copy: SecretVersion, function_arn: str, function: RotationFunction
    ) -> None:
        # RotateImmediately=false: only testSecret runs, against a pending copy of the
        # current value that is removed afterwards.
        current = secret.current
        assert current is not None
        copy.set_value(current.secret_string, current.secret_binary)
        attach(secret, AWSPENDING, copy)
        try:
            self._invoke(secret, copy.version_id, function_arn, function, ("testSecret",))
        finally:
            if secret.holder(AWSPENDING) is copy:
                detach(secret, AWSPENDING)
            if not copy.stages:
                secret.remove_version(copy)

    def _invoke(
        self,
        secret: Secret,
        token: str,
        function_arn: str,
        function: RotationFunction,
        steps: tuple[str, ...],
    ) -> bool:
        region = secret.region
        env = {
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "SECRETS_MANAGER_ENDPOINT": f"https://secretsmanager.{region}.amazonaws.com",
        }
        with EnvPatch(env):
            for step in steps:
                event = {
                    "Step": step,
                    "SecretId": secret.arn,
                    "ClientRequestToken": token,
                    "RotationToken": _ids.new_uuid(),
                }
                try:
                    function(event, LambdaContext(function_arn))
                except Exception as error:
                    self.failures.append(RotationFailure(secret.arn, token, step, error))
                    _logger.warning(
                        "rotation function %s failed at %s for %s: %s",
                        function_arn,
                        step,
                        secret.arn,
                        type(error).__name__,
                    )
                    return False
        return True

    def run_due(self, secret: Secret) -> None:
        """Run a scheduled rotation whose NextRotationDate has passed (lazily, once)."""
        rules = secret.rotation_rules
        function_arn = secret.rotation_lambda_arn
        # Clear the due date first: the function's own calls touch this secret again.
        secret.next_rotation_date = None
        now = _clock.now()
        if rules is not None:
            secret.next_rotation_date = next_rotation(rules, now)
        function = self.functions.get(function_arn or "")
        pending = secret.holder(AWSPENDING)
        if (
            function is None
            or function_arn is None
            or (pending is not None and AWSCURRENT not in pending.stages)
        ):
            error = (
                AccessDeniedException(_NOT_INVOCABLE)
                if function is None
                else (InvalidRequestException(_INCOMPLETE))
            )
            self.failures.append(RotationFailure(secret.arn, "", "schedule", error))
            return
        token = _ids.new_uuid()
        try:
            stub = self.add_version(secret, token)
        except LimitExceededException as error:
            # Raised here it would fail whatever call merely touched the secret.
            self.failures.append(RotationFailure(secret.arn, token, "schedule", error))
            return
        self._run(secret, stub, function_arn, function, STEPS)
        if rules is not None:
            secret.next_rotation_date = next_rotation(rules, _clock.now())


def require_token(token: str | None) -> str:
    """RotateSecret's token check, made before the secret is looked up."""
    if token is None:
        raise InvalidParameterException(_TOKEN_REQUIRED)
    return token


def cancel_rotate_secret(secret: Secret) -> str | None:
    """CancelRotateSecret: disable rotation, keep rules and ARN, leave labels alone.

    Returns the VersionId of an in-progress rotation (AWSPENDING without AWSCURRENT).
    """
    if secret.rotation_enabled is None:
        raise InvalidRequestException(
            "You can't cancel rotation because rotation isn't configured for this secret."
        )
    secret.rotation_enabled = False
    secret.next_rotation_date = None
    secret.last_changed_date = _clock.now()
    pending = secret.holder(AWSPENDING)
    if pending is not None and AWSCURRENT not in pending.stages:
        return pending.version_id
    return None


def due(secret: Secret, now: datetime.datetime) -> bool:
    """Whether a scheduled rotation of ``secret`` should run now.

    Never while the secret is scheduled for deletion: its rotation function could not
    read it (every read is refused) and would leave a stuck AWSPENDING behind that
    blocks rotation after RestoreSecret. The overdue rotation runs after the restore.
    """
    return bool(
        secret.rotation_enabled
        and secret.deletion_date is None
        and secret.next_rotation_date is not None
        and now >= secret.next_rotation_date
    )
