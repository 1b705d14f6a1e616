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
import uuid
from collections.abc import Callable
from typing import Any, Protocol

import requests.adapters
import responses

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


class Stoppable(Protocol):
    def stop(self) -> None: ...


class _Stopper:
    __slots__ = ("_mock",)

    def __init__(self, mock: responses.RequestsMock) -> None:
        self._mock = mock

    def stop(self) -> None:
        self._mock.stop(allow_assert=False)
        self._mock.reset()


def start(serve: Serve) -> Stoppable:
    """Route POSTs to ``secretsmanager.<region>.amazonaws.com`` to ``serve``; pass the rest."""

    def callback(request: Any) -> tuple[int, dict[str, str], bytes]:
        headers = request.headers
        answer = serve(
            request.url,
            headers.get("X-Amz-Target", ""),
            headers.get("Authorization", ""),
            request.body,
        )
        if answer is None:  # pragma: no cover - the mock only exists while active
            raise ConnectionError("smmock is not active")
        status, body = answer
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "x-amzn-RequestId": str(uuid.uuid4()),
        }
        return status, headers, body

    mock = responses.RequestsMock(
        assert_all_requests_are_fired=False,
        real_adapter_send=requests.adapters.HTTPAdapter.send,
    )
    for method in _METHODS:
        mock.add_callback(method, _ENDPOINT, callback=callback)
    mock.add_passthru(_EVERYTHING)
    mock.start()
    return _Stopper(mock)
