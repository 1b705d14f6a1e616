"""What every operation shares: the request's context and the renderers of the wire form.

Operations read decoded awsJson1.1 members and answer with AWS's member names, omitting
absent members rather than sending ``null``; blobs are base64, timestamps epoch-second
floats. The helpers here render secrets, versions and replication state that way.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from smmock._clock import to_epoch
from smmock._model import CrossAccountLink, Secret, SecretVersion
from smmock._service import cross_account as _cross_account
from smmock._service.backend import RegionBackend, SecretsBackend, parse_arn
from smmock.exceptions import (
    SerializationException,
)

__all__ = [
    "Context",
    "Operation",
    "Params",
    "Result",
    "accounts",
    "active_secret",
    "arn_and_name",
    "blob",
    "describe",
    "render_link",
    "render_value",
    "replication_status",
    "tag_list",
    "writable_secret",
]

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


def blob(params: Params) -> bytes | None:
    value = params.get("SecretBinary")
    if value is None:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise SerializationException("Base64 encoded value expected for SecretBinary.") from None


def render_value(version: SecretVersion, out: Result) -> None:
    value = version.value
    if isinstance(value, str):
        out["SecretString"] = value
    elif value is not None:
        out["SecretBinary"] = base64.b64encode(value).decode("ascii")


def tag_list(tags: list[dict[str, str]] | None) -> list[tuple[str, str]] | None:
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
                render_link(link) for link in secret.cross_account_replicas.values()
            ]
    return out


def render_link(link: CrossAccountLink) -> Result:
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


def arn_and_name(secret: Secret) -> Result:
    return {"ARN": secret.arn, "Name": secret.name}


def active_secret(ctx: Context, p: Params) -> Secret:
    # The secret SecretId names, refused while scheduled for deletion.
    secret_id = p["SecretId"]
    return ctx.store(secret_id).get_active(secret_id)


def writable_secret(ctx: Context, p: Params) -> Secret:
    # As active_secret, and not a replica: writes go to the primary.
    secret_id = p["SecretId"]
    return ctx.store(secret_id).writable(secret_id)


def accounts(ctx: Context) -> _cross_account.StoreFor:
    return lambda region, account_id: ctx.backend.region_backend(region, account_id)
