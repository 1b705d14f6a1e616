"""The account and region a mock serves when none is given (a leaf: imports nothing)."""

from __future__ import annotations

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
