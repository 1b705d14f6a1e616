"""Every error smmock answers with, shaped as AWS Secrets Manager sends it.

Each class is named exactly after its wire code (the JSON ``__type``). The backend raises
them; ``_protocol`` turns them into an HTTP 400 (or 500) awsJson1.1 error body, and
botocore turns that body into the modeled ``client.exceptions.<Code>`` for the caller.
Messages use AWS's wording without botocore's "An error occurred (X) ..." prefix.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AccessDeniedException",
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
    "SecretsManagerError",
    "SerializationException",
    "ServiceUnavailable",
    "ThrottlingException",
    "UnknownOperationException",
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


class InvalidRequestException(SecretsManagerError):
    """The request is not valid for the current state of the resource."""

    code = "InvalidRequestException"

    @classmethod
    def marked_for_deletion(cls) -> InvalidRequestException:
        """The error every write or read gets while a secret is scheduled for deletion."""
        return cls(MARKED_FOR_DELETION)

    @classmethod
    def not_primary(cls) -> InvalidRequestException:
        """The error every write to a replica gets: writes go to the primary."""
        return cls(NOT_PRIMARY)


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
