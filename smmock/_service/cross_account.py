"""Cross-account replication: a primary in one account feeding a replica in another.

The replica is created first, in its own account and the primary's region, by
CreateSecret with ``CrossAccountPrimaryARN`` (status ``Pending``, no versions). The
primary's account then calls AssociateCrossAccountReplica: from then on the replica
shares the primary's versions and labels (``InSync``) and refuses writes. Disassociating
gives the replica its own copy of the versions (``Detached``); StopReplicationToReplica on
the replica makes it a standalone secret. A primary has at most one such replica.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from smmock._model import CrossAccountLink, Secret
from smmock._service.backend import RegionBackend, parse_arn
from smmock.exceptions import (
    InvalidParameterException,
    InvalidRequestException,
    LimitExceededException,
    ResourceNotFoundException,
)

__all__ = ["associate", "check_replica_request", "detach", "disassociate", "promote"]

# (region, account) -> that account's store in that region
StoreFor = Callable[[str, str], RegionBackend]


def check_replica_request(params: dict[str, Any], region: str, account_id: str) -> str:
    """CreateSecret with CrossAccountPrimaryARN: the rules AWS states; returns the ARN."""
    primary_arn: str = params["CrossAccountPrimaryARN"]
    forbidden = [
        member
        for member in ("SecretString", "SecretBinary", "Description", "AddReplicaRegions", "Type")
        if params.get(member) is not None
    ]
    if forbidden:
        raise InvalidParameterException(
            f"You can't specify {', '.join(forbidden)} when you create a cross-account "
            "replica secret."
        )
    if not params.get("KmsKeyId"):
        raise InvalidParameterException(
            "A cross-account replica secret needs a customer managed KMS key in KmsKeyId."
        )
    parsed = parse_arn(primary_arn)
    if parsed is None or not parsed[3]:
        raise InvalidParameterException(
            f"CrossAccountPrimaryARN {primary_arn} is not the full ARN of a secret."
        )
    if parsed[0] != region or parsed[1] == account_id:
        raise InvalidParameterException(
            "The primary secret must be in the same Region as the replica and in another account."
        )
    return primary_arn


def _replica(store_for: StoreFor, primary: Secret, replica_arn: str) -> Secret:
    parsed = parse_arn(replica_arn)
    if parsed is None or not parsed[3]:
        raise InvalidParameterException(
            f"CrossAccountReplicaARN {replica_arn} is not the full ARN of a secret."
        )
    region, account_id = parsed[0], parsed[1]
    if region != primary.region or account_id == primary.account_id:
        raise InvalidParameterException(
            "The replica secret must be in the primary's Region and in another account."
        )
    replica = store_for(region, account_id).find(replica_arn)
    if replica is None:
        raise ResourceNotFoundException("Secrets Manager can't find the specified secret.")
    return replica


def associate(
    store_for: StoreFor, primary: Secret, replica_arn: str, role_arn: str | None
) -> Secret:
    """AssociateCrossAccountReplica (idempotent for the same replica)."""
    if primary.is_replica:
        raise InvalidParameterException.not_primary()
    replica = _replica(store_for, primary, replica_arn)
    if replica.cross_account_primary_arn != primary.arn:
        raise InvalidRequestException(
            "The replica secret was not created with this secret as its CrossAccountPrimaryARN."
        )
    others = [arn for arn in primary.cross_account_replicas if arn != replica_arn]
    if others:
        raise LimitExceededException("A primary secret can have at most one cross-account replica.")
    primary.set_cross_account_link(CrossAccountLink(replica_arn, role_arn))
    # Shared, not copied: an associated replica holds exactly the primary's versions.
    replica.show_versions_of(primary)
    replica.cross_account_status = "InSync"
    return replica


def detach(replica: Secret) -> None:
    """Give a replica its own copy of the versions it shared with its primary."""
    replica.own_versions()


def disassociate(store_for: StoreFor, primary: Secret, replica_arn: str) -> None:
    """DisassociateCrossAccountReplica: stop replicating; the replica stays, Detached."""
    if replica_arn not in primary.cross_account_replicas:
        raise InvalidParameterException(f"The secret has no cross-account replica {replica_arn}.")
    primary.drop_cross_account_link(replica_arn)
    parsed = parse_arn(replica_arn)
    assert parsed is not None  # it was validated when it was associated
    replica = store_for(parsed[0], parsed[1]).find(replica_arn)
    if replica is not None and replica.cross_account_primary_arn == primary.arn:
        detach(replica)
        replica.cross_account_status = "Detached"


def promote(store_for: StoreFor, replica: Secret) -> None:
    """StopReplicationToReplica on a cross-account replica: make it standalone."""
    primary_arn = replica.cross_account_primary_arn
    assert primary_arn is not None
    parsed = parse_arn(primary_arn)
    primary = store_for(parsed[0], parsed[1]).find(primary_arn) if parsed is not None else None
    if primary is not None:
        primary.drop_cross_account_link(replica.arn)
    if replica.cross_account_status == "InSync":
        detach(replica)
    replica.cross_account_primary_arn = None
    replica.cross_account_status = None
