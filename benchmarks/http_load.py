"""A lean HTTP load generator for Secrets Manager servers (smmock serve, moto_server).

Each client keeps one ``http.client`` connection (reopened whenever the server closes
it, as moto's does after every response) and sends awsJson1.1 requests built with a few
string operations, so a client costs microseconds per call and the numbers measure the
server. The Authorization header carries a SigV4 credential scope (both servers read the
region from it); neither server checks the signature, so it is fixed.

Clients are processes (the benchmarks: the load itself needs CPU) or threads (the load
test, where correctness matters and spawning 32 interpreters would not).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import statistics
import time
import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

REGION = "us-east-1"
AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/"
    f"{REGION}/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"
)


def headers(operation: str) -> dict[str, str]:
    """The headers botocore would send for ``operation`` (minus a real signature)."""
    return {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"secretsmanager.{operation}",
        "X-Amz-Date": "20240101T000000Z",
        "Authorization": AUTHORIZATION,
    }


def call(
    conn: http.client.HTTPConnection, operation: str, params: Mapping[str, object]
) -> tuple[int, dict[str, object]]:
    """Send one request on ``conn``; return the status and the decoded JSON body."""
    conn.request("POST", "/", json.dumps(params).encode(), headers(operation))
    response = conn.getresponse()
    body = response.read()
    return response.status, json.loads(body) if body else {}


def create_secrets(port: int, names: Sequence[str]) -> None:
    """Create each secret (value ``initial``) on the server at 127.0.0.1:``port``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for name in names:
            params = {
                "Name": name,
                "SecretString": "initial",
                "ClientRequestToken": str(uuid.uuid4()),
            }
            status, body = call(conn, "CreateSecret", params)
            if status != 200:
                raise RuntimeError(f"CreateSecret {name}: {status} {body}")
    finally:
        conn.close()


@dataclass
class Write:
    """One acknowledged write: the secret, the version id (the request token), the value."""

    secret: str
    version_id: str
    value: str


@dataclass
class WorkerResult:
    """What one client saw: counts per status class, every latency (s), its writes."""

    ok: int = 0
    client_errors: int = 0
    server_errors: int = 0
    latencies: list[float] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    finished: float = 0.0


def _worker(
    port: int,
    secrets: Sequence[str],
    start_at: float,
    seconds: float,
    max_requests: int,
    write_every: int,
    write: str,
    tag: str,
) -> WorkerResult:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    get_headers = headers("GetSecretValue")
    write_headers = headers("PutSecretValue" if write == "put" else "TagResource")
    gets = [json.dumps({"SecretId": s}).encode() for s in secrets]
    result = WorkerResult()
    # Every client starts at the same wall-clock moment, after all of them exist.
    time.sleep(max(0.0, start_at - time.time()))
    deadline = time.perf_counter() + seconds
    count = 0
    while count < max_requests and time.perf_counter() < deadline:
        count += 1
        secret_index = count % len(secrets)
        written = None
        if write_every > 0 and count % write_every == 0:
            value = f"{tag}-{count}"
            secret = secrets[(count // write_every) % len(secrets)]
            if write == "put":
                token = str(uuid.uuid4())
                written = Write(secret, token, value)
                params: dict[str, object] = {
                    "SecretId": secret,
                    "SecretString": value,
                    "ClientRequestToken": token,
                }
            else:
                # A real write whose state stays bounded: the tag's value is replaced.
                params = {"SecretId": secret, "Tags": [{"Key": tag, "Value": value}]}
            start = time.perf_counter()
            conn.request("POST", "/", json.dumps(params).encode(), write_headers)
        else:
            start = time.perf_counter()
            conn.request("POST", "/", gets[secret_index], get_headers)
        response = conn.getresponse()
        response.read()
        result.latencies.append(time.perf_counter() - start)
        if response.status < 400:
            result.ok += 1
            if written is not None:
                result.writes.append(written)
        elif response.status < 500:
            result.client_errors += 1
        else:
            result.server_errors += 1
    conn.close()
    result.finished = time.time()
    return result


@dataclass
class LoadResult:
    """The whole run: throughput, latency percentiles (ms) and every client's outcome."""

    clients: int
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    server_errors: int
    client_errors: int
    writes: list[Write]


def run(
    port: int,
    *,
    secrets: Sequence[str],
    clients: int,
    seconds: float,
    max_requests: int = 10_000_000,
    write_every: int = 2,
    write: str = "put",
    threads: bool = False,
) -> LoadResult:
    """Run ``clients`` concurrent clients against ``127.0.0.1:port``.

    Parameters:
        port: the server's loopback port.
        secrets: existing secrets; client ``i`` reads and writes ``secrets[i::clients]``
            (so with fewer secrets than clients, several clients share one).
        clients: how many clients.
        seconds: how long each client sends (a time bound).
        max_requests: a count bound per client as well.
        write_every: every n-th request writes (0: only GetSecretValue).
        write: ``"put"`` (PutSecretValue, a new version each time) or ``"tag"``
            (TagResource replacing one tag's value: a write that keeps the state's size).
        threads: clients are threads of this process instead of processes.
    """
    start_at = time.time() + (0.2 if threads else 1.0 + 0.1 * clients)
    jobs = [
        (
            port,
            [
                secrets[(i + k * clients) % len(secrets)]
                for k in range(max(1, len(secrets) // clients))
            ],
            start_at,
            seconds,
            max_requests,
            write_every,
            write,
            f"c{i}",
        )
        for i in range(clients)
    ]
    if threads:
        with ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(lambda job: _worker(*job), jobs))
    else:
        context = multiprocessing.get_context("spawn")
        with context.Pool(clients) as pool:
            results = pool.starmap(_worker, jobs)
    elapsed = max(r.finished for r in results) - start_at
    latencies = sorted(x for r in results for x in r.latencies)
    return LoadResult(
        clients=clients,
        seconds=elapsed,
        requests=len(latencies),
        rps=len(latencies) / max(elapsed, 1e-9),
        p50_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p99_ms=latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else 0.0,
        server_errors=sum(r.server_errors for r in results),
        client_errors=sum(r.client_errors for r in results),
        writes=[w for r in results for w in r.writes],
    )
