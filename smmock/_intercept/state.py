"""What is active now: the stack of activations and the one backend they share.

A leaf of the interception layer: the handlers read it on every call, the activation
code changes it under :data:`LOCK`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smmock._service.backend import SecretsBackend

__all__ = ["LOCK", "Activation", "State", "active_backend", "state"]

# Starting and stopping from many threads at once: one of them installs the patches, the
# last one out removes them, and nobody sees a half-built state.
LOCK = threading.RLock()


class Activation:
    """One started mock: the account it serves, the default region it sets, and whether
    Secrets Manager requests skip signing while it is the innermost."""

    __slots__ = ("account_id", "region", "skip_signing")

    def __init__(self, account_id: str, region: str, skip_signing: bool = False) -> None:
        self.account_id = account_id
        self.region = region
        self.skip_signing = skip_signing


class State:
    """What is active now. One shared backend for every nested activation."""

    __slots__ = ("backend", "next", "patches", "region_set", "skip_signing", "stack")

    def __init__(self) -> None:
        self.backend: SecretsBackend | None = None
        self.stack: list[Activation] = []
        # Undo callables, run in reverse order when the outermost mock stops.
        self.patches: list[Callable[[], None]] = []
        # What each class-level patch delegates to, by "Class.attribute": read when the
        # outermost mock starts, so a patch another library installed earlier keeps
        # working.
        self.next: dict[str, Any] = {}
        # The AWS_DEFAULT_REGION smmock put in the environment from a mock's region, or
        # None. Nested activations change it only while it still holds that value, so a
        # region the test set itself is left alone.
        self.region_set: str | None = None
        # The innermost activation's skip_signing.
        self.skip_signing = False


state = State()


def active_backend() -> SecretsBackend | None:
    """The shared backend while any mock is active."""
    return state.backend
