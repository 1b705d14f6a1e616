"""The compact secret layout keeps the model's meaning.

smmock stores a secret with one version without a container, labels only on the
versions (shared tuples for AWS's own labels), a replica as a pointer to its primary,
the ARN as a suffix and rarely set metadata in one optional dict (see ``_model``). These
tests pin what that layout must never change: what the secret shows, through every
transition between its representations.
"""

from __future__ import annotations

import datetime
import gc
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from smmock import _model
from smmock._model import homes as _home
from smmock.backend import RegionBackend, SecretsBackend

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)
ACCOUNT = "123456789012"


def token(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def create(rb: RegionBackend, name: str, n: int) -> tuple[_model.Secret, _model.SecretVersion]:
    secret, version = rb.create_secret(name, token(n), secret_string=f"v{n}")
    assert version is not None
    return secret, version


def stages(secret: _model.Secret) -> dict[str, tuple[str, ...]]:
    return {v.version_id: v.stages for v in secret.version_list()}


@pytest.fixture
def rb() -> RegionBackend:
    return RegionBackend(ACCOUNT, "us-east-1")


def test_one_version_then_many_then_one_again(rb: RegionBackend) -> None:
    secret, first = create(rb, "n", 1)
    assert secret.version_list() == [first]
    assert secret.version_count() == 1
    assert secret.version(token(1)) is first
    assert secret.version(token(2)) is None
    assert secret.holder("AWSCURRENT") is first
    assert secret.holder("AWSPREVIOUS") is None
    _, second = rb.put_secret_value("n", token(2), secret_string="v2")
    assert secret.version_list() == [first, second]
    assert secret.version(token(1)) is first
    assert secret.holder("AWSPREVIOUS") is first
    assert stages(secret) == {token(1): ("AWSPREVIOUS",), token(2): ("AWSCURRENT",)}
    secret.remove_version(first)
    assert secret.version_list() == [second]
    assert secret.version(token(1)) is None
    assert secret.holder("AWSCURRENT") is second
    secret.remove_version(first)  # not there any more: nothing changes
    assert secret.version_list() == [second]
    secret.remove_version(second)
    assert secret.version_list() == []
    assert secret.current is None
    assert secret.version_count() == 0


def test_the_views_are_read_only_snapshots_in_version_order(rb: RegionBackend) -> None:
    secret, first = create(rb, "n", 1)
    _, second = rb.put_secret_value(
        "n", token(2), secret_string="v2", version_stages=["custom", "AWSCURRENT"]
    )
    assert list(secret.versions.items()) == [(token(1), first), (token(2), second)]
    assert dict(secret.labels) == {
        "AWSPREVIOUS": first,
        "custom": second,
        "AWSCURRENT": second,
    }
    with pytest.raises(TypeError):
        secret.versions[token(3)] = first  # type: ignore[index]
    # A snapshot: later changes do not show in a view taken before.
    labels = secret.labels
    rb.put_secret_value("n", token(3), secret_string="v3")
    assert labels["AWSCURRENT"] is second


def test_aws_labels_are_shared_tuples_and_custom_ones_are_not(rb: RegionBackend) -> None:
    one, v1 = create(rb, "a", 1)
    two, v2 = create(rb, "b", 2)
    assert v1.stages == ("AWSCURRENT",)
    assert v1.stages is v2.stages
    _, v3 = rb.put_secret_value("a", token(3), secret_string="w", version_stages=["AWSCURRENT"])
    _, v4 = rb.put_secret_value("b", token(4), secret_string="w", version_stages=["AWSCURRENT"])
    assert v1.stages == v2.stages == ("AWSPREVIOUS",)
    assert v1.stages is v2.stages
    _model.attach(one, "mine", v3)
    _model.attach(two, "mine", v4)
    assert v3.stages == v4.stages == ("AWSCURRENT", "mine")
    assert v3.stages is not v4.stages
    _model.detach(one, "mine")
    _, fresh = create(rb, "c", 5)
    # Back to AWS's own labels only: the shared tuple again.
    assert one.labels == {"AWSCURRENT": v3, "AWSPREVIOUS": v1}
    assert v3.stages is fresh.stages


def test_rare_metadata_lives_in_one_dict_that_goes_when_emptied(rb: RegionBackend) -> None:
    secret, _ = rb.create_secret("n", token(1), secret_string="v")
    assert secret.extra is None
    assert secret.description is None
    assert secret.replicas == {}
    secret.description = "d"
    secret.rotation_enabled = False
    assert secret.extra == {"description": "d", "rotation_enabled": False}
    assert (secret.description, secret.rotation_enabled) == ("d", False)
    secret.description = None
    assert secret.extra == {"rotation_enabled": False}
    secret.rotation_enabled = None
    assert secret.extra is None
    # Created with metadata: only what was given is stored.
    tagged, _ = rb.create_secret("t", token(2), secret_string="v", tags=[("k", "v")])
    assert tagged.extra == {"tags": {"k": "v"}}


def test_the_arn_is_built_from_the_home_and_the_suffix(rb: RegionBackend) -> None:
    secret, _ = rb.create_secret("app/db", token(1), secret_string="v")
    assert secret.arn == (
        f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:app/db-{secret.suffix}"
    )
    assert len(secret.suffix) == 6
    assert secret.suffix.isalnum()
    assert (secret.account_id, secret.region) == (ACCOUNT, "us-east-1")
    # One Home per account and region, whoever asks.
    assert _model.home(ACCOUNT, "us-east-1") is rb.home
    china = _model.home(ACCOUNT, "cn-north-1")
    assert china.arn_prefix == f"arn:aws-cn:secretsmanager:cn-north-1:{ACCOUNT}:secret:"


def test_a_version_copy_is_independent() -> None:
    version = _model.SecretVersion(token(1), None, b"\x00\x01", T0, ("AWSCURRENT",))
    version.last_accessed_date = T0
    version.kms_key_id = "alias/k"
    twin = version.copy()
    assert twin is not version
    assert (twin.version_id, twin.secret_binary, twin.secret_string) == (
        token(1),
        b"\x00\x01",
        None,
    )
    assert (twin.created_date, twin.last_accessed_date, twin.kms_key_id) == (T0, T0, "alias/k")
    assert twin.stages == ("AWSCURRENT",)
    twin.set_value("text", None)
    assert (version.secret_string, version.secret_binary) == (None, b"\x00\x01")
    assert (twin.secret_string, twin.secret_binary, twin.value) == ("text", None, "text")


def test_a_bytearray_value_is_stored_as_bytes() -> None:
    version = _model.SecretVersion(token(1), None, bytearray(b"\x01\x02"), T0)  # type: ignore[arg-type]
    assert version.secret_binary == b"\x01\x02"
    assert type(version.secret_binary) is bytes
    version.set_value(None, memoryview(b"\x03"))  # type: ignore[arg-type]
    assert version.secret_binary == b"\x03"


def test_a_seeded_bytearray_survives_a_test_only_rotation(backend: SecretsBackend) -> None:
    seen: list[Any] = []
    backend.create_secret("b", secret_binary=bytearray(b"\x01\x02"))  # type: ignore[arg-type]
    client = boto3.client("secretsmanager", region_name="us-east-1")

    def handler(event: dict[str, Any], _context: Any) -> None:
        value = client.get_secret_value(SecretId=event["SecretId"], VersionStage="AWSPENDING")
        seen.append(value["SecretBinary"])

    arn = "arn:aws:lambda:us-east-1:123456789012:function:rot"
    backend.register_rotation_function(arn, handler)
    client.rotate_secret(SecretId="b", RotationLambdaARN=arn, RotateImmediately=False)
    assert backend.rotation_failures == []
    assert seen == [b"\x01\x02"]


def test_lookups_of_unknown_accounts_leave_no_homes_behind(client: Any) -> None:
    gc.collect()
    before = len(_home._HOMES)
    for n in range(20):
        arn = f"arn:aws:secretsmanager:us-east-1:{n:012d}:secret:x-abcdef"
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_secret(SecretId=arn)
    gc.collect()
    assert len(_home._HOMES) == before


def test_listing_versions_looks_each_version_up_once(
    rb: RegionBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Linear, not a scan of the versions per listed version.
    rb.create_secret("s", token(0), secret_string="v0")
    for n in range(1, 100):
        rb.put_secret_value("s", token(n), secret_string=f"v{n}")
    secret = rb.get("s")
    calls = [0]
    original = _model.Secret.version_list

    def counted(self: _model.Secret) -> list[_model.SecretVersion]:
        calls[0] += 1
        return original(self)

    monkeypatch.setattr(_model.Secret, "version_list", counted)
    monkeypatch.setattr(_model.Secret, "version", lambda *_: pytest.fail("scanned per item"))
    _, versions, _ = rb.list_secret_version_ids("s", include_deprecated=True)
    assert [v.version_id for v in versions] == [token(n) for n in range(100)]
    assert calls[0] == 2
    assert secret.version_count() == 100


# -- replicas show their primary ----------------------------------------------------------


@pytest.fixture
def eu(backend: SecretsBackend) -> Any:
    return boto3.client("secretsmanager", region_name="eu-west-1")


def test_a_replica_follows_its_primary_from_one_version_to_many(
    client: Any, eu: Any, backend: SecretsBackend
) -> None:
    client.create_secret(Name="db", SecretString="v1", ClientRequestToken=token(1))
    client.replicate_secret_to_regions(SecretId="db", AddReplicaRegions=[{"Region": "eu-west-1"}])
    replica = backend.get_secret("db", region="eu-west-1")
    primary = backend.get_secret("db")
    assert replica.version_list() == primary.version_list()
    client.put_secret_value(SecretId="db", SecretString="v2", ClientRequestToken=token(2))
    assert [v.version_id for v in replica.version_list()] == [token(1), token(2)]
    assert eu.get_secret_value(SecretId="db")["SecretString"] == "v2"
    assert replica.holder("AWSPREVIOUS") is primary.version(token(1))
    assert replica.version_count() == 2
    assert replica.arn == primary.arn.replace(":us-east-1:", ":eu-west-1:")


def test_a_promoted_replica_owns_copies(client: Any, eu: Any, backend: SecretsBackend) -> None:
    client.create_secret(Name="db", SecretString="v1", ClientRequestToken=token(1))
    client.replicate_secret_to_regions(SecretId="db", AddReplicaRegions=[{"Region": "eu-west-1"}])
    eu.stop_replication_to_replica(SecretId="db")
    replica = backend.get_secret("db", region="eu-west-1")
    primary = backend.get_secret("db")
    (copy,) = replica.version_list()
    assert copy is not primary.version(token(1))
    assert (copy.version_id, copy.secret_string, copy.stages) == (
        token(1),
        "v1",
        ("AWSCURRENT",),
    )
    client.put_secret_value(SecretId="db", SecretString="v2", ClientRequestToken=token(2))
    assert replica.version_list() == [copy]
    assert copy.stages == ("AWSCURRENT",)


def test_a_replica_knows_the_versions_its_primary_collected(
    client: Any, eu: Any, backend: SecretsBackend, frozen: Any
) -> None:
    # The quota collects the oldest deprecated version when a 101st is added; a
    # replica made before that must name the collected version deleted as well.
    client.create_secret(Name="db", SecretString="v0", ClientRequestToken=token(0))
    client.replicate_secret_to_regions(SecretId="db", AddReplicaRegions=[{"Region": "eu-west-1"}])
    for n in range(1, 100):
        client.put_secret_value(SecretId="db", SecretString=f"v{n}", ClientRequestToken=token(n))
    frozen.tick(datetime.timedelta(hours=25))
    client.put_secret_value(SecretId="db", SecretString="v100", ClientRequestToken=token(100))
    deleted = (
        "InvalidRequestException",
        f"You can't perform this operation on secret version {token(0)} because it was deleted.",
    )
    for reader in (client, eu):
        with pytest.raises(ClientError) as info:
            reader.get_secret_value(SecretId="db", VersionId=token(0))
        error = info.value.response["Error"]
        assert (error["Code"], error["Message"]) == deleted
    assert backend.get_secret("db", region="eu-west-1").version_count() == 100
