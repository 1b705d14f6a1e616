"""``smmock serve`` against moto's server under the same load, and an RSS soak.

One run starts both servers on loopback ports, creates the same secrets on each, and
loads them in turn (rounds in rotating order, median per server): 8 client processes
(:mod:`benchmarks.http_load`), alternating GetSecretValue and PutSecretValue. Targets:
smmock serves at least 3x moto's requests per second at most 1/3 of its p99 latency.

The soak then loads ``smmock serve`` alone for ``--soak-seconds`` (the issue asks for
10 minutes, the default) with GetSecretValue and TagResource (a write that keeps the
state's size: new versions are state, kept as AWS keeps them, and would grow the RSS by
design) and samples the server's RSS; it should stay flat after warm-up.

Usage, from the repository root (needs the ``bench`` extra)::

    .venv/bin/python -m benchmarks.server_load                       # about 12 minutes
    .venv/bin/python -m benchmarks.server_load --soak-seconds 60     # a short soak
    .venv/bin/python -m benchmarks.server_load --soak-seconds 0      # no soak
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks import http_load
from benchmarks.server_stacks import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "server.json"
# Enough secrets that no client reaches AWS's 100 versions per secret in a run.
SECRETS = [f"bench/{i}" for i in range(1600)]
TARGET_RPS, TARGET_P99 = 3.0, 1 / 3


def start_smmock() -> tuple[subprocess.Popen[str], int]:
    """``python -m smmock serve --port 0``; return the process and its port."""
    process = subprocess.Popen(
        [sys.executable, "-m", "smmock", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    banner = process.stdout.readline()
    port = int(banner.split()[2].rsplit(":", 1)[1])
    return process, port


def start_moto() -> tuple[subprocess.Popen[str], int]:
    """``moto_server`` (moto's ``server`` extra) on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    wait_for_port(port)
    return process, port


def rss_kib(pid: int) -> int:
    """The resident set size of process ``pid`` in KiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def _summary(results: list[http_load.LoadResult]) -> dict[str, Any]:
    return {
        "rps": round(statistics.median(r.rps for r in results), 1),
        "p50_ms": round(statistics.median(r.p50_ms for r in results), 3),
        "p99_ms": round(statistics.median(r.p99_ms for r in results), 3),
        "rounds_rps": [round(r.rps, 1) for r in results],
        "rounds_p99_ms": [round(r.p99_ms, 3) for r in results],
        "requests": sum(r.requests for r in results),
        "4xx": sum(r.client_errors for r in results),
        "5xx": sum(r.server_errors for r in results),
    }


def compare(clients: int, seconds: float, rounds: int) -> dict[str, Any]:
    """Load both servers in turn; return each one's summary and the target ratios."""
    servers = {"smmock": start_smmock(), "moto": start_moto()}
    try:
        for _, port in servers.values():
            http_load.create_secrets(port, SECRETS)
        runs: dict[str, list[http_load.LoadResult]] = {name: [] for name in servers}
        names = list(servers)
        for round_ in range(rounds):
            for name in names[round_ % 2 :] + names[: round_ % 2]:
                result = http_load.run(
                    servers[name][1], secrets=SECRETS, clients=clients, seconds=seconds
                )
                runs[name].append(result)
                print(
                    f"  round {round_ + 1} {name}: {result.rps:.0f} rps, p99 {result.p99_ms:.2f} ms"
                )
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(10)
            if process.stdout is not None:
                process.stdout.close()
    smmock, moto = _summary(runs["smmock"]), _summary(runs["moto"])
    rps_ratio = smmock["rps"] / moto["rps"]
    p99_ratio = smmock["p99_ms"] / moto["p99_ms"]
    return {
        "smmock": smmock,
        "moto": moto,
        "rps_ratio": round(rps_ratio, 2),
        "p99_ratio": round(p99_ratio, 3),
        "rps_target_met": rps_ratio >= TARGET_RPS,
        "p99_target_met": p99_ratio <= TARGET_P99,
    }


def soak(clients: int, seconds: float, every: float = 5.0) -> dict[str, Any]:
    """Load ``smmock serve`` for ``seconds`` and sample its RSS every ``every`` seconds."""
    process, port = start_smmock()
    names = SECRETS[:200]
    try:
        http_load.create_secrets(port, names)
        samples: list[tuple[float, int]] = [(0.0, rss_kib(process.pid))]
        outcome: list[http_load.LoadResult] = []
        loader = threading.Thread(
            target=lambda: outcome.append(
                http_load.run(port, secrets=names, clients=clients, seconds=seconds, write="tag")
            )
        )
        started = time.monotonic()
        loader.start()
        while loader.is_alive():
            loader.join(every)
            samples.append((round(time.monotonic() - started, 1), rss_kib(process.pid)))
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()
    result = outcome[0]
    # Warm-up: the first tenth of the soak (at least one sample after the load began).
    warm_index = max(1, len(samples) // 10)
    warm, last = samples[warm_index][1], samples[-1][1]
    return {
        "seconds": seconds,
        "clients": clients,
        "requests": result.requests,
        "rps": round(result.rps, 1),
        "p99_ms": round(result.p99_ms, 3),
        "4xx": result.client_errors,
        "5xx": result.server_errors,
        "rss_kib_idle": samples[0][1],
        "rss_kib_after_warmup": warm,
        "rss_kib_end": last,
        "rss_kib_max": max(kib for _, kib in samples),
        "growth_after_warmup_pct": round(100 * (last - warm) / warm, 2),
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--soak-seconds", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    report: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "clients": args.clients,
        "seconds_per_round": args.seconds,
        "rounds": args.rounds,
    }
    print(f"== smmock serve vs moto_server: {args.clients} clients, {args.rounds} rounds")
    report["compare"] = compare(args.clients, args.seconds, args.rounds)
    print(json.dumps(report["compare"], indent=2))
    if args.soak_seconds > 0:
        print(f"== RSS soak: {args.soak_seconds:.0f} s")
        report["soak"] = soak(args.clients, args.soak_seconds)
        print(json.dumps({k: v for k, v in report["soak"].items() if k != "samples"}, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=asdict) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
