"""Shared fixtures. ``pytester`` is loaded by pyproject's ``addopts`` (``-p pytester``)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from smmock import SecretsBackend, mock_secrets
from smmock._intercept import hook as _hook


@pytest.fixture
def clean_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[None]:
    """No AWS settings or credentials from the machine running the tests (empty shared
    files, no instance metadata), and no mock active before or left active after."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    (tmp_path / "empty").write_text("")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert _hook.active_backend() is None, "an earlier test left smmock active"
    yield
    assert _hook.active_backend() is None, "the test left smmock active"


@pytest.fixture
def backend() -> Iterator[SecretsBackend]:
    """The active mock's typed backend (region us-east-1, account 123456789012)."""
    with mock_secrets(region="us-east-1") as active:
        yield active


@pytest.fixture
def client(backend: SecretsBackend) -> Any:
    """A boto3 secretsmanager client in us-east-1, served by the active mock."""
    return boto3.client("secretsmanager", region_name="us-east-1")


@pytest.fixture
def frozen() -> Iterator[Any]:
    """The clock frozen at 2024-03-10 14:30:15.250 UTC (epoch 1710081015.25).

    Yields freezegun's factory: move time with ``frozen.tick(seconds)`` or
    ``frozen.move_to(...)``.
    """
    moment = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=datetime.timezone.utc)
    with freeze_time(moment) as factory:
        yield factory


pytest_plugins = ["tests.contract", "tests.server_fixtures"]

# aiobotocore pins its own botocore: its tests run in their own environment (make test
# builds .venv-aio), and the main run leaves them out.
try:
    import aiobotocore  # noqa: F401
except ImportError:
    collect_ignore_glob = ["aio/*"]
