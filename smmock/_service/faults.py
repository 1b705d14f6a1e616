"""Injected faults: the next matching calls fail with an AWS error, then calls succeed.

:class:`FaultRegistry` (owned by the backend) holds the pending :class:`Fault` handles;
the wire layer (``smmock._wire.faults``) asks it, for every request, whether one fires.
Which codes an operation may fail with follows AWS: the errors botocore's service model
lists for it (:data:`MODELED_ERRORS`, checked against the installed model by the tests)
plus the errors every AWS API can answer (:data:`COMMON_ERRORS`), each with the HTTP
status AWS sends, so botocore's retry modes treat them as they would in production.
"""

from __future__ import annotations

from collections.abc import Mapping

from smmock import exceptions as _errors
from smmock._model import Secret

__all__ = ["COMMON_ERRORS", "MODELED_ERRORS", "Fault", "FaultRegistry"]

_RNF, _IPE, _IRE, _ISE = (
    "ResourceNotFoundException",
    "InvalidParameterException",
    "InvalidRequestException",
    "InternalServiceError",
)
_DF, _EF, _LEE, _REE = (
    "DecryptionFailure",
    "EncryptionFailure",
    "LimitExceededException",
    "ResourceExistsException",
)
_MPD, _PNM, _INT, _PPE = (
    "MalformedPolicyDocumentException",
    "PreconditionNotMetException",
    "InvalidNextTokenException",
    "PublicPolicyException",
)
_WRITE = frozenset({_IPE, _IRE, _LEE, _EF, _REE, _RNF, _ISE, _DF})
_BASIC = frozenset({_RNF, _IPE, _IRE, _ISE})

#: Each operation's modeled errors, as botocore's ``secretsmanager`` model lists them.
MODELED_ERRORS: Mapping[str, frozenset[str]] = {
    "AssociateCrossAccountReplica": _BASIC | {_LEE},
    "BatchGetSecretValue": _BASIC | {_DF, _INT},
    "CancelRotateSecret": _BASIC,
    "CreateSecret": _WRITE | {_MPD, _PNM},
    "DeleteResourcePolicy": _BASIC,
    "DeleteSecret": _BASIC,
    "DescribeSecret": frozenset({_RNF, _ISE, _IPE}),
    "DisassociateCrossAccountReplica": _BASIC,
    "GetRandomPassword": frozenset({_IPE, _IRE, _ISE}),
    "GetResourcePolicy": _BASIC,
    "GetSecretValue": _BASIC | {_DF},
    "ListResourcePolicies": _BASIC | {_INT},
    "ListSecretVersionIds": frozenset({_INT, _RNF, _ISE, _IPE}),
    "ListSecrets": frozenset({_IPE, _IRE, _INT, _ISE}),
    "PutResourcePolicy": _BASIC | {_MPD, _PPE},
    "PutSecretValue": _WRITE,
    "RemoveRegionsFromReplication": _BASIC,
    "ReplicateSecretToRegions": _BASIC,
    "RestoreSecret": _BASIC,
    "RotateSecret": _BASIC,
    "StopReplicationToReplica": _BASIC,
    "TagResource": _BASIC,
    "UntagResource": _BASIC,
    "UpdateSecret": _WRITE | {_MPD, _PNM},
    "UpdateSecretVersionStage": _BASIC | {_LEE},
    "ValidateResourcePolicy": _BASIC | {_MPD},
}

#: Errors any AWS API can answer (the API reference's "Common Errors"), not modeled.
COMMON_ERRORS = frozenset(
    {"AccessDeniedException", "InternalFailure", "ServiceUnavailable", "ThrottlingException"}
)

# Messages when the test gives none: AWS's where known ("Rate exceeded"), otherwise the
# error's description in the service model or the AWS API reference.
_MESSAGES = {
    "ThrottlingException": "Rate exceeded",
    "ServiceUnavailable": "The request has failed due to a temporary failure of the server.",
    "InternalFailure": (
        "The request processing has failed because of an unknown error, exception or failure."
    ),
    "AccessDeniedException": "You do not have sufficient access to perform this action.",
    _RNF: _errors.SECRET_NOT_FOUND,
    _IPE: "The parameter name or value is invalid.",
    _IRE: "A parameter value is not valid for the current state of the resource.",
    _ISE: "An error occurred on the server side.",
    _DF: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
    _EF: "Secrets Manager can't encrypt the protected secret text using the provided KMS key.",
    _LEE: "The request failed because it would exceed one of the Secrets Manager quotas.",
    _REE: "A resource with the ID you requested already exists.",
    _MPD: "The resource policy has syntax errors.",
    _PNM: "The request failed because you did not complete all the prerequisite steps.",
    _INT: "The NextToken value is not valid.",
    _PPE: (
        "The BlockPublicPolicy parameter is set to true, and the resource policy did not "
        "prevent broad access to the secret."
    ),
}
_STATUS = {
    cls.code: cls.status
    for cls in vars(_errors).values()
    if isinstance(cls, type)
    and issubclass(cls, _errors.SecretsManagerError)
    and cls is not _errors.SecretsManagerError
}


class Fault:
    """One injected fault: a handle to inspect or cancel it.

    Attributes:
        operation, code, message, status: what fails and how (``status`` is the HTTP
            status of the answer).
        secret_id: only calls naming this secret (by name or ARN) match; None for all.
        times: how many matching calls fail in all (None: every one until cancelled).
        fired: how many calls it has failed so far.
    """

    __slots__ = (
        "cancelled",
        "code",
        "fired",
        "message",
        "operation",
        "secret_id",
        "status",
        "times",
    )

    def __init__(
        self,
        operation: str,
        code: str,
        status: int,
        message: str,
        times: int | None,
        secret_id: str | None,
    ) -> None:
        self.operation = operation
        self.code = code
        self.status = status
        self.message = message
        self.times = times
        self.secret_id = secret_id
        self.fired = 0
        self.cancelled = False

    @property
    def remaining(self) -> int | None:
        """How many more matching calls will fail (None: unlimited; 0 once cancelled)."""
        if self.cancelled:
            return 0
        return None if self.times is None else self.times - self.fired

    @property
    def active(self) -> bool:
        """Whether a matching call would still fail."""
        remaining = self.remaining
        return remaining is None or remaining > 0

    def cancel(self) -> None:
        """Stop failing calls; the calls after this are served normally."""
        self.cancelled = True

    def matches(self, operation: str, secret_id: object, secret: Secret | None) -> bool:
        """Whether a call of ``operation`` naming ``secret_id`` (resolved to ``secret``)
        is one this fault fails."""
        if operation != self.operation or not self.active:
            return False
        wanted = self.secret_id
        if wanted is None or wanted == secret_id:
            return True
        return secret is not None and wanted in (secret.name, secret.arn)

    def __repr__(self) -> str:
        return (
            f"Fault({self.operation!r}, {self.code!r}, status={self.status}, "
            f"fired={self.fired}, remaining={self.remaining!r})"
        )


class FaultRegistry:
    """The faults waiting to fire, in the order they were injected (the first match wins)."""

    __slots__ = ("_faults",)

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(
        self,
        operation: str,
        code: str,
        *,
        times: int | None = 1,
        secret_id: str | None = None,
        message: str | None = None,
        status: int | None = None,
    ) -> Fault:
        """Register a fault after checking it is one AWS could answer; see
        :meth:`smmock.backend.SecretsBackend.inject_fault`."""
        allowed = MODELED_ERRORS.get(operation)
        if allowed is None:
            raise ValueError(
                f"{operation!r} is not a Secrets Manager operation; "
                f"use one of {', '.join(sorted(MODELED_ERRORS))}."
            )
        if code not in allowed and code not in COMMON_ERRORS:
            raise ValueError(
                f"{operation} never answers {code!r}: use one of its modeled errors "
                f"({', '.join(sorted(allowed))}) or an error every AWS API can answer "
                f"({', '.join(sorted(COMMON_ERRORS))})."
            )
        if times is not None and (isinstance(times, bool) or not isinstance(times, int)):
            raise TypeError(f"times must be a positive int or None, not {times!r}.")
        if times is not None and times < 1:
            raise ValueError(f"times must be at least 1 (or None for every call), not {times}.")
        if secret_id is not None and not isinstance(secret_id, str):
            raise TypeError(f"secret_id must be a name or ARN string, not {secret_id!r}.")
        if message is not None and not isinstance(message, str):
            raise TypeError(f"message must be a string, not {message!r}.")
        if status is not None and (
            isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599
        ):
            raise ValueError(f"status must be an HTTP error status (400-599), not {status!r}.")
        fault = Fault(
            operation,
            code,
            _STATUS[code] if status is None else status,
            _MESSAGES[code] if message is None else message,
            times,
            secret_id,
        )
        self._faults.append(fault)
        return fault

    def fire(self, operation: str, secret_id: object, secret: Secret | None) -> Fault | None:
        """The first pending fault matching this call, counted as fired; else None."""
        for fault in self._faults:
            if fault.matches(operation, secret_id, secret):
                fault.fired += 1
                if not fault.active:
                    self._faults.remove(fault)
                return fault
        return None

    def pending(self) -> list[Fault]:
        """The faults that would still fire, oldest first (cancelled ones dropped)."""
        self._faults = [f for f in self._faults if f.active]
        return list(self._faults)

    def clear(self) -> None:
        """Cancel every pending fault."""
        for fault in self._faults:
            fault.cancel()
        self._faults.clear()

    def __bool__(self) -> bool:
        return bool(self._faults)
