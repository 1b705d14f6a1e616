"""Which HTTP stack should ``smmock serve`` run on? Measure the candidates.

Each candidate serves the same tiny application, which hands every ``POST /`` to
``smmock._wire.protocol.handle`` exactly as the real server does, and the same load
(:mod:`benchmarks.http_load`: client processes with keep-alive connections, half
GetSecretValue, half PutSecretValue) runs against each in turn.

Usage, from the repository root (needs the ``server`` extra, plus waitress)::

    .venv/bin/python -m benchmarks.server_stacks [--seconds 5] [--clients 8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from benchmarks import http_load

STACKS = ("uvicorn-asgi", "uvicorn-starlette", "waitress-wsgi", "werkzeug-wsgi")
# Enough secrets that no client reaches AWS's 100 versions per secret in a run.
SECRETS = [f"bench/{i}" for i in range(800)]


def _backend() -> Any:
    from smmock._service.backend import SecretsBackend

    backend = SecretsBackend()
    for name in SECRETS:
        backend.create_secret(name, "initial", region=http_load.REGION)
    return backend


def _wsgi_app() -> Callable[..., Iterable[bytes]]:
    from smmock._wire.protocol import handle

    backend = _backend()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        status, payload = handle(
            backend, http_load.REGION, "123456789012", environ["HTTP_X_AMZ_TARGET"], body
        )
        start_response(
            f"{status} {'OK' if status == 200 else 'Error'}",
            [
                ("Content-Type", "application/x-amz-json-1.1"),
                ("Content-Length", str(len(payload))),
            ],
        )
        return [payload]

    return app


def _asgi_app() -> Callable[..., Any]:
    from smmock._wire.protocol import handle

    backend = _backend()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        target = dict(scope["headers"]).get(b"x-amz-target", b"").decode()
        status, payload = handle(backend, http_load.REGION, "123456789012", target, body)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/x-amz-json-1.1")],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    return app


def _starlette_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from smmock._wire.protocol import handle

    backend = _backend()

    async def api(request: Request) -> Response:
        status, payload = handle(
            backend,
            http_load.REGION,
            "123456789012",
            request.headers.get("x-amz-target", ""),
            await request.body(),
        )
        return Response(payload, status, media_type="application/x-amz-json-1.1")

    return Starlette(routes=[Route("/", api, methods=["POST"])])


def serve(stack: str, port: int) -> None:
    """Serve the tiny application on ``stack`` at 127.0.0.1:``port`` until killed."""
    if stack == "uvicorn-asgi":
        import uvicorn

        uvicorn.run(_asgi_app(), host="127.0.0.1", port=port, log_level="warning")
    elif stack == "uvicorn-starlette":
        import uvicorn

        uvicorn.run(_starlette_app(), host="127.0.0.1", port=port, log_level="warning")
    elif stack == "waitress-wsgi":
        import waitress

        waitress.serve(_wsgi_app(), host="127.0.0.1", port=port, threads=8, _quiet=True)
    elif stack == "werkzeug-wsgi":
        from werkzeug.serving import WSGIRequestHandler, run_simple

        # HTTP/1.1 so that connections are kept alive, as the other stacks do.
        WSGIRequestHandler.protocol_version = "HTTP/1.1"
        run_simple("127.0.0.1", port, _wsgi_app(), threaded=True)
    else:
        raise SystemExit(f"unknown stack {stack!r}; choose from {', '.join(STACKS)}")


def free_port() -> int:
    """A loopback port the OS says is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    """Block until something accepts connections on 127.0.0.1:``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def measure(stack: str, clients: int, seconds: float) -> http_load.LoadResult:
    """Start ``stack`` in its own process, load it, stop it."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.server_stacks", "--serve", stack, "--port", str(port)],
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        return http_load.run(port, secrets=SECRETS, clients=clients, seconds=seconds)
    finally:
        server.terminate()
        server.wait(10)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", choices=STACKS)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--stacks", nargs="*", default=list(STACKS))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.port)
        return
    # Rounds interleave the stacks (in a rotating order), so a change in the machine's
    # load hits every stack alike; each figure is the median over the rounds.
    runs: dict[str, list[http_load.LoadResult]] = {stack: [] for stack in args.stacks}
    for round_ in range(args.rounds):
        shift = round_ % len(args.stacks)
        for stack in args.stacks[shift:] + args.stacks[:shift]:
            runs[stack].append(measure(stack, args.clients, args.seconds))
    for stack, results in runs.items():
        row = {
            "stack": stack,
            "rps": round(statistics.median(r.rps for r in results)),
            "p50_ms": round(statistics.median(r.p50_ms for r in results), 2),
            "p99_ms": round(statistics.median(r.p99_ms for r in results), 2),
            "rounds": [round(r.rps) for r in results],
            "4xx": sum(r.client_errors for r in results),
            "5xx": sum(r.server_errors for r in results),
        }
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
