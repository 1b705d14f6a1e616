"""Opaque NextTokens over snapshots, so paging through N items costs O(N) in total.

The first page computes the full (filtered, sorted) list once; later pages resume from
an offset in that snapshot instead of rebuilding and re-sorting it. Items that vanished
between pages are skipped and the page is filled from the ones after them.

Each snapshot remembers the listing it belongs to (its ``scope``), so a token handed out
by one listing is refused by another (ListSecrets vs ListSecretVersionIds, or the
versions of another secret) instead of resuming someone else's snapshot.
"""

from __future__ import annotations

import base64
import binascii
import itertools
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

from smmock.exceptions import InvalidNextTokenException

T = TypeVar("T")

_INVALID = "The NextToken value is not valid."
_MAX_SNAPSHOTS = 256


class Pager(Generic[T]):
    """Hands out NextTokens pointing into cached snapshots (least recently used dropped)."""

    __slots__ = ("_counter", "_snapshots")

    def __init__(self) -> None:
        self._snapshots: OrderedDict[int, tuple[Hashable, Sequence[T]]] = OrderedDict()
        self._counter = itertools.count(1)

    def page(
        self,
        next_token: str | None,
        produce: Callable[[], Sequence[T]],
        keep: Callable[[T], bool],
        size: int,
        scope: Hashable = None,
    ) -> tuple[list[T], str | None]:
        """Return up to ``size`` items still passing ``keep`` and the token for the rest.

        ``scope`` names the listing; a token is only valid for the scope it came from.
        """
        if next_token is None:
            snap_id, offset, items = 0, 0, produce()
        else:
            snap_id, offset = _decode(next_token)
            found = self._snapshots.get(snap_id)
            # Without the scope check a ListSecrets token would resume a snapshot of
            # secrets inside ListSecretVersionIds (and crash on the item type there).
            if found is None or found[0] != scope:
                raise InvalidNextTokenException(_INVALID)
            items = found[1]
        page: list[T] = []
        total = len(items)
        while offset < total and len(page) < size:
            item = items[offset]
            offset += 1
            if keep(item):
                page.append(item)
        if offset >= total:
            self._snapshots.pop(snap_id, None)
            return page, None
        if snap_id == 0:
            snap_id = next(self._counter)
            self._snapshots[snap_id] = (scope, items)
            if len(self._snapshots) > _MAX_SNAPSHOTS:
                self._snapshots.popitem(last=False)
        else:
            self._snapshots.move_to_end(snap_id)
        return page, _encode(snap_id, offset)


def _encode(snap_id: int, offset: int) -> str:
    return base64.urlsafe_b64encode(f"smmock:{snap_id}:{offset}".encode()).decode()


def _decode(token: str) -> tuple[int, int]:
    try:
        magic, snap, offset = base64.urlsafe_b64decode(token.encode()).decode().split(":")
        snap_id, position = int(snap), int(offset)
        if magic != "smmock" or snap_id < 1 or position < 0:
            raise ValueError(token)
        return snap_id, position
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidNextTokenException(_INVALID) from None
