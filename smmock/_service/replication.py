"""Multi-Region replication: replicas live in the other region's backend.

A replica is a secret of the same name in the target region, with the primary's ARN
suffix and ``PrimaryRegion`` set to the primary's region. It shares the primary's
versions and labels (so it is always ``InSync``) and refuses writes. Removing a region
deletes its replica at once; StopReplicationToReplica promotes it to a standalone secret
with its own copy of the versions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from smmock import _clock
from smmock._model import Replica, Secret, home, partition
from smmock.exceptions import InvalidParameterException, InvalidRequestException

__all__ = ["check_regions", "promote", "remove_regions", "replicate", "sync_metadata"]

# region -> the RegionBackend-like store of that region in the same account
StoreFor = Callable[[str], Any]


def check_regions(
    primary_region: str, replicas: Mapping[str, Any], regions: Sequence[Mapping[str, Any]]
) -> None:
    """Refuse a replica region equal to the primary's, repeated, or already replicated.

    Separate from :func:`replicate` so CreateSecret can check before it creates anything.
    """
    seen: set[str] = set()
    for entry in regions:
        region = entry.get("Region")
        if not region:
            # Region is optional in the model, so botocore lets {} through. Our text.
            raise InvalidParameterException(
                "Invalid replica region: every entry of AddReplicaRegions must name a Region."
            )
        if region == primary_region or region in seen:
            raise InvalidParameterException(
                f"Invalid replica region {region}: it must differ from the primary's region "
                "and appear once."
            )
        if partition(region) != partition(primary_region):
            # AWS docs: secrets replicate only within their partition (no commercial to
            # China or GovCloud or back). The text is unconfirmed.
            raise InvalidParameterException(
                f"Invalid replica region {region}: a secret in {primary_region} can only be "
                "replicated to regions of the same partition."
            )
        if region in replicas:
            raise InvalidParameterException(f"The secret is already replicated to region {region}.")
        seen.add(region)


def replicate(
    store_for: StoreFor,
    primary: Secret,
    regions: Sequence[Mapping[str, Any]],
    *,
    force_overwrite: bool = False,
) -> None:
    """ReplicateSecretToRegions: add a replica per region (status Failed on a name clash)."""
    if primary.is_replica:
        raise InvalidParameterException.not_primary()
    check_regions(primary.region, primary.replicas, regions)
    for entry in regions:
        region = entry["Region"]
        kms_key_id = entry.get("KmsKeyId") or None
        replica = Replica(region=region, kms_key_id=kms_key_id)
        target = store_for(region)
        existing = target.find(primary.name)
        if existing is not None and not force_overwrite:
            replica.status = "Failed"
            replica.status_message = (
                "Replication failed: Secret name already exists in destination region."
            )
        else:
            if existing is not None:
                target.remove(existing.name)
            target.insert(_replica_secret(primary, region, kms_key_id))
        primary.set_replica(region, replica)
    primary.primary_region = primary.region
    primary.last_changed_date = _clock.now()


def _replica_secret(primary: Secret, region: str, kms_key_id: str | None) -> Secret:
    # The same ARN suffix as the primary; only the region differs.
    replica = Secret(primary.name, home(primary.account_id, region), primary.suffix, _clock.now())
    replica.description = primary.description
    replica.kms_key_id = kms_key_id
    replica.tags = dict(primary.tags) if primary.tags is not None else None
    # AWS replicates "metadata such as tags and resource policies" (user guide).
    replica.resource_policy = primary.resource_policy
    replica.primary_region = primary.region
    # Shown, not copied: a replica always holds exactly the primary's versions.
    replica.show_versions_of(primary)
    return replica


def sync_metadata(store_for: StoreFor, primary: Secret) -> None:
    """Carry description, tags and resource policy over to every in-sync replica."""
    for region, replica in primary.replicas.items():
        if replica.status != "InSync":
            continue
        copy = store_for(region).find(primary.name)
        if copy is not None and copy.primary_region == primary.region:
            copy.description = primary.description
            copy.tags = dict(primary.tags) if primary.tags is not None else None
            copy.resource_policy = primary.resource_policy
            copy.last_changed_date = primary.last_changed_date


def remove_regions(store_for: StoreFor, primary: Secret, regions: Sequence[str]) -> None:
    """RemoveRegionsFromReplication: delete the replicas in ``regions`` at once."""
    if primary.is_replica:
        raise InvalidParameterException.not_primary()
    seen: set[str] = set()
    for region in regions:
        if region not in primary.replicas:
            raise InvalidParameterException(f"The secret isn't replicated to region {region}.")
        if region in seen:
            # Like AddReplicaRegions, which refuses a repeated region. The text is
            # unconfirmed.
            raise InvalidParameterException(
                f"Invalid replica region {region}: it must appear once."
            )
        seen.add(region)
    for region in regions:
        replica = primary.drop_replica(region)
        assert replica is not None  # checked above
        target = store_for(region)
        copy = target.find(primary.name)
        # Only this primary's own replica: the name may belong to another primary's
        # replica by now (ForceOverwriteReplicaSecret from another region).
        if replica.status == "InSync" and copy is not None and copy.source() is primary:
            target.remove(copy.name)
    if not primary.replicas:
        primary.primary_region = None
    primary.last_changed_date = _clock.now()


def promote(store_for: StoreFor, replica: Secret) -> None:
    """StopReplicationToReplica (called in the replica's region): make it standalone."""
    if not replica.is_replica or replica.primary_region is None:
        raise InvalidRequestException(
            "StopReplicationToReplica must be called on a replica secret, in its region."
        )
    now = _clock.now()
    primary = store_for(replica.primary_region).find(replica.name)
    if primary is not None:
        primary.drop_replica(replica.region)
        if not primary.replicas:
            primary.primary_region = None
        # Its ReplicationStatus changed, as with RemoveRegionsFromReplication.
        primary.last_changed_date = now
    replica.own_versions()
    replica.primary_region = None
    replica.last_changed_date = now
