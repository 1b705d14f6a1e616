"""GetRandomPassword: build a random password from AWS's character classes.

The pool is ``a-z``, ``A-Z``, ``0-9`` and the 32 ASCII punctuation characters
(``string.punctuation``, the same set AWS documents), plus a space when asked for, minus
the excluded classes and characters. With ``require_each_included_type`` (the AWS
default) the password holds at least one character of every class that is still
non-empty after the exclusions; the space counts as a class of its own.

PasswordLength bounds (1-4096) are a model constraint and are checked by model validation
before this module runs, so they are not repeated here.

Error texts are not confirmed against AWS:

* too short for the required classes: ``Password length is too short based on the
  required types.`` (the wording moto uses);
* nothing left in the pool: ``EMPTY_POOL`` below (smmock's own wording).
"""

from __future__ import annotations

import string

from smmock._model import ids as _ids
from smmock.exceptions import InvalidParameterException

__all__ = ["EMPTY_POOL", "PUNCTUATION", "TOO_SHORT", "random_password"]

PUNCTUATION = string.punctuation  # !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ (32 characters)

TOO_SHORT = "Password length is too short based on the required types."
EMPTY_POOL = (
    "No characters are left to build a password from: "
    "every character type or character was excluded."
)


def _without(chars: str, excluded: frozenset[str]) -> str:
    return "".join(c for c in chars if c not in excluded)


def random_password(
    length: int = 32,
    *,
    exclude_characters: str = "",
    exclude_numbers: bool = False,
    exclude_punctuation: bool = False,
    exclude_uppercase: bool = False,
    exclude_lowercase: bool = False,
    include_space: bool = False,
    require_each_included_type: bool = True,
) -> str:
    """Return a random password of ``length`` characters, as GetRandomPassword does.

    Raises ``InvalidParameterException`` when the exclusions leave no character at all,
    or when ``length`` is smaller than the number of classes that must each appear.
    """
    excluded = frozenset(exclude_characters)
    candidates = (
        ("" if exclude_lowercase else string.ascii_lowercase),
        ("" if exclude_uppercase else string.ascii_uppercase),
        ("" if exclude_numbers else string.digits),
        ("" if exclude_punctuation else PUNCTUATION),
        (" " if include_space else ""),
    )
    # A class emptied by ExcludeCharacters is no longer "included", so it is not required.
    classes = [chars for chars in (_without(c, excluded) for c in candidates) if chars]
    pool = "".join(classes)
    if not pool:
        raise InvalidParameterException(EMPTY_POOL)
    required = classes if require_each_included_type else []
    if length < len(required):
        raise InvalidParameterException(TOO_SHORT)

    # One pick per required class, the rest from the whole pool, then shuffle so the
    # guaranteed characters do not sit at predictable positions.
    # A CSPRNG, or the seeded stream of a mock_secrets(seed=...).
    source = _ids.password_random()
    chars = [source.choice(cls) for cls in required]
    chars += source.choices(pool, k=length - len(chars))
    source.shuffle(chars)
    return "".join(chars)
