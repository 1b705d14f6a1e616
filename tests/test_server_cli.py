"""``smmock serve`` on the command line: defaults, refusals, warnings, and quiet logs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from smmock.server.cli import is_loopback, main
from tests.server_fixtures import ROOT, server_env, start_server


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smmock", *args],
        capture_output=True,
        text=True,
        env=server_env(),
        cwd=ROOT,
        timeout=60,
    )


def test_help_lists_the_options() -> None:
    result = run("serve", "--help")
    assert result.returncode == 0
    for option in ("--host", "--port", "--account-id", "--region", "--allow-remote"):
        assert option in result.stdout


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "smmock"
    result = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.splitlines()[0]) == (
        0,
        "usage: smmock [-h] COMMAND ...",
    )


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert capsys.readouterr().out.startswith("usage: smmock")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--host", "192.0.2.10"],
            "smmock serve: refusing to bind 192.0.2.10, which is not a loopback address: the "
            "server has no authentication. Pass --allow-remote to do it anyway.\n",
        ),
        (["--account-id", "12345"], "smmock serve: --account-id must be 12 digits, not '12345'\n"),
        (["--region", "moon"], "smmock serve: --region 'moon' is not a region name\n"),
    ],
)
def test_refusals(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["serve", *args]) == 2
    assert capsys.readouterr().err == message


def test_a_remote_address_warns_before_it_binds(capsys: pytest.CaptureFixture[str]) -> None:
    # 192.0.2.10 (TEST-NET-1) is on no interface here: the bind fails, so nothing listens
    # and no traffic leaves loopback, but the warning comes first.
    assert main(["serve", "--host", "192.0.2.10", "--port", "0", "--allow-remote"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "smmock serve: WARNING: listening on 192.0.2.10, beyond this machine. The server has "
        "no authentication: anyone who can reach it can read and change every secret."
    )
    assert err[1].startswith("smmock serve: cannot bind 192.0.2.10:0: ")


def test_is_loopback() -> None:
    assert [is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost")] == [
        True
    ] * 5
    assert [is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "example.com")] == [False] * 4


def test_options_reach_the_server_and_logs_never_show_secret_values(tmp_path: Path) -> None:
    server = start_server(
        tmp_path / "log", "--region", "eu-central-1", "--account-id", "999988887777", "--access-log"
    )
    try:
        assert server.url.startswith("http://127.0.0.1:")
        health = server.admin("health")
        assert (health["region"], health["account_id"]) == ("eu-central-1", "999988887777")
        sm = server.client(region="eu-central-1")
        arn = sm.create_secret(Name="logged", SecretString="VALUE-ONE-7f3a")["ARN"]
        assert ":eu-central-1:999988887777:" in arn
        sm.put_secret_value(SecretId="logged", SecretString="VALUE-TWO-7f3a")
        assert sm.get_secret_value(SecretId="logged")["SecretString"] == "VALUE-TWO-7f3a"
        sm.create_secret(Name="binary", SecretBinary=b"VALUE-BIN-7f3a")
    finally:
        log = server.stop()
    # The access log is on, and names each request, but no value reaches it.
    assert log.count('"POST / HTTP/1.1" 200') == 4
    assert "7f3a" not in log
    # SIGTERM is a clean shutdown.
    assert server.process.returncode == 0
