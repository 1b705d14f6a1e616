"""smmock beside other mocks, threads and the environment, each in a fresh interpreter.

* moto's ``mock_aws`` active in either nesting order: every one of the model's
  operations is answered by smmock alone (the same answers as without moto), moto
  stores no copy, and moto still serves the other services.
* 8 threads x 100 calls of a decorated function, with a tiny switch interval: every
  call is served, and afterwards the environment and every patched attribute are as
  before.
* The default region comes from ``AWS_DEFAULT_REGION``, then ``AWS_REGION``, then
  ``us-east-1``, and a region that is not one is refused with a message.
* Plain ``requests`` reach the endpoint under every spelling of its host.

Each case runs under the socket guard of :mod:`tests.isolated`, which must record no
connection attempt.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from tests.isolated import clean_environment, run_isolated

OPERATIONS = sorted(
    botocore.session.get_session().get_service_model("secretsmanager").operation_names
)

# One flow that calls every operation successfully; answers are normalised (random ARN
# suffixes, request ids, passwords) so that runs can be compared byte for byte.
FLOW = """
import json, re
import boto3
from freezegun import freeze_time
from smmock import mock_secrets

POLICY = json.dumps({"Version": "2012-10-17", "Statement": {
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
    "Action": "secretsmanager:GetSecretValue", "Resource": "*"}})
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
called, answers = [], []

def norm(value):
    if isinstance(value, dict):
        return {k: norm(v) for k, v in sorted(value.items())
                if k not in ("ResponseMetadata", "RandomPassword")}
    if isinstance(value, list):
        return [norm(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"(:secret:[A-Za-z0-9/_+=.@-]+)-[A-Za-z0-9]{6}", r"\\1-RANDOM", value)
    return value if not hasattr(value, "isoformat") else value.isoformat()

def call(client, operation, **params):
    method = re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()
    answer = getattr(client, method)(**params)
    called.append(operation)
    answers.append([operation, norm(answer)])
    if operation == "GetRandomPassword":
        answers.append(["password length", len(answer["RandomPassword"])])
    return answer

def flow():
    with freeze_time("2024-03-10 14:30:15"), mock_secrets() as backend:
        def rotate(event, context):
            rotating = boto3.client("secretsmanager", region_name="us-east-1")
            if event["Step"] == "createSecret":
                rotating.put_secret_value(SecretId=event["SecretId"], SecretString="v3",
                    ClientRequestToken=event["ClientRequestToken"], VersionStages=["AWSPENDING"])
            if event["Step"] == "finishSecret":
                current = [v for v, s in rotating.describe_secret(SecretId=event["SecretId"])[
                    "VersionIdsToStages"].items() if "AWSCURRENT" in s][0]
                rotating.update_secret_version_stage(SecretId=event["SecretId"],
                    VersionStage="AWSCURRENT", MoveToVersionId=event["ClientRequestToken"],
                    RemoveFromVersionId=current)
        backend.register_rotation_function(LAMBDA, rotate)
        c = boto3.client("secretsmanager", region_name="us-east-1")
        west = boto3.client("secretsmanager", region_name="eu-west-1")
        arn = call(c, "CreateSecret", Name="app", SecretString="v1",
                   ClientRequestToken="a" * 32)["ARN"]
        call(c, "GetSecretValue", SecretId="app")
        call(c, "PutSecretValue", SecretId="app", SecretString="v2", ClientRequestToken="b" * 32)
        call(c, "UpdateSecret", SecretId="app", Description="the app's secret")
        call(c, "UpdateSecretVersionStage", SecretId="app", VersionStage="blue",
             MoveToVersionId="a" * 32)
        call(c, "ListSecretVersionIds", SecretId=arn)
        call(c, "DescribeSecret", SecretId=arn)
        call(c, "ListSecrets")
        call(c, "TagResource", SecretId="app", Tags=[{"Key": "team", "Value": "a"}])
        call(c, "UntagResource", SecretId="app", TagKeys=["team"])
        call(c, "ValidateResourcePolicy", SecretId="app", ResourcePolicy=POLICY)
        call(c, "PutResourcePolicy", SecretId="app", ResourcePolicy=POLICY)
        call(c, "GetResourcePolicy", SecretId="app")
        call(c, "ListResourcePolicies", SecretId="app")
        call(c, "DeleteResourcePolicy", SecretId="app")
        call(c, "GetRandomPassword", PasswordLength=24)
        call(c, "BatchGetSecretValue", SecretIdList=["app", arn])
        call(c, "RotateSecret", SecretId="app", RotationLambdaARN=LAMBDA,
             ClientRequestToken="c" * 32, RotationRules={"AutomaticallyAfterDays": 30})
        call(c, "CancelRotateSecret", SecretId="app")
        call(c, "ReplicateSecretToRegions", SecretId="app",
             AddReplicaRegions=[{"Region": "eu-west-1"}, {"Region": "eu-central-1"}])
        call(c, "RemoveRegionsFromReplication", SecretId="app",
             RemoveReplicaRegions=["eu-central-1"])
        call(west, "StopReplicationToReplica", SecretId="app")
        with mock_secrets(account_id="210987654321"):
            replica = c.create_secret(Name="copy", CrossAccountPrimaryARN=arn,
                                      KmsKeyId="alias/replica-key")["ARN"]
        call(c, "AssociateCrossAccountReplica", SecretId="app", CrossAccountReplicaARN=replica)
        call(c, "DisassociateCrossAccountReplica", SecretId="app",
             CrossAccountReplicaARN=replica)
        call(c, "DeleteSecret", SecretId="app", RecoveryWindowInDays=7)
        call(c, "RestoreSecret", SecretId="app")
"""

MOTO = """
import os
from moto import mock_aws
from moto.secretsmanager.models import secretsmanager_backends

def moto_secrets():
    return sorted(
        name
        for account in list(secretsmanager_backends)
        for region in list(secretsmanager_backends[account])
        for name in secretsmanager_backends[account][region].secrets
    )

def s3_round_trip():
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="moto-still-serves")
    s3.put_object(Bucket="moto-still-serves", Key="k", Body=b"body")
    return s3.get_object(Bucket="moto-still-serves", Key="k")["Body"].read().decode()
"""


def _flow(order: str, tmp_path: Path) -> Any:
    env = clean_environment(tmp_path)
    if order == "alone":
        body = FLOW + "\nphase('mock')\nflow()\ndone(called=called, answers=answers)\n"
    else:
        # moto outside smmock, or started inside an active smmock (the flow's own
        # mock_secrets() then nests in the outer one).
        start = (
            "with mock_aws():" if order == "moto-outside" else ("with mock_secrets(), mock_aws():")
        )
        body = (
            FLOW
            + MOTO
            + f"""
phase('mock')
{start}
    flow()
    s3 = s3_round_trip()
    stored = moto_secrets()
done(called=called, answers=answers, s3=s3, moto_stored=stored)
"""
        )
    return run_isolated(body, env, tmp_path, timeout=120)


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> Any:
    pytest.importorskip("freezegun")
    return _flow("alone", tmp_path_factory.mktemp("alone"))


@pytest.mark.parametrize("order", ["moto-outside", "moto-inside"])
def test_with_moto_active_smmock_alone_answers_every_operation(
    order: str, alone: Any, tmp_path: Path
) -> None:
    pytest.importorskip("moto")
    result = _flow(order, tmp_path)
    assert sorted(set(result["called"])) == OPERATIONS
    assert result["answers"] == alone["answers"]
    assert result["moto_stored"] == []
    assert result["s3"] == "body"
    assert result["attempts"] == []


def test_the_flow_answers_what_aws_does(alone: Any) -> None:
    answers = dict(alone["answers"])
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-RANDOM"
    assert answers["ListSecretVersionIds"]["ARN"] == arn
    assert sorted(
        (v["VersionId"][0], v["VersionStages"]) for v in answers["ListSecretVersionIds"]["Versions"]
    ) == [("a", ["AWSPREVIOUS", "blue"]), ("b", ["AWSCURRENT"])]
    assert answers["ValidateResourcePolicy"] == {
        "PolicyValidationPassed": True,
        "ValidationErrors": [],
    }
    assert answers["password length"] == 24
    assert answers["StopReplicationToReplica"] == {
        "ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-RANDOM"
    }
    assert answers["DeleteSecret"]["DeletionDate"] == "2024-03-17T14:30:15+00:00"
    assert answers["RestoreSecret"] == {"ARN": arn, "Name": "app"}
    assert alone["attempts"] == []


THREADS = """
import os, sys, threading
import boto3, botocore.endpoint, botocore.session, botocore.signers, requests.adapters
import botocore.handlers
from smmock import mock_secrets
from smmock._intercept.state import state

def attributes():
    import botocore.client, botocore.hooks
    return {
        "Endpoint._do_get_response": vars(botocore.endpoint.Endpoint)["_do_get_response"],
        "RequestSigner.sign": vars(botocore.signers.RequestSigner)["sign"],
        "Session.create_client": vars(botocore.session.Session)["create_client"],
        "HTTPAdapter.send": vars(requests.adapters.HTTPAdapter)["send"],
        "EventAliaser.__copy__": vars(botocore.hooks.EventAliaser)["__copy__"],
        "_PrefixTrie.__copy__": vars(botocore.hooks._PrefixTrie)["__copy__"],
        "ClientCreator._load_service_model":
            vars(botocore.client.ClientCreator)["_load_service_model"],
        "EndpointCreator._get_proxies": vars(botocore.endpoint.EndpointCreator)["_get_proxies"],
    }

clients = [boto3.session.Session().client("secretsmanager", region_name="us-east-1")
           for _ in range(8)]
before = (dict(os.environ), attributes(), list(botocore.handlers.BUILTIN_HANDLERS))
sys.setswitchinterval(1e-6)
failures, served = [], [0] * 8

@mock_secrets
def one_call(index, n):
    client = clients[index]
    name = "t%d-%d" % (index, n)
    client.create_secret(Name=name, SecretString=name)
    if client.get_secret_value(SecretId=name)["SecretString"] != name:
        raise AssertionError(name)

def worker(index):
    try:
        for n in range(100):
            one_call(index, n)
            served[index] += 1
    except BaseException as error:
        failures.append(repr(error))

phase("mock")
threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
sys.setswitchinterval(0.005)
after = (dict(os.environ), attributes(), list(botocore.handlers.BUILTIN_HANDLERS))
done(
    failures=failures[:3],
    served=served,
    same_environment=before[0] == after[0],
    changed=[k for k in before[1] if before[1][k] is not after[1][k]],
    same_handlers=before[2] == after[2],
    active=state.backend is not None,
    stack=len(state.stack),
    patches=len(state.patches),
)
"""


def test_eight_threads_start_and_stop_a_decorated_mock(tmp_path: Path) -> None:
    result: Any = run_isolated(THREADS, clean_environment(tmp_path), tmp_path, timeout=240)
    assert result["failures"] == []
    assert result["served"] == [100] * 8
    assert result["same_environment"] is True
    assert result["changed"] == []
    assert result["same_handlers"] is True
    assert (result["active"], result["stack"], result["patches"]) == (False, 0, 0)
    assert result["attempts"] == []


REGION = """
import os
import boto3
from smmock import mock_secrets
before = dict(os.environ)
phase("mock")
try:
    with mock_secrets(**OPTIONS) as backend:
        backend.create_secret("db", "seeded")
        client = boto3.client("secretsmanager")
        answer = [backend.region, client.meta.region_name,
                  client.get_secret_value(SecretId="db")["SecretString"],
                  os.environ.get("AWS_DEFAULT_REGION")]
except ValueError as error:
    answer = ["ValueError", str(error)]
done(answer=answer, restored=dict(os.environ) == before)
"""


@pytest.mark.parametrize(
    ("environment", "options", "expected"),
    [
        ({}, {}, ["us-east-1", "us-east-1", "seeded", "us-east-1"]),
        (
            {"AWS_DEFAULT_REGION": "eu-west-1"},
            {},
            ["eu-west-1", "eu-west-1", "seeded", "eu-west-1"],
        ),
        ({"AWS_REGION": "ap-south-1"}, {}, ["ap-south-1", "ap-south-1", "seeded", "ap-south-1"]),
        (
            {"AWS_DEFAULT_REGION": "eu-west-1", "AWS_REGION": "ap-south-1"},
            {},
            ["eu-west-1", "eu-west-1", "seeded", "eu-west-1"],
        ),
        (
            {"AWS_REGION": "ap-south-1"},
            {"region": "ca-central-1"},
            # The helpers serve the mock's region; the client follows the environment.
            ["ca-central-1", "ap-south-1", None, "ap-south-1"],
        ),
        (
            {"AWS_DEFAULT_REGION": "EU"},
            {},
            [
                "ValueError",
                "AWS_DEFAULT_REGION must be a region name such as 'us-east-1' (lowercase "
                "words and a number, joined by '-'), not 'EU'; pass "
                "mock_secrets(region=...) or fix the variable.",
            ],
        ),
        (
            {},
            {"region": "EU"},
            [
                "ValueError",
                "region must be a region name such as 'us-east-1' (lowercase words and a "
                "number, joined by '-'), not 'EU'.",
            ],
        ),
    ],
)
def test_the_default_region_follows_the_environment(
    environment: dict[str, str], options: dict[str, str], expected: list[Any], tmp_path: Path
) -> None:
    env = clean_environment(tmp_path)
    env.update(environment)
    body = REGION
    if len(expected) > 2 and expected[2] is None:
        # The seeded secret is in the mock's region, not the client's: not found there.
        body = body.replace(
            'client.get_secret_value(SecretId="db")["SecretString"]',
            "[s.name for s in backend.secrets(region=client.meta.region_name)] or None",
        )
    result: Any = run_isolated(f"OPTIONS = {options!r}\n{body}", env, tmp_path)
    assert result["answer"] == expected
    assert result["restored"] is True
    assert result["attempts"] == []


REQUESTS = """
import json
import requests
from smmock import mock_secrets
phase("mock")
answers = {}
with mock_secrets() as backend:
    for url in URLS:
        # The host names the region (no signature here): seed the secret there.
        region = url.split("://")[1].split(".")[1].lower()
        if not backend.secrets(region=region):
            backend.create_secret("db", "s3cret", region=region)
        response = requests.post(
            url,
            data=b'{"SecretId": "db"}',
            headers={"X-Amz-Target": "secretsmanager.GetSecretValue",
                     "Content-Type": "application/x-amz-json-1.1"},
            timeout=5,
        )
        answers[url] = [response.status_code, response.json().get("SecretString")]
done(answers=answers)
"""

URLS = [
    "https://secretsmanager.us-east-1.amazonaws.com/",
    "https://secretsmanager.us-east-1.amazonaws.com./",
    "https://SecretsManager.US-EAST-1.AmazonAWS.com/",
    "https://secretsmanager.us-east-1.amazonaws.com:443/",
    "https://secretsmanager.us-east-1.amazonaws.com.:443/",
    "https://secretsmanager-fips.us-east-1.amazonaws.com/",
    "https://secretsmanager.us-east-1.api.aws/",
    "http://secretsmanager.us-east-1.amazonaws.com/",
    "https://secretsmanager.cn-north-1.amazonaws.com.cn/",
    "https://secretsmanager.cn-north-1.api.amazonwebservices.com.cn/",
    "https://secretsmanager.eusc-de-east-1.amazonaws.eu/",
    "https://secretsmanager.us-iso-east-1.c2s.ic.gov/",
    "https://secretsmanager.us-isob-east-1.sc2s.sgov.gov/",
    "https://secretsmanager.eu-isoe-west-1.cloud.adc-e.uk/",
    "https://secretsmanager.us-isof-south-1.csp.hci.ic.gov/",
]


def test_plain_requests_reach_the_endpoint_under_every_host_form(tmp_path: Path) -> None:
    pytest.importorskip("requests")
    result: Any = run_isolated(
        f"URLS = {json.dumps(URLS)}\n{REQUESTS}", clean_environment(tmp_path), tmp_path
    )
    assert result["answers"] == {url: [200, "s3cret"] for url in URLS}
    assert result["attempts"] == []


def test_every_partitions_dns_suffix_is_served() -> None:
    import os

    import botocore

    from smmock._intercept.plain_requests import DNS_SUFFIXES

    path = os.path.join(os.path.dirname(botocore.__file__), "data", "partitions.json")
    with open(path) as handle:
        partitions = json.load(handle)["partitions"]
    suffixes = {
        suffix
        for partition in partitions
        for suffix in (
            partition["outputs"]["dnsSuffix"],
            partition["outputs"]["dualStackDnsSuffix"],
        )
    }
    assert suffixes == set(DNS_SUFFIXES)
