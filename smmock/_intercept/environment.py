"""The environment while a mock is active: fake keys, no expiry, a default region.

Only the variables that decide which credentials a new client gets and which region it
talks to are touched, through an exactly reversible :class:`smmock._service.env.EnvPatch`:

* ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY`` hold fake keys, so code that builds
  its own clients finds credentials without reading the user's.
* ``AWS_SESSION_TOKEN`` and ``AWS_SECURITY_TOKEN`` are unset: a real token must not ride
  along with the fake keys.
* ``AWS_CREDENTIAL_EXPIRATION`` is unset: with it, botocore's environment provider turns
  the keys into refreshable credentials carrying the user's expiry (aws-vault,
  ``aws configure export-credentials``), and a past expiry fails every call.
* ``AWS_DEFAULT_REGION`` is set when it names no region: to ``AWS_REGION`` when that is
  set (botocore reads only ``AWS_DEFAULT_REGION``), else to the mock's region.

Nothing here reads a credentials object's keys: on refreshable or deferred credentials
that alone would fetch them (STS, SSO, a credential process, instance metadata).
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

from smmock._model.defaults import DEFAULT_REGION

__all__ = [
    "FAKE_ACCESS_KEY",
    "FAKE_SECRET_KEY",
    "REGION_FORM",
    "default_region",
    "fake_environment",
    "forget_fake_credentials",
    "is_region",
]

FAKE_ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
FAKE_SECRET_KEY = "smmock-fake-secret-access-key"

# AWS's region names: a partition prefix of letters, words, a number (us-east-1,
# us-gov-west-1, cn-northwest-1, eusc-de-east-1, us-isob-east-1).
_REGION_RE = re.compile(r"[a-z]{2,}(?:-[a-z]+)+-[0-9]{1,2}")
REGION_FORM = "a region name such as 'us-east-1' (lowercase words and a number, joined by '-')"


def is_region(value: object) -> bool:
    """Whether ``value`` has the form of an AWS region name."""
    return isinstance(value, str) and _REGION_RE.fullmatch(value) is not None


def default_region() -> str:
    """The region a mock without an explicit one serves: the environment's, as botocore
    and the AWS SDKs read it (``AWS_DEFAULT_REGION``, then ``AWS_REGION``), else
    ``us-east-1``.

    Raises ValueError naming the variable when it holds something that is not a region.
    """
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION"):
        value = os.environ.get(name)
        if value:
            if not is_region(value):
                raise ValueError(
                    f"{name} must be {REGION_FORM}, not {value!r}; "
                    "pass mock_secrets(region=...) or fix the variable."
                )
            return value
    return DEFAULT_REGION


def fake_environment(region: str) -> tuple[dict[str, str | None], str | None]:
    """The variables to set while active, and the region smmock put in the environment
    (None when the environment already named one)."""
    values: dict[str, str | None] = {
        "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_KEY,
        "AWS_SESSION_TOKEN": None,
        "AWS_SECURITY_TOKEN": None,
        "AWS_CREDENTIAL_EXPIRATION": None,
    }
    if os.environ.get("AWS_DEFAULT_REGION"):
        return values, None
    # botocore reads AWS_DEFAULT_REGION only; AWS_REGION is what the other SDKs and
    # Lambda set, and users expect it to count.
    values["AWS_DEFAULT_REGION"] = os.environ.get("AWS_REGION") or region
    return values, values["AWS_DEFAULT_REGION"] if not os.environ.get("AWS_REGION") else None


def forget_fake_credentials() -> None:
    """Drop the fake keys boto3's default session cached while a mock was active.

    A session caches the credentials it resolves; boto3's default session, first used
    inside a mock, would keep signing other services' calls with the fake keys after the
    mock ended. Only plain ``Credentials`` holding the fake key are dropped, and the key
    is read from the instance dict: a refreshable object's ``access_key`` property would
    refresh it (a network call to STS or SSO).
    """
    boto3 = sys.modules.get("boto3")
    session: Any = getattr(getattr(boto3, "DEFAULT_SESSION", None), "_session", None)
    credentials: Any = getattr(session, "__dict__", {}).get("_credentials")
    if credentials is None:
        return
    from botocore.credentials import Credentials

    if type(credentials) is Credentials and vars(credentials).get("access_key") == FAKE_ACCESS_KEY:
        session._credentials = None
