"""The ``smmock`` command line: ``smmock serve`` (also ``python -m smmock serve``).

Only argparse is imported up front, so ``smmock --help`` works without the ``server``
extra and says how to install it when ``serve`` needs it.
"""

from __future__ import annotations

import argparse
import copy
import ipaddress
import logging
import re
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from smmock._model.defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from smmock.server.api import REGION_NAME

__all__ = ["DEFAULT_PORT", "main"]

DEFAULT_PORT = 4585
_ACCOUNT = re.compile(r"\d{12}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smmock", description="smmock: an in-memory AWS Secrets Manager."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve the Secrets Manager API, admin endpoints and a console over HTTP",
        description=(
            "Serve the Secrets Manager API (awsJson1.1 on POST /), the /_smmock/ admin "
            "endpoints and a console at GET /. Point clients at it with "
            "--endpoint-url http://127.0.0.1:PORT (AWS CLI) or endpoint_url (SDKs)."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any)"
    )
    serve.add_argument(
        "--account-id",
        default=DEFAULT_ACCOUNT_ID,
        help=f"account of requests whose access key is not a 12-digit account id "
        f"(default {DEFAULT_ACCOUNT_ID})",
    )
    serve.add_argument(
        "--region",
        default=DEFAULT_REGION,
        help=f"region of requests without a SigV4 credential scope (default {DEFAULT_REGION})",
    )
    serve.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help="load the state from FILE at start (if it exists) and save it there, "
        "atomically, shortly after changes and on Ctrl-C/SIGTERM",
    )
    serve.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="draw ARN suffixes, version ids and random passwords from seed N (reproducible)",
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow binding a non-loopback address: anyone who reaches it can read every secret",
    )
    serve.add_argument(
        "--access-log", action="store_true", help="log one line per request (never bodies)"
    )
    return parser


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a bind address) is a loopback address or ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        # Listening before the banner is printed: a client that reads the banner and
        # connects at once waits in the backlog until the event loop accepts it.
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def _log_config(default: dict[str, Any]) -> dict[str, Any]:
    # uvicorn sends access lines to stdout; smmock keeps stdout for the banner alone
    # (scripts read the URL from it) and logs everything to stderr.
    config = copy.deepcopy(default)
    config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    return config


def _refusal(args: argparse.Namespace) -> str | None:
    """Why the arguments cannot be served, or None."""
    if not _ACCOUNT.fullmatch(args.account_id):
        return f"--account-id must be 12 digits, not {args.account_id!r}"
    if not REGION_NAME.fullmatch(args.region):
        return f"--region {args.region!r} is not a region name"
    if not is_loopback(args.host) and not args.allow_remote:
        return (
            f"refusing to bind {args.host}, which is not a loopback address: the server has "
            "no authentication. Pass --allow-remote to do it anyway."
        )
    return None


def _serve(args: argparse.Namespace) -> int:
    refusal = _refusal(args)
    if refusal is not None:
        print(f"smmock serve: {refusal}", file=sys.stderr)
        return 2
    loopback = is_loopback(args.host)
    try:
        import uvicorn

        from smmock._service.backend import SecretsBackend
        from smmock.server.app import ServerConfig, create_app
        from smmock.server.state import StateError, StateKeeper
    except ImportError as error:
        print(
            f"smmock serve needs the server extra ({error.name} is missing): "
            "pip install 'smmock[server]'",
            file=sys.stderr,
        )
        return 2
    backend = SecretsBackend(account_id=args.account_id, region=args.region)
    keeper = None
    if args.state is not None:
        keeper = StateKeeper(backend, args.state)
        try:
            loaded = keeper.load()
        except StateError as error:
            print(f"smmock serve: {error}", file=sys.stderr)
            return 2
        print(
            f"smmock serve: state {'loaded from' if loaded else 'will be saved to'} {args.state}",
            file=sys.stderr,
        )
    if args.seed is not None:
        backend.push_options(seed=args.seed)
    config = ServerConfig(
        region=args.region, account_id=args.account_id, loopback_only=loopback, seed=args.seed
    )
    app = create_app(backend, config, keeper)
    if not loopback:
        print(
            f"smmock serve: WARNING: listening on {args.host}, beyond this machine. The server "
            "has no authentication: anyone who can reach it can read and change every secret.",
            file=sys.stderr,
        )
    try:
        sock = _bind(args.host, args.port)
    except OSError as error:
        print(f"smmock serve: cannot bind {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    address = sock.getsockname()
    host = f"[{address[0]}]" if sock.family == socket.AF_INET6 else address[0]
    url = f"http://{host}:{address[1]}"
    print(
        f"smmock serve: {url} (region {args.region}, account {args.account_id}); "
        f"console at {url}/, admin at {url}/_smmock/health",
        flush=True,
    )
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            lifespan="off",
            log_config=_log_config(uvicorn.config.LOGGING_CONFIG),
            log_level="warning",
            access_log=args.access_log,
            timeout_graceful_shutdown=2,
        )
    )
    if args.access_log:
        # Access lines are info-level records; uvicorn's other loggers stay at warning.
        logging.getLogger("uvicorn.access").setLevel(logging.INFO)
    # uvicorn handles SIGINT and SIGTERM itself (a graceful shutdown), then passes the
    # signal on to the handler that was there before: this one, which ends the run
    # without a traceback so that the state is saved after the last request.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    if keeper is not None:
        keeper.start()
    try:
        server.run(sockets=[sock])
    except _Stopped:
        pass
    finally:
        sock.close()
        if keeper is not None:
            keeper.close()
            print(f"smmock serve: state saved to {args.state}", file=sys.stderr)
    return 0


class _Stopped(Exception):
    """Raised by the signal handler to leave the server's run."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stopped


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters:
        argv: the arguments (default: ``sys.argv[1:]``).
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    parser.print_help()
    return 2
