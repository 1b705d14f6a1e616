"""``mock_secrets``: one object that is a decorator, a context manager and start/stop.

Activations nest and share one backend: a decorator inside a fixture inside a ``with``
block all see the same secrets. When the outermost activation ends, the state is reset
and every patch (environment, botocore, requests) comes off, even if the body raised.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Awaitable, Callable, Generator
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from smmock._intercept import environment
from smmock._intercept import hook as _hook
from smmock._model.defaults import DEFAULT_ACCOUNT_ID

if TYPE_CHECKING:
    import unittest

    from smmock.backend import SecretsBackend

__all__ = ["MockSecrets", "mock_secrets"]

_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T")


class MockSecrets:
    """An in-memory Secrets Manager for every botocore client while active.

    Use it as ``with mock_secrets() as backend:``, as a decorator on functions, coroutine
    functions, methods and test classes, or call :meth:`start` and :meth:`stop`.

    Parameters:
        account_id: the account id in ARNs and the account requests are served for.
        region: the region helper methods default to, and ``AWS_DEFAULT_REGION`` while
            active if the environment names no region. Default: the environment's
            region, read at each start (``AWS_DEFAULT_REGION``, then ``AWS_REGION``),
            else ``us-east-1``. Requests use their client's region.
        skip_signing: send Secrets Manager requests unsigned (no SigV4 ``Authorization``
            header) while this is the innermost active mock, which saves a few dozen
            microseconds per call. Off by default: real AWS needs signed requests, and a
            signed call exercises credential resolution as production does. Everything
            else (serialising, parsing, errors, retries) runs as usual.

    Client set-up is memoised while a mock is active (see ``smmock._intercept.speedups``); set
    ``SMMOCK_SPEEDUPS=0`` to turn that off.
    """

    def __init__(
        self,
        *,
        account_id: str = DEFAULT_ACCOUNT_ID,
        region: str | None = None,
        skip_signing: bool = False,
    ) -> None:
        if not (isinstance(account_id, str) and len(account_id) == 12 and account_id.isdigit()):
            raise ValueError(f"account_id must be a string of 12 digits, not {account_id!r}.")
        # Anything else would only fail later, in every client, and end up in ARNs and
        # AWS_DEFAULT_REGION first.
        if region is not None and not environment.is_region(region):
            raise ValueError(f"region must be {environment.REGION_FORM}, not {region!r}.")
        if not isinstance(skip_signing, bool):
            raise TypeError(f"skip_signing must be True or False, not {skip_signing!r}.")
        self.account_id = account_id
        self.region = region
        self.skip_signing = skip_signing
        # This object's own activations, so stopping it ends one of them even when other
        # mocks started later are still running.
        self._activations: list[_hook.Activation] = []

    def start(self) -> SecretsBackend:
        """Activate the mock and return the shared backend."""
        region = self.region or environment.default_region()
        self._activations.append(_hook.activate(self.account_id, region, self.skip_signing))
        backend = _hook.active_backend()
        assert backend is not None
        return backend

    def stop(self) -> None:
        """Deactivate; the outermost stop resets all state and removes every patch."""
        if not self._activations:
            raise RuntimeError(
                "This mock_secrets() is not started: call start() before stop(), "
                "or use it as a context manager."
            )
        _hook.deactivate(self._activations.pop())

    def __enter__(self) -> SecretsBackend:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @overload
    def __call__(self, func: type[_T]) -> type[_T]: ...

    @overload
    def __call__(self, func: _F) -> _F: ...

    def __call__(self, func: Any) -> Any:
        """Run a function, generator, coroutine function or class's tests inside the mock."""
        if isinstance(func, type):
            return self._decorate_class(func)
        # Imported here, not at module level: ``import smmock`` runs in every pytest
        # session through the plugin, and inspect is not cheap to import.
        import inspect

        if inspect.iscoroutinefunction(func):
            return self._decorate_coroutine(func)
        # A generator's body runs after the call returns: wrapping it like a function
        # left a decorated yield-fixture without the mock.
        if inspect.isgeneratorfunction(func):
            return self._decorate_generator(func)
        if inspect.isasyncgenfunction(func):
            raise TypeError(
                "mock_secrets cannot decorate an async generator function; "
                "use `with mock_secrets():` inside it."
            )
        if callable(func):
            return self._decorate_function(func)
        raise TypeError(
            f"mock_secrets can decorate a function, coroutine function or class, not {func!r}."
        )

    def _copy(self) -> MockSecrets:
        # Each call of a decorated function gets its own activation, so recursion and
        # concurrent calls stay balanced.
        return MockSecrets(
            account_id=self.account_id, region=self.region, skip_signing=self.skip_signing
        )

    def _decorate_function(self, func: Callable[..., _T]) -> Callable[..., _T]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> _T:
            with self._copy():
                return func(*args, **kwargs)

        return wrapper

    def _decorate_coroutine(
        self, func: Callable[..., Awaitable[_T]]
    ) -> Callable[..., Awaitable[_T]]:
        @functools.wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> _T:
            with self._copy():
                return await func(*args, **kwargs)

        return wrapper

    def _decorate_generator(
        self, func: Callable[..., Generator[Any, Any, _T]]
    ) -> Callable[..., Generator[Any, Any, _T]]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Generator[Any, Any, _T]:
            with self._copy():
                return (yield from func(*args, **kwargs))

        return wrapper

    def _decorate_testcase(self, cls: type[unittest.TestCase]) -> None:
        # Start before setUp and stop after tearDown and cleanups, for every test.
        original_setup = cls.setUp
        mock = self

        def setUp(test: unittest.TestCase) -> None:
            active = mock._copy()
            active.start()
            test.addCleanup(active.stop)
            original_setup(test)

        cls.setUp = setUp  # type: ignore[method-assign, assignment]

    def _decorate_class(self, cls: type[_T]) -> type[_T]:
        # A class can only be a TestCase if unittest was imported; don't import it here.
        unittest_module = sys.modules.get("unittest")
        if unittest_module is not None and issubclass(cls, unittest_module.TestCase):
            self._decorate_testcase(cast("type[unittest.TestCase]", cls))
            return cls
        for name, attribute in list(vars(cls).items()):
            if not name.startswith("test"):
                continue
            # Wrap the function inside static and class methods: wrapping the descriptor
            # itself turned a staticmethod into an instance method (self passed in).
            if isinstance(attribute, (staticmethod, classmethod)):
                setattr(cls, name, type(attribute)(self(attribute.__func__)))
            elif callable(attribute):
                setattr(cls, name, self(attribute))
        return cls


@overload
def mock_secrets(func: _F, /) -> _F: ...


@overload
def mock_secrets(
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str | None = None,
    skip_signing: bool = False,
) -> MockSecrets: ...


def mock_secrets(
    func: Any = None,
    /,
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str | None = None,
    skip_signing: bool = False,
) -> Any:
    """Mock AWS Secrets Manager for botocore and boto3.

    Bare (``@mock_secrets``) it decorates directly; called (``mock_secrets(region=...)``)
    it returns a :class:`MockSecrets` to use as a decorator or context manager.

    Parameters:
        func: the function, coroutine function or class to decorate (bare use only).
        account_id: the account id in ARNs (default ``123456789012``).
        region: the default region for helpers and for clients with no region configured
            (default: ``AWS_DEFAULT_REGION``, then ``AWS_REGION``, then ``us-east-1``).
        skip_signing: send Secrets Manager requests unsigned while this is the innermost
            active mock (default ``False``); see :class:`MockSecrets`.
    """
    mock = MockSecrets(account_id=account_id, region=region, skip_signing=skip_signing)
    if func is None:
        return mock
    return mock(func)
