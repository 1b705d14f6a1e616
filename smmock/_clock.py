"""The only place smmock reads the time.

``now()`` looks ``datetime.datetime`` up on the module at every call, so freezegun (which
swaps the class in module globals) and time-machine (which patches the C clock) both
drive the backend, whether the clock was frozen before or after the mock started.
Never capture ``datetime.now`` in a default argument or a class attribute, and never use
``time.monotonic()``: time-machine leaves it real.
"""

from __future__ import annotations

import datetime

_UTC = datetime.timezone.utc
_DAY = datetime.timedelta(days=1)


def now() -> datetime.datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.datetime.now(_UTC)


def midnight(moment: datetime.datetime) -> datetime.datetime:
    """Return 00:00 UTC of the day of ``moment`` (LastAccessedDate has day granularity)."""
    return moment.astimezone(_UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def days(count: float) -> datetime.timedelta:
    """Return a timedelta of ``count`` days."""
    return _DAY * count


def to_epoch(moment: datetime.datetime) -> float:
    """Return ``moment`` as epoch seconds with millisecond precision, as AWS sends it."""
    return round(moment.timestamp(), 3)
