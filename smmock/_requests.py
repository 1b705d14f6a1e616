"""Interception for code that calls the Secrets Manager endpoint with plain ``requests``.

The only module that touches ``responses``; it is imported on first activation, so
``import smmock`` stays cheap. Our ``RequestsMock`` takes as its "real" send whatever
``HTTPAdapter.send`` is at start time, so a user's own ``responses`` mock started before
ours keeps serving every other URL, and stops run in LIFO order.

A ``responses`` mock started *inside* ours (``@responses.activate`` on a test that uses
the ``sm_backend`` fixture) sends what it does not match to the real adapter, which
``responses`` captured at import: a plain ``requests`` call to Secrets Manager is then
refused by that mock ("Connection refused by Responses") rather than served by smmock.
boto3 and botocore calls are not affected; they do not use ``requests``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import requests.adapters
import responses

from smmock._ids import request_id

__all__ = ["start"]

# Every method, path and query on the endpoint host: a GET, or a POST to another path,
# would otherwise pass through to the real service. The protocol layer answers what it
# cannot serve with an AWS-shaped error.
_ENDPOINT = re.compile(
    r"https?://secretsmanager(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?::\d+)?(?:[/?].*)?$"
)
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
_EVERYTHING = re.compile(r".*")

Serve = Callable[[str, str, str, Any], "tuple[int, bytes] | None"]

# One router per "real" send it falls back to: building a RequestsMock and starting it
# through unittest.mock costs about 200 us, most of a warm mock start. The router (and
# its patched send) is built once; each activation only swaps HTTPAdapter.send.
_routers: dict[Any, tuple[responses.RequestsMock, Any]] = {}
_serve: list[Serve] = []


def _callback(request: Any) -> tuple[int, dict[str, str], bytes]:
    headers = request.headers
    answer = _serve[-1](
        request.url,
        headers.get("X-Amz-Target", ""),
        headers.get("Authorization", ""),
        request.body,
    )
    if answer is None:  # pragma: no cover - the router is installed only while active
        raise ConnectionError("smmock is not active")
    status, body = answer
    return (
        status,
        {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": request_id()},
        body,
    )


def _router(real_send: Any) -> Any:
    found = _routers.get(real_send)
    if found is None:
        router = responses.RequestsMock(
            assert_all_requests_are_fired=False, real_adapter_send=real_send
        )
        for method in _METHODS:
            router.add_callback(method, _ENDPOINT, callback=_callback)
        router.add_passthru(_EVERYTHING)
        found = _routers[real_send] = (router, router.unbound_on_send())
    return found


def start(serve: Serve) -> Callable[[], None]:
    """Route every request to the Secrets Manager endpoint host to ``serve``; pass the
    rest to whatever ``HTTPAdapter.send`` was. Returns the function that undoes it."""
    adapter = requests.adapters.HTTPAdapter
    real_send = adapter.__dict__["send"]
    router, send = _router(real_send)
    _serve.append(serve)
    adapter.send = send  # type: ignore[method-assign]

    def stop() -> None:
        adapter.send = real_send  # type: ignore[method-assign]
        _serve.remove(serve)
        router.calls.reset()  # responses records every call; don't grow across tests

    return stop
