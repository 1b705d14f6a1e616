"""``--state FILE``: the server's state loaded at start and saved atomically.

A save writes the whole :meth:`SecretsBackend.dump` to a temporary file in the same
folder, flushes it to disk and renames it over FILE, so the file is always either the
previous state or the new one: a ``kill -9`` at any moment loses at most the changes
since the last save and never leaves a torn file. Saves happen shortly after changes
(a background thread, at most one save per :attr:`StateKeeper.delay`), and once more on
shutdown (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

from smmock._service.backend import SecretsBackend

__all__ = ["StateError", "StateKeeper"]

_logger = logging.getLogger("smmock")


class StateError(Exception):
    """The state file cannot be used; the message says why and which file."""


class StateKeeper:
    """Keeps ``path`` in step with ``backend``.

    Parameters:
        backend: the state to save.
        path: the state file.
        delay: how long after the first unsaved change a save happens (seconds).
    """

    def __init__(self, backend: SecretsBackend, path: Path, delay: float = 0.5) -> None:
        self.backend = backend
        self.path = path
        self.delay = delay
        # Set by every request that may have changed something; a plain attribute, so
        # marking costs the hot path one store (no lock: a lost race only delays a save).
        self.dirty = False
        self.saves = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def load(self) -> bool:
        """Load the file if it exists (False if it does not); check the folder is writable.

        Raises :class:`StateError` for a file that is not a state smmock can read, or a
        folder it cannot write to.
        """
        folder = self.path.parent
        if not folder.is_dir():
            raise StateError(f"cannot keep state in {self.path}: {folder} is not a folder")
        if not os.access(folder, os.W_OK):
            raise StateError(f"cannot keep state in {self.path}: {folder} is not writable")
        # A run killed in the middle of a save leaves its temporary file behind (the
        # state file itself is whole); nothing will ever read it.
        for orphan in folder.glob(f".{self.path.name}.*.tmp"):
            orphan.unlink(missing_ok=True)
        if not self.path.exists():
            return False
        try:
            self.backend.load(self.path)
        except (ValueError, TypeError, OSError) as error:
            raise StateError(f"cannot load state from {self.path}: {error}") from None
        return True

    def mark(self) -> None:
        """Note that the state may have changed."""
        self.dirty = True

    def save(self) -> None:
        """Write the state now, atomically (temporary file, fsync, rename)."""
        self.dirty = False
        state = self.backend.dump()
        data = json.dumps(state, indent=1, sort_keys=True).encode()
        handle, temporary = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.saves += 1

    def start(self) -> None:
        """Save in the background shortly after changes, until :meth:`close`."""
        self._thread = threading.Thread(target=self._run, name="smmock-state", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the background saver and save the final state."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.save()

    def _run(self) -> None:
        while not self._stop.wait(self.delay / 2):
            if self.dirty:
                # Let a burst of changes settle, then save them all at once.
                time.sleep(self.delay / 2)
                try:
                    self.save()
                except OSError as error:
                    # A full disk must not stop the server; the next change retries.
                    _logger.error("smmock: cannot save state to %s: %s", self.path, error)
                    self.dirty = True
