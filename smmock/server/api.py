"""The Secrets Manager API over HTTP: who is calling, and the awsJson1.1 round trip.

The body and ``X-Amz-Target`` go to :func:`smmock._wire.protocol.handle` untouched; this
module only works out the region and account a request is for. The server checks no
signature (it has no credentials to check against), so any client configuration works.
"""

from __future__ import annotations

import re
from typing import Any

from smmock._model.ids import request_id
from smmock._service.backend import SecretsBackend
from smmock._wire.protocol import CONTENT_TYPE, handle

__all__ = ["REGION_NAME", "Identity", "credential_scope", "serve_api"]

#: The shape of a region name (``us-east-1``, ``us-gov-west-1``, ``cn-north-1``).
REGION_NAME = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")

_CREDENTIAL = "Credential="
_CONTENT_TYPE = CONTENT_TYPE.encode()


def credential_scope(authorization: str) -> tuple[str, str] | None:
    """The access key id and region of a SigV4 ``Authorization`` header, if it has them.

    ``AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/secretsmanager/aws4_request,
    SignedHeaders=..., Signature=...`` gives ``("AKID", "us-east-1")``.

    Parameters:
        authorization: the header's value.
    """
    start = authorization.find(_CREDENTIAL)
    if start < 0:
        return None
    start += len(_CREDENTIAL)
    end = authorization.find(",", start)
    parts = authorization[start : end if end >= 0 else None].strip().split("/")
    if len(parts) != 5 or not parts[0] or not parts[2]:
        return None
    return parts[0], parts[2]


class Identity:
    """Turns a request's ``Authorization`` header into the (region, account) it is for.

    The region is the credential scope's, as in AWS, where the scope names the region
    the request was signed for. A fake account has no IAM to map an access key to its
    account, so an access key id of exactly 12 digits is taken as the account id (the
    convention other local AWS emulators follow); any other key, or none, gets the
    server's account. That lets one server hold several accounts, for cross-account
    tests, with nothing but the client's credentials.

    Parameters:
        region: the region of requests without a credential scope.
        account_id: the account of requests whose access key is not an account id.
    """

    __slots__ = ("_cache", "account_id", "region")

    def __init__(self, region: str, account_id: str) -> None:
        self.region = region
        self.account_id = account_id
        # Header value -> identity. A client signs each request differently, but the
        # parse is cheap; the cache only spares the fixed headers of load generators.
        self._cache: dict[bytes, tuple[str, str]] = {}

    def of(self, authorization: bytes | None) -> tuple[str, str]:
        """The (region, account id) a request with this header value is for."""
        if authorization is None:
            return self.region, self.account_id
        found = self._cache.get(authorization)
        if found is not None:
            return found
        scope = credential_scope(authorization.decode("latin-1"))
        if scope is None:
            found = (self.region, self.account_id)
        else:
            key, region = scope
            found = (region, key if len(key) == 12 and key.isdigit() else self.account_id)
        if len(self._cache) < 256:
            self._cache[authorization] = found
        return found


async def serve_api(
    backend: SecretsBackend, identity: Identity, scope: dict[str, Any], receive: Any, send: Any
) -> None:
    """Answer one ``POST /`` (an ASGI HTTP request) through the wire protocol layer."""
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    target = b""
    authorization = None
    for name, value in scope["headers"]:
        if name == b"x-amz-target":
            target = value
        elif name == b"authorization":
            authorization = value
    region, account_id = identity.of(authorization)
    # Synchronous on purpose: an operation takes microseconds under the backend's lock,
    # and a thread hop would cost more than the call.
    status, payload = handle(backend, region, account_id, target.decode("latin-1"), body)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", _CONTENT_TYPE),
                (b"content-length", str(len(payload)).encode()),
                (b"x-amzn-requestid", request_id().encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
