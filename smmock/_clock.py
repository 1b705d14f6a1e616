"""The only place smmock reads the time.

``now()`` looks ``datetime.datetime`` up on the module at every call, so freezegun (which
swaps the class in module globals) and time-machine (which patches the C clock) both
drive the backend, whether the clock was frozen before or after the mock started.
Never capture ``datetime.now`` in a default argument or a class attribute, and never use
``time.monotonic()``: time-machine leaves it real.

A process that cannot use those libraries (``smmock serve``, driven over HTTP by tests in
other languages) moves the clock itself with :func:`shift`, :func:`freeze` and
:func:`release`. The adjustment is one module global that is ``None`` unless set, so the
hot path pays one comparison for it; freezegun and time-machine still drive the clock
underneath a shift.
"""

from __future__ import annotations

import datetime

_UTC = datetime.timezone.utc
_DAY = datetime.timedelta(days=1)

# None (real time), a timedelta added to the real time, or a datetime the clock is
# frozen at. One global, read once per call, so a reader never sees half a change.
_adjustment: datetime.timedelta | datetime.datetime | None = None


def now() -> datetime.datetime:
    """Return the current time as an aware UTC datetime."""
    adjustment = _adjustment
    if adjustment is None:
        return datetime.datetime.now(_UTC)
    if isinstance(adjustment, datetime.timedelta):
        return datetime.datetime.now(_UTC) + adjustment
    return adjustment


def shift(delta: datetime.timedelta) -> datetime.datetime:
    """Move the clock by ``delta`` (forward or back) from where it is; return the new time.

    A running clock keeps running from the new time; a frozen one stays frozen there.

    Parameters:
        delta: how far to move. Raises OverflowError, leaving the clock as it was,
            when that leaves the years datetime can hold.
    """
    global _adjustment
    adjustment = _adjustment
    if isinstance(adjustment, datetime.datetime):
        changed: datetime.timedelta | datetime.datetime = adjustment + delta
    else:
        changed = (adjustment or datetime.timedelta()) + delta
        # Fail here (OverflowError), not in every later now(), on a shift out of range.
        datetime.datetime.now(_UTC) + changed
    _adjustment = changed
    return now()


def set_time(moment: datetime.datetime, *, frozen: bool = False) -> datetime.datetime:
    """Make ``moment`` the current time; return it as an aware UTC datetime.

    Parameters:
        moment: the new current time; a naive datetime is taken as UTC.
        frozen: stop the clock there (True) or let it run on from there (False).
    """
    global _adjustment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_UTC)
    moment = moment.astimezone(_UTC)
    _adjustment = moment if frozen else moment - datetime.datetime.now(_UTC)
    return now()


def release() -> datetime.datetime:
    """Go back to real time (or to whatever freezegun or time-machine say it is)."""
    global _adjustment
    _adjustment = None
    return now()


def frozen() -> bool:
    """Whether :func:`set_time` froze the clock."""
    return isinstance(_adjustment, datetime.datetime)


def midnight(moment: datetime.datetime) -> datetime.datetime:
    """Return 00:00 UTC of the day of ``moment`` (LastAccessedDate has day granularity)."""
    return moment.astimezone(_UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def days(count: float) -> datetime.timedelta:
    """Return a timedelta of ``count`` days."""
    return _DAY * count


def to_epoch(moment: datetime.datetime) -> float:
    """Return ``moment`` as epoch seconds with millisecond precision, as AWS sends it."""
    return round(moment.timestamp(), 3)
