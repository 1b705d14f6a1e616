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
from smmock._service.notices import Notices, wait_for_lock
from smmock._service.options import Options, effective
from smmock._service.rotation import RotationFailure, RotationFunction, Rotator
from smmock._service.values import ValueOps
from smmock.exceptions import BackendStoppedError

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
        self._rotation_failures: list[RotationFailure] = []
        # How many failures the test has seen by reading rotation_failures.
        self._failures_seen = 0
        #: Warnings for the test (raised after the lock is released) and the rotation
        #: functions running now.
        self.notices = Notices()
        self.rotator = Rotator(
            self.rotation_functions,
            self._rotation_failures,
            self._add_stub_version,
            self.notices,
        )
        # Set when the mock this backend belongs to has stopped: writes are refused.
        self._stopped = False
        #: Every intercepted call, in order (see :class:`smmock._service.calls.CallLog`).
        self.calls = CallLog()
        #: The pending injected faults; the wire layer fires them.
        self.fault_registry = FaultRegistry()
        #: The caller's identity and allowed actions (the innermost mock's options).
        self.access = Access()
        self._options: list[Options] = []

    def _add_stub_version(self, secret: Secret, version_id: str) -> SecretVersion:
        return self.region_backend(secret.region, secret.account_id).add_version(secret, version_id)

    def register_rotation_function(self, arn: str, handler: RotationFunction) -> None:
        """Make ``handler(event, context)`` the Lambda function at ``arn`` for RotateSecret.

        Parameters:
            arn: the Lambda function ARN a secret's rotation names.
            handler: called once per rotation step with the real event shape
                (``Step``, ``SecretId``, ``ClientRequestToken``, ``RotationToken``); its
                boto3 calls reach this same mock, from the handler's own thread. An
                exception fails the rotation as a failing Lambda would: recorded in
                :attr:`rotation_failures`, with a ``RotationFailedWarning``.
        """
        self._check_open()
        with self.lock:
            self.rotation_functions[arn] = handler

    @property
    def rotation_failures(self) -> list[RotationFailure]:
        """The rotations that failed, oldest first (reading it marks them as seen, which
        a ``strict_rotation`` mock requires of every failure)."""
        with self.lock:
            self._failures_seen = len(self._rotation_failures)
            return self._rotation_failures

    # -- serving calls ------------------------------------------------------------------------

    def acquire(self) -> None:
        """Take the lock for one request, failing rather than waiting for ever on a rotation
        function that waits for this thread (see :func:`~smmock._service.notices.wait_for_lock`)."""
        if not self.lock.acquire(blocking=False):
            wait_for_lock(self.lock, self.notices.running)

    def report(self) -> None:
        """Raise the warnings the current thread's calls produced (after releasing the lock)."""
        if self.notices.pending:
            self.notices.report()

    def close(self) -> None:
        """Refuse writes from now on: the mock this backend belongs to has stopped."""
        self._stopped = True

    def _check_open(self) -> None:
        if self._stopped:
            raise BackendStoppedError()

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
            self._rotation_failures.clear()
            self._failures_seen = 0
            self.notices.pending.clear()
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
        self._check_open()
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
        strict_rotation: bool = False,
    ) -> object:
        """Apply one activation's options on top of the outer ones (used by ``MockSecrets``).

        An option left None keeps the value of the activation around it; rotation
        failures are strict while any active activation asks for it. Returns a token for
        :meth:`pop_options`.
        """
        with self.lock:
            options = Options(
                seed, allowed_actions, caller_arn, strict_rotation, len(self._rotation_failures)
            )
            self._options.append(options)
            self._apply_options()
            return options

    def pop_options(self, token: object) -> list[RotationFailure]:
        """Undo :meth:`push_options` (in any order: the rest keep their nesting).

        Returns, for a ``strict_rotation`` activation, the rotation failures recorded
        while it was active that the test never read (see :attr:`rotation_failures`).
        """
        with self.lock:
            if not (isinstance(token, Options) and token in self._options):
                return []
            self._options.remove(token)
            self._apply_options()
            if not token.strict_rotation:
                return []
            start = max(token.failures_at_start, self._failures_seen)
            return self._rotation_failures[start:]

    def _apply_options(self) -> None:
        seeded, allowed, caller, strict = effective(self._options)
        self.access = Access(caller, allowed)
        self.notices.quiet = strict
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
        self._check_open()
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
        self._check_open()
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
        self.report()
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
        self._check_open()
        with self.lock:
            _, version = self.region_backend(region, account_id).put_secret_value(
                secret_id,
                version_id or _ids.new_uuid(),
                secret_string=secret_string,
                secret_binary=secret_binary,
                version_stages=version_stages,
            )
        self.report()
        return version

    def get_secret(
        self, secret_id: str, *, region: str | None = None, account_id: str | None = None
    ) -> Secret:
        """The secret named by name or ARN, scheduled ones included.

        Raises ResourceNotFoundException when it does not exist (or was purged).
        """
        with self.lock:
            secret = self.region_backend(region, account_id).get(secret_id)
        self.report()  # a scheduled rotation this lookup ran may have failed
        return secret

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
            labels = {label: v.version_id for label, v in secret.labels.items()}
        self.report()
        return labels

    def __repr__(self) -> str:
        return f"SecretsBackend(account_id={self.account_id!r}, region={self.region!r})"


# Re-exported for typed users of the seeding API.
__all__ += ["AWSCURRENT", "AWSPENDING", "Secret", "SecretVersion"]
