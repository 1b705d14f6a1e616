"""``mock_secrets(seed=N)``: the same seed gives byte-identical answers, run after run."""

from __future__ import annotations

import re
import uuid
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from smmock import SecretsBackend, mock_secrets
from smmock._model import ids as _ids

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _scenario(seed: int | None) -> list[tuple[int, str, bytes]]:
    """A run of every id-making call; each answer's status, request id and raw body."""
    answers: list[tuple[int, str, bytes]] = []

    def capture(response_dict: dict[str, Any], **_kwargs: Any) -> None:
        headers = response_dict["headers"]
        answers.append(
            (response_dict["status_code"], headers["x-amzn-RequestId"], response_dict["body"])
        )

    with freeze_time("2024-06-01 12:00:00"), mock_secrets(seed=seed) as backend:
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.meta.events.register("before-parse.secrets-manager", capture)
        client.create_secret(Name="a", SecretString="1")
        client.create_secret(Name="b", SecretBinary=b"2")
        client.put_secret_value(SecretId="a", SecretString="3")
        client.update_secret(SecretId="b", SecretString="4")
        client.get_random_password(PasswordLength=40)
        client.list_secret_version_ids(SecretId="a")
        client.list_secrets()
        backend.create_secret("typed", "5")  # the typed API draws from the same streams
        client.describe_secret(SecretId="typed")
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_secret_value(SecretId="missing")
    return answers


def test_two_runs_with_the_same_seed_are_byte_identical() -> None:
    first, second = _scenario(7), _scenario(7)
    assert len(first) == 9
    assert first == second


def test_another_seed_or_no_seed_differs() -> None:
    seven, eight = _scenario(7), _scenario(8)
    random_one, random_two = _scenario(None), _scenario(None)
    assert [a[1] for a in seven] != [a[1] for a in eight]
    assert seven[0][2] != eight[0][2]  # another ARN suffix and VersionId
    assert random_one != random_two


def test_what_a_seed_fixes(sm_backend: SecretsBackend) -> None:
    # Independent streams: each kind of id is the same whatever else the run drew.
    with mock_secrets(seed=42) as backend:
        client = boto3.client("secretsmanager", region_name="us-east-1")
        created = client.create_secret(Name="x", SecretString="v")
        password = client.get_random_password()["RandomPassword"]
        assert backend.seed == 42
    reference = _ids.Ids(42)
    suffix, version = reference.suffix(), reference.uuid()
    assert created["ARN"].endswith(f":secret:x-{suffix}")
    assert created["VersionId"] == version
    assert UUID_RE.fullmatch(version)
    assert uuid.UUID(version).version == 4
    assert len(password) == 32
    assert sm_backend.seed is None


def test_nested_seeds_and_inheritance() -> None:
    with mock_secrets(seed=1) as backend:
        first = backend.create_secret("one", "v").suffix
        with mock_secrets():  # inherits the outer stream
            second = backend.create_secret("two", "v").suffix
            with mock_secrets(seed=2):
                inner = backend.create_secret("three", "v").suffix
                assert backend.seed == 2
            third = backend.create_secret("four", "v").suffix
    outer, other = _ids.Ids(1), _ids.Ids(2)
    assert [first, second, third] == [outer.suffix(), outer.suffix(), outer.suffix()]
    assert inner == other.suffix()
    assert _ids.seeded() is None


def test_client_tokens_are_seeded_only_while_seeded() -> None:
    with mock_secrets(seed=5):
        client = boto3.client("secretsmanager", region_name="us-east-1")
        seeded = client.create_secret(Name="s", SecretString="v")["VersionId"]
        # A token the caller gives is kept.
        given = client.put_secret_value(SecretId="s", SecretString="w", ClientRequestToken="t" * 32)
    assert seeded == _ids.Ids(5).uuid()
    assert given["VersionId"] == "t" * 32
    with mock_secrets():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        one = client.create_secret(Name="s", SecretString="v")["VersionId"]
        two = client.put_secret_value(SecretId="s", SecretString="w")["VersionId"]
    assert UUID_RE.fullmatch(one)
    assert UUID_RE.fullmatch(two)
    assert one != two
    assert one != seeded


@pytest.mark.smmock(seed=3)
def test_the_marker_seeds(sm_backend: SecretsBackend) -> None:
    assert sm_backend.create_secret("m", "v").suffix == _ids.Ids(3).suffix()


def test_decorator_and_start_seed() -> None:
    @mock_secrets(seed=9)
    def make() -> str:
        return boto3.client("secretsmanager", region_name="us-east-1").create_secret(
            Name="d", SecretString="v"
        )["ARN"]

    assert make() == make()
    mock = mock_secrets(seed=9)
    backend = mock.start()
    try:
        # The nested seed-9 mock draws the same suffix and token again: an idempotent retry.
        assert backend.create_secret("d", "v").arn == make()
        assert backend.get_secret("d").suffix == _ids.Ids(9).suffix()
    finally:
        mock.stop()


def test_rotation_tokens_are_seeded() -> None:
    events: list[dict[str, Any]] = []
    fn = "arn:aws:lambda:us-east-1:123456789012:function:r"
    for _ in range(2):
        with mock_secrets(seed=11) as backend:
            backend.register_rotation_function(fn, lambda event, _ctx: events.append(event))
            client = boto3.client("secretsmanager", region_name="us-east-1")
            client.create_secret(Name="r", SecretString="v")
            client.rotate_secret(SecretId="r", RotationLambdaARN=fn)
    assert len(events) == 8
    assert events[:4] == events[4:]
    assert all(UUID_RE.fullmatch(e["RotationToken"]) for e in events)
