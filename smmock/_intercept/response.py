"""The HTTP response a mocked call gets: smmock's bytes dressed as botocore's own.

:class:`MockResponse` is an ``AWSResponse`` as if read off the network, so botocore's
parser, modeled errors, retries and ``after-call`` handlers run on it. Its body is also
awaitable, so aiobotocore, which awaits ``content``, reads the same object.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from botocore.awsrequest import AWSResponse, HeadersDict

from smmock._model.ids import request_id

__all__ = ["MockResponse"]


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
