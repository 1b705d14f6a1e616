"""The libraries people put on top of Secrets Manager, run against smmock.

aws-secretsmanager-caching's ``SecretCache``, aws-lambda-powertools'
``parameters.get_secret``, the AWS CLI v1 in-process with the User Guide's exact commands,
and boto3's paginators. They are in the ``dev`` extra; outside CI a missing one skips its
tests, but with ``CI=true`` (as ``.ci/run`` runs) a missing library fails them.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from smmock import SecretsBackend, mock_secrets

UTC = datetime.timezone.utc


def _require(module: str) -> ModuleType:
    if os.environ.get("CI") == "true":
        return importlib.import_module(module)
    return pytest.importorskip(module)


def _client() -> Any:
    return boto3.client("secretsmanager", region_name="us-east-1")


# -- aws-secretsmanager-caching ---------------------------------------------------------------


def test_secret_cache_refreshes_after_a_rotation() -> None:
    caching = _require("aws_secretsmanager_caching")
    with freeze_time("2024-04-01 08:00:00") as clock, mock_secrets() as backend:
        backend.create_secret("svc/token", "v1")
        config = caching.SecretCacheConfig(secret_refresh_interval=60)
        cache = caching.SecretCache(config=config, client=_client())
        assert cache.get_secret_string("svc/token") == "v1"
        backend.put_secret_value("svc/token", "v2")
        # Cached: no call reaches the service until the refresh interval is over.
        calls = len(backend.calls)
        assert cache.get_secret_string("svc/token") == "v1"
        assert len(backend.calls) == calls
        clock.tick(61)
        assert cache.get_secret_string("svc/token") == "v2"
        assert backend.calls.operations()[calls:] == ["DescribeSecret", "GetSecretValue"]


def test_secret_cache_reads_a_staging_label() -> None:
    caching = _require("aws_secretsmanager_caching")
    with mock_secrets() as backend:
        backend.create_secret("svc/token", "old")
        backend.put_secret_value("svc/token", "new")
        backend.put_secret_value("svc/token", "next", version_stages=["AWSPENDING"])
        cache = caching.SecretCache(client=_client())
        assert cache.get_secret_string("svc/token") == "new"
        assert cache.get_secret_string("svc/token", version_stage="AWSPREVIOUS") == "old"
        assert cache.get_secret_string("svc/token", version_stage="AWSPENDING") == "next"


# -- aws-lambda-powertools ------------------------------------------------------------------


@pytest.fixture
def parameters() -> Iterator[Any]:
    module = _require("aws_lambda_powertools.utilities.parameters")
    module.clear_caches()
    module.base.DEFAULT_PROVIDERS.clear()
    yield module
    module.clear_caches()
    module.base.DEFAULT_PROVIDERS.clear()


def test_powertools_get_secret_with_its_own_cache(parameters: Any) -> None:
    with freeze_time("2024-04-01 08:00:00") as clock, mock_secrets() as backend:
        backend.create_secret("lambda/db", json.dumps({"user": "app"}))
        assert parameters.get_secret("lambda/db", transform="json", max_age=30) == {"user": "app"}
        backend.put_secret_value("lambda/db", json.dumps({"user": "app2"}))
        assert parameters.get_secret("lambda/db", transform="json", max_age=30) == {"user": "app"}
        assert backend.calls.operations() == ["GetSecretValue"]
        clock.tick(31)
        assert parameters.get_secret("lambda/db", transform="json", max_age=30) == {"user": "app2"}
        assert parameters.get_secret("lambda/db", force_fetch=True) == '{"user": "app2"}'
        assert backend.calls.operations() == ["GetSecretValue"] * 3


def test_powertools_surfaces_the_error(parameters: Any) -> None:
    exceptions = _require("aws_lambda_powertools.utilities.parameters.exceptions")
    with mock_secrets(), pytest.raises(exceptions.GetParameterError) as caught:
        parameters.get_secret("missing")
    assert "Secrets Manager can't find the specified secret." in str(caught.value)


# -- the AWS CLI v1, in-process, with the guide's commands ------------------------------------


def _aws(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    clidriver = _require("awscli.clidriver")
    capsys.readouterr()
    status = clidriver.create_clidriver().main(list(args))
    out = capsys.readouterr().out
    assert status == 0, out
    return json.loads(out) if out.strip() else None


def test_the_guides_cli_commands(capsys: pytest.CaptureFixture[str]) -> None:
    name = "development/MyTestDatabase"
    # The guide's DeletionDate: 1510089380.309 is 2017-11-07 21:16:20.309 UTC, 14 days on.
    with freeze_time("2017-10-24 21:16:20.309") as clock, mock_secrets(seed=1) as backend:
        first = backend.create_secret(name, "v1", version_id="EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE")
        backend.put_secret_value(name, "v2")
        arn = first.arn

        deleted = _aws(
            capsys, "secretsmanager", "delete-secret", "--secret-id", name,
            "--recovery-window-in-days", "14",
        )  # fmt: skip
        assert deleted == {"ARN": arn, "Name": name, "DeletionDate": 1510089380.309}
        assert backend.calls.during_recovery_window() == []

        restored = _aws(capsys, "secretsmanager", "restore-secret", "--secret-id", name)
        assert restored == {"ARN": arn, "Name": name}
        assert [c.operation for c in backend.calls.during_recovery_window()] == ["RestoreSecret"]

        staged = _aws(
            capsys, "secretsmanager", "update-secret-version-stage", "--secret-id", name,
            "--remove-from-version-id", "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE",
            "--version-stage", "AWSPREVIOUS",
        )  # fmt: skip
        assert staged == {"ARN": arn, "Name": name}
        assert backend.get_secret(name).versions["EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE"].deprecated

        clock.tick(datetime.timedelta(days=14))
        forced = _aws(
            capsys, "secretsmanager", "delete-secret", "--secret-id", name,
            "--force-delete-without-recovery",
        )  # fmt: skip
        assert forced == {"ARN": arn, "Name": name, "DeletionDate": 1510089380.309}
        assert backend.secrets() == []


def test_the_cli_reports_aws_errors(capsys: pytest.CaptureFixture[str]) -> None:
    clidriver = _require("awscli.clidriver")
    with mock_secrets():
        status = clidriver.create_clidriver().main(
            ["secretsmanager", "restore-secret", "--secret-id", "nope"]
        )
    assert status == 255
    assert capsys.readouterr().err.strip() == (
        "An error occurred (ResourceNotFoundException) when calling the RestoreSecret "
        "operation: Secrets Manager can't find the specified secret."
    )


# -- boto3 paginators -----------------------------------------------------------------------------


def test_paginators(sm_backend: SecretsBackend) -> None:
    for number in range(25):
        sm_backend.create_secret(f"s{number:02d}", "v")
    for number in range(7):
        sm_backend.put_secret_value("s00", f"v{number}", version_stages=[])
    client = _client()
    pages = list(client.get_paginator("list_secrets").paginate(PaginationConfig={"PageSize": 10}))
    assert [len(p["SecretList"]) for p in pages] == [10, 10, 5]
    assert [s["Name"] for p in pages for s in p["SecretList"]] == [f"s{n:02d}" for n in range(25)]
    limited = client.get_paginator("list_secrets").paginate(
        PaginationConfig={"PageSize": 4, "MaxItems": 6}
    )
    assert [s["Name"] for s in limited.search("SecretList[]")] == [f"s{n:02d}" for n in range(6)]
    # botocore models no paginator for ListSecretVersionIds; its NextToken works by hand.
    assert not client.can_paginate("list_secret_version_ids")
    first = client.list_secret_version_ids(SecretId="s00", IncludeDeprecated=True, MaxResults=5)
    rest = client.list_secret_version_ids(
        SecretId="s00", IncludeDeprecated=True, NextToken=first["NextToken"]
    )
    assert (len(first["Versions"]), len(rest["Versions"]), "NextToken" in rest) == (5, 3, False)
    # botocore models paginators for ListSecrets and ListResourcePolicies only.
    assert [
        op
        for op in ("list_secret_version_ids", "batch_get_secret_value")
        if client.can_paginate(op)
    ] == []
