from __future__ import annotations

import json
from typing import Any

import pytest

from smmock._service.policy import (
    PUBLIC_ACCESS_CHECK,
    PUBLIC_POLICY,
    SYNTAX_CHECK,
    SYNTAX_ERROR,
    UNSUPPORTED_PRINCIPAL,
    is_public,
    parse_policy,
    validation_findings,
)
from smmock.exceptions import MalformedPolicyDocumentException

ACCOUNT_ROOT = "arn:aws:iam::123456789012:root"


def statement(**overrides: Any) -> dict[str, Any]:
    base = {
        "Effect": "Allow",
        "Principal": {"AWS": ACCOUNT_ROOT},
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def policy(*statements: dict[str, Any], version: str = "2012-10-17") -> str:
    doc = {"Version": version, "Statement": list(statements) or [statement()]}
    return json.dumps(doc)


def test_messages_are_fixed() -> None:
    assert SYNTAX_ERROR == "This policy has invalid syntax."
    assert UNSUPPORTED_PRINCIPAL == "This resource policy contains an unsupported principal."
    assert PUBLIC_POLICY == "This resource policy grants public access to the secret."
    assert SYNTAX_CHECK == "SYNTAX_CHECK"
    assert PUBLIC_ACCESS_CHECK == "PUBLIC_ACCESS_CHECK"


def test_parse_returns_the_document() -> None:
    text = policy()
    assert parse_policy(text) == json.loads(text)


@pytest.mark.parametrize(
    "doc",
    [
        {"Statement": statement()},  # single object, no Version
        {"Version": "2008-10-17", "Id": "x", "Statement": [statement(Sid="one")]},
        {"Statement": [statement(Action=["a:B", "a:C"], Resource=None)]},
        {"Statement": [statement(Action=None, NotAction="secretsmanager:DeleteSecret")]},
        {"Statement": [statement(Resource=None, NotResource="arn:aws:x")]},
        {"Statement": [statement(Effect="Deny", Principal="*")]},
        {"Statement": [statement(Principal=None, NotPrincipal={"AWS": ACCOUNT_ROOT})]},
        {"Statement": [statement(Principal={"Service": ["lambda.amazonaws.com"]})]},
        {"Statement": [statement(Condition={"Bool": {"aws:SecureTransport": True}})]},
        {"Statement": [statement(Condition={"NumericLessThan": {"k": [1, 2.5]}})]},
    ],
)
def test_valid_documents(doc: dict[str, Any]) -> None:
    parse_policy(json.dumps(doc))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        '{"Statement": ',
        "[]",
        '"text"',
        "null",
        "[" * 5000,
        json.dumps({}),
        json.dumps({"Version": "2012-10-17"}),
        json.dumps({"Statement": []}),
        json.dumps({"Statement": "Allow"}),
        json.dumps({"Statement": [statement(), "x"]}),
        json.dumps({"Version": "2019-10-19", "Statement": [statement()]}),
        json.dumps({"Version": 2012, "Statement": [statement()]}),
        json.dumps({"Id": 5, "Statement": [statement()]}),
        json.dumps({"Statement": [statement()], "Extra": 1}),
        json.dumps({"Statement": [statement(Effect="allow")]}),
        json.dumps({"Statement": [statement(Effect=None)]}),
        json.dumps({"Statement": [statement(Action=None)]}),
        json.dumps({"Statement": [statement(NotAction="a:B")]}),
        json.dumps({"Statement": [statement(Action=[])]}),
        json.dumps({"Statement": [statement(Action=5)]}),
        json.dumps({"Statement": [statement(Action=["a:B", 1])]}),
        json.dumps({"Statement": [statement(NotResource="*")]}),
        json.dumps({"Statement": [statement(Resource={"a": "b"})]}),
        json.dumps({"Statement": [statement(Principal=None)]}),
        json.dumps({"Statement": [statement(NotPrincipal={"AWS": ACCOUNT_ROOT})]}),
        json.dumps({"Statement": [statement(Sid=1)]}),
        json.dumps({"Statement": [statement(Bogus="x")]}),
        json.dumps({"Statement": [statement(Condition="x")]}),
        json.dumps({"Statement": [statement(Condition={"StringEquals": "x"})]}),
        json.dumps({"Statement": [statement(Condition={"StringEquals": {}})]}),
        json.dumps({"Statement": [statement(Condition={"StringEquals": {"k": []}})]}),
        json.dumps({"Statement": [statement(Condition={"StringEquals": {"k": {"a": 1}}})]}),
    ],
)
def test_syntax_errors(text: str) -> None:
    with pytest.raises(MalformedPolicyDocumentException) as err:
        parse_policy(text)
    assert err.value.message == SYNTAX_ERROR


@pytest.mark.parametrize(
    "principal",
    [
        "arn:aws:iam::123456789012:root",
        "",
        {},
        [],
        5,
        {"Bogus": "x"},
        {"AWS": []},
        {"AWS": 123456789012},
        {"AWS": ["ok", 1]},
    ],
)
def test_unsupported_principal(principal: Any) -> None:
    with pytest.raises(MalformedPolicyDocumentException) as err:
        parse_policy(policy(statement(Principal=principal)))
    assert err.value.message == UNSUPPORTED_PRINCIPAL


def test_unsupported_not_principal() -> None:
    text = policy(statement(Principal=None, NotPrincipal="someone"))
    with pytest.raises(MalformedPolicyDocumentException, match="unsupported principal"):
        parse_policy(text)


@pytest.mark.parametrize(
    "principal",
    ["*", {"AWS": "*"}, {"AWS": ["*"]}, {"AWS": [ACCOUNT_ROOT, "*"]}],
)
def test_wildcard_principals_are_public(principal: Any) -> None:
    assert is_public(parse_policy(policy(statement(Principal=principal))))


@pytest.mark.parametrize(
    "principal",
    [
        {"AWS": ACCOUNT_ROOT},
        {"AWS": [ACCOUNT_ROOT, "arn:aws:iam::210987654321:role/r"]},
        {"Service": "secretsmanager.amazonaws.com"},
        {"AWS": "arn:aws:iam::*:root"},
    ],
)
def test_specific_principals_are_not_public(principal: Any) -> None:
    assert not is_public(parse_policy(policy(statement(Principal=principal))))


def test_wildcard_deny_is_not_public() -> None:
    assert not is_public(parse_policy(policy(statement(Effect="Deny", Principal="*"))))


def test_allow_with_not_principal_is_public() -> None:
    doc = policy(statement(Principal=None, NotPrincipal={"AWS": ACCOUNT_ROOT}))
    assert is_public(parse_policy(doc))


def test_one_public_statement_is_enough() -> None:
    doc = policy(statement(), statement(Principal="*", Sid="open"))
    assert is_public(parse_policy(doc))


def test_single_statement_object() -> None:
    doc = json.dumps({"Statement": statement(Principal={"AWS": "*"})})
    assert is_public(parse_policy(doc))


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalAccount": "123456789012"}},
        {"StringEquals": {"aws:principalaccount": ["123456789012"]}},
        {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
        {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a/r-b/*"}},
        {"StringEquals": {"aws:SourceAccount": "123456789012"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:123456789012:function:*"}},
        {"ArnEquals": {"aws:PrincipalArn": ACCOUNT_ROOT}},
        {"StringEquals": {"aws:SourceVpc": "vpc-1"}},
        {"StringEquals": {"aws:SourceVpce": "vpce-1"}},
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {
            "Bool": {"aws:SecureTransport": True},
            "StringEquals": {"aws:PrincipalAccount": "123456789012"},
        },
    ],
)
def test_limiting_conditions_make_wildcard_private(condition: dict[str, Any]) -> None:
    doc = policy(statement(Principal="*", Condition=condition))
    assert not is_public(parse_policy(doc))
    assert validation_findings(doc) == []


@pytest.mark.parametrize(
    "condition",
    [
        {"Bool": {"aws:SecureTransport": True}},
        {"StringEquals": {"secretsmanager:VersionStage": "AWSCURRENT"}},
        {"StringNotEquals": {"aws:PrincipalAccount": "123456789012"}},
        {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}},
        {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
        {"Null": {"aws:PrincipalAccount": "false"}},
        {"StringLike": {"aws:PrincipalAccount": "*"}},
        {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
        {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "::/0"]}},
    ],
)
def test_non_limiting_conditions_stay_public(condition: dict[str, Any]) -> None:
    doc = policy(statement(Principal={"AWS": "*"}, Condition=condition))
    assert is_public(parse_policy(doc))


def test_findings_pass() -> None:
    assert validation_findings(policy()) == []


def test_findings_public() -> None:
    assert validation_findings(policy(statement(Principal="*"))) == [
        {"CheckName": "PUBLIC_ACCESS_CHECK", "ErrorMessage": PUBLIC_POLICY}
    ]


def test_findings_syntax() -> None:
    assert validation_findings("{") == [
        {"CheckName": "SYNTAX_CHECK", "ErrorMessage": "This policy has invalid syntax."}
    ]


def test_findings_principal() -> None:
    assert validation_findings(policy(statement(Principal="me"))) == [
        {"CheckName": "SYNTAX_CHECK", "ErrorMessage": UNSUPPORTED_PRINCIPAL}
    ]
