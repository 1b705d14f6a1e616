"""smmock: a fast, faithful in-memory AWS Secrets Manager for boto3 and botocore tests.

Importing smmock registers its botocore hook; nothing is intercepted until a mock is
started with :func:`mock_secrets` (decorator, context manager, or ``start()``), or the
pytest fixture ``sm_backend`` is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smmock._model.defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from smmock.mock import MockSecrets, NoRetrySleep, mock_secrets, no_retry_sleep

if TYPE_CHECKING:
    from smmock.backend import (
        CallLog,
        CallRecord,
        Fault,
        RegionBackend,
        Secret,
        SecretsBackend,
        SecretVersion,
    )

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "CallLog",
    "CallRecord",
    "Fault",
    "MockSecrets",
    "NoRetrySleep",
    "RegionBackend",
    "Secret",
    "SecretVersion",
    "SecretsBackend",
    "mock_secrets",
    "no_retry_sleep",
]

_LAZY = (
    "CallLog",
    "CallRecord",
    "Fault",
    "RegionBackend",
    "Secret",
    "SecretsBackend",
    "SecretVersion",
)

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The backend's types load on first use (a mock's start loads them anyway), so that
    # ``import smmock``, which the pytest plugin does in every test session, stays cheap.
    if name in _LAZY:
        from smmock import backend

        return getattr(backend, name)
    raise AttributeError(f"module 'smmock' has no attribute {name!r}")
