"""``mock_secrets``: one object that is a decorator, a context manager and start/stop.

Activations nest and share one backend: a decorator inside a fixture inside a ``with``
block all see the same secrets. When the outermost activation ends, the state is reset
and every patch (environment, botocore, requests) comes off, even if the body raised.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Awaitable, Callable, Generator, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from smmock._intercept import environment
from smmock._intercept import hook as _hook

# Imported for their botocore handlers, registered at import like the hook's: seeded
# ClientRequestTokens, and the adaptive-retry check.
from smmock._intercept import retries as _retries
from smmock._intercept import tokens as _tokens  # noqa: F401
from smmock._model.defaults import DEFAULT_ACCOUNT_ID

if TYPE_CHECKING:
    import unittest

    from smmock.backend import SecretsBackend

__all__ = ["MockSecrets", "NoRetrySleep", "mock_secrets", "no_retry_sleep"]

NoRetrySleep = _retries.NoRetrySleep

_F = TypeVar("_F", bound=Callable[..., Any])
# An IAM or STS principal: a user, role, assumed-role session, root...
_PRINCIPAL_RE = re.compile(r"arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:[^\s]+")
_T = TypeVar("_T")
State = Mapping[str, Any] | str | os.PathLike[str]


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
        seed: make ARN suffixes, version ids (including the ClientRequestTokens botocore
            would fill with ``uuid4()``), request ids, rotation tokens and
            GetRandomPassword deterministic while this is the innermost seeded mock: two
            runs with the same seed (under the same frozen clock) get byte-identical
            answers.
        state: a dict from ``SecretsBackend.dump()`` or the path of a JSON file holding
            one, loaded when the mock starts (replacing every secret).
        allowed_actions: the IAM actions the caller's identity-based policy allows, with
            IAM's wildcards (``["secretsmanager:ListSecrets", "secretsmanager:Delete*"]``);
            every other call fails with AWS's ``AccessDeniedException``. None (default)
            allows everything.
        caller_arn: the IAM principal requests are made as (access-denied messages and
            resource-policy principals); default ``arn:aws:iam::<account_id>:user/smmock``.

    ``allowed_actions``, ``caller_arn`` and ``seed`` left at None keep the values of the
    mock this one is nested in; they apply while this is the innermost mock.

    Client set-up is memoised while a mock is active (see ``smmock._intercept.speedups``); set
    ``SMMOCK_SPEEDUPS=0`` to turn that off.
    """

    def __init__(
        self,
        *,
        account_id: str = DEFAULT_ACCOUNT_ID,
        region: str | None = None,
        skip_signing: bool = False,
        seed: int | None = None,
        state: State | None = None,
        allowed_actions: Iterable[str] | None = None,
        caller_arn: str | None = None,
    ) -> None:
        if not (isinstance(account_id, str) and len(account_id) == 12 and account_id.isdigit()):
            raise ValueError(f"account_id must be a string of 12 digits, not {account_id!r}.")
        # Anything else would only fail later, in every client, and end up in ARNs and
        # AWS_DEFAULT_REGION first.
        if region is not None and not environment.is_region(region):
            raise ValueError(f"region must be {environment.REGION_FORM}, not {region!r}.")
        if not isinstance(skip_signing, bool):
            raise TypeError(f"skip_signing must be True or False, not {skip_signing!r}.")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise TypeError(f"seed must be an int, not {seed!r}.")
        if state is not None and not isinstance(state, (Mapping, str, os.PathLike)):
            raise TypeError(
                f"state must be a dict from SecretsBackend.dump() or a file path, not {state!r}."
            )
        if caller_arn is not None and not (
            isinstance(caller_arn, str) and _PRINCIPAL_RE.fullmatch(caller_arn)
        ):
            raise ValueError(
                "caller_arn must be an IAM principal ARN such as "
                f"'arn:aws:iam::123456789012:user/app', not {caller_arn!r}."
            )
        self.account_id = account_id
        self.region = region
        self.skip_signing = skip_signing
        self.seed = seed
        self.state = state
        self.allowed_actions = _actions(allowed_actions)
        self.caller_arn = caller_arn
        # This object's own activations (each with its options' token), so stopping it
        # ends one of them even when other mocks started later are still running.
        self._activations: list[tuple[_hook.Activation, object]] = []

    def start(self) -> SecretsBackend:
        """Activate the mock and return the shared backend."""
        region = self.region or environment.default_region()
        activation = _hook.activate(self.account_id, region, self.skip_signing)
        token: object = None
        backend: SecretsBackend | None = None
        try:
            backend = _hook.active_backend()
            assert backend is not None
            token = backend.push_options(
                seed=self.seed, allowed_actions=self.allowed_actions, caller_arn=self.caller_arn
            )
            if self.state is not None:
                backend.load(self.state)
        except BaseException:
            # A state that does not load (or an interrupt) leaves nothing started: not
            # this activation, nor its options on an outer mock's backend.
            if backend is not None and token is not None:
                backend.pop_options(token)
            _hook.deactivate(activation)
            raise
        self._activations.append((activation, token))
        return backend

    def stop(self) -> None:
        """Deactivate; the outermost stop resets all state and removes every patch."""
        if not self._activations:
            raise RuntimeError(
                "This mock_secrets() is not started: call start() before stop(), "
                "or use it as a context manager."
            )
        activation, token = self._activations.pop()
        backend = _hook.active_backend()
        if backend is not None:
            backend.pop_options(token)
        _hook.deactivate(activation)

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
            account_id=self.account_id,
            region=self.region,
            skip_signing=self.skip_signing,
            seed=self.seed,
            state=self.state,
            allowed_actions=self.allowed_actions,
            caller_arn=self.caller_arn,
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
    seed: int | None = None,
    state: State | None = None,
    allowed_actions: Iterable[str] | None = None,
    caller_arn: str | None = None,
) -> MockSecrets: ...


def mock_secrets(
    func: Any = None,
    /,
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str | None = None,
    skip_signing: bool = False,
    seed: int | None = None,
    state: State | None = None,
    allowed_actions: Iterable[str] | None = None,
    caller_arn: str | None = None,
) -> Any:
    """Mock AWS Secrets Manager for botocore and boto3.

    Bare (``@mock_secrets``) it decorates directly; called (``mock_secrets(region=...)``)
    it returns a :class:`MockSecrets` to use as a decorator or context manager.

    Parameters:
        func: the function, coroutine function or class to decorate (bare use only).
        account_id: the account id in ARNs (default ``123456789012``).
        region: the region the backend's helpers default to (default: the environment's,
            ``AWS_DEFAULT_REGION`` then ``AWS_REGION``, else ``us-east-1``); also
            ``AWS_DEFAULT_REGION`` while active if the environment names no region.
            Clients use their own region, which with such a variable set is the
            environment's, not this one.
        skip_signing: send Secrets Manager requests unsigned while this is the innermost
            active mock (default ``False``); see :class:`MockSecrets`.
        seed: deterministic ids and passwords (see :class:`MockSecrets`).
        state: a ``SecretsBackend.dump()`` dict or JSON file path to load at start.
        allowed_actions: the IAM actions the caller may perform (default: all).
        caller_arn: the IAM principal requests are made as.
    """
    mock = MockSecrets(
        account_id=account_id,
        region=region,
        skip_signing=skip_signing,
        seed=seed,
        state=state,
        allowed_actions=allowed_actions,
        caller_arn=caller_arn,
    )
    if func is None:
        return mock
    return mock(func)


def no_retry_sleep() -> NoRetrySleep:
    """Record botocore's retry back-off instead of sleeping it, while active.

    A context manager (``with no_retry_sleep() as retries:``; ``retries.delays`` lists
    the back-offs botocore asked for) or a decorator. Only botocore's retry sleeps are
    affected: ``time.sleep`` elsewhere still sleeps. The adaptive retry mode's rate
    limiter never waits while it is active, so adaptive clients work under a frozen
    clock; without it, smmock raises a ``RuntimeError`` instead of letting such a client
    hang on its first throttling error.
    """
    return NoRetrySleep()


def _actions(allowed_actions: Iterable[str] | None) -> tuple[str, ...] | None:
    # A bare string would be read as one action per character: refuse it.
    if allowed_actions is None:
        return None
    if isinstance(allowed_actions, str) or not isinstance(allowed_actions, Iterable):
        raise TypeError(
            "allowed_actions must be a list of IAM actions such as "
            f"['secretsmanager:GetSecretValue'], not {allowed_actions!r}."
        )
    actions = tuple(allowed_actions)
    for action in actions:
        if not isinstance(action, str) or not action:
            raise TypeError(f"Each allowed action must be a non-empty string, not {action!r}.")
    return actions
