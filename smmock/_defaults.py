"""The account and region a mock serves when none is given (a leaf: imports nothing).

A module of its own, not part of ``_model``: ``import smmock`` needs these two names, and
importing ``smmock._model`` would load the whole model with them.
"""

from __future__ import annotations

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
