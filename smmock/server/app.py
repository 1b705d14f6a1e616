"""The ASGI application: the API on ``POST /``, the console and the admin endpoints.

``POST /`` is answered by :func:`smmock.server.api.serve_api` directly, before any
routing, because it is the hot path; everything else goes to a Starlette application.
"""

from __future__ import annotations

import functools
import ipaddress
import secrets as _secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from smmock._service.backend import SecretsBackend
from smmock.server import admin, console
from smmock.server.api import Identity, serve_api
from smmock.server.state import StateKeeper

__all__ = ["ServerConfig", "create_app"]

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


@dataclass
class ServerConfig:
    """How the server answers.

    Parameters:
        region: the region of requests that name none (and the console's first region).
        account_id: the account of requests whose credentials name none.
        loopback_only: refuse requests whose ``Host`` is not a loopback name, so a web
            page cannot reach the server through DNS rebinding. On unless the server
            was explicitly bound to another address.
        seed: the seed of ``--seed`` (applied again after a reset), or None.
        csrf_key: the key the console's CSRF tokens are derived from (random per run).
    """

    region: str
    account_id: str
    loopback_only: bool = True
    seed: int | None = None
    csrf_key: bytes = field(default_factory=lambda: _secrets.token_bytes(32))


def create_app(
    backend: SecretsBackend, config: ServerConfig, keeper: StateKeeper | None = None
) -> ASGIApp:
    """Build the ASGI application serving ``backend``.

    Parameters:
        backend: the state every request reads and changes.
        config: region, account and safety settings.
        keeper: the ``--state`` file's keeper, told after every request that the state
            may have changed (reads too: a lookup may purge a secret whose recovery
            window ended, and GetSecretValue dates the access).
    """
    identity = Identity(config.region, config.account_id)
    routes = [
        *admin.routes(backend, config),
        *console.routes(backend, config),
        Mount("/static", StaticFiles(packages=[("smmock.server", "static")]), name="static"),
    ]
    pages = Starlette(routes=routes)
    refused = PlainTextResponse("Host not allowed: smmock serves loopback names only.", 421)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        if config.loopback_only and not _loopback_host(scope["headers"]):
            await refused(scope, receive, send)
        elif scope["method"] == "POST" and scope["path"] == "/":
            await serve_api(backend, identity, scope, receive, send)
            if keeper is not None:
                keeper.dirty = True
        else:
            await pages(scope, receive, send)
            if keeper is not None and _may_change(scope["method"], scope["path"]):
                keeper.dirty = True

    return app


def _may_change(method: str, path: str) -> bool:
    # Console pages read through the API, and a read may purge a secret whose window
    # ended; static files and the admin reads (health polls among them) change nothing.
    if path.startswith("/static/"):
        return False
    return method != "GET" or not path.startswith("/_smmock/")


_LOOPBACK_NAMES = frozenset({b"localhost", b"[::1]"})


def _loopback_host(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name == b"host":
            return _is_loopback(value)
    # HTTP/1.0 clients may send no Host; they cannot be a rebinding browser.
    return True


@functools.lru_cache(maxsize=64)
def _is_loopback(host: bytes) -> bool:
    if host.startswith(b"["):
        name = host[: host.find(b"]") + 1]
    else:
        name = host.rsplit(b":", 1)[0] if b":" in host else host
    if name in _LOOPBACK_NAMES or name.endswith(b".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.decode("ascii")).is_loopback
    except ValueError:
        return False
