"""Random sequences of the secret lifecycle, through a real boto3 client, against a model.

A hypothesis ``RuleBasedStateMachine`` creates, writes, relabels, deletes, restores and
rotates a handful of secrets while the frozen clock jumps hours to weeks ahead. Before
each call :mod:`tests.reference_model` predicts the answer; the call must give exactly
that (same response, or the same error code and message), and a refused call must leave
DescribeSecret, the version listing and ListSecrets exactly as they were. After every
step the touched secret is read back in full (DescribeSecret, ListSecretVersionIds with
and without IncludeDeprecated, GetSecretValue) and compared with the model, and AWS's
invariants are checked on what the service itself answered: at most one holder per
label, exactly one AWSCURRENT once a version has a value, deprecated exactly when
unlabelled, scheduled secrets refuse reads, purge exactly at DeletionDate, RestoreSecret
brings back exactly the state before DeleteSecret.

Profiles (``SMMOCK_PROFILE``, default ``ci``): ``ci`` runs about 2,600 to 3,100 steps,
``long`` about 13,000 to 14,000. See docs/testing.md.
"""

from __future__ import annotations

import datetime
import itertools
import os
import re
from collections import Counter
from typing import Any

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

from smmock import mock_secrets
from tests.reference_model import (
    AWSCURRENT,
    AWSPENDING,
    AWSPREVIOUS,
    MARKED_FOR_DELETION,
    NOT_FOUND,
    ROTATION_STEPS,
    Refused,
    RotationOutcome,
    RotationPlan,
    Secret,
    Store,
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
REGION = "us-east-1"
ARN_PREFIX = f"arn:aws:secretsmanager:{REGION}:123456789012:secret:"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate-secret"
MISSING_FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:never-registered"
UNKNOWN_VERSION = "unknown-version-000000000000000000"
# One retry would hide nothing but cost time: a 500 must surface at once.
NO_RETRIES = Config(retries={"total_max_attempts": 1})
# The observer reads state back after every step. SigV4 signing under a frozen clock
# costs as much as smmock's whole answer, and is botocore's work, not smmock's: the
# observer sends unsigned requests, while the calls under test are signed as usual.
OBSERVER = Config(retries={"total_max_attempts": 1}, signature_version=UNSIGNED)
NAME_LIST = ["alpha", "beta/one", "gamma-7"]

NAMES = st.sampled_from(NAME_LIST)
HOW = st.sampled_from(["name", "arn", "partial"])
LABELS = st.sampled_from([AWSCURRENT, AWSPREVIOUS, AWSPENDING, "blue", "green"])
# PutSecretValue's VersionStages. AWSPREVIOUS is left to UpdateSecretVersionStage: listed
# together with AWSCURRENT its outcome would depend on the order AWS applies them in.
PUT_STAGES = st.one_of(
    st.none(),
    st.lists(st.sampled_from([AWSCURRENT, AWSPENDING, "blue", "green"]), min_size=1, max_size=3),
)
DESCRIPTIONS = st.sampled_from([None, "", "first words", "second words"])
INDEX = st.integers(min_value=0, max_value=63)
TOKEN_CHOICE = st.sampled_from(["fresh", "same", "other"])
RECOVERY_WINDOW = st.one_of(
    st.none(), st.integers(min_value=7, max_value=30), st.sampled_from([0, 6, 31])
)
TICK_SECONDS = st.integers(min_value=3_600, max_value=40 * 86_400)


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
    stages = secret.stages()
    if stages:
        out["SecretVersionsToStages" if listing else "VersionIdsToStages"] = stages
    return out


def listed_version(version: Version) -> dict[str, Any]:
    out: dict[str, Any] = {
        "VersionId": version.version_id,
        "CreatedDate": version.created,
        "KmsKeyIds": ["DefaultEncryptionKey"],
    }
    if version.labels:
        out["VersionStages"] = sorted(version.labels)
    if version.accessed is not None:
        out["LastAccessedDate"] = version.accessed
    return out


class SecretsLifecycle(RuleBasedStateMachine):
    """One example: a fresh mock, a clock frozen at START and a model to agree with."""

    def __init__(self) -> None:
        super().__init__()
        # Every example starts at the same instant, whatever the previous one did.
        self._freezer = freeze_time(START)
        self.clock = self._freezer.start()
        self._mock = mock_secrets(region=REGION)
        self.backend = self._mock.start()
        self.client = boto3.client("secretsmanager", region_name=REGION, config=NO_RETRIES)
        self.observer = boto3.client("secretsmanager", region_name=REGION, config=OBSERVER)
        # The rotation function's own client, as a Lambda would build it.
        self.function_client = boto3.client("secretsmanager", region_name=REGION, config=NO_RETRIES)
        self.backend.register_rotation_function(FUNCTION_ARN, self._rotation_function)
        self.model = Store(START, ARN_PREFIX)
        self.serial = itertools.count(1)
        self.arns: dict[str, str] = {}  # the last ARN each name was given
        self.restore_points: dict[str, Any] = {}
        self.plan = RotationPlan("")
        self.events: list[dict[str, str]] = []
        FIGURES["examples"] += 1

    def teardown(self) -> None:
        try:
            self._mock.stop()
        finally:
            self._freezer.stop()

    # -- plumbing ------------------------------------------------------------------------

    def _step(self, kind: str) -> None:
        FIGURES["steps"] += 1
        FIGURES[f"rule:{kind}"] += 1

    def _token(self) -> str:
        return f"token-{next(self.serial):026d}"

    def _value(self) -> str:
        return f"value-{next(self.serial)}"

    def _ident(self, name: str, how: str) -> str:
        if how == "arn" and name in self.arns:
            return self.arns[name]  # possibly the ARN of a purged secret
        if how == "partial":
            return ARN_PREFIX + name
        return name

    def _version_ids(self, name: str, *, collected: bool = True) -> list[str]:
        secret = self.model.find(name)
        if secret is None:
            return []
        return list(secret.versions) + (sorted(secret.collected) if collected else [])

    def _pick_version(self, name: str, index: int, *, collected: bool = True) -> str:
        """A VersionId of the secret (or one the quota collected); UNKNOWN_VERSION if none."""
        ids = self._version_ids(name, collected=collected)
        return ids[index % len(ids)] if ids else UNKNOWN_VERSION

    def _state_of(self, name: str) -> Any:
        """Everything a caller can see of one secret, and ListSecrets with scheduled ones."""
        try:
            described_now = without_metadata(self.observer.describe_secret(SecretId=name))
            versions = self.observer.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)
            seen: Any = (described_now, without_metadata(versions)["Versions"])
        except ClientError as exc:
            seen = error_of(exc)
        listing = self.observer.list_secrets(IncludePlannedDeletion=True)["SecretList"]
        return seen, [without_metadata(entry) for entry in listing]

    def _refused(self, refusal: Refused, name: str, method: str, **kwargs: Any) -> None:
        """The call must fail exactly as the model says, and change nothing."""
        before = self._state_of(name)
        with pytest.raises(ClientError) as exc:
            getattr(self.client, method)(**kwargs)
        assert error_of(exc.value) == (refusal.code, refusal.message), error_of(exc.value)
        assert self._state_of(name) == before, f"the refused {method} changed the secret"
        FIGURES["refusals"] += 1
        FIGURES[f"refused:{refusal.code}"] += 1

    def _call(self, method: str, *, observe: bool = False, **kwargs: Any) -> dict[str, Any]:
        try:
            response = getattr(self.observer if observe else self.client, method)(**kwargs)
        except ClientError as exc:
            raise AssertionError(f"{method} failed, the model expected success: {exc}") from exc
        return without_metadata(response)

    # -- reading back ------------------------------------------------------------------------

    def _check(self, name: str) -> None:
        """Read one secret back in full and compare it with the model."""
        secret = self.model.find(name)
        if secret is None:
            for method in ("describe_secret", "list_secret_version_ids", "get_secret_value"):
                with pytest.raises(ClientError) as exc:
                    getattr(self.observer, method)(SecretId=name)
                assert error_of(exc.value) == ("ResourceNotFoundException", NOT_FOUND)
            return
        seen = self._call("describe_secret", observe=True, SecretId=name)
        assert seen == described(secret)
        everything = self._call(
            "list_secret_version_ids", observe=True, SecretId=name, IncludeDeprecated=True
        )
        labelled = self._call("list_secret_version_ids", observe=True, SecretId=name)
        assert everything["Versions"] == [listed_version(v) for v in secret.versions.values()]
        assert labelled["Versions"] == [
            listed_version(v) for v in secret.versions.values() if v.labels
        ]
        self._check_invariants(seen, everything["Versions"], labelled["Versions"], secret)
        self._check_current_read(name, secret)

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
        assert {v["VersionId"]: sorted(v["VersionStages"]) for v in labelled} == stages
        assert all("VersionStages" not in v or v["VersionStages"] for v in everything)

    def _check_current_read(self, name: str, secret: Secret) -> None:
        """GetSecretValue with no version or stage: AWSCURRENT, or the exact refusal."""
        try:
            _, version = self.model.get_value(name)
        except Refused as exc:
            refusal: Refused | None = exc
        else:
            refusal = None
        if refusal is not None:
            # Scheduled secrets refuse reads, with AWS's code and message.
            if secret.scheduled:
                assert refusal.message == MARKED_FOR_DELETION
            with pytest.raises(ClientError) as exc_info:
                self.observer.get_secret_value(SecretId=name)
            assert error_of(exc_info.value) == (refusal.code, refusal.message)
            return
        assert self._call("get_secret_value", observe=True, SecretId=name) == {
            "ARN": secret.arn,
            "Name": secret.name,
            "VersionId": version.version_id,
            "SecretString": version.value,
            # A deprecated version has no labels: the member is left out (the model's
            # VersionStages list has min 1).
            **({"VersionStages": sorted(version.labels)} if version.labels else {}),
            "CreatedDate": version.created,
        }

    def _read(self, name: str, ident: str, **kwargs: Any) -> None:
        try:
            _, version = self.model.get_value(
                ident, kwargs.get("VersionId"), kwargs.get("VersionStage")
            )
        except Refused as refusal:
            self._refused(refusal, name, "get_secret_value", SecretId=ident, **kwargs)
            return
        secret = self.model.find(name)
        assert secret is not None
        assert self._call("get_secret_value", SecretId=ident, **kwargs) == {
            "ARN": secret.arn,
            "Name": secret.name,
            "VersionId": version.version_id,
            "SecretString": version.value,
            # A deprecated version has no labels: the member is left out (the model's
            # VersionStages list has min 1).
            **({"VersionStages": sorted(version.labels)} if version.labels else {}),
            "CreatedDate": version.created,
        }

    @invariant()
    def listings_match(self) -> None:
        secrets = list(self.model.live())
        everything = self.observer.list_secrets(IncludePlannedDeletion=True)["SecretList"]
        assert [without_metadata(e) for e in everything] == [
            described(s, listing=True) for s in secrets
        ]
        # Scheduled secrets are hidden unless asked for.
        active = self.observer.list_secrets()["SecretList"]
        assert [without_metadata(e) for e in active] == [
            described(s, listing=True) for s in secrets if not s.scheduled
        ]

    # -- the lifecycle --------------------------------------------------------------------------

    @initialize(with_values=st.lists(st.booleans(), min_size=3, max_size=3))
    def seed(self, with_values: list[bool]) -> None:
        """Start with every name in use, each with a value or without one."""
        self._step("seed")
        for name, with_value in zip(NAME_LIST, with_values, strict=True):
            self.create(name, with_value, None, "fresh", 0)
            FIGURES["steps"] -= 1

    @rule(
        name=NAMES,
        with_value=st.booleans(),
        description=DESCRIPTIONS,
        token_choice=TOKEN_CHOICE,
        index=INDEX,
    )
    def create(
        self, name: str, with_value: bool, description: str | None, token_choice: str, index: int
    ) -> None:
        self._step("create")
        token, value = self._token(), self._value() if with_value else None
        existing = self.model.find(name)
        if token_choice != "fresh" and existing is not None and existing.versions:
            # A retry of an earlier request (same token), with its value or another one.
            token = self._pick_version(name, index, collected=False)
            if token_choice == "same":
                value = existing.versions[token].value
        kwargs: dict[str, Any] = {"Name": name, "ClientRequestToken": token}
        if value is not None:
            kwargs["SecretString"] = value
        if description is not None:
            kwargs["Description"] = description
        try:
            secret, version, created = self.model.create(name, token, value, description, "")
        except Refused as refusal:
            self._refused(refusal, name, "create_secret", **kwargs)
        else:
            response = self._call("create_secret", **kwargs)
            if created:
                # The suffix is random: a name used again after a purge gets a new ARN.
                assert re.fullmatch(
                    re.escape(ARN_PREFIX + name) + "-[A-Za-z0-9]{6}", response["ARN"]
                )
                assert response["ARN"] != self.arns.get(name)
                secret.arn = self.arns[name] = response["ARN"]
            expected = {"ARN": secret.arn, "Name": name}
            if version is not None:
                expected["VersionId"] = version.version_id
            assert response == expected
        self._check(name)

    @rule(name=NAMES, how=HOW, stages=PUT_STAGES, token_choice=TOKEN_CHOICE, index=INDEX)
    def put(
        self, name: str, how: str, stages: list[str] | None, token_choice: str, index: int
    ) -> None:
        self._step("put")
        ident, token, value = self._ident(name, how), self._token(), self._value()
        existing = self.model.find(name)
        if token_choice != "fresh" and existing is not None and existing.versions:
            token = self._pick_version(name, index, collected=False)
            earlier = existing.versions[token].value
            if token_choice == "same" and earlier is not None:
                value = earlier
        kwargs: dict[str, Any] = {"SecretId": ident, "ClientRequestToken": token}
        kwargs["SecretString"] = value
        if stages is not None:
            kwargs["VersionStages"] = stages
        try:
            secret, version = self.model.put(ident, token, value, stages)
        except Refused as refusal:
            self._refused(refusal, name, "put_secret_value", **kwargs)
        else:
            assert self._call("put_secret_value", **kwargs) == {
                "ARN": secret.arn,
                "Name": secret.name,
                "VersionId": version.version_id,
                "VersionStages": sorted(version.labels),
            }
        self._check(name)

    @rule(
        name=NAMES,
        how=HOW,
        with_value=st.booleans(),
        description=DESCRIPTIONS,
        token_choice=TOKEN_CHOICE,
        index=INDEX,
    )
    def update(
        self,
        name: str,
        how: str,
        with_value: bool,
        description: str | None,
        token_choice: str,
        index: int,
    ) -> None:
        self._step("update" if with_value else "update-description")
        ident, token = self._ident(name, how), self._token()
        value = self._value() if with_value else None
        existing = self.model.find(name)
        if with_value and token_choice != "fresh" and existing is not None and existing.versions:
            token = self._pick_version(name, index, collected=False)
            if token_choice == "same" and existing.versions[token].value is not None:
                value = existing.versions[token].value
        kwargs: dict[str, Any] = {"SecretId": ident, "ClientRequestToken": token}
        if value is not None:
            kwargs["SecretString"] = value
        if description is not None:
            kwargs["Description"] = description
        try:
            secret, version = self.model.update(ident, token, value, description)
        except Refused as refusal:
            self._refused(refusal, name, "update_secret", **kwargs)
        else:
            expected = {"ARN": secret.arn, "Name": secret.name}
            if version is not None:
                expected["VersionId"] = version.version_id
            assert self._call("update_secret", **kwargs) == expected
        self._check(name)

    @rule(
        name=NAMES,
        how=HOW,
        label=LABELS,
        move_to=st.one_of(st.none(), st.just("unknown"), INDEX),
        remove_from=st.one_of(st.none(), st.just("holder"), st.just("unknown"), INDEX),
    )
    def update_stage(self, name: str, how: str, label: str, move_to: Any, remove_from: Any) -> None:
        """The three forms (move, attach-only, remove-only) and the invalid ones."""
        self._step("update-version-stage")
        ident = self._ident(name, how)
        secret = self.model.find(name)
        holder = secret.holder(label) if secret is not None else None

        def resolve(choice: Any) -> str | None:
            if choice is None:
                return None
            if choice == "unknown":
                return UNKNOWN_VERSION
            if choice == "holder":
                return holder.version_id if holder is not None else None
            return self._pick_version(name, choice)

        move_id, remove_id = resolve(move_to), resolve(remove_from)
        kwargs: dict[str, Any] = {"SecretId": ident, "VersionStage": label}
        if move_id is not None:
            kwargs["MoveToVersionId"] = move_id
        if remove_id is not None:
            kwargs["RemoveFromVersionId"] = remove_id
        self._update_stage(name, kwargs)

    def _update_stage(self, name: str, kwargs: dict[str, Any]) -> None:
        move_id, remove_id = kwargs.get("MoveToVersionId"), kwargs.get("RemoveFromVersionId")
        form = {(True, True): "move", (True, False): "attach", (False, True): "remove"}
        FIGURES[f"version-stage:{form.get((bool(move_id), bool(remove_id)), 'neither')}"] += 1
        try:
            changed = self.model.update_stage(
                kwargs["SecretId"], kwargs["VersionStage"], remove_id, move_id
            )
        except Refused as refusal:
            self._refused(refusal, name, "update_secret_version_stage", **kwargs)
        else:
            assert self._call("update_secret_version_stage", **kwargs) == {
                "ARN": changed.arn,
                "Name": changed.name,
            }
        self._check(name)

    def _pending(self) -> list[Secret]:
        return [s for s in self.model.live() if s.holder(AWSPENDING) is not None]

    @precondition(lambda self: bool(self._pending()))
    @rule(index=INDEX, how=HOW)
    def clear_pending(self, index: int, how: str) -> None:
        """Take AWSPENDING off its holder: how a stalled rotation is unblocked."""
        self._step("clear-pending")
        pending = self._pending()
        secret = pending[index % len(pending)]
        holder = secret.holder(AWSPENDING)
        assert holder is not None
        self._update_stage(
            secret.name,
            {
                "SecretId": self._ident(secret.name, how),
                "VersionStage": AWSPENDING,
                "RemoveFromVersionId": holder.version_id,
            },
        )

    @rule(
        name=NAMES,
        how=HOW,
        max_results=st.integers(min_value=1, max_value=4),
        include_deprecated=st.booleans(),
    )
    def page_versions(
        self, name: str, how: str, max_results: int, include_deprecated: bool
    ) -> None:
        """ListSecretVersionIds page by page gives exactly the whole listing, in order."""
        self._step("page-versions")
        ident = self._ident(name, how)
        secret = self.model.find(ident)
        if secret is None:
            self._refused(
                Refused("ResourceNotFoundException", NOT_FOUND),
                name,
                "list_secret_version_ids",
                SecretId=ident,
            )
            return
        kwargs: dict[str, Any] = {"SecretId": ident, "MaxResults": max_results}
        if include_deprecated:
            kwargs["IncludeDeprecated"] = True
        pages = []
        while True:
            page = self._call("list_secret_version_ids", **kwargs)
            assert (page["ARN"], page["Name"]) == (secret.arn, secret.name)
            pages.append(page["Versions"])
            if "NextToken" not in page:
                break
            kwargs["NextToken"] = page["NextToken"]
        expected = [
            listed_version(v) for v in secret.versions.values() if include_deprecated or v.labels
        ]
        # Every page but the last is full; the last one is never empty unless all are.
        assert [len(p) for p in pages] == [
            len(expected[i : i + max_results]) for i in range(0, max(len(expected), 1), max_results)
        ]
        assert [v for p in pages for v in p] == expected

    @rule(max_results=st.integers(min_value=1, max_value=2), planned=st.booleans())
    def page_secrets(self, max_results: int, planned: bool) -> None:
        """ListSecrets page by page gives exactly the whole listing, in order."""
        self._step("page-secrets")
        kwargs: dict[str, Any] = {"MaxResults": max_results}
        if planned:
            kwargs["IncludePlannedDeletion"] = True
        pages = []
        while True:
            page = self._call("list_secrets", **kwargs)
            pages.append(page["SecretList"])
            if "NextToken" not in page:
                break
            kwargs["NextToken"] = page["NextToken"]
        expected = [
            described(s, listing=True) for s in self.model.live() if planned or not s.scheduled
        ]
        assert [len(p) for p in pages] == [
            len(expected[i : i + max_results]) for i in range(0, max(len(expected), 1), max_results)
        ]
        assert [without_metadata(e) for p in pages for e in p] == expected

    @rule(
        name=NAMES,
        how=HOW,
        by=st.sampled_from(["stage", "id", "both"]),
        label=LABELS,
        index=INDEX,
    )
    def read(self, name: str, how: str, by: str, label: str, index: int) -> None:
        """GetSecretValue by VersionStage, by VersionId (deprecated ones too), or both."""
        self._step("read")
        kwargs: dict[str, Any] = {}
        if by in ("id", "both"):
            kwargs["VersionId"] = self._pick_version(name, index)
        if by in ("stage", "both"):
            kwargs["VersionStage"] = label
        self._read(name, self._ident(name, how), **kwargs)
        self._check(name)

    @rule(name=NAMES, how=HOW, window=RECOVERY_WINDOW, force=st.booleans())
    def delete(self, name: str, how: str, window: int | None, force: bool) -> None:
        self._step("delete-force" if force else "delete")
        ident = self._ident(name, how)
        kwargs: dict[str, Any] = {"SecretId": ident}
        if window is not None:
            kwargs["RecoveryWindowInDays"] = window
        if force:
            kwargs["ForceDeleteWithoutRecovery"] = True
        before = self._state_of(name)
        try:
            secret, deletion_date = self.model.delete(ident, window, force)
        except Refused as refusal:
            self._refused(refusal, name, "delete_secret", **kwargs)
            self._check(name)
            return
        response = self._call("delete_secret", **kwargs)
        assert response["DeletionDate"] == deletion_date
        if secret is not None:
            assert (response["ARN"], response["Name"]) == (secret.arn, secret.name)
        else:
            # Force delete of an unknown id succeeds and names it; a full ARN is echoed.
            tail = ident[len(ARN_PREFIX) :] if ident.startswith(ARN_PREFIX) else None
            if tail is not None and re.fullmatch(".*-[A-Za-z0-9]{6}", tail):
                assert (response["ARN"], response["Name"]) == (ident, tail[:-7])
            else:
                unknown = ident if tail is None else tail
                assert response["Name"] == unknown
                assert re.fullmatch(
                    re.escape(f"{ARN_PREFIX}{unknown}-") + "[A-Za-z0-9]{6}", response["ARN"]
                )
        if secret is not None and force:
            self.restore_points.pop(name, None)
        elif secret is not None:
            self.restore_points[name] = before[0]
        self._check(name)

    @rule(name=NAMES, how=HOW)
    def restore(self, name: str, how: str) -> None:
        self._step("restore")
        ident = self._ident(name, how)
        try:
            secret = self.model.find(ident)
            was_scheduled = secret is not None and secret.scheduled
            secret = self.model.restore(ident)
        except Refused as refusal:
            self._refused(refusal, name, "restore_secret", SecretId=ident)
        else:
            assert self._call("restore_secret", SecretId=ident) == {
                "ARN": secret.arn,
                "Name": secret.name,
            }
            if was_scheduled:
                # Exactly the state before DeleteSecret: labels, versions, description,
                # dates, rotation settings.
                assert self._state_of(name)[0] == self.restore_points.pop(name)
        self._check(name)

    # -- time ------------------------------------------------------------------------------------

    def _travel(self, delta: datetime.timedelta) -> None:
        self.clock.tick(delta)
        self.model.advance(delta)
        assert datetime.datetime.now(UTC) == self.model.now
        # Time changes nothing but purges: the listing invariant sees the survivors, and
        # a purged secret must be gone everywhere.
        for name in NAME_LIST:
            if self.model.find(name) is None:
                self.restore_points.pop(name, None)
                self._check(name)

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

    def _scheduled(self) -> list[Secret]:
        return [s for s in self.model.live() if s.scheduled]

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
        if offset < 0:
            FIGURES["present-a-second-before-deletion-date"] += 1
            described_now = self.observer.describe_secret(SecretId=secret.name)
            assert described_now["DeletedDate"] == secret.deleted
        else:
            FIGURES["purges-at-deletion-date"] += 1
            with pytest.raises(ClientError) as exc:
                self.observer.describe_secret(SecretId=secret.name)
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
    ) -> None:
        self._step("rotate")
        ident, token = self._ident(name, how), self._token()
        if reuse_token and self._version_ids(name, collected=False):
            token = self._pick_version(name, index, collected=False)
        kwargs: dict[str, Any] = {"SecretId": ident, "ClientRequestToken": token}
        function_arn = {"registered": FUNCTION_ARN, "missing": MISSING_FUNCTION_ARN}.get(function)
        if function_arn is not None:
            kwargs["RotationLambdaARN"] = function_arn
        if not immediately:
            kwargs["RotateImmediately"] = False
        self.plan = RotationPlan(self._value(), fail_at, strip_pending)
        self.events = []
        failures_before = len(self.backend.rotation_failures)
        try:
            outcome = self.model.rotate(
                ident, token, function_arn, {FUNCTION_ARN}, self.plan, immediately
            )
        except Refused as refusal:
            self._refused(refusal, name, "rotate_secret", **kwargs)
            assert self.events == []
        else:
            secret = self.model.find(name)
            assert secret is not None
            assert self._call("rotate_secret", **kwargs) == {
                "ARN": secret.arn,
                "Name": secret.name,
                "VersionId": token,
            }
            self._check_rotation(secret, outcome, failures_before)
        self._check(name)

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
