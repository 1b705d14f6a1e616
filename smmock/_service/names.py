"""Secret names and ARNs: AWS's rules for both, and the random suffix an ARN carries."""

from __future__ import annotations

import re

from smmock._model import home
from smmock._model import ids as _ids
from smmock.exceptions import ValidationException

__all__ = ["check_name", "parse_arn", "random_suffix", "secret_arn"]

_NAME_RE = re.compile(r"[A-Za-z0-9/_+=.@-]+")
# A full ARN ends in "-" plus the 6 random characters AWS appends to the name.
_SUFFIX_RE = re.compile(r".*-[A-Za-z0-9]{6}")


def random_suffix() -> str:
    """The 6 random alphanumerics AWS appends to a secret's name in its ARN (seeded
    while a ``mock_secrets(seed=...)`` is active)."""
    return _ids.suffix()


def secret_arn(region: str, account_id: str, name: str, suffix: str | None = None) -> str:
    """The ARN AWS gives a secret: its name plus ``-`` and 6 random alphanumerics."""
    if suffix is None:
        suffix = random_suffix()
    return f"{home(account_id, region).arn_prefix}{name}-{suffix}"


def check_name(name: str) -> None:
    """AWS rule: names use ASCII letters, digits and ``/_+=.@-`` only."""
    if _NAME_RE.fullmatch(name) is None:
        raise ValidationException.invalid_name()


def parse_arn(secret_id: str) -> tuple[str, str, str, bool] | None:
    """Split a secret ARN into (region, account, name-or-name-with-suffix, is_full).

    A last segment ending in ``-`` + 6 alphanumerics is a full ARN (AWS's rule, which
    makes a secret named ``x-a1b2c3`` unreachable by partial ARN).
    """
    parts = secret_id.split(":", 6)
    if len(parts) != 7 or parts[2] != "secretsmanager" or parts[5] != "secret":
        return None
    return parts[3], parts[4], parts[6], _SUFFIX_RE.fullmatch(parts[6]) is not None
