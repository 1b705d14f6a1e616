"""pytest plugin: every answer smmock gives in the test suite must fit botocore's model.

Loaded from ``tests/conftest.py`` (``pytest_plugins = ["tests.contract"]``). At start-up
it wraps ``smmock._wire.protocol.handle``, the one function every path into smmock goes
through (the botocore hook, the patched ``Endpoint._send``, the ``requests`` route and
tests that speak raw awsJson1.1), and checks each ``(status, body)`` it returns:

* HTTP 200: the JSON body matches the operation's output shape in botocore's
  ``secretsmanager`` model: no member the model does not know, at any depth; no ``null``
  (absent members are omitted); the JSON type each shape type needs (``string`` a
  string within its enum, ``integer``/``long`` an integer and not a boolean, ``boolean``
  a boolean, ``timestamp`` a number, ``blob`` a base64 string, ``list``, ``map``,
  ``structure``); required members present. An operation without output answers ``{}``.
* An error: the body is exactly ``{"__type": <code>, "Message": <text>}``; the status is
  400, or AWS's own for the few that differ (500 ``InternalServiceError`` and
  ``InternalFailure``, 503 ``ServiceUnavailable``); the code is in the operation's modeled
  error list or one of the unmodeled codes AWS really sends (``UNMODELED_ERRORS``).

botocore itself would accept much of what this rejects (its parser ignores unknown
members and lets a string stand where a number belongs), so without this check such
mistakes would pass every test that goes through a client.

A violation raises ``AssertionError`` from inside the call, and is also remembered and
raised again when the test phase (setup, call or teardown) ends: code that swallows
exceptions, such as a rotation function's failure being recorded instead of raised,
cannot hide it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import json
import math
from collections.abc import Callable, Generator, Iterator
from typing import Any

import botocore.session
import pytest
from botocore.model import ServiceModel, Shape

from smmock._wire import protocol as _protocol

__all__ = [
    "UNMODELED_ERRORS",
    "check_response",
    "recorded_violations",
    "service_model",
    "unchecked",
]

UNMODELED_ERRORS = frozenset(
    {
        "ValidationException",
        "AccessDeniedException",
        "SerializationException",
        "UnknownOperationException",
        # Errors every AWS API can answer (API reference, "Common Errors"); smmock sends
        # them only as injected faults.
        "ThrottlingException",
        "ServiceUnavailable",
        "InternalFailure",
    }
)
# The HTTP status of each error AWS does not answer with 400.
_STATUS = {"InternalServiceError": 500, "InternalFailure": 500, "ServiceUnavailable": 503}
_TARGET_PREFIX = "secretsmanager."

_model: ServiceModel | None = None
_violations: list[str] = []
_unchecked = 0
_original_handle: Callable[..., tuple[int, bytes]] | None = None


def service_model() -> ServiceModel:
    """botocore's ``secretsmanager`` service model (loaded once)."""
    global _model
    if _model is None:
        _model = botocore.session.get_session().get_service_model("secretsmanager")
    return _model


def check_response(target: str, status: int, body: bytes | str) -> list[str]:
    """The ways one answer breaks the contract; ``[]`` when it conforms.

    ``target`` is the request's ``X-Amz-Target`` (``secretsmanager.<Operation>``).
    """
    model = service_model()
    operation = target[len(_TARGET_PREFIX) :] if target.startswith(_TARGET_PREFIX) else None
    op_model = (
        model.operation_model(operation)
        if operation is not None and operation in model.operation_names
        else None
    )
    try:
        decoded = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return [f"body is not JSON: {body[:200]!r}"]
    if status == 200:
        if op_model is None:
            return [f"HTTP 200 for {target!r}, which is no operation of the model"]
        problems: list[str] = []
        shape = op_model.output_shape
        if shape is None:
            if decoded != {}:
                problems.append(f"{operation} has no output in the model; expected {{}}")
        else:
            _check(shape, decoded, operation or "", problems)
        return problems
    return _check_error(op_model, status, decoded)


def _check_error(op_model: Any, status: int, decoded: Any) -> list[str]:
    if not isinstance(decoded, dict) or set(decoded) != {"__type", "Message"}:
        keys = sorted(decoded) if isinstance(decoded, dict) else type(decoded).__name__
        return [f"error body must have exactly __type and Message, got {keys}"]
    code, message = decoded["__type"], decoded["Message"]
    problems = []
    if not isinstance(code, str) or not isinstance(message, str):
        return [f"__type and Message must be strings, got {code!r}, {message!r}"]
    expected_status = _STATUS.get(code, 400)
    if status != expected_status:
        problems.append(f"{code} answered with HTTP {status}, expected {expected_status}")
    modeled = {shape.name for shape in op_model.error_shapes} if op_model is not None else set()
    if code not in modeled and code not in UNMODELED_ERRORS:
        name = op_model.name if op_model is not None else "an unknown operation"
        problems.append(
            f"{code} is not a modeled error of {name} (modeled: {sorted(modeled)}) "
            f"nor one AWS sends unmodeled ({sorted(UNMODELED_ERRORS)})"
        )
    return problems


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _check(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if value is None:
        problems.append(f"{path}: null; absent members must be omitted")
    elif kind == "structure":
        _check_structure(shape, value, path, problems)
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: list {shape.name} sent as {_kind(value)}")
            return
        member: Shape = shape.member  # type: ignore[attr-defined]
        for index, item in enumerate(value):
            _check(member, item, f"{path}[{index}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: map {shape.name} sent as {_kind(value)}")
            return
        key_shape: Shape = shape.key  # type: ignore[attr-defined]
        value_shape: Shape = shape.value  # type: ignore[attr-defined]
        for key, item in value.items():
            _check(key_shape, key, f"{path} key {key!r}", problems)
            _check(value_shape, item, f"{path}[{key!r}]", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: string {shape.name} sent as {_kind(value)} {value!r}")
        elif shape.enum and value not in shape.enum:  # type: ignore[attr-defined]
            problems.append(f"{path}: {value!r} is not in the enum of {shape.name}")
    else:
        _check_scalar(shape, value, path, problems)


def _check_structure(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{path}: structure {shape.name} sent as {_kind(value)}")
        return
    members: dict[str, Shape] = shape.members  # type: ignore[attr-defined]
    # awsJson reads a member under its serialized name when the model gives one.
    wire = {ref.serialization.get("name", name): ref for name, ref in members.items()}
    for key, item in value.items():
        if key not in wire:
            problems.append(f"{path}.{key}: unknown member of {shape.name}")
        else:
            _check(wire[key], item, f"{path}.{key}", problems)
    for name in shape.required_members:
        if members[name].serialization.get("name", name) not in value:
            problems.append(f"{path}.{name}: required member of {shape.name} missing")


def _is_number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def _check_scalar(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if kind in ("integer", "long"):
        ok = type(value) is int
    elif kind in ("float", "double", "timestamp"):
        ok = _is_number(value)
    elif kind == "boolean":
        ok = type(value) is bool
    elif kind == "blob":
        ok = isinstance(value, str) and _is_base64(value)
    else:
        problems.append(f"{path}: shape type {kind} of {shape.name} is not checked here")
        return
    if not ok:
        problems.append(f"{path}: {kind} {shape.name} sent as {_kind(value)} {value!r}")


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


# -- the plugin --------------------------------------------------------------------------------


def _checked(handle: Callable[..., tuple[int, bytes]]) -> Callable[..., tuple[int, bytes]]:
    @functools.wraps(handle)
    def checked_handle(*args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, body = handle(*args, **kwargs)
        if _unchecked:
            return status, body
        target = kwargs["target"] if "target" in kwargs else args[3]
        problems = check_response(target, status, body)
        if problems:
            message = (
                f"smmock's answer to {target} breaks botocore's model:\n  "
                + "\n  ".join(problems)
                + f"\n  (HTTP {status}, body {body[:1000]!r})"
            )
            _violations.append(message)
            raise AssertionError(message)
        return status, body

    return checked_handle


@contextlib.contextmanager
def unchecked() -> Iterator[None]:
    """Answers inside the block are not checked: for tests that inject, on purpose,
    what AWS itself never sends (a fault with a gateway's HTTP 502 or 429)."""
    global _unchecked
    _unchecked += 1
    try:
        yield
    finally:
        _unchecked -= 1


@contextlib.contextmanager
def recorded_violations() -> Iterator[list[str]]:
    """Collect the violations raised inside the block instead of failing the test.

    For the checker's own tests, which provoke violations on purpose.
    """
    start = len(_violations)
    found: list[str] = []
    try:
        yield found
    finally:
        found.extend(_violations[start:])
        del _violations[start:]


def pytest_configure(config: pytest.Config) -> None:
    global _original_handle
    if _original_handle is None:
        _original_handle = _protocol.handle
        _protocol.handle = _checked(_original_handle)


def pytest_unconfigure(config: pytest.Config) -> None:
    global _original_handle
    if _original_handle is not None:
        _protocol.handle = _original_handle
        _original_handle = None


def _phase() -> Generator[None, Any, Any]:
    _violations.clear()
    try:
        return (yield)
    finally:
        if _violations:
            # Once each: a property-based test can repeat one violation many times.
            found = list(dict.fromkeys(_violations))
            _violations.clear()
            raise AssertionError("\n\n".join(found))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, Any, Any]:
    return (yield from _phase())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    return (yield from _phase())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, Any, Any]:
    return (yield from _phase())
