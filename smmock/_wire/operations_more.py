"""The operations beyond the secret lifecycle: batch reads, tags, policies, passwords,
rotation and replication. Same contract as ``_operations``: wire params in, wire dict out.
"""

from __future__ import annotations

from smmock._model import Secret
from smmock._service import cross_account as _cross_account
from smmock._service import metadata as _metadata
from smmock._service import replication as _replication
from smmock._service.password import random_password
from smmock._service.policy import validation_findings
from smmock._service.rotation import cancel_rotate_secret, require_token
from smmock._wire.operations import (
    Context,
    Operation,
    Params,
    Result,
    get_secret_value,
    replication_status,
)
from smmock.exceptions import (
    InvalidParameterException,
    SecretsManagerError,
)

__all__ = ["OPERATIONS"]


def _active(ctx: Context, p: Params) -> Secret:
    # The secret SecretId names, refused while scheduled for deletion.
    secret_id = p["SecretId"]
    return ctx.store(secret_id).get_active(secret_id)


def _writable(ctx: Context, p: Params) -> Secret:
    # As _active, and not a replica: writes go to the primary.
    secret_id = p["SecretId"]
    return ctx.store(secret_id).writable(secret_id)


# -- BatchGetSecretValue -----------------------------------------------------------------------


def batch_get_secret_value(ctx: Context, p: Params) -> Result:
    ids = p.get("SecretIdList")
    filters = p.get("Filters")
    if (ids is None) == (filters is None):
        raise InvalidParameterException("Specify either SecretIdList or Filters, but not both.")
    if ids is not None and p.get("MaxResults") is not None:
        raise InvalidParameterException("MaxResults can be used only together with Filters.")
    values: list[Result] = []
    errors: list[Result] = []
    token = None
    if ids is None:
        secrets, token = ctx.store().list_secrets(
            max_results=p.get("MaxResults", 20),
            next_token=p.get("NextToken"),
            filters=filters,
            listing="BatchGetSecretValue",
        )
        ids = [s.arn for s in secrets]
    for secret_id in ids:
        try:
            entry = get_secret_value(ctx, {"SecretId": secret_id})
        except SecretsManagerError as error:
            errors.append(
                {"SecretId": secret_id, "ErrorCode": error.code, "Message": error.message}
            )
        else:
            values.append(entry)
    out: Result = {"SecretValues": values}
    if token is not None:
        out["NextToken"] = token
    out["Errors"] = errors
    return out


# -- tags and policies ---------------------------------------------------------------------------


def tag_resource(ctx: Context, p: Params) -> Result:
    secret = _writable(ctx, p)
    _metadata.tag_resource(secret, [(t.get("Key", ""), t.get("Value", "")) for t in p["Tags"]])
    _replication.sync_metadata(ctx.regions(secret.account_id), secret)
    return {}


def untag_resource(ctx: Context, p: Params) -> Result:
    secret = _writable(ctx, p)
    _metadata.untag_resource(secret, p["TagKeys"])
    _replication.sync_metadata(ctx.regions(secret.account_id), secret)
    return {}


def put_resource_policy(ctx: Context, p: Params) -> Result:
    secret = _writable(ctx, p)
    _metadata.put_resource_policy(
        secret, p["ResourcePolicy"], bool(p.get("BlockPublicPolicy", False))
    )
    # Resource policies replicate like tags (AWS user guide, replication).
    _replication.sync_metadata(ctx.regions(secret.account_id), secret)
    return {"ARN": secret.arn, "Name": secret.name}


def get_resource_policy(ctx: Context, p: Params) -> Result:
    secret = _active(ctx, p)
    out: Result = {"ARN": secret.arn, "Name": secret.name}
    if secret.resource_policy is not None:
        out["ResourcePolicy"] = secret.resource_policy
    return out


def delete_resource_policy(ctx: Context, p: Params) -> Result:
    secret = _writable(ctx, p)
    _metadata.delete_resource_policy(secret)
    _replication.sync_metadata(ctx.regions(secret.account_id), secret)
    return {"ARN": secret.arn, "Name": secret.name}


def list_resource_policies(ctx: Context, p: Params) -> Result:
    secret = _active(ctx, p)
    return {"ResourcePolicies": [{"PolicyName": n} for n in _metadata.policy_names(secret)]}


def validate_resource_policy(ctx: Context, p: Params) -> Result:
    secret_id = p.get("SecretId")
    if secret_id is not None:
        ctx.store(secret_id).get(secret_id)
    findings = validation_findings(p["ResourcePolicy"])
    return {"PolicyValidationPassed": not findings, "ValidationErrors": findings}


def get_random_password(ctx: Context, p: Params) -> Result:
    password = random_password(
        int(p.get("PasswordLength", 32)),
        exclude_characters=p.get("ExcludeCharacters") or "",
        exclude_numbers=bool(p.get("ExcludeNumbers", False)),
        exclude_punctuation=bool(p.get("ExcludePunctuation", False)),
        exclude_uppercase=bool(p.get("ExcludeUppercase", False)),
        exclude_lowercase=bool(p.get("ExcludeLowercase", False)),
        include_space=bool(p.get("IncludeSpace", False)),
        require_each_included_type=bool(p.get("RequireEachIncludedType", True)),
    )
    return {"RandomPassword": password}


# -- rotation --------------------------------------------------------------------------------------


def rotate_secret(ctx: Context, p: Params) -> Result:
    # AWS checks the token before it looks the secret up.
    token = require_token(p.get("ClientRequestToken"))
    secret = _writable(ctx, p)
    version_id = ctx.backend.rotator.rotate(
        secret,
        token,
        rotation_lambda_arn=p.get("RotationLambdaARN"),
        rotation_rules=p.get("RotationRules"),
        rotate_immediately=bool(p.get("RotateImmediately", True)),
    )
    return {"ARN": secret.arn, "Name": secret.name, "VersionId": version_id}


def cancel_rotate_secret_op(ctx: Context, p: Params) -> Result:
    secret = _writable(ctx, p)
    version_id = cancel_rotate_secret(secret)
    out: Result = {"ARN": secret.arn, "Name": secret.name}
    if version_id is not None:
        out["VersionId"] = version_id
    return out


# -- replication -----------------------------------------------------------------------------------


def replicate_secret_to_regions(ctx: Context, p: Params) -> Result:
    secret = _active(ctx, p)
    _replication.replicate(
        ctx.regions(secret.account_id),
        secret,
        p["AddReplicaRegions"],
        force_overwrite=bool(p.get("ForceOverwriteReplicaSecret", False)),
    )
    return {"ARN": secret.arn, "ReplicationStatus": replication_status(secret)}


def remove_regions_from_replication(ctx: Context, p: Params) -> Result:
    secret = _active(ctx, p)
    _replication.remove_regions(ctx.regions(secret.account_id), secret, p["RemoveReplicaRegions"])
    return {"ARN": secret.arn, "ReplicationStatus": replication_status(secret)}


def stop_replication_to_replica(ctx: Context, p: Params) -> Result:
    secret = _active(ctx, p)
    if secret.cross_account_primary_arn is not None:
        _cross_account.promote(_accounts(ctx), secret)
    else:
        _replication.promote(ctx.regions(secret.account_id), secret)
    return {"ARN": secret.arn}


def _accounts(ctx: Context) -> _cross_account.StoreFor:
    return lambda region, account_id: ctx.backend.region_backend(region, account_id)


def associate_cross_account_replica(ctx: Context, p: Params) -> Result:
    primary = _active(ctx, p)
    replica = _cross_account.associate(
        _accounts(ctx), primary, p["CrossAccountReplicaARN"], p.get("ReplicationRoleARN")
    )
    return {
        "ARN": primary.arn,
        "CrossAccountReplicaARN": replica.arn,
        "ReplicationStatus": replica.cross_account_status,
    }


def disassociate_cross_account_replica(ctx: Context, p: Params) -> Result:
    primary = _active(ctx, p)
    _cross_account.disassociate(_accounts(ctx), primary, p["CrossAccountReplicaARN"])
    return {"ARN": primary.arn, "CrossAccountReplicaARN": p["CrossAccountReplicaARN"]}


OPERATIONS: dict[str, Operation] = {
    "AssociateCrossAccountReplica": associate_cross_account_replica,
    "BatchGetSecretValue": batch_get_secret_value,
    "CancelRotateSecret": cancel_rotate_secret_op,
    "DeleteResourcePolicy": delete_resource_policy,
    "DisassociateCrossAccountReplica": disassociate_cross_account_replica,
    "GetRandomPassword": get_random_password,
    "GetResourcePolicy": get_resource_policy,
    "ListResourcePolicies": list_resource_policies,
    "PutResourcePolicy": put_resource_policy,
    "RemoveRegionsFromReplication": remove_regions_from_replication,
    "ReplicateSecretToRegions": replicate_secret_to_regions,
    "RotateSecret": rotate_secret,
    "StopReplicationToReplica": stop_replication_to_replica,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ValidateResourcePolicy": validate_resource_policy,
}
