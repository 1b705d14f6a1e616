"""Values and versions: create, read, write and relabel secret values."""

from __future__ import annotations

from smmock._clock import to_epoch
from smmock._service import cross_account as _cross_account
from smmock._service import replication as _replication
from smmock._wire.context import (
    Context,
    Operation,
    Params,
    Result,
    arn_and_name,
    blob,
    render_value,
    replication_status,
    tag_list,
)
from smmock.exceptions import (
    InvalidParameterException,
    SecretsManagerError,
)

__all__ = ["OPERATIONS"]


def create_secret(ctx: Context, p: Params) -> Result:
    name = p["Name"]
    store = ctx.store()
    replica_regions = p.get("AddReplicaRegions")
    primary_arn = None
    # Checked before anything is created: a failed call changes nothing.
    if p.get("CrossAccountPrimaryARN") is not None:
        primary_arn = _cross_account.check_replica_request(p, store.region, store.account_id)
    if replica_regions is not None:
        _replication.check_regions(store.region, {}, replica_regions)
    # An idempotent retry answers with the existing secret and must change nothing, so
    # replication and the cross-account link apply only to a secret made by this call.
    existed = store.find(name) is not None
    secret, version = store.create_secret(
        name,
        p.get("ClientRequestToken"),
        secret_string=p.get("SecretString"),
        secret_binary=blob(p),
        description=p.get("Description"),
        kms_key_id=p.get("KmsKeyId"),
        tags=tag_list(p.get("Tags")),
        secret_type=p.get("Type"),
    )
    if primary_arn is not None and not existed:
        secret.cross_account_primary_arn = primary_arn
        secret.cross_account_status = "Pending"
    out = arn_and_name(secret)
    if version is not None:
        out["VersionId"] = version.version_id
    if replica_regions is not None and not existed:
        _replication.replicate(
            ctx.regions(secret.account_id),
            secret,
            replica_regions,
            force_overwrite=bool(p.get("ForceOverwriteReplicaSecret", False)),
        )
    if secret.replicas:
        out["ReplicationStatus"] = replication_status(secret)
    return out


def get_secret_value(ctx: Context, p: Params) -> Result:
    secret_id = p["SecretId"]
    secret, version = ctx.store(secret_id).get_secret_value(
        secret_id, p.get("VersionId"), p.get("VersionStage")
    )
    out: Result = {"ARN": secret.arn, "Name": secret.name, "VersionId": version.version_id}
    render_value(version, out)
    if version.stages:
        # A deprecated version has none; the model's VersionStages has min 1, so omit it.
        out["VersionStages"] = list(version.stages)
    out["CreatedDate"] = to_epoch(version.created_date)
    return out


def put_secret_value(ctx: Context, p: Params) -> Result:
    secret_id = p["SecretId"]
    secret, version = ctx.store(secret_id).put_secret_value(
        secret_id,
        p.get("ClientRequestToken"),
        secret_string=p.get("SecretString"),
        secret_binary=blob(p),
        version_stages=p.get("VersionStages"),
    )
    out = arn_and_name(secret)
    out["VersionId"] = version.version_id
    out["VersionStages"] = list(version.stages)
    return out


def update_secret(ctx: Context, p: Params) -> Result:
    secret_id = p["SecretId"]
    secret, version = ctx.store(secret_id).update_secret(
        secret_id,
        p.get("ClientRequestToken"),
        secret_string=p.get("SecretString"),
        secret_binary=blob(p),
        description=p.get("Description"),
        kms_key_id=p.get("KmsKeyId"),
    )
    if secret.replicas:
        # Description changes reach every in-sync replica, as tag changes do.
        _replication.sync_metadata(ctx.regions(secret.account_id), secret)
    out = arn_and_name(secret)
    if version is not None:
        out["VersionId"] = version.version_id
    return out


def update_secret_version_stage(ctx: Context, p: Params) -> Result:
    secret_id = p["SecretId"]
    secret = ctx.store(secret_id).update_secret_version_stage(
        secret_id,
        p["VersionStage"],
        remove_from_version_id=p.get("RemoveFromVersionId"),
        move_to_version_id=p.get("MoveToVersionId"),
    )
    return arn_and_name(secret)


def list_secret_version_ids(ctx: Context, p: Params) -> Result:
    secret_id = p["SecretId"]
    secret, versions, token = ctx.store(secret_id).list_secret_version_ids(
        secret_id,
        max_results=p.get("MaxResults"),
        next_token=p.get("NextToken"),
        include_deprecated=bool(p.get("IncludeDeprecated", False)),
    )
    entries = []
    for v in versions:
        entry: Result = {"VersionId": v.version_id}
        if v.stages:
            entry["VersionStages"] = list(v.stages)
        if v.last_accessed_date is not None:
            entry["LastAccessedDate"] = to_epoch(v.last_accessed_date)
        entry["CreatedDate"] = to_epoch(v.created_date)
        entry["KmsKeyIds"] = [v.kms_key_id or "DefaultEncryptionKey"]
        entries.append(entry)
    out: Result = {"Versions": entries}
    if token is not None:
        out["NextToken"] = token
    out["ARN"] = secret.arn
    out["Name"] = secret.name
    return out


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


OPERATIONS: dict[str, Operation] = {
    "BatchGetSecretValue": batch_get_secret_value,
    "CreateSecret": create_secret,
    "GetSecretValue": get_secret_value,
    "ListSecretVersionIds": list_secret_version_ids,
    "PutSecretValue": put_secret_value,
    "UpdateSecret": update_secret,
    "UpdateSecretVersionStage": update_secret_version_stage,
}
