"""``--state FILE`` and ``--seed N``, and the admin endpoints for state, calls and faults.

The state file is loaded at start, saved shortly after changes and on SIGTERM, always by
a rename of a complete temporary file; a bad file stops the server at start with a
clear error.
"""

from __future__ import annotations

import datetime
import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.server_fixtures import ROOT, Server, server_env, start_server

UTC = datetime.timezone.utc


def wait_for(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def saved_names(path: Path) -> list[str]:
    if not path.exists():
        return []
    state = json.loads(path.read_text())
    return sorted(s["name"] for store in state["stores"] for s in store["secrets"])


def test_state_survives_kill_9_and_sigterm(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    first = start_server(tmp_path / "1.log", "--state", str(path))
    try:
        sm = first.client()
        arn = sm.create_secret(
            Name="kept", SecretString="SECRET-V1", Tags=[{"Key": "k", "Value": "v"}]
        )["ARN"]
        sm.create_secret(Name="doomed", SecretString="x")
        deleted = sm.delete_secret(SecretId="doomed", RecoveryWindowInDays=9)["DeletionDate"]
        # Saved shortly after the change, without a shutdown.
        wait_for(lambda: saved_names(path) == ["doomed", "kept"])
        time.sleep(1)  # any save still due has happened
        saved_at = path.stat().st_mtime_ns
        # Admin reads (a health poll) change nothing, so they cause no save.
        for _ in range(8):
            assert first.admin("health")["status"] == "ok"
            time.sleep(0.15)
        assert path.stat().st_mtime_ns == saved_at
    finally:
        first.process.kill()  # kill -9: no chance to save anything more
        first.stop()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.log", "state.json"]

    second = start_server(tmp_path / "2.log", "--state", str(path))
    try:
        sm = second.client()
        assert sm.get_secret_value(SecretId="kept")["SecretString"] == "SECRET-V1"
        assert sm.describe_secret(SecretId="kept")["ARN"] == arn
        assert sm.describe_secret(SecretId="kept")["Tags"] == [{"Key": "k", "Value": "v"}]
        scheduled = sm.list_secrets(IncludePlannedDeletion=True)["SecretList"]
        assert [s["Name"] for s in scheduled if "DeletedDate" in s] == ["doomed"]
        assert second.admin("state")["stores"][0]["secrets"][0]["name"] in ("kept", "doomed")
        # A change followed at once by SIGTERM is saved by the shutdown.
        sm.put_secret_value(SecretId="kept", SecretString="SECRET-V2")
        sm.restore_secret(SecretId="doomed")
    finally:
        log = second.stop()
    assert second.process.returncode == 0
    assert f"smmock serve: state loaded from {path}" in log
    assert f"smmock serve: state saved to {path}" in log
    assert "SECRET-V" not in log

    third = start_server(tmp_path / "3.log", "--state", str(path))
    try:
        sm = third.client()
        assert sm.get_secret_value(SecretId="kept")["SecretString"] == "SECRET-V2"
        assert "DeletedDate" not in sm.describe_secret(SecretId="doomed")
        assert deleted > datetime.datetime(2020, 1, 1, tzinfo=UTC)
    finally:
        third.stop()


def start_failing(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smmock", "serve", "--port", "0", *args],
        capture_output=True,
        text=True,
        env=server_env(),
        cwd=ROOT,
        timeout=60,
    )


def test_a_bad_state_file_is_a_clear_error_at_start(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = start_failing("--state", str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"smmock serve: cannot load state from {bad}: ")
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": "smmock-state", "version": 99, "stores": []}))
    result = start_failing("--state", str(newer))
    assert result.returncode == 2
    assert "upgrade smmock to load it" in result.stderr
    missing = tmp_path / "no" / "such" / "state.json"
    result = start_failing("--state", str(missing))
    assert (result.returncode, result.stderr) == (
        2,
        f"smmock serve: cannot keep state in {missing}: {missing.parent} is not a folder\n",
    )
    # The bad files are left as they were.
    assert bad.read_text() == "{not json"


def test_seed_makes_ids_reproducible_across_runs_and_resets(tmp_path: Path) -> None:
    arns = []
    for run in range(2):
        server = start_server(tmp_path / f"{run}.log", "--seed", "42")
        try:
            arns.append(server.client().create_secret(Name="seeded")["ARN"])
            server.admin("reset", {})
            arns.append(server.client().create_secret(Name="seeded")["ARN"])
        finally:
            server.stop()
    assert len(set(arns)) == 1, arns
    unseeded = start_server(tmp_path / "u.log")
    try:
        assert unseeded.client().create_secret(Name="seeded")["ARN"] != arns[0]
    finally:
        unseeded.stop()


def post(server: Server, path: str, body: Any) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"{server.url}/_smmock/{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def test_state_dump_and_load_endpoints(server: Server) -> None:
    sm = server.client()
    sm.create_secret(Name="a", SecretString="1")
    sm.create_secret(Name="b", SecretString="2")
    state = server.admin("state")
    assert (state["format"], state["version"]) == ("smmock-state", 1)
    server.admin("reset", {})
    assert sm.list_secrets()["SecretList"] == []
    assert server.admin("state", state) == {"loaded": True, "secrets": 2}
    assert sm.get_secret_value(SecretId="b")["SecretString"] == "2"
    status, answer = post(server, "state", {"format": "other"})
    assert status == 400
    assert answer["error"].startswith('Not an smmock state: expected an object with "format"')
    # A refused load changes nothing.
    assert sorted(s["Name"] for s in sm.list_secrets()["SecretList"]) == ["a", "b"]


def test_call_log_endpoint_redacts_values(server: Server) -> None:
    sm = server.client()
    sm.create_secret(Name="logged", SecretString="TOP-SECRET-1")
    sm.get_secret_value(SecretId="logged")
    with pytest.raises(ClientError):
        sm.get_secret_value(SecretId="missing")
    calls = server.admin("calls")["calls"]
    assert [(c["operation"], c["error_code"]) for c in calls] == [
        ("CreateSecret", None),
        ("GetSecretValue", None),
        ("GetSecretValue", "ResourceNotFoundException"),
    ]
    assert calls[0]["params"]["SecretString"] == "**redacted**"
    assert "TOP-SECRET-1" not in json.dumps(calls)
    assert calls[1]["arn"] == sm.describe_secret(SecretId="logged")["ARN"]
    only = server.admin("calls?operation=CreateSecret")["calls"]
    assert [c["operation"] for c in only] == ["CreateSecret"]
    assert server.admin("calls/clear", {}) == {"cleared": True}
    assert server.admin("calls")["calls"] == []


def test_fault_injection_endpoint(server: Server) -> None:
    sm = server.client()
    sm.create_secret(Name="flaky", SecretString="v")
    fault = server.admin("faults", {"operation": "GetSecretValue", "code": "ThrottlingException"})
    assert fault == {
        "operation": "GetSecretValue",
        "code": "ThrottlingException",
        "status": 400,
        "message": fault["message"],
        "secret_id": None,
        "times": 1,
        "fired": 0,
        "remaining": 1,
    }
    with pytest.raises(ClientError) as info:
        sm.get_secret_value(SecretId="flaky")
    assert info.value.response["Error"]["Code"] == "ThrottlingException"
    assert sm.get_secret_value(SecretId="flaky")["SecretString"] == "v"
    assert server.admin("faults") == {"faults": []}
    server.admin(
        "faults", {"operation": "GetSecretValue", "code": "InternalServiceError", "times": None}
    )
    assert [f["remaining"] for f in server.admin("faults")["faults"]] == [None]
    assert server.admin("faults/clear", {}) == {"cleared": True}
    assert sm.get_secret_value(SecretId="flaky")["SecretString"] == "v"
    status, answer = post(server, "faults", {"operation": "GetSecretValue", "code": "Nope"})
    assert status == 400
    assert "Nope" in answer["error"]
    assert post(server, "faults", {"operation": "GetSecretValue"}) == (
        400,
        {"error": '"operation" and "code" are required strings'},
    )


def test_sigint_saves_too(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    server = start_server(tmp_path / "log", "--state", str(path))
    try:
        server.client().create_secret(Name="by-ctrl-c", SecretString="v")
        server.process.send_signal(signal.SIGINT)
        server.process.wait(15)
    finally:
        log = server.stop()
    assert server.process.returncode == 0
    assert "Traceback" not in log
    assert saved_names(path) == ["by-ctrl-c"]


def test_kill_9_during_saves_never_leaves_a_torn_file(tmp_path: Path) -> None:
    from benchmarks import http_load

    path = tmp_path / "state.json"
    for run in range(3):
        server = start_server(tmp_path / f"{run}.log", "--state", str(path))
        names = [f"run{run}/s{i}" for i in range(400)]
        try:
            # Saves happen while the secrets pour in; the kill lands in the middle.
            http_load.create_secrets(server.port, names[:200])
            wait_for(lambda: path.exists())
            http_load.create_secrets(server.port, names[200:])
        finally:
            server.process.send_signal(signal.SIGKILL)
            server.stop()
        state = json.loads(path.read_text())  # complete JSON, whichever save it was
        assert state["format"] == "smmock-state"
    # A kill in the middle of a save may leave a temporary file; the next start removes it.
    orphan = tmp_path / ".state.json.abc123.tmp"
    orphan.write_text('{"torn')
    server = start_server(tmp_path / "last.log", "--state", str(path))
    try:
        assert server.client().list_secrets()["SecretList"]
    finally:
        server.stop()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".log")) == [
        "state.json"
    ]


def test_a_failed_save_keeps_the_previous_file(tmp_path: Path, monkeypatch: Any) -> None:
    from smmock._service.backend import SecretsBackend
    from smmock.server.state import StateKeeper

    path = tmp_path / "state.json"
    backend = SecretsBackend()
    backend.create_secret("first", "v")
    keeper = StateKeeper(backend, path)
    keeper.save()
    before = path.read_text()
    backend.create_secret("second", "v")

    def broken(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken)
    with pytest.raises(OSError, match="No space left"):
        keeper.save()
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
