from __future__ import annotations

import string
from typing import Any

import pytest

from smmock._service.password import EMPTY_POOL, PUNCTUATION, TOO_SHORT, random_password
from smmock.exceptions import InvalidParameterException

LOWER = set(string.ascii_lowercase)
UPPER = set(string.ascii_uppercase)
DIGITS = set(string.digits)
PUNCT = set(PUNCTUATION)
ALL = LOWER | UPPER | DIGITS | PUNCT

DRAWS = 300


def test_punctuation_is_the_documented_aws_set() -> None:
    assert PUNCTUATION == "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    assert len(PUNCTUATION) == 32


def test_default_length_and_pool() -> None:
    for _ in range(DRAWS):
        password = random_password()
        assert len(password) == 32
        assert set(password) <= ALL


@pytest.mark.parametrize("length", [1, 4, 5, 17, 4096])
def test_length_is_honoured(length: int) -> None:
    assert len(random_password(length, require_each_included_type=length >= 4)) == length


def test_each_class_present_in_every_draw() -> None:
    for _ in range(DRAWS):
        password = set(random_password(4))
        assert password & LOWER
        assert password & UPPER
        assert password & DIGITS
        assert password & PUNCT


def test_space_is_allowed_never_required() -> None:
    # Four characters hold the four required classes, one each: no room for a space.
    for _ in range(DRAWS):
        password = random_password(4, include_space=True)
        assert sorted(len(set(password) & cls) for cls in (LOWER, UPPER, DIGITS, PUNCT)) == [
            1,
            1,
            1,
            1,
        ]
        assert " " not in password
    # Longer ones draw spaces from the pool like any other character.
    drawn = [random_password(64, include_space=True) for _ in range(50)]
    assert any(" " in password for password in drawn)
    assert all(set(password) <= ALL | {" "} for password in drawn)


def test_space_absent_unless_included() -> None:
    assert all(" " not in random_password(64) for _ in range(50))


@pytest.mark.parametrize(
    ("flag", "removed"),
    [
        ("exclude_lowercase", LOWER),
        ("exclude_uppercase", UPPER),
        ("exclude_numbers", DIGITS),
        ("exclude_punctuation", PUNCT),
    ],
)
def test_class_exclusion(flag: str, removed: set[str]) -> None:
    options: dict[str, Any] = {flag: True}
    for _ in range(DRAWS):
        password = set(random_password(3, **options))
        assert not password & removed
        # The three remaining classes are each still required.
        for cls in (LOWER, UPPER, DIGITS, PUNCT):
            if cls is not removed:
                assert password & cls


def test_exclude_characters_honoured() -> None:
    excluded = "abcXYZ019!@#"
    for _ in range(DRAWS):
        password = random_password(40, exclude_characters=excluded)
        assert not set(password) & set(excluded)


def test_exclude_characters_can_remove_the_space() -> None:
    password = random_password(64, include_space=True, exclude_characters=" ")
    assert " " not in password


def test_class_emptied_by_exclude_characters_is_not_required() -> None:
    # Digits are all excluded character-by-character: only 3 classes remain required.
    for _ in range(50):
        password = random_password(3, exclude_characters=string.digits)
        assert not set(password) & DIGITS
        assert set(password) & LOWER
        assert set(password) & UPPER
        assert set(password) & PUNCT


def test_single_class_pool() -> None:
    password = random_password(
        50, exclude_uppercase=True, exclude_numbers=True, exclude_punctuation=True
    )
    assert set(password) <= LOWER


def test_only_space_left() -> None:
    password = random_password(
        3,
        exclude_lowercase=True,
        exclude_uppercase=True,
        exclude_numbers=True,
        exclude_punctuation=True,
        include_space=True,
    )
    assert password == "   "


def test_require_each_false_allows_short_passwords() -> None:
    for _ in range(50):
        password = random_password(1, require_each_included_type=False)
        assert len(password) == 1
        assert password in ALL


def test_too_short_for_required_classes() -> None:
    with pytest.raises(InvalidParameterException) as err:
        random_password(3)
    assert err.value.message == TOO_SHORT
    assert TOO_SHORT == "Password length is too short based on the required types."


def test_too_short_does_not_count_the_space() -> None:
    assert len(random_password(4, include_space=True)) == 4
    with pytest.raises(InvalidParameterException) as err:
        random_password(3, include_space=True)
    assert err.value.message == TOO_SHORT


def test_too_short_after_exclusions_is_fine() -> None:
    assert len(random_password(2, exclude_numbers=True, exclude_punctuation=True)) == 2


def test_everything_excluded_by_flags() -> None:
    with pytest.raises(InvalidParameterException) as err:
        random_password(
            10,
            exclude_lowercase=True,
            exclude_uppercase=True,
            exclude_numbers=True,
            exclude_punctuation=True,
        )
    assert err.value.message == EMPTY_POOL


def test_everything_excluded_by_characters() -> None:
    everything = string.ascii_letters + string.digits + PUNCTUATION
    with pytest.raises(InvalidParameterException) as err:
        random_password(10, exclude_characters=everything, require_each_included_type=False)
    assert err.value.message == EMPTY_POOL


def test_all_pool_characters_eventually_drawn() -> None:
    seen: set[str] = set()
    for _ in range(200):
        seen.update(random_password(64))
    assert seen == ALL
