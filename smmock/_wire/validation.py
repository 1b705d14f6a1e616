"""Validate a decoded awsJson1.1 request body against botocore's ``secretsmanager`` model.

botocore checks only ``required``, types and ``min`` before a request leaves the client,
and raw HTTP callers (or ``parameter_validation=False``) skip even that, so the service
side has to enforce the model the way AWS's request framework does. Everything here is
derived from the installed model: each operation's input shape is compiled once into a
tree of small closures (precompiled regexes, precomputed bounds and messages) and cached
by operation name.

Errors, in the order AWS reports them:

* A JSON type that cannot become the member's type raises ``SerializationException`` at
  once, before any constraint is checked (Coral deserializes before it validates).
  Texts follow what AWS's JSON framework answers on other awsJson1.1 services (measured
  on Athena, DynamoDB): ``STRING_VALUE can not be converted to an Integer``,
  ``NUMBER_VALUE can not be converted to a String``, ``TRUE_VALUE ... a Boolean``,
  ``Start of list found where not expected``, ``Start of structure or map found where
  not expected.``, ``Expected list or null`` (scalar for a list), ``Expected null``
  (scalar for a structure), ``only base-64-encoded strings are convertible to bytes``
  (blob), ``Base64 encoded length is expected a multiple of 4 bytes but found: <n>``;
  other bad base64 gets our own ``Invalid Base64 encoded value``. Secrets Manager's own
  texts are unconfirmed. A body that is not a JSON object
  gets an empty message (Athena sends none), except a JSON array. Decimals sent for an
  ``integer``/``long`` member are truncated, as Coral does.
* Constraint violations are gathered into one ``ValidationException``: ``N validation
  error(s) detected: Value '<v>' at '<path>' failed to satisfy constraint: Member must
  ...`` joined by ``; ``. Order: model member order, depth first, a list's own length
  before its elements, and per member length, then pattern, then enum (AWS's order is
  not stable across services; unconfirmed). Sensitive members drop the value
  (``Value at '<path>'``). Lists render as ``[a, b]`` and structures as ``{Key=v}``
  (unconfirmed). String length counts code points; patterns must match the whole value
  (Java ``matches()``) with ASCII ``\\d``/``\\w``. JSON ``null`` counts as absent, also
  inside lists (dropped, as measured on Athena); the caller should treat it the same.
* The model gives ``Name`` (CreateSecret) and ``SecretId`` no pattern, yet AWS rejects
  characters outside ASCII letters, digits and ``/_+=.@-`` with the ``Invalid name``
  text. That rule applies to top-level ``Name``/``SecretId`` string members of every
  operation, runs only when no other constraint failed, and skips a ``SecretId``
  starting with ``arn:`` (an ARN is only length-checked). Entries of
  BatchGetSecretValue's ``SecretIdList`` are not name-checked here: that operation
  reports per-id failures in its ``Errors`` output (for bad names: unconfirmed).
* An operation missing from the model raises ``UnknownOperationException`` with
  ``Unknown operation <name>`` (AWS itself sends no message there).
"""

from __future__ import annotations

import base64
import math
import re
import sys
from collections.abc import Callable
from typing import Any

from smmock.exceptions import (
    SerializationException,
    UnknownOperationException,
    ValidationException,
)

__all__ = ["operation_names", "validate"]

_Check = Callable[[Any, str, list[str]], None]

_SERVICE = "secretsmanager"
_NAME_RE = re.compile(r"[A-Za-z0-9/_+=.@-]+")
# Top-level members checked with the name rule; True means an ARN is exempt.
_NAME_MEMBERS = {"Name": False, "SecretId": True}
# Marks a name-rule failure inside the error list; compared by identity, never shown.
_BAD_NAME = "\0invalid-name"
_NOT_NULL = "failed to satisfy constraint: Member must not be null"
_STRUCT_FOUND = "Start of structure or map found where not expected."
_LIST_FOUND = "Start of list found where not expected"
_INF = math.inf

_model: dict[str, Any] | None = None
_compiled: dict[str, _Check] = {}


def validate(operation: str, params: dict[str, Any]) -> None:
    """Check ``params`` (a decoded JSON body) against the model's input for ``operation``.

    Returns ``None`` when the request is acceptable; unknown top-level members are
    ignored, as AWS does.

    Raises:
        UnknownOperationException: ``operation`` is not in the installed model.
        SerializationException: a value has the wrong JSON type, a blob is not valid
            base64, or the body is not a JSON object.
        ValidationException: one or more ``min``/``max``/``pattern``/``enum``/``required``
            constraints failed, or a ``Name``/``SecretId`` has characters AWS rejects.
    """
    check = _compiled.get(operation)
    if check is None:
        check = _compile_operation(operation)
    if not isinstance(params, dict):
        raise SerializationException(_LIST_FOUND if isinstance(params, list) else "")
    errors: list[str] = []
    check(params, "", errors)
    if errors:
        _raise(errors)


def operation_names() -> list[str]:
    """Every operation name in the installed ``secretsmanager`` model, in model order."""
    return list(_load_model()["operations"])


def _raise(errors: list[str]) -> None:
    real = [e for e in errors if e is not _BAD_NAME]
    if not real:
        raise ValidationException.invalid_name()
    count = len(real)
    plural = "" if count == 1 else "s"
    raise ValidationException(f"{count} validation error{plural} detected: {'; '.join(real)}")


def _load_model() -> dict[str, Any]:
    global _model
    if _model is None:
        # Imported here: botocore.loaders pulls in urllib3 and friends, which a plain
        # ``import smmock`` must not pay for. load_service_model() would also list every
        # service on disk (~15 ms); resolving just this one is ~1.5 ms.
        from botocore.loaders import create_loader

        loader = create_loader()
        version = loader.determine_latest_version(_SERVICE, "service-2")
        model: dict[str, Any] = loader.load_data(f"{_SERVICE}/{version}/service-2")
        _model = model
    return _model


def _compile_operation(operation: str) -> _Check:
    model = _load_model()
    op = model["operations"].get(operation)
    if op is None:
        raise UnknownOperationException(f"Unknown operation {operation}")
    shapes: dict[str, Any] = model["shapes"]
    shape = shapes[op["input"]["shape"]] if "input" in op else {}
    check = _structure(shapes, shape, top=True)
    _compiled[operation] = check
    return check


def _compile(shapes: dict[str, Any], ref: dict[str, Any], name_rule: bool | None) -> _Check:
    shape = shapes[ref["shape"]]
    kind = shape["type"]
    sensitive = bool(shape.get("sensitive") or ref.get("sensitive"))
    if kind == "structure":
        return _structure(shapes, shape, top=False)
    if kind == "list":
        return _list(shape, _compile(shapes, shape["member"], None), sensitive)
    if kind == "string":
        return _string(shape, sensitive, name_rule)
    if kind == "blob":
        return _blob(shape, sensitive)
    if kind in ("integer", "long"):
        return _number(shape, sensitive, kind.capitalize(), integral=True)
    if kind in ("float", "double"):
        return _number(shape, sensitive, kind.capitalize(), integral=False)
    if kind == "boolean":
        return _boolean
    if kind == "map":
        return _map
    # timestamp (absent from this model's inputs) and anything newer pass unchecked.
    return _unchecked


def _structure(shapes: dict[str, Any], shape: dict[str, Any], *, top: bool) -> _Check:
    required = set(shape.get("required", ()))
    members = tuple(
        (
            ref.get("locationName", name),
            name[:1].lower() + name[1:],
            name in required,
            _compile(shapes, ref, _NAME_MEMBERS.get(name) if top else None),
            shapes[ref["shape"]]["type"] in ("integer", "long"),
        )
        for name, ref in shape.get("members", {}).items()
    )

    def check(value: Any, path: str, errors: list[str]) -> None:
        if not isinstance(value, dict):
            raise _mismatch(value, None)
        prefix = f"{path}." if path else ""
        for key, wire, is_required, sub, integral in members:
            item = value.get(key)
            if item is not None:
                sub(item, prefix + wire, errors)
                if integral and type(item) is float:
                    # The operation sees the truncated number, as AWS's deserializer does.
                    value[key] = int(item)
            elif is_required:
                errors.append(f"Value null at '{prefix}{wire}' {_NOT_NULL}")

    return check


def _list(shape: dict[str, Any], element: _Check, sensitive: bool) -> _Check:
    lo: int = shape.get("min", 0)
    hi: int = shape.get("max", sys.maxsize)
    short = f"Member must have length greater than or equal to {lo}"
    long = f"Member must have length less than or equal to {hi}"

    def check(value: Any, path: str, errors: list[str]) -> None:
        if not isinstance(value, list):
            raise SerializationException(
                _STRUCT_FOUND if isinstance(value, dict) else "Expected list or null"
            )
        if None in value:
            value = [item for item in value if item is not None]
        size = len(value)
        if size < lo:
            errors.append(_fail(value, path, short, sensitive))
        elif size > hi:
            errors.append(_fail(value, path, long, sensitive))
        for index, item in enumerate(value, 1):
            element(item, f"{path}.{index}.member", errors)

    return check


def _string(shape: dict[str, Any], sensitive: bool, name_rule: bool | None) -> _Check:
    lo: int = shape.get("min", 0)
    hi: int = shape.get("max", sys.maxsize)
    short = f"Member must have length greater than or equal to {lo}"
    long = f"Member must have length less than or equal to {hi}"
    pattern: str | None = shape.get("pattern")
    regex = _regex(pattern) if pattern is not None else None
    pattern_rule = f"Member must satisfy regular expression pattern: {pattern}"
    enum_values: list[str] | None = shape.get("enum")
    allowed = frozenset(enum_values or ())
    enum_rule = f"Member must satisfy enum value set: [{', '.join(enum_values or ())}]"
    name_checked = name_rule is not None
    arn_exempt = bool(name_rule)

    def check(value: Any, path: str, errors: list[str]) -> None:
        if not isinstance(value, str):
            raise _mismatch(value, "String")
        size = len(value)
        if size < lo:
            errors.append(_fail(value, path, short, sensitive))
        elif size > hi:
            errors.append(_fail(value, path, long, sensitive))
        if regex is not None and regex.fullmatch(value) is None:
            errors.append(_fail(value, path, pattern_rule, sensitive))
        if enum_values is not None and value not in allowed:
            errors.append(_fail(value, path, enum_rule, sensitive))
        if (
            name_checked
            and _NAME_RE.fullmatch(value) is None
            and not (arn_exempt and value.startswith("arn:"))
        ):
            errors.append(_BAD_NAME)

    return check


def _blob(shape: dict[str, Any], sensitive: bool) -> _Check:
    lo: int = shape.get("min", 0)
    hi: int = shape.get("max", sys.maxsize)
    short = f"Member must have length greater than or equal to {lo}"
    long = f"Member must have length less than or equal to {hi}"

    def check(value: Any, path: str, errors: list[str]) -> None:
        if isinstance(value, str):
            size = _decoded_length(value)
        elif isinstance(value, (bytes, bytearray)):  # in-process callers, already decoded
            size = len(value)
        elif isinstance(value, (dict, list)):
            raise _mismatch(value, "Blob")
        else:
            raise SerializationException("only base-64-encoded strings are convertible to bytes")
        if size < lo:
            errors.append(_fail(value, path, short, sensitive))
        elif size > hi:
            errors.append(_fail(value, path, long, sensitive))

    return check


def _decoded_length(text: str) -> int:
    if len(text) % 4:
        raise SerializationException(
            f"Base64 encoded length is expected a multiple of 4 bytes but found: {len(text)}"
        )
    try:
        return len(base64.b64decode(text, validate=True))
    except ValueError:  # binascii.Error, or non-ASCII text
        raise SerializationException("Invalid Base64 encoded value") from None


def _number(shape: dict[str, Any], sensitive: bool, label: str, *, integral: bool) -> _Check:
    lo: float = shape.get("min", -_INF)
    hi: float = shape.get("max", _INF)
    small = f"Member must have value greater than or equal to {shape.get('min')}"
    large = f"Member must have value less than or equal to {shape.get('max')}"

    def check(value: Any, path: str, errors: list[str]) -> None:
        kind = type(value)
        if kind is not int:
            if kind is not float or not math.isfinite(value):
                raise _mismatch(value, label)
            if integral:
                value = int(value)
        if value < lo:
            errors.append(_fail(value, path, small, sensitive))
        elif value > hi:
            errors.append(_fail(value, path, large, sensitive))

    return check


def _boolean(value: Any, path: str, errors: list[str]) -> None:
    if value is not True and value is not False:
        raise _mismatch(value, "Boolean")


def _map(value: Any, path: str, errors: list[str]) -> None:
    if not isinstance(value, dict):
        raise _mismatch(value, None)


def _unchecked(value: Any, path: str, errors: list[str]) -> None:
    return None


def _regex(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.ASCII)
    except re.error:
        # A Java-only construct (e.g. \p{L}) in a future model: skip the check rather
        # than reject every call of that operation.
        return None


def _mismatch(value: Any, target: str | None) -> SerializationException:
    """The error for ``value`` where ``target`` (None: a structure) was expected."""
    if isinstance(value, dict):
        return SerializationException(_STRUCT_FOUND)
    if isinstance(value, list):
        return SerializationException(_LIST_FOUND)
    if target is None:
        return SerializationException("Expected null")
    if value is True or value is False:
        token = "TRUE_VALUE" if value else "FALSE_VALUE"
    else:
        token = "STRING_VALUE" if isinstance(value, str) else "NUMBER_VALUE"
    article = "an" if target[0] in "AEIOU" else "a"
    return SerializationException(f"{token} can not be converted to {article} {target}")


def _fail(value: Any, path: str, rule: str, sensitive: bool) -> str:
    if sensitive:
        return f"Value at '{path}' failed to satisfy constraint: {rule}"
    return f"Value '{_render(value)}' at '{path}' failed to satisfy constraint: {rule}"


def _render(value: Any) -> str:
    # Mirrors Java's toString of the deserialized value, which is what AWS prints.
    if isinstance(value, str):
        return value
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_render(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_render(v)}" for k, v in value.items()) + "}"
    return str(value)
