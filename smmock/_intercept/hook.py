"""Interception: botocore's ``before-send`` hook and the stack of active mocks.

How a call reaches smmock (facts in ``spec/interception.md``):

* At import, :func:`before_send` is appended to ``botocore.handlers.BUILTIN_HANDLERS``
  under ``before-send.secrets-manager``. Every botocore session created afterwards copies
  it, so every client of such a session is answered, including clients made before a mock
  started: the handler checks for an active mock per request and returns ``None`` when
  there is none, which leaves botocore untouched. Being registered on the service's own
  event, it runs before catch-all ``before-send`` handlers such as moto's, so smmock
  serves Secrets Manager while moto serves the other services.
* Clients whose session was created before smmock was imported never got the handler.
  While a mock is active ``botocore.endpoint.Endpoint._send`` is patched at class level:
  a request of a ``secretsmanager`` endpoint that reaches the network layer is answered
  by the same code instead. Such clients also lack the ``choose-signer`` handler below,
  so ``botocore.signers.RequestSigner.sign`` is patched too: a Secrets Manager signer
  without credentials sends its request unsigned instead of raising
  ``NoCredentialsError``. Both patches wrap whatever was installed when the outermost
  mock started and come off with it, as do the client set-up speedups of
  :mod:`smmock._intercept.speedups`.
* ``skip_signing=True`` (off by default) sends Secrets Manager requests unsigned while
  the innermost activation has it: ``before-call`` marks the call and ``choose-signer``
  answers ``botocore.UNSIGNED``, so botocore skips SigV4 as it does for any unsigned
  service (``before-sign`` still runs); the ``sign`` patch does the same for clients
  that lack those handlers. The region still comes from the request's context.
* Fake credentials go into the environment with an exactly reversible patch
  (:class:`smmock._service.env.EnvPatch`), so code without credentials works and real ones are never
  used to sign a mocked call.
* Nested activations share one backend; the innermost one decides the account requests
  are served for and the account and region the backend's helpers default to, so what a
  test seeds and what its clients see always agree.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, cast

import botocore
import botocore.endpoint
import botocore.handlers
import botocore.signers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HeadersDict

from smmock._model.ids import request_id
from smmock._service.env import EnvPatch

if TYPE_CHECKING:
    from smmock._service.backend import SecretsBackend

# Served by smmock._wire.protocol.handle once the first mock starts: importing the backend
# only then keeps ``import smmock`` (and every pytest run with the plugin) cheap.
_handle: Callable[[SecretsBackend, str, str, str, bytes | str | None], tuple[int, bytes]]

__all__ = ["Activation", "activate", "active_backend", "before_send", "deactivate"]

EVENT = "before-send.secrets-manager"
FAKE_CREDENTIALS: dict[str, str | None] = {
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "smmock-fake-secret-access-key",
    # Unset rather than faked: a real session token must not ride along with the fake
    # keys, and a fake one would cost every mocked call an extra signed header.
    "AWS_SESSION_TOKEN": None,
    "AWS_SECURITY_TOKEN": None,
}


class Activation:
    """One started mock: the account it serves, the default region it sets, and whether
    Secrets Manager requests skip signing while it is the innermost."""

    __slots__ = ("account_id", "region", "skip_signing")

    def __init__(self, account_id: str, region: str, skip_signing: bool = False) -> None:
        self.account_id = account_id
        self.region = region
        self.skip_signing = skip_signing


class _State:
    """What is active now. One shared backend for every nested activation."""

    __slots__ = (
        "backend",
        "next_send",
        "next_sign",
        "patches",
        "region_set",
        "skip_signing",
        "stack",
    )

    def __init__(self) -> None:
        self.backend: SecretsBackend | None = None
        self.stack: list[Activation] = []
        # Undo callables, run in reverse order when the outermost mock stops.
        self.patches: list[Callable[[], None]] = []
        # What the class-level patches delegate to: read when the outermost mock starts,
        # so a patch another library installed before (or after import) keeps working.
        self.next_send: Any = None
        self.next_sign: Any = None
        # The AWS_DEFAULT_REGION smmock put in the environment (which named no region),
        # or None. Nested activations change it only while it still holds that value,
        # so a region the test set itself is left alone.
        self.region_set: str | None = None
        # The innermost activation's skip_signing.
        self.skip_signing = False


_state = _State()


class _Body(bytes):
    """Response bytes that can also be awaited, so aiobotocore reads them as well."""

    def __await__(self) -> Generator[Any, None, bytes]:
        return bytes(self)
        yield  # pragma: no cover - makes this a generator function


class _Raw:
    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs: Any) -> Generator[bytes, None, None]:
        yield self._body


_CONTENT_TYPE = "application/x-amz-json-1.1"
try:
    # Building a HeadersDict key by key goes through MutableMapping.update in Python;
    # filling its dict directly is several times faster on every response.
    from botocore.awsrequest import _HeaderKey

    _ID_KEY: Any = _HeaderKey("x-amzn-RequestId")
    _TYPE_KEY: Any = _HeaderKey("Content-Type")
    _LENGTH_KEY: Any = _HeaderKey("Content-Length")
except ImportError:  # pragma: no cover - a botocore without the private key class
    _ID_KEY = None


def _headers(request_id: str, length: int) -> HeadersDict:
    if _ID_KEY is not None:
        headers = HeadersDict.__new__(HeadersDict)
        headers._dict = {  # type: ignore[attr-defined]
            _ID_KEY: request_id,
            _TYPE_KEY: _CONTENT_TYPE,
            _LENGTH_KEY: str(length),
        }
        return headers
    return HeadersDict(  # pragma: no cover - the slow, public way
        {
            "x-amzn-RequestId": request_id,
            "Content-Type": _CONTENT_TYPE,
            "Content-Length": str(length),
        }
    )


class MockResponse(AWSResponse):
    """An ``AWSResponse`` built from smmock's bytes, as if read off the network."""

    def __init__(self, url: str, status_code: int, body: bytes) -> None:
        # AWSResponse.__init__ would copy the headers into a second HeadersDict.
        self.url = url
        self.status_code = status_code
        self.headers = _headers(request_id(), len(body))
        self.raw = _Raw(body)
        self._content = self._body = _Body(body)

    @property
    def content(self) -> bytes:
        return self._body


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
    host = url.split("://", 1)[-1].split("/", 1)[0]
    parts = host.split(".")
    if len(parts) >= 3 and parts[0] == "secretsmanager":
        return parts[1]
    return backend.region


def before_send(request: AWSPreparedRequest, **_kwargs: Any) -> AWSResponse | None:
    """Answer a Secrets Manager request from the active backend; ``None`` when inactive."""
    backend = _state.backend
    if backend is None:
        return None
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
    backend = _state.backend
    if backend is None:
        return None
    region = region_from_request(url, authorization, backend)
    return _handle(backend, region, backend.account_id, target, body)


def _patched_send(self: botocore.endpoint.Endpoint, request: AWSPreparedRequest) -> Any:
    # Reached only by clients whose emitter lacks our handler (their session predates
    # the import of smmock); everything else goes to the network layer untouched.
    if self._endpoint_prefix == "secretsmanager":  # type: ignore[attr-defined]
        response = before_send(request)
        if response is not None:
            return response
    return _state.next_send(self, request)


def _patched_sign(
    self: botocore.signers.RequestSigner,
    operation_name: str,
    request: Any,
    *args: Any,
    **kwargs: Any,
) -> Any:
    # The choose-signer handler's job for clients that never got it: a client created
    # without credentials (before the fake ones were in the environment) would raise
    # NoCredentialsError here, before the request could reach us; and skip_signing must
    # reach every client. A call before_call marked goes on to botocore, whose
    # choose-signer answer skips signing there.
    # Cheap tests first: every signed call of every service passes here while active.
    if (
        _state.backend is not None
        and (
            self._credentials is None  # type: ignore[attr-defined]
            or (_state.skip_signing and not _marked(request))
        )
        and self._service_id.hyphenize() == "secrets-manager"  # type: ignore[attr-defined]
    ):
        return None
    return _state.next_sign(self, operation_name, request, *args, **kwargs)


def activate(account_id: str, region: str, skip_signing: bool = False) -> Activation:
    """Push an activation; the first one installs the patches and creates the state.

    Return the activation, to hand back to :func:`deactivate`.
    """
    activation = Activation(account_id, region, skip_signing)
    if _state.backend is None:
        global _handle
        from smmock._service.backend import SecretsBackend
        from smmock._wire.protocol import handle

        _handle = handle
        _install(region)
        _state.backend = SecretsBackend(account_id, region)
    _state.stack.append(activation)
    _apply(activation)
    return activation


def _install(region: str) -> None:
    env = dict(FAKE_CREDENTIALS)
    _state.region_set = None
    if not os.environ.get("AWS_DEFAULT_REGION") and not os.environ.get("AWS_REGION"):
        env["AWS_DEFAULT_REGION"] = _state.region_set = region
    try:
        environ = EnvPatch(env)
        environ.start()
        _state.patches.append(environ.stop)
        _state.next_send = _swap(botocore.endpoint.Endpoint, "_send", _patched_send)
        _state.next_sign = _swap(botocore.signers.RequestSigner, "sign", _patched_sign)
        # Deferred: responses and requests cost import time only users of a mock pay.
        from smmock._intercept import plain_requests as _requests
        from smmock._intercept import speedups as _speedups

        _speedups.install(_state.patches)
        _state.patches.append(_requests.start(_serve_plain))
    except BaseException:
        _unpatch()
        raise


def _swap(owner: type, name: str, replacement: Any) -> Any:
    """Set a class attribute until the outermost mock stops; return what it was."""
    original = owner.__dict__[name]
    setattr(owner, name, replacement)
    _state.patches.append(lambda: setattr(owner, name, original))
    return original


def _apply(activation: Activation) -> None:
    # The innermost activation rules: without this, a nested mock_secrets(account_id=X)
    # served requests for X while backend.create_secret() still seeded the outer account.
    backend = _state.backend
    assert backend is not None
    backend.account_id = activation.account_id
    backend.region = activation.region
    _state.skip_signing = activation.skip_signing
    if _state.region_set is not None and os.environ.get("AWS_DEFAULT_REGION") == _state.region_set:
        os.environ["AWS_DEFAULT_REGION"] = _state.region_set = activation.region


def deactivate(activation: Activation | None = None) -> None:
    """End ``activation`` (default: the innermost); the last one resets the state and
    removes every patch."""
    if not _state.stack:
        raise RuntimeError("smmock is not active: stop() was called more often than start().")
    if activation is None:
        activation = _state.stack[-1]
    elif activation not in _state.stack:
        raise RuntimeError("This smmock activation has already ended.")
    # Remove this very activation even when mocks stop out of order, so the one left
    # on top keeps its account and region.
    _state.stack.remove(activation)
    if _state.stack:
        _apply(_state.stack[-1])
        return
    backend, _state.backend = _state.backend, None
    _state.skip_signing = False
    if backend is not None:
        backend.reset()
    _unpatch()
    _forget_fake_credentials()


def _forget_fake_credentials() -> None:
    # botocore sessions cache the credentials they resolve. boto3's default session,
    # first used inside a mock, would keep signing with our fake keys after the mock
    # ended (and hide the real ones or a NoCredentialsError from later code), so drop
    # them; the next client resolves credentials afresh.
    boto3 = sys.modules.get("boto3")
    session = getattr(getattr(boto3, "DEFAULT_SESSION", None), "_session", None)
    credentials = getattr(session, "_credentials", None)
    if getattr(credentials, "access_key", None) == FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]:
        setattr(session, "_credentials", None)  # noqa: B010 - a private botocore attribute


def _unpatch() -> None:
    while _state.patches:
        _state.patches.pop()()


def active_backend() -> SecretsBackend | None:
    """The shared backend while any mock is active."""
    return _state.backend


def before_call(request_signer: Any = None, context: Any = None, **_kwargs: Any) -> None:
    """Mark calls to go out unsigned: all of them while the innermost activation has
    ``skip_signing``, else those of clients that have no credentials.

    A client created before the mock started resolved its credentials then; if it had
    none, botocore could not sign and would fail before reaching us. For botocore the
    ``RequestSigner.sign`` patch already covers this; these handlers serve signers that
    override ``sign`` (aiobotocore's), which still emit ``choose-signer``.
    """
    if (
        _state.backend is not None
        and context is not None
        and (_state.skip_signing or getattr(request_signer, "_credentials", True) is None)
    ):
        context[_UNSIGNED] = True


def choose_signer(context: Any = None, **_kwargs: Any) -> Any:
    """Skip signing for calls :func:`before_call` marked."""
    if context and context.get(_UNSIGNED) and _state.backend is not None:
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
