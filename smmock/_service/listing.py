"""ListSecrets and ListSecretVersionIds: filters, sort orders and snapshot paging."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from smmock import _clock
from smmock._model import Secret, SecretVersion
from smmock._service.filters import compile_filters
from smmock._service.store import Store

__all__ = ["Listing"]


class Listing(Store):
    """The listing operations."""

    __slots__ = ()

    def list_secrets(
        self,
        *,
        include_planned_deletion: bool = False,
        max_results: int | None = None,
        next_token: str | None = None,
        filters: Sequence[Mapping[str, Any]] | None = None,
        sort_order: str | None = None,
        sort_by: str | None = None,
        listing: str = "ListSecrets",
    ) -> tuple[list[Secret], str | None]:
        """ListSecrets: one page (filled up to ``max_results``, default 100) and its token.

        Scheduled secrets are hidden unless ``include_planned_deletion``. Filters AND
        together; the default order is creation order, ascending. A token resumes only
        the same ``listing`` (operation) with the same filters, order and scope.
        """
        matches = compile_filters(filters) if filters else None

        def produce() -> list[Secret]:
            items = [
                s
                for s in self.secrets()
                if (include_planned_deletion or s.deletion_date is None)
                and (matches is None or matches(s))
            ]
            key = _SORT_KEYS.get(sort_by or "created-date")
            if key is not None:
                items.sort(key=key)
            if sort_order == "desc":
                items.reverse()
            return items

        now = _clock.now()

        def keep(item: object) -> bool:
            # Skip what was deleted, purged or scheduled since the snapshot was taken.
            assert isinstance(item, Secret)
            if self._secrets.get(item.name) is not item:
                return False
            if item.deletion_date is None:
                return True
            return include_planned_deletion and now < item.deletion_date

        page, token = self._pager.page(
            next_token,
            produce,
            keep,
            _page_size(max_results),
            (
                listing,
                json.dumps(filters, sort_keys=True),
                sort_by,
                sort_order,
                include_planned_deletion,
            ),
        )
        return [s for s in page if isinstance(s, Secret)], token

    def list_secret_version_ids(
        self,
        secret_id: str,
        *,
        max_results: int | None = None,
        next_token: str | None = None,
        include_deprecated: bool = False,
    ) -> tuple[Secret, list[SecretVersion], str | None]:
        """ListSecretVersionIds: versions in creation order; deprecated ones on request.

        Only versions that hold a value (the API reference): the empty AWSPENDING stub a
        rotation adds shows in ``VersionIdsToStages`` but not here until its
        ``createSecret`` step fills it. Allowed on a secret scheduled for deletion (the
        model lists no InvalidRequestException for it).
        """
        secret = self.get(secret_id)

        def listed(version: SecretVersion) -> bool:
            return version.has_value and (include_deprecated or bool(version.stages))

        def produce() -> list[SecretVersion]:
            return [v for v in secret.version_list() if listed(v)]

        # The versions still there, by identity: one pass instead of a scan per item.
        live = {id(v) for v in secret.version_list()}

        def keep(item: object) -> bool:
            assert isinstance(item, SecretVersion)
            return id(item) in live and listed(item)

        # Scoped by ARN: a token of another secret (or of a purged secret whose name was
        # reused, which gets a new ARN) is invalid here.
        page, token = self._pager.page(
            next_token, produce, keep, _page_size(max_results), ("ListSecretVersionIds", secret.arn)
        )
        return secret, [v for v in page if isinstance(v, SecretVersion)], token


def _page_size(max_results: int | None) -> int:
    return 100 if max_results is None else max_results


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_SORT_KEYS: dict[str, Callable[[Secret], Any]] = {
    "created-date": lambda s: s.created_date,
    "last-changed-date": lambda s: s.last_changed_date,
    # Never-read secrets sort as the oldest.
    "last-accessed-date": lambda s: s.last_accessed_date or _EPOCH,
    "name": lambda s: s.name,
}
