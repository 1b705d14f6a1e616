"""The clock's own adjustment (what ``smmock serve`` moves), alone and under freezegun."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from freezegun import freeze_time

from smmock import _clock

UTC = datetime.timezone.utc
START = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def real_time() -> Iterator[None]:
    _clock.release()
    yield
    _clock.release()


def test_shift_moves_a_frozen_freezegun_clock() -> None:
    with freeze_time(START) as frozen:
        assert _clock.shift(DAY) == START + DAY
        assert _clock.now() == START + DAY
        # freezegun still drives the clock underneath the shift.
        frozen.tick(60)
        assert _clock.now() == START + DAY + datetime.timedelta(seconds=60)
        assert _clock.release() == START + datetime.timedelta(seconds=60)


def test_shift_under_time_machine() -> None:
    with time_machine.travel(START, tick=False):
        assert _clock.shift(-DAY) == START - DAY
        assert _clock.frozen() is False


def test_set_time_frozen_and_running() -> None:
    with freeze_time(START) as frozen:
        target = datetime.datetime(2030, 1, 1, tzinfo=UTC)
        assert _clock.set_time(target, frozen=True) == target
        frozen.tick(3600)
        assert (_clock.now(), _clock.frozen()) == (target, True)
        assert _clock.shift(DAY) == target + DAY
        # Running: moves with the underlying clock from the moment it was set.
        assert _clock.set_time(target) == target
        frozen.tick(3600)
        assert (_clock.now(), _clock.frozen()) == (target + datetime.timedelta(hours=1), False)


def test_naive_times_are_utc_and_others_are_converted() -> None:
    with freeze_time(START):
        assert _clock.set_time(datetime.datetime(2030, 1, 1), frozen=True) == datetime.datetime(
            2030, 1, 1, tzinfo=UTC
        )
        plus_two = datetime.timezone(datetime.timedelta(hours=2))
        moment = _clock.set_time(datetime.datetime(2030, 1, 1, 2, tzinfo=plus_two), frozen=True)
        assert (moment, moment.tzinfo) == (datetime.datetime(2030, 1, 1, tzinfo=UTC), UTC)


def test_release_goes_back_to_real_time() -> None:
    _clock.shift(datetime.timedelta(days=-3650))
    real = _clock.release()
    assert abs(real - datetime.datetime.now(UTC)) < datetime.timedelta(seconds=5)
    assert _clock.frozen() is False


def test_a_shift_out_of_range_changes_nothing() -> None:
    with freeze_time(START):
        _clock.shift(DAY)
        with pytest.raises(OverflowError):
            _clock.shift(datetime.timedelta(days=999_999_999))
        assert _clock.now() == START + DAY
        _clock.set_time(START, frozen=True)
        with pytest.raises(OverflowError):
            _clock.shift(datetime.timedelta(days=-999_999_999))
        assert _clock.now() == START
