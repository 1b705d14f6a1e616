"""Random sequences of the secret lifecycle, through a real boto3 client, against a model.

A hypothesis ``RuleBasedStateMachine`` creates, writes, relabels, tags, deletes, restores,
rotates and replicates a handful of secrets while the frozen clock jumps hours to weeks
ahead. Values are strings or bytes (SecretBinary); some secrets and versions use a
customer KmsKeyId. Secrets live in us-east-1 and are replicated from there to eu-west-1
and ap-south-1, where the machine also reads them, tries to write to them, promotes them
with StopReplicationToReplica and uses the promoted or locally created secrets as any
other. Before each call :mod:`tests.reference_model` predicts the answer; the call must
give exactly that (same response, or the same error code and message), and a refused call
must leave DescribeSecret and the version listing exactly as they were (for a replica,
its primary's too). After every step the touched secret is read back in full
(DescribeSecret, ListSecretVersionIds with and without IncludeDeprecated, GetSecretValue)
in the region of the call and compared with the model, its replicas' versions or its
primary's DescribeSecret too, ListSecrets of every region the step may have changed, and
AWS's invariants are checked on what the service itself answered: at most one holder
per label, exactly one AWSCURRENT once a version has a value, deprecated exactly when
unlabelled, scheduled secrets refuse reads, purge exactly at DeletionDate, RestoreSecret
brings back exactly the state before DeleteSecret.

The versions quota is lowered from 100 to :data:`VERSION_QUOTA` for the machine (the model
gets the same limit), so that collecting the oldest deprecated version, LimitExceeded and
reads of collected ids, from the primary and from its replicas, happen within 50 steps.

Profiles (``SMMOCK_PROFILE``, default ``ci``): ``ci`` runs about 2,800 to 3,500 steps,
``long`` about 14,000. See docs/testing.md.
"""

from __future__ import annotations

import datetime
import itertools
import os
import re
import warnings
from collections import Counter
from typing import Any
from unittest import mock

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

import smmock._service.values
from smmock import mock_secrets
from smmock.exceptions import RotationFailedWarning, UnregisteredRotationFunctionWarning
from tests.reference_model import (
    AWSCURRENT,
    AWSPENDING,
    AWSPREVIOUS,
    IN_SYNC,
    MARKED_FOR_DELETION,
    NAME_CLASH,
    NOT_FOUND,
    NOT_PRIMARY,
    ROTATION_STEPS,
    Refused,
    RotationOutcome,
    RotationPlan,
    Secret,
    Service,
    Store,
    Value,
    Version,
)

# -- profiles -----------------------------------------------------------------------------------

# Registered under their own names and passed to this machine only: loading a profile
# globally would change every other hypothesis test in the session.
settings.register_profile(
    "smmock-stateful-ci",
    max_examples=70,
    stateful_step_count=50,
    deadline=None,  # the clock is frozen inside every example
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "smmock-stateful-long", settings.get_profile("smmock-stateful-ci"), max_examples=320
)
PROFILE = os.environ.get("SMMOCK_PROFILE", "ci")
# The least number of steps each profile must run. Hypothesis runs most examples to the
# full 50 steps but cuts some short, so the profiles aim at least 25 % above these.
MIN_STEPS = {"ci": 2_000, "long": 10_000}

# What the last run did, for docs/testing.md (printed by the test; see `pytest -s`).
FIGURES: Counter[str] = Counter()

# -- fixed data ------------------------------------------------------------------------------

UTC = datetime.timezone.utc
START = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)
ACCOUNT = "123456789012"
REGION = "us-east-1"  # where secrets are made and replication starts
REPLICA_REGIONS = ("eu-west-1", "ap-south-1")
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate-secret"
MISSING_FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:never-registered"
UNKNOWN_VERSION = "unknown-version-000000000000000000"
VERSION_QUOTA = 4
POLICIES = [
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": '
    f'{{"AWS": "arn:aws:iam::{ACCOUNT}:{who}"}}, "Action": "secretsmanager:GetSecretValue", '
    '"Resource": "*"}]}'
    for who in ("root", "role/app")
]
# One retry would hide nothing but cost time: a 500 must surface at once.
NO_RETRIES = Config(retries={"total_max_attempts": 1})
# The observer reads state back after every step. SigV4 signing under a frozen clock
# costs as much as smmock's whole answer, and is botocore's work, not smmock's: the
# observer sends unsigned requests, while the calls under test are signed as usual.
OBSERVER = Config(retries={"total_max_attempts": 1}, signature_version=UNSIGNED)
NAME_LIST = ["alpha", "beta/one", "gamma-7"]


def arn_prefix(region: str) -> str:
    return f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:"


ARN_PREFIX = arn_prefix(REGION)

NAMES = st.sampled_from(NAME_LIST)
HOW = st.sampled_from(["name", "arn", "partial"])
# Where a call goes: 0 is the primary region; 1 and 2 the replica regions, those that
# hold the secret first. Two thirds of the calls stay in the primary region.
WHERE = st.sampled_from([0, 0, 0, 0, 1, 2])
LABELS = st.sampled_from([AWSCURRENT, AWSPREVIOUS, AWSPENDING, "blue", "green"])
# PutSecretValue's VersionStages. AWSPREVIOUS is left to UpdateSecretVersionStage: listed
# together with AWSCURRENT its outcome would depend on the order AWS applies them in.
PUT_STAGES = st.one_of(
    st.none(),
    st.lists(st.sampled_from([AWSCURRENT, AWSPENDING, "blue", "green"]), min_size=1, max_size=3),
)
VALUE_KIND = st.sampled_from(["string", "string", "binary"])
DESCRIPTIONS = st.sampled_from([None, "", "first words", "second words"])
INDEX = st.integers(min_value=0, max_value=63)
TOKEN_CHOICE = st.sampled_from(["fresh", "same", "other"])
RECOVERY_WINDOW = st.one_of(
    st.none(), st.integers(min_value=7, max_value=30), st.sampled_from([0, 6, 31])
)
TICK_SECONDS = st.integers(min_value=3_600, max_value=40 * 86_400)
# AddReplicaRegions: mostly valid, sometimes the primary's own region or a repeat.
REPLICA_TARGETS = st.lists(
    st.sampled_from([*REPLICA_REGIONS, *REPLICA_REGIONS, REGION]), min_size=1, max_size=2
)


# Clients by (region, observer, rotation function's), made on first use and kept for the
# whole run: a client costs milliseconds to build and keeps no state between calls (no
# retries). Each is made inside a mock and keeps the fake keys it found there, which
# serve in every later example as well.
_CLIENTS: dict[tuple[str, bool, bool], Any] = {}


def shared_client(region: str, *, observe: bool = False, function: bool = False) -> Any:
    key = (region, observe, function)
    if key not in _CLIENTS:
        _CLIENTS[key] = boto3.client(
            "secretsmanager", region_name=region, config=OBSERVER if observe else NO_RETRIES
        )
    return _CLIENTS[key]


class InjectedFailure(Exception):
    """Raised by the test's rotation function at the step the machine chose."""


def error_of(exc: ClientError) -> tuple[str, str]:
    return exc.response["Error"]["Code"], exc.response["Error"]["Message"]


def without_metadata(response: Any) -> dict[str, Any]:
    out = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    for key in ("VersionIdsToStages", "SecretVersionsToStages"):
        if key in out:
            out[key] = {vid: sorted(labels) for vid, labels in out[key].items()}
    if "VersionStages" in out:
        out["VersionStages"] = sorted(out["VersionStages"])
    if "Versions" in out:
        out["Versions"] = [without_metadata(v) for v in out["Versions"]]
    return out


def value_member(value: Value) -> dict[str, Value]:
    return {"SecretBinary" if isinstance(value, bytes) else "SecretString": value}


def replication_status(secret: Secret) -> list[dict[str, Any]]:
    """A primary's ReplicationStatus as the model expects it, in the order regions joined."""
    out = []
    for entry in secret.replicas.values():
        status: dict[str, Any] = {"Region": entry.region}
        if entry.kms_key_id is not None:
            status["KmsKeyId"] = entry.kms_key_id
        if entry.failed:
            status.update(Status="Failed", StatusMessage=NAME_CLASH)
        else:
            status.update(Status="InSync", StatusMessage=IN_SYNC)
        if entry.accessed is not None:
            status["LastAccessedDate"] = entry.accessed
        out.append(status)
    return out


def described(secret: Secret, *, listing: bool = False) -> dict[str, Any]:
    """The DescribeSecret answer (or ListSecrets entry) the model expects."""
    out: dict[str, Any] = {
        "ARN": secret.arn,
        "Name": secret.name,
        "LastChangedDate": secret.changed,
        "CreatedDate": secret.created,
    }
    if secret.description is not None:
        out["Description"] = secret.description
    if secret.kms_key_id is not None:
        out["KmsKeyId"] = secret.kms_key_id
    if secret.rotation_enabled is not None:
        out["RotationEnabled"] = secret.rotation_enabled
    if secret.rotation_arn is not None:
        out["RotationLambdaARN"] = secret.rotation_arn
    if secret.rotated is not None:
        out["LastRotatedDate"] = secret.rotated
    if secret.accessed is not None:
        out["LastAccessedDate"] = secret.accessed
    if secret.deleted is not None:
        out["DeletedDate"] = secret.deleted
    if secret.tags is not None:
        out["Tags"] = [{"Key": k, "Value": v} for k, v in secret.tags.items()]
    stages = secret.stages()
    if stages:
        out["SecretVersionsToStages" if listing else "VersionIdsToStages"] = stages
    if secret.primary_region is not None:
        out["PrimaryRegion"] = secret.primary_region
    # ListSecrets entries never carry ReplicationStatus (the model's shape has none).
    if secret.replicas and not listing:
        out["ReplicationStatus"] = replication_status(secret)
    return out


def listed_version(version: Version) -> dict[str, Any]:
    out: dict[str, Any] = {
        "VersionId": version.version_id,
        "CreatedDate": version.created,
        "KmsKeyIds": [version.kms_key_id or "DefaultEncryptionKey"],
    }
    if version.labels:
        out["VersionStages"] = sorted(version.labels)
    if version.accessed is not None:
        out["LastAccessedDate"] = version.accessed
    return out


def value_read(secret: Secret, version: Version) -> dict[str, Any]:
    """The GetSecretValue answer the model expects."""
    assert version.value is not None
    return {
        "ARN": secret.arn,
        "Name": secret.name,
        "VersionId": version.version_id,
        **value_member(version.value),
        # A deprecated version has no labels: the member is left out (the model's
        # VersionStages list has min 1).
        **({"VersionStages": sorted(version.labels)} if version.labels else {}),
        "CreatedDate": version.created,
    }


class SecretsLifecycle(RuleBasedStateMachine):
    """One example: a fresh mock, a clock frozen at START and a model to agree with."""

    def __init__(self) -> None:
        super().__init__()
        # Every example starts at the same instant, whatever the previous one did.
        self._freezer = freeze_time(START)
        self.clock = self._freezer.start()
        # smmock reads its versions quota at every write: lowered for this example only
        # (see the module docstring).
        self._quota = mock.patch.object(smmock._service.values, "_MAX_VERSIONS", VERSION_QUOTA)
        self._quota.start()
        self._mock = mock_secrets(region=REGION)
        self.backend = self._mock.start()
        # The rotation function's own client, as a Lambda would build it. The events name
        # the secret by ARN, which takes its calls to the secret's region.
        self.function_client = shared_client(REGION, function=True)
        self.backend.register_rotation_function(FUNCTION_ARN, self._rotation_function)
        self.service = Service(START, ACCOUNT, max_versions=VERSION_QUOTA)
        self.model = self.service.store(REGION)
        self.serial = itertools.count(1)
        self.arns: dict[tuple[str, str], str] = {}  # the last ARN of each (region, name)
        self.regions_used = {REGION}  # regions that ever held a secret
        # Replica regions the last step may have changed, listed after it (see listings_match).
        self.dirty: set[str] = set()
        self.restore_points: dict[tuple[str, str], Any] = {}
        self.plan = RotationPlan("")
        self.events: list[dict[str, str]] = []
        FIGURES["examples"] += 1

    def teardown(self) -> None:
        FIGURES["versions-collected"] += sum(
            len(s.collected) for store in self.service.stores.values() for s in store.live()
        )
        try:
            self._mock.stop()
        finally:
            self._quota.stop()
            self._freezer.stop()

    # -- plumbing ------------------------------------------------------------------------

    def _step(self, kind: str, region: str = REGION) -> None:
        FIGURES["steps"] += 1
        FIGURES[f"rule:{kind}"] += 1
        if region != REGION:
            FIGURES["steps-in-replica-regions"] += 1

    def client(self, region: str = REGION, *, observe: bool = False) -> Any:
        return shared_client(region, observe=observe)

    def _store(self, region: str) -> Store:
        return self.service.store(region)

    def _region(self, name: str, where: int) -> str:
        """The region a call on ``name`` goes to (see WHERE): the primary region, or a
        replica region that holds the name. When none does, ``where`` 1 still goes to
        one (where the call finds nothing, or creates the name) and 2 stays home."""
        if where == 0:
            return REGION
        holding = [
            r
            for r in REPLICA_REGIONS
            if r in self.service.stores and self._store(r).find(name) is not None
        ]
        if not holding:
            return REPLICA_REGIONS[0] if where == 1 else REGION
        return holding[(where - 1) % len(holding)]

    def _token(self) -> str:
        return f"token-{next(self.serial):026d}"

    def _value(self, kind: str | None = "string") -> Value | None:
        if kind is None:
            return None
        serial = next(self.serial)
        if kind == "binary":
            # Not UTF-8: bytes must come back as bytes, never through a text codec.
            return b"\xff\x00value-" + str(serial).encode()
        return f"value-{serial}"

    def _ident(self, name: str, how: str, region: str = REGION) -> str:
        if how == "arn" and (region, name) in self.arns:
            return self.arns[region, name]  # possibly the ARN of a purged secret
        if how == "partial":
            return arn_prefix(region) + name
        return name

    def _version_ids(self, name: str, region: str = REGION, *, collected: bool = True) -> list[str]:
        secret = self._store(region).find(name)
        if secret is None:
            return []
        return list(secret.versions) + (sorted(secret.collected) if collected else [])

    def _pick_version(
        self, name: str, index: int, region: str = REGION, *, collected: bool = True
    ) -> str:
        """A VersionId of the secret (or one the quota collected); UNKNOWN_VERSION if none."""
        ids = self._version_ids(name, region, collected=collected)
        return ids[index % len(ids)] if ids else UNKNOWN_VERSION

    def _seen(self, name: str, region: str) -> Any:
        """DescribeSecret and every version of one secret, or the error reading it."""
        observer = self.client(region, observe=True)
        try:
            described_now = without_metadata(observer.describe_secret(SecretId=name))
            versions = observer.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)
            return described_now, without_metadata(versions)["Versions"]
        except ClientError as exc:
            return error_of(exc)

    def _state_of(self, name: str, region: str) -> Any:
        """Everything a caller can see of one secret in ``region`` and, for a replica, of
        its primary. (ListSecrets is compared with the model after every step, which a
        refused call leaves as it was.)"""
        state = [self._seen(name, region)]
        secret = self._store(region).find(name)
        if secret is not None and secret.is_replica:
            state.append(self._seen(name, REGION))  # a refused write leaves the primary alone
        return state

    def _refused(
        self, refusal: Refused, name: str, method: str, region: str = REGION, **kwargs: Any
    ) -> None:
        """The call must fail exactly as the model says, and change nothing."""
        before = self._state_of(name, region)
        with pytest.raises(ClientError) as exc:
            getattr(self.client(region), method)(**kwargs)
        assert error_of(exc.value) == (refusal.code, refusal.message), error_of(exc.value)
        assert self._state_of(name, region) == before, f"the refused {method} changed the secret"
        FIGURES["refusals"] += 1
        FIGURES[f"refused:{refusal.code}"] += 1
        if "because it was deleted" in refusal.message:
            where = "primary" if region == REGION else "replica"
            FIGURES[f"reads-of-collected-versions-in-{where}-region"] += 1
        if refusal.message == NOT_PRIMARY:
            FIGURES[f"refused-on-replica:{method}"] += 1

    def _call(
        self, method: str, region: str = REGION, *, observe: bool = False, **kwargs: Any
    ) -> dict[str, Any]:
        try:
            response = getattr(self.client(region, observe=observe), method)(**kwargs)
        except ClientError as exc:
            raise AssertionError(f"{method} failed, the model expected success: {exc}") from exc
        return without_metadata(response)

    # -- reading back ------------------------------------------------------------------------

    def _after(self, name: str, region: str) -> None:
        """Read back what a step on ``name`` in ``region`` may have changed."""
        self.dirty.add(region)
        self._check(name, region)
        if region != REGION:
            # A read of a replica shows in its primary's ReplicationStatus; a promotion
            # takes the region off it.
            self._check_described(name, REGION)
            return
        primary = self.model.find(name)
        if primary is None:
            return
        for where, entry in primary.replicas.items():
            if not entry.failed:
                # The replica shows the primary's versions (ListSecrets, checked after
                # the step, covers the rest of what it shows).
                self.dirty.add(where)
                self._check_versions(name, where)

    def _check_described(self, name: str, region: str) -> None:
        secret = self._store(region).find(name)
        if secret is None:
            with pytest.raises(ClientError) as exc:
                self.client(region, observe=True).describe_secret(SecretId=name)
            assert error_of(exc.value) == ("ResourceNotFoundException", NOT_FOUND)
            return
        seen = self._call("describe_secret", region, observe=True, SecretId=name)
        assert seen == described(secret)

    def _check_versions(self, name: str, region: str) -> None:
        secret = self._store(region).find(name)
        assert secret is not None
        everything = self._call(
            "list_secret_version_ids", region, observe=True, SecretId=name, IncludeDeprecated=True
        )
        assert everything["Versions"] == [
            listed_version(v) for v in secret.versions.values() if v.value is not None
        ]
        assert (everything["ARN"], everything["Name"]) == (secret.arn, secret.name)

    def _check(self, name: str, region: str = REGION) -> None:
        """Read one secret back in full and compare it with the model."""
        secret = self._store(region).find(name)
        observer = self.client(region, observe=True)
        if secret is None:
            for method in ("describe_secret", "list_secret_version_ids", "get_secret_value"):
                with pytest.raises(ClientError) as exc:
                    getattr(observer, method)(SecretId=name)
                assert error_of(exc.value) == ("ResourceNotFoundException", NOT_FOUND)
            return
        seen = self._call("describe_secret", region, observe=True, SecretId=name)
        assert seen == described(secret)
        everything = self._call(
            "list_secret_version_ids", region, observe=True, SecretId=name, IncludeDeprecated=True
        )
        labelled = self._call("list_secret_version_ids", region, observe=True, SecretId=name)
        assert everything["Versions"] == [
            listed_version(v) for v in secret.versions.values() if v.value is not None
        ]
        assert labelled["Versions"] == [
            listed_version(v) for v in secret.versions.values() if v.labels and v.value is not None
        ]
        self._check_invariants(seen, everything["Versions"], labelled["Versions"], secret)
        self._check_current_read(name, secret, region)

    def _check_invariants(
        self,
        seen: dict[str, Any],
        everything: list[dict[str, Any]],
        labelled: list[dict[str, Any]],
        secret: Secret,
    ) -> None:
        # AWS's rules, checked on what the service answered rather than on the model.
        stages = seen.get("VersionIdsToStages", {})
        all_labels = [label for labels in stages.values() for label in labels]
        assert len(all_labels) == len(set(all_labels)), f"a label on two versions: {stages}"
        # Exactly one AWSCURRENT once any version holds a value (before that, only a
        # failed rotation's empty stub can exist, and AWSCURRENT may be nowhere).
        has_value = any(v.value is not None for v in secret.versions.values())
        assert all_labels.count(AWSCURRENT) == 1 if has_value else all_labels.count(AWSCURRENT) <= 1
        # Deprecated exactly when unlabelled: hidden by default, listed without stages.
        assert [v["VersionId"] for v in labelled] == [
            v["VersionId"] for v in everything if v.get("VersionStages")
        ]
        # ListSecretVersionIds lists only versions with a value; VersionIdsToStages also
        # shows a failed rotation's empty stub.
        empty = {v.version_id for v in secret.versions.values() if v.value is None}
        assert {v["VersionId"]: sorted(v["VersionStages"]) for v in labelled} == {
            version_id: labels for version_id, labels in stages.items() if version_id not in empty
        }
        assert all("VersionStages" not in v or v["VersionStages"] for v in everything)
        # The quota: never more versions than it allows.
        assert len(everything) <= VERSION_QUOTA

    def _check_current_read(self, name: str, secret: Secret, region: str) -> None:
        """GetSecretValue with no version or stage: AWSCURRENT, or the exact refusal."""
        try:
            _, version = self._store(region).get_value(name)
        except Refused as exc:
            refusal: Refused | None = exc
        else:
            refusal = None
        observer = self.client(region, observe=True)
        if refusal is not None:
            # Scheduled secrets refuse reads, with AWS's code and message.
            if secret.scheduled:
                assert refusal.message == MARKED_FOR_DELETION
            with pytest.raises(ClientError) as exc_info:
                observer.get_secret_value(SecretId=name)
            assert error_of(exc_info.value) == (refusal.code, refusal.message)
            return
        answer = self._call("get_secret_value", region, observe=True, SecretId=name)
        assert answer == value_read(secret, version)

    def _read(self, name: str, ident: str, region: str, **kwargs: Any) -> None:
        store = self._store(region)
        try:
            secret, version = store.get_value(
                ident, kwargs.get("VersionId"), kwargs.get("VersionStage")
            )
        except Refused as refusal:
            self._refused(refusal, name, "get_secret_value", region, SecretId=ident, **kwargs)
            return
        answer = self._call("get_secret_value", region, SecretId=ident, **kwargs)
        assert answer == value_read(secret, version)
        if isinstance(version.value, bytes):
            FIGURES["binary-values-read"] += 1

    def _remember_arns(self) -> None:
        for region, store in self.service.stores.items():
            for secret in store.live():
                self.arns[region, secret.name] = secret.arn
            if store.secrets:
                self.regions_used.add(region)

    @invariant()
    def listings_match(self) -> None:
        self._remember_arns()
        secrets = list(self.model.live())
        observer = self.client(observe=True)
        everything = observer.list_secrets(IncludePlannedDeletion=True)["SecretList"]
        assert [without_metadata(e) for e in everything] == [
            described(s, listing=True) for s in secrets
        ]
        # Scheduled secrets are hidden unless asked for.
        active = observer.list_secrets()["SecretList"]
        assert [without_metadata(e) for e in active] == [
            described(s, listing=True) for s in secrets if not s.scheduled
        ]
        # The other regions, where the step may have changed something: a step there, a
        # step on a primary with replicas there, the clock. (Other steps cannot change
        # them, and a change they made anyway shows the next time the region is listed.)
        dirty, self.dirty = self.dirty, set()
        for region in sorted(self.regions_used & dirty - {REGION}):
            listed = self.client(region, observe=True).list_secrets(IncludePlannedDeletion=True)
            assert [without_metadata(e) for e in listed["SecretList"]] == [
                described(s, listing=True) for s in self._store(region).live()
            ]

    # -- the lifecycle --------------------------------------------------------------------------

    @initialize(
        kinds=st.lists(st.sampled_from([None, "string", "binary"]), min_size=3, max_size=3),
        replicas=st.lists(st.sampled_from([0, 0, 1, 2]), min_size=3, max_size=3),
    )
    def seed(self, kinds: list[str | None], replicas: list[int]) -> None:
        """Start with every name in use in the primary region, with or without a value,
        and some of them replicated to one or both other regions."""
        self._step("seed")
        for name, kind, count in zip(NAME_LIST, kinds, replicas, strict=True):
            regions = list(REPLICA_REGIONS[:count]) or None
            self.create(
                name,
                value_kind=kind,
                description=None,
                token_choice="fresh",
                index=0,
                kms=None,
                replicas=regions,
                where=0,
            )
            FIGURES["steps"] -= 1

    @rule(
        name=NAMES,
        value_kind=st.sampled_from([None, "string", "string", "binary"]),
        description=DESCRIPTIONS,
        token_choice=TOKEN_CHOICE,
        index=INDEX,
        kms=st.sampled_from([None, None, "alias/app-key"]),
        replicas=st.sampled_from([None, None, None, None, None, ["eu-west-1"], [*REPLICA_REGIONS]]),
        where=WHERE,
    )
    def create(
        self,
        name: str,
        value_kind: str | None,
        description: str | None,
        token_choice: str,
        index: int,
        kms: str | None,
        replicas: list[str] | None,
        where: int,
    ) -> None:
        region = self._region(name, where)
        self._step("create", region)
        store = self._store(region)
        token, value = self._token(), self._value(value_kind)
        existing = store.find(name)
        if token_choice != "fresh" and existing is not None and existing.versions:
            # A retry of an earlier request (same token), with its value or another one.
            token = self._pick_version(name, index, region, collected=False)
            if token_choice == "same":
                value = existing.versions[token].value
        kwargs: dict[str, Any] = {"Name": name, "ClientRequestToken": token}
        if value is not None:
            kwargs.update(value_member(value))
        if description is not None:
            kwargs["Description"] = description
        if kms is not None:
            kwargs["KmsKeyId"] = kms
        regions = None
        # Replication starts from the primary region only: a secret made elsewhere that
        # replicated would make the machine's regions primaries of each other's names.
        if replicas is not None and region == REGION:
            regions = [(r, None) for r in replicas]
            kwargs["AddReplicaRegions"] = [{"Region": r} for r in replicas]
        try:
            secret, version, created = store.create(
                name, token, value, description, "", kms, regions
            )
        except Refused as refusal:
            self._refused(refusal, name, "create_secret", region, **kwargs)
        else:
            response = self._call("create_secret", region, **kwargs)
            if created:
                # The suffix is random: a name used again after a purge gets a new ARN.
                assert re.fullmatch(
                    re.escape(arn_prefix(region) + name) + "-[A-Za-z0-9]{6}", response["ARN"]
                )
                assert response["ARN"] != self.arns.get((region, name))
                store.assign_arn(secret, response["ARN"])
                self.arns[region, name] = secret.arn
            expected: dict[str, Any] = {"ARN": secret.arn, "Name": name}
            if version is not None:
                expected["VersionId"] = version.version_id
            if secret.replicas:
                expected["ReplicationStatus"] = replication_status(secret)
            assert response == expected
        self._after(name, region)

    @rule(
        name=NAMES,
        how=HOW,
        stages=PUT_STAGES,
        token_choice=TOKEN_CHOICE,
        index=INDEX,
        value_kind=VALUE_KIND,
        where=WHERE,
    )
    def put(
        self,
        name: str,
        how: str,
        stages: list[str] | None,
        token_choice: str,
        index: int,
        value_kind: str,
        where: int,
    ) -> None:
        region = self._region(name, where)
        self._step("put", region)
        store = self._store(region)
        ident, token, value = self._ident(name, how, region), self._token(), self._value(value_kind)
        assert value is not None
        existing = store.find(name)
        if token_choice != "fresh" and existing is not None and existing.versions:
            token = self._pick_version(name, index, region, collected=False)
            earlier = existing.versions[token].value
            if token_choice == "same" and earlier is not None:
                value = earlier
        kwargs: dict[str, Any] = {"SecretId": ident, "ClientRequestToken": token}
        kwargs.update(value_member(value))
        if stages is not None:
            kwargs["VersionStages"] = stages
        try:
            secret, version = store.put(ident, token, value, stages)
        except Refused as refusal:
            self._refused(refusal, name, "put_secret_value", region, **kwargs)
        else:
            assert self._call("put_secret_value", region, **kwargs) == {
                "ARN": secret.arn,
                "Name": secret.name,
                "VersionId": version.version_id,
                "VersionStages": sorted(version.labels),
            }
        self._after(name, region)

    @rule(
        name=NAMES,
        how=HOW,
        count=st.integers(min_value=2, max_value=4),
        later=st.booleans(),
        where=WHERE,
    )
    def pile_up(self, name: str, how: str, count: int, later: bool, where: int) -> None:
        """Several PutSecretValue calls in a row, at once or a day and an hour later (when
        every deprecated version is old enough to go): what brings a secret to the
        versions quota, where the oldest deprecated version is collected or the write
        refused."""
        region = self._region(name, where)
        self._step("pile-up", region)
        if later:
            self._travel(datetime.timedelta(hours=25))
        store = self._store(region)
        ident = self._ident(name, how, region)
        for n in range(count):
            token, value = self._token(), self._value("binary" if n % 2 else "string")
            assert value is not None
            kwargs: dict[str, Any] = {"SecretId": ident, "ClientRequestToken": token}
            kwargs.update(value_member(value))
            try:
                secret, version = store.put(ident, token, value, None)
            except Refused as refusal:
                self._refused(refusal, name, "put_secret_value", region, **kwargs)
                break
            assert self._call("put_secret_value", region, **kwargs) == {
                "ARN": secret.arn,
                "Name": secret.name,
                "VersionId": version.version_id,
                "VersionStages": [AWSCURRENT],
            }
        self._after(name, region)
        # The last version the quota collected, read by its id through a replica when the
        # secret has one (its primary's ids, seen from another region), else here.
        piled = store.find(name)
        if piled is not None and piled.collected:
            collected = max(piled.collected)  # tokens count up: the latest one
            where_now = [*self._replica_regions(name, region), region][0]
            self._read(name, name, where_now, VersionId=collected)

    @rule(
        name=NAMES,
        how=HOW,
        value_kind=st.sampled_from([None, "string", "binary"]),
        description=DESCRIPTIONS,
        token_choice=TOKEN_CHOICE,
        index=INDEX,
        kms=st.sampled_from([None, None, None, "", "alias/other-key"]),
        where=WHERE,
    )
    def update(
        self,
        name: str,
        how: str,
        value_kind: str | None,
        description: str | None,
        token_choice: str,
        index: int,
        kms: str | None,
        where: int,
    ) -> None:
        region = self._region(name, where)
        self._step("update" if value_kind else "update-description", region)
        store = self._store(region)
        ident, token, value = self._ident(name, how, region), self._token(), self._value(value_kind)
        existing = store.find(name)
        if value is not None and token_choice != "fresh" and existing and existing.versions:
            token = self._pick_version(name, index, region, collected=False)
            if token_choice == "same" and existing.versions[token].value is not None:
                value = existing.versions[token].value
        kwargs: dict[str, Any] = {"SecretId": ident, "ClientRequestToken": token}
        if value is not None:
            kwargs.update(value_member(value))
        if description is not None:
            kwargs["Description"] = description
        if kms is not None:
            kwargs["KmsKeyId"] = kms
        try:
            secret, version = store.update(ident, token, value, description, kms)
        except Refused as refusal:
            self._refused(refusal, name, "update_secret", region, **kwargs)
        else:
            expected = {"ARN": secret.arn, "Name": secret.name}
            if version is not None:
                expected["VersionId"] = version.version_id
            assert self._call("update_secret", region, **kwargs) == expected
        self._after(name, region)

    @rule(
        name=NAMES,
        how=HOW,
        label=LABELS,
        move_to=st.one_of(st.none(), st.just("unknown"), INDEX),
        remove_from=st.one_of(st.none(), st.just("holder"), st.just("unknown"), INDEX),
        where=WHERE,
    )
    def update_stage(
        self, name: str, how: str, label: str, move_to: Any, remove_from: Any, where: int
    ) -> None:
        """The three forms (move, attach-only, remove-only) and the invalid ones."""
        region = self._region(name, where)
        self._step("update-version-stage", region)
        ident = self._ident(name, how, region)
        secret = self._store(region).find(name)
        holder = secret.holder(label) if secret is not None else None

        def resolve(choice: Any) -> str | None:
            if choice is None:
                return None
            if choice == "unknown":
                return UNKNOWN_VERSION
            if choice == "holder":
                return holder.version_id if holder is not None else None
            return self._pick_version(name, choice, region)

        move_id, remove_id = resolve(move_to), resolve(remove_from)
        kwargs: dict[str, Any] = {"SecretId": ident, "VersionStage": label}
        if move_id is not None:
            kwargs["MoveToVersionId"] = move_id
        if remove_id is not None:
            kwargs["RemoveFromVersionId"] = remove_id
        self._update_stage(name, region, kwargs)

    def _update_stage(self, name: str, region: str, kwargs: dict[str, Any]) -> None:
        move_id, remove_id = kwargs.get("MoveToVersionId"), kwargs.get("RemoveFromVersionId")
        form = {(True, True): "move", (True, False): "attach", (False, True): "remove"}
        FIGURES[f"version-stage:{form.get((bool(move_id), bool(remove_id)), 'neither')}"] += 1
        try:
            changed = self._store(region).update_stage(
                kwargs["SecretId"], kwargs["VersionStage"], remove_id, move_id
            )
        except Refused as refusal:
            self._refused(refusal, name, "update_secret_version_stage", region, **kwargs)
        else:
            assert self._call("update_secret_version_stage", region, **kwargs) == {
                "ARN": changed.arn,
                "Name": changed.name,
            }
        self._after(name, region)

    def _pending(self) -> list[Secret]:
        return [
            s
            for store in self.service.stores.values()
            for s in store.live()
            if s.holder(AWSPENDING) is not None
        ]

    @precondition(lambda self: bool(self._pending()))
    @rule(index=INDEX, how=HOW)
    def clear_pending(self, index: int, how: str) -> None:
        """Take AWSPENDING off its holder: how a stalled rotation is unblocked (refused on
        a replica, whose primary's rotation it shows)."""
        pending = self._pending()
        secret = pending[index % len(pending)]
        self._step("clear-pending", secret.region)
        holder = secret.holder(AWSPENDING)
        assert holder is not None
        self._update_stage(
            secret.name,
            secret.region,
            {
                "SecretId": self._ident(secret.name, how, secret.region),
                "VersionStage": AWSPENDING,
                "RemoveFromVersionId": holder.version_id,
            },
        )

    @rule(
        name=NAMES,
        how=HOW,
        max_results=st.integers(min_value=1, max_value=4),
        include_deprecated=st.booleans(),
        where=WHERE,
    )
    def page_versions(
        self, name: str, how: str, max_results: int, include_deprecated: bool, where: int
    ) -> None:
        """ListSecretVersionIds page by page gives exactly the whole listing, in order."""
        region = self._region(name, where)
        self._step("page-versions", region)
        ident = self._ident(name, how, region)
        secret = self._store(region).find(ident)
        if secret is None:
            self._refused(
                Refused("ResourceNotFoundException", NOT_FOUND),
                name,
                "list_secret_version_ids",
                region,
                SecretId=ident,
            )
            return
        kwargs: dict[str, Any] = {"SecretId": ident, "MaxResults": max_results}
        if include_deprecated:
            kwargs["IncludeDeprecated"] = True
        pages = []
        while True:
            page = self._call("list_secret_version_ids", region, **kwargs)
            assert (page["ARN"], page["Name"]) == (secret.arn, secret.name)
            pages.append(page["Versions"])
            if "NextToken" not in page:
                break
            kwargs["NextToken"] = page["NextToken"]
        # Only versions that hold a value: a failed rotation's empty stub is not listed.
        expected = [
            listed_version(v)
            for v in secret.versions.values()
            if v.value is not None and (include_deprecated or v.labels)
        ]
        # Every page but the last is full; the last one is never empty unless all are.
        assert [len(p) for p in pages] == [
            len(expected[i : i + max_results]) for i in range(0, max(len(expected), 1), max_results)
        ]
        assert [v for p in pages for v in p] == expected

    @rule(
        max_results=st.integers(min_value=1, max_value=2),
        planned=st.booleans(),
        region=st.sampled_from([REGION, REGION, *REPLICA_REGIONS]),
    )
    def page_secrets(self, max_results: int, planned: bool, region: str) -> None:
        """ListSecrets page by page gives exactly the whole listing, in order."""
        self._step("page-secrets", region)
        kwargs: dict[str, Any] = {"MaxResults": max_results}
        if planned:
            kwargs["IncludePlannedDeletion"] = True
        pages = []
        while True:
            page = self._call("list_secrets", region, **kwargs)
            pages.append(page["SecretList"])
            if "NextToken" not in page:
                break
            kwargs["NextToken"] = page["NextToken"]
        expected = [
            described(s, listing=True)
            for s in self._store(region).live()
            if planned or not s.scheduled
        ]
        assert [len(p) for p in pages] == [
            len(expected[i : i + max_results]) for i in range(0, max(len(expected), 1), max_results)
        ]
        assert [without_metadata(e) for p in pages for e in p] == expected

    @rule(
        name=NAMES,
        how=HOW,
        by=st.sampled_from(["stage", "id", "both", "collected"]),
        label=LABELS,
        index=INDEX,
        where=WHERE,
    )
    def read(self, name: str, how: str, by: str, label: str, index: int, where: int) -> None:
        """GetSecretValue by VersionStage, by VersionId (deprecated ones too), both, or by
        the id of a version the quota collected (when there is one)."""
        region = self._region(name, where)
        self._step("read", region)
        kwargs: dict[str, Any] = {}
        secret = self._store(region).find(name)
        if by == "collected" and secret is not None and secret.collected:
            kwargs["VersionId"] = sorted(secret.collected)[index % len(secret.collected)]
        elif by != "stage":
            kwargs["VersionId"] = self._pick_version(name, index, region)
        if by in ("stage", "both"):
            kwargs["VersionStage"] = label
        self._read(name, self._ident(name, how, region), region, **kwargs)
        self._after(name, region)

    @rule(name=NAMES, how=HOW, window=RECOVERY_WINDOW, force=st.booleans(), where=WHERE)
    def delete(self, name: str, how: str, window: int | None, force: bool, where: int) -> None:
        region = self._region(name, where)
        self._step("delete-force" if force else "delete", region)
        ident = self._ident(name, how, region)
        kwargs: dict[str, Any] = {"SecretId": ident}
        if window is not None:
            kwargs["RecoveryWindowInDays"] = window
        if force:
            kwargs["ForceDeleteWithoutRecovery"] = True
        before = self._seen(name, region)
        try:
            secret, deletion_date = self._store(region).delete(ident, window, force)
        except Refused as refusal:
            self._refused(refusal, name, "delete_secret", region, **kwargs)
            self._after(name, region)
            return
        response = self._call("delete_secret", region, **kwargs)
        assert response["DeletionDate"] == deletion_date
        prefix = arn_prefix(region)
        if secret is not None:
            assert (response["ARN"], response["Name"]) == (secret.arn, secret.name)
        else:
            # Force delete of an unknown id succeeds and names it; a full ARN is echoed.
            tail = ident[len(prefix) :] if ident.startswith(prefix) else None
            if tail is not None and re.fullmatch(".*-[A-Za-z0-9]{6}", tail):
                assert (response["ARN"], response["Name"]) == (ident, tail[:-7])
            else:
                unknown = ident if tail is None else tail
                assert response["Name"] == unknown
                assert re.fullmatch(
                    re.escape(f"{prefix}{unknown}-") + "[A-Za-z0-9]{6}", response["ARN"]
                )
        if secret is not None and force:
            self.restore_points.pop((region, name), None)
        elif secret is not None:
            self.restore_points[region, name] = before
        self._after(name, region)

    @rule(name=NAMES, how=HOW, where=WHERE)
    def restore(self, name: str, how: str, where: int) -> None:
        region = self._region(name, where)
        self._step("restore", region)
        store = self._store(region)
        ident = self._ident(name, how, region)
        try:
            secret = store.find(ident)
            was_scheduled = secret is not None and secret.scheduled
            secret = store.restore(ident)
        except Refused as refusal:
            self._refused(refusal, name, "restore_secret", region, SecretId=ident)
        else:
            assert self._call("restore_secret", region, SecretId=ident) == {
                "ARN": secret.arn,
                "Name": secret.name,
            }
            if was_scheduled:
                # Exactly the state before DeleteSecret: labels, versions, description,
                # dates, rotation settings.
                assert self._seen(name, region) == self.restore_points.pop((region, name))
        self._after(name, region)

    # -- tags and the resource policy ---------------------------------------------------------

    @rule(
        name=NAMES,
        how=HOW,
        op=st.sampled_from(["tag", "tag", "untag", "put-policy", "delete-policy"]),
        key=st.sampled_from(["team", "tier"]),
        index=st.integers(min_value=0, max_value=1),
        where=WHERE,
    )
    def metadata(self, name: str, how: str, op: str, key: str, index: int, where: int) -> None:
        """TagResource, UntagResource, PutResourcePolicy and DeleteResourcePolicy: on a
        primary they reach its replicas, on a replica they are refused."""
        region = self._region(name, where)
        self._step(op, region)
        store = self._store(region)
        ident = self._ident(name, how, region)
        calls: dict[str, tuple[str, dict[str, Any]]] = {
            "tag": ("tag_resource", {"Tags": [{"Key": key, "Value": f"v{index}"}]}),
            "untag": ("untag_resource", {"TagKeys": [key]}),
            "put-policy": ("put_resource_policy", {"ResourcePolicy": POLICIES[index]}),
            "delete-policy": ("delete_resource_policy", {}),
        }
        method, kwargs = calls[op]
        try:
            if op == "tag":
                secret = store.tag(ident, key, f"v{index}")
            elif op == "untag":
                secret = store.untag(ident, key)
            elif op == "put-policy":
                secret = store.put_policy(ident, POLICIES[index])
            else:
                secret = store.delete_policy(ident)
        except Refused as refusal:
            self._refused(refusal, name, method, region, SecretId=ident, **kwargs)
        else:
            expected = {} if op in ("tag", "untag") else {"ARN": secret.arn, "Name": secret.name}
            assert self._call(method, region, SecretId=ident, **kwargs) == expected
        self._after(name, region)
        for where_now in [region, *self._replica_regions(name, region)]:
            self._check_policy(name, where_now)

    def _replica_regions(self, name: str, region: str) -> list[str]:
        secret = self._store(region).find(name)
        if secret is None:
            return []
        return [r for r, entry in secret.replicas.items() if not entry.failed]

    def _check_policy(self, name: str, region: str) -> None:
        try:
            secret = self._store(region).get_policy(name)
        except Refused as exc:
            refusal: Refused | None = exc
        else:
            refusal = None
        if refusal is not None:
            with pytest.raises(ClientError) as exc_info:
                self.client(region, observe=True).get_resource_policy(SecretId=name)
            assert error_of(exc_info.value) == (refusal.code, refusal.message)
            return
        expected = {"ARN": secret.arn, "Name": secret.name}
        if secret.policy is not None:
            expected["ResourcePolicy"] = secret.policy
        assert self._call("get_resource_policy", region, observe=True, SecretId=name) == expected

    # -- replication ------------------------------------------------------------------------------

    @rule(
        name=NAMES,
        how=HOW,
        regions=REPLICA_TARGETS,
        kms=st.sampled_from([None, None, "alias/replica-key"]),
        force=st.booleans(),
        where=WHERE,
    )
    def replicate(
        self, name: str, how: str, regions: list[str], kms: str | None, force: bool, where: int
    ) -> None:
        """ReplicateSecretToRegions: new replicas, name clashes (Failed, or replaced with
        ForceOverwriteReplicaSecret), bad regions; refused in a replica's region."""
        region = self._region(name, where)
        secret = self._store(region).find(name)
        if secret is not None and not secret.is_replica and not secret.scheduled:
            # Replication starts from the primary region only (see create).
            region = REGION
        self._step("replicate", region)
        store = self._store(region)
        ident = self._ident(name, how, region)
        # The first region gets the customer key, if any.
        pairs = [(r, kms if i == 0 else None) for i, r in enumerate(regions)]
        kwargs: dict[str, Any] = {
            "SecretId": ident,
            "AddReplicaRegions": [
                {"Region": r, **({"KmsKeyId": k} if k is not None else {})} for r, k in pairs
            ],
        }
        if force:
            kwargs["ForceOverwriteReplicaSecret"] = True
        try:
            primary = store.replicate(ident, pairs, force)
        except Refused as refusal:
            self._refused(refusal, name, "replicate_secret_to_regions", region, **kwargs)
        else:
            assert self._call("replicate_secret_to_regions", region, **kwargs) == {
                "ARN": primary.arn,
                "ReplicationStatus": replication_status(primary),
            }
            for target in regions:
                failed = primary.replicas[target].failed
                FIGURES["replicas-failed" if failed else "replicas-made"] += 1
        self._after(name, region)

    @rule(
        name=NAMES,
        how=HOW,
        # A region named twice is refused, like in AddReplicaRegions.
        regions=st.lists(st.sampled_from(REPLICA_REGIONS), min_size=1, max_size=3),
        where=WHERE,
    )
    def remove_regions(self, name: str, how: str, regions: list[str], where: int) -> None:
        """RemoveRegionsFromReplication: the replicas go at once; a failed region's own
        secret stays. Refused for a region not replicated or named twice, and in a
        replica's region."""
        region = self._region(name, where)
        self._step("remove-regions", region)
        store = self._store(region)
        ident = self._ident(name, how, region)
        kwargs: dict[str, Any] = {"SecretId": ident, "RemoveReplicaRegions": regions}
        try:
            primary = store.remove_regions(ident, regions)
        except Refused as refusal:
            self._refused(refusal, name, "remove_regions_from_replication", region, **kwargs)
        else:
            assert self._call("remove_regions_from_replication", region, **kwargs) == {
                "ARN": primary.arn,
                "ReplicationStatus": replication_status(primary),
            }
        self._after(name, region)
        for target in dict.fromkeys(regions):
            self.dirty.add(target)
            self._check(name, target)

    def _outside(self) -> list[Secret]:
        """The secrets outside the primary region: replicas, promoted and local ones."""
        return [
            s
            for region in REPLICA_REGIONS
            if region in self.service.stores
            for s in self._store(region).live()
        ]

    @precondition(lambda self: bool(self._outside()))
    @rule(index=INDEX, how=HOW, on_primary=st.sampled_from([False, False, False, True]))
    def stop_replication(self, index: int, how: str, on_primary: bool) -> None:
        """StopReplicationToReplica in the replica's region: a standalone secret with its
        own copy of the versions. Refused on a primary or a standalone secret."""
        outside = self._outside()
        name = outside[index % len(outside)].name
        region = REGION if on_primary else outside[index % len(outside)].region
        self._step("stop-replication", region)
        store = self._store(region)
        ident = self._ident(name, how, region)
        try:
            promoted = store.stop_replication(ident)
        except Refused as refusal:
            self._refused(refusal, name, "stop_replication_to_replica", region, SecretId=ident)
        else:
            answer = self._call("stop_replication_to_replica", region, SecretId=ident)
            assert answer == {"ARN": promoted.arn}
            FIGURES["promotions"] += 1
        self._after(name, region)
        if region != REGION:
            # The former primary's remaining replicas still show its versions.
            self._after(name, REGION)

    # -- time ------------------------------------------------------------------------------------

    def _travel(self, delta: datetime.timedelta) -> None:
        self.clock.tick(delta)
        self.service.advance(delta)
        self.dirty.update(self.regions_used)
        assert datetime.datetime.now(UTC) == self.model.now
        # Time changes nothing but purges: the listing invariant sees the survivors, and
        # a purged secret must be gone everywhere.
        for name in NAME_LIST:
            if self.model.find(name) is None:
                self.restore_points.pop((REGION, name), None)
                self._check(name)
        for region, name in list(self.restore_points):
            if region != REGION and self._store(region).find(name) is None:
                del self.restore_points[region, name]
                self._check(name, region)

    def _scheduled(self) -> list[Secret]:
        return [s for store in self.service.stores.values() for s in store.live() if s.scheduled]

    @rule(seconds=TICK_SECONDS, snap=st.sampled_from([None, None, -1, 0]))
    def tick(self, seconds: int, snap: int | None) -> None:
        """Hours to weeks ahead; or, with ``snap``, exactly onto the earliest DeletionDate
        (0) or one second before it (-1), where an off-by-one purge would show."""
        self._step("tick")
        delta = datetime.timedelta(seconds=seconds)
        deadlines = [s.purge_at for s in self._scheduled() if s.purge_at is not None]
        if snap is not None and deadlines:
            FIGURES[f"ticks-onto-deletion-date{snap:+d}s"] += 1
            delta = min(deadlines) + datetime.timedelta(seconds=snap) - self.model.now
        if delta > datetime.timedelta(0):
            self._travel(delta)

    @precondition(lambda self: bool(self._scheduled()))
    @rule(index=INDEX, offset=st.sampled_from([-1, 0]))
    def travel_to_deletion_date(self, index: int, offset: int) -> None:
        """To one second before a DeletionDate (still there), or onto it (purged)."""
        self._step("travel-to-deletion")
        scheduled = self._scheduled()
        secret = scheduled[index % len(scheduled)]
        assert secret.purge_at is not None
        delta = secret.purge_at + datetime.timedelta(seconds=offset) - self.model.now
        if delta > datetime.timedelta(0):
            self._travel(delta)
        observer = self.client(secret.region, observe=True)
        if offset < 0:
            FIGURES["present-a-second-before-deletion-date"] += 1
            described_now = observer.describe_secret(SecretId=secret.name)
            assert described_now["DeletedDate"] == secret.deleted
        else:
            FIGURES["purges-at-deletion-date"] += 1
            with pytest.raises(ClientError) as exc:
                observer.describe_secret(SecretId=secret.name)
            assert error_of(exc.value) == ("ResourceNotFoundException", NOT_FOUND)

    # -- rotation ------------------------------------------------------------------------------

    def _rotation_function(self, event: dict[str, str], context: Any) -> None:
        """A rotation Lambda in the shape of AWS's templates, failing where told to."""
        self.events.append(dict(event))
        step, arn, token = event["Step"], event["SecretId"], event["ClientRequestToken"]
        if step == self.plan.fail_at:
            raise InjectedFailure(step)
        client = self.function_client
        if step == "createSecret":
            client.get_secret_value(SecretId=arn, VersionStage=AWSCURRENT)
            client.put_secret_value(
                SecretId=arn,
                ClientRequestToken=token,
                SecretString=self.plan.value,
                VersionStages=[AWSPENDING],
            )
        elif step == "testSecret":
            client.get_secret_value(SecretId=arn, VersionId=token, VersionStage=AWSPENDING)
        elif step == "finishSecret":
            stages = client.describe_secret(SecretId=arn).get("VersionIdsToStages", {})
            current = next((vid for vid, labels in stages.items() if AWSCURRENT in labels), None)
            if current != token:
                kwargs = {"RemoveFromVersionId": current} if current is not None else {}
                client.update_secret_version_stage(
                    SecretId=arn, VersionStage=AWSCURRENT, MoveToVersionId=token, **kwargs
                )
            if self.plan.strip_pending:
                client.update_secret_version_stage(
                    SecretId=arn, VersionStage=AWSPENDING, RemoveFromVersionId=token
                )

    @rule(
        name=NAMES,
        how=HOW,
        # Weighted towards rotations that run, and run to the end.
        function=st.sampled_from(["registered", "registered", "stored", "missing"]),
        fail_at=st.sampled_from([None, None, None, *ROTATION_STEPS]),
        strip_pending=st.booleans(),
        immediately=st.sampled_from([True, True, False]),
        reuse_token=st.booleans(),
        index=INDEX,
        where=WHERE,
    )
    def rotate(
        self,
        name: str,
        how: str,
        function: str,
        fail_at: str | None,
        strip_pending: bool,
        immediately: bool,
        reuse_token: bool,
        index: int,
        where: int,
    ) -> None:
        region = self._region(name, where)
        self._step("rotate", region)
        store = self._store(region)
        ident, token = self._ident(name, how, region), self._token()
        if reuse_token and self._version_ids(name, region, collected=False):
            token = self._pick_version(name, index, region, collected=False)
        kwargs: dict[str, Any] = {"SecretId": ident, "ClientRequestToken": token}
        function_arn = {"registered": FUNCTION_ARN, "missing": MISSING_FUNCTION_ARN}.get(function)
        if function_arn is not None:
            kwargs["RotationLambdaARN"] = function_arn
        if not immediately:
            kwargs["RotateImmediately"] = False
        value = self._value()
        assert isinstance(value, str)  # the rotation function writes SecretString
        self.plan = RotationPlan(value, fail_at, strip_pending)
        self.events = []
        failures_before = len(self.backend.rotation_failures)
        expected: list[type[Warning]] = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                outcome = store.rotate(
                    ident, token, function_arn, {FUNCTION_ARN}, self.plan, immediately
                )
            except Refused as refusal:
                self._refused(refusal, name, "rotate_secret", region, **kwargs)
                assert self.events == []
                if refusal.code == "AccessDeniedException":
                    expected = [UnregisteredRotationFunctionWarning]
            else:
                secret = store.find(name)
                assert secret is not None
                assert self._call("rotate_secret", region, **kwargs) == {
                    "ARN": secret.arn,
                    "Name": secret.name,
                    "VersionId": token,
                }
                self._check_rotation(secret, outcome, failures_before)
                if outcome.failed_step is not None:
                    expected = [RotationFailedWarning]
        # A failed rotation warns once at the call; an unregistered function, with its
        # AccessDeniedException, says how to register one.
        assert [w.category for w in caught] == expected
        self._after(name, region)

    def _check_rotation(self, secret: Secret, outcome: RotationOutcome, before: int) -> None:
        assert [e["Step"] for e in self.events] == outcome.steps
        for event in self.events:
            assert set(event) == {"Step", "SecretId", "ClientRequestToken", "RotationToken"}
            assert (event["SecretId"], event["ClientRequestToken"]) == (
                secret.arn,
                outcome.version_id,
            )
        failures = self.backend.rotation_failures[before:]
        if outcome.failed_step is None:
            assert failures == []
            FIGURES["rotations-succeeded"] += 1
            return
        FIGURES["rotations-failed"] += 1
        assert len(failures) == 1
        failure = failures[0]
        assert (failure.secret_arn, failure.version_id, failure.step) == (
            secret.arn,
            outcome.version_id,
            outcome.failed_step,
        )
        injected = outcome.failed_step == self.plan.fail_at
        assert isinstance(failure.error, InjectedFailure if injected else ClientError)


def test_random_lifecycles_match_the_reference_model() -> None:
    if PROFILE not in MIN_STEPS:
        pytest.fail(f"SMMOCK_PROFILE must be one of {sorted(MIN_STEPS)}, not {PROFILE!r}.")
    FIGURES.clear()
    run_state_machine_as_test(
        SecretsLifecycle, settings=settings.get_profile(f"smmock-stateful-{PROFILE}")
    )
    print(
        f"\nstateful profile {PROFILE}: "
        + ", ".join(f"{k}={v}" for k, v in sorted(FIGURES.items()))
    )
    assert FIGURES["steps"] >= MIN_STEPS[PROFILE]
