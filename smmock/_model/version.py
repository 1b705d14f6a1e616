"""One version of a secret's value, and the staging labels it carries.

The labels live only on the versions, as immutable tuples; every ordering of AWS's own
labels is one shared tuple, since most versions carry one of them.
"""

from __future__ import annotations

import datetime
import itertools

from smmock import _clock

AWSCURRENT = "AWSCURRENT"
AWSPREVIOUS = "AWSPREVIOUS"
AWSPENDING = "AWSPENDING"

Stages = tuple[str, ...]
# Every ordering of AWS's own labels, one shared tuple each: most versions carry one of
# these, and a tuple per version would cost 48 bytes.
_SHARED_STAGES: dict[Stages, Stages] = {
    combination: combination
    for size in range(1, 4)
    for combination in itertools.permutations((AWSCURRENT, AWSPREVIOUS, AWSPENDING), size)
}


def _stages(stages: Stages) -> Stages:
    return _SHARED_STAGES.get(stages, stages)


class SecretVersion:
    """One version of a secret's value.

    A version made by RotateSecret's first step holds no value until the rotation
    function's ``createSecret`` step fills it. ``stages`` keeps attachment order; change
    it only through :func:`attach` and :func:`detach`.
    """

    # One slot for the value (a version holds a string or bytes, never both).
    __slots__ = (
        "_value",
        "created_date",
        "kms_key_id",
        "last_accessed_date",
        "stages",
        "version_id",
    )

    def __init__(
        self,
        version_id: str,
        secret_string: str | None,
        secret_binary: bytes | None,
        created_date: datetime.datetime,
        stages: Stages = (),
        last_accessed_date: datetime.datetime | None = None,
        kms_key_id: str | None = None,
    ) -> None:
        self.version_id = version_id
        self._value: str | bytes | None = _value(secret_string, secret_binary)
        self.created_date = created_date
        self.stages = stages
        self.last_accessed_date = last_accessed_date
        self.kms_key_id = kms_key_id

    @property
    def value(self) -> str | bytes | None:
        """The value: a string, bytes, or None for RotateSecret's empty stub."""
        return self._value

    @property
    def secret_string(self) -> str | None:
        """The string value, or None for a binary or empty version."""
        value = self._value
        return value if isinstance(value, str) else None

    @property
    def secret_binary(self) -> bytes | None:
        """The binary value, or None for a string or empty version."""
        value = self._value
        return value if isinstance(value, bytes) else None

    def set_value(self, secret_string: str | None, secret_binary: bytes | None) -> None:
        """Fill the value (of RotateSecret's empty AWSPENDING stub)."""
        self._value = _value(secret_string, secret_binary)

    @property
    def deprecated(self) -> bool:
        """True when no staging label is attached (AWS hides it from default listings)."""
        return not self.stages

    @property
    def has_value(self) -> bool:
        """False for the empty AWSPENDING stub RotateSecret creates."""
        return self._value is not None

    def same_value(self, secret_string: str | None, secret_binary: bytes | None) -> bool:
        """Whether a retried request carries exactly this version's value."""
        return self.secret_string == secret_string and self.secret_binary == secret_binary

    def copy(self) -> SecretVersion:
        """An independent copy (a promoted replica's own versions)."""
        twin = SecretVersion(self.version_id, None, None, self.created_date, self.stages)
        twin._value = self._value
        twin.last_accessed_date = self.last_accessed_date
        twin.kms_key_id = self.kms_key_id
        return twin

    def __repr__(self) -> str:
        # Never show the value: reprs end up in logs and assertion output.
        return f"SecretVersion(version_id={self.version_id!r}, stages={self.stages!r})"


def _value(secret_string: str | None, secret_binary: bytes | None) -> str | bytes | None:
    # One slot holds either; the operations refuse both at once before they get here.
    assert secret_string is None or secret_binary is None, "a version holds one value"
    if secret_binary is None:
        return secret_string
    # A bytearray or memoryview from the typed seeding API is stored as the bytes it holds.
    return secret_binary if type(secret_binary) is bytes else bytes(secret_binary)


def new_version(
    version_id: str,
    secret_string: str | None,
    secret_binary: bytes | None,
    kms_key_id: str | None,
    created_date: datetime.datetime | None = None,
) -> SecretVersion:
    """A fresh, unlabelled version stamped with ``created_date`` (default: now)."""
    return SecretVersion(
        version_id,
        secret_string,
        secret_binary,
        created_date or _clock.now(),
        kms_key_id=kms_key_id,
    )
