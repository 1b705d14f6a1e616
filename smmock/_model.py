"""The state of one secret: its versions and staging labels, as slotted dataclasses.

Label rules live here, in one place, because every operation that moves a label
(PutSecretValue, UpdateSecret, UpdateSecretVersionStage, RotateSecret) must obey the same
ones: a label is on at most one version, ``AWSCURRENT`` leaving a version puts
``AWSPREVIOUS`` there, and a version with no label left is deprecated.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from smmock import _clock
from smmock.exceptions import LimitExceededException

AWSCURRENT = "AWSCURRENT"
AWSPREVIOUS = "AWSPREVIOUS"
AWSPENDING = "AWSPENDING"
_NONE: Mapping[str, Any] = MappingProxyType({})


@dataclass(slots=True, eq=False)
class SecretVersion:
    """One version of a secret's value.

    A version made by RotateSecret's first step holds no value until the rotation
    function's ``createSecret`` step fills it. ``stages`` keeps attachment order.
    """

    version_id: str
    secret_string: str | None
    secret_binary: bytes | None
    created_date: datetime.datetime
    stages: list[str] = field(default_factory=list)
    last_accessed_date: datetime.datetime | None = None
    kms_key_id: str | None = None

    @property
    def deprecated(self) -> bool:
        """True when no staging label is attached (AWS hides it from default listings)."""
        return not self.stages

    @property
    def has_value(self) -> bool:
        """False for the empty AWSPENDING stub RotateSecret creates."""
        return self.secret_string is not None or self.secret_binary is not None

    def same_value(self, secret_string: str | None, secret_binary: bytes | None) -> bool:
        """Whether a retried request carries exactly this version's value."""
        return self.secret_string == secret_string and self.secret_binary == secret_binary

    def __repr__(self) -> str:
        # Never show the value: reprs end up in logs and assertion output.
        return f"SecretVersion(version_id={self.version_id!r}, stages={self.stages!r})"


@dataclass(slots=True, eq=False)
class Secret:
    """One secret in one account and region, with all its metadata and versions."""

    name: str
    arn: str
    account_id: str
    region: str
    created_date: datetime.datetime
    last_changed_date: datetime.datetime
    description: str | None = None
    kms_key_id: str | None = None
    tags: dict[str, str] | None = None
    last_accessed_date: datetime.datetime | None = None
    deleted_date: datetime.datetime | None = None
    deletion_date: datetime.datetime | None = None
    rotation_enabled: bool | None = None
    rotation_lambda_arn: str | None = None
    rotation_rules: dict[str, Any] | None = None
    last_rotated_date: datetime.datetime | None = None
    next_rotation_date: datetime.datetime | None = None
    resource_policy: str | None = None
    owning_service: str | None = None
    secret_type: str | None = None
    primary_region: str | None = None
    # Read-only mappings, shared and empty until the secret is replicated (most never
    # are: two empty dicts per secret cost 128 bytes). Change them through the methods.
    replicas: Mapping[str, Replica] = field(default_factory=lambda: _NONE)
    # Cross-account replication: on a replica, the primary's ARN and the link status;
    # on a primary, its (at most one) replica's ARN -> link.
    cross_account_primary_arn: str | None = None
    cross_account_status: str | None = None
    cross_account_replicas: Mapping[str, CrossAccountLink] = field(default_factory=lambda: _NONE)
    versions: dict[str, SecretVersion] = field(default_factory=dict)
    labels: dict[str, SecretVersion] = field(default_factory=dict)
    # Ids of versions the quota collected (GetSecretValue names them "deleted"). Rarely
    # non-empty: a shared empty frozenset saves a set per secret.
    collected_version_ids: frozenset[str] | set[str] = frozenset()

    @property
    def scheduled_for_deletion(self) -> bool:
        """True between DeleteSecret (with a recovery window) and purge or RestoreSecret."""
        return self.deletion_date is not None

    @property
    def current(self) -> SecretVersion | None:
        """The version holding AWSCURRENT, or None for a secret without versions."""
        return self.labels.get(AWSCURRENT)

    @property
    def is_replica(self) -> bool:
        """True for a replica of a primary in another region or another account."""
        return (
            self.primary_region is not None and self.primary_region != self.region
        ) or self.cross_account_primary_arn is not None

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

    def version_stages(self) -> dict[str, list[str]]:
        """VersionId -> labels for labelled versions only, in version order."""
        return {v.version_id: list(v.stages) for v in self.versions.values() if v.stages}

    def __repr__(self) -> str:
        return f"Secret(name={self.name!r}, arn={self.arn!r}, versions={len(self.versions)})"


@dataclass(slots=True, eq=False)
class Replica:
    """A replica of this secret in another region, as the primary sees it."""

    region: str
    kms_key_id: str | None = None
    status: str = "InSync"
    status_message: str = "Replication succeeded"
    last_accessed_date: datetime.datetime | None = None


@dataclass(slots=True, eq=False)
class CrossAccountLink:
    """A primary's link to its replica secret in another account."""

    replica_arn: str
    role_arn: str | None = None
    status: str = "InSync"


MAX_LABELS = 20


def check_label_quota(secret: Secret, stages: Iterable[str], version: SecretVersion | None) -> None:
    """AWS quota: at most 20 staging labels across one secret's versions.

    Counts what attaching ``stages`` to ``version`` (None: a new version) would leave,
    including the AWSPREVIOUS that moving AWSCURRENT creates and the AWSPENDING it drops.
    """
    stages = set(stages)
    labels = set(secret.labels) | stages
    holder = secret.labels.get(AWSCURRENT)
    if AWSCURRENT in stages and holder is not None and holder is not version:
        # attach() gives the old current AWSPREVIOUS and takes its AWSPENDING away.
        labels.add(AWSPREVIOUS)
        if secret.labels.get(AWSPENDING) is holder and AWSPENDING not in stages:
            labels.discard(AWSPENDING)
    if len(labels) > MAX_LABELS:
        raise LimitExceededException(
            f"A secret can have at most {MAX_LABELS} staging labels across its versions; "
            f"it has {len(secret.labels)}."
        )


def detach(secret: Secret, label: str) -> SecretVersion | None:
    """Remove ``label`` from whichever version holds it; return that version."""
    holder = secret.labels.pop(label, None)
    if holder is not None:
        holder.stages.remove(label)
    return holder


def attach(secret: Secret, label: str, version: SecretVersion) -> None:
    """Put ``label`` on ``version``, taking it off any other holder.

    Moving AWSCURRENT applies AWS's rotation bookkeeping: the old holder gets AWSPREVIOUS
    (taken from whoever had it) and drops AWSPENDING, whose job ended when it became
    current.
    """
    holder = secret.labels.get(label)
    if holder is version:
        return
    detach(secret, label)
    secret.labels[label] = version
    version.stages.append(label)
    if label == AWSCURRENT and holder is not None:
        if secret.labels.get(AWSPENDING) is holder:
            detach(secret, AWSPENDING)
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
        version_id=version_id,
        secret_string=secret_string,
        secret_binary=secret_binary,
        created_date=created_date or _clock.now(),
        kms_key_id=kms_key_id,
    )
