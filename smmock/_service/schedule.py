"""Rotation rules: validation of ``RotationRules`` and the next rotation date they give.

Secrets Manager accepts ``AutomaticallyAfterDays`` (1-1000) or a ``ScheduleExpression``:
``rate(N hours|days)`` no more often than every 4 hours, or a six-field UTC
``cron(Minutes Hours Day-of-month Month Day-of-week Year)`` with minute ``0``, year ``*``
and ``?`` in one of the two day fields. ``Duration`` (``[0-9]+h``, at most 24 h) is the
rotation window; smmock rotates at its start.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any

from smmock.exceptions import InvalidParameterException

__all__ = ["check_rules", "interval_days", "next_rotation"]

_RATE = re.compile(r"rate\((\d+) (hours?|days?)\)")
_CRON = re.compile(r"cron\((.*)\)")
_DURATION = re.compile(r"(\d+)h")
_MONTHS = {name.upper(): i for i, name in enumerate(calendar.month_abbr) if name}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_HORIZON_DAYS = 366 * 5


def _invalid(expression: str) -> InvalidParameterException:
    return InvalidParameterException(
        f"The ScheduleExpression {expression} is not valid. Use rate(N hours), rate(N days) or "
        "cron(0 Hours Day-of-month Month Day-of-week *)."
    )


class _Cron:
    """A parsed cron schedule: the hours, months and day rule it fires on (minute 0)."""

    __slots__ = ("days", "dom", "hours", "months", "weekday")

    def __init__(self, expression: str, fields: list[str]) -> None:
        if len(fields) != 6 or fields[0] != "0" or fields[5] not in ("*", "?"):
            raise _invalid(expression)
        _minute, hour, dom, month, dow, _year = fields
        if (dom == "?") == (dow == "?"):
            # Exactly one of the day fields must be "?", as in EventBridge.
            raise _invalid(expression)
        self.hours = sorted(_values(expression, hour, 0, 23, {}))
        self.months = _values(expression, month, 1, 12, _MONTHS)
        self.dom = dom
        # Parsed once here: day_matches runs for every day scanned, thousands of times
        # when the interval of a schedule is derived.
        self.days = _values(expression, dom, 1, 31, {}) if dom not in ("?", "*", "L") else None
        self.weekday = _dow_matcher(expression, dow) if dow not in ("?", "*") else None

    def day_matches(self, day: datetime.date, expression: str) -> bool:
        if day.month not in self.months:
            return False
        if self.dom == "L":
            return day.day == calendar.monthrange(day.year, day.month)[1]
        if self.days is not None:
            return day.day in self.days
        if self.weekday is not None:
            return self.weekday(day)
        return True


def _values(expression: str, field: str, low: int, high: int, names: dict[str, int]) -> set[int]:
    out: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise _invalid(expression)
            step = int(step_text)
        if base in ("*", "?"):
            start, end = low, high
        else:
            first, _, last = base.partition("-")
            start = _number(expression, first, names)
            end = _number(expression, last, names) if last else (high if step_text else start)
        if not low <= start <= end <= high:
            raise _invalid(expression)
        out.update(range(start, end + 1, step))
    return out


def _number(expression: str, text: str, names: dict[str, int]) -> int:
    if text.isdigit():
        return int(text)
    if text.upper() in names:
        return names[text.upper()]
    raise _invalid(expression)


def _dow_matcher(expression: str, field: str) -> Callable[[datetime.date], bool]:
    # AWS numbers days 1 (Sunday) to 7 (Saturday); Python's weekday() is Monday=0.
    def aws_dow(day: datetime.date) -> int:
        return (day.weekday() + 1) % 7 + 1

    if "#" in field:
        name, _, nth = field.partition("#")
        weekday = _number(expression, name, _DAYS)
        if not (1 <= weekday <= 7 and nth.isdigit() and 1 <= int(nth) <= 5):
            raise _invalid(expression)
        return lambda day: aws_dow(day) == weekday and (day.day - 1) // 7 + 1 == int(nth)
    if field.endswith("L") and len(field) > 1:
        weekday = _number(expression, field[:-1], _DAYS)
        return lambda day: (
            aws_dow(day) == weekday and day.day + 7 > calendar.monthrange(day.year, day.month)[1]
        )
    days = _values(expression, field, 1, 7, _DAYS)
    return lambda day: aws_dow(day) in days


_MIN_INTERVAL = datetime.timedelta(hours=4)


def _too_often() -> InvalidParameterException:
    return InvalidParameterException(
        "The schedule expression must not rotate more often than every 4 hours."
    )


_MAX_RATE_COUNT = 1000 * 24


def _parse(expression: str) -> tuple[datetime.timedelta | None, _Cron | None]:
    rate = _RATE.fullmatch(expression)
    if rate is not None:
        count, unit = int(rate.group(1)), rate.group(2)
        if count == 0 or (count == 1) != (not unit.endswith("s")):
            raise _invalid(expression)
        if count > _MAX_RATE_COUNT:
            # Far past the 1000-day limit, and past what a timedelta can hold.
            raise _too_rare()
        delta = (
            datetime.timedelta(hours=count)
            if unit.startswith("hour")
            else datetime.timedelta(days=count)
        )
        if delta < _MIN_INTERVAL:
            raise _too_often()
        if delta > _MAX_INTERVAL:
            raise _too_rare()
        return delta, None
    cron = _CRON.fullmatch(expression)
    if cron is None:
        raise _invalid(expression)
    return None, _Cron(expression, cron.group(1).split())


def _cron_next(cron: _Cron, expression: str, after: datetime.datetime) -> datetime.datetime:
    day = after.date()
    for _ in range(_HORIZON_DAYS):
        if cron.day_matches(day, expression):
            for hour in cron.hours:
                moment = datetime.datetime(
                    day.year, day.month, day.day, hour, tzinfo=datetime.timezone.utc
                )
                if moment > after:
                    return moment
        day += datetime.timedelta(days=1)
    raise _invalid(expression)


def check_rules(rules: Mapping[str, Any]) -> dict[str, Any]:
    """Validate RotationRules and return them as DescribeSecret shows them.

    For a ScheduleExpression, AWS also reports an ``AutomaticallyAfterDays`` derived
    from the schedule: the shortest gap between two rotations, in whole days.
    """
    days = rules.get("AutomaticallyAfterDays")
    expression = rules.get("ScheduleExpression")
    duration = rules.get("Duration")
    if days is not None and expression is not None:
        raise InvalidParameterException(
            "You can't specify both AutomaticallyAfterDays and ScheduleExpression."
        )
    if days is None and expression is None:
        raise InvalidParameterException(
            "RotationRules must specify AutomaticallyAfterDays or ScheduleExpression."
        )
    if duration is not None:
        match = _DURATION.fullmatch(duration)
        if match is None or not 1 <= int(match.group(1)) <= 24:
            raise InvalidParameterException(
                f"The Duration {duration} is not valid. Specify 1h to 24h."
            )
    out: dict[str, Any] = {}
    out["AutomaticallyAfterDays"] = interval_days(
        {"ScheduleExpression": expression}
        if expression is not None
        else {"AutomaticallyAfterDays": days}
    )
    if duration is not None:
        out["Duration"] = duration
    if expression is not None:
        out["ScheduleExpression"] = expression
    return out


def interval_days(rules: Mapping[str, Any]) -> int:
    """The rotation interval in whole days (at least 1)."""
    expression = rules.get("ScheduleExpression")
    if expression is None:
        return int(rules["AutomaticallyAfterDays"])
    delta, cron = _parse(expression)
    if delta is not None:
        return max(1, delta.days)
    assert cron is not None
    shortest = _shortest_cron_gap(cron, expression)
    if shortest < _MIN_INTERVAL:
        raise _too_often()
    if shortest > _MAX_INTERVAL:
        raise _too_rare()
    return max(1, shortest.days)


# Firings are scanned from a fixed start so the answer does not depend on today. 2000
# starts a leap year, and eight years hold two more leap days, so day-of-month and
# leap-day schedules show their real gaps; the firing cap bounds sub-daily schedules,
# whose shortest gap shows within their first days anyway.
_SCAN_START = datetime.datetime(1999, 12, 31, 23, tzinfo=datetime.timezone.utc)
_SCAN_END = datetime.datetime(2008, 3, 2, tzinfo=datetime.timezone.utc)
_SCAN_FIRINGS = 1500
_MAX_INTERVAL = datetime.timedelta(days=1000)


def _too_rare() -> InvalidParameterException:
    return InvalidParameterException(
        "The schedule expression must rotate at least every 1000 days."
    )


def _shortest_cron_gap(cron: _Cron, expression: str) -> datetime.timedelta:
    # The gap from the scan start to the first firing is not a gap between rotations,
    # so the scan starts just before 2000-01-01 00:00 and counts firing-to-firing only.
    # (The first version measured from 2001-01-01 and stopped after one year: a yearly
    # schedule came out as 1 day and January/July as 184 instead of 181 days.)
    previous = _cron_next(cron, expression, _SCAN_START)
    shortest: datetime.timedelta | None = None
    for _ in range(_SCAN_FIRINGS):
        if previous >= _SCAN_END:
            break
        following = _cron_next(cron, expression, previous)
        gap = following - previous
        shortest = gap if shortest is None else min(shortest, gap)
        previous = following
    assert shortest is not None  # _cron_next raised if there was no second firing
    return shortest


def next_rotation(rules: Mapping[str, Any], after: datetime.datetime) -> datetime.datetime:
    """When a rotation that completed at ``after`` is next due under ``rules``.

    With ``AutomaticallyAfterDays`` N it is the end of the rotation window: 23:59:59 UTC
    on the day of ``after`` + N days (real CLI output: a rotation at 2024-02-22T07:16Z
    with N=30 shows NextRotationDate 2024-03-23T23:59:59Z).
    """
    expression = rules.get("ScheduleExpression")
    if expression is None:
        day = (after + datetime.timedelta(days=interval_days(rules))).date()
        return datetime.datetime(
            day.year, day.month, day.day, 23, 59, 59, tzinfo=datetime.timezone.utc
        )
    delta, cron = _parse(expression)
    if delta is not None:
        return after + delta
    assert cron is not None
    return _cron_next(cron, expression, after)
