"""Per request: find the secret a request names before it runs, and record the call.

The call log (``backend.calls``) needs, for every request, the ARN of the secret it
names and whether that secret was scheduled for deletion *when the call arrived*, before
the operation restores, deletes or purges it; fault matching and the access checks use
the same lookup. :func:`named_secret` looks without side effects (no purge, no scheduled
rotation, no name check): the operation's own lookup still does all of that.
"""

from __future__ import annotations

from typing import Any

from smmock._model import Secret
from smmock._service.backend import SecretsBackend
from smmock._service.calls import CallRecord
from smmock._service.names import parse_arn

__all__ = ["named_secret", "record", "secret_id_of"]


def secret_id_of(params: dict[str, Any]) -> Any:
    """What the request names its secret by: ``SecretId``, or CreateSecret's ``Name``."""
    secret_id = params.get("SecretId")
    return params.get("Name") if secret_id is None else secret_id


def named_secret(
    backend: SecretsBackend, region: str, account_id: str, secret_id: Any
) -> Secret | None:
    """The live secret ``secret_id`` names in the request's store, or None."""
    if not isinstance(secret_id, str):
        return None
    if secret_id.startswith("arn:"):
        parsed = parse_arn(secret_id)
        if parsed is None:
            return None
        # An ARN's own region and account win, as in the operations.
        region, account_id = parsed[0], parsed[1]
    store = backend.existing_region_backend(region, account_id)
    return None if store is None else store.peek(secret_id)


def record(
    backend: SecretsBackend,
    operation: str,
    region: str,
    account_id: str,
    params: dict[str, Any],
    secret: Secret | None,
) -> CallRecord:
    """Append this call to the backend's log (the caller checked it is enabled)."""
    if secret is None:
        return backend.calls.record(operation, None, region, account_id, params, False)
    return backend.calls.record(
        operation,
        secret.arn,
        region,
        account_id,
        params,
        secret.extra is not None and secret.deletion_date is not None,
    )
