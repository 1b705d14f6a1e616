"""The in-memory Secrets Manager: secrets, versions, labels and the deletion lifecycle.

One :class:`RegionBackend` holds the secrets of one account in one region; the
:class:`SecretsBackend` a mock yields holds them all and is the typed API tests use to
seed and inspect state. Nothing here knows about botocore or the wire: methods take
Python values, return model objects and raise :mod:`smmock.exceptions` errors.

Every write validates everything before it changes anything, so a call that fails
leaves the state as it was.
"""

from __future__ import annotations

import datetime
import json
import random
import re
import string
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from smmock import _clock
from smmock._defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from smmock._filters import compile_filters
from smmock._metadata import check_tags
from smmock._model import (
    AWSCURRENT,
    AWSPENDING,
    Secret,
    SecretVersion,
    attach,
    check_label_quota,
    detach,
    home,
    new_version,
    partition,
)
from smmock._paging import Pager
from smmock._rotation import RotationFailure, RotationFunction, Rotator, due
from smmock.exceptions import (
    InvalidParameterException,
    InvalidRequestException,
    LimitExceededException,
    ResourceExistsException,
    ResourceNotFoundException,
    ValidationException,
)

__all__ = ["DEFAULT_ACCOUNT_ID", "DEFAULT_REGION", "RegionBackend", "SecretsBackend"]


_NAME_RE = re.compile(r"[A-Za-z0-9/_+=.@-]+")
# A full ARN ends in "-" plus the 6 random characters AWS appends to the name.
_SUFFIX_RE = re.compile(r".*-[A-Za-z0-9]{6}")
_SUFFIX_CHARS = string.ascii_letters + string.digits
# Three uniform draws of two characters give the same distribution as six single draws,
# at a third of the cost of random.choices (CreateSecret's hot path).
_SUFFIX_PAIRS = [a + b for a in _SUFFIX_CHARS for b in _SUFFIX_CHARS]
_PAIR_COUNT = len(_SUFFIX_PAIRS)
_random = random.random
_MAX_VERSIONS = 100
_ONE_DAY = datetime.timedelta(days=1)
_DEPRECATED_GRACE = datetime.timedelta(hours=24)

_TOKEN_REQUIRED = "You must provide a ClientRequestToken value. We recommend a UUID-type value."
_BOTH_VALUES = (
    "You can't specify both a binary secret value and a string secret value in the same secret."
)
_NAME_SCHEDULED = (
    "You can't create this secret because a secret with this name is already scheduled for "
    "deletion."
)
_WINDOW_RANGE = "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
_FORCE_AND_WINDOW = (
    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
)
_TOO_MANY_VERSIONS = (
    "You can't create more than 100 versions of a secret while none of its deprecated "
    "versions is older than 24 hours."
)


def random_suffix() -> str:
    """The 6 random alphanumerics AWS appends to a secret's name in its ARN."""
    pairs, count = _SUFFIX_PAIRS, _PAIR_COUNT
    return (
        pairs[int(_random() * count)]
        + pairs[int(_random() * count)]
        + pairs[int(_random() * count)]
    )


def secret_arn(region: str, account_id: str, name: str, suffix: str | None = None) -> str:
    """The ARN AWS gives a secret: its name plus ``-`` and 6 random alphanumerics."""
    if suffix is None:
        suffix = random_suffix()
    return f"arn:{partition(region)}:secretsmanager:{region}:{account_id}:secret:{name}-{suffix}"


def check_name(name: str) -> None:
    """AWS rule: names use ASCII letters, digits and ``/_+=.@-`` only."""
    if _NAME_RE.fullmatch(name) is None:
        raise ValidationException.invalid_name()


def parse_arn(secret_id: str) -> tuple[str, str, str, bool] | None:
    """Split a secret ARN into (region, account, name-or-name-with-suffix, is_full).

    A last segment ending in ``-`` + 6 alphanumerics is a full ARN (AWS's rule, which
    makes a secret named ``x-a1b2c3`` unreachable by partial ARN).
    """
    parts = secret_id.split(":", 6)
    if len(parts) != 7 or parts[2] != "secretsmanager" or parts[5] != "secret":
        return None
    return parts[3], parts[4], parts[6], _SUFFIX_RE.fullmatch(parts[6]) is not None


class RegionBackend:
    """The secrets of one account in one region, with AWS's operations on them."""

    __slots__ = ("_pager", "_secrets", "account_id", "home", "on_rotation_due", "region")

    def __init__(
        self,
        account_id: str,
        region: str,
        on_rotation_due: Callable[[Secret], None] | None = None,
    ) -> None:
        self.account_id = account_id
        self.region = region
        self.home = home(account_id, region)
        self._secrets: dict[str, Secret] = {}
        self._pager: Pager[object] = Pager()
        # Runs a scheduled rotation whose NextRotationDate passed (see _rotation).
        self.on_rotation_due = on_rotation_due

    # -- lookup and lazy time-driven transitions -----------------------------------------

    def _expired(self, secret: Secret) -> bool:
        # Purge is lazy: whoever touches a secret first after its DeletionDate removes it.
        # (No extra metadata: no DeletionDate, the common case, tested in one step.)
        if secret.extra is None:
            return False
        if secret.deletion_date is not None and _clock.now() >= secret.deletion_date:
            self._secrets.pop(secret.name, None)
            return True
        return False

    def find(self, secret_id: str) -> Secret | None:
        """Resolve a name, full ARN or partial ARN; purge it first if its window ended."""
        secret = self._secrets.get(secret_id)
        if secret is None and secret_id.startswith("arn:"):
            parsed = parse_arn(secret_id)
            if parsed is None:
                return None
            tail, full = parsed[2], parsed[3]
            # A full ARN names the secret plus AWS's suffix; a partial one only the name,
            # and then the region and account in it must still be this backend's.
            secret = self._secrets.get(tail[:-7] if full else tail)
            if secret is not None and (
                secret.arn != secret_id
                if full
                else secret.arn.rsplit(":", 1)[0] != secret_id.rsplit(":", 1)[0]
            ):
                secret = None
        elif secret is None:
            check_name(secret_id)
            return None
        if secret is None or self._expired(secret):
            return None
        # Scheduled rotation is lazy too: the first touch after the due date runs it.
        if (
            secret.extra is not None
            and secret.rotation_enabled
            and self.on_rotation_due is not None
            and due(secret, _clock.now())
        ):
            self.on_rotation_due(secret)
        return secret

    def get(self, secret_id: str) -> Secret:
        """Resolve ``secret_id`` or raise ResourceNotFoundException."""
        secret = self.find(secret_id)
        if secret is None:
            raise ResourceNotFoundException.secret()
        return secret

    def get_active(self, secret_id: str) -> Secret:
        """Resolve ``secret_id``; refuse a secret scheduled for deletion (InvalidRequest)."""
        secret = self.get(secret_id)
        if secret.extra is not None and secret.deletion_date is not None:
            raise InvalidRequestException.marked_for_deletion()
        return secret

    def secrets(self) -> Iterator[Secret]:
        """Every live secret in creation order, purging those whose window has ended."""
        now = _clock.now()
        expired = [
            s.name
            for s in self._secrets.values()
            if s.deletion_date is not None and now >= s.deletion_date
        ]
        for name in expired:
            del self._secrets[name]
        return iter(list(self._secrets.values()))

    def __len__(self) -> int:
        return len(self._secrets)

    # -- CreateSecret --------------------------------------------------------------------

    def create_secret(
        self,
        name: str,
        client_request_token: str | None,
        *,
        secret_string: str | None = None,
        secret_binary: bytes | None = None,
        description: str | None = None,
        kms_key_id: str | None = None,
        tags: Sequence[tuple[str, str]] | None = None,
        secret_type: str | None = None,
    ) -> tuple[Secret, SecretVersion | None]:
        """CreateSecret: a new secret, with one ``[AWSCURRENT]`` version if a value is given.

        A retry with the same token and value returns the existing secret and version.
        """
        check_name(name)
        has_value = _check_value(secret_string, secret_binary)
        if has_value and client_request_token is None:
            raise InvalidRequestException(_TOKEN_REQUIRED)
        if tags:
            check_tags(None, tags)
        existing = self.find(name)
        if existing is not None:
            if existing.deletion_date is not None:
                raise InvalidRequestException(_NAME_SCHEDULED)
            if client_request_token is not None:
                version = existing.version(client_request_token)
                if version is not None:
                    if has_value and version.same_value(secret_string, secret_binary):
                        return existing, version
                    raise _token_in_use(client_request_token, existing)
            raise ResourceExistsException(
                f"The operation failed because the secret {name} already exists."
            )
        now = _clock.now()
        secret = Secret(name, self.home, random_suffix(), now)
        if description:
            secret.description = description
        if kms_key_id:
            secret.kms_key_id = kms_key_id
        if tags is not None:
            secret.tags = dict(tags)
        if secret_type:
            secret.secret_type = secret_type
        version = None
        if has_value:
            assert client_request_token is not None
            # The first version is encrypted with the secret's key like every later one
            # (ListSecretVersionIds shows it in KmsKeyIds).
            # Same instant as the secret's CreatedDate: one datetime object for both.
            version = new_version(
                client_request_token, secret_string, secret_binary, secret.kms_key_id, now
            )
            secret.add_version(version)
            attach(secret, AWSCURRENT, version)
        self._secrets[name] = secret
        return secret, version

    # -- versions --------------------------------------------------------------------------

    def put_secret_value(
        self,
        secret_id: str,
        client_request_token: str | None,
        *,
        secret_string: str | None = None,
        secret_binary: bytes | None = None,
        version_stages: Sequence[str] | None = None,
    ) -> tuple[Secret, SecretVersion]:
        """PutSecretValue: add a version carrying ``version_stages`` (default AWSCURRENT).

        Reusing a token with the same value is a no-op; an empty AWSPENDING stub left by
        RotateSecret is filled instead of rejected.
        """
        if client_request_token is None:
            raise InvalidRequestException(_TOKEN_REQUIRED)
        if not _check_value(secret_string, secret_binary):
            raise InvalidRequestException("You must provide either SecretString or SecretBinary.")
        secret = self.writable(secret_id)
        stages = [AWSCURRENT] if version_stages is None else list(dict.fromkeys(version_stages))
        version = secret.version(client_request_token)
        if version is not None and version.has_value:
            if version.same_value(secret_string, secret_binary):
                return secret, version
            raise _token_in_use(client_request_token, secret)
        if secret.current is None and AWSCURRENT not in stages:
            # The first value of a secret is always current.
            stages.append(AWSCURRENT)
        check_label_quota(secret, stages, version)
        if version is not None:
            version.set_value(secret_string, secret_binary)
        else:
            version = self._add_version(
                secret, client_request_token, secret_string, secret_binary, secret.kms_key_id
            )
        for label in stages:
            attach(secret, label, version)
        secret.last_changed_date = _clock.now()
        return secret, version

    def writable(self, secret_id: str) -> Secret:
        """Resolve ``secret_id`` for a write: not scheduled for deletion, not a replica."""
        secret = self.get_active(secret_id)
        if secret.is_replica:
            raise InvalidRequestException.not_primary()
        return secret

    def add_version(self, secret: Secret, version_id: str) -> SecretVersion:
        """Append an empty, unlabelled version (RotateSecret's AWSPENDING stub)."""
        return self._add_version(secret, version_id, None, None, secret.kms_key_id)

    def _add_version(
        self,
        secret: Secret,
        version_id: str,
        secret_string: str | None,
        secret_binary: bytes | None,
        kms_key_id: str | None,
    ) -> SecretVersion:
        """Append a version, collecting the oldest deprecated one beyond AWS's quota."""
        collect = None
        if secret.version_count() >= _MAX_VERSIONS:
            cutoff = _clock.now() - _DEPRECATED_GRACE
            collect = next(
                (v for v in secret.version_list() if not v.stages and v.created_date <= cutoff),
                None,
            )
            if collect is None:
                raise LimitExceededException(_TOO_MANY_VERSIONS)
        version = new_version(version_id, secret_string, secret_binary, kms_key_id)
        secret.add_version(version)
        if collect is not None:
            secret.remove_version(collect)
            secret.record_collected(collect.version_id)
        return version

    def get_secret_value(
        self,
        secret_id: str,
        version_id: str | None = None,
        version_stage: str | None = None,
    ) -> tuple[Secret, SecretVersion]:
        """GetSecretValue: the version by id and/or stage (default AWSCURRENT).

        Records the access day on the secret and the version.
        """
        secret = self.get_active(secret_id)
        if version_id is not None:
            version = secret.version(version_id)
            if version is None or not version.has_value:
                if secret.was_collected(version_id):
                    raise InvalidRequestException(
                        f"You can't perform this operation on secret version {version_id} "
                        "because it was deleted."
                    )
                raise ResourceNotFoundException(
                    "Secrets Manager can't find the specified secret value for VersionId: "
                    f"{version_id}"
                )
            if version_stage is not None and version_stage not in version.stages:
                raise InvalidRequestException(
                    "You provided a VersionStage that is not associated to the provided VersionId."
                )
        else:
            stage = AWSCURRENT if version_stage is None else version_stage
            found = secret.holder(stage)
            if found is None or not found.has_value:
                raise ResourceNotFoundException(
                    "Secrets Manager can't find the specified secret value for staging label: "
                    f"{stage}"
                )
            version = found
        now = _clock.now()
        day = secret.last_accessed_date
        # Day granularity: recompute the midnight only when the clock left that day
        # (either way: freezegun can move time backwards).
        if day is None or not day <= now < day + _ONE_DAY:
            day = _clock.midnight(now)
        secret.last_accessed_date = version.last_accessed_date = day
        if secret.extra is not None and secret.primary_region not in (None, self.region):
            # A read in a replica's region shows in the primary's ReplicationStatus.
            primary = secret.source()
            replica = primary.replicas.get(self.region) if primary is not None else None
            if replica is not None:
                replica.last_accessed_date = day
        return secret, version

    def update_secret(
        self,
        secret_id: str,
        client_request_token: str | None,
        *,
        secret_string: str | None = None,
        secret_binary: bytes | None = None,
        description: str | None = None,
        kms_key_id: str | None = None,
    ) -> tuple[Secret, SecretVersion | None]:
        """UpdateSecret: metadata changes, and a new AWSCURRENT version if a value is given."""
        has_value = _check_value(secret_string, secret_binary)
        if has_value and client_request_token is None:
            raise InvalidRequestException(_TOKEN_REQUIRED)
        secret = self.writable(secret_id)
        # A value sent with a new KmsKeyId is encrypted with the new key; computed up front
        # so the secret itself changes only once nothing can fail any more.
        key = secret.kms_key_id if kms_key_id is None else kms_key_id or None
        version = None
        if has_value:
            assert client_request_token is not None
            version = secret.version(client_request_token)
            if version is None or not version.has_value:
                check_label_quota(secret, [AWSCURRENT], version)
            if version is None:
                version = self._add_version(
                    secret, client_request_token, secret_string, secret_binary, key
                )
                attach(secret, AWSCURRENT, version)
            elif not version.has_value:
                version.set_value(secret_string, secret_binary)
                attach(secret, AWSCURRENT, version)
            elif not version.same_value(secret_string, secret_binary):
                raise _token_in_use(client_request_token, secret)
            elif description is None and kms_key_id is None:
                # A retry of a request that already made this version: like
                # PutSecretValue's retry it changes nothing, LastChangedDate included.
                return secret, version
        if description is not None:
            secret.description = description or None
        # An empty KmsKeyId switches back to the default aws/secretsmanager key.
        secret.kms_key_id = key
        secret.last_changed_date = _clock.now()
        return secret, version

    def update_secret_version_stage(
        self,
        secret_id: str,
        version_stage: str,
        *,
        remove_from_version_id: str | None = None,
        move_to_version_id: str | None = None,
    ) -> Secret:
        """UpdateSecretVersionStage: attach, move or detach one staging label."""
        secret = self.writable(secret_id)
        holder = secret.holder(version_stage)
        held_by = holder.version_id if holder is not None else None
        if remove_from_version_id is not None and remove_from_version_id != held_by:
            if secret.version(remove_from_version_id) is None:
                raise _unknown_version(remove_from_version_id)
            raise InvalidParameterException(
                f"The staging label {version_stage} is not attached to version "
                f"{remove_from_version_id}, so you can't remove it from that version."
            )
        if move_to_version_id is None:
            if remove_from_version_id is None:
                raise InvalidParameterException(
                    "You must specify MoveToVersionId, RemoveFromVersionId, or both."
                )
            if version_stage == AWSCURRENT:
                raise InvalidParameterException(
                    "You can't remove the staging label AWSCURRENT from a version without "
                    "moving it to another version. Specify MoveToVersionId."
                )
            detach(secret, version_stage)
        else:
            target = secret.version(move_to_version_id)
            if target is None:
                raise _unknown_version(move_to_version_id)
            check_label_quota(secret, [version_stage], target)
            if (
                held_by is not None
                and held_by != move_to_version_id
                and (remove_from_version_id is None)
            ):
                raise InvalidParameterException(
                    "The parameter RemoveFromVersionId can't be empty. Staging label "
                    f"{version_stage} is currently attached to version {held_by}, so you must "
                    "explicitly reference that version in RemoveFromVersionId."
                )
            attach(secret, version_stage, target)
        secret.last_changed_date = _clock.now()
        return secret

    # -- listing --------------------------------------------------------------------------------

    def list_secrets(
        self,
        *,
        include_planned_deletion: bool = False,
        max_results: int | None = None,
        next_token: str | None = None,
        filters: Sequence[Mapping[str, Any]] | None = None,
        sort_order: str | None = None,
        sort_by: str | None = None,
        listing: str = "ListSecrets",
    ) -> tuple[list[Secret], str | None]:
        """ListSecrets: one page (filled up to ``max_results``, default 100) and its token.

        Scheduled secrets are hidden unless ``include_planned_deletion``. Filters AND
        together; the default order is creation order, ascending. A token resumes only
        the same ``listing`` (operation) with the same filters, order and scope.
        """
        matches = compile_filters(filters) if filters else None

        def produce() -> list[Secret]:
            items = [
                s
                for s in self.secrets()
                if (include_planned_deletion or s.deletion_date is None)
                and (matches is None or matches(s))
            ]
            key = _SORT_KEYS.get(sort_by or "created-date")
            if key is not None:
                items.sort(key=key)
            if sort_order == "desc":
                items.reverse()
            return items

        now = _clock.now()

        def keep(item: object) -> bool:
            # Skip what was deleted, purged or scheduled since the snapshot was taken.
            assert isinstance(item, Secret)
            if self._secrets.get(item.name) is not item:
                return False
            if item.deletion_date is None:
                return True
            return include_planned_deletion and now < item.deletion_date

        page, token = self._pager.page(
            next_token,
            produce,
            keep,
            _page_size(max_results),
            (
                listing,
                json.dumps(filters, sort_keys=True),
                sort_by,
                sort_order,
                include_planned_deletion,
            ),
        )
        return [s for s in page if isinstance(s, Secret)], token

    def list_secret_version_ids(
        self,
        secret_id: str,
        *,
        max_results: int | None = None,
        next_token: str | None = None,
        include_deprecated: bool = False,
    ) -> tuple[Secret, list[SecretVersion], str | None]:
        """ListSecretVersionIds: versions in creation order; deprecated ones on request.

        Allowed on a secret scheduled for deletion (the model lists no
        InvalidRequestException for it).
        """
        secret = self.get(secret_id)

        def produce() -> list[SecretVersion]:
            return [v for v in secret.version_list() if include_deprecated or v.stages]

        def keep(item: object) -> bool:
            assert isinstance(item, SecretVersion)
            return secret.version(item.version_id) is item and (
                include_deprecated or bool(item.stages)
            )

        # Scoped by ARN: a token of another secret (or of a purged secret whose name was
        # reused, which gets a new ARN) is invalid here.
        page, token = self._pager.page(
            next_token, produce, keep, _page_size(max_results), ("ListSecretVersionIds", secret.arn)
        )
        return secret, [v for v in page if isinstance(v, SecretVersion)], token

    # -- deletion lifecycle -----------------------------------------------------------------

    def delete_secret(
        self,
        secret_id: str,
        *,
        recovery_window_in_days: int | None = None,
        force_delete_without_recovery: bool = False,
    ) -> tuple[str, str, datetime.datetime]:
        """DeleteSecret: schedule (7-30 days, default 30) or force-delete; returns
        (ARN, Name, DeletionDate).

        The window range is checked before the force/window conflict, as AWS does. Force
        delete never fails for an unknown id and also removes a scheduled secret.
        """
        if recovery_window_in_days is not None and not 7 <= recovery_window_in_days <= 30:
            raise InvalidParameterException(_WINDOW_RANGE)
        if force_delete_without_recovery and recovery_window_in_days is not None:
            raise InvalidParameterException(_FORCE_AND_WINDOW)
        now = _clock.now()
        if force_delete_without_recovery:
            secret = self.find(secret_id)
            if secret is None:
                name = secret_id
                parsed = parse_arn(secret_id)
                if parsed is not None:
                    name = parsed[2][:-7] if parsed[3] else parsed[2]
                arn = (
                    secret_id
                    if parsed is not None and parsed[3]
                    else secret_arn(self.region, self.account_id, name)
                )
                return arn, name, now
            _check_deletable(secret)
            del self._secrets[secret.name]
            return secret.arn, secret.name, now
        secret = self.get_active(secret_id)
        _check_deletable(secret)
        window = 30 if recovery_window_in_days is None else recovery_window_in_days
        secret.deleted_date = now
        secret.deletion_date = now + _clock.days(window)
        return secret.arn, secret.name, secret.deletion_date

    def restore_secret(self, secret_id: str) -> Secret:
        """RestoreSecret: cancel a scheduled deletion (a no-op on a live secret)."""
        secret = self.get(secret_id)
        secret.deleted_date = secret.deletion_date = None
        return secret

    # -- seeding helpers for tests ------------------------------------------------------------

    def insert(self, secret: Secret) -> None:
        """Store a secret built elsewhere (replication), replacing one of the same name."""
        self._secrets[secret.name] = secret

    def remove(self, name: str) -> Secret | None:
        """Drop a secret at once, without a recovery window."""
        return self._secrets.pop(name, None)


def _page_size(max_results: int | None) -> int:
    return 100 if max_results is None else max_results


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_SORT_KEYS: dict[str, Callable[[Secret], Any]] = {
    "created-date": lambda s: s.created_date,
    "last-changed-date": lambda s: s.last_changed_date,
    # Never-read secrets sort as the oldest.
    "last-accessed-date": lambda s: s.last_accessed_date or _EPOCH,
    "name": lambda s: s.name,
}


def _check_value(secret_string: str | None, secret_binary: bytes | None) -> bool:
    if secret_string is not None and secret_binary is not None:
        raise InvalidParameterException(_BOTH_VALUES)
    return secret_string is not None or secret_binary is not None


def _token_in_use(token: str, secret: Secret) -> ResourceExistsException:
    return ResourceExistsException(
        f"You can't use ClientRequestToken {token} because that value is already in use for a "
        f"version of secret {secret.arn}."
    )


def _unknown_version(version_id: str) -> InvalidParameterException:
    return InvalidParameterException(
        f"Secrets Manager can't find the specified secret version: {version_id}."
    )


def _check_deletable(secret: Secret) -> None:
    # AWS: replicas go through their primary, and a primary must shed its replicas first.
    if secret.is_replica:
        raise InvalidRequestException(
            "You can't delete a replica secret. Remove its region from replication "
            "on the primary secret, or promote it with StopReplicationToReplica."
        )
    if secret.replicas or secret.cross_account_replicas:
        raise InvalidRequestException(
            "You can't delete secret because it has replicas. Remove the replicas first with "
            "RemoveRegionsFromReplication."
        )


class SecretsBackend:
    """All accounts and regions of one mock: the typed API for seeding and inspecting state.

    Parameters:
        account_id: the account requests are served for (default ``123456789012``).
        region: the region the helper methods use when none is passed.
    """

    def __init__(self, account_id: str = DEFAULT_ACCOUNT_ID, region: str = DEFAULT_REGION) -> None:
        self.account_id = account_id
        self.region = region
        self.lock = threading.RLock()
        self._regions: dict[tuple[str, str], RegionBackend] = {}
        self.rotation_functions: dict[str, RotationFunction] = {}
        self.rotation_failures: list[RotationFailure] = []
        self.rotator = Rotator(
            self.rotation_functions, self.rotation_failures, self._add_stub_version
        )

    def _add_stub_version(self, secret: Secret, version_id: str) -> SecretVersion:
        return self.region_backend(secret.region, secret.account_id).add_version(secret, version_id)

    def register_rotation_function(self, arn: str, handler: RotationFunction) -> None:
        """Make ``handler(event, context)`` the Lambda function at ``arn`` for RotateSecret.

        Parameters:
            arn: the Lambda function ARN a secret's rotation names.
            handler: called once per rotation step with the real event shape
                (``Step``, ``SecretId``, ``ClientRequestToken``, ``RotationToken``); its
                boto3 calls reach this same mock. An exception fails the rotation as a
                failing Lambda would: recorded in :attr:`rotation_failures`.
        """
        with self.lock:
            self.rotation_functions[arn] = handler

    def region_backend(
        self, region: str | None = None, account_id: str | None = None
    ) -> RegionBackend:
        """The store of one account and region, created on first use."""
        key = (account_id or self.account_id, region or self.region)
        backend = self._regions.get(key)
        if backend is None:
            # Under the lock: two threads must not each create (and one lose) a store.
            with self.lock:
                backend = self._regions.get(key)
                if backend is None:
                    backend = self._regions[key] = RegionBackend(*key, self.rotator.run_due)
        return backend

    def existing_region_backend(self, region: str, account_id: str) -> RegionBackend | None:
        """The store of one account and region if anything ever created it, else None."""
        return self._regions.get((account_id, region))

    def reset(self) -> None:
        """Forget every secret in every account and region."""
        with self.lock:
            self._regions.clear()
            self.rotation_functions.clear()
            self.rotation_failures.clear()

    def create_secret(
        self,
        name: str,
        secret_string: str | None = None,
        *,
        secret_binary: bytes | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        kms_key_id: str | None = None,
        version_id: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
    ) -> Secret:
        """Seed a secret without boto3, exactly as CreateSecret would make it.

        Parameters:
            name: the secret name.
            secret_string, secret_binary: the first value (at most one); none for no version.
            description, tags, kms_key_id: metadata as in CreateSecret.
            version_id: the first version's id (default: a fresh UUID).
            region, account_id: where to create it (default: the backend's).
        """
        with self.lock:
            secret, _ = self.region_backend(region, account_id).create_secret(
                name,
                version_id or str(uuid.uuid4()),
                secret_string=secret_string,
                secret_binary=secret_binary,
                description=description,
                kms_key_id=kms_key_id,
                tags=list(tags.items()) if tags is not None else None,
            )
            return secret

    def put_secret_value(
        self,
        secret_id: str,
        secret_string: str | None = None,
        *,
        secret_binary: bytes | None = None,
        version_stages: Sequence[str] | None = None,
        version_id: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
    ) -> SecretVersion:
        """Seed a new version, exactly as PutSecretValue would add it; returns the version."""
        with self.lock:
            _, version = self.region_backend(region, account_id).put_secret_value(
                secret_id,
                version_id or str(uuid.uuid4()),
                secret_string=secret_string,
                secret_binary=secret_binary,
                version_stages=version_stages,
            )
            return version

    def get_secret(
        self, secret_id: str, *, region: str | None = None, account_id: str | None = None
    ) -> Secret:
        """The secret named by name or ARN, scheduled ones included.

        Raises ResourceNotFoundException when it does not exist (or was purged).
        """
        with self.lock:
            return self.region_backend(region, account_id).get(secret_id)

    def secrets(self, *, region: str | None = None, account_id: str | None = None) -> list[Secret]:
        """Every secret of one account and region (scheduled ones included), oldest first."""
        with self.lock:
            return list(self.region_backend(region, account_id).secrets())

    def all_secrets(self) -> list[Secret]:
        """Every secret in every account and region."""
        with self.lock:
            return [s for backend in list(self._regions.values()) for s in backend.secrets()]

    def labels(
        self, secret_id: str, *, region: str | None = None, account_id: str | None = None
    ) -> dict[str, str]:
        """Staging label -> VersionId for one secret."""
        with self.lock:
            secret = self.region_backend(region, account_id).get(secret_id)
            return {label: v.version_id for label, v in secret.labels.items()}

    def __repr__(self) -> str:
        return f"SecretsBackend(account_id={self.account_id!r}, region={self.region!r})"


# Re-exported for typed users of the seeding API.
__all__ += ["AWSCURRENT", "AWSPENDING", "Secret", "SecretVersion"]
