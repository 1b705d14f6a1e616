"""Rotation rules: validation, derived AutomaticallyAfterDays, next rotation dates."""

from __future__ import annotations

import datetime

import pytest

from smmock._service.schedule import check_rules, interval_days, next_rotation
from smmock.exceptions import InvalidParameterException

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
TOO_OFTEN = "The schedule expression must not rotate more often than every 4 hours."


def invalid(expression: str) -> str:
    return (
        f"The ScheduleExpression {expression} is not valid. Use rate(N hours), rate(N days) or "
        "cron(0 Hours Day-of-month Month Day-of-week *)."
    )


def test_days_rule_is_kept_as_given() -> None:
    assert check_rules({"AutomaticallyAfterDays": 30}) == {"AutomaticallyAfterDays": 30}


@pytest.mark.parametrize(
    ("after", "days", "expected"),
    [
        # The end of the window: 23:59:59 UTC on the day of the base plus N days.
        (NOW, 30, datetime.datetime(2026, 12, 28, 23, 59, 59, tzinfo=UTC)),
        # The two real CLI outputs the spec quotes (a leap February, then a plain one).
        (
            datetime.datetime(2024, 2, 22, 7, 16, tzinfo=UTC),
            30,
            datetime.datetime(2024, 3, 23, 23, 59, 59, tzinfo=UTC),
        ),
        (
            datetime.datetime(2026, 2, 3, 18, 5, 42, 123000, tzinfo=UTC),
            30,
            datetime.datetime(2026, 3, 5, 23, 59, 59, tzinfo=UTC),
        ),
        # One second before midnight and at midnight fall on different days.
        (
            datetime.datetime(2024, 3, 10, 23, 59, 59, 999999, tzinfo=UTC),
            1,
            datetime.datetime(2024, 3, 11, 23, 59, 59, tzinfo=UTC),
        ),
        (
            datetime.datetime(2024, 3, 11, 0, 0, tzinfo=UTC),
            1,
            datetime.datetime(2024, 3, 12, 23, 59, 59, tzinfo=UTC),
        ),
    ],
)
def test_days_rule_ends_the_window_at_the_end_of_the_day(
    after: datetime.datetime, days: int, expected: datetime.datetime
) -> None:
    assert next_rotation({"AutomaticallyAfterDays": days}, after) == expected


def test_cron_from_the_aws_example_derives_14_days() -> None:
    rules = {"ScheduleExpression": "cron(0 16 1,15 * ? *)", "Duration": "2h"}
    assert check_rules(rules) == {
        "AutomaticallyAfterDays": 14,
        "Duration": "2h",
        "ScheduleExpression": "cron(0 16 1,15 * ? *)",
    }
    assert next_rotation(rules, NOW) == datetime.datetime(2026, 12, 1, 16, tzinfo=UTC)
    after = datetime.datetime(2026, 12, 1, 16, tzinfo=UTC)
    assert next_rotation(rules, after) == datetime.datetime(2026, 12, 15, 16, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "days", "following"),
    [
        ("rate(10 days)", 10, NOW + datetime.timedelta(days=10)),
        ("rate(1 day)", 1, NOW + datetime.timedelta(days=1)),
        ("rate(4 hours)", 1, NOW + datetime.timedelta(hours=4)),
        ("rate(48 hours)", 2, NOW + datetime.timedelta(hours=48)),
        ("cron(0 0/6 * * ? *)", 1, datetime.datetime(2026, 11, 28, 12, tzinfo=UTC)),
        # Second Monday of each month at 08:00 UTC; 2026-12-14 is one.
        ("cron(0 8 ? * MON#2 *)", 28, datetime.datetime(2026, 12, 14, 8, tzinfo=UTC)),
        # Last day of the month.
        ("cron(0 0 L * ? *)", 28, datetime.datetime(2026, 11, 30, 0, tzinfo=UTC)),
        ("cron(0 12 ? * SUN-SAT *)", 1, datetime.datetime(2026, 11, 28, 12, tzinfo=UTC)),
        ("cron(0 3 1 JAN,JUL ? *)", 181, datetime.datetime(2027, 1, 1, 3, tzinfo=UTC)),
    ],
)
def test_schedules(expression: str, days: int, following: datetime.datetime) -> None:
    rules = {"ScheduleExpression": expression}
    assert interval_days(rules) == days
    assert check_rules(rules)["AutomaticallyAfterDays"] == days
    assert next_rotation(rules, NOW) == following


@pytest.mark.parametrize(
    "expression",
    [
        "rate(1 hours)",
        "rate(2 day)",
        "rate(0 days)",
        "rate(5 minutes)",
        "cron(5 10 * * ? *)",
        "cron(0 10 * * * *)",
        "cron(0 10 ? * ? *)",
        "cron(0 25 * * ? *)",
        "cron(0 10 * * ? 2027)",
        "cron(0 10 * * ?)",
        "cron(0 10 ? * MON#6 *)",
        "every day",
    ],
)
def test_invalid_expressions(expression: str) -> None:
    with pytest.raises(InvalidParameterException) as caught:
        check_rules({"ScheduleExpression": expression})
    assert caught.value.message == invalid(expression)


@pytest.mark.parametrize(
    "expression", ["rate(3 hours)", "cron(0 * * * ? *)", "cron(0 0,2 * * ? *)"]
)
def test_more_often_than_every_4_hours_is_refused(expression: str) -> None:
    with pytest.raises(InvalidParameterException) as caught:
        check_rules({"ScheduleExpression": expression})
    assert caught.value.message == TOO_OFTEN


def test_days_and_expression_together_or_neither() -> None:
    with pytest.raises(InvalidParameterException) as both:
        check_rules({"AutomaticallyAfterDays": 3, "ScheduleExpression": "rate(3 days)"})
    assert both.value.message == (
        "You can't specify both AutomaticallyAfterDays and ScheduleExpression."
    )
    with pytest.raises(InvalidParameterException) as neither:
        check_rules({"Duration": "2h"})
    assert neither.value.message == (
        "RotationRules must specify AutomaticallyAfterDays or ScheduleExpression."
    )


@pytest.mark.parametrize("duration", ["0h", "25h", "h", "3d"])
def test_duration_bounds(duration: str) -> None:
    with pytest.raises(InvalidParameterException) as caught:
        check_rules({"AutomaticallyAfterDays": 3, "Duration": duration})
    assert caught.value.message == f"The Duration {duration} is not valid. Specify 1h to 24h."
