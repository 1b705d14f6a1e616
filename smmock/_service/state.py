"""Dump a backend's secrets to a JSON-serialisable dict, and load one back.

The format (version :data:`VERSION`)::

    {"format": "smmock-state", "version": 1,
     "stores": [{"account_id": "...", "region": "...", "secrets": [<secret>, ...]}]}

A secret holds its name, ARN suffix, dates, every metadata field that is set, and either
its ``versions`` (oldest first, each with its id, value, labels and dates) or, for a
replica, ``versions_of``: the ARN of the primary whose versions it shows. Dates are ISO
8601 strings with microseconds and a UTC offset; binary values are base64. Stores and
secrets keep their creation order, so listings come back in the same order.

Loading checks everything and builds new stores before the caller swaps them in, so a
malformed state (or one written by a newer smmock) raises ``ValueError`` naming the
offending path and changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from smmock._model import CrossAccountLink, Replica, Secret, SecretVersion, attach
from smmock._service.store import Store

__all__ = ["FORMAT", "VERSION", "dump", "load"]

FORMAT = "smmock-state"
VERSION = 1

# Secret attributes stored as they are (str, bool) or converted (dates, dicts), in the
# order they appear in a dump.
_TEXT = (
    "description",
    "kms_key_id",
    "resource_policy",
    "owning_service",
    "secret_type",
    "primary_region",
    "rotation_lambda_arn",
    "cross_account_primary_arn",
    "cross_account_status",
)
_DATES = (
    "deleted_date",
    "deletion_date",
    "last_rotated_date",
    "next_rotation_date",
)

_StoreT = TypeVar("_StoreT", bound=Store)
_ACCOUNT_RE = re.compile(r"[0-9]{12}")
_SUFFIX_RE = re.compile(r"[A-Za-z0-9]{6}")
_NAME_RE = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")


# -- dump -----------------------------------------------------------------------------------------


def _date(moment: datetime.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _optional(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


def _version(version: SecretVersion) -> dict[str, Any]:
    out: dict[str, Any] = {"version_id": version.version_id}
    value = version.value
    if isinstance(value, str):
        out["string"] = value
    elif value is not None:
        out["binary"] = base64.b64encode(value).decode("ascii")
    out["stages"] = list(version.stages)
    out["created_date"] = _date(version.created_date)
    _optional(out, "last_accessed_date", _date(version.last_accessed_date))
    _optional(out, "kms_key_id", version.kms_key_id)
    return out


def _secret(secret: Secret) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": secret.name,
        "suffix": secret.suffix,
        "created_date": _date(secret.created_date),
        "last_changed_date": _date(secret.last_changed_date),
    }
    _optional(out, "last_accessed_date", _date(secret.last_accessed_date))
    for field in _TEXT:
        _optional(out, field, getattr(secret, field))
    for field in _DATES:
        _optional(out, field, _date(getattr(secret, field)))
    _optional(out, "rotation_enabled", secret.rotation_enabled)
    if secret.rotation_rules is not None:
        out["rotation_rules"] = dict(secret.rotation_rules)
    if secret.tags is not None:
        out["tags"] = dict(secret.tags)
    if secret.replicas:
        out["replicas"] = [
            {
                "region": r.region,
                "kms_key_id": r.kms_key_id,
                "status": r.status,
                "status_message": r.status_message,
                "last_accessed_date": _date(r.last_accessed_date),
            }
            for r in secret.replicas.values()
        ]
    if secret.cross_account_replicas:
        out["cross_account_replicas"] = [
            {"replica_arn": link.replica_arn, "role_arn": link.role_arn, "status": link.status}
            for link in secret.cross_account_replicas.values()
        ]
    primary = secret.source()
    if primary is not None:
        out["versions_of"] = primary.arn
    else:
        out["versions"] = [_version(v) for v in secret.version_list()]
        collected = secret.collected_ids()
        if collected:
            out["collected"] = sorted(collected)
    return out


def dump(stores: Mapping[tuple[str, str], Store]) -> dict[str, Any]:
    """The state of ``stores`` ((account, region) -> store) in the format above."""
    out = []
    for (account_id, region), store in stores.items():
        secrets = [_secret(s) for s in store.secrets()]
        if secrets:
            out.append({"account_id": account_id, "region": region, "secrets": secrets})
    return {"format": FORMAT, "version": VERSION, "stores": out}


# -- load -----------------------------------------------------------------------------------------


class _Reader:
    """Typed access to one JSON object, naming the path of whatever is wrong."""

    __slots__ = ("data", "path")

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise _invalid(path, f"expected an object, got {_kind(data)}")
        self.data: dict[str, Any] = data
        self.path = path

    def _get(self, key: str, kind: type | tuple[type, ...], required: bool) -> Any:
        value = self.data.get(key)
        if value is None:
            if required:
                raise _invalid(f"{self.path}.{key}", "missing")
            return None
        if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
            raise _invalid(f"{self.path}.{key}", f"expected {_name(kind)}, got {_kind(value)}")
        return value

    def text(self, key: str, required: bool = False) -> Any:
        return self._get(key, str, required)

    def flag(self, key: str) -> bool | None:
        value: bool | None = self._get(key, bool, False)
        return value

    def date(self, key: str, required: bool = False) -> datetime.datetime | None:
        text = self._get(key, str, required)
        if text is None:
            return None
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise _invalid(f"{self.path}.{key}", f"expected an ISO 8601 date with offset: {text!r}")
        return moment.astimezone(datetime.timezone.utc)

    def items(self, key: str, required: bool = False) -> list[_Reader]:
        values = self._get(key, list, required) or []
        return [_Reader(v, f"{self.path}.{key}[{i}]") for i, v in enumerate(values)]

    def strings(self, key: str) -> list[str]:
        values = self._get(key, list, False) or []
        for index, value in enumerate(values):
            if not isinstance(value, str):
                raise _invalid(
                    f"{self.path}.{key}[{index}]", f"expected a string, got {_kind(value)}"
                )
        return values

    def mapping(self, key: str) -> dict[str, Any] | None:
        value: dict[str, Any] | None = self._get(key, dict, False)
        return value


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", bool: "true or false", list: "a list", dict: "an object"}
    return names.get(kind, str(kind)) if isinstance(kind, type) else "a value"


def _invalid(path: str, problem: str) -> ValueError:
    return ValueError(f"Invalid smmock state at {path}: {problem}.")


def _read(source: Mapping[str, Any] | str | os.PathLike[str]) -> Any:
    if isinstance(source, Mapping):
        return source
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(
            f"load() takes a dict from dump() or the path of a JSON file, not {source!r}."
        )
    with open(source, encoding="utf-8") as file:
        text = file.read()
    try:
        return json.loads(text)
    except ValueError as error:
        raise ValueError(f"{os.fspath(source)!s} is not a JSON smmock state: {error}.") from None


def _header(data: Any) -> _Reader:
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise ValueError(
            f'Not an smmock state: expected an object with "format": "{FORMAT}" '
            "as written by SecretsBackend.dump()."
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _invalid("version", f"expected a positive integer, got {version!r}")
    if version > VERSION:
        raise ValueError(
            f"This smmock state has format version {version}, newer than this smmock "
            f"reads ({VERSION}): upgrade smmock to load it."
        )
    return _Reader(dict(data), "state")


def _build_version(item: _Reader) -> tuple[SecretVersion, list[str]]:
    string, binary = item.text("string"), item.text("binary")
    if string is not None and binary is not None:
        raise _invalid(item.path, "a version holds a string or a binary value, not both")
    blob = None
    if binary is not None:
        try:
            blob = base64.b64decode(binary, validate=True)
        except (binascii.Error, ValueError):
            raise _invalid(f"{item.path}.binary", "expected base64") from None
    created = item.date("created_date", required=True)
    assert created is not None
    version = SecretVersion(
        item.text("version_id", required=True),
        string,
        blob,
        created,
        last_accessed_date=item.date("last_accessed_date"),
        kms_key_id=item.text("kms_key_id"),
    )
    return version, item.strings("stages")


def _build_secret(item: _Reader, store: Store) -> tuple[Secret, str | None]:
    name, suffix = item.text("name", required=True), item.text("suffix", required=True)
    if not _NAME_RE.fullmatch(name):
        raise _invalid(f"{item.path}.name", f"{name!r} is not a valid secret name")
    if not _SUFFIX_RE.fullmatch(suffix):
        raise _invalid(f"{item.path}.suffix", f"expected 6 letters or digits, got {suffix!r}")
    created = item.date("created_date", required=True)
    assert created is not None
    secret = Secret(name, store.home, suffix, created, item.date("last_changed_date"))
    secret.last_accessed_date = item.date("last_accessed_date")
    for field in _TEXT:
        setattr(secret, field, item.text(field))
    for field in _DATES:
        setattr(secret, field, item.date(field))
    secret.rotation_enabled = item.flag("rotation_enabled")
    secret.rotation_rules = item.mapping("rotation_rules")
    tags = item.mapping("tags")
    if tags is not None:
        if not all(isinstance(v, str) for v in tags.values()):
            raise _invalid(f"{item.path}.tags", "expected string values")
        secret.tags = dict(tags)
    for entry in item.items("replicas"):
        replica = Replica(entry.text("region", required=True), entry.text("kms_key_id"))
        replica.status = entry.text("status") or replica.status
        replica.status_message = entry.text("status_message") or replica.status_message
        replica.last_accessed_date = entry.date("last_accessed_date")
        secret.set_replica(replica.region, replica)
    for entry in item.items("cross_account_replicas"):
        link = CrossAccountLink(entry.text("replica_arn", required=True), entry.text("role_arn"))
        link.status = entry.text("status") or link.status
        secret.set_cross_account_link(link)
    versions_of = item.text("versions_of")
    if versions_of is not None and "versions" in item.data:
        raise _invalid(item.path, "a secret has versions or versions_of, not both")
    held: set[str] = set()
    for entry in item.items("versions"):
        version, stages = _build_version(entry)
        if secret.version(version.version_id) is not None:
            raise _invalid(f"{entry.path}.version_id", f"{version.version_id!r} appears twice")
        secret.add_version(version)
        for label in stages:
            if label in held:
                raise _invalid(f"{entry.path}.stages", f"label {label!r} is on two versions")
            held.add(label)
            attach(secret, label, version)
    for version_id in item.strings("collected"):
        secret.record_collected(version_id)
    return secret, versions_of


def load(
    source: Mapping[str, Any] | str | os.PathLike[str],
    make_store: Callable[[str, str], _StoreT],
) -> dict[tuple[str, str], _StoreT]:
    """New stores ((account, region) -> store, made by ``make_store``) holding the state
    in ``source``: a dict from :func:`dump` or the path of a JSON file holding one."""
    state = _header(_read(source))
    stores: dict[tuple[str, str], _StoreT] = {}
    by_arn: dict[str, Secret] = {}
    replicas: list[tuple[Secret, str, str]] = []
    for entry in state.items("stores", required=True):
        key = (entry.text("account_id", required=True), entry.text("region", required=True))
        if not _ACCOUNT_RE.fullmatch(key[0]):
            raise _invalid(f"{entry.path}.account_id", f"expected 12 digits, got {key[0]!r}")
        if key in stores:
            raise _invalid(f"{entry.path}", f"account {key[0]} in {key[1]} appears twice")
        store = stores[key] = make_store(*key)
        names: set[str] = set()
        for item in entry.items("secrets"):
            secret, versions_of = _build_secret(item, store)
            if secret.name in names:
                raise _invalid(f"{item.path}.name", f"{secret.name!r} appears twice")
            names.add(secret.name)
            store.insert(secret)
            by_arn[secret.arn] = secret
            if versions_of is not None:
                replicas.append((secret, versions_of, item.path))
    for replica, primary_arn, path in replicas:
        primary = by_arn.get(primary_arn)
        if primary is None or primary is replica or primary.source() is not None:
            raise _invalid(f"{path}.versions_of", f"no primary secret {primary_arn!r} in the state")
        replica.show_versions_of(primary)
    return stores
