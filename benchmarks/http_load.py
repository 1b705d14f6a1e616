"""A lean HTTP load generator for Secrets Manager servers (smmock serve, moto_server).

Each client process keeps one ``http.client`` connection (reopened whenever the server
closes it, as moto's does after every response) and sends pre-built awsJson1.1 requests,
so the client costs a few microseconds per call and the numbers measure the server.
The Authorization header carries a SigV4 credential scope (both servers read the region
from it); neither server checks the signature, so it is fixed.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import statistics
import time
import uuid
from dataclasses import dataclass

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
    conn: http.client.HTTPConnection, operation: str, params: dict[str, object]
) -> tuple[int, dict[str, object]]:
    """Send one request on ``conn``; return the status and the decoded JSON body."""
    conn.request("POST", "/", json.dumps(params).encode(), headers(operation))
    response = conn.getresponse()
    body = response.read()
    return response.status, json.loads(body) if body else {}


@dataclass
class WorkerResult:
    """What one client process saw: counts per status class and every latency (s)."""

    ok: int
    client_errors: int
    server_errors: int
    latencies: list[float]
    written: list[str]
    finished: float


def _worker(
    port: int,
    secret: str,
    start_at: float,
    seconds: float,
    max_requests: int,
    put_every: int,
    tag: str,
) -> WorkerResult:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    get_body = json.dumps({"SecretId": secret}).encode()
    get_headers = headers("GetSecretValue")
    put_headers = headers("PutSecretValue")
    latencies: list[float] = []
    written: list[str] = []
    ok = client_errors = server_errors = 0
    # Every client starts at the same wall-clock moment, after all of them spawned.
    time.sleep(max(0.0, start_at - time.time()))
    deadline = time.perf_counter() + seconds
    count = 0
    while count < max_requests and time.perf_counter() < deadline:
        count += 1
        is_put = put_every > 0 and count % put_every == 0
        if is_put:
            value = f"{tag}-{count}"
            body = json.dumps(
                {"SecretId": secret, "SecretString": value, "ClientRequestToken": str(uuid.uuid4())}
            ).encode()
        start = time.perf_counter()
        if is_put:
            conn.request("POST", "/", body, put_headers)
        else:
            conn.request("POST", "/", get_body, get_headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        if response.status < 400:
            ok += 1
            if is_put:
                written.append(value)
        elif response.status < 500:
            client_errors += 1
        else:
            server_errors += 1
    conn.close()
    return WorkerResult(ok, client_errors, server_errors, latencies, written, time.time())


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
    written: list[str]


def run(
    port: int,
    *,
    secret: str,
    clients: int,
    seconds: float,
    max_requests: int = 1_000_000,
    put_every: int = 2,
) -> LoadResult:
    """Run ``clients`` processes against ``127.0.0.1:port`` for about ``seconds``.

    Parameters:
        port: the server's loopback port.
        secret: the secret every client reads and writes (it must exist).
        clients: how many client processes.
        seconds: how long each client sends (a time bound).
        max_requests: a count bound per client as well.
        put_every: every n-th request is a PutSecretValue (0: only GetSecretValue).
    """
    context = multiprocessing.get_context("spawn")
    with context.Pool(clients) as pool:
        # Spawning a process takes a few hundred milliseconds on a busy machine.
        start_at = time.time() + 1.0 + 0.1 * clients
        results = pool.starmap(
            _worker,
            [
                (port, secret, start_at, seconds, max_requests, put_every, f"c{i}")
                for i in range(clients)
            ],
        )
    elapsed = max(r.finished for r in results) - start_at
    latencies = sorted(x for r in results for x in r.latencies)
    requests = len(latencies)
    return LoadResult(
        clients=clients,
        seconds=elapsed,
        requests=requests,
        rps=requests / max(elapsed, 1e-9),
        p50_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p99_ms=latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0,
        server_errors=sum(r.server_errors for r in results),
        client_errors=sum(r.client_errors for r in results),
        written=[value for r in results for value in r.written],
    )
