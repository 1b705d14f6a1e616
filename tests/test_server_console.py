"""The console over plain HTTP: what each page shows, escaping, CSRF, the window's limits.

The browser test (test_server_browser.py) performs the guide's procedures with clicks;
these tests pin the rules behind them with exact values and without a browser.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from smmock.server.console import Preferences
from tests.server_fixtures import Server

MARKED = "You can't perform this operation on the secret because it was marked for deletion."


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


@pytest.fixture
def browser(server: Server) -> Any:
    with requests.Session() as session:
        yield session


def open_page(browser: Any, server: Server, path: str) -> tuple[str, str]:
    response = browser.get(server.url + path, timeout=10)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    return response.text, csrf_of(response.text)


def post(browser: Any, server: Server, path: str, **fields: str) -> Any:
    return browser.post(server.url + path, data=fields, timeout=10, allow_redirects=True)


def test_the_list_hides_scheduled_secrets_until_the_preference_says(
    server: Server, browser: Any
) -> None:
    sm = server.client()
    sm.create_secret(Name="kept", SecretString="v", Description="stays")
    sm.create_secret(Name="going", SecretString="v")
    sm.delete_secret(SecretId="going", RecoveryWindowInDays=7)
    page, token = open_page(browser, server, "/")
    assert 'data-name="kept"' in page
    assert 'data-name="going"' not in page
    assert 'data-column="deleted_on"' not in page
    assert '<td data-column="description">stays</td>' in page
    saved = post(
        browser,
        server,
        "/preferences",
        csrf=token,
        scheduled="on",
        description="on",
        deleted_on="on",
    )
    assert saved.status_code == 200
    assert browser.cookies["smmock_preferences"] == "scheduled.description.deleted_on"
    page = saved.text
    assert 'data-name="going" class="scheduled"' in page
    assert '<th data-column="deleted_on">Deleted on</th>' in page
    assert '<th data-column="last_changed">' not in page
    deleted = sm.describe_secret(SecretId="going")["DeletedDate"]
    expected = f"{deleted:%B} {deleted.day}, {deleted.year}, {deleted:%H:%M:%S} UTC"
    assert f'<td data-column="deleted_on">{expected}</td>' in page
    # Another browser has its own preferences.
    with requests.Session() as other:
        assert 'data-name="going"' not in other.get(server.url + "/", timeout=10).text


def test_preferences_cookie_round_trip() -> None:
    assert Preferences.from_cookie(None).to_cookie() == "description.last_retrieved.last_changed"
    assert Preferences.from_cookie("none").columns == set()
    saved = Preferences.from_cookie("deleted_on.scheduled.bogus")
    assert (saved.show_scheduled, saved.columns) == (True, {"deleted_on"})


def test_user_data_is_escaped(server: Server, browser: Any) -> None:
    sm = server.client()
    sm.create_secret(
        Name="xss",
        SecretString="<img src=x onerror=alert(2)>",
        Description="<script>alert(1)</script>",
        Tags=[{"Key": "<b>k</b>", "Value": "\"'><i>v"}],
    )
    listing, _ = open_page(browser, server, "/")
    assert "<script>alert(1)</script>" not in listing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    page, token = open_page(browser, server, "/secret?name=xss")
    assert '<dd id="description">&lt;script&gt;alert(1)&lt;/script&gt;</dd>' in page
    assert "<td>&lt;b&gt;k&lt;/b&gt;</td><td>&#34;&#39;&gt;&lt;i&gt;v</td>" in page
    shown = post(browser, server, "/secret/value", csrf=token, name="xss").text
    assert '<pre id="plaintext">&lt;img src=x onerror=alert(2)&gt;</pre>' in shown


def test_details_show_metadata_versions_and_the_value_only_on_demand(
    server: Server, browser: Any
) -> None:
    sm = server.client()
    first = sm.create_secret(
        Name="app/db",
        SecretString="one",
        KmsKeyId="alias/mine",
        Tags=[{"Key": "team", "Value": "a"}],
    )
    second = sm.put_secret_value(SecretId="app/db", SecretString="two")["VersionId"]
    third = sm.put_secret_value(SecretId="app/db", SecretString="three")["VersionId"]
    page, token = open_page(browser, server, "/secret?name=app/db")
    assert f"<code>{first['ARN']}</code>" in page
    assert '<dd id="kms-key">alias/mine</dd>' in page
    assert "<td>team</td><td>a</td>" in page
    assert '<dd id="rotation-status">Disabled</dd>' in page
    assert "This secret is not replicated to other regions." in page
    # The first version lost its last label: deprecated, and marked so.
    assert f'<tr data-version="{first["VersionId"]}" class="deprecated">' in page
    assert '<span class="label deprecated">deprecated</span>' in page
    assert f'<tr data-version="{third}">' in page
    assert re.search(f'data-version="{second}">.*?AWSPREVIOUS', page, re.S)
    assert "three" not in page
    # Opening the page read nothing: no LastAccessedDate yet.
    assert "LastAccessedDate" not in sm.describe_secret(SecretId="app/db")
    shown = post(browser, server, "/secret/value", csrf=token, name="app/db").text
    assert '<pre id="plaintext">three</pre>' in shown
    assert "LastAccessedDate" in sm.describe_secret(SecretId="app/db")


def test_schedule_and_cancel_deletion(server: Server, browser: Any) -> None:
    sm = server.client()
    server.admin("clock/set", {"time": "2024-03-10T14:30:15Z", "frozen": True})
    sm.create_secret(Name="doomed", SecretString="v")
    _, token = open_page(browser, server, "/secret?name=doomed")
    scheduled = post(
        browser, server, "/secret/delete", csrf=token, name="doomed", recovery_window="14"
    )
    assert scheduled.status_code == 200
    assert scheduled.url == f"{server.url}/secret?name=doomed&region=us-east-1"
    assert '<strong id="deletion-date">March 24, 2024, 14:30:15 UTC</strong>' in scheduled.text
    assert '<dd id="deleted-on">March 10, 2024, 14:30:15 UTC</dd>' in scheduled.text
    assert 'id="cancel-deletion"' in scheduled.text
    assert 'id="delete-secret"' not in scheduled.text
    shown = post(browser, server, "/secret/value", csrf=token, name="doomed")
    assert shown.status_code == 400
    escaped = MARKED.replace("'", "&#39;")
    assert f"<strong>InvalidRequestException</strong>: {escaped}" in shown.text
    restored = post(browser, server, "/secret/restore", csrf=token, name="doomed")
    assert restored.status_code == 200
    assert 'id="scheduled-banner"' not in restored.text
    assert "DeletedDate" not in sm.describe_secret(SecretId="doomed")


@pytest.mark.parametrize("window", ["6", "31", "", "7.5", "-7", "abc"])
def test_the_recovery_window_is_validated(server: Server, browser: Any, window: str) -> None:
    server.client().create_secret(Name="safe", SecretString="v")
    _, token = open_page(browser, server, "/secret?name=safe")
    answer = post(
        browser, server, "/secret/delete", csrf=token, name="safe", recovery_window=window
    )
    assert answer.status_code == 400
    assert (
        '<p class="field-error" id="window-error" role="alert">'
        "Enter a waiting period from 7 to 30 days.</p>"
    ) in answer.text
    assert "DeletedDate" not in server.client().describe_secret(SecretId="safe")


def test_posts_need_the_session_token(server: Server, browser: Any) -> None:
    server.client().create_secret(Name="guarded", SecretString="v")
    open_page(browser, server, "/")
    forbidden = "<strong>Forbidden</strong>: The form&#39;s security token is missing or stale"
    for token in ("", "0" * 64):
        answer = post(
            browser, server, "/secret/delete", csrf=token, name="guarded", recovery_window="7"
        )
        assert (answer.status_code, forbidden in answer.text) == (403, True)
    # A token from another browser's session does not work in this one.
    with requests.Session() as other:
        _, theirs = open_page(other, server, "/")
    answer = post(browser, server, "/secret/restore", csrf=theirs, name="guarded")
    assert answer.status_code == 403
    assert "DeletedDate" not in server.client().describe_secret(SecretId="guarded")


def test_no_force_delete_in_the_console(server: Server, browser: Any) -> None:
    server.client().create_secret(Name="kept", SecretString="v")
    page, token = open_page(browser, server, "/secret?name=kept")
    assert "force" not in page.lower()
    answer = post(
        browser,
        server,
        "/secret/delete",
        csrf=token,
        name="kept",
        recovery_window="7",
        ForceDeleteWithoutRecovery="true",
    )
    assert answer.status_code == 200
    # Scheduled with the window, not deleted: it can still be restored.
    server.client().restore_secret(SecretId="kept")


def test_unknown_secret_shows_aws_error(server: Server, browser: Any) -> None:
    answer = browser.get(server.url + "/secret?name=nope", timeout=10)
    assert answer.status_code == 400
    assert (
        "<strong>ResourceNotFoundException</strong>: "
        "Secrets Manager can&#39;t find the specified secret."
    ) in answer.text


def test_the_region_comes_from_the_url(server: Server, browser: Any) -> None:
    server.client("eu-west-1").create_secret(Name="in-ireland", SecretString="v")
    page, _ = open_page(browser, server, "/?region=eu-west-1")
    assert 'data-name="in-ireland"' in page
    assert "account 123456789012 &middot; eu-west-1" in page
    assert 'href="/secret?name=in-ireland&amp;region=eu-west-1"' in page
    # Not a region name: the server's region.
    page, _ = open_page(browser, server, "/?region=%3Cscript%3E")
    assert "account 123456789012 &middot; us-east-1" in page
    assert "in-ireland" not in page
