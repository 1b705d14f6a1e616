"""What smmock tells a test about its rotations: warnings, and the deadlock check.

A rotation function runs inside RotateSecret (or the lookup that triggers a scheduled
rotation), under the backend's lock. Two things follow, and this module handles both:

* A warning raised there would fire in the middle of the call (``-W error`` turns it
  into an exception, which the wire layer would answer as an internal error). So
  warnings wait in :class:`Notices` and are raised by the thread that caused them once
  it has released the lock and left every rotation function, pointing at the test's
  own line.
* A boto3 call the rotation function makes from another thread (a
  ``ThreadPoolExecutor``) waits for the lock the function's own thread holds while that
  thread waits for the call: :func:`wait_for_lock` recognises that and raises
  :class:`~smmock.exceptions.RotationDeadlockError` instead of hanging for ever.
"""

from __future__ import annotations

import sys
import threading
import warnings
from typing import TYPE_CHECKING, NamedTuple

from smmock.exceptions import RotationDeadlockError, RotationFailedError, RotationFailedWarning

if TYPE_CHECKING:
    from smmock._service.rotation import RotationFailure

__all__ = [
    "INCOMPLETE",
    "Notices",
    "Running",
    "step_failed",
    "unread_failures",
    "unregistered",
    "wait_for_lock",
]

INCOMPLETE = "A previous rotation isn't complete. That rotation will be reattempted."

# Frames of these packages are the call's path into smmock; a warning points past them,
# at the first frame of the test's own code.
_LIBRARIES = frozenset(
    {"smmock", "botocore", "boto3", "aiobotocore", "requests", "responses", "urllib3"}
)
# Seconds per wait for the lock, and how many waits in a row the rotating thread must be
# seen blocked in ``threading`` (about a second) before the wait is called a deadlock.
_POLL = 0.05
_PATIENCE = 20


class Running(NamedTuple):
    """A rotation function running now: its thread, ARN, step and secret."""

    thread: int
    function_arn: str
    step: str
    secret_arn: str


class Notices:
    """Warnings waiting for the threads that caused them, and the running functions.

    ``quiet`` (a ``strict_rotation`` mock) drops rotation-failure warnings: the test
    then fails at the mock's exit unless it read the failures.
    """

    __slots__ = ("pending", "quiet", "running")

    def __init__(self) -> None:
        # By thread: each thread takes only its own, so threads never race for them.
        self.pending: dict[int, list[tuple[type[Warning], str]]] = {}
        self.running: list[Running] = []
        self.quiet = False

    def add(self, category: type[Warning], message: str) -> None:
        """Queue a warning for the current thread."""
        self.pending.setdefault(threading.get_ident(), []).append((category, message))

    def failure(self, message: str) -> None:
        """Queue a :class:`RotationFailedWarning`, unless failures are for the test to read."""
        if not self.quiet:
            self.add(RotationFailedWarning, message)

    def report(self) -> None:
        """Raise the current thread's warnings; called once the backend lock is released.

        Inside a rotation function (its own boto3 calls come back here) they wait for the
        call that started the rotation.
        """
        me = threading.get_ident()
        if me not in self.pending or any(running.thread == me for running in self.running):
            return
        mine = self.pending.pop(me)
        level = _user_level()
        for category, message in mine:
            warnings.warn(message, category, stacklevel=level)


def _user_level() -> int:
    # The stacklevel that makes warnings.warn, called from Notices.report, name the first
    # frame outside smmock and the SDK (and outside helpers that hide themselves from
    # tracebacks with pytest's __tracebackhide__): the test's own call.
    frame = sys._getframe(2)  # Notices.report's caller, stacklevel 2 for warnings.warn
    level = 2
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        if module.partition(".")[0] not in _LIBRARIES and not frame.f_locals.get(
            "__tracebackhide__"
        ):
            return level
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return 2  # nothing but library frames (a thread the SDK started): Notices.report's caller


def wait_for_lock(lock: threading.RLock, running: list[Running]) -> None:
    """Take ``lock``, which another thread holds; refuse to wait for ever.

    A rotation function's thread holds the lock until the function returns. If that
    thread sits in a ``threading`` wait (``Future.result``, ``Thread.join``,
    ``Event.wait``, a queue) for a whole second while this thread waits for the lock, it
    is almost certainly waiting for this very call: raise instead of hanging.
    """
    me = threading.get_ident()
    blocked = 0
    while not lock.acquire(timeout=_POLL):
        rotation = running[-1] if running else None
        if rotation is None or rotation.thread == me:
            blocked = 0
            continue
        frame = sys._current_frames().get(rotation.thread)
        if frame is None or frame.f_code.co_filename != threading.__file__:
            blocked = 0
            continue
        blocked += 1
        if blocked >= _PATIENCE:
            raise RotationDeadlockError(_deadlock_message(rotation))


def _deadlock_message(rotation: Running) -> str:
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    return (
        f"smmock: this call, from thread {threading.current_thread().name!r}, would wait "
        f"for ever. The rotation function {rotation.function_arn} is running its "
        f"{rotation.step} step for {rotation.secret_arn} in thread "
        f"{names.get(rotation.thread, rotation.thread)!r}: smmock runs it inside RotateSecret, "
        "holding the mock's lock until it returns, and it is waiting for another thread, "
        "which waits for that lock. Make the rotation function's boto3 calls from its own "
        "thread rather than a ThreadPoolExecutor or another thread it waits for."
    )


def unregistered(function_arn: str, secret_arn: str, *, scheduled: bool = False) -> str:
    """The warning for a rotation whose function ARN has no registered function."""
    what = (
        f"The scheduled rotation of {secret_arn} did not run (recorded in "
        "backend.rotation_failures)"
        if scheduled
        else f"RotateSecret on {secret_arn} answered AccessDeniedException, as AWS does when "
        "it cannot invoke the rotation function"
    )
    return (
        f"{what}: no rotation function is registered for {function_arn}. To have smmock run "
        f"one, call backend.register_rotation_function({function_arn!r}, handler) first."
    )


def step_failed(
    secret_arn: str,
    token: str,
    function_arn: str,
    step: str,
    error: Exception,
    index: int,
    pending_stays: bool,
) -> str:
    """The warning for a rotation function that raised: what happened, what AWS does
    next, how to retry, and where the exception is."""
    # The exception's own text is left out (a rotation function's error may quote the
    # password it tried), except smmock's deadlock report, which holds no value.
    cause = type(error).__name__
    if isinstance(error, RotationDeadlockError):
        cause += f" ({error})"
    head = (
        f"Rotation of {secret_arn} failed: the rotation function {function_arn} raised "
        f"{cause} at step {step}. As in AWS, the call that started it succeeded."
    )
    if not pending_stays:
        return f"{head} The exception is backend.rotation_failures[{index}].error."
    return (
        f"{head} Version {token} keeps AWSPENDING, so another RotateSecret is refused with "
        f'"{INCOMPLETE}" To retry as AWS does, call RotateSecret with '
        f"ClientRequestToken={token!r}; to give up, remove AWSPENDING from that version "
        "(UpdateSecretVersionStage) or write a new value (PutSecretValue). The exception is "
        f"backend.rotation_failures[{index}].error."
    )


def unread_failures(failures: list[RotationFailure]) -> RotationFailedError:
    """The error a ``strict_rotation`` mock raises at exit for failures nobody read."""
    # Names, versions, steps and exception classes only: exception texts may hold values.
    lines = [
        f"  {failure.secret_arn} version {failure.version_id or '(none)'} at "
        f"{failure.step}: {type(failure.error).__name__}"
        for failure in failures
    ]
    count = f"{len(failures)} rotation{'s' if len(failures) > 1 else ''}"
    return RotationFailedError(
        f"{count} failed while this strict_rotation mock was active, and the test never "
        "read backend.rotation_failures:\n" + "\n".join(lines) + "\nRead "
        "backend.rotation_failures to check failures the test expects (the exceptions are "
        "there), or fix the rotation function."
    )
