"""A secret: its identity, rarely set metadata, versions, replicas and links.

A secret with one version holds it directly, a list appears with the second, and a
replica holds its primary instead, so it always shows the primary's versions. Rarely set
metadata lives in one ``extra`` dict that exists only once something is set.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar, overload

from smmock._model.homes import Home
from smmock._model.version import AWSCURRENT, SecretVersion

_NONE: Mapping[str, Any] = MappingProxyType({})
_NO_IDS: frozenset[str] = frozenset()

_T = TypeVar("_T")


class _Rare(Generic[_T]):
    """A Secret attribute stored in the secret's ``extra`` dict, absent while default."""

    __slots__ = ("default", "key")

    def __init__(self, default: _T) -> None:
        self.default = default
        self.key = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _Rare[_T]: ...

    @overload
    def __get__(self, obj: Secret, owner: type | None = None) -> _T: ...

    def __get__(self, obj: Secret | None, owner: type | None = None) -> _T | _Rare[_T]:
        if obj is None:
            return self
        extra = obj.extra
        if extra is None:
            return self.default
        value: _T = extra.get(self.key, self.default)
        return value

    def __set__(self, obj: Secret, value: _T) -> None:
        extra = obj.extra
        if value is self.default:
            if extra is not None:
                extra.pop(self.key, None)
                if not extra:
                    obj.extra = None
        elif extra is None:
            obj.extra = {self.key: value}
        else:
            extra[self.key] = value


class Secret:
    """One secret in one account and region, with all its metadata and versions.

    ``versions`` and ``labels`` are read-only views built on demand; the operations
    change versions through :meth:`add_version`, :meth:`remove_version`, :func:`attach`
    and :func:`detach`.
    """

    __slots__ = (
        "_home",
        "_suffix",
        "_versions",
        "created_date",
        "extra",
        "last_accessed_date",
        "last_changed_date",
        "name",
    )

    description = _Rare[str | None](None)
    kms_key_id = _Rare[str | None](None)
    tags = _Rare[dict[str, str] | None](None)
    deleted_date = _Rare[datetime.datetime | None](None)
    deletion_date = _Rare[datetime.datetime | None](None)
    rotation_enabled = _Rare[bool | None](None)
    rotation_lambda_arn = _Rare[str | None](None)
    rotation_rules = _Rare[dict[str, Any] | None](None)
    last_rotated_date = _Rare[datetime.datetime | None](None)
    next_rotation_date = _Rare[datetime.datetime | None](None)
    resource_policy = _Rare[str | None](None)
    owning_service = _Rare[str | None](None)
    secret_type = _Rare[str | None](None)
    primary_region = _Rare[str | None](None)
    # Read-only mappings; change them through the methods.
    replicas = _Rare[Mapping[str, "Replica"]](_NONE)
    # Cross-account replication: on a replica, the primary's ARN and the link status;
    # on a primary, its (at most one) replica's ARN -> link.
    cross_account_primary_arn = _Rare[str | None](None)
    cross_account_status = _Rare[str | None](None)
    cross_account_replicas = _Rare[Mapping[str, "CrossAccountLink"]](_NONE)
    # Ids of versions the quota collected (GetSecretValue names them "deleted").
    _collected = _Rare[frozenset[str] | set[str]](_NO_IDS)

    def __init__(
        self,
        name: str,
        home: Home,
        suffix: str,
        created_date: datetime.datetime,
        last_changed_date: datetime.datetime | None = None,
    ) -> None:
        self.name = name
        self._home = home
        self._suffix = suffix
        self.created_date = created_date
        self.last_changed_date = created_date if last_changed_date is None else last_changed_date
        self.last_accessed_date: datetime.datetime | None = None
        # None (no version yet), the only version, a list of them in creation order, or
        # for a replica the primary whose versions it shows.
        self._versions: SecretVersion | list[SecretVersion] | Secret | None = None
        # Rarely set metadata by attribute name; None while every such attribute is at
        # its default, which lets hot paths skip them all with one test.
        self.extra: dict[str, Any] | None = None

    # -- identity ------------------------------------------------------------------------

    @property
    def arn(self) -> str:
        """The secret's ARN: its home's prefix, the name, ``-`` and the 6-character suffix."""
        return f"{self._home.arn_prefix}{self.name}-{self._suffix}"

    @property
    def account_id(self) -> str:
        """The account the secret belongs to."""
        return self._home.account_id

    @property
    def region(self) -> str:
        """The region the secret lives in."""
        return self._home.region

    @property
    def suffix(self) -> str:
        """The 6 random characters AWS appends to the name in the ARN."""
        return self._suffix

    @property
    def scheduled_for_deletion(self) -> bool:
        """True between DeleteSecret (with a recovery window) and purge or RestoreSecret."""
        return self.deletion_date is not None

    @property
    def is_replica(self) -> bool:
        """True for a replica of a primary in another region or another account."""
        primary_region = self.primary_region
        return (
            primary_region is not None and primary_region != self.region
        ) or self.cross_account_primary_arn is not None

    # -- versions and labels -------------------------------------------------------------

    def _owner(self) -> Secret:
        versions = self._versions
        return versions if isinstance(versions, Secret) else self

    def version_list(self) -> list[SecretVersion]:
        """The versions, oldest first (a new list)."""
        versions = self._versions
        if isinstance(versions, Secret):
            versions = versions._versions
        if versions is None:
            return []
        if isinstance(versions, SecretVersion):
            return [versions]
        assert isinstance(versions, list)
        return list(versions)

    def version_count(self) -> int:
        """How many versions the secret has, deprecated ones included."""
        versions = self._owner()._versions
        if versions is None:
            return 0
        return len(versions) if isinstance(versions, list) else 1

    def version(self, version_id: str) -> SecretVersion | None:
        """The version with id ``version_id``, or None."""
        versions = self._versions
        if isinstance(versions, list):
            for version in versions:
                if version.version_id == version_id:
                    return version
            return None
        if isinstance(versions, Secret):
            return versions.version(version_id)
        if versions is None or versions.version_id != version_id:
            return None
        return versions

    def holder(self, label: str) -> SecretVersion | None:
        """The version carrying staging label ``label``, or None."""
        versions = self._versions
        if isinstance(versions, list):
            # Newest first: the current version is nearly always the last one added.
            for version in reversed(versions):
                if label in version.stages:
                    return version
            return None
        if isinstance(versions, Secret):
            return versions.holder(label)
        if versions is None or label not in versions.stages:
            return None
        return versions

    @property
    def current(self) -> SecretVersion | None:
        """The version holding AWSCURRENT, or None for a secret without versions."""
        return self.holder(AWSCURRENT)

    @property
    def versions(self) -> Mapping[str, SecretVersion]:
        """VersionId -> version, oldest first (a read-only snapshot)."""
        return MappingProxyType({v.version_id: v for v in self.version_list()})

    @property
    def labels(self) -> Mapping[str, SecretVersion]:
        """Staging label -> the version carrying it (a read-only snapshot)."""
        return MappingProxyType({label: v for v in self.version_list() for label in v.stages})

    def version_stages(self) -> dict[str, list[str]]:
        """VersionId -> labels for labelled versions only, in version order."""
        return {v.version_id: list(v.stages) for v in self.version_list() if v.stages}

    def add_version(self, version: SecretVersion) -> None:
        """Append a version (the newest)."""
        versions = self._versions
        assert not isinstance(versions, Secret), "a replica's versions are its primary's"
        if versions is None:
            self._versions = version
        elif isinstance(versions, SecretVersion):
            self._versions = [versions, version]
        else:
            versions.append(version)

    def remove_version(self, version: SecretVersion) -> None:
        """Forget a version (a collected or abandoned one); no-op if it is not here."""
        versions = self._versions
        assert not isinstance(versions, Secret), "a replica's versions are its primary's"
        if versions is version:
            self._versions = None
        elif isinstance(versions, list) and version in versions:
            versions.remove(version)
            if len(versions) == 1:
                self._versions = versions[0]

    def was_collected(self, version_id: str) -> bool:
        """Whether the versions quota collected ``version_id`` from this secret."""
        return version_id in self._owner()._collected

    def collected_ids(self) -> frozenset[str]:
        """The version ids the versions quota collected (a replica: its primary's)."""
        return frozenset(self._owner()._collected)

    def record_collected(self, version_id: str) -> None:
        """Remember a version id the quota collected."""
        collected = self._collected
        if isinstance(collected, frozenset):
            # First collection: a set of its own, added to in place from then on.
            collected = set(collected)
            self._collected = collected
        collected.add(version_id)

    def source(self) -> Secret | None:
        """The primary whose versions this replica shows, or None."""
        versions = self._versions
        return versions if isinstance(versions, Secret) else None

    def show_versions_of(self, primary: Secret) -> None:
        """Make this replica show ``primary``'s versions and labels from now on.

        Never a chain: a replica shows the secret that owns the versions, which every
        lookup here relies on.
        """
        assert primary is not self, "a secret cannot show its own versions"
        self._versions = primary._owner()
        self._collected = _NO_IDS

    def own_versions(self) -> None:
        """Give a replica its own copy of the versions it showed (promotion, detachment)."""
        source = self._versions
        if not isinstance(source, Secret):
            return
        copies = [v.copy() for v in source.version_list()]
        self._versions = None if not copies else copies[0] if len(copies) == 1 else copies
        collected = source._collected
        self._collected = set(collected) if collected else _NO_IDS

    # -- replication bookkeeping ---------------------------------------------------------

    def set_replica(self, region: str, replica: Replica) -> None:
        """Record a replica in ``region`` (ReplicateSecretToRegions)."""
        self.replicas = {**self.replicas, region: replica}

    def drop_replica(self, region: str) -> Replica | None:
        """Forget the replica in ``region``; return it."""
        replicas = dict(self.replicas)
        dropped = replicas.pop(region, None)
        self.replicas = replicas or _NONE
        return dropped

    def set_cross_account_link(self, link: CrossAccountLink) -> None:
        """Record this primary's cross-account replica."""
        self.cross_account_replicas = {**self.cross_account_replicas, link.replica_arn: link}

    def drop_cross_account_link(self, replica_arn: str) -> None:
        """Forget a cross-account replica link."""
        links = dict(self.cross_account_replicas)
        links.pop(replica_arn, None)
        self.cross_account_replicas = links or _NONE

    def __repr__(self) -> str:
        return f"Secret(name={self.name!r}, arn={self.arn!r}, versions={self.version_count()})"


class Replica:
    """A replica of this secret in another region, as the primary sees it."""

    __slots__ = ("kms_key_id", "last_accessed_date", "region", "status", "status_message")

    def __init__(self, region: str, kms_key_id: str | None = None) -> None:
        self.region = region
        self.kms_key_id = kms_key_id
        self.status = "InSync"
        self.status_message = "Replication succeeded"
        self.last_accessed_date: datetime.datetime | None = None

    def __repr__(self) -> str:
        return f"Replica(region={self.region!r}, status={self.status!r})"


class CrossAccountLink:
    """A primary's link to its replica secret in another account."""

    __slots__ = ("replica_arn", "role_arn", "status")

    def __init__(self, replica_arn: str, role_arn: str | None = None) -> None:
        self.replica_arn = replica_arn
        self.role_arn = role_arn
        self.status = "InSync"

    def __repr__(self) -> str:
        return f"CrossAccountLink(replica_arn={self.replica_arn!r}, status={self.status!r})"
