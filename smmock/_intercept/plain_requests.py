"""Interception for code that calls the Secrets Manager endpoint with plain ``requests``.

The only module that touches ``responses``, imported on the first plain-requests call to
the endpoint, so ``import smmock`` and a mock's first start stay cheap. While a mock is
active ``HTTPAdapter.send`` is swapped for a function that sends requests to the
endpoint host through a ``responses`` router and everything else to whatever ``send``
was installed at start, so a user's own ``responses`` mock started before ours keeps
serving every other URL, and stops run in LIFO order.

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

from smmock._model.ids import request_id

__all__ = ["DNS_SUFFIXES", "start"]

# Every method, path and query on the endpoint host: a GET, or a POST to another path,
# would otherwise pass through to the real service. The protocol layer answers what it
# cannot serve with an AWS-shaped error.
# Dual-stack hosts (api.aws) too: botocore uses them with use_dualstack_endpoint.
# Host names are case-insensitive and may end in the root's dot; userinfo and an explicit
# port do not change where a request goes.
# The DNS suffixes of every AWS partition, regional and dual-stack, as botocore's
# partitions.json lists them (a test keeps the two in step).
DNS_SUFFIXES = (
    "amazonaws.com",
    "api.aws",
    "amazonaws.com.cn",
    "api.amazonwebservices.com.cn",
    "amazonaws.eu",
    "api.amazonwebservices.eu",
    "c2s.ic.gov",
    "api.aws.ic.gov",
    "sc2s.sgov.gov",
    "api.aws.scloud",
    "cloud.adc-e.uk",
    "api.cloud-aws.adc-e.uk",
    "csp.hci.ic.gov",
    "api.aws.hci.ic.gov",
)
_ENDPOINT = re.compile(
    r"https?://(?:[^/?#@]*@)?secretsmanager(?:-fips)?\.[a-z0-9-]+\."
    r"(?:" + "|".join(re.escape(suffix) for suffix in DNS_SUFFIXES) + r")"
    r"\.?(?::\d*)?(?:[/?#].*)?$",
    re.IGNORECASE | re.DOTALL,
)
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")

Serve = Callable[[str, str, str, Any], "tuple[int, bytes] | None"]

# One responses router per "real" send it falls back to, built on first use: building a
# RequestsMock and starting it through unittest.mock cost about 200 us, most of a warm
# mock start. Each activation only swaps HTTPAdapter.send. A test suite whose tests each
# start their own ``responses`` mock brings a new outer send per test, so only the most
# recently used few are kept.
_routers: dict[Any, tuple[Any, Any]] = {}
_ROUTERS_KEPT = 4
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
    found = _routers.pop(real_send, None)
    if found is None:
        while len(_routers) >= _ROUTERS_KEPT:
            del _routers[next(iter(_routers))]
        # Imported on the first plain-requests call to the endpoint, not at mock start:
        # responses (with unittest.mock and asyncio behind it) costs ~45 ms to import.
        import responses

        router = responses.RequestsMock(
            assert_all_requests_are_fired=False, real_adapter_send=real_send
        )
        for method in _METHODS:
            router.add_callback(method, _ENDPOINT, callback=_callback)
        found = (router, router.unbound_on_send())
    _routers[real_send] = found  # now the most recently used
    return found


def start(serve: Serve) -> Callable[[], None]:
    """Route every request to the Secrets Manager endpoint host to ``serve``; pass the
    rest to whatever ``HTTPAdapter.send`` was. Returns the function that undoes it."""
    adapter = requests.adapters.HTTPAdapter
    real_send = adapter.__dict__["send"]
    _serve.append(serve)

    def send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        # Other hosts go straight to the previous send; only endpoint calls meet
        # responses, which builds the requests.Response from smmock's answer. Once no
        # mock is active (another library's patch left on top of this one), everything
        # passes through.
        if _serve and _ENDPOINT.match(request.url or ""):
            router, routed = _router(real_send)
            response = routed(self, request, *args, **kwargs)
            router.calls.reset()  # responses records every call; don't grow across tests
            return response
        return real_send(self, request, *args, **kwargs)

    adapter.send = send  # type: ignore[method-assign]

    def stop() -> None:
        # Only if nothing patched it on top meanwhile: that patch stays, and this one,
        # beneath it, passes everything through.
        if adapter.__dict__.get("send") is send:
            adapter.send = real_send  # type: ignore[method-assign]
        _serve.remove(serve)

    return stop
