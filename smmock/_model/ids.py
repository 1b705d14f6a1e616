"""Request ids for responses (a leaf module: the interception layers share it)."""

from __future__ import annotations

import random

__all__ = ["request_id"]

_getrandbits = random.getrandbits


def request_id() -> str:
    """A random UUID4-shaped request id, without a system call per response."""
    text = f"{_getrandbits(128):032x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-a{text[17:20]}-{text[20:]}"
