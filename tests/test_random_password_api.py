"""GetRandomPassword through a boto3 client (the generator itself: test_password.py)."""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

from smmock.backend import SecretsBackend

LOWER = set(string.ascii_lowercase)
UPPER = set(string.ascii_uppercase)
DIGITS = set(string.digits)
PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
DRAWS = 50


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    error = info.value.response["Error"]
    return error["Code"], error["Message"]


def password(client: Any, **kwargs: Any) -> str:
    answer = client.get_random_password(**kwargs)
    answer.pop("ResponseMetadata")
    assert list(answer) == ["RandomPassword"]
    value: str = answer["RandomPassword"]
    return value


def test_default_is_32_characters_of_every_class(client: Any) -> None:
    for _ in range(DRAWS):
        value = password(client)
        assert len(value) == 32
        chars = set(value)
        assert chars <= LOWER | UPPER | DIGITS | PUNCTUATION
        # RequireEachIncludedType defaults to true.
        assert chars & LOWER
        assert chars & UPPER
        assert chars & DIGITS
        assert chars & PUNCTUATION


@pytest.mark.parametrize("length", [1, 4, 20, 4096])
def test_password_length(client: Any, length: int) -> None:
    assert len(password(client, PasswordLength=length, RequireEachIncludedType=length >= 4)) == (
        length
    )


@pytest.mark.parametrize(
    ("flag", "excluded"),
    [
        ("ExcludeLowercase", LOWER),
        ("ExcludeUppercase", UPPER),
        ("ExcludeNumbers", DIGITS),
        ("ExcludePunctuation", PUNCTUATION),
    ],
)
def test_excluded_classes_never_appear(client: Any, flag: str, excluded: set[str]) -> None:
    for _ in range(DRAWS):
        value = password(client, PasswordLength=64, **{flag: True})
        assert not set(value) & excluded


def test_excluded_characters_never_appear(client: Any) -> None:
    excluded = "/@\"'\\aeiouAEIOU01"
    for _ in range(DRAWS):
        value = password(client, PasswordLength=64, ExcludeCharacters=excluded)
        assert not set(value) & set(excluded)


def test_only_digits(client: Any) -> None:
    value = password(
        client,
        PasswordLength=12,
        ExcludeLowercase=True,
        ExcludeUppercase=True,
        ExcludePunctuation=True,
    )
    assert set(value) <= DIGITS
    assert len(value) == 12


def test_include_space_allows_a_space_but_does_not_require_one(client: Any) -> None:
    # AWS: the space is not one of the types RequireEachIncludedType asks for.
    for _ in range(DRAWS):
        value = password(client, PasswordLength=4, IncludeSpace=True)
        assert [len(set(value) & cls) for cls in (LOWER, UPPER, DIGITS, PUNCTUATION)] == [
            1,
            1,
            1,
            1,
        ]
    drawn = [password(client, PasswordLength=64, IncludeSpace=True) for _ in range(50)]
    assert any(" " in value for value in drawn)


def test_without_require_each_included_type(client: Any) -> None:
    # Nothing is required, so even one character is fine.
    value = password(client, PasswordLength=1, RequireEachIncludedType=False)
    assert len(value) == 1
    assert value in LOWER | UPPER | DIGITS | PUNCTUATION


def test_too_short_for_the_required_classes(client: Any) -> None:
    assert error_of(client.get_random_password, PasswordLength=3) == (
        "InvalidParameterException",
        "Password length is too short based on the required types.",
    )
    assert error_of(client.get_random_password, PasswordLength=3, IncludeSpace=True) == (
        "InvalidParameterException",
        "Password length is too short based on the required types.",
    )


def test_everything_excluded(client: Any) -> None:
    assert error_of(
        client.get_random_password,
        ExcludeLowercase=True,
        ExcludeUppercase=True,
        ExcludeNumbers=True,
        ExcludePunctuation=True,
    ) == (
        "InvalidParameterException",
        "No characters are left to build a password from: every character type or character "
        "was excluded.",
    )


def test_password_length_4097_comes_from_the_model(client: Any) -> None:
    assert error_of(client.get_random_password, PasswordLength=4097) == (
        "ValidationException",
        "1 validation error detected: Value '4097' at 'passwordLength' failed to satisfy "
        "constraint: Member must have value less than or equal to 4096",
    )


def test_password_length_0(client: Any, backend: SecretsBackend) -> None:
    # botocore checks the minimum itself; a raw caller reaches the model check.
    with pytest.raises(ParamValidationError):
        client.get_random_password(PasswordLength=0)
    raw = boto3.client(
        "secretsmanager", region_name="us-east-1", config=Config(parameter_validation=False)
    )
    assert error_of(raw.get_random_password, PasswordLength=0) == (
        "ValidationException",
        "1 validation error detected: Value '0' at 'passwordLength' failed to satisfy "
        "constraint: Member must have value greater than or equal to 1",
    )


def test_exclude_characters_length_comes_from_the_model(client: Any) -> None:
    excluded = "x" * 4097
    assert error_of(client.get_random_password, ExcludeCharacters=excluded) == (
        "ValidationException",
        f"1 validation error detected: Value '{excluded}' at 'excludeCharacters' failed to "
        "satisfy constraint: Member must have length less than or equal to 4096",
    )


def test_passwords_differ(client: Any) -> None:
    values = {password(client) for _ in range(20)}
    assert len(values) == 20
