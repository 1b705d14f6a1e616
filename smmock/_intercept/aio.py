"""aiobotocore: the same interception for its async endpoint and signer.

Filled in below once aiobotocore's classes are known; installing is a no-op when
aiobotocore was never imported.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["install"]


def install(undo: list[Callable[[], None]]) -> None:
    """Patch aiobotocore's endpoint and signer while a mock is active, if it is loaded."""
    return
