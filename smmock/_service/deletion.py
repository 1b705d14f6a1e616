"""The deletion lifecycle: DeleteSecret (recovery window or force) and RestoreSecret.

The purge itself is lazy (see :meth:`smmock._service.store.Store.find`).
"""

from __future__ import annotations

import datetime

from smmock import _clock
from smmock._model import Secret
from smmock._service.names import parse_arn, secret_arn
from smmock._service.store import Store
from smmock.exceptions import InvalidParameterException

__all__ = ["Deletion"]

_WINDOW_RANGE = "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
_FORCE_AND_WINDOW = (
    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
)


class Deletion(Store):
    """The deletion operations."""

    __slots__ = ()

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


def _check_deletable(secret: Secret) -> None:
    # AWS (real output): a replica is deleted through its primary, forced or not, and a
    # primary must shed its replicas first.
    if secret.is_replica:
        raise InvalidParameterException.not_primary()
    regions = list(secret.replicas)
    # A cross-account replica's ARN names its region (the fourth field).
    regions += [arn.split(":")[3] for arn in secret.cross_account_replicas]
    if regions:
        # Java's list rendering, as in AWS's message: [us-east-2, eu-west-1].
        raise InvalidParameterException(
            f"You can't delete secret {secret.arn} that still has replica regions "
            f"[{', '.join(regions)}]."
        )
