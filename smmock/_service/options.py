"""The testing options of nested mock activations, and what they add up to.

Each ``MockSecrets`` activation pushes its options on the backend; the innermost one
that sets an option wins (None keeps the one around it), and rotation failures are
strict while any active activation asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from smmock._model import ids as _ids

__all__ = ["Options", "effective"]


class Options:
    """One activation's testing options; None means "as the activation around it"."""

    __slots__ = ("allowed_actions", "caller_arn", "failures_at_start", "ids", "strict_rotation")

    def __init__(
        self,
        seed: int | None,
        allowed_actions: Iterable[str] | None,
        caller_arn: str | None,
        strict_rotation: bool,
        failures_at_start: int,
    ) -> None:
        self.ids = None if seed is None else _ids.Ids(seed)
        self.allowed_actions = None if allowed_actions is None else tuple(allowed_actions)
        self.caller_arn = caller_arn
        self.strict_rotation = strict_rotation
        # The rotation failures recorded before this activation: not its to report.
        self.failures_at_start = failures_at_start


def effective(
    stack: Sequence[Options],
) -> tuple[_ids.Ids | None, tuple[str, ...] | None, str | None, bool]:
    """The seeded ids, allowed actions, caller ARN and strictness the stack adds up to."""
    seeded: _ids.Ids | None = None
    allowed: tuple[str, ...] | None = None
    caller: str | None = None
    for options in stack:
        seeded = options.ids or seeded
        allowed = allowed if options.allowed_actions is None else options.allowed_actions
        caller = options.caller_arn or caller
    return seeded, allowed, caller, any(options.strict_rotation for options in stack)
