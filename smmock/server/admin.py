"""The ``/_smmock/`` admin endpoints: JSON in, JSON out, for tests in any language.

Health, reset and the clock (advance, set, back to real time), so a test that cannot
use freezegun can still pass a recovery window; the state (dump and load), the call log
and fault injection, the backend's testing tools over HTTP. State-changing endpoints are POSTs that
require ``Content-Type: application/json``: a web page cannot send that cross-origin
without a preflight this server never grants, so no page can reset the server.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from smmock import _clock
from smmock._service.backend import SecretsBackend
from smmock._service.calls import CallRecord
from smmock._service.faults import Fault

if TYPE_CHECKING:
    from smmock.server.app import ServerConfig

__all__ = ["AdminError", "parse_duration", "routes"]

PREFIX = "/_smmock"
_UNITS = ("weeks", "days", "hours", "minutes", "seconds", "milliseconds")


class AdminError(ValueError):
    """A bad admin request; its message is sent back with a 400."""


def parse_duration(body: dict[str, Any]) -> datetime.timedelta:
    """A timedelta from JSON members named like its arguments (``{"days": 14}``).

    Parameters:
        body: the request's members; only ``weeks``, ``days``, ``hours``, ``minutes``,
            ``seconds`` and ``milliseconds`` are allowed, each a number.
    """
    unknown = sorted(set(body) - set(_UNITS))
    if unknown:
        raise AdminError(f"unknown duration members {unknown}; use {list(_UNITS)}")
    if not body:
        raise AdminError(f'give a duration with any of {list(_UNITS)}, e.g. {{"days": 14}}')
    for unit, amount in body.items():
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise AdminError(f"{unit} must be a number, not {json.dumps(amount)}")
    try:
        return datetime.timedelta(**body)
    except OverflowError:
        raise AdminError("the duration is out of range") from None


def _parse_time(value: Any) -> datetime.datetime:
    if not isinstance(value, str):
        raise AdminError('"time" must be an ISO 8601 string such as "2024-03-10T14:30:00Z"')
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise AdminError(f"{value!r} is not an ISO 8601 date and time") from None
    return moment


def _call(record: CallRecord) -> dict[str, Any]:
    # The log already holds secret values redacted; responses are never recorded.
    return {
        "operation": record.operation,
        "arn": record.arn,
        "region": record.region,
        "account_id": record.account_id,
        "params": record.params,
        "error_code": record.error_code,
        "time": record.time.isoformat(),
        "pending_deletion": record.pending_deletion,
    }


def _fault(fault: Fault) -> dict[str, Any]:
    return {
        "operation": fault.operation,
        "code": fault.code,
        "status": fault.status,
        "message": fault.message,
        "secret_id": fault.secret_id,
        "times": fault.times,
        "fired": fault.fired,
        "remaining": fault.remaining,
    }


_FAULT_MEMBERS = ("operation", "code", "times", "secret_id", "message", "status")


def _clock_state() -> dict[str, Any]:
    return {"now": _clock.now().isoformat(), "frozen": _clock.frozen()}


Handler = Callable[[dict[str, Any]], dict[str, Any]]


def _post(handler: Handler) -> Callable[[Request], Coroutine[Any, Any, JSONResponse]]:
    async def endpoint(request: Request) -> JSONResponse:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return JSONResponse({"error": "admin POSTs need Content-Type: application/json"}, 415)
        raw = await request.body()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return JSONResponse({"error": "the body is not valid JSON"}, 400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "the body must be a JSON object"}, 400)
        try:
            return JSONResponse(handler(body))
        except AdminError as error:
            return JSONResponse({"error": str(error)}, 400)

    return endpoint


def routes(backend: SecretsBackend, config: ServerConfig) -> list[Route]:
    """The admin routes for ``backend``."""

    async def health(request: Request) -> JSONResponse:
        return JSONResponse(
            {
                "status": "ok",
                "version": _version(),
                "region": config.region,
                "account_id": config.account_id,
                **_clock_state(),
            }
        )

    def reset(body: dict[str, Any]) -> dict[str, Any]:
        with backend.lock:
            backend.reset()
            if config.seed is not None:
                # A reset server is the server as it started, seeded ids included.
                backend.push_options(seed=config.seed)
        return {"reset": True}

    async def state(request: Request) -> JSONResponse:
        return JSONResponse(backend.dump())

    def load_state(body: dict[str, Any]) -> dict[str, Any]:
        try:
            backend.load(body)
        except (ValueError, TypeError) as error:
            raise AdminError(str(error)) from None
        return {"loaded": True, "secrets": len(backend.all_secrets())}

    async def calls(request: Request) -> JSONResponse:
        with backend.lock:
            records = [_call(record) for record in backend.calls]
        operation = request.query_params.get("operation")
        if operation:
            records = [r for r in records if r["operation"] == operation]
        return JSONResponse({"calls": records})

    def clear_calls(body: dict[str, Any]) -> dict[str, Any]:
        with backend.lock:
            backend.calls.clear()
        return {"cleared": True}

    async def faults(request: Request) -> JSONResponse:
        return JSONResponse({"faults": [_fault(f) for f in backend.faults]})

    def inject_fault(body: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(body) - set(_FAULT_MEMBERS))
        if unknown:
            raise AdminError(f"unknown members {unknown}; use {list(_FAULT_MEMBERS)}")
        if not isinstance(body.get("operation"), str) or not isinstance(body.get("code"), str):
            raise AdminError('"operation" and "code" are required strings')
        try:
            fault = backend.inject_fault(
                body["operation"],
                body["code"],
                times=body.get("times", 1),
                secret_id=body.get("secret_id"),
                message=body.get("message"),
                status=body.get("status"),
            )
        except (ValueError, TypeError) as error:
            raise AdminError(str(error)) from None
        return _fault(fault)

    def clear_faults(body: dict[str, Any]) -> dict[str, Any]:
        backend.clear_faults()
        return {"cleared": True}

    async def clock(request: Request) -> JSONResponse:
        return JSONResponse(_clock_state())

    def advance(body: dict[str, Any]) -> dict[str, Any]:
        delta = parse_duration(body)
        with backend.lock:
            try:
                _clock.shift(delta)
            except OverflowError:
                raise AdminError("that would move the clock out of range") from None
        return _clock_state()

    def set_time(body: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(body) - {"time", "frozen"})
        if unknown:
            raise AdminError(f'unknown members {unknown}; use "time" and "frozen"')
        frozen = body.get("frozen", False)
        if not isinstance(frozen, bool):
            raise AdminError('"frozen" must be true or false')
        moment = _parse_time(body.get("time"))
        with backend.lock:
            _clock.set_time(moment, frozen=frozen)
        return _clock_state()

    def real_time(body: dict[str, Any]) -> dict[str, Any]:
        with backend.lock:
            _clock.release()
        return _clock_state()

    return [
        Route(f"{PREFIX}/health", health, methods=["GET"]),
        Route(f"{PREFIX}/reset", _post(reset), methods=["POST"]),
        Route(f"{PREFIX}/clock", clock, methods=["GET"]),
        Route(f"{PREFIX}/clock/advance", _post(advance), methods=["POST"]),
        Route(f"{PREFIX}/clock/set", _post(set_time), methods=["POST"]),
        Route(f"{PREFIX}/clock/real", _post(real_time), methods=["POST"]),
        Route(f"{PREFIX}/state", state, methods=["GET"]),
        Route(f"{PREFIX}/state", _post(load_state), methods=["POST"]),
        Route(f"{PREFIX}/calls", calls, methods=["GET"]),
        Route(f"{PREFIX}/calls/clear", _post(clear_calls), methods=["POST"]),
        Route(f"{PREFIX}/faults", faults, methods=["GET"]),
        Route(f"{PREFIX}/faults", _post(inject_fault), methods=["POST"]),
        Route(f"{PREFIX}/faults/clear", _post(clear_faults), methods=["POST"]),
    ]


def _version() -> str:
    # The installed distribution's version: the server sits below the public package
    # (``smmock/__init__``) and does not import it.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("smmock")
    except PackageNotFoundError:  # pragma: no cover - run from a checkout, not installed
        return "unknown"
