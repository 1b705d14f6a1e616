"""Multi-Region replication through real boto3 clients in two regions.

Replicas live in the other region's backend: readable there, refusing writes, following
the primary's changes, deleted at once when their region is removed and promoted to
standalone secrets by StopReplicationToReplica.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from smmock.backend import SecretsBackend

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)  # the `frozen` fixture
NOT_PRIMARY = (
    "Operation not permitted on a replica secret. Call must be made in primary secret's region."
)
NOT_FOUND = "Secrets Manager can't find the specified secret."
IN_SYNC = {"Region": "eu-west-1", "Status": "InSync", "StatusMessage": "Replication succeeded"}
CLASH = "Replication failed: Secret name already exists in destination region."
OLD = "00000000-0000-4000-8000-000000000001"
POLICY = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": '
    '{"AWS": "arn:aws:iam::123456789012:root"}, "Action": "secretsmanager:GetSecretValue", '
    '"Resource": "*"}]}'
)


@pytest.fixture
def eu(backend: SecretsBackend) -> Any:
    return boto3.client("secretsmanager", region_name="eu-west-1")


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    error = info.value.response["Error"]
    return error["Code"], error["Message"]


def answer(response: dict[str, Any]) -> dict[str, Any]:
    response.pop("ResponseMetadata")
    return response


def seed(client: Any) -> str:
    arn: str = client.create_secret(
        Name="db",
        SecretString="primary value",
        Description="the database",
        Tags=[{"Key": "team", "Value": "data"}],
        ClientRequestToken=OLD,
    )["ARN"]
    return arn


def replicate(client: Any, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("AddReplicaRegions", [{"Region": "eu-west-1"}])
    return answer(client.replicate_secret_to_regions(SecretId="db", **kwargs))


# -- the replica ----------------------------------------------------------------------------------


def test_replicate_answers_the_primary_arn_and_an_in_sync_status(client: Any) -> None:
    arn = seed(client)
    assert replicate(client) == {"ARN": arn, "ReplicationStatus": [IN_SYNC]}


def test_the_replica_has_the_primary_arn_with_the_region_swapped(
    client: Any, eu: Any, frozen: Any
) -> None:
    arn = seed(client)
    frozen.tick(60)
    replicate(client)
    replica_arn = arn.replace(":us-east-1:", ":eu-west-1:")
    assert answer(eu.describe_secret(SecretId="db")) == {
        "ARN": replica_arn,
        "Name": "db",
        "Description": "the database",
        "Tags": [{"Key": "team", "Value": "data"}],
        "VersionIdsToStages": {OLD: ["AWSCURRENT"]},
        "LastChangedDate": T0 + datetime.timedelta(seconds=60),
        "CreatedDate": T0 + datetime.timedelta(seconds=60),
        "PrimaryRegion": "us-east-1",
    }
    value = eu.get_secret_value(SecretId="db")
    assert (value["ARN"], value["VersionId"], value["SecretString"]) == (
        replica_arn,
        OLD,
        "primary value",
    )
    # Found by its own full ARN in its region, too.
    assert eu.get_secret_value(SecretId=replica_arn)["SecretString"] == "primary value"


def test_the_primary_shows_its_replicas(client: Any, frozen: Any) -> None:
    arn = seed(client)
    frozen.tick(60)
    replicate(client, AddReplicaRegions=[{"Region": "eu-west-1", "KmsKeyId": "alias/eu-key"}])
    described = answer(client.describe_secret(SecretId="db"))
    assert described["PrimaryRegion"] == "us-east-1"
    assert described["ReplicationStatus"] == [
        {
            "Region": "eu-west-1",
            "KmsKeyId": "alias/eu-key",
            "Status": "InSync",
            "StatusMessage": "Replication succeeded",
        }
    ]
    assert described["LastChangedDate"] == T0 + datetime.timedelta(seconds=60)
    assert described["ARN"] == arn
    # ListSecrets entries carry PrimaryRegion but never ReplicationStatus (model).
    [listed] = client.list_secrets()["SecretList"]
    assert listed["PrimaryRegion"] == "us-east-1"
    assert "ReplicationStatus" not in listed


def test_reading_a_replica_shows_in_the_primarys_replication_status(
    client: Any, eu: Any, frozen: Any
) -> None:
    seed(client)
    replicate(client, AddReplicaRegions=[{"Region": "eu-west-1"}, {"Region": "ap-south-1"}])
    frozen.tick(datetime.timedelta(days=1))
    assert eu.get_secret_value(SecretId="db")["SecretString"] == "primary value"
    midnight = datetime.datetime(2024, 3, 11, tzinfo=UTC)
    statuses = client.describe_secret(SecretId="db")["ReplicationStatus"]
    assert [(s["Region"], s.get("LastAccessedDate")) for s in statuses] == [
        ("eu-west-1", midnight),
        ("ap-south-1", None),
    ]
    # Reading the primary itself is no replica access.
    frozen.tick(datetime.timedelta(days=1))
    client.get_secret_value(SecretId="db")
    statuses = client.describe_secret(SecretId="db")["ReplicationStatus"]
    assert statuses[0]["LastAccessedDate"] == midnight
    assert client.describe_secret(SecretId="db")["LastAccessedDate"] == midnight + (
        datetime.timedelta(days=1)
    )


def test_the_replica_uses_its_own_kms_key(client: Any, eu: Any) -> None:
    seed(client)
    replicate(client, AddReplicaRegions=[{"Region": "eu-west-1", "KmsKeyId": "alias/eu-key"}])
    assert eu.describe_secret(SecretId="db")["KmsKeyId"] == "alias/eu-key"
    assert "KmsKeyId" not in client.describe_secret(SecretId="db")


def test_list_secrets_in_the_replica_region(client: Any, eu: Any) -> None:
    arn = seed(client)
    replicate(client)
    eu.create_secret(Name="local", SecretString="x")
    listed = eu.list_secrets()["SecretList"]
    assert [(s["Name"], s.get("PrimaryRegion")) for s in listed] == [
        ("db", "us-east-1"),
        ("local", None),
    ]
    assert listed[0]["ARN"] == arn.replace(":us-east-1:", ":eu-west-1:")
    by_region = eu.list_secrets(Filters=[{"Key": "primary-region", "Values": ["us-east"]}])
    assert [s["Name"] for s in by_region["SecretList"]] == ["db"]
    # The primary region's listing is unchanged.
    assert [s["Name"] for s in client.list_secrets()["SecretList"]] == ["db"]


def test_changes_on_the_primary_reach_the_replica(client: Any, eu: Any) -> None:
    seed(client)
    replicate(client)
    new = client.put_secret_value(SecretId="db", SecretString="rotated by hand")["VersionId"]
    value = eu.get_secret_value(SecretId="db")
    assert (value["VersionId"], value["SecretString"]) == (new, "rotated by hand")
    assert eu.get_secret_value(SecretId="db", VersionStage="AWSPREVIOUS")["VersionId"] == OLD
    assert eu.describe_secret(SecretId="db")["VersionIdsToStages"] == {
        OLD: ["AWSPREVIOUS"],
        new: ["AWSCURRENT"],
    }


def test_tags_reach_the_replica(client: Any, eu: Any) -> None:
    seed(client)
    replicate(client)
    client.tag_resource(SecretId="db", Tags=[{"Key": "tier", "Value": "1"}])
    assert eu.describe_secret(SecretId="db")["Tags"] == [
        {"Key": "team", "Value": "data"},
        {"Key": "tier", "Value": "1"},
    ]
    client.untag_resource(SecretId="db", TagKeys=["team", "tier"])
    assert eu.describe_secret(SecretId="db")["Tags"] == []


def test_the_resource_policy_reaches_the_replica(client: Any, eu: Any) -> None:
    # AWS user guide: replication copies "metadata such as tags and resource policies".
    seed(client)
    client.put_resource_policy(SecretId="db", ResourcePolicy=POLICY)
    replicate(client)
    assert eu.get_resource_policy(SecretId="db")["ResourcePolicy"] == POLICY
    second = POLICY.replace("123456789012:root", "123456789012:role/app")
    client.put_resource_policy(SecretId="db", ResourcePolicy=second)
    assert eu.get_resource_policy(SecretId="db")["ResourcePolicy"] == second
    assert eu.list_resource_policies(SecretId="db")["ResourcePolicies"] == [
        {"PolicyName": "default"}
    ]
    client.delete_resource_policy(SecretId="db")
    assert "ResourcePolicy" not in eu.get_resource_policy(SecretId="db")


# -- writes to a replica ------------------------------------------------------------------------

WRITES: list[tuple[str, dict[str, Any]]] = [
    ("put_secret_value", {"SecretString": "x"}),
    ("update_secret", {"Description": "x"}),
    ("update_secret", {"SecretString": "x"}),
    ("update_secret_version_stage", {"VersionStage": "MINE", "MoveToVersionId": OLD}),
    ("tag_resource", {"Tags": [{"Key": "k", "Value": "v"}]}),
    ("untag_resource", {"TagKeys": ["team"]}),
    ("put_resource_policy", {"ResourcePolicy": '{"Statement": []}'}),
    ("delete_resource_policy", {}),
    ("rotate_secret", {"RotationLambdaARN": "arn:aws:lambda:eu-west-1:123456789012:function:f"}),
    ("cancel_rotate_secret", {}),
    ("replicate_secret_to_regions", {"AddReplicaRegions": [{"Region": "eu-west-2"}]}),
    ("remove_regions_from_replication", {"RemoveReplicaRegions": ["eu-west-1"]}),
]


@pytest.mark.parametrize(("operation", "params"), WRITES, ids=[w[0] for w in WRITES])
def test_writes_to_a_replica_are_refused_and_change_nothing(
    client: Any, eu: Any, operation: str, params: dict[str, Any]
) -> None:
    seed(client)
    replicate(client)
    before = answer(eu.describe_secret(SecretId="db"))
    primary = answer(client.describe_secret(SecretId="db"))
    assert error_of(getattr(eu, operation), SecretId="db", **params) == (
        "InvalidParameterException",
        NOT_PRIMARY,
    )
    assert answer(eu.describe_secret(SecretId="db")) == before
    assert answer(client.describe_secret(SecretId="db")) == primary


def test_a_replica_cannot_be_deleted(client: Any, eu: Any) -> None:
    seed(client)
    replicate(client)
    for params in ({}, {"RecoveryWindowInDays": 7}, {"ForceDeleteWithoutRecovery": True}):
        assert error_of(eu.delete_secret, SecretId="db", **params) == (
            "InvalidParameterException",
            NOT_PRIMARY,
        )
    assert eu.get_secret_value(SecretId="db")["SecretString"] == "primary value"


def test_a_primary_with_replicas_cannot_be_deleted(client: Any, eu: Any) -> None:
    arn = seed(client)
    replicate(client)
    client.replicate_secret_to_regions(SecretId="db", AddReplicaRegions=[{"Region": "us-east-2"}])
    for params in ({}, {"RecoveryWindowInDays": 7}, {"ForceDeleteWithoutRecovery": True}):
        assert error_of(client.delete_secret, SecretId="db", **params) == (
            "InvalidParameterException",
            f"You can't delete secret {arn} that still has replica regions [eu-west-1, us-east-2].",
        )
    assert "DeletedDate" not in client.describe_secret(SecretId="db")
    client.remove_regions_from_replication(SecretId="db", RemoveReplicaRegions=["eu-west-1"])
    assert error_of(client.delete_secret, SecretId="db") == (
        "InvalidParameterException",
        f"You can't delete secret {arn} that still has replica regions [us-east-2].",
    )
    client.remove_regions_from_replication(SecretId="db", RemoveReplicaRegions=["us-east-2"])
    client.delete_secret(SecretId="db", ForceDeleteWithoutRecovery=True)
    assert error_of(client.describe_secret, SecretId="db") == (
        "ResourceNotFoundException",
        NOT_FOUND,
    )


# -- name clashes ------------------------------------------------------------------------------


def test_a_name_taken_in_the_target_region_fails_that_replica(client: Any, eu: Any) -> None:
    arn = seed(client)
    eu.create_secret(Name="db", SecretString="eu's own")
    assert replicate(client) == {
        "ARN": arn,
        "ReplicationStatus": [{"Region": "eu-west-1", "Status": "Failed", "StatusMessage": CLASH}],
    }
    described = eu.describe_secret(SecretId="db")
    assert "PrimaryRegion" not in described
    assert eu.get_secret_value(SecretId="db")["SecretString"] == "eu's own"
    # The failed region stays listed on the primary until it is removed...
    assert client.describe_secret(SecretId="db")["ReplicationStatus"][0]["Status"] == "Failed"
    client.remove_regions_from_replication(SecretId="db", RemoveReplicaRegions=["eu-west-1"])
    # ...and removing it leaves the other region's own secret alone.
    assert eu.get_secret_value(SecretId="db")["SecretString"] == "eu's own"


def test_force_overwrite_replaces_the_secret_in_the_target_region(client: Any, eu: Any) -> None:
    arn = seed(client)
    eu.create_secret(Name="db", SecretString="eu's own")
    assert replicate(client, ForceOverwriteReplicaSecret=True) == {
        "ARN": arn,
        "ReplicationStatus": [IN_SYNC],
    }
    assert eu.get_secret_value(SecretId="db")["SecretString"] == "primary value"
    assert eu.describe_secret(SecretId="db")["PrimaryRegion"] == "us-east-1"


# -- RemoveRegionsFromReplication ------------------------------------------------------------


def test_removing_a_region_deletes_its_replica_at_once(client: Any, eu: Any) -> None:
    arn = seed(client)
    replicate(client)
    removed = client.remove_regions_from_replication(
        SecretId="db", RemoveReplicaRegions=["eu-west-1"]
    )
    assert answer(removed) == {"ARN": arn, "ReplicationStatus": []}
    assert error_of(eu.get_secret_value, SecretId="db") == ("ResourceNotFoundException", NOT_FOUND)
    described = client.describe_secret(SecretId="db")
    assert "PrimaryRegion" not in described
    assert "ReplicationStatus" not in described
    # No recovery window: the name is free in that region at once.
    assert eu.create_secret(Name="db", SecretString="new")["Name"] == "db"


def test_removing_one_of_two_regions(client: Any) -> None:
    arn = seed(client)
    replicate(client, AddReplicaRegions=[{"Region": "eu-west-1"}, {"Region": "ap-south-1"}])
    removed = client.remove_regions_from_replication(
        SecretId="db", RemoveReplicaRegions=["ap-south-1"]
    )
    assert answer(removed) == {"ARN": arn, "ReplicationStatus": [IN_SYNC]}
    assert client.describe_secret(SecretId="db")["PrimaryRegion"] == "us-east-1"


# -- StopReplicationToReplica --------------------------------------------------------------------


def test_stop_replication_promotes_the_replica(client: Any, eu: Any) -> None:
    arn = seed(client)
    replicate(client)
    replica_arn = arn.replace(":us-east-1:", ":eu-west-1:")
    assert answer(eu.stop_replication_to_replica(SecretId="db")) == {"ARN": replica_arn}
    promoted = eu.describe_secret(SecretId="db")
    assert promoted["ARN"] == replica_arn
    assert "PrimaryRegion" not in promoted
    primary = client.describe_secret(SecretId="db")
    assert "PrimaryRegion" not in primary
    assert "ReplicationStatus" not in primary
    # Writable now, and independent of the former primary in both directions.
    eu.put_secret_value(SecretId="db", SecretString="eu only")
    client.put_secret_value(SecretId="db", SecretString="us only")
    assert eu.get_secret_value(SecretId="db")["SecretString"] == "eu only"
    assert client.get_secret_value(SecretId="db")["SecretString"] == "us only"
    eu.tag_resource(SecretId="db", Tags=[{"Key": "eu", "Value": "1"}])
    assert client.describe_secret(SecretId="db")["Tags"] == [{"Key": "team", "Value": "data"}]
    # The former primary can be deleted now.
    client.delete_secret(SecretId="db", ForceDeleteWithoutRecovery=True)
    assert eu.get_secret_value(SecretId="db")["SecretString"] == "eu only"


def test_stop_replication_dates_both_sides(client: Any, eu: Any, frozen: Any) -> None:
    seed(client)
    replicate(client)
    frozen.tick(datetime.timedelta(hours=2))
    eu.stop_replication_to_replica(SecretId="db")
    later = T0 + datetime.timedelta(hours=2)
    assert eu.describe_secret(SecretId="db")["LastChangedDate"] == later
    # The primary's ReplicationStatus changed too.
    assert client.describe_secret(SecretId="db")["LastChangedDate"] == later


def test_stop_replication_on_a_primary_is_refused(client: Any) -> None:
    seed(client)
    replicate(client)
    assert error_of(client.stop_replication_to_replica, SecretId="db") == (
        "InvalidRequestException",
        "StopReplicationToReplica must be called on a replica secret, in its region.",
    )


# -- CreateSecret with AddReplicaRegions ------------------------------------------------------


def test_create_secret_with_replica_regions(client: Any, eu: Any, frozen: Any) -> None:
    created = answer(
        client.create_secret(
            Name="db",
            SecretString="v",
            ClientRequestToken=OLD,
            AddReplicaRegions=[{"Region": "eu-west-1"}],
        )
    )
    assert created == {
        "ARN": created["ARN"],
        "Name": "db",
        "VersionId": OLD,
        "ReplicationStatus": [IN_SYNC],
    }
    assert eu.get_secret_value(SecretId="db")["SecretString"] == "v"
    assert eu.describe_secret(SecretId="db")["PrimaryRegion"] == "us-east-1"
    assert client.describe_secret(SecretId="db")["ReplicationStatus"] == [
        {**IN_SYNC, "LastAccessedDate": datetime.datetime(2024, 3, 10, tzinfo=UTC)}
    ]


def test_create_secret_with_a_bad_replica_region_creates_nothing(client: Any, eu: Any) -> None:
    assert error_of(
        client.create_secret,
        Name="db",
        SecretString="v",
        AddReplicaRegions=[{"Region": "us-east-1"}],
    ) == (
        "InvalidParameterException",
        "Invalid replica region us-east-1: it must differ from the primary's region and "
        "appear once.",
    )
    assert error_of(client.describe_secret, SecretId="db") == (
        "ResourceNotFoundException",
        NOT_FOUND,
    )


# -- bad requests ----------------------------------------------------------------------------


def test_bad_replica_regions(client: Any, backend: SecretsBackend) -> None:
    seed(client)
    before = answer(client.describe_secret(SecretId="db"))
    for regions, region in (
        ([{"Region": "us-east-1"}], "us-east-1"),
        ([{"Region": "eu-west-1"}, {"Region": "eu-west-1"}], "eu-west-1"),
    ):
        assert error_of(
            client.replicate_secret_to_regions, SecretId="db", AddReplicaRegions=regions
        ) == (
            "InvalidParameterException",
            f"Invalid replica region {region}: it must differ from the primary's region and "
            "appear once.",
        )
    assert answer(client.describe_secret(SecretId="db")) == before
    assert backend.secrets(region="eu-west-1") == []


def test_a_replica_region_entry_without_a_region(client: Any, backend: SecretsBackend) -> None:
    seed(client)
    before = answer(client.describe_secret(SecretId="db"))
    missing = (
        "InvalidParameterException",
        "Invalid replica region: every entry of AddReplicaRegions must name a Region.",
    )
    cases: list[list[dict[str, str]]] = [[{}], [{"Region": "eu-west-1"}, {"KmsKeyId": "alias/k"}]]
    for regions in cases:
        assert (
            error_of(client.replicate_secret_to_regions, SecretId="db", AddReplicaRegions=regions)
            == missing
        )
    assert error_of(client.create_secret, Name="db2", AddReplicaRegions=[{}]) == missing
    assert answer(client.describe_secret(SecretId="db")) == before
    assert [s.name for s in backend.secrets()] == ["db"]
    assert backend.secrets(region="eu-west-1") == []


@pytest.mark.parametrize("region", ["cn-north-1", "us-gov-west-1"])
def test_replicas_stay_in_the_primarys_partition(client: Any, region: str) -> None:
    seed(client)
    assert error_of(
        client.replicate_secret_to_regions, SecretId="db", AddReplicaRegions=[{"Region": region}]
    ) == (
        "InvalidParameterException",
        f"Invalid replica region {region}: a secret in us-east-1 can only be replicated to "
        "regions of the same partition.",
    )
    assert "ReplicationStatus" not in client.describe_secret(SecretId="db")


def test_a_region_already_replicated(client: Any) -> None:
    seed(client)
    replicate(client)
    assert error_of(
        client.replicate_secret_to_regions,
        SecretId="db",
        AddReplicaRegions=[{"Region": "ap-south-1"}, {"Region": "eu-west-1"}],
    ) == ("InvalidParameterException", "The secret is already replicated to region eu-west-1.")
    # Checked before anything is replicated.
    assert client.describe_secret(SecretId="db")["ReplicationStatus"] == [IN_SYNC]


def test_removing_a_region_that_is_not_replicated(client: Any) -> None:
    seed(client)
    replicate(client)
    assert error_of(
        client.remove_regions_from_replication,
        SecretId="db",
        RemoveReplicaRegions=["eu-west-1", "ap-south-1"],
    ) == ("InvalidParameterException", "The secret isn't replicated to region ap-south-1.")
    assert client.describe_secret(SecretId="db")["ReplicationStatus"] == [IN_SYNC]


def test_removing_a_region_twice_in_one_call_is_refused(client: Any, eu: Any) -> None:
    seed(client)
    replicate(client)
    assert error_of(
        client.remove_regions_from_replication,
        SecretId="db",
        RemoveReplicaRegions=["eu-west-1", "eu-west-1"],
    ) == ("InvalidParameterException", "Invalid replica region eu-west-1: it must appear once.")
    # Refused before anything changed.
    assert client.describe_secret(SecretId="db")["ReplicationStatus"] == [IN_SYNC]
    assert eu.get_secret_value(SecretId="db")["SecretString"] == "primary value"


def test_removing_a_region_keeps_another_primarys_replica(client: Any, eu: Any) -> None:
    # ap-south-1's "db" took over the name in eu-west-1 with ForceOverwriteReplicaSecret;
    # us-east-1 removing eu-west-1 must not delete that other primary's replica.
    seed(client)
    replicate(client)
    ap = boto3.client("secretsmanager", region_name="ap-south-1")
    ap.create_secret(Name="db", SecretString="from ap")
    ap.replicate_secret_to_regions(
        SecretId="db",
        AddReplicaRegions=[{"Region": "eu-west-1"}],
        ForceOverwriteReplicaSecret=True,
    )
    client.remove_regions_from_replication(SecretId="db", RemoveReplicaRegions=["eu-west-1"])
    assert eu.get_secret_value(SecretId="db")["SecretString"] == "from ap"
    assert eu.describe_secret(SecretId="db")["PrimaryRegion"] == "ap-south-1"
    assert "ReplicationStatus" not in client.describe_secret(SecretId="db")


def test_a_region_name_outside_the_models_pattern(backend: SecretsBackend) -> None:
    client = boto3.client(
        "secretsmanager", region_name="us-east-1", config=Config(parameter_validation=False)
    )
    seed(client)
    assert error_of(
        client.replicate_secret_to_regions,
        SecretId="db",
        AddReplicaRegions=[{"Region": "Mars_1"}],
    ) == (
        "ValidationException",
        "1 validation error detected: Value 'Mars_1' at 'addReplicaRegions.1.member.region' "
        "failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "^([a-z]+-)+\\d+$",
    )


def test_replication_of_unknown_and_scheduled_secrets(client: Any) -> None:
    assert error_of(
        client.replicate_secret_to_regions,
        SecretId="missing",
        AddReplicaRegions=[{"Region": "eu-west-1"}],
    ) == ("ResourceNotFoundException", NOT_FOUND)
    seed(client)
    client.delete_secret(SecretId="db")
    assert error_of(
        client.replicate_secret_to_regions,
        SecretId="db",
        AddReplicaRegions=[{"Region": "eu-west-1"}],
    ) == (
        "InvalidRequestException",
        "You can't perform this operation on the secret because it was marked for deletion.",
    )


def test_an_updated_description_reaches_the_replica(client: Any, eu: Any) -> None:
    seed(client)
    replicate(client)
    client.update_secret(SecretId="db", Description="moved")
    assert eu.describe_secret(SecretId="db")["Description"] == "moved"
    client.update_secret(SecretId="db", Description="")
    assert "Description" not in eu.describe_secret(SecretId="db")


def test_a_create_retry_with_replica_regions_changes_nothing(
    client: Any, eu: Any, backend: SecretsBackend
) -> None:
    token = "1" * 32
    client.create_secret(Name="once", SecretString="v", ClientRequestToken=token)
    retried = client.create_secret(
        Name="once",
        SecretString="v",
        ClientRequestToken=token,
        AddReplicaRegions=[{"Region": "eu-west-1"}],
    )
    assert "ReplicationStatus" not in retried
    assert "ReplicationStatus" not in client.describe_secret(SecretId="once")
    assert "PrimaryRegion" not in client.describe_secret(SecretId="once")
    assert backend.secrets(region="eu-west-1") == []
