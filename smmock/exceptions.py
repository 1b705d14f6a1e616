"""Every error smmock answers with, shaped as AWS Secrets Manager sends it, and smmock's
own warnings and errors about how a test uses the mock.

Each AWS error class is named exactly after its wire code (the JSON ``__type``). The
backend raises them; ``_wire.protocol`` turns them into an HTTP 400 (or 500) awsJson1.1
error body, and botocore turns that body into the modeled ``client.exceptions.<Code>``
for the caller. Messages use AWS's wording without botocore's "An error occurred (X)
..." prefix.

The last section holds what is not AWS's: :class:`SmmockWarning` and its categories
(pytest shows them; ``-W error`` makes them fail the test) and the errors of misuse.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AccessDeniedException",
    "BackendStoppedError",
    "DecryptionFailure",
    "EncryptionFailure",
    "InternalFailure",
    "InternalServiceError",
    "InvalidNextTokenException",
    "InvalidParameterException",
    "InvalidRequestException",
    "LimitExceededException",
    "MalformedPolicyDocumentException",
    "PreconditionNotMetException",
    "PublicPolicyException",
    "ResourceExistsException",
    "ResourceNotFoundException",
    "RotationDeadlockError",
    "RotationFailedError",
    "RotationFailedWarning",
    "SecretsManagerError",
    "SerializationException",
    "ServiceUnavailable",
    "SmmockWarning",
    "ThrottlingException",
    "UnknownOperationException",
    "UnregisteredRotationFunctionWarning",
    "ValidationException",
]

SECRET_NOT_FOUND = "Secrets Manager can't find the specified secret."
NOT_PRIMARY = (
    "Operation not permitted on a replica secret. Call must be made in primary secret's region."
)
MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)
INVALID_NAME = (
    "Invalid name. Must be a valid name containing alphanumeric characters, "
    "or any of the following: -/_+=.@!"
)


class SecretsManagerError(Exception):
    """Base class of every AWS-shaped error smmock raises.

    ``code`` is the wire ``__type`` and ``status`` the HTTP status AWS answers with.
    """

    code: ClassVar[str] = "InternalServiceError"
    status: ClassVar[int] = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ResourceNotFoundException(SecretsManagerError):
    """The secret, version or staging label does not exist."""

    code = "ResourceNotFoundException"

    @classmethod
    def secret(cls) -> ResourceNotFoundException:
        """The standard 'can't find the specified secret' error."""
        return cls(SECRET_NOT_FOUND)


class InvalidParameterException(SecretsManagerError):
    """A parameter value is not valid for the current state of the secret."""

    code = "InvalidParameterException"

    @classmethod
    def not_primary(cls) -> InvalidParameterException:
        """The error every write to a replica gets, DeleteSecret included: writes go to
        the primary (real AWS output)."""
        return cls(NOT_PRIMARY)


class InvalidRequestException(SecretsManagerError):
    """The request is not valid for the current state of the resource."""

    code = "InvalidRequestException"

    @classmethod
    def marked_for_deletion(cls) -> InvalidRequestException:
        """The error every write or read gets while a secret is scheduled for deletion."""
        return cls(MARKED_FOR_DELETION)


class ResourceExistsException(SecretsManagerError):
    """A resource with this name or ClientRequestToken already exists."""

    code = "ResourceExistsException"


class LimitExceededException(SecretsManagerError):
    """A quota (versions, labels, tags) would be exceeded."""

    code = "LimitExceededException"


class InvalidNextTokenException(SecretsManagerError):
    """The NextToken is not one this backend handed out."""

    code = "InvalidNextTokenException"


class MalformedPolicyDocumentException(SecretsManagerError):
    """The resource policy is not valid JSON or not a valid policy."""

    code = "MalformedPolicyDocumentException"


class PublicPolicyException(SecretsManagerError):
    """BlockPublicPolicy was set and the policy grants broad access."""

    code = "PublicPolicyException"


class PreconditionNotMetException(SecretsManagerError):
    """A precondition of the request is not met."""

    code = "PreconditionNotMetException"


class DecryptionFailure(SecretsManagerError):
    """The KMS key could not decrypt the secret (never raised by the in-memory backend)."""

    code = "DecryptionFailure"


class EncryptionFailure(SecretsManagerError):
    """The KMS key could not encrypt the secret (never raised by the in-memory backend)."""

    code = "EncryptionFailure"


class InternalServiceError(SecretsManagerError):
    """An error on the service side."""

    code = "InternalServiceError"
    status = 500


class ValidationException(SecretsManagerError):
    """A parameter broke a constraint of the service model (length, pattern, enum, name)."""

    code = "ValidationException"

    @classmethod
    def invalid_name(cls) -> ValidationException:
        """The error for a Name or SecretId with characters AWS does not allow."""
        return cls(INVALID_NAME)


class AccessDeniedException(SecretsManagerError):
    """The caller (or Secrets Manager itself, for rotation) is not allowed to act."""

    code = "AccessDeniedException"


class SerializationException(SecretsManagerError):
    """The request body is not a JSON object of the expected member types."""

    code = "SerializationException"


class UnknownOperationException(SecretsManagerError):
    """The X-Amz-Target header names no Secrets Manager operation."""

    code = "UnknownOperationException"


# -- errors every AWS API can answer (AWS API reference, "Common Errors") -----------------------
# Secrets Manager raises none of these itself; fault injection sends them
# (``SecretsBackend.inject_fault``), with the HTTP status AWS uses for each.


class ThrottlingException(SecretsManagerError):
    """The request rate is too high (botocore's retry modes treat it as throttling)."""

    code = "ThrottlingException"


class ServiceUnavailable(SecretsManagerError):
    """A temporary failure of the server (HTTP 503)."""

    code = "ServiceUnavailable"
    status = 503


class InternalFailure(SecretsManagerError):
    """An unknown error or failure on the server (HTTP 500)."""

    code = "InternalFailure"
    status = 500


# -- smmock's own: warnings and errors about the test's use of the mock -------------------------


class SmmockWarning(UserWarning):
    """Base class of smmock's warnings: something the test most likely did not mean.

    Filter them all with ``-W ignore::smmock.SmmockWarning`` (or pytest's
    ``filterwarnings``), or one category at a time.
    """


class RotationFailedWarning(SmmockWarning):
    """A rotation did not complete: its function raised, or a scheduled rotation could
    not start.

    As in AWS, RotateSecret itself succeeded; the failure is in
    ``SecretsBackend.rotation_failures``. Expect it with
    ``pytest.warns(smmock.RotationFailedWarning)``, or use
    ``mock_secrets(strict_rotation=True)``, which fails the test instead unless it read
    ``rotation_failures``.
    """


class UnregisteredRotationFunctionWarning(SmmockWarning):
    """A rotation names a Lambda ARN that has no function registered with
    ``SecretsBackend.register_rotation_function``; AWS answers such a call with
    ``AccessDeniedException``."""


class RotationFailedError(AssertionError):
    """Raised when a ``strict_rotation`` mock stops while a rotation failed and the test
    never read ``SecretsBackend.rotation_failures``."""


class RotationDeadlockError(RuntimeError):
    """A call that could only wait forever: it came from another thread while a rotation
    function, which runs inside RotateSecret under the mock's lock, waits for that
    thread."""


class BackendStoppedError(RuntimeError):
    """A write to the backend of a mock that has stopped (its state is gone)."""

    def __init__(self) -> None:
        super().__init__(
            "This SecretsBackend belongs to a mock_secrets() that has stopped, so its state "
            "is gone and no client reaches it. Seed and inspect secrets while the mock is "
            "active (inside the `with` block, the decorated function or the test using "
            "sm_backend), or start a new mock and use the backend it returns."
        )
