"""Shared fixtures. ``pytester`` is loaded by pyproject's ``addopts`` (``-p pytester``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from smmock import SecretsBackend, mock_secrets


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


pytest_plugins = ["tests.contract"]
