"""smmock: a fast, faithful in-memory AWS Secrets Manager for boto3 and botocore tests.

Importing smmock registers its botocore hook; nothing is intercepted until a mock is
started with :func:`mock_secrets` (decorator, context manager, or ``start()``), or the
pytest fixture ``sm_backend`` is used.
"""

from __future__ import annotations

from smmock.backend import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION,
    RegionBackend,
    Secret,
    SecretsBackend,
    SecretVersion,
)
from smmock.mock import MockSecrets, mock_secrets

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "MockSecrets",
    "RegionBackend",
    "Secret",
    "SecretVersion",
    "SecretsBackend",
    "mock_secrets",
]

__version__ = "0.1.0"
