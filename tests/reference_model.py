"""A deliberately simple Secrets Manager, in plain Python, for the stateful tests to compare with.

It knows the lifecycle and label rules of ``spec/secretsmanager.md`` and nothing of
smmock's code: versions are plain records with a set of labels, a label's holder is found
by scanning, and every operation checks everything before it changes anything, raising
:class:`Refused` with AWS's code and message when the call must fail. Where the spec
marks a point "(unconfirmed)", the model follows the decision the README documents for
smmock, so a difference here is a bug in one of the two, never a matter of taste.

One :class:`Service` is one account: a :class:`Store` per region, all on one clock.
Regional replication is modelled the plainest way there is: a replica is a secret in the
other region whose ``versions`` dict and ``collected`` set are *the very objects* of its
primary, so whatever happens to the primary's versions the replica shows at once, and
promotion gives it copies of its own. Metadata (description, tags, policy) is copied to
in-sync replicas by the call that changes it on the primary.

Time is the service's own ``now``, moved by the test together with the frozen clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

AWSCURRENT = "AWSCURRENT"
AWSPREVIOUS = "AWSPREVIOUS"
AWSPENDING = "AWSPENDING"
ROTATION_STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")

NOT_FOUND = "Secrets Manager can't find the specified secret."
MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)
NAME_SCHEDULED = (
    "You can't create this secret because a secret with this name is already scheduled for "
    "deletion."
)
WINDOW_RANGE = "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
FORCE_AND_WINDOW = (
    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
)
NO_FUNCTION = "No Lambda rotation function ARN is associated with this secret."
NOT_INVOCABLE = (
    "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function "
    "policy grants access to the principal secretsmanager.amazonaws.com."
)
INCOMPLETE = "A previous rotation isn't complete. That rotation will be reattempted."
STAGE_NOT_ON_VERSION = (
    "You provided a VersionStage that is not associated to the provided VersionId."
)
MUST_SPECIFY = "You must specify MoveToVersionId, RemoveFromVersionId, or both."
KEEP_CURRENT = (
    "You can only move staging label AWSCURRENT to a different secret version. It "
    "can\u2019t be completely removed."
)
TOO_MANY_VERSIONS = (
    "You can't create more than 100 versions of a secret while none of its deprecated "
    "versions is older than 24 hours."
)
MAX_VERSIONS = 100
DEPRECATED_GRACE = datetime.timedelta(hours=24)
NOT_PRIMARY = (
    "Operation not permitted on a replica secret. Call must be made in primary secret's region."
)
NOT_A_REPLICA = "StopReplicationToReplica must be called on a replica secret, in its region."
IN_SYNC = "Replication succeeded"
NAME_CLASH = "Replication failed: Secret name already exists in destination region."


class Refused(Exception):
    """The error AWS answers a call with: its code and exact message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def already_exists(name: str) -> Refused:
    return Refused(
        "ResourceExistsException", f"The operation failed because the secret {name} already exists."
    )


def token_in_use(token: str, arn: str) -> Refused:
    return Refused(
        "ResourceExistsException",
        f"You can't use ClientRequestToken {token} because that value is already in use for a "
        f"version of secret {arn}.",
    )


def unknown_version(version_id: str) -> Refused:
    return Refused(
        "InvalidParameterException",
        f"Secrets Manager can't find the specified secret version: {version_id}.",
    )


def bad_region(region: str) -> Refused:
    return Refused(
        "InvalidParameterException",
        f"Invalid replica region {region}: it must differ from the primary's region and "
        "appear once.",
    )


def midnight(moment: datetime.datetime) -> datetime.datetime:
    """LastAccessedDate has day granularity: 00:00 UTC of the access day."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


Value = str | bytes  # SecretString or SecretBinary; never equal to each other


@dataclass
class Version:
    version_id: str
    value: Value | None  # None: the empty stub RotateSecret makes
    created: datetime.datetime
    labels: set[str] = field(default_factory=set)
    accessed: datetime.datetime | None = None
    kms_key_id: str | None = None  # the secret's key when the version was made


@dataclass
class Replication:
    """One entry of a primary's ReplicationStatus."""

    region: str
    kms_key_id: str | None
    failed: bool  # the name was taken in that region: no replica was made
    accessed: datetime.datetime | None = None  # last read of the replica, by day


@dataclass
class Secret:
    name: str
    arn: str
    created: datetime.datetime
    changed: datetime.datetime
    description: str | None = None
    versions: dict[str, Version] = field(default_factory=dict)  # creation order
    collected: set[str] = field(default_factory=set)
    accessed: datetime.datetime | None = None
    deleted: datetime.datetime | None = None  # DeletedDate: when DeleteSecret ran
    purge_at: datetime.datetime | None = None  # DeletionDate: when it disappears
    rotation_enabled: bool | None = None
    rotation_arn: str | None = None
    rotated: datetime.datetime | None = None
    region: str = ""
    kms_key_id: str | None = None
    tags: dict[str, str] | None = None  # None: never tagged; {} once every tag was removed
    policy: str | None = None
    # A replica: its primary's region. A primary: its own region while it has replicas.
    primary_region: str | None = None
    replicas: dict[str, Replication] = field(default_factory=dict)  # on a primary

    @property
    def is_replica(self) -> bool:
        return self.primary_region not in (None, self.region)

    def holder(self, label: str) -> Version | None:
        found = [v for v in self.versions.values() if label in v.labels]
        assert len(found) <= 1, f"model broke its own rule: {label} on {len(found)} versions"
        return found[0] if found else None

    @property
    def scheduled(self) -> bool:
        return self.purge_at is not None

    def stages(self) -> dict[str, list[str]]:
        """VersionId -> sorted labels, labelled versions only."""
        return {v.version_id: sorted(v.labels) for v in self.versions.values() if v.labels}


@dataclass
class RotationPlan:
    """What the test's rotation function will do: the value it writes, the step at which
    it raises (None: it succeeds), and whether finishSecret also drops AWSPENDING."""

    value: str
    fail_at: str | None = None
    strip_pending: bool = False


@dataclass
class RotationOutcome:
    version_id: str
    steps: list[str]
    failed_step: str | None


class Service:
    """One account: a store per region (made on first use), all on one clock."""

    def __init__(
        self, now: datetime.datetime, account_id: str, max_versions: int = MAX_VERSIONS
    ) -> None:
        self.now = now
        self.account_id = account_id
        self.max_versions = max_versions
        self.stores: dict[str, Store] = {}

    def store(self, region: str) -> Store:
        if region not in self.stores:
            self.stores[region] = Store(self, region)
        return self.stores[region]

    def advance(self, delta: datetime.timedelta) -> None:
        self.now += delta
        for store in self.stores.values():
            store.purge()


class Store:
    """One region of the account: the secrets by name, live and scheduled, oldest first."""

    def __init__(self, service: Service, region: str) -> None:
        self.service = service
        self.region = region
        self.arn_prefix = f"arn:aws:secretsmanager:{region}:{service.account_id}:secret:"
        self.secrets: dict[str, Secret] = {}

    @property
    def now(self) -> datetime.datetime:
        return self.service.now

    # -- time and lookup ------------------------------------------------------------------

    def purge(self) -> None:
        for name in [n for n, s in self.secrets.items() if s.purge_at and self.now >= s.purge_at]:
            del self.secrets[name]

    def find(self, secret_id: str) -> Secret | None:
        self.purge()
        if not secret_id.startswith("arn:"):
            return self.secrets.get(secret_id)
        for secret in self.secrets.values():
            if secret_id in (secret.arn, self.arn_prefix + secret.name):
                return secret
        return None

    def live(self) -> Iterator[Secret]:
        self.purge()
        return iter(list(self.secrets.values()))

    def _get(self, secret_id: str) -> Secret:
        secret = self.find(secret_id)
        if secret is None:
            raise Refused("ResourceNotFoundException", NOT_FOUND)
        return secret

    def _active(self, secret_id: str) -> Secret:
        secret = self._get(secret_id)
        if secret.scheduled:
            raise Refused("InvalidRequestException", MARKED_FOR_DELETION)
        return secret

    def _writable(self, secret_id: str) -> Secret:
        """Writes go to the primary: a replica refuses every one."""
        secret = self._active(secret_id)
        if secret.is_replica:
            raise Refused("InvalidParameterException", NOT_PRIMARY)
        return secret

    # -- labels and versions --------------------------------------------------------------

    def _attach(self, secret: Secret, label: str, version: Version) -> None:
        old = secret.holder(label)
        if old is version:
            return
        if old is not None:
            old.labels.discard(label)
        version.labels.add(label)
        if label == AWSCURRENT and old is not None:
            # The version that stops being current becomes AWSPREVIOUS, and a finished
            # rotation's AWSPENDING on it is dropped, not moved.
            old.labels.discard(AWSPENDING)
            previous = secret.holder(AWSPREVIOUS)
            if previous is not None:
                previous.labels.discard(AWSPREVIOUS)
            old.labels.add(AWSPREVIOUS)

    def _make_room(self, secret: Secret) -> Callable[[], None]:
        """The version quota: past the limit the oldest deprecated version older than 24 h
        goes; if none qualifies the write is refused. Returns the deferred removal."""
        if len(secret.versions) < self.service.max_versions:
            return lambda: None
        cutoff = self.now - DEPRECATED_GRACE
        victim = next(
            (v for v in secret.versions.values() if not v.labels and v.created <= cutoff), None
        )
        if victim is None:
            raise Refused("LimitExceededException", TOO_MANY_VERSIONS)

        def collect() -> None:
            del secret.versions[victim.version_id]
            secret.collected.add(victim.version_id)

        return collect

    def _add(
        self, secret: Secret, version_id: str, value: Value | None, kms_key_id: str | None
    ) -> Version:
        collect = self._make_room(secret)
        version = Version(version_id, value, self.now, kms_key_id=kms_key_id)
        secret.versions[version_id] = version
        collect()
        return version

    # -- operations -----------------------------------------------------------------------

    def create(
        self,
        name: str,
        token: str,
        value: Value | None,
        description: str | None,
        arn: str,
        kms_key_id: str | None = None,
        regions: Sequence[tuple[str, str | None]] | None = None,
    ) -> tuple[Secret, Version | None, bool]:
        """CreateSecret; ``arn`` is the one the service chose (its suffix is random).
        ``regions`` is AddReplicaRegions as (Region, KmsKeyId) pairs.

        Returns (secret, version, created): ``created`` is False for an idempotent retry,
        which replicates nothing.
        """
        if regions is not None:
            self._check_regions({}, regions)
        existing = self.find(name)
        if existing is not None:
            if existing.scheduled:
                raise Refused("InvalidRequestException", NAME_SCHEDULED)
            version = existing.versions.get(token)
            if version is not None:
                if value is not None and version.value == value:
                    return existing, version, False
                raise token_in_use(token, existing.arn)
            raise already_exists(name)
        secret = Secret(name, arn, self.now, self.now, description or None, region=self.region)
        secret.kms_key_id = kms_key_id or None
        version = None
        if value is not None:
            version = Version(token, value, self.now, {AWSCURRENT}, kms_key_id=secret.kms_key_id)
            secret.versions[token] = version
        self.secrets[name] = secret
        if regions:
            self._replicate(secret, regions, force=False)
        return secret, version, True

    def put(
        self, secret_id: str, token: str, value: Value, stages: Sequence[str] | None
    ) -> tuple[Secret, Version]:
        """PutSecretValue: listed labels move to the version (default AWSCURRENT)."""
        secret = self._writable(secret_id)
        version = secret.versions.get(token)
        if version is not None and version.value is not None:
            if version.value != value:
                raise token_in_use(token, secret.arn)
            return secret, version  # a retry: nothing changes, whatever its stages
        labels = [AWSCURRENT] if stages is None else list(stages)
        if secret.holder(AWSCURRENT) is None and AWSCURRENT not in labels:
            labels.append(AWSCURRENT)  # a secret's first value is always current
        if version is None:
            version = self._add(secret, token, value, secret.kms_key_id)
        else:
            version.value = value  # RotateSecret's empty stub is filled
        for label in labels:
            self._attach(secret, label, version)
        if AWSCURRENT in labels:
            self._clear_stuck_rotation(secret, version)
        secret.changed = self.now
        return secret, version

    @staticmethod
    def _clear_stuck_rotation(secret: Secret, written: Version) -> None:
        """A value written by hand as AWSCURRENT clears a rotation stuck on another
        version (AWSPENDING without AWSCURRENT), so the next RotateSecret is accepted."""
        pending = secret.holder(AWSPENDING)
        if pending is not None and pending is not written and AWSCURRENT not in pending.labels:
            pending.labels.discard(AWSPENDING)

    def update(
        self,
        secret_id: str,
        token: str,
        value: Value | None,
        description: str | None,
        kms_key_id: str | None = None,
    ) -> tuple[Secret, Version | None]:
        """UpdateSecret: a value makes a new AWSCURRENT version; "" clears the description;
        a KmsKeyId ("" is the default key) applies to the secret and to the new version."""
        secret = self._writable(secret_id)
        key = secret.kms_key_id if kms_key_id is None else kms_key_id or None
        version = None
        if value is not None:
            version = secret.versions.get(token)
            if version is not None and version.value is not None:
                if version.value != value:
                    raise token_in_use(token, secret.arn)
                if description is None and kms_key_id is None:
                    # A retry: nothing changes on the secret. Its replicas still take its
                    # metadata and LastChangedDate, as after any UpdateSecret (_sync).
                    self._sync(secret)
                    return secret, version
            elif version is None:
                version = self._add(secret, token, value, key)
                self._attach(secret, AWSCURRENT, version)
                self._clear_stuck_rotation(secret, version)
            else:
                version.value = value
                self._attach(secret, AWSCURRENT, version)
                self._clear_stuck_rotation(secret, version)
        if description is not None:
            secret.description = description or None
        secret.kms_key_id = key
        secret.changed = self.now
        self._sync(secret)
        return secret, version

    def update_stage(
        self,
        secret_id: str,
        label: str,
        remove_from: str | None,
        move_to: str | None,
    ) -> Secret:
        """UpdateSecretVersionStage: move (both ids), attach (MoveTo) or detach (RemoveFrom)."""
        secret = self._writable(secret_id)
        holder = secret.holder(label)
        held_by = holder.version_id if holder is not None else None
        if remove_from is not None and remove_from != held_by:
            if remove_from not in secret.versions:
                raise unknown_version(remove_from)
            raise Refused(
                "InvalidParameterException",
                f"The staging label {label} is not attached to version {remove_from}, so you "
                "can't remove it from that version.",
            )
        if move_to is None:
            if remove_from is None:
                raise Refused("InvalidParameterException", MUST_SPECIFY)
            if label == AWSCURRENT:
                raise Refused("InvalidParameterException", KEEP_CURRENT)
            assert holder is not None
            holder.labels.discard(label)
        else:
            target = secret.versions.get(move_to)
            if target is None:
                raise unknown_version(move_to)
            if held_by is not None and held_by != move_to and remove_from is None:
                raise Refused(
                    "InvalidParameterException",
                    "The parameter RemoveFromVersionId can't be empty. Staging label "
                    f"{label} is currently attached to version {held_by}, so you must "
                    "explicitly reference that version in RemoveFromVersionId.",
                )
            self._attach(secret, label, target)
        secret.changed = self.now
        return secret

    def get_value(
        self, secret_id: str, version_id: str | None = None, stage: str | None = None
    ) -> tuple[Secret, Version]:
        """GetSecretValue by VersionId and/or VersionStage (default AWSCURRENT)."""
        secret = self._active(secret_id)
        if version_id is not None:
            version = secret.versions.get(version_id)
            if version is None or version.value is None:
                if version_id in secret.collected:
                    raise Refused(
                        "InvalidRequestException",
                        f"You can't perform this operation on secret version {version_id} "
                        "because it was deleted.",
                    )
                raise Refused(
                    "ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for VersionId: "
                    f"{version_id}",
                )
            if stage is not None and stage not in version.labels:
                raise Refused("InvalidRequestException", STAGE_NOT_ON_VERSION)
        else:
            label = stage or AWSCURRENT
            found = secret.holder(label)
            if found is None or found.value is None:
                raise Refused(
                    "ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for staging label: "
                    f"{label}",
                )
            version = found
        secret.accessed = version.accessed = midnight(self.now)
        if secret.is_replica:
            # The primary's ReplicationStatus shows the day of the last read of each replica.
            self._primary_of(secret).replicas[self.region].accessed = secret.accessed
        return secret, version

    def delete(
        self, secret_id: str, window: int | None, force: bool
    ) -> tuple[Secret | None, datetime.datetime]:
        """DeleteSecret; returns the secret (None for a force delete of an unknown id) and
        the DeletionDate. The window range is checked before the force/window conflict."""
        if window is not None and not 7 <= window <= 30:
            raise Refused("InvalidParameterException", WINDOW_RANGE)
        if force and window is not None:
            raise Refused("InvalidParameterException", FORCE_AND_WINDOW)
        if force:
            secret = self.find(secret_id)
            if secret is not None:
                self._check_deletable(secret)
                del self.secrets[secret.name]
            return secret, self.now
        secret = self._active(secret_id)
        self._check_deletable(secret)
        secret.deleted = self.now
        secret.purge_at = self.now + datetime.timedelta(days=30 if window is None else window)
        return secret, secret.purge_at

    @staticmethod
    def _check_deletable(secret: Secret) -> None:
        if secret.is_replica:
            raise Refused("InvalidParameterException", NOT_PRIMARY)
        if secret.replicas:  # failed ones too: they stay listed until removed
            raise Refused(
                "InvalidParameterException",
                f"You can't delete secret {secret.arn} that still has replica regions "
                f"[{', '.join(secret.replicas)}].",
            )

    def restore(self, secret_id: str) -> Secret:
        """RestoreSecret: cancel a scheduled deletion (a no-op on a live secret)."""
        secret = self._get(secret_id)
        secret.deleted = secret.purge_at = None
        return secret

    # -- tags and the resource policy -------------------------------------------------------

    def tag(self, secret_id: str, key: str, value: str) -> Secret:
        """TagResource with one tag: a key set again keeps its place."""
        secret = self._writable(secret_id)
        secret.tags = {**(secret.tags or {}), key: value}
        secret.changed = self.now
        self._sync(secret)
        return secret

    def untag(self, secret_id: str, key: str) -> Secret:
        """UntagResource: a never-tagged secret stays without Tags (and unchanged)."""
        secret = self._writable(secret_id)
        if secret.tags is not None:
            secret.tags = {k: v for k, v in secret.tags.items() if k != key}
            secret.changed = self.now
        self._sync(secret)
        return secret

    def put_policy(self, secret_id: str, policy: str) -> Secret:
        secret = self._writable(secret_id)
        secret.policy = policy
        secret.changed = self.now
        self._sync(secret)
        return secret

    def delete_policy(self, secret_id: str) -> Secret:
        secret = self._writable(secret_id)
        if secret.policy is not None:
            secret.policy = None
            secret.changed = self.now
        self._sync(secret)
        return secret

    def get_policy(self, secret_id: str) -> Secret:
        return self._active(secret_id)

    # -- replication --------------------------------------------------------------------------

    def _primary_of(self, replica: Secret) -> Secret:
        assert replica.primary_region is not None
        primary = self.service.store(replica.primary_region).find(replica.name)
        # A primary with replicas can be neither deleted nor replaced, so it is there.
        assert primary is not None
        assert self.region in primary.replicas
        return primary

    def _replica_of(self, primary: Secret, region: str) -> Secret:
        replica = self.service.store(region).find(primary.name)
        assert replica is not None
        assert replica.primary_region == self.region
        return replica

    def _sync(self, primary: Secret) -> None:
        """Description, tags and policy reach every in-sync replica, with the primary's
        LastChangedDate, whenever a call that sets them succeeds on the primary, even one
        that changed nothing there (an UpdateSecret retry, UntagResource on a never-tagged
        secret). The README says nothing of a replica's LastChangedDate; this is smmock's
        current behaviour: value writes and label moves on the primary leave it alone."""
        for region, entry in primary.replicas.items():
            if not entry.failed:
                replica = self._replica_of(primary, region)
                replica.description = primary.description
                replica.tags = None if primary.tags is None else dict(primary.tags)
                replica.policy = primary.policy
                replica.changed = primary.changed

    def _check_regions(
        self, replicas: dict[str, Replication], regions: Sequence[tuple[str, str | None]]
    ) -> None:
        seen: set[str] = set()
        for region, _ in regions:
            if region == self.region or region in seen:
                raise bad_region(region)
            if region in replicas:
                raise Refused(
                    "InvalidParameterException",
                    f"The secret is already replicated to region {region}.",
                )
            seen.add(region)

    def replicate(
        self, secret_id: str, regions: Sequence[tuple[str, str | None]], force: bool
    ) -> Secret:
        """ReplicateSecretToRegions, with (Region, KmsKeyId) pairs."""
        secret = self._active(secret_id)
        if secret.is_replica:
            raise Refused("InvalidParameterException", NOT_PRIMARY)
        self._check_regions(secret.replicas, regions)
        self._replicate(secret, regions, force)
        return secret

    def assign_arn(self, secret: Secret, arn: str) -> None:
        """The ARN the service chose for a new secret, and so for the replicas it made."""
        secret.arn = arn
        for region, entry in secret.replicas.items():
            if not entry.failed:
                self._replica_of(secret, region).arn = self._arn_in(region, arn)

    def _arn_in(self, region: str, arn: str) -> str:
        """A replica's ARN: its primary's, with the region swapped."""
        return arn.replace(f":{self.region}:", f":{region}:", 1)

    def _replicate(
        self, primary: Secret, regions: Sequence[tuple[str, str | None]], force: bool
    ) -> None:
        for region, kms_key_id in regions:
            target = self.service.store(region)
            taken = target.find(primary.name)
            entry = Replication(region, kms_key_id or None, failed=taken is not None and not force)
            primary.replicas[region] = entry
            if entry.failed:
                continue
            if taken is not None:
                del target.secrets[taken.name]  # ForceOverwriteReplicaSecret
            target.secrets[primary.name] = Secret(
                primary.name,
                self._arn_in(region, primary.arn),
                self.now,
                self.now,
                primary.description,
                # The same objects, not copies: a replica shows its primary's versions.
                versions=primary.versions,
                collected=primary.collected,
                region=region,
                kms_key_id=entry.kms_key_id,
                tags=None if primary.tags is None else dict(primary.tags),
                policy=primary.policy,
                primary_region=self.region,
            )
        primary.primary_region = self.region
        primary.changed = self.now

    def remove_regions(self, secret_id: str, regions: Sequence[str]) -> Secret:
        """RemoveRegionsFromReplication: the replicas go at once, without a window."""
        secret = self._active(secret_id)
        if secret.is_replica:
            raise Refused("InvalidParameterException", NOT_PRIMARY)
        seen: set[str] = set()
        for region in regions:
            if region not in secret.replicas:
                raise Refused(
                    "InvalidParameterException",
                    f"The secret isn't replicated to region {region}.",
                )
            if region in seen:
                raise Refused(
                    "InvalidParameterException",
                    f"Invalid replica region {region}: it must appear once.",
                )
            seen.add(region)
        for region in regions:
            entry = secret.replicas.pop(region)
            if not entry.failed:
                # A failed region's secret of that name is someone else's: it stays.
                del self.service.store(region).secrets[self._replica_of(secret, region).name]
        if not secret.replicas:
            secret.primary_region = None
        secret.changed = self.now
        return secret

    def stop_replication(self, secret_id: str) -> Secret:
        """StopReplicationToReplica, in the replica's region: a standalone secret with its
        own copy of the versions (and of the ids the quota collected)."""
        secret = self._active(secret_id)
        if not secret.is_replica:
            raise Refused("InvalidRequestException", NOT_A_REPLICA)
        primary = self._primary_of(secret)
        del primary.replicas[self.region]
        if not primary.replicas:
            primary.primary_region = None
        primary.changed = self.now
        secret.versions = {
            vid: replace(v, labels=set(v.labels)) for vid, v in secret.versions.items()
        }
        secret.collected = set(secret.collected)
        secret.primary_region = None
        secret.changed = self.now
        return secret

    def rotate(
        self,
        secret_id: str,
        token: str,
        function_arn: str | None,
        registered: set[str],
        plan: RotationPlan,
        immediately: bool,
    ) -> RotationOutcome:
        """RotateSecret running the test's rotation function, whose calls are replayed on
        the model itself: createSecret reads AWSCURRENT and puts the new value as
        AWSPENDING, testSecret reads it back, finishSecret moves AWSCURRENT onto it."""
        secret = self._writable(secret_id)
        function_arn = function_arn or secret.rotation_arn
        if not function_arn:
            raise Refused("InvalidRequestException", NO_FUNCTION)
        pending = secret.holder(AWSPENDING)
        retry = None
        if pending is not None and AWSCURRENT not in pending.labels:
            # Only RotateSecret with the stuck version's own token (and RotateImmediately)
            # attempts that rotation again.
            if not (immediately and pending.version_id == token):
                raise Refused("InvalidRequestException", INCOMPLETE)
            retry = pending
        if function_arn not in registered:
            raise Refused("AccessDeniedException", NOT_INVOCABLE)
        if retry is None and token in secret.versions:
            # RotateSecret's model has no ResourceExistsException; smmock answers the clash
            # (and the full versions quota) with InvalidRequest. AWS's answer is unconfirmed.
            clash = token_in_use(token, secret.arn)
            raise Refused("InvalidRequestException", clash.message)
        current = secret.holder(AWSCURRENT)
        if retry is None and (immediately or current is not None):
            try:
                self._make_room(secret)  # refuses before anything is saved
            except Refused as full:
                raise Refused("InvalidRequestException", full.message) from None
        secret.rotation_enabled = True
        secret.rotation_arn = function_arn
        outcome = RotationOutcome(token, [], None)
        if immediately:
            stub = retry or self._add(secret, token, None, secret.kms_key_id)
            self._attach(secret, AWSPENDING, stub)
            outcome.failed_step = self._run_steps(secret, token, plan, ROTATION_STEPS, outcome)
            if outcome.failed_step is None:
                secret.rotated = self.now
        elif current is not None:
            # RotateImmediately=false: testSecret alone, on a pending copy of the current
            # value that is dropped afterwards.
            copy = self._add(secret, token, current.value, secret.kms_key_id)
            self._attach(secret, AWSPENDING, copy)
            outcome.failed_step = self._run_steps(secret, token, plan, ("testSecret",), outcome)
            copy.labels.discard(AWSPENDING)
            if not copy.labels:
                del secret.versions[token]
        secret.changed = self.now
        return outcome

    def _run_steps(
        self,
        secret: Secret,
        token: str,
        plan: RotationPlan,
        steps: Sequence[str],
        outcome: RotationOutcome,
    ) -> str | None:
        for step in steps:
            outcome.steps.append(step)
            if step == plan.fail_at:
                return step
            try:
                if step == "createSecret":
                    self.get_value(secret.arn, stage=AWSCURRENT)
                    self.put(secret.arn, token, plan.value, [AWSPENDING])
                elif step == "testSecret":
                    self.get_value(secret.arn, token, AWSPENDING)
                elif step == "finishSecret":
                    current = secret.holder(AWSCURRENT)
                    if current is None or current.version_id != token:
                        remove_from = current.version_id if current is not None else None
                        self.update_stage(secret.arn, AWSCURRENT, remove_from, token)
                    if plan.strip_pending:
                        self.update_stage(secret.arn, AWSPENDING, token, None)
            except Refused:
                return step
        return None
