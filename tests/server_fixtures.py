"""Fixtures for the server tests: a real ``python -m smmock serve`` on a loopback port.

One server process per test session (per xdist worker) keeps the tests fast; the
``server`` fixture resets its state and clock before each test through the admin
endpoints. Tests that need a server of their own (other flags, log inspection) call
:func:`start_server`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parent.parent
KEY, SECRET_KEY = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


class Server:
    """A running ``smmock serve`` and helpers to talk to it."""

    def __init__(self, process: subprocess.Popen[str], url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.port = int(url.rsplit(":", 1)[1])
        self.log = log

    def admin(self, path: str, body: dict[str, Any] | None = None) -> Any:
        """GET (no body) or POST (JSON body) ``/_smmock/<path>``; return the decoded JSON."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/_smmock/{path}",
            data=data,
            headers={"Content-Type": "application/json"} if data is not None else {},
            method="GET" if data is None else "POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def client(self, region: str = "us-east-1", access_key: str = KEY) -> Any:
        """A boto3 Secrets Manager client pointed at this server (no retries)."""
        return boto3.client(
            "secretsmanager",
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id=access_key,
            aws_secret_access_key=SECRET_KEY,
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
        )

    def stop(self) -> str:
        """Stop with SIGTERM (as Ctrl-C or a supervisor would); return everything it logged."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
                self.process.kill()
                self.process.wait(5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.log.read_text()


def server_env() -> dict[str, str]:
    """The environment for a server process: this one's, without AWS settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def start_server(log: Path, *args: str) -> Server:
    """Start ``python -m smmock serve --port 0 ARGS`` and wait for its first line."""
    output = log.open("a")
    process = subprocess.Popen(
        [sys.executable, "-m", "smmock", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=output,
        text=True,
        env=server_env(),
        cwd=ROOT,
    )
    output.close()
    assert process.stdout is not None
    banner = process.stdout.readline()
    if not banner.startswith("smmock serve: http://"):
        process.kill()
        process.wait(5)
        process.stdout.close()
        raise AssertionError(f"the server did not start: {banner!r}\n{log.read_text()}")
    # The banner is the only line the server writes to stdout.
    with log.open("a") as sink:
        sink.write(banner)
    url = banner.split()[2]
    return Server(process, url, log)


@pytest.fixture(scope="session")
def server_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One shared server for the session."""
    server = start_server(tmp_path_factory.mktemp("server") / "server.log")
    yield server
    server.stop()


@pytest.fixture
def server(server_process: Server) -> Iterator[Server]:
    """The shared server with no secrets, on real time, before and after the test."""
    server_process.admin("reset", {})
    server_process.admin("clock/real", {})
    yield server_process
    server_process.admin("reset", {})
    server_process.admin("clock/real", {})


def require(available: bool, what: str, how: str) -> None:
    """Skip (on a developer's machine) or fail (in CI) when an external client is missing.

    Parameters:
        available: whether it is there.
        what: what is missing, for the message.
        how: the command that installs it.
    """
    if available:
        return
    message = f"{what} is not installed; install it with: {how}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run this test: {message}", pytrace=False)
    pytest.skip(message)
