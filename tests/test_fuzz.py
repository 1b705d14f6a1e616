"""Bad input: random and malformed requests for every operation get AWS's answers.

Requests are generated from botocore's ``secretsmanager`` model. Each member gets a value
of its shape (often one naming a seeded secret, version or rotation function, so calls
get past the lookup and into the operation), a boundary value, a value of the wrong JSON
type, ``null``, an oversized or exotic string, nested garbage, bad base64 or nothing;
raw bodies add undecodable bytes, non-object JSON, deep nesting and unknown targets.

Every answer must be a success or an AWS-shaped error (HTTP 400, ``{"__type",
"Message"}``) whose code the operation can return: its modeled errors or one of
:data:`GENERIC_CODES` (``UnknownOperationException`` for a target naming no
operation). Never an ``InternalServiceError`` (a Python exception inside
smmock, logged with its traceback), never an exception escaping into the caller. A call
that fails leaves the backend exactly as it was (:func:`snapshot`).

Sizes: ``SMMOCK_PROFILE=ci`` (default, ~1,950 cases, ~20 s) or ``long`` (>= 10,000 cases per
path); run with ``--hypothesis-show-statistics`` to see the answers per operation.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import json
import logging
import operator
import os
import string
import traceback
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import smmock
from smmock import SecretsBackend, mock_secrets
from smmock._intercept import hook as _hook
from smmock._wire import protocol as _protocol

# Rotations here fail on purpose (a raising function, an unregistered ARN): smmock's
# warnings about them are expected, not answers to check.
pytestmark = pytest.mark.filterwarnings("ignore::smmock.exceptions.SmmockWarning")

PROFILE = os.environ.get("SMMOCK_PROFILE", "ci")
# Cases per test. Settings are per test rather than a loaded profile, so this module
# never changes what other modules (test_stateful's profiles) run with.
_EXAMPLES = {
    "ci": {"client": 600, "raw": 600, "bytes": 300, "requests": 150, "grammars": 300},
    "long": {"client": 10_000, "raw": 10_000, "bytes": 5_000, "requests": 2_000, "grammars": 5_000},
}
if PROFILE not in _EXAMPLES:
    raise RuntimeError(f"SMMOCK_PROFILE must be one of {sorted(_EXAMPLES)}, not {PROFILE!r}")


def fuzz_settings(kind: str) -> settings:
    return settings(
        max_examples=_EXAMPLES[PROFILE][kind],
        deadline=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


MODEL = botocore.session.get_session().get_service_model("secretsmanager")
OPERATIONS = tuple(MODEL.operation_names)
# Codes any operation may answer although no operation models them.
# UnknownOperationException is not one: it answers a target that names no operation.
GENERIC_CODES = frozenset(
    {"ValidationException", "SerializationException", "AccessDeniedException"}
)
ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
REGION = "us-east-1"
ENDPOINT = "https://secretsmanager.us-east-1.amazonaws.com/"
F_OK = "arn:aws:lambda:us-east-1:123456789012:function:rotate-ok"
F_FAIL = "arn:aws:lambda:us-east-1:123456789012:function:rotate-fails"
F_MISSING = "arn:aws:lambda:us-east-1:123456789012:function:not-registered"
_SMMOCK_DIR = str(Path(smmock.__file__).parent)

# Bugs reported to the maintainer (issue 5 report), tolerated here only so the rest of
# the fuzzing keeps guarding CI until they are fixed; each tolerated case is counted as
# a "known bug" event. InternalServiceErrors are keyed by the exception's type and the
# innermost smmock function it passed through. Delete an entry when its fix lands.
# (B1-B3, found by this fuzzer, are fixed and pinned in test_fuzz_regressions.py.)
KNOWN_500S: dict[tuple[str, str], str] = {}
# (operation, code) of a failed call that changed state: none known.
KNOWN_STATE_CHANGES: dict[tuple[str, str], str] = {}
# (operation, code) of an error code the operation's model does not list: none known.
KNOWN_CODES: dict[tuple[str, str], str] = {}


def allowed_codes(operation: str) -> frozenset[str]:
    modeled = {shape.name for shape in MODEL.operation_model(operation).error_shapes}
    return frozenset(modeled - {"InternalServiceError"}) | GENERIC_CODES


# -- the backend state, as plain comparable values ---------------------------------------------


_FIELDS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
_ATOMS = frozenset({str, bytes, int, float, bool, type(None), datetime.datetime})


def _plain(value: Any) -> Any:
    """A deep, comparable copy: objects by every slot (or dataclass field), so new fields
    are covered too."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is dict or kind is types.MappingProxyType:
        return ("dict", tuple((k, _plain(v)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return ("list", tuple(_plain(v) for v in value))
    if kind is set or kind is frozenset:
        return ("set", frozenset(value))
    fields = _FIELDS.get(kind)
    if fields is None:
        names = [name for cls in kind.__mro__ for name in getattr(cls, "__slots__", ())]
        if not names:
            assert dataclasses.is_dataclass(value), f"snapshot() cannot copy a {kind}"
            names = [f.name for f in dataclasses.fields(value)]
        getter = operator.attrgetter(*names)
        fields = _FIELDS[kind] = (
            (lambda v: getter(v)) if len(names) > 1 else (lambda v: (getter(v),))
        )
    return (kind.__name__, tuple(v if type(v) in _ATOMS else _plain(v) for v in fields(value)))


def snapshot(backend: SecretsBackend) -> dict[Any, Any]:
    """Everything a call could change: every secret with all its fields (versions, values,
    labels, tags, dates, policy, rotation, replication), rotation functions and failures."""
    state: dict[Any, Any] = {
        (s.account_id, s.region, s.name): _plain(s) for s in backend.all_secrets()
    }
    state["rotation functions"] = tuple(backend.rotation_functions)
    state["rotation failures"] = tuple(
        (f.secret_arn, f.version_id, f.step, repr(f.error)) for f in backend.rotation_failures
    )
    return state


def check_labels(backend: SecretsBackend) -> None:
    """Labels and version stages agree: each label on exactly the one version that lists it."""
    for secret in backend.all_secrets():
        for label, version in secret.labels.items():
            assert secret.versions.get(version.version_id) is version, (secret, label)
            assert version.stages.count(label) == 1, (secret, label, version)
        for version in secret.versions.values():
            for label in version.stages:
                assert secret.labels.get(label) is version, (secret, label, version)


# -- seeded state: secrets in every condition an operation distinguishes ------------------------


# Secrets seeded in every example: (account, region, name). ARN suffixes are random, so
# generated requests name them through ArnRef and get the real ARN when resolved.
SEEDED = (
    *(
        (ACCOUNT, REGION, f"app/{n}")
        for n in (
            "plain",
            "binary",
            "empty",
            "scheduled",
            "rotating",
            "failing",
            "pending",
            "full",
            "policy",
            "primary",
        )
    ),
    (ACCOUNT, "eu-west-1", "app/primary"),
    (ACCOUNT, "eu-west-1", "app/elsewhere"),
    (OTHER_ACCOUNT, REGION, "app/plain"),
)
MISSING_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/missing-AbCdEf"


@dataclasses.dataclass(frozen=True)
class ArnRef:
    """The ARN of a seeded secret, in one of the forms AWS accepts or refuses."""

    secret: tuple[str, str, str]
    form: str  # "full", "partial" (no suffix), "wrong-suffix", "other-partition"

    def resolve(self, arns: dict[tuple[str, str, str], str]) -> str:
        arn = arns[self.secret]
        if self.form == "partial":
            return arn[:-7]
        if self.form == "wrong-suffix":
            return arn[:-6] + "zzzzzz"
        if self.form == "other-partition":
            return arn.replace("arn:aws:", "arn:aws-cn:", 1)
        return arn


def resolve(value: Any, arns: dict[tuple[str, str, str], str]) -> Any:
    if isinstance(value, ArnRef):
        return value.resolve(arns)
    if isinstance(value, dict):
        return {k: resolve(v, arns) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, arns) for v in value]
    return value


def _token(n: int) -> str:
    return f"{n:08d}-0000-4000-8000-{n:012d}"


def _seed_call(backend: SecretsBackend, region: str, operation: str, params: Any) -> None:
    status, body = _REAL_HANDLE(
        backend, region, ACCOUNT, f"secretsmanager.{operation}", json.dumps(params)
    )
    assert status == 200, body


def seed(backend: SecretsBackend, helper: Any) -> dict[tuple[str, str, str], str]:
    """Reset the backend, create one secret per interesting state; return their ARNs."""
    backend.reset()
    now = datetime.datetime.now(datetime.timezone.utc)
    backend.register_rotation_function(F_OK, _rotation_ok(helper))
    backend.register_rotation_function(F_FAIL, _rotation_fails)

    backend.create_secret(
        "app/plain",
        "plain-value-1",
        description="a plain secret",
        tags={"team": "a", "env": "dev"},
        version_id=_token(1),
    )
    backend.put_secret_value("app/plain", "plain-value-2", version_id=_token(2))
    backend.put_secret_value(
        "app/plain", "plain-value-3", version_stages=["blue"], version_id=_token(3)
    )
    backend.create_secret("app/binary", secret_binary=b"\x00\xffbinary", version_id=_token(4))
    backend.create_secret("app/empty")
    backend.create_secret("app/scheduled", "scheduled-value", version_id=_token(5))
    backend.region_backend().delete_secret("app/scheduled", recovery_window_in_days=7)
    rotating = backend.create_secret("app/rotating", "rotating-value", version_id=_token(6))
    rotating.rotation_enabled = True
    rotating.rotation_lambda_arn = F_OK
    rotating.rotation_rules = {"AutomaticallyAfterDays": 30}
    rotating.last_rotated_date = now
    rotating.next_rotation_date = now + datetime.timedelta(days=30)
    failing = backend.create_secret("app/failing", "failing-value", version_id=_token(7))
    failing.rotation_lambda_arn = F_FAIL
    failing.rotation_enabled = False
    backend.create_secret("app/pending", "pending-current", version_id=_token(8))
    backend.put_secret_value(
        "app/pending", "pending-new", version_stages=["AWSPENDING"], version_id=_token(9)
    )
    # At the version quota: 100 versions, the deprecated ones all younger than 24 hours.
    backend.create_secret("app/full", "full-0", version_id=_token(100))
    for n in range(1, 100):
        backend.put_secret_value(
            "app/full", f"full-{n}", version_stages=[], version_id=_token(100 + n)
        )
    policy = backend.create_secret("app/policy", "policy-value", version_id=_token(10))
    policy.resource_policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                    "Action": "secretsmanager:GetSecretValue",
                    "Resource": "*",
                }
            ],
        }
    )
    _seed_call(
        backend,
        REGION,
        "CreateSecret",
        {
            "Name": "app/primary",
            "SecretString": "primary-value",
            "ClientRequestToken": _token(11),
            "AddReplicaRegions": [{"Region": "eu-west-1"}],
        },
    )
    backend.create_secret(
        "app/elsewhere", "elsewhere-value", region="eu-west-1", version_id=_token(12)
    )
    backend.create_secret(
        "app/plain", "other-account-value", account_id=OTHER_ACCOUNT, version_id=_token(13)
    )

    arns = {(x.account_id, x.region, x.name): x.arn for x in backend.all_secrets()}
    assert set(arns) == set(SEEDED)
    return arns


def _rotation_ok(client: Any) -> Callable[[dict[str, str], Any], None]:
    def rotate(event: dict[str, str], _context: Any) -> None:
        secret_id, token = event["SecretId"], event["ClientRequestToken"]
        if event["Step"] == "createSecret":
            client.put_secret_value(
                SecretId=secret_id,
                ClientRequestToken=token,
                SecretString="rotated-value",
                VersionStages=["AWSPENDING"],
            )
        elif event["Step"] == "finishSecret":
            stages = client.describe_secret(SecretId=secret_id)["VersionIdsToStages"]
            current = [v for v, labels in stages.items() if "AWSCURRENT" in labels]
            extra = {"RemoveFromVersionId": current[0]} if current else {}
            client.update_secret_version_stage(
                SecretId=secret_id, VersionStage="AWSCURRENT", MoveToVersionId=token, **extra
            )

    return rotate


def _rotation_fails(event: dict[str, str], _context: Any) -> None:
    if event["Step"] == "setSecret":
        raise RuntimeError("the database refused the new password")


# -- generated values --------------------------------------------------------------------------

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8))
# Two levels of nesting: deeper bodies come from _RAW_BODIES, and st.recursive costs
# several times more per example.
GARBAGE = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=5), _SCALARS, max_size=3),
    st.lists(st.lists(_SCALARS, max_size=2), max_size=2),
    st.dictionaries(st.text(max_size=4), st.lists(_SCALARS, max_size=2), max_size=2),
)
_ODD_STRINGS = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "null",
        "{}",
        "[]",
        "arn:",
        "arn:aws:secretsmanager:::secret:",
        "%s%n{0}",
        "../..",
        "\u202e\u0301",
        "\ud800",
        "😀😀",
        "AWSCURRENT",
        "*",
        "\\",
        '"',
        "\n\t",
    ]
)
_HUGE_STRINGS = st.builds(
    lambda char, size: char * size,
    st.sampled_from(["a", "é", "😀", "\x00", "/"]),
    st.sampled_from([2049, 4097, 20481, 65537, 70_000]),
)
WEIRD_TEXT = st.one_of(st.text(max_size=40), _ODD_STRINGS, _HUGE_STRINGS)

_REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "ap-south-1", "cn-north-1", "us-gov-west-1"]
_STAGES = ["AWSCURRENT", "AWSPREVIOUS", "AWSPENDING", "blue", "green"]
_RATE_UNITS = ["hours", "days", "hour", "day", "minutes", "Days"]
_CRON_FIELDS = [
    "0",
    "*",
    "?",
    "L",
    "1-5",
    "MON-FRI",
    "5#3",
    "6L",
    "*/4",
    "0,12",
    "99",
    "1/0",
    "JAN",
    "FOO",
    "1-",
    "-1",
    "2/3",
    "31",
    "29",
    "2",
    "SUN#5",
    "L-2",
]
# rate(N unit): counts at and beyond the limits (4 hours, 1000 days, what timedelta and
# int64 hold), and the singular/plural mix-ups.
_RATES = st.builds(
    "rate({} {})".format,
    st.one_of(
        st.sampled_from([0, 1, 3, 4, 6, 24, 1000, 1001, 24_000, 10**9, 10**12, 2**63]),
        st.integers(0, 10**12),
    ),
    st.sampled_from(_RATE_UNITS),
)
_CRONS = st.lists(st.sampled_from(_CRON_FIELDS), min_size=5, max_size=7).map(
    lambda fields: f"cron({' '.join(fields)})"
)
_SCHEDULES = st.one_of(
    st.sampled_from(
        [
            "rate(4 hours)",
            "rate(1 day)",
            "rate(10 days)",
            "rate(3 hours)",
            "rate(1001 days)",
            "cron(0 16 1,15 * ? *)",
            "cron(0 8 ? * MON-FRI *)",
            "cron(0 0 31 2 ? *)",
            "cron(0 0 29 2 ? *)",
            "cron(0 0 L * ? *)",
        ]
    ),
    _RATES,
    _CRONS,
)
_KEYS = [
    "",
    "alias/aws/secretsmanager",
    "alias/mine",
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
]
_TAG_TEXT = st.one_of(
    st.sampled_from(["team", "env", "aws:reserved", "AWS:x", "new"]), st.text(max_size=8)
)
_MANY_TAGS = st.integers(49, 52).map(lambda n: [{"Key": f"k{i}", "Value": "v"} for i in range(n)])
_FILTER_VALUES = [
    "app",
    "!app",
    "plain",
    "a",
    "team",
    "dev",
    "eu-",
    "!",
    "",
    "app/plain",
    "A B",
    "secret",
    "!/",
    "Plain",
]


def _policy_texts() -> st.SearchStrategy[str]:
    def loose(*good: Any) -> st.SearchStrategy[Any]:
        return st.one_of(st.sampled_from(good), GARBAGE)

    statement = st.fixed_dictionaries(
        {},
        optional={
            "Effect": loose("Allow", "Deny"),
            "Principal": loose(
                "*",
                {"AWS": "*"},
                {"AWS": ["*", "arn:aws:iam::123456789012:root"]},
                {"Service": "lambda.amazonaws.com"},
                {"Bogus": "x"},
            ),
            "NotPrincipal": loose({"AWS": "arn:aws:iam::123456789012:root"}),
            "Action": loose("secretsmanager:GetSecretValue", ["secretsmanager:*"], []),
            "NotAction": loose("secretsmanager:DeleteSecret"),
            "Resource": loose("*", ["*"]),
            "NotResource": loose("*"),
            "Condition": loose(
                {"StringEquals": {"aws:PrincipalAccount": "123456789012"}},
                {"ForAnyValue:StringLike": {"aws:SourceVpc": ["*"]}},
                {"Bool": {"aws:SecureTransport": True}},
            ),
            "Sid": loose("s1"),
            "Extra": GARBAGE,
        },
    )
    document = st.fixed_dictionaries(
        {},
        optional={
            "Version": loose("2012-10-17", "2008-10-17", "2020-01-01"),
            "Id": loose("policy-1"),
            "Statement": st.one_of(statement, st.lists(statement, max_size=3), GARBAGE),
            "Other": GARBAGE,
        },
    )
    as_text = document.map(json.dumps)
    return st.one_of(
        as_text,
        as_text,
        as_text,
        GARBAGE.map(json.dumps),
        WEIRD_TEXT,
        st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),
    )


_POLICIES = _policy_texts()


_FORGED_TOKENS = st.builds(
    lambda a, b: base64.urlsafe_b64encode(f"smmock:{a}:{b}".encode()).decode(),
    st.integers(-2, 10**20),
    st.integers(-2, 10**20),
)
# After reset() every listing's pager counts from 1 again, so "smmock:1:2" is the token a
# first ListSecrets page of 2 hands out in each example.
_NEXT_TOKENS = st.one_of(
    st.just(base64.urlsafe_b64encode(b"smmock:1:2").decode()),
    _FORGED_TOKENS,
    st.text(min_size=1, max_size=30),
)
_ARNS = st.builds(
    ArnRef,
    st.sampled_from(SEEDED),
    st.sampled_from(["full", "full", "partial", "wrong-suffix", "other-partition"]),
)
_SEEDED_NAMES = st.sampled_from(sorted({name for _, _, name in SEEDED}))
_SECRET_IDS = st.one_of(
    _SEEDED_NAMES,
    _SEEDED_NAMES,
    _ARNS,
    st.sampled_from(["app/missing", "app/plain ", MISSING_ARN]),
    st.text(alphabet=string.ascii_letters + string.digits + "/_+=.@-", min_size=1, max_size=24),
)
# Versions the seeds create (see seed()), plus ids no secret has.
_VERSION_IDS = st.one_of(
    st.sampled_from([_token(n) for n in (*range(14), 100, 150, 199)]),
    st.uuids().map(str),
    st.text(alphabet=string.hexdigits + "-", min_size=32, max_size=64),
)


# Valid-shaped values that mean something to smmock, by shape name.
_SPECIAL: dict[str, st.SearchStrategy[Any]] = {
    "SecretIdType": _SECRET_IDS,
    "NameType": _SECRET_IDS,
    "ClientRequestTokenType": _VERSION_IDS,
    "SecretVersionIdType": _VERSION_IDS,
    "SecretVersionStageType": st.one_of(st.sampled_from(_STAGES), st.text(min_size=1, max_size=10)),
    "NonEmptyResourcePolicyType": _POLICIES,
    "RotationLambdaARNType": st.sampled_from([F_OK, F_FAIL, F_MISSING, ""]),
    "ScheduleExpressionType": _SCHEDULES,
    "DurationType": st.one_of(
        st.sampled_from(["1h", "2h", "24h", "25h", "0h"]),
        st.from_regex(r"[0-9]{1,3}h", fullmatch=True),
    ),
    "RegionType": st.sampled_from(_REGIONS),
    "KmsKeyIdType": st.sampled_from(_KEYS),
    "NextTokenType": _NEXT_TOKENS,
    "FilterValueStringType": st.sampled_from(_FILTER_VALUES),
    "TagKeyType": _TAG_TEXT,
    "TagValueType": _TAG_TEXT,
    "SecretARNType": st.one_of(_ARNS, st.text(min_size=20, max_size=40)),
    "RoleARNType": st.one_of(_ARNS, st.text(min_size=20, max_size=40)),
    "ResourcePolicyNameType": st.sampled_from(["default", "other"]),
    # Days or a schedule, not both (that is refused before anything else is looked at).
    "RotationRulesType": st.one_of(
        st.fixed_dictionaries({"AutomaticallyAfterDays": st.integers(1, 1000)}),
        st.fixed_dictionaries(
            {"ScheduleExpression": _SCHEDULES},
            optional={"Duration": st.sampled_from(["1h", "2h", "24h", "25h", "0h"])},
        ),
    ),
}


def _valid(shape: Any, member: str, wire: bool, flavour: str) -> st.SearchStrategy[Any]:
    """A value the model accepts; inside lists and structures, ``flavour`` again."""
    kind = shape.type_name
    lo = shape.metadata.get("min", 0)
    hi = shape.metadata.get("max")
    if shape.name in _SPECIAL:
        return _SPECIAL[shape.name]
    if kind == "string":
        if shape.enum:
            return st.sampled_from(shape.enum)
        return st.text(min_size=lo, max_size=max(lo, min(hi or 30, lo + 30)))
    if kind in ("integer", "long"):
        return st.integers(lo, hi if hi is not None else 60)
    if kind == "boolean":
        return st.booleans()
    if kind == "blob":
        data = st.binary(min_size=max(lo, 1), max_size=40)
        return data.map(lambda b: base64.b64encode(b).decode()) if wire else data
    if kind == "list":
        element = _member_value(shape.member, member, wire, flavour)
        return st.lists(element, min_size=lo, max_size=max(lo, min(hi or 4, 4)))
    if kind == "structure":
        return _structure(shape, wire, flavour)
    if kind == "map":
        return st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3)
    return GARBAGE


def _edge(shape: Any, member: str, wire: bool) -> st.SearchStrategy[Any]:
    """Values of the right JSON type that break a constraint, or sit right at one."""
    kind = shape.type_name
    lo = shape.metadata.get("min", 0)
    hi = shape.metadata.get("max")
    if kind == "string":
        sizes = [n for n in (lo - 1, lo, hi, (hi or 0) + 1) if n is not None and 0 <= n <= 70_000]
        bounded = st.builds(
            lambda c, n: c * n, st.sampled_from(["a", "é", "-"]), st.sampled_from(sizes)
        )
        casing = st.sampled_from([v.upper() for v in shape.enum] or ["X"])
        return st.one_of(bounded, WEIRD_TEXT, casing)
    if kind in ("integer", "long"):
        points = [lo - 1, lo, 0, -1, 2**31, 2**63, 10**30]
        if hi is not None:
            points += [hi, hi + 1]
        floats = st.sampled_from([lo - 0.5, lo + 0.5, (hi or 100) + 0.5, 7.5, 1e308, -0.0])
        return st.one_of(st.sampled_from(points), floats, st.floats())
    if kind == "blob":
        if not wire:
            return st.one_of(
                st.sampled_from([b"x" * 65_536, b"\x00" * 65_537]),
                st.just(b""),
                st.text(max_size=8),
            )
        bad = st.sampled_from(
            ["", "=", "====", "abc", "ab==cd==", "not base64!", "é" * 4, "AA==AA==", "YQ"]
        )
        huge = st.just(base64.b64encode(b"x" * 65_537).decode())
        return st.one_of(bad, huge, WEIRD_TEXT)
    if kind == "list":
        element = _member_value(shape.member, member, wire, "chaos")
        # One past the model's maximum, or past the 50-tag quota for unbounded lists.
        size = hi + 1 if hi is not None else 51
        many = (
            _MANY_TAGS
            if shape.name == "TagListType"
            else st.builds(lambda item, n: [item] * n, element, st.just(size))
        )
        return st.one_of(st.just([]), many, st.lists(st.one_of(element, st.none()), max_size=4))
    if kind == "structure":
        return st.one_of(st.just({}), _structure(shape, wire, "chaos"))
    return _wrong(kind)


def _wrong(kind: str) -> st.SearchStrategy[Any]:
    """Values of another JSON type than the shape's."""
    own = _JSON_TYPE_OF.get(kind)
    return st.one_of([strategy for name, strategy in _JSON_TYPES.items() if name != own])


_JSON_TYPES: dict[str, st.SearchStrategy[Any]] = {
    "string": st.text(max_size=10),
    "number": st.one_of(st.integers(), st.floats()),
    "boolean": st.booleans(),
    "list": st.lists(GARBAGE, max_size=3),
    "object": st.dictionaries(st.text(max_size=5), GARBAGE, max_size=3),
}
_JSON_TYPE_OF = {
    "string": "string",
    "blob": "string",
    "integer": "number",
    "long": "number",
    "boolean": "boolean",
    "list": "list",
    "structure": "object",
    "map": "object",
}
_REQUIRED_MODES = ["valid"] * 6 + ["edge", "wrong", "null", "garbage", "omit"]
_OPTIONAL_MODES = ["omit"] * 4 + ["valid"] * 3 + ["edge", "wrong", "null", "garbage"]
_CLEAN_MODES = ["valid", "valid", "omit"]
_BAD_MODES = ["edge", "edge", "wrong", "null", "garbage", "omit"]


def _member_value(shape: Any, member: str, wire: bool, flavour: str) -> st.SearchStrategy[Any]:
    valid = _valid(shape, member, wire, flavour)
    return valid if flavour != "chaos" else st.one_of(valid, valid, _edge(shape, member, wire))


def _structure(shape: Any, wire: bool, flavour: str) -> st.SearchStrategy[dict[str, Any]]:
    """A structure whose members are valid or left out, except that

    - ``flavour="one"`` breaks one member (or adds unknown ones, on the wire);
    - ``flavour="chaos"`` may break any member, at any depth.
    """
    required = set(shape.required_members)
    nested = "chaos" if flavour == "chaos" else "clean"
    members = []
    for name, member in shape.members.items():
        if flavour == "chaos":
            modes = _REQUIRED_MODES if name in required else _OPTIONAL_MODES
        else:
            modes = ["valid"] if name in required else _CLEAN_MODES
        by_mode = {
            "valid": _valid(member, name, wire, nested),
            "edge": _edge(member, name, wire),
            "wrong": _wrong(member.type_name),
            "null": st.none(),
            "garbage": GARBAGE,
        }
        members.append((name, st.sampled_from(modes), by_mode))
    # botocore refuses unknown members before sending; only raw bodies carry them.
    extras = st.dictionaries(
        st.text(max_size=12).filter(lambda k: k not in shape.members),
        GARBAGE,
        min_size=1,
        max_size=3,
    )
    slots = len(members) + (1 if wire else 0)

    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        broken = draw(st.integers(0, slots - 1)) if flavour == "one" and slots else -1
        out: dict[str, Any] = {}
        for index, (name, modes, by_mode) in enumerate(members):
            mode = draw(st.sampled_from(_BAD_MODES) if index == broken else modes)
            if mode != "omit":
                out[name] = draw(by_mode[mode])
        if broken == len(members) or (flavour == "chaos" and wire and draw(st.integers(0, 5)) == 0):
            out.update(draw(extras))
        return out

    return build()


_REQUESTS: dict[bool, st.SearchStrategy[tuple[str, dict[str, Any]]]] = {}


def requests_for(*, wire: bool) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """(operation, params): valid throughout (2 in 5), one member broken (2 in 5), or
    anything broken anywhere (1 in 5).

    ``wire``: params as JSON sends them (blobs base64, unknown members possible), else as
    boto3 takes them. Built once per flavour: strategies are costly to construct.
    """
    if wire not in _REQUESTS:
        by_flavour = {
            flavour: st.one_of(
                [
                    st.tuples(
                        st.just(op),
                        _structure(MODEL.operation_model(op).input_shape, wire, flavour),
                    )
                    for op in OPERATIONS
                ]
            )
            for flavour in ("clean", "one", "chaos")
        }
        _REQUESTS[wire] = st.one_of(
            by_flavour["clean"],
            by_flavour["clean"],
            by_flavour["one"],
            by_flavour["one"],
            by_flavour["chaos"],
        )
    return _REQUESTS[wire]


_WEIRD_TARGETS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "secretsmanager.",
            "secretsmanager.createSecret",
            "SecretsManager.CreateSecret",
            "secretsmanager.CreateSecret ",
            "secretsmanager.__init__",
            "secretsmanager.handle",
            "kms.Encrypt",
            "secretsmanager.CreateSecret.x",
            "secretsmanager",
        ]
    ),
    st.text(max_size=20).map(lambda t: "secretsmanager." + t),
)
_RAW_BODIES = st.one_of(
    st.none(),
    st.binary(max_size=120),
    st.text(max_size=120).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(max_size=60),
    st.sampled_from(
        [
            b"",
            b"{}",
            b"null",
            b"[]",
            b"true",
            b"1",
            b'"x"',
            b"{",
            b'{"a":}',
            b"\xef\xbb\xbf{}",
            b"NaN",
            b"Infinity",
            b'{"SecretId": NaN}',
            "{}".encode("utf-16"),
            b"1e999",
            b"9" * 5000,
            b'{"Name": "x", "Name": 1}',
            b"\x00{}",
            b"{}{}",
            b"{} ",
            b"\xff\xfe",
            "{}".encode("utf-32"),
        ]
    ),
    st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 5000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
    GARBAGE.map(lambda g: json.dumps(g).encode()),
)


# -- answers -------------------------------------------------------------------------------------


class Records(logging.Handler):
    """smmock's log records, to find the exception behind an InternalServiceError."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Spy:
    """Wraps ``_protocol.handle`` to see every request smmock served and its answer."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[tuple[str, Any, int, bytes]] = []

    def __call__(
        self, backend: Any, region: str, account_id: str, target: str, body: Any
    ) -> tuple[int, bytes]:
        status, answer = self.real(backend, region, account_id, target, body)
        self.calls.append((target, body, status, answer))
        return status, answer


_REAL_HANDLE = _protocol.handle


def _known_500(records: list[logging.LogRecord]) -> str | None:
    for record in records:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            frames = traceback.extract_tb(error.__traceback__)
            # The innermost smmock function: the error may surface in the stdlib below it.
            where = [f.name for f in frames if f.filename.startswith(_SMMOCK_DIR)][-1]
            return KNOWN_500S.get((type(error).__name__, where))
    return None


def _shown(body: Any) -> str:
    text = repr(body)
    return text if len(text) <= 600 else f"{text[:600]}... ({len(text)} chars)"


def check_answer(
    target: str, body: Any, status: int, answer: bytes, records: list[logging.LogRecord]
) -> str:
    """Assert one answer is AWS-shaped and allowed; return what it was (for statistics)."""
    operation = _label(target)
    if status == 500:
        known = _known_500(records)
        if known is not None:
            return f"known bug {known}"
        logged = "".join(
            logging.Formatter().formatException(r.exc_info) for r in records if r.exc_info
        )
        pytest.fail(f"InternalServiceError for {target} with body {_shown(body)}:\n{logged}")
    payload = json.loads(answer)
    assert isinstance(payload, dict), (target, body, answer)
    if status == 200:
        return "success"
    assert status == 400, (status, target, _shown(body), answer)
    assert set(payload) == {"__type", "Message"}, (target, _shown(body), answer)
    assert isinstance(payload["Message"], str)
    code = payload["__type"]
    allowed = allowed_codes(operation) if operation in OPERATIONS else {"UnknownOperationException"}
    if code not in allowed and (operation, code) not in KNOWN_CODES:
        pytest.fail(f"{code} is not an error {target} can answer; body {_shown(body)}: {answer!r}")
    return str(code)


# -- the fixture: one mock for the module, state re-seeded per example -------------------------


@dataclasses.dataclass
class World:
    backend: SecretsBackend
    client: Any
    helper: Any
    spy: Spy
    log: Records
    arns: dict[tuple[str, str, str], str] = dataclasses.field(default_factory=dict)
    # The snapshot of the seeded state while no call has changed it; None: seed again.
    state: dict[Any, Any] | None = None

    def take(self) -> dict[Any, Any]:
        """Start an example on the seeded state; return its snapshot.

        Seeding and snapshotting cost more than most calls, and a failed call must leave
        the state as it was, so the state is seeded again only after a call that
        succeeded (or an example that ended early).
        """
        if self.state is None:
            self.arns = seed(self.backend, self.helper)
            before = snapshot(self.backend)
        else:
            before = self.state
        self.state = None
        self.log.records.clear()
        self.spy.calls.clear()
        return before

    def settle(self, operation: str, status: int, outcome: str, before: dict[Any, Any]) -> None:
        """After a call: a failed one changed nothing, so its state can serve the next."""
        if status == 200:
            check_labels(self.backend)
            return
        if (operation, outcome) in KNOWN_STATE_CHANGES:
            event(f"known bug {KNOWN_STATE_CHANGES[operation, outcome]}")
            return
        after = snapshot(self.backend)
        changed = sorted(str(k) for k in set(before) | set(after) if before.get(k) != after.get(k))
        assert before == after, f"failed {operation} ({outcome}) changed {changed}"
        self.state = before


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    log = Records()
    logger = logging.getLogger("smmock")
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("AWS_"):
                patch.delenv(name)
        patch.setenv("AWS_CONFIG_FILE", os.devnull)
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        patch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        spy = Spy(_REAL_HANDLE)
        logger.addHandler(log)
        try:
            with mock_secrets(region=REGION) as backend:
                # What the hook serves requests with, bound when the outermost mock starts.
                patch.setattr(_hook, "_handle", spy)
                session = boto3.session.Session(region_name=REGION)
                # No client-side validation, and no retries: one request per call.
                loose = Config(
                    parameter_validation=False,
                    retries={"mode": "standard", "total_max_attempts": 1},
                )
                client = session.client("secretsmanager", config=loose)
                helper = session.client("secretsmanager")
                yield World(backend, client, helper, spy, log)
        finally:
            logger.removeHandler(log)


def _through_smmock(error: BaseException) -> bool:
    return any(
        frame.filename.startswith(_SMMOCK_DIR)
        for frame in traceback.extract_tb(error.__traceback__)
    )


# -- the tests ----------------------------------------------------------------------------------


def test_every_model_operation_is_served() -> None:
    assert set(_protocol.OPERATIONS) == set(OPERATIONS)


@fuzz_settings("client")
@given(data=st.data())
def test_bad_parameters_through_boto3(world: World, data: Any) -> None:
    before = world.take()
    operation, drawn = data.draw(requests_for(wire=False), label="request")
    method = getattr(world.client, botocore.xform_name(operation))
    try:
        method(**resolve(drawn, world.arns))
    except ClientError:
        pass  # judged below, from smmock's own answer
    except Exception as error:
        # botocore's serializer refusing a value before sending is fine; an exception
        # raised inside smmock, or after it answered, is not.
        if world.spy.calls or _through_smmock(error):
            raise
        event("rejected by botocore before sending")
        world.state = before
        return
    assert world.spy.calls, "the call ended without smmock answering it"
    outcomes = [check_answer(t, b, s, a, world.log.records) for t, b, s, a in world.spy.calls]
    # The outermost call is answered last (rotation functions call in while it runs).
    target, _, status, _ = world.spy.calls[-1]
    assert target == f"secretsmanager.{operation}"
    event(f"{operation}: {outcomes[-1]}")
    world.settle(operation, status, outcomes[-1], before)


@fuzz_settings("raw")
@given(data=st.data())
def test_bad_bodies_through_the_protocol(world: World, data: Any) -> None:
    before = world.take()
    operation, drawn = data.draw(requests_for(wire=True), label="request")
    body = json.dumps(resolve(drawn, world.arns)).encode()
    region = data.draw(
        st.sampled_from([REGION, REGION, REGION, "eu-west-1", "", "xx-nowhere-9"]), label="region"
    )
    _serve(world, before, f"secretsmanager.{operation}", body, region)


# Rotation schedules and resource policies have grammars of their own, parsed deep inside
# one operation each: the request fuzzers reach them rarely, so they get a test of their
# own that sends nothing but a well-formed request around a generated document.
_SCHEDULE_TEXT = st.one_of(
    _RATES,
    _CRONS,
    _SCHEDULES,
    st.text(alphabet="0123456789()#?*-/, ratecronhoursdaysMONFRIJANL", min_size=1, max_size=40),
)
_GRAMMAR_REQUESTS = st.one_of(
    st.tuples(
        st.just("RotateSecret"),
        st.fixed_dictionaries(
            {
                "SecretId": st.sampled_from(["app/plain", "app/rotating", "app/empty"]),
                "ClientRequestToken": st.uuids().map(str),
                "RotationLambdaARN": st.sampled_from([F_OK, F_FAIL]),
                "RotationRules": st.fixed_dictionaries(
                    {"ScheduleExpression": _SCHEDULE_TEXT},
                    optional={"Duration": st.sampled_from(["1h", "4h", "24h", "25h"])},
                ),
            },
            optional={"RotateImmediately": st.booleans()},
        ),
    ),
    st.tuples(
        st.sampled_from(["PutResourcePolicy", "ValidateResourcePolicy"]),
        st.fixed_dictionaries(
            {"SecretId": st.just("app/policy"), "ResourcePolicy": _POLICIES},
            optional={"BlockPublicPolicy": st.booleans()},
        ),
    ),
)


@fuzz_settings("grammars")
@given(request=_GRAMMAR_REQUESTS)
def test_schedule_and_policy_documents(world: World, request: tuple[str, dict[str, Any]]) -> None:
    operation, params = request
    _serve(world, world.take(), f"secretsmanager.{operation}", json.dumps(params), REGION)


_TARGETS = st.one_of(
    st.sampled_from(OPERATIONS).map(lambda op: f"secretsmanager.{op}"), _WEIRD_TARGETS
)


@fuzz_settings("bytes")
@given(target=_TARGETS, body=_RAW_BODIES)
def test_undecodable_bodies_and_unknown_targets(world: World, target: str, body: Any) -> None:
    _serve(world, world.take(), target, body, REGION)


def _label(target: str) -> str:
    """The operation a target names, or "unknown target"."""
    prefix, _, operation = target.partition(".")
    return operation if prefix == "secretsmanager" and operation in OPERATIONS else "unknown target"


def _serve(world: World, before: dict[Any, Any], target: str, body: Any, region: str) -> None:
    status, answer = _REAL_HANDLE(world.backend, region, ACCOUNT, target, body)
    outcome = check_answer(target, body, status, answer, world.log.records)
    event(f"{_label(target)}: {outcome}")
    world.settle(_label(target), status, outcome, before)


@fuzz_settings("requests")
@given(target=_TARGETS, body=_RAW_BODIES)
def test_bad_bodies_through_plain_requests(world: World, target: str, body: Any) -> None:
    before = world.take()
    headers = {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"}
    try:
        response = requests.post(ENDPOINT, data=body, headers=headers, timeout=5)
    except (UnicodeError, ValueError) as error:
        # requests refuses header values it cannot encode, before anything is sent.
        if world.spy.calls or _through_smmock(error):
            raise
        event("rejected by requests before sending")
        world.state = before
        return
    outcome = check_answer(target, body, response.status_code, response.content, world.log.records)
    event(f"{_label(target)}: {outcome}")
    world.settle(_label(target), response.status_code, outcome, before)
