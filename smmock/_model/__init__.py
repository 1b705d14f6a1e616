"""The state of one secret: its versions and staging labels, in a compact layout.

Label rules live here, in one place, because every operation that moves a label
(PutSecretValue, UpdateSecret, UpdateSecretVersionStage, RotateSecret) must obey the same
ones: a label is on at most one version, ``AWSCURRENT`` leaving a version puts
``AWSPREVIOUS`` there, and a version with no label left is deprecated.

Memory matters here: a test suite or a load script may hold tens of thousands of
secrets, and every byte of bookkeeping is paid per secret. So the layout is compact,
and everything outside this module goes through the methods, never the representation:

* The labels live only on the versions (``stages``, an immutable tuple; the common ones
  are shared objects). Who holds a label is found by scanning the versions, newest
  first: a secret has few versions, and the current one is nearly always the newest.
* A secret with one version holds it directly; a list appears with the second one.
* A replica holds its primary instead of versions, so it always shows exactly the
  primary's versions and labels.
* The ARN is built from the secret's :class:`Home` (account and region, shared by all
  secrets there) and its 6-character suffix.
* Rarely set metadata (description, tags, rotation, replication, deletion dates) lives
  in one dict that exists only once something is set.
"""

from __future__ import annotations

import datetime
import itertools
import weakref
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar, overload

from smmock import _clock
from smmock.exceptions import LimitExceededException

AWSCURRENT = "AWSCURRENT"
AWSPREVIOUS = "AWSPREVIOUS"
AWSPENDING = "AWSPENDING"
_NONE: Mapping[str, Any] = MappingProxyType({})
_NO_IDS: frozenset[str] = frozenset()

Stages = tuple[str, ...]
# Every ordering of AWS's own labels, one shared tuple each: most versions carry one of
# these, and a tuple per version would cost 48 bytes.
_SHARED_STAGES: dict[Stages, Stages] = {
    combination: combination
    for size in range(1, 4)
    for combination in itertools.permutations((AWSCURRENT, AWSPREVIOUS, AWSPENDING), size)
}


def _stages(stages: Stages) -> Stages:
    return _SHARED_STAGES.get(stages, stages)


def partition(region: str) -> str:
    """The AWS partition a region belongs to (``aws``, ``aws-cn`` or ``aws-us-gov``)."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


class Home:
    """Where secrets live: one account in one region, and the ARN prefix that gives them.

    One shared object per (account, region) (see :func:`home`), so a secret pays one
    reference for all three.
    """

    __slots__ = ("__weakref__", "account_id", "arn_prefix", "region")

    def __init__(self, account_id: str, region: str) -> None:
        self.account_id = account_id
        self.region = region
        self.arn_prefix = f"arn:{partition(region)}:secretsmanager:{region}:{account_id}:secret:"

    def __repr__(self) -> str:
        return f"Home({self.account_id!r}, {self.region!r})"


# Weak: a Home lives as long as a store or secret uses it, so the throwaway stores that
# answer ARNs of unknown accounts and regions leave nothing behind.
_HOMES: weakref.WeakValueDictionary[tuple[str, str], Home] = weakref.WeakValueDictionary()


def home(account_id: str, region: str) -> Home:
    """The shared :class:`Home` of ``account_id`` in ``region``."""
    key = (account_id, region)
    found = _HOMES.get(key)
    if found is None:
        # setdefault: two threads creating the first secret of a region share one Home.
        found = _HOMES.setdefault(key, Home(account_id, region))
    return found


class SecretVersion:
    """One version of a secret's value.

    A version made by RotateSecret's first step holds no value until the rotation
    function's ``createSecret`` step fills it. ``stages`` keeps attachment order; change
    it only through :func:`attach` and :func:`detach`.
    """

    # One slot for the value (a version holds a string or bytes, never both).
    __slots__ = (
        "_value",
        "created_date",
        "kms_key_id",
        "last_accessed_date",
        "stages",
        "version_id",
    )

    def __init__(
        self,
        version_id: str,
        secret_string: str | None,
        secret_binary: bytes | None,
        created_date: datetime.datetime,
        stages: Stages = (),
        last_accessed_date: datetime.datetime | None = None,
        kms_key_id: str | None = None,
    ) -> None:
        self.version_id = version_id
        self._value: str | bytes | None = _value(secret_string, secret_binary)
        self.created_date = created_date
        self.stages = stages
        self.last_accessed_date = last_accessed_date
        self.kms_key_id = kms_key_id

    @property
    def value(self) -> str | bytes | None:
        """The value: a string, bytes, or None for RotateSecret's empty stub."""
        return self._value

    @property
    def secret_string(self) -> str | None:
        """The string value, or None for a binary or empty version."""
        value = self._value
        return value if isinstance(value, str) else None

    @property
    def secret_binary(self) -> bytes | None:
        """The binary value, or None for a string or empty version."""
        value = self._value
        return value if isinstance(value, bytes) else None

    def set_value(self, secret_string: str | None, secret_binary: bytes | None) -> None:
        """Fill the value (of RotateSecret's empty AWSPENDING stub)."""
        self._value = _value(secret_string, secret_binary)

    @property
    def deprecated(self) -> bool:
        """True when no staging label is attached (AWS hides it from default listings)."""
        return not self.stages

    @property
    def has_value(self) -> bool:
        """False for the empty AWSPENDING stub RotateSecret creates."""
        return self._value is not None

    def same_value(self, secret_string: str | None, secret_binary: bytes | None) -> bool:
        """Whether a retried request carries exactly this version's value."""
        return self.secret_string == secret_string and self.secret_binary == secret_binary

    def copy(self) -> SecretVersion:
        """An independent copy (a promoted replica's own versions)."""
        twin = SecretVersion(self.version_id, None, None, self.created_date, self.stages)
        twin._value = self._value
        twin.last_accessed_date = self.last_accessed_date
        twin.kms_key_id = self.kms_key_id
        return twin

    def __repr__(self) -> str:
        # Never show the value: reprs end up in logs and assertion output.
        return f"SecretVersion(version_id={self.version_id!r}, stages={self.stages!r})"


def _value(secret_string: str | None, secret_binary: bytes | None) -> str | bytes | None:
    # One slot holds either; the operations refuse both at once before they get here.
    assert secret_string is None or secret_binary is None, "a version holds one value"
    if secret_binary is None:
        return secret_string
    # A bytearray or memoryview from the typed seeding API is stored as the bytes it holds.
    return secret_binary if type(secret_binary) is bytes else bytes(secret_binary)


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


MAX_LABELS = 20


def check_label_quota(secret: Secret, stages: Iterable[str], version: SecretVersion | None) -> None:
    """AWS quota: at most 20 staging labels across one secret's versions.

    Counts what attaching ``stages`` to ``version`` (None: a new version) would leave,
    including the AWSPREVIOUS that moving AWSCURRENT creates and the AWSPENDING it drops.
    """
    stages = set(stages)
    held = {label for v in secret.version_list() for label in v.stages}
    labels = held | stages
    holder = secret.holder(AWSCURRENT)
    if AWSCURRENT in stages and holder is not None and holder is not version:
        # attach() gives the old current AWSPREVIOUS and takes its AWSPENDING away.
        labels.add(AWSPREVIOUS)
        if AWSPENDING in holder.stages and AWSPENDING not in stages:
            labels.discard(AWSPENDING)
    if len(labels) > MAX_LABELS:
        raise LimitExceededException(
            f"A secret can have at most {MAX_LABELS} staging labels across its versions; "
            f"it has {len(held)}."
        )


def _without(version: SecretVersion, label: str) -> None:
    version.stages = _stages(tuple(s for s in version.stages if s != label))


def detach(secret: Secret, label: str) -> SecretVersion | None:
    """Remove ``label`` from whichever version holds it; return that version."""
    holder = secret.holder(label)
    if holder is not None:
        _without(holder, label)
    return holder


def attach(secret: Secret, label: str, version: SecretVersion) -> None:
    """Put ``label`` on ``version``, taking it off any other holder.

    Moving AWSCURRENT applies AWS's rotation bookkeeping: the old holder gets AWSPREVIOUS
    (taken from whoever had it) and drops AWSPENDING, whose job ended when it became
    current.
    """
    holder = secret.holder(label)
    if holder is version:
        return
    if holder is not None:
        _without(holder, label)
    version.stages = _stages((*version.stages, label))
    if label == AWSCURRENT and holder is not None:
        if AWSPENDING in holder.stages:
            _without(holder, AWSPENDING)
        attach(secret, AWSPREVIOUS, holder)


def new_version(
    version_id: str,
    secret_string: str | None,
    secret_binary: bytes | None,
    kms_key_id: str | None,
    created_date: datetime.datetime | None = None,
) -> SecretVersion:
    """A fresh, unlabelled version stamped with ``created_date`` (default: now)."""
    return SecretVersion(
        version_id,
        secret_string,
        secret_binary,
        created_date or _clock.now(),
        kms_key_id=kms_key_id,
    )
