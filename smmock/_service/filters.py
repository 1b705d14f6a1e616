"""ListSecrets / BatchGetSecretValue ``Filters``: compile the wire list into one predicate.

Rules (AWS-observed unless marked unconfirmed):

* Filters AND together, a repeated key included. Values inside one filter OR
  (unconfirmed).
* A value starting with ``!`` is negated: it holds for a secret the rest of the value
  does *not* match. (Unconfirmed) A negated value is simply one more OR-ed term, so
  ``["one", "!two"]`` keeps secrets matching ``one`` or not matching ``two``, and
  ``["!a", "!b"]`` drops only secrets matching both. Only the first ``!`` negates.
* ``name``: case-sensitive prefix of the whole name; a value with a space matches nothing.
* ``tag-key`` / ``tag-value``: case-sensitive prefix of any tag's key / value.
* ``primary-region``: case-sensitive prefix. ``owning-service``: prefix, case-sensitive
  as the API model says (the user guide disagrees; unconfirmed). Secrets without the
  field match no value of these keys.
* ``description`` and ``all``: word prefixes, case-insensitive. The value is cut into
  words like the fields are, and every word of the value must begin some word of the
  field(s); a value with no words (``+``, ``""``) matches nothing. ``all`` searches the
  words of the name, description, tag keys and tag values together, so the words of one
  value may come from different fields (unconfirmed).
* Words: text is cut at whitespace and ``/ _ + = . @ -``, at case changes: before an
  upper-case letter that follows a lower-case letter (``fooBar`` -> ``foo Bar``), and
  before the last capital of a run of capitals followed by a lower-case letter
  (``COMPANYthings`` -> ``COMPAN Ythings``); and where letters and digits meet
  (``db892`` -> ``db 892``: the user guide's ``credsDatabase#892`` searches for
  ``creds``, ``Database`` and ``892``; the digit-to-letter side is unconfirmed). Other characters
  (``:``, ``!``...) stay inside words (unconfirmed). Using the same word rules for
  ``description`` as for ``all`` is unconfirmed. Case changes are detected for ASCII
  letters only.
* A filter without ``Key`` -> ``InvalidParameterException`` ``Invalid filter key``;
  without (or with empty) ``Values`` -> ``Invalid filter values for key: <key>``
  (moto's wording; AWS text unconfirmed). An unknown key also gets ``Invalid filter
  key`` here, though model validation is expected to reject it first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

from smmock.exceptions import InvalidParameterException

__all__ = ["FilterTarget", "Matcher", "Tags", "compile_filters", "split_words"]


# (key, value) pairs or a key -> value mapping; either way in insertion order.
Tags = Sequence[tuple[str, str]] | Mapping[str, str] | None


class FilterTarget(Protocol):
    """The read-only view of a secret that filters look at.

    ``tags`` may be ``(key, value)`` pairs or a key -> value mapping (insertion order).
    """

    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str | None: ...
    @property
    def tags(self) -> Tags: ...
    @property
    def primary_region(self) -> str | None: ...
    @property
    def owning_service(self) -> str | None: ...


Matcher = Callable[[FilterTarget], bool]

_SPLIT = re.compile(
    r"[\s/_+=.@\-]+"  # separators
    r"|(?<=[a-z])(?=[A-Z])"  # fooBar -> foo|Bar
    r"|(?<=[A-Z])(?=[A-Z][a-z])"  # COMPANYthings -> COMPAN|Ythings
    r"|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])"  # db892 -> db|892, 2Value -> 2|Value
)


def split_words(text: str) -> list[str]:
    """Cut ``text`` into search words (case kept), as the ``all`` filter sees them."""
    return [word for word in _SPLIT.split(text) if word]


@lru_cache(maxsize=1 << 17)
def _word_index(text: str) -> str:
    """Lower-cased words of ``text``, each preceded by a space.

    With this layout "value word ``w`` begins some word" is the single substring test
    ``" " + w in index``. Cached because the same names, descriptions and tags are
    searched again on every listing.
    """
    return "".join(" " + word.lower() for word in split_words(text))


def _needles(value: str) -> tuple[str, ...] | None:
    """The substring probes for one word-based value; ``None`` when it has no words."""
    words = split_words(value)
    return tuple(" " + word.lower() for word in words) if words else None


def _tag_pairs(tags: Tags) -> Iterable[tuple[str, str]]:
    if tags is None:
        return ()
    if isinstance(tags, Mapping):
        return tags.items()
    return tags


# --- one builder per key: values (already stripped of "!") -> "matches any of them" ---


def _name(values: Sequence[str]) -> Matcher:
    prefixes = tuple(v for v in values if " " not in v)
    return lambda target: target.name.startswith(prefixes)


def _tag_key(values: Sequence[str]) -> Matcher:
    prefixes = tuple(values)
    return lambda target: any(key.startswith(prefixes) for key, _ in _tag_pairs(target.tags))


def _tag_value(values: Sequence[str]) -> Matcher:
    prefixes = tuple(values)
    return lambda target: any(value.startswith(prefixes) for _, value in _tag_pairs(target.tags))


def _primary_region(values: Sequence[str]) -> Matcher:
    prefixes = tuple(values)

    def match(target: FilterTarget) -> bool:
        region = target.primary_region
        return region is not None and region.startswith(prefixes)

    return match


def _owning_service(values: Sequence[str]) -> Matcher:
    prefixes = tuple(values)

    def match(target: FilterTarget) -> bool:
        service = target.owning_service
        return service is not None and service.startswith(prefixes)

    return match


def _words_match(index: str, probes: list[tuple[str, ...]]) -> bool:
    return any(all(needle in index for needle in needles) for needles in probes)


def _description(values: Sequence[str]) -> Matcher:
    probes = [n for n in map(_needles, values) if n is not None]

    def match(target: FilterTarget) -> bool:
        description = target.description
        if not probes or not description:
            return False
        return _words_match(_word_index(description), probes)

    return match


def _all(values: Sequence[str]) -> Matcher:
    probes = [n for n in map(_needles, values) if n is not None]

    def match(target: FilterTarget) -> bool:
        if not probes:
            return False
        parts = [_word_index(target.name)]
        if target.description:
            parts.append(_word_index(target.description))
        for key, value in _tag_pairs(target.tags):
            parts.append(_word_index(key))
            parts.append(_word_index(value))
        return _words_match("".join(parts), probes)

    return match


_BUILDERS: dict[str, Callable[[Sequence[str]], Matcher]] = {
    "name": _name,
    "description": _description,
    "tag-key": _tag_key,
    "tag-value": _tag_value,
    "primary-region": _primary_region,
    "owning-service": _owning_service,
    "all": _all,
}


def _compile_one(key: str, values: Sequence[str]) -> Matcher:
    build = _BUILDERS[key]
    positive = [v for v in values if not v.startswith("!")]
    negated = [build([v[1:]]) for v in values if v.startswith("!")]
    if not negated:
        return build(positive)
    if not positive:
        return lambda target: not all(match(target) for match in negated)
    any_positive = build(positive)
    return lambda target: any_positive(target) or not all(match(target) for match in negated)


def compile_filters(filters: Iterable[Mapping[str, Any]]) -> Matcher:
    """Compile wire ``Filters`` into one predicate over ``FilterTarget`` objects.

    All per-value work (negation, word splitting, lower-casing) happens here, so the
    returned predicate costs a few string tests per secret. Raises
    ``InvalidParameterException`` for a filter without ``Key`` or ``Values``.
    """
    matchers: list[Matcher] = []
    for item in filters:
        key = item.get("Key")
        if not isinstance(key, str) or key not in _BUILDERS:
            raise InvalidParameterException("Invalid filter key")
        values = item.get("Values")
        if not isinstance(values, (list, tuple)) or not values:
            raise InvalidParameterException(f"Invalid filter values for key: {key}")
        matchers.append(_compile_one(key, [str(v) for v in values]))

    if not matchers:
        return lambda target: True
    if len(matchers) == 1:
        return matchers[0]
    return lambda target: all(match(target) for match in matchers)
