"""The call log: one record per intercepted request, in the order they arrived.

The backend owns a :class:`CallLog` (``backend.calls``); the wire layer adds a record
for every request it serves, refused ones included, so retried attempts, injected faults
and access denials are all visible. Recording costs every call, so it is kept cheap: a
request without a secret value keeps its decoded parameters as they are (no copy), and
one with ``SecretString`` or ``SecretBinary`` gets a shallow copy with the value
replaced by :data:`REDACTED`. Responses are never recorded, so the values GetSecretValue
returns and the passwords GetRandomPassword makes never enter the log.

Memory stays bounded: the log keeps the newest :attr:`CallLog.maxlen` records (10,000
by default), :meth:`CallLog.clear` empties it, and ``calls.enabled = False`` stops
recording, for load scripts that make millions of calls.
"""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any, overload

from smmock import _clock

__all__ = ["REDACTED", "CallLog", "CallRecord"]

#: What a secret value in a recorded request is replaced with.
REDACTED = "**redacted**"
_SENSITIVE = ("SecretString", "SecretBinary")


class CallRecord:
    """One intercepted call, as the service saw it (read-only by convention).

    Attributes:
        operation: the API operation (``"GetSecretValue"``); for a request naming no
            known operation, what its ``X-Amz-Target`` named.
        arn: the full ARN of the secret the request named, when it resolved to one
            (for CreateSecret, the new secret's); else None.
        region, account_id: where the request was served.
        params: the request's parameters, secret values replaced by :data:`REDACTED`.
        error_code: the AWS error code it was answered with; None on success.
        time: when it arrived, by the mock's clock (so freezegun and time-machine apply).
        pending_deletion: the secret it named was scheduled for deletion at that moment.
    """

    __slots__ = (
        "account_id",
        "arn",
        "error_code",
        "operation",
        "params",
        "pending_deletion",
        "region",
        "time",
    )

    def __init__(
        self,
        operation: str,
        arn: str | None,
        region: str,
        account_id: str,
        params: dict[str, Any],
        time: datetime.datetime,
        pending_deletion: bool,
    ) -> None:
        self.operation = operation
        self.arn = arn
        self.region = region
        self.account_id = account_id
        self.params = params
        self.error_code: str | None = None
        self.time = time
        self.pending_deletion = pending_deletion

    def __repr__(self) -> str:
        return (
            f"CallRecord(operation={self.operation!r}, arn={self.arn!r}, "
            f"error_code={self.error_code!r}, pending_deletion={self.pending_deletion!r})"
        )


class CallLog(Sequence[CallRecord]):
    """Every intercepted call in arrival order, newest last, at most :attr:`maxlen`.

    A read-only sequence (``len``, indexing, iteration) with a few helpers. Set
    :attr:`enabled` to False to stop recording and :attr:`maxlen` to keep more or
    fewer records.
    """

    __slots__ = ("_records", "enabled")

    DEFAULT_MAXLEN = 10_000

    def __init__(self, maxlen: int = DEFAULT_MAXLEN) -> None:
        self._records: deque[CallRecord] = deque(maxlen=maxlen)
        #: Whether calls are recorded (default True).
        self.enabled = True

    def record(
        self,
        operation: str,
        arn: str | None,
        region: str,
        account_id: str,
        params: dict[str, Any],
        pending_deletion: bool,
    ) -> CallRecord:
        """Append a record of a call that is starting; the caller fills in its outcome."""
        if "SecretString" in params or "SecretBinary" in params:
            params = {k: REDACTED if k in _SENSITIVE else v for k, v in params.items()}
        entry = CallRecord(
            operation, arn, region, account_id, params, _clock.now(), pending_deletion
        )
        self._records.append(entry)
        return entry

    @property
    def maxlen(self) -> int:
        """How many records are kept; the oldest go first."""
        maxlen = self._records.maxlen
        assert maxlen is not None
        return maxlen

    @maxlen.setter
    def maxlen(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"maxlen must be a positive int, not {value!r}.")
        self._records = deque(self._records, maxlen=value)

    def clear(self) -> None:
        """Forget every record."""
        self._records.clear()

    def operations(self) -> list[str]:
        """The operation of each record, in order: handy to assert retried attempts."""
        return [entry.operation for entry in self._records]

    def during_recovery_window(self) -> list[CallRecord]:
        """Calls naming a secret that was scheduled for deletion at the time.

        The AWS guide's tip, an alarm on "any attempt to access a secret during the
        recovery window", as a list: ``[c for c in calls if c.pending_deletion]``.
        RestoreSecret and DescribeSecret calls on such a secret count too; keep the
        refused reads only with ``error_code == "InvalidRequestException"``.
        """
        return [entry for entry in self._records if entry.pending_deletion]

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, index: int) -> CallRecord: ...

    @overload
    def __getitem__(self, index: slice) -> list[CallRecord]: ...

    def __getitem__(self, index: int | slice) -> CallRecord | list[CallRecord]:
        if isinstance(index, slice):
            return list(self._records)[index]
        return self._records[index]

    def __iter__(self) -> Iterator[CallRecord]:
        # A snapshot: a rotation function's calls may append while the caller iterates.
        return iter(list(self._records))

    def __repr__(self) -> str:
        return f"CallLog({len(self._records)} calls, enabled={self.enabled})"
