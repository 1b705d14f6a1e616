"""Cross-account replication: CreateSecret with CrossAccountPrimaryARN, Associate,
Disassociate, and StopReplicationToReplica on the replica."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from smmock import SecretsBackend, mock_secrets

PRIMARY_ACCOUNT = "111111111111"
REPLICA_ACCOUNT = "222222222222"
NOT_PRIMARY = (
    "Operation not permitted on a replica secret. Call must be made in primary secret's region."
)


@pytest.fixture
def sm() -> Iterator[tuple[Any, SecretsBackend]]:
    with mock_secrets(account_id=PRIMARY_ACCOUNT) as backend:
        yield boto3.client("secretsmanager", region_name="us-east-1"), backend


def error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def as_replica_account() -> Any:
    # Requests are served for the account of the innermost active mock.
    return mock_secrets(account_id=REPLICA_ACCOUNT)


def make_pair(client: Any) -> tuple[str, str]:
    primary = client.create_secret(Name="primary", SecretString="v1")["ARN"]
    with as_replica_account():
        replica = client.create_secret(
            Name="replica", CrossAccountPrimaryARN=primary, KmsKeyId="alias/replica-key"
        )
    assert "VersionId" not in replica
    return primary, replica["ARN"]


def test_replica_starts_pending_without_versions(sm: tuple[Any, SecretsBackend]) -> None:
    client, _ = sm
    primary, replica = make_pair(client)
    with as_replica_account():
        described = client.describe_secret(SecretId=replica)
        assert described["CrossAccountPrimary"] == {
            "PrimarySecretARN": primary,
            "ReplicationStatus": "Pending",
        }
        assert "VersionIdsToStages" not in described
        with pytest.raises(ClientError) as caught:
            client.get_secret_value(SecretId=replica)
    assert error(caught) == (
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    )


def test_associate_shares_values_and_refuses_replica_writes(
    sm: tuple[Any, SecretsBackend],
) -> None:
    client, _ = sm
    primary, replica = make_pair(client)
    answer = client.associate_cross_account_replica(
        SecretId="primary", CrossAccountReplicaARN=replica
    )
    assert (answer["ARN"], answer["CrossAccountReplicaARN"], answer["ReplicationStatus"]) == (
        primary,
        replica,
        "InSync",
    )
    assert client.describe_secret(SecretId="primary")["CrossAccountReplicas"] == [
        {"ReplicaSecretARN": replica, "ReplicationStatus": "InSync"}
    ]
    version = client.put_secret_value(SecretId="primary", SecretString="v2")["VersionId"]
    with as_replica_account():
        read = client.get_secret_value(SecretId=replica)
        assert (read["SecretString"], read["VersionId"]) == ("v2", version)
        with pytest.raises(ClientError) as caught:
            client.put_secret_value(SecretId=replica, SecretString="mine")
    assert error(caught) == ("InvalidParameterException", NOT_PRIMARY)
    # Idempotent: associating the same replica again is a repair, not an error.
    client.associate_cross_account_replica(SecretId="primary", CrossAccountReplicaARN=replica)


def test_primary_with_a_cross_account_replica_cannot_be_deleted(
    sm: tuple[Any, SecretsBackend],
) -> None:
    client, _ = sm
    primary, replica = make_pair(client)
    client.associate_cross_account_replica(SecretId="primary", CrossAccountReplicaARN=replica)
    with pytest.raises(ClientError) as caught:
        client.delete_secret(SecretId="primary")
    assert error(caught) == (
        "InvalidParameterException",
        f"You can't delete secret {primary} that still has replica regions [us-east-1].",
    )


def test_disassociate_detaches_then_stop_replication_promotes(
    sm: tuple[Any, SecretsBackend],
) -> None:
    client, _ = sm
    primary, replica = make_pair(client)
    client.associate_cross_account_replica(SecretId="primary", CrossAccountReplicaARN=replica)
    assert (
        client.disassociate_cross_account_replica(
            SecretId="primary", CrossAccountReplicaARN=replica
        )["CrossAccountReplicaARN"]
        == replica
    )
    client.put_secret_value(SecretId="primary", SecretString="v3")
    assert "CrossAccountReplicas" not in client.describe_secret(SecretId="primary")
    with as_replica_account():
        assert client.get_secret_value(SecretId=replica)["SecretString"] == "v1"
        assert client.describe_secret(SecretId=replica)["CrossAccountPrimary"] == {
            "PrimarySecretARN": primary,
            "ReplicationStatus": "Detached",
        }
        assert client.stop_replication_to_replica(SecretId=replica)["ARN"] == replica
        client.put_secret_value(SecretId=replica, SecretString="standalone")
        assert client.get_secret_value(SecretId=replica)["SecretString"] == "standalone"
        assert "CrossAccountPrimary" not in client.describe_secret(SecretId=replica)
    assert client.get_secret_value(SecretId="primary")["SecretString"] == "v3"
    client.delete_secret(SecretId="primary", ForceDeleteWithoutRecovery=True)


def test_stop_replication_while_in_sync_unlinks_the_primary(
    sm: tuple[Any, SecretsBackend],
) -> None:
    client, _ = sm
    _, replica = make_pair(client)
    client.associate_cross_account_replica(SecretId="primary", CrossAccountReplicaARN=replica)
    with as_replica_account():
        client.stop_replication_to_replica(SecretId=replica)
    client.put_secret_value(SecretId="primary", SecretString="v2")
    assert "CrossAccountReplicas" not in client.describe_secret(SecretId="primary")
    with as_replica_account():
        assert client.get_secret_value(SecretId=replica)["SecretString"] == "v1"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"SecretString": "v", "Description": "d"},
            "You can't specify SecretString, Description when you create a cross-account "
            "replica secret.",
        ),
        (
            {"KmsKeyId": None},
            "A cross-account replica secret needs a customer managed KMS key in KmsKeyId.",
        ),
    ],
)
def test_replica_creation_rules(
    sm: tuple[Any, SecretsBackend], extra: dict[str, Any], message: str
) -> None:
    client, backend = sm
    primary = client.create_secret(Name="primary", SecretString="v1")["ARN"]
    params = {"Name": "replica", "CrossAccountPrimaryARN": primary, "KmsKeyId": "alias/k"}
    params.update(extra)
    with as_replica_account():
        with pytest.raises(ClientError) as caught:
            client.create_secret(**{k: v for k, v in params.items() if v is not None})
        assert backend.secrets(account_id=REPLICA_ACCOUNT) == []
    assert error(caught) == ("InvalidParameterException", message)


def test_primary_must_be_in_another_account_and_same_region(
    sm: tuple[Any, SecretsBackend],
) -> None:
    client, _ = sm
    primary = client.create_secret(Name="primary", SecretString="v1")["ARN"]
    with pytest.raises(ClientError) as same_account:
        client.create_secret(Name="r", CrossAccountPrimaryARN=primary, KmsKeyId="alias/k")
    other_region = primary.replace("us-east-1", "eu-west-1")
    with as_replica_account(), pytest.raises(ClientError) as other:
        client.create_secret(Name="r", CrossAccountPrimaryARN=other_region, KmsKeyId="alias/k")
    expected = (
        "InvalidParameterException",
        "The primary secret must be in the same Region as the replica and in another account.",
    )
    assert error(same_account) == expected
    assert error(other) == expected


def test_associate_refuses_a_replica_made_for_another_primary(
    sm: tuple[Any, SecretsBackend],
) -> None:
    client, _ = sm
    _, replica = make_pair(client)
    client.create_secret(Name="other", SecretString="o")
    with pytest.raises(ClientError) as caught:
        client.associate_cross_account_replica(SecretId="other", CrossAccountReplicaARN=replica)
    assert error(caught) == (
        "InvalidRequestException",
        "The replica secret was not created with this secret as its CrossAccountPrimaryARN.",
    )
    missing = replica.replace("replica-", "absent-")
    with pytest.raises(ClientError) as not_found:
        client.associate_cross_account_replica(SecretId="primary", CrossAccountReplicaARN=missing)
    assert error(not_found) == (
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.",
    )


def test_at_most_one_cross_account_replica(sm: tuple[Any, SecretsBackend]) -> None:
    client, _ = sm
    primary, first = make_pair(client)
    with as_replica_account():
        second = client.create_secret(
            Name="second", CrossAccountPrimaryARN=primary, KmsKeyId="alias/k"
        )["ARN"]
    client.associate_cross_account_replica(SecretId="primary", CrossAccountReplicaARN=first)
    with pytest.raises(ClientError) as caught:
        client.associate_cross_account_replica(SecretId="primary", CrossAccountReplicaARN=second)
    assert error(caught) == (
        "LimitExceededException",
        "A primary secret can have at most one cross-account replica.",
    )


def test_disassociate_unknown_replica(sm: tuple[Any, SecretsBackend]) -> None:
    client, _ = sm
    _, replica = make_pair(client)
    with pytest.raises(ClientError) as caught:
        client.disassociate_cross_account_replica(
            SecretId="primary", CrossAccountReplicaARN=replica
        )
    assert error(caught) == (
        "InvalidParameterException",
        f"The secret has no cross-account replica {replica}.",
    )
