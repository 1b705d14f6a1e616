"""Interception: how a botocore call reaches smmock, and starting and stopping mocks.

How a call reaches smmock (facts in ``spec/interception.md``):

* At import, :func:`before_send` is appended to ``botocore.handlers.BUILTIN_HANDLERS``
  under ``before-send.secrets-manager``, so every session created afterwards has it. It
  answers only while a mock is active and returns ``None`` otherwise, which leaves
  botocore untouched. aiobotocore emits the same event (see :mod:`.aio`).
* While a mock is active, ``Endpoint._do_get_response`` is patched at class level: for
  a ``secretsmanager`` endpoint it runs botocore's own code on a view of the endpoint
  whose ``before-send`` goes to smmock alone. botocore calls every ``before-send``
  handler even after one answered, so another library's catch-all handler (moto's
  ``mock_aws``) would otherwise see, store, or fail each Secrets Manager request. The
  view also serves clients whose session predates the import of smmock and so lacks
  the handler. Serialising, signing, parsing, modeled errors and retries stay
  botocore's.
* The user's credentials are never resolved while a mock is active. Refreshable and
  deferred credentials (assume-role, web identity, SSO, ``credential_process``,
  container, instance metadata) fetch themselves when a signer reads them, so
  ``RequestSigner.sign`` is patched to sign Secrets Manager requests with the mock's
  fake keys (passed as the request's ``request_credentials``, which botocore prefers to
  the client's), and ``Session.create_client`` gives a Secrets Manager client made
  inside a mock the fake keys instead of asking the session's provider chain. Nothing
  reads a credentials object's keys on start or stop either.
* ``skip_signing=True`` (off by default) sends Secrets Manager requests unsigned while
  the innermost activation has it: ``before-call`` marks the call and ``choose-signer``
  answers ``botocore.UNSIGNED`` (aiobotocore's signer, which overrides ``sign``, goes
  that way); the ``sign`` patch skips marked and unmarked calls alike.
* The environment (fake keys, no session token or expiry, a default region) is changed
  by :mod:`.environment`, exactly reversibly.
* Starting and stopping take one lock: the first activation installs the patches, the
  last one out removes them and restores the environment, from any number of threads.
  Nested activations share one backend; the innermost (most recently started) decides
  the account requests are served for and the defaults of the backend's helpers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import botocore
import botocore.credentials
import botocore.endpoint
import botocore.handlers
import botocore.session
import botocore.signers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from smmock._intercept import environment
from smmock._intercept.response import MockResponse
from smmock._intercept.state import LOCK, Activation, active_backend, state
from smmock._service.env import EnvPatch

if TYPE_CHECKING:
    from smmock._service.backend import SecretsBackend

# Served by smmock._wire.protocol.handle once the first mock starts: importing the
# backend only then keeps ``import smmock`` (and every pytest run with the plugin) cheap.
_handle: Callable[[SecretsBackend, str, str, str, bytes | str | None], tuple[int, bytes]]

__all__ = [
    "Activation",
    "MockResponse",
    "activate",
    "active_backend",
    "before_send",
    "deactivate",
    "region_from_request",
]

EVENT = "before-send.secrets-manager"
_SERVICE_ID = "Secrets Manager"
_ENDPOINT_PREFIX = "secretsmanager"
# What Secrets Manager requests are signed with while a mock is active.
FAKE_CREDENTIALS = botocore.credentials.Credentials(
    environment.FAKE_ACCESS_KEY, environment.FAKE_SECRET_KEY
)


def _header(headers: Any, name: str) -> str:
    value = headers.get(name)
    if value is None:
        return ""
    return value.decode() if isinstance(value, bytes) else str(value)


def _region(request: AWSPreparedRequest, backend: SecretsBackend) -> str:
    # Set by botocore on every request it prepares; botocore-stubs do not declare it.
    context = getattr(request, "context", None)
    if context:
        signing = context.get("signing")
        if signing and signing.get("region"):
            return str(signing["region"])
        region = context.get("client_region")
        if region:
            return str(region)
    return region_from_request(request.url, _header(request.headers, "Authorization"), backend)


def region_from_request(url: str, authorization: str, backend: SecretsBackend) -> str:
    """The region of a request without botocore's context: SigV4 scope, then host."""
    marker = authorization.find("Credential=")
    if marker >= 0:
        scope = authorization[marker + 11 :].split(",", 1)[0].split("/")
        if len(scope) >= 4:
            return scope[2]
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    parts = host.lower().rstrip(".").split(".")
    if len(parts) >= 3 and parts[0] in ("secretsmanager", "secretsmanager-fips"):
        return parts[1]
    return backend.region


def before_send(request: AWSPreparedRequest, **_kwargs: Any) -> AWSResponse | None:
    """Answer a Secrets Manager request from the active backend; ``None`` when inactive."""
    backend = state.backend
    if backend is None:
        return None
    return answer(request, backend)


def answer(request: AWSPreparedRequest, backend: SecretsBackend) -> AWSResponse:
    """Answer a Secrets Manager request from ``backend``."""
    status, body = _handle(
        backend,
        _region(request, backend),
        backend.account_id,
        _header(request.headers, "X-Amz-Target"),
        cast("bytes | str | None", request.body),  # the JSON serializer makes bytes
    )
    return MockResponse(request.url, status, body)


def _serve_plain(url: str, target: str, authorization: str, body: Any) -> tuple[int, bytes] | None:
    # A plain ``requests`` call: no botocore context, so the region comes from the
    # SigV4 credential scope or the host name.
    backend = state.backend
    if backend is None:
        return None
    region = region_from_request(url, authorization, backend)
    return _handle(backend, region, backend.account_id, target, body)


# -- the patches -------------------------------------------------------------------------


class _SilentBeforeSend:
    """A client's emitter in which ``before-send`` reaches no handler."""

    __slots__ = ("_emitter",)

    def __init__(self, emitter: Any) -> None:
        self._emitter = emitter

    def emit(self, event_name: str, **kwargs: Any) -> Any:
        if event_name.startswith("before-send."):
            return []
        return self._emitter.emit(event_name, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._emitter, name)


class _AnsweredBySmmock:
    """An endpoint as botocore's ``_do_get_response`` sees it while a mock is active:
    ``before-send`` is silent and "sending" asks smmock.

    The backend is the one active when the request was taken on: a request in flight
    when the last mock stops is still answered here (by the emptied backend), never sent
    to the network signed with the fake keys.
    """

    __slots__ = ("_backend", "_endpoint", "_event_emitter")

    def __init__(self, endpoint: Any, backend: SecretsBackend) -> None:
        self._endpoint = endpoint
        self._backend = backend
        self._event_emitter = _SilentBeforeSend(endpoint._event_emitter)

    def _send(self, request: AWSPreparedRequest) -> Any:
        return answer(request, self._backend)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)


def _do_get_response_patch(original: Callable[..., Any]) -> Callable[..., Any]:
    def _do_get_response(
        self: botocore.endpoint.Endpoint, request: Any, operation_model: Any, context: Any
    ) -> Any:
        backend = state.backend
        if backend is not None and self._endpoint_prefix == _ENDPOINT_PREFIX:  # type: ignore[attr-defined]
            self = cast("botocore.endpoint.Endpoint", _AnsweredBySmmock(self, backend))
        return original(self, request, operation_model, context)

    return _do_get_response


def signing_plan(signer: Any, request: Any, credentials: Any) -> bool:
    """Prepare a request for the ``sign`` patches; False: leave it unsigned.

    While a mock is active a Secrets Manager request is signed with ``credentials`` (the
    mock's fake keys), passed as the request's ``request_credentials``, which botocore
    prefers to the client's own: reading those would refresh them from STS, SSO, a
    credential process or instance metadata. With ``skip_signing`` a call before-call
    marked goes on to botocore, whose choose-signer answer skips signing (before-sign
    still runs); an unmarked one (its session predates the import) is skipped here.
    """
    # Cheap tests first: every signed call of every service passes here while active.
    if state.backend is None or signer._service_id != _SERVICE_ID:
        return True
    if state.skip_signing:
        return _marked(request)
    # A new dict: the signing context may be shared with the endpoint resolver's cache.
    context = request.context
    context["signing"] = {**(context.get("signing") or {}), "request_credentials": credentials}
    return True


def _sign_patch(original: Callable[..., Any]) -> Callable[..., Any]:
    def sign(
        self: botocore.signers.RequestSigner,
        operation_name: str,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if not signing_plan(self, request, FAKE_CREDENTIALS):
            return None
        return original(self, operation_name, request, *args, **kwargs)

    return sign


# Session.create_client's parameters after service_name, in order (aiobotocore's
# AioSession._create_client takes the same).
_CREATE_CLIENT_PARAMETERS = (
    "region_name",
    "api_version",
    "use_ssl",
    "verify",
    "endpoint_url",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "config",
    "aws_account_id",
)


def client_arguments(
    service_name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """``create_client``'s arguments, with the fake keys for a Secrets Manager client made
    while a mock is active, unless the caller passed keys of their own.

    Without keys the session would run its provider chain, which for a profile with
    ``credential_process``, a container or instance metadata fetches real credentials
    right away; a mocked client only ever signs with the fake ones.
    """
    if state.backend is None or service_name != _ENDPOINT_PREFIX:
        return args, kwargs
    if len(args) > len(_CREATE_CLIENT_PARAMETERS):
        return args, kwargs  # not a call botocore would accept: let it say so
    named = dict(zip(_CREATE_CLIENT_PARAMETERS, args, strict=False))
    if set(named) & set(kwargs):
        return args, kwargs  # ditto (a parameter given twice)
    named.update(kwargs)
    if named.get("aws_access_key_id") is None and named.get("aws_secret_access_key") is None:
        named["aws_access_key_id"] = environment.FAKE_ACCESS_KEY
        named["aws_secret_access_key"] = environment.FAKE_SECRET_KEY
        named.pop("aws_session_token", None)
    return (), named


def _create_client_patch(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_client(
        self: botocore.session.Session, service_name: str, *args: Any, **kwargs: Any
    ) -> Any:
        args, kwargs = client_arguments(service_name, args, kwargs)
        return original(self, service_name, *args, **kwargs)

    return create_client


# (class, attribute, factory): the factory gets what the attribute held when the
# outermost mock started and returns the function that wraps it. The original lives in
# the wrapper's closure, so a thread still inside a wrapper when the last mock stops
# finishes its call with it.
_CLASS_PATCHES: tuple[tuple[type, str, Callable[[Any], Any]], ...] = (
    (botocore.endpoint.Endpoint, "_do_get_response", _do_get_response_patch),
    (botocore.signers.RequestSigner, "sign", _sign_patch),
    (botocore.session.Session, "create_client", _create_client_patch),
)


# -- starting and stopping ---------------------------------------------------------------


def activate(account_id: str, region: str, skip_signing: bool = False) -> Activation:
    """Push an activation; the first one installs the patches and creates the state.

    Return the activation, to hand back to :func:`deactivate`.
    """
    activation = Activation(account_id, region, skip_signing)
    with LOCK:
        if state.backend is None:
            global _handle
            from smmock._service.backend import SecretsBackend
            from smmock._wire.protocol import handle

            _handle = handle
            try:
                _install(region)
                state.backend = SecretsBackend(account_id, region)
            except BaseException:
                # Even a KeyboardInterrupt here leaves nothing patched.
                state.backend = None
                _unpatch()
                raise
        state.stack.append(activation)
        _apply(activation)
    return activation


def _install(region: str) -> None:
    values, state.region_set = environment.fake_environment(region)
    environ = EnvPatch(values)
    environ.start()
    state.patches.append(environ.stop)
    for owner, name, factory in _CLASS_PATCHES:
        swap(owner, name, factory)
    # Deferred: responses and requests cost import time only users of a mock pay.
    from smmock._intercept import aio, plain_requests, speedups

    speedups.install(state.patches)
    aio.install()
    if "aiobotocore.session" not in sys.modules:
        state.patches.append(aio.watch_imports())
    state.patches.append(plain_requests.start(_serve_plain))


def swap(owner: type, name: str, factory: Callable[[Any], Any]) -> None:
    """Wrap a class attribute until the outermost mock stops.

    ``factory`` gets the attribute's current value and returns its replacement. On stop
    the original comes back only if the attribute still holds the replacement: if
    another library patched it on top meanwhile, its patch stays, and smmock's, left
    beneath it, passes everything through while no mock is active.
    """
    original = owner.__dict__[name]
    replacement = factory(original)
    setattr(owner, name, replacement)

    def undo() -> None:
        if owner.__dict__.get(name) is replacement:
            setattr(owner, name, original)

    state.patches.append(undo)


def _apply(activation: Activation) -> None:
    # The innermost activation rules: without this, a nested mock_secrets(account_id=X)
    # served requests for X while backend.create_secret() still seeded the outer account.
    backend = state.backend
    assert backend is not None
    backend.account_id = activation.account_id
    backend.region = activation.region
    state.skip_signing = activation.skip_signing
    if state.region_set is not None and os.environ.get("AWS_DEFAULT_REGION") == state.region_set:
        os.environ["AWS_DEFAULT_REGION"] = state.region_set = activation.region


def deactivate(activation: Activation | None = None) -> None:
    """End ``activation`` (default: the innermost); the last one resets the state and
    removes every patch."""
    with LOCK:
        if not state.stack:
            raise RuntimeError("smmock is not active: stop() was called more often than start().")
        if activation is None:
            activation = state.stack[-1]
        elif activation not in state.stack:
            raise RuntimeError("This smmock activation has already ended.")
        # Remove this very activation even when mocks stop out of order, so the one left
        # on top keeps its account and region.
        state.stack.remove(activation)
        if state.stack:
            _apply(state.stack[-1])
            return
        backend, state.backend = state.backend, None
        state.skip_signing = False
        try:
            if backend is not None:
                backend.reset()
        finally:
            _unpatch()
            environment.forget_fake_credentials()


def _unpatch() -> None:
    while state.patches:
        state.patches.pop()()


# -- handlers every session gets ---------------------------------------------------------


def before_call(request_signer: Any = None, context: Any = None, **_kwargs: Any) -> None:
    """Mark calls to go out unsigned while the innermost activation has ``skip_signing``.

    The ``sign`` patch already skips them for botocore; the mark serves signers that
    override ``sign`` (aiobotocore's), which still emit ``choose-signer``.
    """
    if state.backend is not None and context is not None and state.skip_signing:
        context[_UNSIGNED] = True


def choose_signer(context: Any = None, **_kwargs: Any) -> Any:
    """Skip signing for calls :func:`before_call` marked."""
    if context and context.get(_UNSIGNED) and state.backend is not None:
        return botocore.UNSIGNED
    return None


def _marked(request: Any) -> bool:
    context = getattr(request, "context", None)
    return bool(context and context.get(_UNSIGNED))


_UNSIGNED = "smmock_unsigned"
_HANDLERS = (
    (EVENT, before_send),
    ("before-call.secrets-manager", before_call),
    ("choose-signer.secrets-manager", choose_signer),
)


def _register() -> None:
    for handler in _HANDLERS:
        if handler not in botocore.handlers.BUILTIN_HANDLERS:
            botocore.handlers.BUILTIN_HANDLERS.append(handler)


_register()
