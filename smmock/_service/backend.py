"""The in-memory Secrets Manager: secrets, versions, labels and the deletion lifecycle.

One :class:`RegionBackend` holds the secrets of one account in one region; the
:class:`SecretsBackend` a mock yields holds them all and is the typed API tests use to
seed and inspect state. Nothing here knows about botocore or the wire: methods take
Python values, return model objects and raise :mod:`smmock.exceptions` errors.

Every write validates everything before it changes anything, so a call that fails
leaves the state as it was.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence

from smmock._model import AWSCURRENT, AWSPENDING, Secret, SecretVersion
from smmock._model.defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from smmock._service.deletion import Deletion
from smmock._service.listing import Listing
from smmock._service.names import check_name, parse_arn, secret_arn
from smmock._service.rotation import RotationFailure, RotationFunction, Rotator
from smmock._service.values import ValueOps

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "RegionBackend",
    "SecretsBackend",
    "check_name",
    "parse_arn",
    "secret_arn",
]


class RegionBackend(ValueOps, Listing, Deletion):
    """The secrets of one account in one region, with AWS's operations on them.

    The state and lookup are :class:`smmock._service.store.Store`'s; each base adds one area's
    operations.
    """

    __slots__ = ()


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
