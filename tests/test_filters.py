from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from smmock._service.filters import compile_filters, split_words
from smmock.exceptions import InvalidParameterException


@dataclass(frozen=True)
class Target:
    name: str
    description: str | None = None
    tags: list[tuple[str, str]] | None = None
    primary_region: str | None = None
    owning_service: str | None = None


def names(filters: list[dict[str, Any]], targets: list[Target]) -> list[str]:
    match = compile_filters(filters)
    return [t.name for t in targets if match(t)]


def one(key: str, *values: str) -> list[dict[str, Any]]:
    return [{"Key": key, "Values": list(values)}]


# --- word splitting -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("test", ["test"]),
        ("my test", ["my", "test"]),
        ("Mytest", ["Mytest"]),
        ("MyTest", ["My", "Test"]),
        ("MyTestPhrase", ["My", "Test", "Phrase"]),
        ("myTest", ["my", "Test"]),
        ("my  \t test", ["my", "test"]),
        ("COMPANY", ["COMPANY"]),
        ("COMPANYthings", ["COMPAN", "Ythings"]),
        ("SecretFTag1a2b", ["Secret", "F", "Tag", "1", "a", "2", "b"]),
        ("uat/COMPANYthings/x1", ["uat", "COMPAN", "Ythings", "x", "1"]),
        ("db892", ["db", "892"]),
        ("credsDatabase892", ["creds", "Database", "892"]),
        ("892db", ["892", "db"]),
        ("v2", ["v", "2"]),
        ("2024", ["2024"]),
        ("a/b_c+d=e.f@g-h", ["a", "b", "c", "d", "e", "f", "g", "h"]),
        ("key2Value", ["key", "2", "Value"]),
        ("a:b!c", ["a:b!c"]),
        ("+", []),
        ("", []),
        ("//", []),
    ],
)
def test_split_words(text: str, words: list[str]) -> None:
    assert split_words(text) == words


# --- name -----------------------------------------------------------------------------

NAMED = [Target("/a/b"), Target("a/b"), Target("Abc"), Target("abc-d")]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["/"], ["/a/b"]),
        (["!/"], ["a/b", "Abc", "abc-d"]),
        (["a"], ["a/b", "abc-d"]),
        (["A"], ["Abc"]),
        (["abc-d"], ["abc-d"]),
        (["abc-de"], []),
        (["b"], []),
        (["a", "/"], ["/a/b", "a/b", "abc-d"]),
        (["a b"], []),
        (["!a b"], ["/a/b", "a/b", "Abc", "abc-d"]),
        ([""], ["/a/b", "a/b", "Abc", "abc-d"]),
    ],
)
def test_name(values: list[str], expected: list[str]) -> None:
    assert names(one("name", *values), NAMED) == expected


# --- description ----------------------------------------------------------------------

DESCRIBED = [
    Target("foo", "one two"),
    Target("bar", "one and two"),
    Target("baz", "one"),
    Target("qux", "two"),
    Target("none", "unrelated"),
    Target("empty"),
]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["one two"], ["foo", "bar"]),
        (["o t"], ["foo", "bar"]),
        (["t"], ["foo", "bar", "qux"]),
        (["ONE"], ["foo", "bar", "baz"]),
        (["ne"], []),
        (["two", "unrel"], ["foo", "bar", "qux", "none"]),
        (["!o"], ["qux", "none", "empty"]),
        (["!one", "!two"], ["baz", "qux", "none", "empty"]),
        (["one", "!two"], ["foo", "bar", "baz", "none", "empty"]),
        (["+"], []),
        (["!+"], ["foo", "bar", "baz", "qux", "none", "empty"]),
    ],
)
def test_description(values: list[str], expected: list[str]) -> None:
    assert names(one("description", *values), DESCRIBED) == expected


def test_description_word_prefix_examples() -> None:
    targets = [Target("an", "an secret"), Target("as", "asecret"), Target("x", "A-Secret")]
    assert names(one("description", "a secret"), targets) == ["an", "x"]
    assert names(one("description", "!a"), targets) == []


# --- tags -----------------------------------------------------------------------------

TAGGED = [
    Target("t1", tags=[("Env", "prod"), ("team", "Blue")]),
    Target("t2", tags=[("env", "Prod")]),
    Target("t3", tags=[]),
    Target("t4"),
]


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        ("tag-key", ["Env"], ["t1"]),
        ("tag-key", ["env"], ["t2"]),
        ("tag-key", ["e", "t"], ["t1", "t2"]),
        ("tag-key", ["tea"], ["t1"]),
        ("tag-key", ["!Env"], ["t2", "t3", "t4"]),
        ("tag-key", [""], ["t1", "t2"]),
        ("tag-value", ["prod"], ["t1"]),
        ("tag-value", ["Pro"], ["t2"]),
        ("tag-value", ["B"], ["t1"]),
        ("tag-value", ["lue"], []),
        ("tag-value", ["!prod"], ["t2", "t3", "t4"]),
    ],
)
def test_tags(key: str, values: list[str], expected: list[str]) -> None:
    assert names(one(key, *values), TAGGED) == expected


def test_tag_key_and_value_need_not_be_the_same_tag() -> None:
    targets = [
        Target("foo", tags=[("right", "right")]),
        Target("bar", tags=[("right", "wrong")]),
        Target("baz", tags=[("wrong", "right")]),
        Target("qux", tags=[("wrong", "wrong")]),
        Target("mix", tags=[("right", "wrong"), ("wrong", "right")]),
    ]
    filters = one("tag-key", "right") + one("tag-value", "right")
    assert names(filters, targets) == ["foo", "mix"]


@dataclass(frozen=True)
class DictTagged:
    name: str
    tags: dict[str, str] | None
    description: str | None = None
    primary_region: str | None = None
    owning_service: str | None = None


def test_tags_as_a_mapping() -> None:
    targets = [DictTagged("m1", {"Env": "prod"}), DictTagged("m2", {}), DictTagged("m3", None)]
    match = compile_filters(({"Key": "tag-key", "Values": ["Env"]},))
    assert [t.name for t in targets if match(t)] == ["m1"]
    match = compile_filters([{"Key": "all", "Values": ["prod"]}])
    assert [t.name for t in targets if match(t)] == ["m1"]
    match = compile_filters([{"Key": "tag-value", "Values": ["!prod"]}])
    assert [t.name for t in targets if match(t)] == ["m2", "m3"]


# --- primary-region / owning-service --------------------------------------------------

REGIONAL = [
    Target("r1", primary_region="us-east-1", owning_service="rds"),
    Target("r2", primary_region="eu-west-1", owning_service="appflow"),
    Target("r3"),
]


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        ("primary-region", ["us-"], ["r1"]),
        ("primary-region", ["US-"], []),
        ("primary-region", ["eu-west-1", "us-east-1"], ["r1", "r2"]),
        ("primary-region", ["!us"], ["r2", "r3"]),
        ("owning-service", ["rds"], ["r1"]),
        ("owning-service", ["RDS"], []),
        ("owning-service", ["app"], ["r2"]),
        ("owning-service", ["n/a"], []),
        ("owning-service", ["!rds"], ["r2", "r3"]),
    ],
)
def test_region_and_service(key: str, values: list[str], expected: list[str]) -> None:
    assert names(one(key, *values), REGIONAL) == expected


# --- all ------------------------------------------------------------------------------

U = "3f9a2b"
ALL_TARGETS = [
    Target(f"SecretOne{U}"),
    Target(f"SecretTwo{U}", description="DescTwo"),
    Target(f"Thirdsecret{U}"),
    Target(f"SecretFTag{U}", tags=[("1", "foo")]),
    Target(f"SecretFValue{U}", tags=[("foo", "v")]),
    Target(f"none{U}"),
]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["SecretOne"], [0]),
        (["foo"], [3, 4]),
        (["Secret"], [0, 1, 3, 4]),
        (["secret"], [0, 1, 3, 4]),
        (["sec"], [0, 1, 3, 4]),
        (["ret"], []),
        (["SomeSecret"], []),
        (["d"], [1]),
        (["d t"], [1]),
        (["t"], [1, 2, 3]),
        (["!t"], [0, 4, 5]),
        (["thirdsecret"], [2]),
    ],
)
def test_all(values: list[str], expected: list[int]) -> None:
    assert names(one("all", *values), ALL_TARGETS) == [ALL_TARGETS[i].name for i in expected]


SPECIAL = [
    Target(f"prod/AppBeta/{U}"),
    Target(f"prod_AppBeta_{U}"),
    Target(f"prod+AppBeta+{U}"),
    Target(f"prod=AppBeta={U}"),
    Target(f"prod.AppBeta.{U}"),
    Target(f"prod@AppBeta@{U}"),
    Target(f"prod-AppBeta-{U}"),
    Target(f"uat/COMPANY/{U}"),
    Target(f"uat/COMPANYthings/{U}"),
]
PROD = [t.name for t in SPECIAL[:7]]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["AppBeta"], PROD),
        (["Beta"], PROD),
        (["appbeta"], []),  # lower-case value is one word; "appbeta" begins no word
        (["AppBeta", "prod"], PROD),
        (["+"], []),
        ([U], [t.name for t in SPECIAL]),
        (["company"], [f"uat/COMPANY/{U}"]),
        (["things"], []),
        (["Ythings"], [f"uat/COMPANYthings/{U}"]),
        (["COMPANYthings"], [f"uat/COMPANYthings/{U}"]),
        (["compan"], [f"uat/COMPANY/{U}", f"uat/COMPANYthings/{U}"]),
        (["N"], []),
        (["pany"], []),
    ],
)
def test_all_special_characters_and_case_splits(values: list[str], expected: list[str]) -> None:
    assert names(one("all", *values), SPECIAL) == expected


def test_all_covers_description_and_tags_case_insensitively() -> None:
    targets = [
        Target("a", description="Database Creds"),
        Target("b", tags=[("CostCenter", "x")]),
        Target("c", tags=[("k", "Payments-API")]),
        Target("d"),
    ]
    assert names(one("all", "data"), targets) == ["a"]
    assert names(one("all", "center"), targets) == ["b"]
    assert names(one("all", "api"), targets) == ["c"]
    assert names(one("all", "creds a"), targets) == ["a"]  # "a" begins the name "a"


# --- combining filters ----------------------------------------------------------------


def test_repeated_key_ands() -> None:
    filters = one("description", "one") + one("description", "two")
    assert names(filters, DESCRIBED) == ["foo", "bar"]


def test_different_keys_and() -> None:
    targets = [
        Target("/app/db", tags=[("env", "prod")]),
        Target("/app/web", tags=[("env", "dev")]),
        Target("other", tags=[("env", "prod")]),
    ]
    filters = one("name", "/app") + one("tag-value", "prod")
    assert names(filters, targets) == ["/app/db"]
    filters = one("name", "!/app") + one("tag-key", "env")
    assert names(filters, targets) == ["other"]


def test_no_filters_match_everything() -> None:
    assert names([], NAMED) == [t.name for t in NAMED]


def test_double_bang_negates_once() -> None:
    targets = [Target("x", description="!a"), Target("y", description="b")]
    # "!!a" = not("!a"); the description word "!a" is begun by "!a".
    assert names(one("description", "!!a"), targets) == ["y"]


# --- errors ---------------------------------------------------------------------------


def test_missing_key() -> None:
    with pytest.raises(InvalidParameterException) as err:
        compile_filters([{"Values": ["x"]}])
    assert err.value.message == "Invalid filter key"


@pytest.mark.parametrize("item", [{"Key": "description"}, {"Key": "description", "Values": []}])
def test_missing_values(item: dict[str, Any]) -> None:
    with pytest.raises(InvalidParameterException) as err:
        compile_filters([item])
    assert err.value.message == "Invalid filter values for key: description"


def test_unknown_key() -> None:
    with pytest.raises(InvalidParameterException, match="Invalid filter key"):
        compile_filters([{"Key": "bogus", "Values": ["x"]}])


def test_error_in_a_later_filter() -> None:
    with pytest.raises(InvalidParameterException):
        compile_filters([*one("name", "a"), {"Key": "name"}])


# --- speed ----------------------------------------------------------------------------


def test_ten_thousand_secrets_are_fast() -> None:
    targets = [
        Target(
            f"/team{i % 50}/service{i}/DbPassword",
            description=f"Credentials for service {i} owned by team {i % 50}",
            tags=[("Environment", "prod" if i % 2 else "dev"), ("CostCenter", f"cc-{i % 7}")],
            primary_region="us-east-1" if i % 3 else None,
        )
        for i in range(10_000)
    ]
    filters = [
        {"Key": "all", "Values": ["db pass", "!nothing"]},
        {"Key": "description", "Values": ["cred team"]},
        {"Key": "tag-value", "Values": ["prod", "dev"]},
        {"Key": "name", "Values": ["/team"]},
    ]
    match = compile_filters(filters)
    assert sum(map(match, targets)) == 10_000  # warms the word cache
    # Speed is measured in benchmarks/; here only that a second pass agrees.
    assert sum(map(match, targets)) == 10_000
