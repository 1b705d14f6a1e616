"""Least privilege (``allowed_actions``), the caller's identity and resource-policy denials."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from smmock import SecretsBackend, mock_secrets
from smmock._service.access import explicit_verdict, pattern

USER = "arn:aws:iam::123456789012:user/smmock"
ROLE = "arn:aws:iam::123456789012:role/app"


def _client() -> Any:
    return boto3.client("secretsmanager", region_name="us-east-1")


def _denied(call: Any, **kwargs: Any) -> str:
    client = call.__self__
    with pytest.raises(client.exceptions.ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return str(error["Message"])


def test_the_guides_delete_permissions_suffice_to_schedule_a_deletion() -> None:
    allowed = ["secretsmanager:ListSecrets", "secretsmanager:DeleteSecret"]
    with mock_secrets(allowed_actions=allowed) as backend:
        arn = backend.create_secret("development/MyTestDatabase", "v").arn
        client = _client()
        names = [s["Name"] for s in client.list_secrets()["SecretList"]]
        assert names == ["development/MyTestDatabase"]
        client.delete_secret(SecretId="development/MyTestDatabase", RecoveryWindowInDays=14)
        assert backend.get_secret(arn).scheduled_for_deletion
        # Anything else is an implicit deny, in AWS's words.
        assert _denied(client.get_secret_value, SecretId="development/MyTestDatabase") == (
            f"User: {USER} is not authorized to perform: secretsmanager:GetSecretValue on "
            "resource: development/MyTestDatabase because no identity-based policy allows "
            "the secretsmanager:GetSecretValue action"
        )
        assert _denied(client.restore_secret, SecretId=arn) == (
            f"User: {USER} is not authorized to perform: secretsmanager:RestoreSecret on "
            f"resource: {arn} because no identity-based policy allows the "
            "secretsmanager:RestoreSecret action"
        )
        # A call naming no secret names no resource.
        assert _denied(client.get_random_password) == (
            f"User: {USER} is not authorized to perform: secretsmanager:GetRandomPassword "
            "because no identity-based policy allows the secretsmanager:GetRandomPassword action"
        )
        assert [c.error_code for c in backend.calls] == [
            None,
            None,
            "AccessDeniedException",
            "AccessDeniedException",
            "AccessDeniedException",
        ]
        assert backend.get_secret(arn).scheduled_for_deletion


def test_the_guides_restore_permissions_suffice_to_restore() -> None:
    with mock_secrets(
        allowed_actions=["secretsmanager:ListSecrets", "secretsmanager:RestoreSecret"]
    ) as backend:
        backend.create_secret("development/MyTestDatabase", "v")
        backend.region_backend().delete_secret(
            "development/MyTestDatabase", recovery_window_in_days=7
        )
        client = _client()
        listed = client.list_secrets(IncludePlannedDeletion=True)["SecretList"]
        assert [s["Name"] for s in listed] == ["development/MyTestDatabase"]
        client.restore_secret(SecretId="development/MyTestDatabase")
        assert not backend.get_secret("development/MyTestDatabase").scheduled_for_deletion
        assert "secretsmanager:DeleteSecret" in _denied(
            client.delete_secret, SecretId="development/MyTestDatabase"
        )


@pytest.mark.parametrize(
    ("allowed", "operation", "expected"),
    [
        (["secretsmanager:Delete*"], "DeleteSecret", True),
        (["secretsmanager:Delete*"], "DeleteResourcePolicy", True),
        (["secretsmanager:Delete*"], "DescribeSecret", False),
        (["SecretsManager:getsecretvalue"], "GetSecretValue", True),
        (["secretsmanager:*"], "TagResource", True),
        (["*"], "RotateSecret", True),
        (["secretsmanager:?etSecretValue"], "GetSecretValue", True),
        (["secretsmanager:?etSecretValue"], "PutSecretValue", False),
        (["secretsmanager:Get"], "GetSecretValue", False),
        (["s3:*"], "GetSecretValue", False),
        ([], "ListSecrets", False),
    ],
)
def test_actions_match_as_iam_matches_them(
    allowed: list[str], operation: str, expected: bool
) -> None:
    with mock_secrets(allowed_actions=allowed) as backend:
        assert backend.access.identity_allows(operation) is expected
        assert backend.access.allowed_actions == tuple(allowed)


def test_the_caller_and_the_actions_follow_the_innermost_mock(sm_backend: SecretsBackend) -> None:
    client = _client()
    assert sm_backend.access.restricted is False
    assert sm_backend.access.caller("123456789012", "us-east-1") == USER
    with mock_secrets(allowed_actions=["secretsmanager:Describe*"], caller_arn=ROLE):
        assert "User: arn:aws:iam::123456789012:role/app is not authorized" in _denied(
            client.list_secrets
        )
        with mock_secrets(account_id="111122223333"):
            # Inherits the actions and the caller it does not set.
            assert _denied(client.list_secrets).startswith(f"User: {ROLE} is not")
        with mock_secrets(allowed_actions=["secretsmanager:List*"]):
            client.list_secrets()
        assert "secretsmanager:ListSecrets" in _denied(client.list_secrets)
    client.list_secrets()
    assert sm_backend.access.restricted is False


def test_the_default_caller_is_a_user_of_the_mocks_account_and_partition() -> None:
    with mock_secrets(account_id="210987654321", region="cn-north-1", allowed_actions=[]):
        client = boto3.client("secretsmanager", region_name="cn-north-1")
        assert _denied(client.list_secrets) == (
            "User: arn:aws-cn:iam::210987654321:user/smmock is not authorized to perform: "
            "secretsmanager:ListSecrets because no identity-based policy allows the "
            "secretsmanager:ListSecrets action"
        )


@pytest.mark.smmock(allowed_actions=["secretsmanager:GetSecretValue"], caller_arn=ROLE)
def test_the_marker_takes_the_options(sm_backend: SecretsBackend) -> None:
    sm_backend.create_secret("s", "v")
    assert _client().get_secret_value(SecretId="s")["SecretString"] == "v"
    assert _denied(_client().describe_secret, SecretId="s").startswith(f"User: {ROLE} is not")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"allowed_actions": "secretsmanager:*"},
            TypeError,
            "allowed_actions must be a list of IAM actions such as "
            "['secretsmanager:GetSecretValue'], not 'secretsmanager:*'.",
        ),
        (
            {"allowed_actions": [""]},
            TypeError,
            "Each allowed action must be a non-empty string, not ''.",
        ),
        (
            {"caller_arn": "app"},
            ValueError,
            "caller_arn must be an IAM principal ARN such as "
            "'arn:aws:iam::123456789012:user/app', not 'app'.",
        ),
        ({"seed": "1"}, TypeError, "seed must be an int, not '1'."),
        (
            {"state": 3},
            TypeError,
            "state must be a dict from SecretsBackend.dump() or a file path, not 3.",
        ),
    ],
)
def test_bad_options_are_refused(kwargs: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error) as caught:
        mock_secrets(**kwargs)
    assert str(caught.value) == message


# -- resource policies ---------------------------------------------------------------------------


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_an_explicit_deny_for_the_caller_is_honoured(sm_backend: SecretsBackend) -> None:
    client = _client()
    arn = client.create_secret(Name="locked", SecretString="v")["ARN"]
    client.put_resource_policy(
        SecretId="locked",
        ResourcePolicy=_policy(
            {
                "Effect": "Deny",
                "Principal": {"AWS": USER},
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
            }
        ),
    )
    assert _denied(client.get_secret_value, SecretId="locked") == (
        f"User: {USER} is not authorized to perform: secretsmanager:GetSecretValue on "
        "resource: locked with an explicit deny in a resource-based policy"
    )
    assert f"on resource: {arn} with an explicit deny" in _denied(
        client.get_secret_value, SecretId=arn
    )
    # Other actions and other callers are not denied.
    assert client.describe_secret(SecretId="locked")["Name"] == "locked"
    with mock_secrets(caller_arn=ROLE):
        assert client.get_secret_value(SecretId="locked")["SecretString"] == "v"
    assert sm_backend.calls[-1].error_code is None


def test_deny_everyone_but_one_role(sm_backend: SecretsBackend) -> None:
    client = _client()
    client.create_secret(Name="prod/db", SecretString="v")
    client.put_resource_policy(
        SecretId="prod/db",
        ResourcePolicy=_policy(
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "secretsmanager:*",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:PrincipalArn": ROLE}},
            }
        ),
    )
    assert "with an explicit deny" in _denied(client.get_secret_value, SecretId="prod/db")
    assert "with an explicit deny" in _denied(client.delete_resource_policy, SecretId="prod/db")
    with mock_secrets(caller_arn=ROLE):
        assert client.get_secret_value(SecretId="prod/db")["SecretString"] == "v"
        client.delete_resource_policy(SecretId="prod/db")
    assert client.get_secret_value(SecretId="prod/db")["SecretString"] == "v"


def test_an_allow_for_the_callers_arn_grants_what_the_identity_does_not() -> None:
    with mock_secrets(allowed_actions=["secretsmanager:PutResourcePolicy"]) as backend:
        backend.create_secret("shared", "v")
        client = _client()
        client.put_resource_policy(
            SecretId="shared",
            ResourcePolicy=_policy(
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": USER},
                    "Action": "secretsmanager:Get*",
                    "Resource": "*",
                },
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                    "Action": "secretsmanager:DescribeSecret",
                    "Resource": "*",
                },
            ),
        )
        assert client.get_secret_value(SecretId="shared")["SecretString"] == "v"
        # The account principal delegates to identity policies: no grant on its own.
        assert "because no identity-based policy allows" in _denied(
            client.describe_secret, SecretId="shared"
        )


@pytest.mark.parametrize(
    ("statement", "verdict"),
    [
        ({"Effect": "Deny", "Principal": {"AWS": ["123456789012"]}, "Action": "*"}, "Deny"),
        (
            {
                "Effect": "Deny",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "*",
            },
            "Deny",
        ),
        (
            {
                "Effect": "Deny",
                "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                "Action": "*",
            },
            None,
        ),
        ({"Effect": "Deny", "NotPrincipal": {"AWS": ROLE}, "Action": "*"}, "Deny"),
        ({"Effect": "Deny", "NotPrincipal": {"AWS": USER}, "Action": "*"}, None),
        ({"Effect": "Deny", "Principal": "*", "NotAction": "secretsmanager:Describe*"}, "Deny"),
        ({"Effect": "Deny", "Principal": "*", "NotAction": "secretsmanager:Get*"}, None),
        (
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "*",
                "Resource": "arn:aws:secretsmanager:*:*:secret:other-*",
            },
            None,
        ),
        (
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "*",
                "NotResource": "arn:aws:secretsmanager:*:*:secret:other-*",
            },
            "Deny",
        ),
        (
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "*",
                "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}},
            },
            "Deny",
        ),
        (
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "*",
                "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/*"}},
            },
            "Deny",
        ),
        (
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "*",
                "Condition": {"StringLike": {"aws:PrincipalArn": "*:role/*"}},
            },
            None,
        ),
        # Conditions smmock cannot evaluate: the statement is skipped.
        (
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            None,
        ),
        (
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "*",
                "Condition": {"StringEquals": {"secretsmanager:VersionStage": "AWSCURRENT"}},
            },
            None,
        ),
        ({"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue"}, "Allow"),
        ({"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "*"}, None),
        ({"Principal": "*", "Action": "*"}, None),
    ],
)
def test_policy_statements(statement: dict[str, Any], verdict: str | None) -> None:
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mine-AbCdEf"
    policy = _policy(statement)
    assert explicit_verdict(policy, "secretsmanager:GetSecretValue", USER, secret) == verdict


def test_patterns_are_iam_wildcards() -> None:
    assert pattern("secretsmanager:Get*").fullmatch("SECRETSMANAGER:getsecretvalue")
    assert not pattern("a.b").fullmatch("axb")
    assert pattern("a?c").fullmatch("abc")
