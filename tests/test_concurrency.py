"""Several threads on shared secrets, each through a boto3 client it built itself.

boto3 clients are thread-safe but sessions are not, so every thread makes its own
session and client, as threaded application code should; all of them must be served by
the one mock. The backend serialises operations with one re-entrant lock (see
docs/testing.md), so the checks are exact: no lost or duplicated versions, one winner per
contested name, and readers that only ever see states some completed call produced.

Threads start together at a barrier, so their calls overlap as much as the GIL allows.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import boto3
import pytest
from botocore.exceptions import ClientError

from smmock import SecretsBackend, mock_secrets

THREADS = 8
REGION = "us-east-1"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate-shared"
# A hang guard only: every test here finishes in well under a second of work per thread.
JOIN_TIMEOUT = 120.0

T = TypeVar("T")


def thread_client() -> Any:
    """A client of a session of the calling thread's own."""
    return boto3.session.Session().client("secretsmanager", region_name=REGION)


def run_threads(work: Callable[[int, Any], T], count: int = THREADS) -> list[T]:
    """Run ``work(index, client)`` in ``count`` threads that start together; re-raise the
    first error of any thread; return the results in thread order."""
    barrier = threading.Barrier(count)
    results: dict[int, T] = {}
    errors: list[BaseException] = []

    def runner(index: int) -> None:
        try:
            client = thread_client()
            barrier.wait()
            results[index] = work(index, client)
        except BaseException as error:
            barrier.abort()  # release the others rather than leave them waiting
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    if errors:
        raise errors[0]
    return [results[i] for i in range(count)]


def token(*parts: object) -> str:
    """A ClientRequestToken (32-64 characters) that says who made it."""
    return ("-".join(str(p) for p in parts) + "-").ljust(32, "x")


def error_of(exc: ClientError) -> tuple[str, str]:
    return exc.response["Error"]["Code"], exc.response["Error"]["Message"]


def all_versions(client: Any, secret_id: str) -> list[dict[str, Any]]:
    """Every version, deprecated ones included, across pages (botocore has no paginator)."""
    versions: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"SecretId": secret_id, "IncludeDeprecated": True}
    while True:
        page = client.list_secret_version_ids(**kwargs)
        versions += page["Versions"]
        if "NextToken" not in page:
            return versions
        kwargs["NextToken"] = page["NextToken"]


def holders(versions: list[dict[str, Any]], label: str) -> list[str]:
    return [v["VersionId"] for v in versions if label in v.get("VersionStages", [])]


@pytest.fixture
def backend() -> Iterator[SecretsBackend]:
    with mock_secrets(region=REGION) as active:
        yield active


@pytest.fixture
def client(backend: SecretsBackend) -> Any:
    return boto3.client("secretsmanager", region_name=REGION)


# -- writes ---------------------------------------------------------------------------------


def test_concurrent_puts_on_one_secret_lose_no_version(
    backend: SecretsBackend, client: Any
) -> None:
    puts = 12  # 8 x 12 + 1 = 97 versions: below the 100-version quota
    initial = token("initial")
    client.create_secret(Name="shared", SecretString="initial", ClientRequestToken=initial)

    def work(index: int, thread: Any) -> list[tuple[str, Any]]:
        answers = []
        for n in range(puts):
            version_id = token("thread", index, "put", n)
            answer = thread.put_secret_value(
                SecretId="shared", ClientRequestToken=version_id, SecretString=f"{index}/{n}"
            )
            answers.append((version_id, answer))
        return answers

    results = run_threads(work)

    # Every put made its version, which was current when its answer was built.
    written = {vid: answer for answers in results for vid, answer in answers}
    assert len(written) == THREADS * puts
    for version_id, answer in written.items():
        assert (answer["VersionId"], answer["VersionStages"]) == (version_id, ["AWSCURRENT"])
    versions = all_versions(client, "shared")
    assert len(versions) == THREADS * puts + 1
    assert {v["VersionId"] for v in versions} == {initial, *written}
    assert len(backend.get_secret("shared").versions) == THREADS * puts + 1
    # One AWSCURRENT: the last put of some thread (each thread's puts are in order);
    # one AWSPREVIOUS, on another version; everything else deprecated.
    current, previous = holders(versions, "AWSCURRENT"), holders(versions, "AWSPREVIOUS")
    assert len(current) == 1
    assert current[0] in {answers[-1][0] for answers in results}
    assert len(previous) == 1
    assert previous[0] != current[0]
    assert sum(1 for v in versions if "VersionStages" not in v) == THREADS * puts - 1
    labelled = client.list_secret_version_ids(SecretId="shared")["Versions"]
    assert sorted(v["VersionId"] for v in labelled) == sorted([current[0], previous[0]])
    # No value was torn or swapped between versions.
    for index, answers in enumerate(results):
        for n, (version_id, _) in enumerate(answers):
            read = client.get_secret_value(SecretId="shared", VersionId=version_id)
            assert read["SecretString"] == f"{index}/{n}"


def test_concurrent_creates_of_distinct_names_are_all_visible(
    backend: SecretsBackend, client: Any
) -> None:
    per_thread = 20

    def work(index: int, thread: Any) -> list[tuple[str, str, str]]:
        made = []
        for n in range(per_thread):
            name, version_id = f"team-{index}/secret-{n}", token("create", index, n)
            answer = thread.create_secret(
                Name=name, SecretString=f"value {index} {n}", ClientRequestToken=version_id
            )
            assert (answer["Name"], answer["VersionId"]) == (name, version_id)
            made.append((name, answer["ARN"], version_id))
        return made

    made = {name: (arn, vid) for batch in run_threads(work) for name, arn, vid in batch}
    assert len(made) == THREADS * per_thread
    pages = client.get_paginator("list_secrets").paginate(PaginationConfig={"PageSize": 100})
    listed = {e["Name"]: e for page in pages for e in page["SecretList"]}
    assert set(listed) == set(made)
    assert len({arn for arn, _ in made.values()}) == THREADS * per_thread
    for name, (arn, version_id) in made.items():
        assert listed[name]["ARN"] == arn
        assert listed[name]["SecretVersionsToStages"] == {version_id: ["AWSCURRENT"]}
    assert len(backend.secrets()) == THREADS * per_thread


def test_concurrent_creates_of_one_name_have_exactly_one_winner(
    backend: SecretsBackend, client: Any
) -> None:
    names = [f"contested-{n}" for n in range(20)]

    def work(index: int, thread: Any) -> dict[str, Any]:
        outcome: dict[str, Any] = {}
        for name in names:
            try:
                thread.create_secret(
                    Name=name,
                    SecretString=f"from thread {index}",
                    ClientRequestToken=token(name, "thread", index),
                )
            except ClientError as exc:
                outcome[name] = error_of(exc)
            else:
                outcome[name] = "created"
        return outcome

    outcomes = run_threads(work)

    for name in names:
        winners = [i for i, outcome in enumerate(outcomes) if outcome[name] == "created"]
        assert len(winners) == 1, (name, winners)
        losers = [outcome[name] for i, outcome in enumerate(outcomes) if i != winners[0]]
        assert losers == [
            (
                "ResourceExistsException",
                f"The operation failed because the secret {name} already exists.",
            )
        ] * (THREADS - 1)
        read = client.get_secret_value(SecretId=name)
        assert (read["SecretString"], read["VersionId"]) == (
            f"from thread {winners[0]}",
            token(name, "thread", winners[0]),
        )
        assert len(all_versions(client, name)) == 1


# -- reads during writes ----------------------------------------------------------------------


def test_readers_only_see_states_a_completed_put_produced(
    backend: SecretsBackend, client: Any
) -> None:
    writes, reads = 60, 40
    value_of = {token("put", n): f"value {n:03d}" for n in range(writes)}
    value_of[token("initial")] = "value -01"
    client.create_secret(
        Name="read-me", SecretString="value -01", ClientRequestToken=token("initial")
    )

    def work(index: int, thread: Any) -> list[int]:
        if index == 0:
            for n in range(writes):
                thread.put_secret_value(
                    SecretId="read-me",
                    ClientRequestToken=token("put", n),
                    SecretString=f"value {n:03d}",
                )
            return []
        seen = []
        for _ in range(reads):
            read = thread.get_secret_value(SecretId="read-me")
            # Value, VersionId and labels come from one version, and it is current.
            assert read["SecretString"] == value_of[read["VersionId"]]
            assert read["VersionStages"] == ["AWSCURRENT"]
            seen.append(int(read["SecretString"].split()[1]))
            stages = thread.describe_secret(SecretId="read-me")["VersionIdsToStages"]
            labels = [label for labels in stages.values() for label in labels]
            assert labels.count("AWSCURRENT") == 1
            assert labels.count("AWSPREVIOUS") <= 1
            assert len(labels) == len(set(labels))
        return seen

    seen_by_reader = run_threads(work)[1:]

    # One writer, puts in order: no reader ever goes back to an older value.
    for seen in seen_by_reader:
        assert seen == sorted(seen)
    final = client.get_secret_value(SecretId="read-me")
    assert final["VersionId"] == token("put", writes - 1)
    assert len(all_versions(client, "read-me")) == writes + 1


def test_rotation_in_one_thread_is_atomic_for_readers_in_others(
    backend: SecretsBackend, client: Any
) -> None:
    rotations, reads = 20, 30
    client.create_secret(Name="rotated", SecretString="rotated 00", ClientRequestToken=token("v0"))
    handler_clients: dict[int, Any] = {}

    def rotate(event: dict[str, str], context: Any) -> None:
        # Written like a rotation Lambda: its own client, the four steps, AWSPENDING
        # removed at the end. It runs in the thread that called RotateSecret.
        ident = threading.get_ident()
        if ident not in handler_clients:
            handler_clients[ident] = thread_client()
        thread = handler_clients[ident]
        arn, version_id = event["SecretId"], event["ClientRequestToken"]
        if event["Step"] == "createSecret":
            count = int(thread.get_secret_value(SecretId=arn)["SecretString"].split()[1])
            thread.put_secret_value(
                SecretId=arn,
                ClientRequestToken=version_id,
                SecretString=f"rotated {count + 1:02d}",
                VersionStages=["AWSPENDING"],
            )
        elif event["Step"] == "testSecret":
            thread.get_secret_value(SecretId=arn, VersionId=version_id, VersionStage="AWSPENDING")
        elif event["Step"] == "finishSecret":
            stages = thread.describe_secret(SecretId=arn)["VersionIdsToStages"]
            current = next(v for v, labels in stages.items() if "AWSCURRENT" in labels)
            thread.update_secret_version_stage(
                SecretId=arn,
                VersionStage="AWSCURRENT",
                MoveToVersionId=version_id,
                RemoveFromVersionId=current,
            )
            thread.update_secret_version_stage(
                SecretId=arn, VersionStage="AWSPENDING", RemoveFromVersionId=version_id
            )

    backend.register_rotation_function(FUNCTION_ARN, rotate)

    def work(index: int, thread: Any) -> list[int]:
        if index == 0:
            for n in range(1, rotations + 1):
                answer = thread.rotate_secret(
                    SecretId="rotated",
                    RotationLambdaARN=FUNCTION_ARN,
                    ClientRequestToken=token("rotation", n),
                )
                assert answer["VersionId"] == token("rotation", n)
            return []
        seen = []
        for _ in range(reads):
            read = thread.get_secret_value(SecretId="rotated")
            assert read["VersionStages"] == ["AWSCURRENT"]
            count = int(read["SecretString"].split()[1])
            assert read["VersionId"] == (token("v0") if count == 0 else token("rotation", count))
            seen.append(count)
            # The whole rotation runs under the backend's lock: no other thread ever
            # sees its AWSPENDING version.
            with pytest.raises(ClientError) as exc:
                thread.get_secret_value(SecretId="rotated", VersionStage="AWSPENDING")
            assert error_of(exc.value) == (
                "ResourceNotFoundException",
                "Secrets Manager can't find the specified secret value for staging label: "
                "AWSPENDING",
            )
        return seen

    seen_by_reader = run_threads(work)[1:]

    for seen in seen_by_reader:
        assert seen == sorted(seen)
    assert backend.rotation_failures == []
    versions = all_versions(client, "rotated")
    assert len(versions) == rotations + 1
    assert holders(versions, "AWSCURRENT") == [token("rotation", rotations)]
    assert holders(versions, "AWSPREVIOUS") == [token("rotation", rotations - 1)]
    assert holders(versions, "AWSPENDING") == []
    final = client.get_secret_value(SecretId="rotated")
    assert final["SecretString"] == f"rotated {rotations:02d}"
    described = client.describe_secret(SecretId="rotated")
    assert described["RotationEnabled"] is True
    assert "LastRotatedDate" in described


def test_rotations_leave_the_environment_of_other_threads_intact(
    backend: SecretsBackend, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rotation sets AWS_REGION and friends for its function; other threads must never
    see variables vanish meanwhile (``patch.dict`` clears and refills the whole
    environment when it stops, which lost the fake credentials for other threads)."""
    monkeypatch.setenv("SMMOCK_TEST_SENTINEL", "present")
    client.create_secret(Name="env", SecretString="v", ClientRequestToken=token("env", 0))

    def rotate(event: dict[str, str], context: Any) -> None:
        if event["Step"] == "createSecret":
            client.put_secret_value(
                SecretId=event["SecretId"],
                ClientRequestToken=event["ClientRequestToken"],
                SecretString=event["ClientRequestToken"],
                VersionStages=["AWSPENDING"],
            )

    backend.register_rotation_function(FUNCTION_ARN, rotate)
    done = threading.Event()
    missing: list[str] = []

    def watch() -> None:
        while not done.is_set():
            for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SMMOCK_TEST_SENTINEL"):
                if key not in os.environ:
                    missing.append(key)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for n in range(1, 91):
            client.rotate_secret(
                SecretId="env", RotationLambdaARN=FUNCTION_ARN, ClientRequestToken=token("env", n)
            )
            client.update_secret_version_stage(
                SecretId="env", VersionStage="AWSPENDING", RemoveFromVersionId=token("env", n)
            )
    finally:
        done.set()
        watcher.join(JOIN_TIMEOUT)
    assert missing == []
    assert backend.rotation_failures == []


# -- mixed operations ---------------------------------------------------------------------------


def test_mixed_operations_keep_every_invariant(backend: SecretsBackend, client: Any) -> None:
    """Puts, label moves, reads and listings from every thread on three shared secrets."""
    names = ["mixed-a", "mixed-b", "mixed-c"]
    rounds = 10  # 8 x 10 puts spread over 3 secrets: each stays below the 100-version quota
    for name in names:
        client.create_secret(Name=name, SecretString=f"{name} 0", ClientRequestToken=token(name))

    def work(index: int, thread: Any) -> dict[str, dict[str, str]]:
        written: dict[str, dict[str, str]] = {name: {} for name in names}
        for n in range(rounds):
            name = names[(index + n) % len(names)]
            version_id, value = token(name, index, n), f"{name} {index} {n}"
            thread.put_secret_value(
                SecretId=name,
                ClientRequestToken=version_id,
                SecretString=value,
                VersionStages=["AWSCURRENT", f"thread-{index}"],
            )
            written[name][version_id] = value
            # Move a shared custom label, naming the holder read just before; another
            # thread may move it in between, which is refused with AWS's message.
            stages = thread.describe_secret(SecretId=name)["VersionIdsToStages"]
            holder = next((v for v, labels in stages.items() if "shared" in labels), None)
            try:
                thread.update_secret_version_stage(
                    SecretId=name,
                    VersionStage="shared",
                    MoveToVersionId=version_id,
                    **({"RemoveFromVersionId": holder} if holder else {}),
                )
            except ClientError as exc:
                code, message = error_of(exc)
                assert code == "InvalidParameterException"
                assert message.startswith(
                    f"The staging label shared is not attached to version {holder}, "
                    if holder
                    else "The parameter RemoveFromVersionId can't be empty. Staging label shared "
                ), message
            read = thread.get_secret_value(SecretId=name)
            assert "AWSCURRENT" in read["VersionStages"]
            listing = thread.list_secrets()["SecretList"]
            assert [e["Name"] for e in listing] == names
            for entry in listing:
                labels = [x for ls in entry["SecretVersionsToStages"].values() for x in ls]
                assert labels.count("AWSCURRENT") == 1
                assert len(labels) == len(set(labels))
        return written

    results = run_threads(work)

    for name in names:
        expected = {token(name): f"{name} 0"}
        for written in results:
            expected.update(written[name])
        versions = all_versions(client, name)
        assert len(versions) == len(expected)
        assert {
            v["VersionId"]: client.get_secret_value(SecretId=name, VersionId=v["VersionId"])[
                "SecretString"
            ]
            for v in versions
        } == expected
        for label in ("AWSCURRENT", "AWSPREVIOUS", "shared"):
            assert len(holders(versions, label)) == 1, (name, label)
        # Each thread's own label ends on the last version that thread wrote here.
        for index, written in enumerate(results):
            if written[name]:
                assert holders(versions, f"thread-{index}") == [list(written[name])[-1]]
        assert all(v["VersionStages"] for v in versions if "VersionStages" in v)
