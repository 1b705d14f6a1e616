"""aiobotocore: the interception of :mod:`.hook` for its async endpoint, signer and session.

aiobotocore subclasses botocore's classes and overrides the methods smmock patches with
coroutines: ``AioEndpoint._do_get_response`` and ``_send``, ``AioRequestSigner.sign``
and ``AioSession._create_client``. So while a mock is active, and if aiobotocore is
loaded, those are patched the same way: a Secrets Manager request is answered by smmock
alone whenever its session was made, signed with the fake keys (as ``AioCredentials``,
whose frozen form aiobotocore awaits), and a client made inside a mock never runs the
session's credential provider chain. A session made after ``import smmock`` also has
smmock's ``before-send`` handler, which answers through aiobotocore's own emitter.
"""

from __future__ import annotations

import sys
from typing import Any

from smmock._intercept import environment, hook
from smmock._intercept.state import state

__all__ = ["install"]


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

    __slots__ = ("_endpoint", "_event_emitter")

    def __init__(self, endpoint: Any) -> None:
        self._endpoint = endpoint
        self._event_emitter = _SilentBeforeSend(endpoint._event_emitter)

    async def _send(self, request: Any) -> Any:
        response = hook.before_send(request)
        if response is None:  # the mock stopped meanwhile (another thread)
            return await self._endpoint._send(request)
        return response

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)


async def _do_get_response(self: Any, request: Any, operation_model: Any, context: Any) -> Any:
    if state.backend is not None and self._endpoint_prefix == "secretsmanager":
        self = _AnsweredBySmmock(self)
    return await state.next["AioEndpoint._do_get_response"](self, request, operation_model, context)


_fake_credentials: Any = None


async def _sign(self: Any, operation_name: str, request: Any, *args: Any, **kwargs: Any) -> Any:
    if not hook.signing_plan(self, request, _fake_credentials):
        return None
    return await state.next["AioRequestSigner.sign"](self, operation_name, request, *args, **kwargs)


async def _create_client(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
    hook.give_fake_keys(service_name, args, kwargs)
    return await state.next["AioSession._create_client"](self, service_name, *args, **kwargs)


def install() -> None:
    """Patch aiobotocore's endpoint, signer and session while a mock is active, if it is
    loaded (each patch is undone with the others when the outermost mock stops)."""
    endpoint = sys.modules.get("aiobotocore.endpoint")
    signers = sys.modules.get("aiobotocore.signers")
    session = sys.modules.get("aiobotocore.session")
    credentials = sys.modules.get("aiobotocore.credentials")
    targets = (
        (endpoint, "AioEndpoint", "_do_get_response", _do_get_response),
        (signers, "AioRequestSigner", "sign", _sign),
        (session, "AioSession", "_create_client", _create_client),
    )
    global _fake_credentials
    if credentials is not None and _fake_credentials is None:
        _fake_credentials = credentials.AioCredentials(
            environment.FAKE_ACCESS_KEY, environment.FAKE_SECRET_KEY
        )
    for module, class_name, attribute, replacement in targets:
        owner = getattr(module, class_name, None)
        if owner is None or attribute not in vars(owner):
            continue
        if attribute == "sign" and _fake_credentials is None:
            continue
        hook.swap(owner, attribute, replacement)
