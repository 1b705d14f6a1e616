"""Where secrets live: one account in one region, its partition and ARN prefix."""

from __future__ import annotations

import weakref


def partition(region: str) -> str:
    """The AWS partition a region belongs to (``aws``, ``aws-cn`` or ``aws-us-gov``)."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


class Home:
    """Where secrets live: one account in one region, and the ARN prefix that gives them.

    One shared object per (account, region) (see :func:`home`), so a secret pays one
    reference for all three.
    """

    __slots__ = ("__weakref__", "account_id", "arn_prefix", "region")

    def __init__(self, account_id: str, region: str) -> None:
        self.account_id = account_id
        self.region = region
        self.arn_prefix = f"arn:{partition(region)}:secretsmanager:{region}:{account_id}:secret:"

    def __repr__(self) -> str:
        return f"Home({self.account_id!r}, {self.region!r})"


# Weak: a Home lives as long as a store or secret uses it, so the throwaway stores that
# answer ARNs of unknown accounts and regions leave nothing behind.
_HOMES: weakref.WeakValueDictionary[tuple[str, str], Home] = weakref.WeakValueDictionary()


def home(account_id: str, region: str) -> Home:
    """The shared :class:`Home` of ``account_id`` in ``region``."""
    key = (account_id, region)
    found = _HOMES.get(key)
    if found is None:
        # setdefault: two threads creating the first secret of a region share one Home.
        found = _HOMES.setdefault(key, Home(account_id, region))
    return found
