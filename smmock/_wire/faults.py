"""Per request: fire an injected fault, and refuse what the caller may not do.

Both run in :func:`smmock._wire.protocol.handle` before the request is validated, as
AWS's front end throttles and authorises before the service looks at the parameters.
The state they read is the backend's: ``backend.fault_registry`` (filled by
``SecretsBackend.inject_fault``) and ``backend.access`` (the innermost mock's
``allowed_actions`` and ``caller_arn``).
"""

from __future__ import annotations

from typing import Any

from smmock._model import Secret
from smmock._service.backend import SecretsBackend
from smmock._service.faults import Fault
from smmock.exceptions import AccessDeniedException

__all__ = ["authorize", "fire"]


def fire(
    backend: SecretsBackend, operation: str, secret_id: Any, secret: Secret | None
) -> Fault | None:
    """The injected fault this call fails with, if any (it counts as fired)."""
    return backend.fault_registry.fire(operation, secret_id, secret)


def authorize(
    backend: SecretsBackend,
    operation: str,
    region: str,
    account_id: str,
    secret_id: Any,
    secret: Secret | None,
) -> None:
    """Raise AWS's ``AccessDeniedException`` when the caller may not make this call.

    Checked only when the identity is restricted (``allowed_actions``) or the named
    secret has a resource policy, so an unrestricted mock pays one test per call.
    """
    access = backend.access
    policy = secret.resource_policy if secret is not None and secret.extra is not None else None
    if policy is None and not access.restricted:
        return
    message = access.denial(
        operation,
        access.caller(account_id, region),
        secret_id if isinstance(secret_id, str) else None,
        None if secret is None else secret.arn,
        policy,
    )
    if message is not None:
        raise AccessDeniedException(message)
