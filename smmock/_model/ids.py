"""Where smmock's ids come from: random by default, a seeded sequence on request.

Request ids, ARN suffixes, version ids smmock makes itself, rotation tokens and
GetRandomPassword draw from here. ``mock_secrets(seed=N)`` makes them reproducible: while
a seeded mock is active, :func:`use` has installed an :class:`Ids` built from the seed,
and the module-level functions draw from it instead of the fast unseeded sources. Each
kind of id has its own stream, so an extra request (one more request id) does not shift
the ARN suffixes or version ids that follow. A leaf module: the interception, service
and model layers all share it.
"""

from __future__ import annotations

import random
import string
import uuid

__all__ = ["Ids", "new_uuid", "password_random", "request_id", "seeded", "suffix", "use"]

_getrandbits = random.getrandbits
_random = random.random
_SUFFIX_CHARS = string.ascii_letters + string.digits
# Three uniform draws of two characters give the same distribution as six single draws,
# at a third of the cost of random.choices (CreateSecret's hot path).
_SUFFIX_PAIRS = [a + b for a in _SUFFIX_CHARS for b in _SUFFIX_CHARS]
_PAIR_COUNT = len(_SUFFIX_PAIRS)
# GetRandomPassword's source when unseeded: a CSPRNG, as a password generator should use.
_SYSTEM_RANDOM = random.SystemRandom()


def _uuid_text(bits: int) -> str:
    text = f"{bits:032x}"
    # Version 4, variant RFC 4122, as uuid.uuid4() gives.
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-a{text[17:20]}-{text[20:]}"


class Ids:
    """Seeded id streams: the same seed gives the same ids in the same order.

    Parameters:
        seed: any integer; each kind of id (request ids, ARN suffixes, UUIDs, passwords)
            gets its own :class:`random.Random` derived from it.
    """

    __slots__ = ("_passwords", "_requests", "_suffixes", "_uuids", "seed")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._requests = random.Random(f"smmock:{seed}:request")
        self._suffixes = random.Random(f"smmock:{seed}:suffix")
        self._uuids = random.Random(f"smmock:{seed}:uuid")
        self._passwords = random.Random(f"smmock:{seed}:password")

    def request_id(self) -> str:
        """The next request id (UUID4-shaped)."""
        return _uuid_text(self._requests.getrandbits(128))

    def suffix(self) -> str:
        """The next 6-character ARN suffix."""
        draw = self._suffixes.random
        return (
            _SUFFIX_PAIRS[int(draw() * _PAIR_COUNT)]
            + _SUFFIX_PAIRS[int(draw() * _PAIR_COUNT)]
            + _SUFFIX_PAIRS[int(draw() * _PAIR_COUNT)]
        )

    def uuid(self) -> str:
        """The next UUID4 string (version ids, ClientRequestTokens, rotation tokens)."""
        return str(uuid.UUID(int=self._uuids.getrandbits(128), version=4))

    @property
    def passwords(self) -> random.Random:
        """The random source GetRandomPassword draws from."""
        return self._passwords

    def __repr__(self) -> str:
        return f"Ids(seed={self.seed!r})"


_seeded: Ids | None = None


def use(ids: Ids | None) -> None:
    """Draw every id from ``ids`` from now on; ``None`` goes back to random ids."""
    global _seeded
    _seeded = ids


def seeded() -> Ids | None:
    """The seeded source in use, or None while ids are random."""
    return _seeded


def request_id() -> str:
    """A request id: UUID4-shaped, random without a system call unless seeded."""
    source = _seeded
    if source is not None:
        return source.request_id()
    return _uuid_text(_getrandbits(128))


def suffix() -> str:
    """The 6 alphanumerics AWS appends to a secret's name in its ARN."""
    source = _seeded
    if source is not None:
        return source.suffix()
    pairs, count = _SUFFIX_PAIRS, _PAIR_COUNT
    return (
        pairs[int(_random() * count)]
        + pairs[int(_random() * count)]
        + pairs[int(_random() * count)]
    )


def new_uuid() -> str:
    """A fresh UUID4 string (seeded while a seeded mock is active)."""
    source = _seeded
    if source is not None:
        return source.uuid()
    return str(uuid.uuid4())


def password_random() -> random.Random:
    """GetRandomPassword's random source: a CSPRNG, or the seeded stream."""
    source = _seeded
    if source is not None:
        return source.passwords
    return _SYSTEM_RANDOM
