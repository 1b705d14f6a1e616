"""aiobotocore: the interception of :mod:`.hook` for its async endpoint, signer and session.

aiobotocore subclasses botocore's classes and overrides the methods smmock patches with
coroutines: ``AioEndpoint._do_get_response`` and ``_send``, ``AioRequestSigner.sign``
and ``AioSession._create_client``. While a mock is active those are patched the same
way: a Secrets Manager request is answered by smmock alone whenever its session was
made, signed with the fake keys (as ``AioCredentials``, whose frozen form aiobotocore
awaits), and a client made inside a mock never runs the session's credential provider
chain.

aiobotocore loaded before the mock started is patched when it starts; loaded while a
mock is active (a lazy ``import aioboto3`` in application code), it is patched as soon
as each of its modules has run, by an import hook that exists only while a mock is
active.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

from smmock._intercept import environment, hook
from smmock._intercept.state import LOCK, state
from smmock._service.backend import SecretsBackend

__all__ = ["install", "watch_imports"]


class _SilentBeforeSend:
    """An aiobotocore emitter in which ``before-send`` reaches no handler."""

    __slots__ = ("_emitter",)

    def __init__(self, emitter: Any) -> None:
        self._emitter = emitter

    async def emit(self, event_name: str, **kwargs: Any) -> Any:
        if event_name.startswith("before-send."):
            return []
        return await self._emitter.emit(event_name, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._emitter, name)


class _AnsweredBySmmock:
    """An ``AioEndpoint`` as its ``_do_get_response`` sees it while a mock is active."""

    __slots__ = ("_backend", "_endpoint", "_event_emitter")

    def __init__(self, endpoint: Any, backend: SecretsBackend) -> None:
        self._endpoint = endpoint
        self._backend = backend
        self._event_emitter = _SilentBeforeSend(endpoint._event_emitter)

    async def _send(self, request: Any) -> Any:
        return hook.answer(request, self._backend)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)


def _do_get_response_patch(original: Callable[..., Any]) -> Callable[..., Any]:
    async def _do_get_response(self: Any, request: Any, operation_model: Any, context: Any) -> Any:
        backend = state.backend
        if backend is not None and self._endpoint_prefix == "secretsmanager":
            self = _AnsweredBySmmock(self, backend)
        return await original(self, request, operation_model, context)

    return _do_get_response


def _sign_patch(credentials: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def factory(original: Callable[..., Any]) -> Callable[..., Any]:
        async def sign(
            self: Any, operation_name: str, request: Any, *args: Any, **kwargs: Any
        ) -> Any:
            if not hook.signing_plan(self, request, credentials):
                return None
            return await original(self, operation_name, request, *args, **kwargs)

        return sign

    return factory


def _create_client_patch(original: Callable[..., Any]) -> Callable[..., Any]:
    async def _create_client(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        args, kwargs = hook.client_arguments(service_name, args, kwargs)
        return await original(self, service_name, *args, **kwargs)

    return _create_client


# What is patched in this activation cycle, by "module.Class.attribute".
_patched: set[str] = set()


def install() -> None:
    """Patch whichever of aiobotocore's endpoint, signer and session are loaded and not
    patched yet (each is undone with the other patches when the outermost mock stops)."""
    if not _patched:
        state.patches.append(_patched.clear)
    credentials = sys.modules.get("aiobotocore.credentials")
    fake = None
    if credentials is not None and hasattr(credentials, "AioCredentials"):
        fake = credentials.AioCredentials(environment.FAKE_ACCESS_KEY, environment.FAKE_SECRET_KEY)
    targets: tuple[tuple[str, str, str, Callable[[Any], Any] | None], ...] = (
        ("aiobotocore.endpoint", "AioEndpoint", "_do_get_response", _do_get_response_patch),
        ("aiobotocore.signers", "AioRequestSigner", "sign", _sign_patch(fake) if fake else None),
        ("aiobotocore.session", "AioSession", "_create_client", _create_client_patch),
    )
    for module_name, class_name, attribute, factory in targets:
        key = f"{module_name}.{class_name}.{attribute}"
        owner = getattr(sys.modules.get(module_name), class_name, None)
        if key in _patched or factory is None or owner is None or attribute not in vars(owner):
            continue
        hook.swap(owner, attribute, factory)
        _patched.add(key)


_WATCHED = frozenset(
    (
        "aiobotocore.credentials",
        "aiobotocore.endpoint",
        "aiobotocore.session",
        "aiobotocore.signers",
    )
)


class _PatchAfterRunning(importlib.abc.Loader):
    """A loader that runs the real one, then patches what the module brought."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        with LOCK:
            if state.backend is not None:
                install()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)


class _Watcher(importlib.abc.MetaPathFinder):
    """Finds nothing itself: hands aiobotocore's modules a patching loader."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in _WATCHED:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _PatchAfterRunning(spec.loader)
                return spec
        return None


def watch_imports() -> Callable[[], None]:
    """Until the returned function is called, patch aiobotocore's modules as they load."""
    watcher = _Watcher()
    sys.meta_path.insert(0, watcher)

    def stop() -> None:
        if watcher in sys.meta_path:
            sys.meta_path.remove(watcher)

    return stop
