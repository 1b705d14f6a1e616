"""Run a test body in a fresh interpreter, with a clean AWS environment and no network.

The boundary tests (``test_boundary_*.py``) need what an in-process test cannot give: an
interpreter where smmock was never imported (clients made before the import), an
environment with nothing of the machine's AWS set-up, and proof that no connection was
attempted. :func:`run_isolated` writes :data:`PRELUDE` plus the body to a file and runs it
with ``sys.executable``; the body reports with ``done(**values)``.

The prelude's socket guard records every ``connect`` and name lookup with the phase the
body declared with ``phase("...")`` and refuses all but loopback (fake credential
servers run there). Loopback connections are recorded too, so a refresh against a fake
container or instance-metadata server during the mock shows up as an attempt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

__all__ = ["PRELUDE", "clean_environment", "run_isolated"]

PRELUDE = textwrap.dedent(
    """
    import json as _json
    import socket as _socket

    ATTEMPTS = []
    _PHASE = ["setup"]


    def phase(name):
        _PHASE[0] = name


    def _loopback(host):
        return str(host).startswith("127.") or str(host) in ("::1", "localhost")


    def _guard(address):
        host = address[0] if isinstance(address, tuple) else address
        port = address[1] if isinstance(address, tuple) and len(address) > 1 else None
        ATTEMPTS.append([_PHASE[0], str(host), port])
        if not _loopback(host):
            raise OSError(101, "network blocked by smmock's boundary test")


    _connect = _socket.socket.connect
    _connect_ex = _socket.socket.connect_ex
    _getaddrinfo = _socket.getaddrinfo


    def _guarded_connect(self, address):
        _guard(address)
        return _connect(self, address)


    def _guarded_connect_ex(self, address):
        _guard(address)
        return _connect_ex(self, address)


    def _guarded_getaddrinfo(host, *args, **kwargs):
        if host is not None and not _loopback(host):
            ATTEMPTS.append([_PHASE[0], "dns:" + str(host), None])
            raise _socket.gaierror(-2, "name lookup blocked by smmock's boundary test")
        return _getaddrinfo(host, *args, **kwargs)


    _socket.socket.connect = _guarded_connect
    _socket.socket.connect_ex = _guarded_connect_ex
    _socket.getaddrinfo = _guarded_getaddrinfo


    def attempts(name):
        return [a for a in ATTEMPTS if a[0] == name]


    def done(**values):
        values["attempts"] = ATTEMPTS
        print("RESULT " + _json.dumps(values, default=str))
    """
)


def clean_environment(home: Path) -> dict[str, str]:
    """The current environment without anything AWS: empty shared files, no instance
    metadata unless a test asks for it, ``HOME`` in ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BOTO_"))}
    for name in ("PYTHONPATH", "SMMOCK_SPEEDUPS"):
        env.pop(name, None)
    (home / ".aws").mkdir(parents=True, exist_ok=True)
    config, credentials = home / ".aws" / "config", home / ".aws" / "credentials"
    config.touch()
    credentials.touch()
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(config),
        AWS_SHARED_CREDENTIALS_FILE=str(credentials),
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def run_isolated(body: str, env: dict[str, str], tmp_path: Path, timeout: float = 60) -> Any:
    """Run ``body`` after :data:`PRELUDE` in a new interpreter; return what it passed to
    ``done()`` (with ``attempts``), or fail with its output."""
    script = tmp_path / "case.py"
    script.write_text(PRELUDE + "\n" + textwrap.dedent(body))
    result = subprocess.run(
        [sys.executable, str(script)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    if result.returncode != 0 or not lines:
        raise AssertionError(
            f"isolated case failed (exit {result.returncode})\n--- stdout\n{result.stdout}"
            f"\n--- stderr\n{result.stderr}"
        )
    return json.loads(lines[-1][len("RESULT ") :])
