"""The secrets of one account in one region: lookup, and the lazy purge and rotation.

:class:`Store` is the base of :class:`smmock.backend.RegionBackend`; the operations live
in mixins by area (``_values``, ``_listing``, ``_deletion``), all on this one state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from smmock import _clock
from smmock._model import Secret, home
from smmock._service.names import check_name, parse_arn
from smmock._service.paging import Pager
from smmock._service.rotation import due
from smmock.exceptions import InvalidRequestException, ResourceNotFoundException

__all__ = ["Store"]


class Store:
    """The secrets of one account in one region, by name, in creation order."""

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

    def _resolve(self, secret_id: str) -> Secret | None:
        # A name, full ARN or partial ARN to the stored secret, without side effects.
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
        return secret

    def find(self, secret_id: str) -> Secret | None:
        """Resolve a name, full ARN or partial ARN; purge it first if its window ended."""
        secret = self._resolve(secret_id)
        if secret is None:
            if not secret_id.startswith("arn:"):
                check_name(secret_id)
            return None
        if self._expired(secret):
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

    def peek(self, secret_id: str) -> Secret | None:
        """The secret ``secret_id`` names, as :meth:`find` would resolve it, but without
        purging, rotating or checking the name (the call log looks before the call)."""
        secret = self._resolve(secret_id)
        if (
            secret is not None
            and secret.extra is not None
            and secret.deletion_date is not None
            and _clock.now() >= secret.deletion_date
        ):
            return None
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
            if s.extra is not None and s.deletion_date is not None and now >= s.deletion_date
        ]
        for name in expired:
            del self._secrets[name]
        return iter(list(self._secrets.values()))

    def __len__(self) -> int:
        return len(self._secrets)

    def writable(self, secret_id: str) -> Secret:
        """Resolve ``secret_id`` for a write: not scheduled for deletion, not a replica."""
        secret = self.get_active(secret_id)
        if secret.is_replica:
            raise InvalidRequestException.not_primary()
        return secret

    # -- seeding helpers for tests ------------------------------------------------------------

    def insert(self, secret: Secret) -> None:
        """Store a secret built elsewhere (replication), replacing one of the same name."""
        self._secrets[secret.name] = secret

    def remove(self, name: str) -> Secret | None:
        """Drop a secret at once, without a recovery window."""
        return self._secrets.pop(name, None)
