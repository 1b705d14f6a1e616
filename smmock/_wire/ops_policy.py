"""Resource policies: put, get, delete, list and validate."""

from __future__ import annotations

from smmock._service import metadata as _metadata
from smmock._service import replication as _replication
from smmock._service.policy import validation_findings
from smmock._wire.context import (
    Context,
    Operation,
    Params,
    Result,
    active_secret,
    writable_secret,
)

__all__ = ["OPERATIONS"]


def put_resource_policy(ctx: Context, p: Params) -> Result:
    secret = writable_secret(ctx, p)
    _metadata.put_resource_policy(
        secret, p["ResourcePolicy"], bool(p.get("BlockPublicPolicy", False))
    )
    # Resource policies replicate like tags (AWS user guide, replication).
    _replication.sync_metadata(ctx.regions(secret.account_id), secret)
    return {"ARN": secret.arn, "Name": secret.name}


def get_resource_policy(ctx: Context, p: Params) -> Result:
    secret = active_secret(ctx, p)
    out: Result = {"ARN": secret.arn, "Name": secret.name}
    if secret.resource_policy is not None:
        out["ResourcePolicy"] = secret.resource_policy
    return out


def delete_resource_policy(ctx: Context, p: Params) -> Result:
    secret = writable_secret(ctx, p)
    _metadata.delete_resource_policy(secret)
    _replication.sync_metadata(ctx.regions(secret.account_id), secret)
    return {"ARN": secret.arn, "Name": secret.name}


def list_resource_policies(ctx: Context, p: Params) -> Result:
    secret = active_secret(ctx, p)
    return {"ResourcePolicies": [{"PolicyName": n} for n in _metadata.policy_names(secret)]}


def validate_resource_policy(ctx: Context, p: Params) -> Result:
    secret_id = p.get("SecretId")
    if secret_id is not None:
        ctx.store(secret_id).get(secret_id)
    findings = validation_findings(p["ResourcePolicy"])
    return {"PolicyValidationPassed": not findings, "ValidationErrors": findings}


OPERATIONS: dict[str, Operation] = {
    "DeleteResourcePolicy": delete_resource_policy,
    "GetResourcePolicy": get_resource_policy,
    "ListResourcePolicies": list_resource_policies,
    "PutResourcePolicy": put_resource_policy,
    "ValidateResourcePolicy": validate_resource_policy,
}
