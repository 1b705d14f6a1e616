"""Replication to other regions and, across accounts, to a replica secret."""

from __future__ import annotations

from smmock._service import cross_account as _cross_account
from smmock._service import replication as _replication
from smmock._wire.context import (
    Context,
    Operation,
    Params,
    Result,
    accounts,
    active_secret,
    replication_status,
)

__all__ = ["OPERATIONS"]


def replicate_secret_to_regions(ctx: Context, p: Params) -> Result:
    secret = active_secret(ctx, p)
    _replication.replicate(
        ctx.regions(secret.account_id),
        secret,
        p["AddReplicaRegions"],
        force_overwrite=bool(p.get("ForceOverwriteReplicaSecret", False)),
    )
    return {"ARN": secret.arn, "ReplicationStatus": replication_status(secret)}


def remove_regions_from_replication(ctx: Context, p: Params) -> Result:
    secret = active_secret(ctx, p)
    _replication.remove_regions(ctx.regions(secret.account_id), secret, p["RemoveReplicaRegions"])
    return {"ARN": secret.arn, "ReplicationStatus": replication_status(secret)}


def stop_replication_to_replica(ctx: Context, p: Params) -> Result:
    secret = active_secret(ctx, p)
    if secret.cross_account_primary_arn is not None:
        _cross_account.promote(accounts(ctx), secret)
    else:
        _replication.promote(ctx.regions(secret.account_id), secret)
    return {"ARN": secret.arn}


def associate_cross_account_replica(ctx: Context, p: Params) -> Result:
    primary = active_secret(ctx, p)
    replica = _cross_account.associate(
        accounts(ctx), primary, p["CrossAccountReplicaARN"], p.get("ReplicationRoleARN")
    )
    return {
        "ARN": primary.arn,
        "CrossAccountReplicaARN": replica.arn,
        "ReplicationStatus": replica.cross_account_status,
    }


def disassociate_cross_account_replica(ctx: Context, p: Params) -> Result:
    primary = active_secret(ctx, p)
    _cross_account.disassociate(accounts(ctx), primary, p["CrossAccountReplicaARN"])
    return {"ARN": primary.arn, "CrossAccountReplicaARN": p["CrossAccountReplicaARN"]}


OPERATIONS: dict[str, Operation] = {
    "AssociateCrossAccountReplica": associate_cross_account_replica,
    "DisassociateCrossAccountReplica": disassociate_cross_account_replica,
    "RemoveRegionsFromReplication": remove_regions_from_replication,
    "ReplicateSecretToRegions": replicate_secret_to_regions,
    "StopReplicationToReplica": stop_replication_to_replica,
}
