"""awsJson1.1 in and out: ``X-Amz-Target`` to operation, JSON body to (status, JSON).

This is the only layer that knows the wire format of requests and errors. It decodes
the body, validates it against the service model, runs the operation under the
backend's lock and encodes the answer, turning every :class:`SecretsManagerError` into
AWS's error body and anything unexpected into an ``InternalServiceError`` (500) rather
than a traceback in the caller's code.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from smmock._service.backend import SecretsBackend
from smmock._service.calls import CallRecord
from smmock._wire import calls as _calls
from smmock._wire import faults as _faults
from smmock._wire import ops_lifecycle, ops_policy, ops_replication, ops_rotation, ops_values
from smmock._wire.context import Context, Operation
from smmock._wire.validation import validate
from smmock.exceptions import (
    InternalServiceError,
    SecretsManagerError,
    SerializationException,
    UnknownOperationException,
)

__all__ = ["CONTENT_TYPE", "OPERATIONS", "handle"]

CONTENT_TYPE = "application/x-amz-json-1.1"
_TARGET_PREFIX = "secretsmanager."
_logger = logging.getLogger("smmock")
_encode = json.JSONEncoder(separators=(",", ":")).encode
OPERATIONS: dict[str, Operation] = {
    **ops_values.OPERATIONS,
    **ops_lifecycle.OPERATIONS,
    **ops_policy.OPERATIONS,
    **ops_rotation.OPERATIONS,
    **ops_replication.OPERATIONS,
}


def handle(
    backend: SecretsBackend, region: str, account_id: str, target: str, body: bytes | str | None
) -> tuple[int, bytes]:
    """Serve one request; return the HTTP status and the JSON body bytes.

    In order: decode, record the call (``backend.calls``), fire an injected fault,
    check access, validate, run the operation under the backend's lock, encode.
    """
    record: CallRecord | None = None
    operation = None
    try:
        operation = _operation(target)
        params = _decode(body)
        with backend.lock:
            secret_id = _calls.secret_id_of(params)
            secret = _calls.named_secret(backend, region, account_id, secret_id)
            if backend.calls.enabled:
                record = _calls.record(backend, operation, region, account_id, params, secret)
            if backend.fault_registry:
                fault = _faults.fire(backend, operation, secret_id, secret)
                if fault is not None:
                    if record is not None:
                        record.error_code = fault.code
                    return fault.status, _error_body(fault.code, fault.message)
            _faults.authorize(backend, operation, region, account_id, secret_id, secret)
            validate(operation, params)
            result = OPERATIONS[operation](Context(backend, region, account_id), params)
        if record is not None and record.arn is None:
            # A secret this call created (or answered for) has its ARN in the answer.
            arn = result.get("ARN")
            record.arn = arn if isinstance(arn, str) else None
        return 200, _encode(result).encode()
    except SecretsManagerError as error:
        if record is None:
            record = _unrecorded(backend, region, account_id, target, operation)
        if record is not None:
            record.error_code = error.code
        return error.status, _error_body(error.code, error.message)
    except Exception:
        # A bug in smmock must not look like a bug in the user's code. Log the operation
        # only: request bodies carry secret values.
        _logger.exception("smmock failed to serve %s", target)
        internal = InternalServiceError("An internal error occurred in smmock; see its log.")
        if record is not None:
            record.error_code = internal.code
        return internal.status, _error_body(internal.code, internal.message)


def _unrecorded(
    backend: SecretsBackend, region: str, account_id: str, target: str, operation: str | None
) -> CallRecord | None:
    # A request refused before it was recorded (unknown operation, a body that is not
    # JSON) is a call too.
    if not backend.calls.enabled:
        return None
    if operation is None:
        operation = target.removeprefix(_TARGET_PREFIX) or target
    with backend.lock:
        return backend.calls.record(operation, None, region, account_id, {}, False)


def _operation(target: str) -> str:
    if target.startswith(_TARGET_PREFIX):
        name = target[len(_TARGET_PREFIX) :]
        if name in OPERATIONS:
            return name
    raise UnknownOperationException(f"Unknown operation {target}")


def _decode(body: bytes | str | None) -> dict[str, Any]:
    if not body:
        return {}
    try:
        # AWS reads request bodies as UTF-8; decoding first skips json's detection.
        params = json.loads(body.decode() if isinstance(body, bytes) else body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # nesting ~1000 deep
        raise SerializationException("The request body is not valid JSON.") from None
    if not isinstance(params, dict):
        raise SerializationException("Start of structure or map expected.")
    if b"null" in body if isinstance(body, bytes) else "null" in body:
        # AWS treats a JSON null as an absent member, in lists too. Only bodies that
        # spell "null" somewhere pay for the walk.
        return {k: _without_nulls(v) for k, v in params.items() if v is not None}
    return params


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value if v is not None]
    return value


def _error_body(code: str, message: str) -> bytes:
    return _encode({"__type": code, "Message": message}).encode()
