"""A deliberately simple Secrets Manager, in plain Python, for the stateful tests to compare with.

It knows the lifecycle and label rules of ``spec/secretsmanager.md`` and nothing of
smmock's code: versions are plain records with a set of labels, a label's holder is found
by scanning, and every operation checks everything before it changes anything, raising
:class:`Refused` with AWS's code and message when the call must fail. Where the spec
marks a point "(unconfirmed)", the model follows the decision the README documents for
smmock, so a difference here is a bug in one of the two, never a matter of taste.

Time is the model's own ``now``, moved by the test together with the frozen clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

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
    "You can't remove the staging label AWSCURRENT from a version without moving it to "
    "another version. Specify MoveToVersionId."
)
TOO_MANY_VERSIONS = (
    "You can't create more than 100 versions of a secret while none of its deprecated "
    "versions is older than 24 hours."
)
MAX_VERSIONS = 100
DEPRECATED_GRACE = datetime.timedelta(hours=24)


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


def midnight(moment: datetime.datetime) -> datetime.datetime:
    """LastAccessedDate has day granularity: 00:00 UTC of the access day."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass
class Version:
    version_id: str
    value: str | None  # None: the empty stub RotateSecret makes
    created: datetime.datetime
    labels: set[str] = field(default_factory=set)
    accessed: datetime.datetime | None = None


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


class Store:
    """One account and region: the secrets by name, live and scheduled, oldest first."""

    def __init__(self, now: datetime.datetime, arn_prefix: str) -> None:
        self.now = now
        self.arn_prefix = arn_prefix  # "arn:aws:secretsmanager:<region>:<account>:secret:"
        self.secrets: dict[str, Secret] = {}

    # -- time and lookup ------------------------------------------------------------------

    def advance(self, delta: datetime.timedelta) -> None:
        self.now += delta
        self.purge()

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
        """The version quota: past 100 versions the oldest deprecated one older than 24 h
        goes; if none qualifies the write is refused. Returns the deferred removal."""
        if len(secret.versions) < MAX_VERSIONS:
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

    def _add(self, secret: Secret, version_id: str, value: str | None) -> Version:
        collect = self._make_room(secret)
        version = Version(version_id, value, self.now)
        secret.versions[version_id] = version
        collect()
        return version

    # -- operations -----------------------------------------------------------------------

    def create(
        self, name: str, token: str, value: str | None, description: str | None, arn: str
    ) -> tuple[Secret, Version | None, bool]:
        """CreateSecret; ``arn`` is the one the service chose (its suffix is random).

        Returns (secret, version, created): ``created`` is False for an idempotent retry.
        """
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
        secret = Secret(name, arn, self.now, self.now, description or None)
        version = None
        if value is not None:
            version = Version(token, value, self.now, {AWSCURRENT})
            secret.versions[token] = version
        self.secrets[name] = secret
        return secret, version, True

    def put(
        self, secret_id: str, token: str, value: str, stages: Sequence[str] | None
    ) -> tuple[Secret, Version]:
        """PutSecretValue: listed labels move to the version (default AWSCURRENT)."""
        secret = self._active(secret_id)
        version = secret.versions.get(token)
        if version is not None and version.value is not None:
            if version.value != value:
                raise token_in_use(token, secret.arn)
            return secret, version  # a retry: nothing changes, whatever its stages
        labels = [AWSCURRENT] if stages is None else list(stages)
        if secret.holder(AWSCURRENT) is None and AWSCURRENT not in labels:
            labels.append(AWSCURRENT)  # a secret's first value is always current
        if version is None:
            version = self._add(secret, token, value)
        else:
            version.value = value  # RotateSecret's empty stub is filled
        for label in labels:
            self._attach(secret, label, version)
        secret.changed = self.now
        return secret, version

    def update(
        self, secret_id: str, token: str, value: str | None, description: str | None
    ) -> tuple[Secret, Version | None]:
        """UpdateSecret: a value makes a new AWSCURRENT version; "" clears the description."""
        secret = self._active(secret_id)
        version = None
        if value is not None:
            version = secret.versions.get(token)
            if version is not None and version.value is not None:
                if version.value != value:
                    raise token_in_use(token, secret.arn)
                if description is None:
                    return secret, version  # a retry: nothing changes
            elif version is None:
                version = self._add(secret, token, value)
                self._attach(secret, AWSCURRENT, version)
            else:
                version.value = value
                self._attach(secret, AWSCURRENT, version)
        if description is not None:
            secret.description = description or None
        secret.changed = self.now
        return secret, version

    def update_stage(
        self,
        secret_id: str,
        label: str,
        remove_from: str | None,
        move_to: str | None,
    ) -> Secret:
        """UpdateSecretVersionStage: move (both ids), attach (MoveTo) or detach (RemoveFrom)."""
        secret = self._active(secret_id)
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
                del self.secrets[secret.name]
            return secret, self.now
        secret = self._active(secret_id)
        secret.deleted = self.now
        secret.purge_at = self.now + datetime.timedelta(days=30 if window is None else window)
        return secret, secret.purge_at

    def restore(self, secret_id: str) -> Secret:
        """RestoreSecret: cancel a scheduled deletion (a no-op on a live secret)."""
        secret = self._get(secret_id)
        secret.deleted = secret.purge_at = None
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
        secret = self._active(secret_id)
        function_arn = function_arn or secret.rotation_arn
        if not function_arn:
            raise Refused("InvalidRequestException", NO_FUNCTION)
        pending = secret.holder(AWSPENDING)
        if pending is not None and AWSCURRENT not in pending.labels:
            raise Refused("InvalidRequestException", INCOMPLETE)
        if function_arn not in registered:
            raise Refused("AccessDeniedException", NOT_INVOCABLE)
        if token in secret.versions:
            # RotateSecret's model has no ResourceExistsException; smmock answers the clash
            # (and the full versions quota) with InvalidRequest. AWS's answer is unconfirmed.
            clash = token_in_use(token, secret.arn)
            raise Refused("InvalidRequestException", clash.message)
        current = secret.holder(AWSCURRENT)
        if immediately or current is not None:
            try:
                self._make_room(secret)  # refuses before anything is saved
            except Refused as full:
                raise Refused("InvalidRequestException", full.message) from None
        secret.rotation_enabled = True
        secret.rotation_arn = function_arn
        outcome = RotationOutcome(token, [], None)
        if immediately:
            stub = self._add(secret, token, None)
            self._attach(secret, AWSPENDING, stub)
            outcome.failed_step = self._run_steps(secret, token, plan, ROTATION_STEPS, outcome)
            if outcome.failed_step is None:
                secret.rotated = self.now
        elif current is not None:
            # RotateImmediately=false: testSecret alone, on a pending copy of the current
            # value that is dropped afterwards.
            copy = self._add(secret, token, current.value)
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
