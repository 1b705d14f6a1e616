"""``backend.dump()`` / ``backend.load()`` and ``mock_secrets(state=...)``: full round trips."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from smmock import SecretsBackend, mock_secrets

UTC = datetime.timezone.utc
FN = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
            }
        ],
    }
)


def _client(region: str = "us-east-1") -> Any:
    return boto3.client("secretsmanager", region_name=region)


def _everything(backend: SecretsBackend) -> None:
    """A state that uses every part of the model."""
    client = _client()
    backend.register_rotation_function(FN, lambda event, context: None)
    client.create_secret(
        Name="app/db",
        SecretString="v1",
        Description="the db",
        KmsKeyId="alias/app",
        Tags=[{"Key": "team", "Value": "a"}, {"Key": "Env", "Value": "prod"}],
        ClientRequestToken="a" * 32,
    )
    client.put_secret_value(SecretId="app/db", SecretString="v2", ClientRequestToken="b" * 32)
    client.put_secret_value(
        SecretId="app/db",
        SecretBinary=b"\x00\xff",
        VersionStages=["custom"],
        ClientRequestToken="c" * 32,
    )
    client.update_secret_version_stage(
        SecretId="app/db", VersionStage="AWSPREVIOUS", RemoveFromVersionId="a" * 32
    )  # deprecates the first version
    client.get_secret_value(SecretId="app/db")
    client.put_resource_policy(SecretId="app/db", ResourcePolicy=POLICY)
    client.rotate_secret(
        SecretId="app/db",
        RotationLambdaARN=FN,
        RotationRules={"ScheduleExpression": "rate(10 days)"},
        RotateImmediately=False,
    )
    client.replicate_secret_to_regions(
        SecretId="app/db", AddReplicaRegions=[{"Region": "eu-west-1"}]
    )
    client.create_secret(Name="doomed", SecretString="x")
    client.delete_secret(SecretId="doomed", RecoveryWindowInDays=9)
    client.create_secret(Name="empty")
    backend.create_secret("other-account", "o", account_id="111122223333", region="ap-south-1")
    # The versions quota: 100 versions, then the oldest deprecated one is collected.
    backend.create_secret("busy", "0", version_id="v" * 31 + "0")
    for number in range(1, 100):
        # The first two move AWSCURRENT, which leaves version 0 without a label.
        stages: list[str] | None = None if number < 3 else []
        backend.put_secret_value(
            "busy", str(number), version_id=f"{number:032d}", version_stages=stages
        )
    assert backend.get_secret("busy").was_collected("v" * 31 + "0") is False


def _describe_all(backend: SecretsBackend) -> list[Any]:
    out = []
    for secret in backend.all_secrets():
        client = _client(secret.region)
        with mock_secrets(account_id=secret.account_id):
            described = client.describe_secret(SecretId=secret.arn)
            versions = client.list_secret_version_ids(SecretId=secret.arn, IncludeDeprecated=True)
        described.pop("ResponseMetadata")
        versions.pop("ResponseMetadata")
        values = [
            (v.version_id, v.value, v.stages, v.last_accessed_date) for v in secret.version_list()
        ]
        out.append((described, versions, values, sorted(secret.collected_ids())))
    return out


def test_everything_round_trips(frozen: Any) -> None:
    with mock_secrets() as backend:
        _everything(backend)
        frozen.tick(datetime.timedelta(days=1, hours=1))
        backend.put_secret_value("busy", "101", version_id="1" * 32)  # collects the oldest
        assert backend.get_secret("busy").was_collected("v" * 31 + "0")
        before = _describe_all(backend)
        first_arn = backend.get_secret("app/db").arn
        dumped = backend.dump()
    assert json.loads(json.dumps(dumped)) == dumped
    assert (dumped["format"], dumped["version"]) == ("smmock-state", 1)
    assert [(s["account_id"], s["region"]) for s in dumped["stores"]] == [
        ("123456789012", "us-east-1"),
        ("123456789012", "eu-west-1"),
        ("111122223333", "ap-south-1"),
    ]
    first = dumped["stores"][0]["secrets"][0]
    assert first["versions"][0] == {
        "version_id": "a" * 32,
        "string": "v1",
        "stages": [],
        "created_date": "2024-03-10T14:30:15.250000+00:00",
        "kms_key_id": "alias/app",
    }
    assert first["versions"][2]["binary"] == "AP8="
    assert first["tags"] == {"team": "a", "Env": "prod"}
    assert dumped["stores"][1]["secrets"][0]["versions_of"] == first_arn

    with mock_secrets(state=dumped) as loaded:
        assert _describe_all(loaded) == before
        assert loaded.dump() == dumped
        # The replica still shows its primary's versions: a new value reaches it.
        loaded.put_secret_value("app/db", "v3")
        replica = loaded.get_secret("app/db", region="eu-west-1")
        assert replica.current is not None
        assert replica.current.secret_string == "v3"
        with pytest.raises(_client().exceptions.InvalidRequestException) as caught:
            _client().get_secret_value(SecretId="busy", VersionId="v" * 31 + "0")
        assert caught.value.response["Error"]["Message"] == (
            f"You can't perform this operation on secret version {'v' * 31 + '0'} because it "
            "was deleted."
        )
        # The deletion window still runs out on time.
        assert _client().describe_secret(SecretId="doomed")["DeletedDate"].astimezone(UTC) == (
            datetime.datetime(2024, 3, 10, 14, 30, 15, 250000, tzinfo=UTC)
        )
        frozen.tick(datetime.timedelta(days=8))
        with pytest.raises(_client().exceptions.ResourceNotFoundException):
            _client().describe_secret(SecretId="doomed")


def test_load_from_a_file_through_every_entry_point(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    with freeze_time("2024-01-02"), mock_secrets() as backend:
        backend.create_secret("from/file", "v", tags={"k": "v"})
        path = tmp_path / "state.json"
        path.write_text(json.dumps(backend.dump()))
        expected = backend.dump()
    with mock_secrets(state=str(path)) as loaded:
        assert loaded.dump() == expected
    with mock_secrets(state=path) as loaded:
        assert _client().get_secret_value(SecretId="from/file")["SecretString"] == "v"

    @mock_secrets(state=path)
    def decorated() -> str:
        return str(_client().get_secret_value(SecretId="from/file")["SecretString"])

    assert decorated() == "v"
    pytester.makepyfile(
        f"""
        import boto3, pytest

        @pytest.mark.smmock(state={str(path)!r})
        def test_marker(sm_backend):
            client = boto3.client("secretsmanager", region_name="us-east-1")
            assert client.get_secret_value(SecretId="from/file")["SecretString"] == "v"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:hypothesispytest").assert_outcomes(
        passed=1
    )


def test_load_replaces_everything_and_keeps_the_tools(backend: SecretsBackend) -> None:
    backend.create_secret("before", "v")
    fault = backend.inject_fault("ListSecrets", "ThrottlingException")
    state = backend.dump()
    backend.create_secret("after", "v")
    backend.load(state)
    assert [s.name for s in backend.all_secrets()] == ["before"]
    assert backend.faults == [fault]
    assert backend.calls.operations() == []  # the typed API makes no calls


def _bad(**changes: Any) -> dict[str, Any]:
    state: dict[str, Any] = {
        "format": "smmock-state",
        "version": 1,
        "stores": [
            {
                "account_id": "123456789012",
                "region": "us-east-1",
                "secrets": [
                    {
                        "name": "s",
                        "suffix": "AbCdEf",
                        "created_date": "2024-01-01T00:00:00+00:00",
                        "versions": [
                            {
                                "version_id": "v" * 32,
                                "string": "x",
                                "stages": ["AWSCURRENT"],
                                "created_date": "2024-01-01T00:00:00+00:00",
                            }
                        ],
                    }
                ],
            }
        ],
    }
    secret = state["stores"][0]["secrets"][0]
    for key, value in changes.items():
        target, _, field = key.partition("__")
        holder = {"state": state, "secret": secret, "version": secret["versions"][0]}[target]
        holder[field] = value
    return state


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (
            _bad(state__version=2),
            "This smmock state has format version 2, newer than this smmock reads (1): "
            "upgrade smmock to load it.",
        ),
        (
            _bad(state__format="other"),
            'Not an smmock state: expected an object with "format": "smmock-state" as '
            "written by SecretsBackend.dump().",
        ),
        (
            _bad(state__version="1"),
            "Invalid smmock state at version: expected a positive integer, got '1'.",
        ),
        (_bad(state__stores=None), "Invalid smmock state at state.stores: missing."),
        (
            _bad(secret__name=3),
            "Invalid smmock state at state.stores[0].secrets[0].name: expected a string, got int.",
        ),
        (
            _bad(secret__name="a b"),
            "Invalid smmock state at state.stores[0].secrets[0].name: 'a b' is not a valid "
            "secret name.",
        ),
        (
            _bad(secret__suffix="abc"),
            "Invalid smmock state at state.stores[0].secrets[0].suffix: expected 6 letters "
            "or digits, got 'abc'.",
        ),
        (
            _bad(secret__created_date="yesterday"),
            "Invalid smmock state at state.stores[0].secrets[0].created_date: expected an "
            "ISO 8601 date with offset: 'yesterday'.",
        ),
        (
            _bad(secret__created_date="2024-01-01T00:00:00"),
            "Invalid smmock state at state.stores[0].secrets[0].created_date: expected an "
            "ISO 8601 date with offset: '2024-01-01T00:00:00'.",
        ),
        (
            _bad(secret__rotation_enabled="yes"),
            "Invalid smmock state at state.stores[0].secrets[0].rotation_enabled: expected "
            "true or false, got str.",
        ),
        (
            _bad(secret__tags={"k": 1}),
            "Invalid smmock state at state.stores[0].secrets[0].tags: expected string values.",
        ),
        (
            _bad(
                secret__versions_of="arn:aws:secretsmanager:us-east-1:123456789012:secret:p-AbCdEf"
            ),
            "Invalid smmock state at state.stores[0].secrets[0]: a secret has versions or "
            "versions_of, not both.",
        ),
        (
            _bad(version__binary="!!"),
            "Invalid smmock state at state.stores[0].secrets[0].versions[0]: a version holds "
            "a string or a binary value, not both.",
        ),
        (
            _bad(version__string=None, version__binary="!!"),
            "Invalid smmock state at state.stores[0].secrets[0].versions[0].binary: expected "
            "base64.",
        ),
        (
            _bad(version__stages=["AWSCURRENT", 1]),
            "Invalid smmock state at state.stores[0].secrets[0].versions[0].stages[1]: "
            "expected a string, got int.",
        ),
        (
            _bad(version__stages=["AWSCURRENT", "AWSCURRENT"]),
            "Invalid smmock state at state.stores[0].secrets[0].versions[0].stages: label "
            "'AWSCURRENT' is on two versions.",
        ),
    ],
)
def test_a_bad_state_is_refused_and_changes_nothing(
    backend: SecretsBackend, state: Any, message: str
) -> None:
    backend.create_secret("kept", "v")
    with pytest.raises(ValueError) as caught:
        backend.load(state)
    assert str(caught.value) == message
    assert [s.name for s in backend.all_secrets()] == ["kept"]


def test_a_dangling_replica_and_duplicates_are_refused(backend: SecretsBackend) -> None:
    state = _bad()
    replica = dict(state["stores"][0]["secrets"][0], name="r", versions_of="arn:nope")
    del replica["versions"]
    state["stores"][0]["secrets"].append(replica)
    with pytest.raises(ValueError) as caught:
        backend.load(state)
    assert str(caught.value) == (
        "Invalid smmock state at state.stores[0].secrets[1].versions_of: "
        "no primary secret 'arn:nope' in the state."
    )
    twice = _bad()
    twice["stores"][0]["secrets"].append(twice["stores"][0]["secrets"][0])
    with pytest.raises(ValueError, match=r"secrets\[1\]\.name: 's' appears twice\.$"):
        backend.load(twice)
    assert backend.all_secrets() == []


def test_a_bad_file_fails_the_mock_start_and_leaves_nothing_active(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match=r"broken\.json is not a JSON smmock state: Expecting"):
        mock_secrets(state=path).start()
    from smmock._intercept import hook

    assert hook.active_backend() is None
    with pytest.raises(FileNotFoundError):
        mock_secrets(state=tmp_path / "missing.json").start()
    assert hook.active_backend() is None
    with pytest.raises(TypeError, match=r"^load\(\) takes a dict from dump\(\) or the path"):
        SecretsBackend().load(3)  # type: ignore[arg-type]
