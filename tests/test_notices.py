"""smmock's warnings wait for the thread that caused them, outside every rotation function."""

from __future__ import annotations

import threading
import warnings

import pytest

from smmock._service.notices import Notices, Running
from smmock.exceptions import RotationFailedWarning, UnregisteredRotationFunctionWarning


def test_each_thread_gets_only_its_own_warnings() -> None:
    notices = Notices()
    notices.add(RotationFailedWarning, "from the main thread")
    seen: list[list[str]] = []

    def other() -> None:
        notices.add(UnregisteredRotationFunctionWarning, "from the other thread")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            notices.report()
        seen.append([str(w.message) for w in caught])

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen == [["from the other thread"]]
    with pytest.warns(RotationFailedWarning) as caught:
        notices.report()
    assert [str(w.message) for w in caught] == ["from the main thread"]
    assert notices.pending == {}


def test_warnings_wait_while_the_thread_runs_a_rotation_function() -> None:
    notices = Notices()
    notices.add(RotationFailedWarning, "later")
    notices.running.append(Running(threading.get_ident(), "arn:f", "createSecret", "arn:s"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        notices.report()  # inside the function: nothing yet
    notices.running.pop()
    with pytest.warns(RotationFailedWarning, match="^later$"):
        notices.report()


def test_quiet_drops_failure_warnings_only() -> None:
    notices = Notices()
    notices.quiet = True
    notices.failure("a failed rotation")
    notices.add(UnregisteredRotationFunctionWarning, "register it")
    with pytest.warns(UnregisteredRotationFunctionWarning) as caught:
        notices.report()
    assert [(w.category, str(w.message)) for w in caught] == [
        (UnregisteredRotationFunctionWarning, "register it")
    ]


def helper_that_hides(notices: Notices) -> None:
    __tracebackhide__ = True
    notices.report()


def test_the_warning_points_at_the_first_frame_that_does_not_hide_itself() -> None:
    notices = Notices()
    notices.add(RotationFailedWarning, "here")
    with pytest.warns(RotationFailedWarning) as caught:
        helper_that_hides(notices)  # the line the warning names
    [warning] = caught
    assert (warning.filename, warning.lineno) == (
        __file__,
        test_the_warning_points_at_the_first_frame_that_does_not_hide_itself.__code__.co_firstlineno
        + 4,
    )
