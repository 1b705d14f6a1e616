"""The ``/_smmock/`` admin endpoints: health, reset, and the clock a test in any language moves."""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.server_fixtures import Server

UTC = datetime.timezone.utc


def post(server: Server, path: str, body: bytes, content_type: str) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"{server.url}/_smmock/{path}",
        data=body,
        headers={"Content-Type": content_type},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def test_health(server: Server) -> None:
    health = server.admin("health")
    assert {k: health[k] for k in ("status", "version", "region", "account_id", "frozen")} == {
        "status": "ok",
        "version": "0.1.0",
        "region": "us-east-1",
        "account_id": "123456789012",
        "frozen": False,
    }
    now = datetime.datetime.fromisoformat(health["now"])
    assert abs(now - datetime.datetime.now(UTC)) < datetime.timedelta(minutes=1)


def test_reset_forgets_every_secret(server: Server) -> None:
    server.client().create_secret(Name="a", SecretString="v")
    server.client("eu-west-1").create_secret(Name="b", SecretString="v")
    assert server.admin("reset", {}) == {"reset": True}
    assert server.client().list_secrets(IncludePlannedDeletion=True)["SecretList"] == []
    assert server.client("eu-west-1").list_secrets()["SecretList"] == []


def test_advancing_the_clock_passes_a_recovery_window(server: Server) -> None:
    sm = server.client()
    server.admin("clock/set", {"time": "2024-03-10T14:30:15Z", "frozen": True})
    sm.create_secret(Name="doomed", SecretString="v")
    deleted = sm.delete_secret(SecretId="doomed", RecoveryWindowInDays=7)
    assert deleted["DeletionDate"] == datetime.datetime(2024, 3, 17, 14, 30, 15, tzinfo=UTC)
    state = server.admin("clock/advance", {"days": 6, "hours": 23, "minutes": 59, "seconds": 59})
    assert state == {"now": "2024-03-17T14:30:14+00:00", "frozen": True}
    assert sm.describe_secret(SecretId="doomed")["DeletedDate"] == datetime.datetime(
        2024, 3, 10, 14, 30, 15, tzinfo=UTC
    )
    server.admin("clock/advance", {"seconds": 1})
    with pytest.raises(ClientError) as info:
        sm.describe_secret(SecretId="doomed")
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_running_clock_set_in_the_past_keeps_running(server: Server) -> None:
    state = server.admin("clock/set", {"time": "2020-01-01T00:00:00+00:00"})
    assert state["frozen"] is False
    moment = datetime.datetime.fromisoformat(state["now"])
    assert datetime.datetime(2020, 1, 1, tzinfo=UTC) <= moment
    assert moment < datetime.datetime(2020, 1, 1, 0, 1, tzinfo=UTC)
    created = server.client().create_secret(Name="old", SecretString="v")["Name"]
    described = server.client().describe_secret(SecretId=created)
    assert described["CreatedDate"].year == 2020
    advanced = server.admin("clock/advance", {"weeks": 2})
    assert datetime.datetime.fromisoformat(advanced["now"]) >= moment + datetime.timedelta(days=14)
    real = server.admin("clock/real", {})
    assert real["frozen"] is False
    assert datetime.datetime.fromisoformat(real["now"]).year >= 2025
    assert server.admin("clock")["frozen"] is False


@pytest.mark.parametrize(
    ("path", "body", "status", "answer"),
    [
        (
            "clock/advance",
            b'{"fortnights": 1}',
            400,
            {
                "error": "unknown duration members ['fortnights']; use ['weeks', 'days', "
                "'hours', 'minutes', 'seconds', 'milliseconds']"
            },
        ),
        ("clock/advance", b'{"days": "7"}', 400, {"error": 'days must be a number, not "7"'}),
        ("clock/advance", b'{"days": true}', 400, {"error": "days must be a number, not true"}),
        (
            "clock/advance",
            b"{}",
            400,
            {
                "error": "give a duration with any of ['weeks', 'days', 'hours', 'minutes', "
                "'seconds', 'milliseconds'], e.g. {\"days\": 14}"
            },
        ),
        (
            "clock/advance",
            b'{"days": 99999999}',
            400,
            {"error": "that would move the clock out of range"},
        ),
        (
            "clock/set",
            b'{"time": "yesterday"}',
            400,
            {"error": "'yesterday' is not an ISO 8601 date and time"},
        ),
        (
            "clock/set",
            b'{"time": 5}',
            400,
            {"error": '"time" must be an ISO 8601 string such as "2024-03-10T14:30:00Z"'},
        ),
        (
            "clock/set",
            b'{"time": "2024-01-01", "frozen": "yes"}',
            400,
            {"error": '"frozen" must be true or false'},
        ),
        (
            "clock/set",
            b'{"when": 1}',
            400,
            {"error": 'unknown members [\'when\']; use "time" and "frozen"'},
        ),
        ("reset", b"[1]", 400, {"error": "the body must be a JSON object"}),
        ("reset", b"{oops", 400, {"error": "the body is not valid JSON"}),
    ],
)
def test_bad_admin_requests(
    server: Server, path: str, body: bytes, status: int, answer: dict[str, str]
) -> None:
    assert post(server, path, body, "application/json") == (status, answer)
    assert server.admin("clock")["frozen"] is False


def test_state_changing_admin_requests_need_json(server: Server) -> None:
    # A web page can POST a form or text/plain cross-origin without a preflight; the
    # server refuses those, so no page can reset it or move its clock.
    server.client().create_secret(Name="kept", SecretString="v")
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        assert post(server, "reset", b"{}", content_type) == (
            415,
            {"error": "admin POSTs need Content-Type: application/json"},
        )
    assert [s["Name"] for s in server.client().list_secrets()["SecretList"]] == ["kept"]
