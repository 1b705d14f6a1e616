"""One small function per Secrets Manager API call: wire params in, wire dict out.

Each function reads the decoded awsJson1.1 request members, calls the backend, and
renders the result with AWS's member names, omitting absent members rather than sending
``null``. Blobs are base64 on the wire; timestamps epoch-second floats.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from smmock._clock import to_epoch
from smmock._model import CrossAccountLink, Secret, SecretVersion
from smmock._service import cross_account as _cross_account
from smmock._service import replication as _replication
from smmock._service.backend import RegionBackend, SecretsBackend, parse_arn
from smmock.exceptions import SerializationException

__all__ = ["OPERATIONS", "Context", "Operation"]

Params = dict[str, Any]
Result = dict[str, Any]


class Context:
    """Who is calling: the shared backend, and the region and account of the request."""

    __slots__ = ("account_id", "backend", "region")

    def __init__(self, backend: SecretsBackend, region: str, account_id: str) -> None:
        self.backend = backend
        self.region = region
        self.account_id = account_id

    def store(self, secret_id: str | None = None) -> RegionBackend:
        """The region store the request addresses; an ARN's region and account win."""
        if secret_id is not None and secret_id.startswith("arn:"):
            parsed = parse_arn(secret_id)
            if parsed is not None:
                # An ARN of an account or region nothing was created in: an empty store
                # answers it (not found) without being kept for the rest of the test.
                found = self.backend.existing_region_backend(parsed[0], parsed[1])
                return found if found is not None else RegionBackend(parsed[1], parsed[0])
        return self.backend.region_backend(self.region, self.account_id)

    def regions(self, account_id: str) -> Callable[[str], RegionBackend]:
        """Region name -> that region's store in ``account_id`` (replication's lookup)."""
        return lambda region: self.backend.region_backend(region, account_id)


Operation = Callable[[Context, Params], Result]


def _blob(params: Params) -> bytes | None:
    value = params.get("SecretBinary")
    if value is None:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise SerializationException("Base64 encoded value expected for SecretBinary.") from None


def _value(version: SecretVersion, out: Result) -> None:
    value = version.value
    if isinstance(value, str):
        out["SecretString"] = value
    elif value is not None:
        out["SecretBinary"] = base64.b64encode(value).decode("ascii")


def _tags(tags: list[dict[str, str]] | None) -> list[tuple[str, str]] | None:
    if tags is None:
        return None
    return [(t.get("Key", ""), t.get("Value", "")) for t in tags]


def describe(secret: Secret, *, listing: bool = False) -> Result:
    """DescribeSecret's output (or a ListSecrets entry): members that have values only."""
    out: Result = {"ARN": secret.arn, "Name": secret.name}
    if secret.secret_type is not None:
        out["Type"] = secret.secret_type
    if secret.description is not None:
        out["Description"] = secret.description
    if secret.kms_key_id is not None:
        out["KmsKeyId"] = secret.kms_key_id
    if secret.rotation_enabled is not None:
        out["RotationEnabled"] = secret.rotation_enabled
    if secret.rotation_lambda_arn is not None:
        out["RotationLambdaARN"] = secret.rotation_lambda_arn
    if secret.rotation_rules is not None:
        out["RotationRules"] = dict(secret.rotation_rules)
    if secret.last_rotated_date is not None:
        out["LastRotatedDate"] = to_epoch(secret.last_rotated_date)
    out["LastChangedDate"] = to_epoch(secret.last_changed_date)
    if secret.last_accessed_date is not None:
        out["LastAccessedDate"] = to_epoch(secret.last_accessed_date)
    if secret.deleted_date is not None:
        out["DeletedDate"] = to_epoch(secret.deleted_date)
    if secret.next_rotation_date is not None and secret.rotation_enabled:
        out["NextRotationDate"] = to_epoch(secret.next_rotation_date)
    if secret.tags is not None:
        out["Tags"] = [{"Key": k, "Value": v} for k, v in secret.tags.items()]
    stages = secret.version_stages()
    if stages:
        out["SecretVersionsToStages" if listing else "VersionIdsToStages"] = stages
    if secret.owning_service is not None:
        out["OwningService"] = secret.owning_service
    out["CreatedDate"] = to_epoch(secret.created_date)
    if secret.primary_region is not None:
        out["PrimaryRegion"] = secret.primary_region
        if not listing and secret.replicas:
            out["ReplicationStatus"] = replication_status(secret)
    if not listing:
        if secret.cross_account_primary_arn is not None:
            out["CrossAccountPrimary"] = {
                "PrimarySecretARN": secret.cross_account_primary_arn,
                "ReplicationStatus": secret.cross_account_status,
            }
        if secret.cross_account_replicas:
            out["CrossAccountReplicas"] = [
                _link(link) for link in secret.cross_account_replicas.values()
            ]
    return out


def _link(link: CrossAccountLink) -> Result:
    entry: Result = {"ReplicaSecretARN": link.replica_arn}
    if link.role_arn is not None:
        entry["ReplicationRoleARN"] = link.role_arn
    entry["ReplicationStatus"] = link.status
    return entry


def replication_status(secret: Secret) -> list[Result]:
    """The ReplicationStatus list of a primary secret."""
    out = []
    for replica in secret.replicas.values():
        entry: Result = {"Region": replica.region, "Status": replica.status}
        if replica.kms_key_id is not None:
            entry["KmsKeyId"] = replica.kms_key_id
        entry["StatusMessage"] = replica.status_message
        if replica.last_accessed_date is not None:
            entry["LastAccessedDate"] = to_epoch(replica.last_accessed_date)
        out.append(entry)
    return out


def _arn_name(secret: Secret) -> Result:
    return {"ARN": secret.arn, "Name": secret.name}


# -- the secret lifecycle ----------------------------------------------------------------------


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
        secret_binary=_blob(p),
        description=p.get("Description"),
        kms_key_id=p.get("KmsKeyId"),
        tags=_tags(p.get("Tags")),
        secret_type=p.get("Type"),
    )
    if primary_arn is not None and not existed:
        secret.cross_account_primary_arn = primary_arn
        secret.cross_account_status = "Pending"
    out = _arn_name(secret)
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
    _value(version, out)
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
        secret_binary=_blob(p),
        version_stages=p.get("VersionStages"),
    )
    out = _arn_name(secret)
    out["VersionId"] = version.version_id
    out["VersionStages"] = list(version.stages)
    return out


def update_secret(ctx: Context, p: Params) -> Result:
    secret_id = p["SecretId"]
    secret, version = ctx.store(secret_id).update_secret(
        secret_id,
        p.get("ClientRequestToken"),
        secret_string=p.get("SecretString"),
        secret_binary=_blob(p),
        description=p.get("Description"),
        kms_key_id=p.get("KmsKeyId"),
    )
    if secret.replicas:
        # Description changes reach every in-sync replica, as tag changes do.
        _replication.sync_metadata(ctx.regions(secret.account_id), secret)
    out = _arn_name(secret)
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
    return _arn_name(secret)


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
    return _arn_name(ctx.store(secret_id).restore_secret(secret_id))


OPERATIONS: dict[str, Operation] = {
    "CreateSecret": create_secret,
    "DeleteSecret": delete_secret,
    "DescribeSecret": describe_secret,
    "GetSecretValue": get_secret_value,
    "ListSecretVersionIds": list_secret_version_ids,
    "ListSecrets": list_secrets,
    "PutSecretValue": put_secret_value,
    "RestoreSecret": restore_secret,
    "UpdateSecret": update_secret,
    "UpdateSecretVersionStage": update_secret_version_stage,
}
