"""32 concurrent clients against ``smmock serve``: no lost writes, no 5xx.

Bounded: each client sends 48 requests (every 4th a PutSecretValue), within 30 s at
most, to 127.0.0.1 only. Eight clients share each secret, so writes to one secret race.
Speed is measured in benchmarks/server_load.py, not here.
"""

from __future__ import annotations

import http.client
from collections import defaultdict

from benchmarks import http_load
from tests.server_fixtures import Server

CLIENTS, REQUESTS, WRITE_EVERY = 32, 48, 4
SECRETS = [f"load/{i}" for i in range(4)]


def test_no_lost_writes_and_no_5xx_under_32_clients(server: Server) -> None:
    http_load.create_secrets(server.port, SECRETS)
    result = http_load.run(
        server.port,
        secrets=SECRETS,
        clients=CLIENTS,
        seconds=30,
        max_requests=REQUESTS,
        write_every=WRITE_EVERY,
        threads=True,
    )
    assert (result.requests, result.server_errors, result.client_errors) == (
        CLIENTS * REQUESTS,
        0,
        0,
    )
    assert len(result.writes) == CLIENTS * REQUESTS // WRITE_EVERY
    written: dict[str, dict[str, str]] = defaultdict(dict)
    for write in result.writes:
        written[write.secret][write.version_id] = write.value
    assert sorted(written) == SECRETS
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        for secret, versions in written.items():
            status, listed = http_load.call(
                conn,
                "ListSecretVersionIds",
                {"SecretId": secret, "IncludeDeprecated": True, "MaxResults": 100},
            )
            assert status == 200
            ids = {v["VersionId"] for v in listed["Versions"]}  # type: ignore[attr-defined]
            # Every acknowledged write is a version, plus the first value; nothing else.
            assert len(versions) == 8 * REQUESTS // WRITE_EVERY
            assert set(versions) <= ids
            (first,) = ids - set(versions)
            for version_id, value in {first: "initial", **versions}.items():
                status, got = http_load.call(
                    conn, "GetSecretValue", {"SecretId": secret, "VersionId": version_id}
                )
                assert (status, got["SecretString"]) == (200, value)
    finally:
        conn.close()
