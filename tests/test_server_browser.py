"""Headless Chromium performs the AWS guide's console procedures against ``smmock serve``.

Schedule deletion with a 14-day window, show scheduled secrets with the "Deleted on"
column, cancel the deletion; after each step boto3 checks that the API sees the change.
With ``SMMOCK_SCREENSHOTS=1`` each step's screenshot is written to docs/console/ (the
README shows them); otherwise to the test's temporary folder.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.server_fixtures import ROOT, Server, require

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
NAME = "development/MyTestDatabase"
UTC = datetime.timezone.utc


@pytest.fixture
def driver() -> Iterator[Any]:
    require(
        Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(),
        "chromium and chromium-driver",
        "apt-get install chromium chromium-driver",
    )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="smmock-chromium-")
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1000,720",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    if os.environ.get("SMMOCK_SCREENSHOTS") == "1":
        folder = ROOT / "docs" / "console"
        folder.mkdir(exist_ok=True)
        return folder
    return tmp_path


def test_the_guides_console_procedures(server: Server, driver: Any, shots: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.wait import WebDriverWait

    def find(selector: str) -> Any:
        return driver.find_element(By.CSS_SELECTOR, selector)

    def shot(name: str) -> None:
        assert driver.save_screenshot(str(shots / f"{name}.png"))

    def navigate(element: Any) -> None:
        # A click that submits a form or follows a link returns before the new page is
        # there: wait until the old page is gone.
        old = driver.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(driver, 15).until(staleness_of(old))

    sm = server.client()
    server.admin("clock/set", {"time": "2024-03-10T14:30:15Z", "frozen": True})
    sm.create_secret(
        Name=NAME,
        SecretString='{"username":"admin","password":"EXAMPLE-PASSWORD"}',
        Description="The test database's admin credentials",
        Tags=[{"Key": "team", "Value": "data"}],
    )
    sm.create_secret(Name="production/Api", SecretString="key", Description="API key")
    sm.get_secret_value(SecretId="production/Api")
    server.admin("clock/advance", {"days": 2, "hours": 3})

    # Navigate to the list and choose the secret.
    driver.get(server.url + "/")
    names = [
        row.get_attribute("data-name")
        for row in driver.find_elements(By.CSS_SELECTOR, "tr[data-name]")
    ]
    assert names == [NAME, "production/Api"]
    shot("1-list")
    navigate(driver.find_element(By.LINK_TEXT, NAME))
    assert find("#secret-name").text == NAME
    assert "EXAMPLE-PASSWORD" not in driver.page_source

    # In Secret details, choose Delete secret; in the dialog, a 14-day window.
    find("#delete-secret").click()
    window = find("#recovery-window")
    assert window.is_displayed()
    window.clear()
    window.send_keys("14")
    shot("2-schedule-deletion")
    navigate(find("#schedule-deletion"))
    assert find("#deletion-date").text == "March 26, 2024, 17:30:15 UTC"
    shot("3-scheduled")
    described = sm.describe_secret(SecretId=NAME)
    assert described["DeletedDate"] == datetime.datetime(2024, 3, 12, 17, 30, 15, tzinfo=UTC)
    assert sm.list_secrets()["SecretList"][0]["Name"] == "production/Api"
    with pytest.raises(ClientError) as info:
        sm.get_secret_value(SecretId=NAME)
    assert info.value.response["Error"]["Code"] == "InvalidRequestException"

    # Back in the list the secret is hidden; the preferences show it, with Deleted on.
    navigate(find(".crumbs a"))
    assert [
        r.get_attribute("data-name") for r in driver.find_elements(By.CSS_SELECTOR, "tr[data-name]")
    ] == ["production/Api"]
    find("#open-preferences").click()
    find("#pref-scheduled").click()
    find("#pref-deleted_on").click()
    shot("4-preferences")
    navigate(find("#save-preferences"))
    row = find(f'tr[data-name="{NAME}"]')
    assert row.find_element(By.CSS_SELECTOR, '[data-column="deleted_on"]').text == (
        "March 12, 2024, 17:30:15 UTC"
    )
    assert find('th[data-column="deleted_on"]').text == "Deleted on"
    shot("5-deleted-on")
    # The preference is kept by this browser.
    driver.get(server.url + "/")
    assert find(f'tr[data-name="{NAME}"]').get_attribute("class") == "scheduled"
    listed = sm.list_secrets(IncludePlannedDeletion=True)["SecretList"]
    assert sorted(s["Name"] for s in listed) == [NAME, "production/Api"]

    # Choose the deleted secret, Cancel deletion, confirm.
    navigate(driver.find_element(By.LINK_TEXT, NAME))
    find("#cancel-deletion").click()
    assert find("#cancel-title").text == "Cancel secret deletion"
    shot("6-cancel-deletion")
    navigate(find("#confirm-cancel-deletion"))
    assert driver.find_elements(By.CSS_SELECTOR, "#scheduled-banner") == []
    assert find("#delete-secret").is_displayed()
    assert "DeletedDate" not in sm.describe_secret(SecretId=NAME)
    assert sm.get_secret_value(SecretId=NAME)["SecretString"].startswith('{"username"')

    # Retrieve secret value: only now does the page hold it.
    navigate(find("#retrieve-value"))
    assert find("#plaintext").text == '{"username":"admin","password":"EXAMPLE-PASSWORD"}'
    shot("7-restored-value")


def test_the_window_is_checked_in_the_browser_too(server: Server, driver: Any) -> None:
    from selenium.webdriver.common.by import By

    server.client().create_secret(Name="safe", SecretString="v")
    driver.get(server.url + "/secret?name=safe")
    driver.find_element(By.ID, "delete-secret").click()
    window = driver.find_element(By.ID, "recovery-window")
    window.clear()
    window.send_keys("31")
    driver.find_element(By.ID, "schedule-deletion").click()
    # The number input's own limits stop the form; nothing was sent.
    assert driver.execute_script("return arguments[0].validity.rangeOverflow", window) is True
    assert driver.execute_script("return document.getElementById('delete-dialog').open") is True
    assert "DeletedDate" not in server.client().describe_secret(SecretId="safe")
