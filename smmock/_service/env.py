"""Exactly reversible changes to ``os.environ``.

``unittest.mock.patch.dict`` would do, but importing ``unittest.mock`` pulls in asyncio,
which costs more than all of ``import smmock``. Only the keys smmock sets are touched:
on stop each one gets back its previous value, or is removed if it was absent (an empty
string is a value and is restored as such).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import TracebackType

__all__ = ["EnvPatch"]


class EnvPatch:
    """Set environment variables until :meth:`stop`; also a context manager."""

    __slots__ = ("_saved", "_values")

    def __init__(self, values: Mapping[str, str | None]) -> None:
        """``values`` maps each key to its value while active, or to None to unset it."""
        self._values = dict(values)
        self._saved: dict[str, str | None] = {}

    def start(self) -> None:
        """Remember the current values of our keys, then set (or unset) ours."""
        environ = os.environ
        self._saved = {key: environ.get(key) for key in self._values}
        for key, value in self._values.items():
            if value is None:
                environ.pop(key, None)
            else:
                environ[key] = value

    def stop(self) -> None:
        """Put every key back as it was before :meth:`start`."""
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved = {}

    def __enter__(self) -> EnvPatch:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
