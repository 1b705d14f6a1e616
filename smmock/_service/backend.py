"""The in-memory Secrets Manager: secrets, versions, labels and the deletion lifecycle.

One :class:`RegionBackend` holds the secrets of one account in one region; the
:class:`SecretsBackend` a mock yields holds them all and is the typed API tests use to
seed and inspect state. Nothing here knows about botocore or the wire: methods take
Python values, return model objects and raise :mod:`smmock.exceptions` errors.

Every write validates everything before it changes anything, so a call that fails
leaves the state as it was.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from smmock._model import AWSCURRENT, AWSPENDING, Secret, SecretVersion
from smmock._model import ids as _ids
from smmock._model.defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from smmock._service import state as _state
from smmock._service.access import Access
from smmock._service.calls import CallLog
from smmock._service.deletion import Deletion
from smmock._service.faults import Fault, FaultRegistry
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


class _Options:
    """One activation's testing options; None means "as the activation around it"."""

    __slots__ = ("allowed_actions", "caller_arn", "ids")

    def __init__(
        self, seed: int | None, allowed_actions: Iterable[str] | None, caller_arn: str | None
    ) -> None:
        self.ids = None if seed is None else _ids.Ids(seed)
        self.allowed_actions = None if allowed_actions is None else tuple(allowed_actions)
        self.caller_arn = caller_arn


class SecretsBackend:
    """All accounts and regions of one mock: the typed API for seeding and inspecting state.

    Besides the secrets it holds the testing tools: :attr:`calls` (the call log),
    :meth:`inject_fault`, :attr:`access` (caller identity and allowed actions),
    :meth:`dump` and :meth:`load`.

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
        #: Every intercepted call, in order (see :class:`smmock._service.calls.CallLog`).
        self.calls = CallLog()
        #: The pending injected faults; the wire layer fires them.
        self.fault_registry = FaultRegistry()
        #: The caller's identity and allowed actions (the innermost mock's options).
        self.access = Access()
        self._options: list[_Options] = []

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
        """Forget every secret in every account and region, the call log, the pending
        faults and the activations' options."""
        with self.lock:
            self._regions.clear()
            self.rotation_functions.clear()
            self.rotation_failures.clear()
            self.calls.clear()
            self.fault_registry.clear()
            if self._options:
                self._options.clear()
                self._apply_options()

    # -- testing tools ------------------------------------------------------------------------

    def inject_fault(
        self,
        operation: str,
        code: str,
        *,
        times: int | None = 1,
        secret_id: str | None = None,
        message: str | None = None,
        status: int | None = None,
    ) -> Fault:
        """Make the next ``times`` matching calls fail with an AWS error.

        The call is answered with ``{"__type": code, "Message": message}`` and AWS's HTTP
        status for ``code`` (``ThrottlingException`` 400, ``InternalServiceError`` 500,
        ``ServiceUnavailable`` 503), so botocore's retry modes act as in production; after
        that the operation is served normally. Each failed attempt is in :attr:`calls`.

        Parameters:
            operation: the API operation, e.g. ``"GetSecretValue"``.
            code: one of the operation's modeled errors, or an error any AWS API can
                answer (``ThrottlingException``, ``ServiceUnavailable``,
                ``InternalFailure``, ``AccessDeniedException``).
            times: how many matching calls fail (default 1); None fails every one until
                the fault is cancelled.
            secret_id: only calls naming this secret (by name or ARN) fail.
            message: the error message (default: AWS's wording for ``code``).
            status: another HTTP status (400-599), e.g. a gateway's 502 or 429.

        Returns the :class:`~smmock._service.faults.Fault`: ``fault.fired`` counts the
        calls it failed, ``fault.cancel()`` ends it early.
        """
        with self.lock:
            return self.fault_registry.add(
                operation, code, times=times, secret_id=secret_id, message=message, status=status
            )

    @property
    def faults(self) -> list[Fault]:
        """The injected faults that would still fire, oldest first."""
        with self.lock:
            return self.fault_registry.pending()

    def clear_faults(self) -> None:
        """Cancel every pending fault."""
        with self.lock:
            self.fault_registry.clear()

    def push_options(
        self,
        *,
        seed: int | None = None,
        allowed_actions: Iterable[str] | None = None,
        caller_arn: str | None = None,
    ) -> object:
        """Apply one activation's options on top of the outer ones (used by ``MockSecrets``).

        An option left None keeps the value of the activation around it. Returns a
        token for :meth:`pop_options`.
        """
        with self.lock:
            options = _Options(seed, allowed_actions, caller_arn)
            self._options.append(options)
            self._apply_options()
            return options

    def pop_options(self, token: object) -> None:
        """Undo :meth:`push_options` (in any order: the rest keep their nesting)."""
        with self.lock:
            if isinstance(token, _Options) and token in self._options:
                self._options.remove(token)
                self._apply_options()

    def _apply_options(self) -> None:
        seeded = allowed = caller = None
        for options in self._options:
            seeded = options.ids or seeded
            allowed = allowed if options.allowed_actions is None else options.allowed_actions
            caller = options.caller_arn or caller
        self.access = Access(caller, allowed)
        _ids.use(seeded)

    @property
    def seed(self) -> int | None:
        """The seed ids are drawn from now (None: random ids)."""
        seeded = _ids.seeded() if self._options else None
        return None if seeded is None else seeded.seed

    def dump(self) -> dict[str, Any]:
        """Every account's and region's secrets as a JSON-serialisable dict.

        Versions, labels, deprecated versions, values, dates, deletion dates, tags,
        policies, rotation settings, replication and collected version ids all
        round-trip through :meth:`load`. Rotation functions, the call log and faults are
        not part of the state.
        """
        with self.lock:
            return _state.dump(self._regions)

    def load(self, source: Mapping[str, Any] | str | os.PathLike[str]) -> None:
        """Replace every secret with a state from :meth:`dump` (a dict or a JSON file path).

        The whole state is checked and built before anything changes: a malformed state
        or one from a newer smmock raises ``ValueError`` and leaves this backend as it
        was. Rotation functions, the call log and faults are kept.
        """
        run_due = self.rotator.run_due
        regions = _state.load(
            source, lambda account, region: RegionBackend(account, region, run_due)
        )
        with self.lock:
            self._regions.clear()
            self._regions.update(regions)

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
                version_id or _ids.new_uuid(),
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
                version_id or _ids.new_uuid(),
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
