"""botocore's retries in tests: back-off without sleeping, and adaptive mode's frozen clock.

An injected fault (``backend.inject_fault``) goes through botocore's own retry modes,
which sleep between attempts: ``legacy`` and ``standard`` back off exponentially with
jitter (``botocore.endpoint`` calls ``time.sleep`` with the delay the ``needs-retry``
handlers return), and ``adaptive`` also waits in a client-side rate limiter
(``botocore.retries.bucket.TokenBucket``) on ``time.time()``.

:class:`NoRetrySleep` (``smmock.no_retry_sleep()``) takes both waits out without
touching the global ``time.sleep``, so other code still sleeps: while it is active,
``botocore.endpoint`` sees a ``time`` whose ``sleep`` records the delay instead of
sleeping, and the rate limiter's module sees a ``time`` whose clock moves an hour per
reading, so its bucket is always full and it never waits.

Without it, adaptive mode under a frozen clock (freezegun without ``tick``,
``time_machine.travel(..., tick=False)``) would hang forever after the first throttling
error: the rate limiter waits for a clock that never moves. :func:`check_adaptive`, a
``needs-retry.secrets-manager`` handler, detects that case when smmock answers with a
throttling error and raises a ``RuntimeError`` saying what to do instead.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, TypeVar, cast

import botocore.endpoint
import botocore.handlers
import botocore.retries.bucket
from botocore.retries import standard

from smmock._intercept import hook as _hook

__all__ = ["ADAPTIVE_FROZEN", "NoRetrySleep", "check_adaptive"]

_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T")

ADAPTIVE_FROZEN = (
    "smmock answered {operation} with {code}, which switches on the client-side rate "
    "limiter of botocore's adaptive retry mode; that limiter waits on time.time(), which is "
    "frozen here, so the next attempt would hang forever. Run the calls inside "
    "`with smmock.no_retry_sleep():`, freeze the clock with tick=True, or use the legacy "
    "or standard retry mode."
)


class _EndpointTime:
    """``botocore.endpoint``'s view of the time module: ``sleep`` only records."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    def sleep(self, seconds: float) -> None:
        for helper in list(_active):
            helper.delays.append(seconds)


class _BucketTime:
    """The adaptive rate limiter's view of the time module: a clock that races ahead."""

    def __init__(self) -> None:
        self._now = time.time()
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    def time(self) -> float:
        # An hour per reading refills any token bucket at once, so acquire() never waits.
        with self._lock:
            self._now += 3600.0
            return self._now


_active: list[NoRetrySleep] = []
_saved: list[tuple[Any, str, Any]] = []
_state_lock = threading.Lock()


class NoRetrySleep:
    """Record botocore's retry back-off instead of sleeping it (a context manager or
    decorator); see the module docstring.

    ``delays`` lists each back-off botocore asked for, in seconds, in order. Helpers
    nest: every active one records every delay.
    """

    def __init__(self) -> None:
        self.delays: list[float] = []

    def start(self) -> NoRetrySleep:
        """Start recording instead of sleeping; return self."""
        with _state_lock:
            if not _active:
                _swap(botocore.endpoint, "time", _EndpointTime())
                _swap(botocore.retries.bucket, "time", _BucketTime())
            _active.append(self)
        return self

    def stop(self) -> None:
        """Stop; the last active helper puts botocore's ``time`` back."""
        with _state_lock:
            if self not in _active:
                raise RuntimeError("This no_retry_sleep() is not active.")
            _active.remove(self)
            if not _active:
                while _saved:
                    module, name, original = _saved.pop()
                    setattr(module, name, original)

    def __enter__(self) -> NoRetrySleep:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __call__(self, func: _F) -> _F:
        """Run ``func`` (a function or coroutine function) inside a fresh helper."""
        import inspect

        if inspect.iscoroutinefunction(func):
            coroutine = cast("Callable[..., Awaitable[Any]]", func)

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with NoRetrySleep():
                    return await coroutine(*args, **kwargs)

            return cast("_F", run_async)

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with NoRetrySleep():
                return func(*args, **kwargs)

        return cast("_F", run)


def _swap(module: Any, name: str, replacement: Any) -> None:
    _saved.append((module, name, getattr(module, name)))
    setattr(module, name, replacement)


_DETECTOR = standard.ThrottlingErrorDetector(retry_event_adapter=standard.RetryEventAdapter())


def _clock_is_frozen() -> bool:
    # time.time() stands still across a real 5 ms wait only when something froze it.
    first = time.time()
    threading.Event().wait(0.005)
    return time.time() == first


def check_adaptive(
    response: Any = None,
    request_dict: Any = None,
    operation: Any = None,
    **kwargs: Any,
) -> None:
    """Refuse to let adaptive mode hang on a frozen clock (see the module docstring)."""
    if _active or _hook.active_backend() is None or not response:
        return
    context = request_dict.get("context") if isinstance(request_dict, dict) else None
    config = context.get("client_config") if isinstance(context, dict) else None
    retries = getattr(config, "retries", None) or {}
    if retries.get("mode") != "adaptive":
        return
    if not _DETECTOR.is_throttling_error(
        response=response, request_dict=request_dict, operation=operation, **kwargs
    ):
        return
    if _clock_is_frozen():
        code = response[1].get("Error", {}).get("Code")
        name = getattr(operation, "name", "the call")
        raise RuntimeError(ADAPTIVE_FROZEN.format(operation=name, code=code))


def _register() -> None:
    handler = ("needs-retry.secrets-manager", check_adaptive)
    if handler not in botocore.handlers.BUILTIN_HANDLERS:
        botocore.handlers.BUILTIN_HANDLERS.append(handler)


_register()
