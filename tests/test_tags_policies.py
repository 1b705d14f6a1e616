"""TagResource, UntagResource and the resource-policy operations through a boto3 client."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from smmock.backend import SecretsBackend

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)  # the `frozen` fixture
NOT_FOUND = "Secrets Manager can't find the specified secret."
MARKED = "You can't perform this operation on the secret because it was marked for deletion."
SYNTAX = "This policy has invalid syntax."
PRINCIPAL = "This resource policy contains an unsupported principal."
PUBLIC = "This resource policy grants public access to the secret."


def policy(principal: Any, condition: dict[str, Any] | None = None) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }
    if condition is not None:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


PRIVATE = policy({"AWS": "arn:aws:iam::123456789012:root"})
PUBLIC_POLICY = policy("*")


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    error = info.value.response["Error"]
    return error["Code"], error["Message"]


def answer(response: dict[str, Any]) -> dict[str, Any]:
    response.pop("ResponseMetadata")
    return response


def tags_of(client: Any, secret_id: str = "s") -> Any:
    return client.describe_secret(SecretId=secret_id).get("Tags", "absent")


def tag(client: Any, *pairs: tuple[str, str], secret_id: str = "s") -> dict[str, Any]:
    tags = [{"Key": k, "Value": v} for k, v in pairs]
    return answer(client.tag_resource(SecretId=secret_id, Tags=tags))


# -- Tags: absent vs [] -------------------------------------------------------------------------


def test_tags_are_absent_on_a_never_tagged_secret(client: Any) -> None:
    client.create_secret(Name="s")
    assert tags_of(client) == "absent"
    assert "Tags" not in client.list_secrets()["SecretList"][0]


def test_tags_are_an_empty_list_once_all_were_removed(client: Any) -> None:
    client.create_secret(Name="s", Tags=[{"Key": "k", "Value": "v"}])
    assert answer(client.untag_resource(SecretId="s", TagKeys=["k"])) == {}
    assert tags_of(client) == []
    assert client.list_secrets()["SecretList"][0]["Tags"] == []


def test_created_with_an_empty_tag_list(client: Any) -> None:
    client.create_secret(Name="s", Tags=[])
    assert tags_of(client) == []


def test_untagging_a_never_tagged_secret_leaves_tags_absent(client: Any) -> None:
    # Decision (unconfirmed): removing nothing from nothing does not create the list.
    client.create_secret(Name="s")
    client.untag_resource(SecretId="s", TagKeys=["k"])
    assert tags_of(client) == "absent"


# -- order, overwrite, case -----------------------------------------------------------------------


def test_tag_resource_answers_an_empty_object_and_keeps_insertion_order(client: Any) -> None:
    client.create_secret(Name="s", Tags=[{"Key": "b", "Value": "1"}])
    assert tag(client, ("a", "2"), ("c", "3")) == {}
    assert tags_of(client) == [
        {"Key": "b", "Value": "1"},
        {"Key": "a", "Value": "2"},
        {"Key": "c", "Value": "3"},
    ]


def test_overwriting_a_tag_keeps_its_position(client: Any) -> None:
    client.create_secret(Name="s")
    tag(client, ("first", "1"), ("second", "2"), ("third", "3"))
    tag(client, ("second", "changed"), ("fourth", "4"))
    assert tags_of(client) == [
        {"Key": "first", "Value": "1"},
        {"Key": "second", "Value": "changed"},
        {"Key": "third", "Value": "3"},
        {"Key": "fourth", "Value": "4"},
    ]


def test_tag_keys_are_case_sensitive(client: Any) -> None:
    client.create_secret(Name="s")
    tag(client, ("ABC", "upper"), ("abc", "lower"))
    assert tags_of(client) == [{"Key": "ABC", "Value": "upper"}, {"Key": "abc", "Value": "lower"}]
    client.untag_resource(SecretId="s", TagKeys=["abc"])
    assert tags_of(client) == [{"Key": "ABC", "Value": "upper"}]


def test_untag_ignores_unknown_keys(client: Any) -> None:
    client.create_secret(Name="s", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    assert answer(client.untag_resource(SecretId="s", TagKeys=["nope", "b", "A"])) == {}
    assert tags_of(client) == [{"Key": "a", "Value": "1"}]


def test_an_empty_tag_value_is_a_value(client: Any) -> None:
    client.create_secret(Name="s")
    tag(client, ("flag", ""))
    assert tags_of(client) == [{"Key": "flag", "Value": ""}]


def test_tagging_bumps_last_changed_date(client: Any, frozen: Any) -> None:
    # Decision (unconfirmed in AWS): tag changes count as modifications.
    client.create_secret(Name="s")
    frozen.tick(60)
    tag(client, ("k", "v"))
    assert client.describe_secret(SecretId="s")["LastChangedDate"] == T0 + datetime.timedelta(
        seconds=60
    )
    frozen.tick(60)
    client.untag_resource(SecretId="s", TagKeys=["k"])
    assert client.describe_secret(SecretId="s")["LastChangedDate"] == T0 + datetime.timedelta(
        seconds=120
    )


# -- refused tags ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["aws:created-by", "AWS:x", "Aws:team"])
def test_the_aws_prefix_is_reserved(client: Any, key: str) -> None:
    client.create_secret(Name="s", Tags=[{"Key": "k", "Value": "v"}])
    message = (
        f"The tag key {key} is not valid: tag keys beginning with aws: are reserved for AWS use."
    )
    assert error_of(
        client.tag_resource,
        SecretId="s",
        Tags=[{"Key": "ok", "Value": "1"}, {"Key": key, "Value": "1"}],
    ) == ("InvalidParameterException", message)
    assert tags_of(client) == [{"Key": "k", "Value": "v"}]
    assert error_of(client.create_secret, Name="t", Tags=[{"Key": key, "Value": "1"}]) == (
        "InvalidParameterException",
        message,
    )
    assert [s["Name"] for s in client.list_secrets()["SecretList"]] == ["s"]


def test_a_prefix_merely_containing_aws_is_allowed(client: Any) -> None:
    client.create_secret(Name="s")
    tag(client, ("awsome", "1"), ("my:aws:key", "2"))
    assert [t["Key"] for t in tags_of(client)] == ["awsome", "my:aws:key"]


def test_the_51st_tag_is_refused(client: Any) -> None:
    client.create_secret(Name="s", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(49)])
    tag(client, ("k49", "v"))  # the 50th
    assert len(tags_of(client)) == 50
    assert error_of(client.tag_resource, SecretId="s", Tags=[{"Key": "k50", "Value": "v"}]) == (
        "InvalidParameterException",
        "A secret can have at most 50 tags; this request would give it 51.",
    )
    # Overwriting an existing key at the limit adds no tag.
    tag(client, ("k0", "new"))
    tags = tags_of(client)
    assert len(tags) == 50
    assert tags[0] == {"Key": "k0", "Value": "new"}


def test_create_secret_with_51_tags_is_refused(client: Any) -> None:
    assert error_of(
        client.create_secret, Name="s", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    ) == (
        "InvalidParameterException",
        "A secret can have at most 50 tags; this request would give it 51.",
    )


def test_tag_key_and_value_lengths_come_from_the_model(client: Any) -> None:
    client.create_secret(Name="s")
    key = "k" * 129
    assert error_of(client.tag_resource, SecretId="s", Tags=[{"Key": key, "Value": "v"}]) == (
        "ValidationException",
        f"1 validation error detected: Value '{key}' at 'tags.1.member.key' failed to satisfy "
        "constraint: Member must have length less than or equal to 128",
    )
    value = "v" * 257
    assert error_of(client.tag_resource, SecretId="s", Tags=[{"Key": "k", "Value": value}]) == (
        "ValidationException",
        f"1 validation error detected: Value '{value}' at 'tags.1.member.value' failed to "
        "satisfy constraint: Member must have length less than or equal to 256",
    )
    tag(client, ("k" * 128, "v" * 256))
    assert tags_of(client) == [{"Key": "k" * 128, "Value": "v" * 256}]


# -- unknown and scheduled secrets ---------------------------------------------------------------

SECRET_OPERATIONS: list[tuple[str, dict[str, Any]]] = [
    ("tag_resource", {"Tags": [{"Key": "k", "Value": "v"}]}),
    ("untag_resource", {"TagKeys": ["k"]}),
    ("get_resource_policy", {}),
    ("delete_resource_policy", {}),
    ("put_resource_policy", {"ResourcePolicy": PRIVATE}),
    ("list_resource_policies", {}),
]


@pytest.mark.parametrize(
    ("operation", "params"), SECRET_OPERATIONS, ids=[op for op, _ in SECRET_OPERATIONS]
)
def test_unknown_secret(client: Any, operation: str, params: dict[str, Any]) -> None:
    assert error_of(getattr(client, operation), SecretId="missing", **params) == (
        "ResourceNotFoundException",
        NOT_FOUND,
    )


@pytest.mark.parametrize(
    ("operation", "params"), SECRET_OPERATIONS, ids=[op for op, _ in SECRET_OPERATIONS]
)
def test_scheduled_secret_is_marked_for_deletion(
    client: Any, operation: str, params: dict[str, Any]
) -> None:
    # Tag, Untag, GetResourcePolicy and DeleteResourcePolicy are AWS-observed; Put and
    # List follow them (unconfirmed).
    client.create_secret(Name="s", Tags=[{"Key": "k", "Value": "v"}])
    client.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)
    client.delete_secret(SecretId="s")
    before = answer(client.describe_secret(SecretId="s"))
    assert error_of(getattr(client, operation), SecretId="s", **params) == (
        "InvalidRequestException",
        MARKED,
    )
    assert answer(client.describe_secret(SecretId="s")) == before
    client.restore_secret(SecretId="s")
    assert client.get_resource_policy(SecretId="s")["ResourcePolicy"] == PRIVATE


# -- Put / Get / Delete / ListResourcePolicies ----------------------------------------------------


def test_get_resource_policy_without_a_policy_omits_it(client: Any) -> None:
    arn = client.create_secret(Name="s")["ARN"]
    assert answer(client.get_resource_policy(SecretId="s")) == {"ARN": arn, "Name": "s"}
    assert answer(client.list_resource_policies(SecretId="s")) == {"ResourcePolicies": []}


def test_put_get_list_delete(client: Any) -> None:
    arn = client.create_secret(Name="s")["ARN"]
    put = client.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)
    assert answer(put) == {"ARN": arn, "Name": "s"}
    # Stored and returned as sent, byte for byte.
    assert answer(client.get_resource_policy(SecretId=arn)) == {
        "ARN": arn,
        "Name": "s",
        "ResourcePolicy": PRIVATE,
    }
    assert answer(client.list_resource_policies(SecretId="s")) == {
        "ResourcePolicies": [{"PolicyName": "default"}]
    }
    assert answer(client.delete_resource_policy(SecretId="s")) == {"ARN": arn, "Name": "s"}
    assert "ResourcePolicy" not in client.get_resource_policy(SecretId="s")
    assert answer(client.list_resource_policies(SecretId="s")) == {"ResourcePolicies": []}
    # Deleting again is not an error (decision: idempotent, unconfirmed).
    assert answer(client.delete_resource_policy(SecretId="s")) == {"ARN": arn, "Name": "s"}


def test_only_the_default_policy_name_is_accepted(client: Any, frozen: Any) -> None:
    arn = client.create_secret(Name="s")["ARN"]
    client.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE, PolicyName="default")
    before = answer(client.describe_secret(SecretId="s"))
    frozen.tick(60)
    # The model: any other name is an InvalidParameterException for Put and Delete...
    assert error_of(
        client.put_resource_policy, SecretId="s", ResourcePolicy=PUBLIC_POLICY, PolicyName="other"
    ) == (
        "InvalidParameterException",
        "You can only attach the default resource policy; PolicyName can't be other.",
    )
    assert error_of(client.delete_resource_policy, SecretId="s", PolicyName="Default") == (
        "InvalidParameterException",
        "You can only delete the default resource policy; PolicyName can't be Default.",
    )
    # ...and a ResourceNotFoundException for Get: no policy has that name.
    assert error_of(client.get_resource_policy, SecretId="s", PolicyName="other") == (
        "ResourceNotFoundException",
        "Secrets Manager can't find the resource policy other for this secret.",
    )
    assert answer(client.describe_secret(SecretId="s")) == before
    assert answer(client.get_resource_policy(SecretId="s", PolicyName="default")) == {
        "ARN": arn,
        "Name": "s",
        "ResourcePolicy": PRIVATE,
    }
    client.delete_resource_policy(SecretId="s", PolicyName="default")
    assert answer(client.list_resource_policies(SecretId="s")) == {"ResourcePolicies": []}


def test_a_new_policy_replaces_the_old_one(client: Any) -> None:
    client.create_secret(Name="s")
    client.put_resource_policy(SecretId="s", ResourcePolicy=PUBLIC_POLICY)
    client.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)
    assert client.get_resource_policy(SecretId="s")["ResourcePolicy"] == PRIVATE


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", SYNTAX),
        ("[]", SYNTAX),
        (json.dumps({"Version": "2012-10-17"}), SYNTAX),
        (json.dumps({"Version": "2001-01-01", "Statement": []}), SYNTAX),
        (
            json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Principal": "*"}]}
            ),
            SYNTAX,
        ),
        (policy({"Robot": "r2d2"}), PRINCIPAL),
        (policy("someone"), PRINCIPAL),
    ],
)
def test_a_malformed_policy_is_refused_and_nothing_is_saved(
    client: Any, document: str, message: str
) -> None:
    client.create_secret(Name="s")
    client.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)
    assert error_of(client.put_resource_policy, SecretId="s", ResourcePolicy=document) == (
        "MalformedPolicyDocumentException",
        message,
    )
    assert client.get_resource_policy(SecretId="s")["ResourcePolicy"] == PRIVATE


def test_block_public_policy_refuses_a_public_policy(client: Any) -> None:
    client.create_secret(Name="s")
    client.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE, BlockPublicPolicy=True)
    assert error_of(
        client.put_resource_policy,
        SecretId="s",
        ResourcePolicy=PUBLIC_POLICY,
        BlockPublicPolicy=True,
    ) == ("PublicPolicyException", PUBLIC)
    assert client.get_resource_policy(SecretId="s")["ResourcePolicy"] == PRIVATE
    # Without the flag AWS accepts a "*" principal.
    client.put_resource_policy(SecretId="s", ResourcePolicy=PUBLIC_POLICY)
    assert client.get_resource_policy(SecretId="s")["ResourcePolicy"] == PUBLIC_POLICY


def test_a_wildcard_principal_limited_to_an_account_is_not_public(client: Any) -> None:
    client.create_secret(Name="s")
    limited = policy("*", {"StringEquals": {"aws:PrincipalAccount": "123456789012"}})
    client.put_resource_policy(SecretId="s", ResourcePolicy=limited, BlockPublicPolicy=True)
    assert client.get_resource_policy(SecretId="s")["ResourcePolicy"] == limited


def test_the_policy_length_limit_comes_from_the_model(client: Any) -> None:
    client.create_secret(Name="s")
    document = PRIVATE + " " * (20481 - len(PRIVATE))
    assert error_of(client.put_resource_policy, SecretId="s", ResourcePolicy=document) == (
        "ValidationException",
        f"1 validation error detected: Value '{document}' at 'resourcePolicy' failed to satisfy "
        "constraint: Member must have length less than or equal to 20480",
    )


def test_policy_operations_bump_last_changed_date(client: Any, frozen: Any) -> None:
    client.create_secret(Name="s")
    frozen.tick(60)
    client.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)
    changed = client.describe_secret(SecretId="s")["LastChangedDate"]
    assert changed == T0 + datetime.timedelta(seconds=60)
    frozen.tick(60)
    client.get_resource_policy(SecretId="s")
    assert client.describe_secret(SecretId="s")["LastChangedDate"] == changed
    client.delete_resource_policy(SecretId="s")
    assert client.describe_secret(SecretId="s")["LastChangedDate"] == T0 + datetime.timedelta(
        seconds=120
    )


# -- ValidateResourcePolicy ---------------------------------------------------------------------


def test_validate_a_passing_policy(client: Any) -> None:
    assert answer(client.validate_resource_policy(ResourcePolicy=PRIVATE)) == {
        "PolicyValidationPassed": True,
        "ValidationErrors": [],
    }


def test_validate_reports_syntax_and_public_access_findings(client: Any) -> None:
    assert answer(client.validate_resource_policy(ResourcePolicy="{not json")) == {
        "PolicyValidationPassed": False,
        "ValidationErrors": [{"CheckName": "SYNTAX_CHECK", "ErrorMessage": SYNTAX}],
    }
    assert answer(client.validate_resource_policy(ResourcePolicy=policy({"Robot": "x"}))) == {
        "PolicyValidationPassed": False,
        "ValidationErrors": [{"CheckName": "SYNTAX_CHECK", "ErrorMessage": PRINCIPAL}],
    }
    assert answer(client.validate_resource_policy(ResourcePolicy=PUBLIC_POLICY)) == {
        "PolicyValidationPassed": False,
        "ValidationErrors": [{"CheckName": "PUBLIC_ACCESS_CHECK", "ErrorMessage": PUBLIC}],
    }


def test_validate_with_a_secret_id(client: Any, backend: SecretsBackend) -> None:
    client.create_secret(Name="s")
    assert client.validate_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)[
        "PolicyValidationPassed"
    ]
    # Validation attaches nothing.
    assert backend.get_secret("s").resource_policy is None
    assert error_of(
        client.validate_resource_policy, SecretId="missing", ResourcePolicy=PRIVATE
    ) == ("ResourceNotFoundException", NOT_FOUND)


def test_a_tag_without_a_key_is_refused(client: Any) -> None:
    # The model lets Key be absent (min length applies only when present); decision
    # (unconfirmed): refused rather than stored under "".
    client.create_secret(Name="s", Tags=[{"Key": "k", "Value": "v"}])
    message = "You must specify a Key for every tag."
    assert error_of(client.tag_resource, SecretId="s", Tags=[{"Value": "v"}]) == (
        "InvalidParameterException",
        message,
    )
    assert tags_of(client) == [{"Key": "k", "Value": "v"}]
    assert error_of(client.create_secret, Name="t", Tags=[{"Value": "v"}]) == (
        "InvalidParameterException",
        message,
    )


def test_a_tag_without_a_value_has_an_empty_value(client: Any) -> None:
    client.create_secret(Name="s")
    client.tag_resource(SecretId="s", Tags=[{"Key": "flag"}])
    assert tags_of(client) == [{"Key": "flag", "Value": ""}]
