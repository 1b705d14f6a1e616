"""Secret values: CreateSecret, PutSecretValue, GetSecretValue, UpdateSecret and
UpdateSecretVersionStage, with the versions quota and ClientRequestToken idempotency.

Every write validates everything before it changes anything, so a call that fails
leaves the state as it was.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from smmock import _clock
from smmock._model import (
    AWSCURRENT,
    Secret,
    SecretVersion,
    attach,
    check_label_quota,
    detach,
    new_version,
)
from smmock._service.metadata import check_tags
from smmock._service.names import check_name, random_suffix
from smmock._service.rotation import value_written
from smmock._service.store import Store
from smmock.exceptions import (
    InvalidParameterException,
    InvalidRequestException,
    LimitExceededException,
    ResourceExistsException,
    ResourceNotFoundException,
)

__all__ = ["ValueOps"]

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
_TOO_MANY_VERSIONS = (
    "You can't create more than 100 versions of a secret while none of its deprecated "
    "versions is older than 24 hours."
)


class ValueOps(Store):
    """The operations that create, read and change a secret's value and labels."""

    __slots__ = ()

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
        if AWSCURRENT in stages:
            value_written(secret, version)
        secret.last_changed_date = _clock.now()
        return secret, version

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
                value_written(secret, version)
            elif not version.has_value:
                version.set_value(secret_string, secret_binary)
                attach(secret, AWSCURRENT, version)
                value_written(secret, version)
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
                # AWS's text, quoted by terraform-provider-aws (a typographic apostrophe).
                raise InvalidParameterException(
                    "You can only move staging label AWSCURRENT to a different secret "
                    "version. It can\u2019t be completely removed."
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
