"""Describing, listing, tagging, deleting and restoring secrets."""

from __future__ import annotations

from smmock._clock import to_epoch
from smmock._service import metadata as _metadata
from smmock._service import replication as _replication
from smmock._wire.context import (
    Context,
    Operation,
    Params,
    Result,
    arn_and_name,
    describe,
    writable_secret,
)

__all__ = ["OPERATIONS"]


def describe_secret(ctx: Context, p: Params) -> Result:
    secret_id = p["SecretId"]
    return describe(ctx.store(secret_id).get(secret_id))


def list_secrets(ctx: Context, p: Params) -> Result:
    secrets, token = ctx.store().list_secrets(
        include_planned_deletion=bool(p.get("IncludePlannedDeletion", False)),
        max_results=p.get("MaxResults"),
        next_token=p.get("NextToken"),
        filters=p.get("Filters"),
        sort_order=p.get("SortOrder"),
        sort_by=p.get("SortBy"),
    )
    out: Result = {"SecretList": [describe(s, listing=True) for s in secrets]}
    if token is not None:
        out["NextToken"] = token
    return out


def tag_resource(ctx: Context, p: Params) -> Result:
    secret = writable_secret(ctx, p)
    _metadata.tag_resource(secret, [(t.get("Key", ""), t.get("Value", "")) for t in p["Tags"]])
    _replication.sync_metadata(ctx.regions(secret.account_id), secret)
    return {}


def untag_resource(ctx: Context, p: Params) -> Result:
    secret = writable_secret(ctx, p)
    _metadata.untag_resource(secret, p["TagKeys"])
    _replication.sync_metadata(ctx.regions(secret.account_id), secret)
    return {}


def delete_secret(ctx: Context, p: Params) -> Result:
    secret_id = p["SecretId"]
    arn, name, deletion_date = ctx.store(secret_id).delete_secret(
        secret_id,
        recovery_window_in_days=p.get("RecoveryWindowInDays"),
        force_delete_without_recovery=bool(p.get("ForceDeleteWithoutRecovery", False)),
    )
    return {"ARN": arn, "Name": name, "DeletionDate": to_epoch(deletion_date)}


def restore_secret(ctx: Context, p: Params) -> Result:
    secret_id = p["SecretId"]
    return arn_and_name(ctx.store(secret_id).restore_secret(secret_id))


OPERATIONS: dict[str, Operation] = {
    "DeleteSecret": delete_secret,
    "DescribeSecret": describe_secret,
    "ListSecrets": list_secrets,
    "RestoreSecret": restore_secret,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
}
