"""Run the whole benchmark and write its results, the docs page and the chart.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.run            # full run, a few minutes
    .venv/bin/python -m benchmarks.run --quick    # smoke run, under a minute
    .venv/bin/python -m benchmarks.run --report-only   # re-render docs from latest.json

The full run writes ``benchmarks/results/latest.json``, ``docs/benchmarks.md`` and
``docs/benchmarks.png``; ``--quick`` writes ``benchmarks/results/quick.json`` (and the
docs only with ``--docs``), so a smoke run never replaces the published numbers.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from benchmarks import chart, probes, report
from benchmarks.common import RESULTS, ROOT, UNSIGNED, import_mocks, log, write_json
from benchmarks.targets import print_verdicts, targets
from benchmarks.timing import (
    Contender,
    Samples,
    interleave,
    paired_ratio,
    paired_ratios,
    quartiles,
)

DOCS = ROOT / "docs"


@dataclass(frozen=True)
class Plan:
    """How much of everything to run; batch sizes are operations per timed batch."""

    per_call_repetitions: int
    per_call_calls: int
    moto_calls: int
    lifecycle_repetitions: int
    smmock_enter_calls: int
    moto_enter_calls: int
    smmock_cycle_calls: int
    moto_cycle_calls: int
    list_repetitions: int
    moto_10k: bool
    import_runs: int
    memory_count: int
    memory_client_count: int
    memory_trace: bool
    memory_extra: bool


# Short batches and many repetitions: on a busy machine the speed of the whole box drifts
# within seconds, and two adjacent short batches see nearly the same machine.
FULL = Plan(
    per_call_repetitions=121,
    per_call_calls=10,
    moto_calls=5,
    lifecycle_repetitions=31,
    smmock_enter_calls=30,
    moto_enter_calls=3,
    smmock_cycle_calls=3,
    moto_cycle_calls=1,
    list_repetitions=5,
    moto_10k=True,
    import_runs=7,
    memory_count=10_000,
    memory_client_count=2_000,
    memory_trace=True,
    memory_extra=True,
)

QUICK = Plan(
    per_call_repetitions=15,
    per_call_calls=10,
    moto_calls=5,
    lifecycle_repetitions=3,
    smmock_enter_calls=20,
    moto_enter_calls=2,
    smmock_cycle_calls=4,
    moto_cycle_calls=1,
    list_repetitions=1,
    moto_10k=False,
    import_runs=2,
    memory_count=10_000,
    memory_client_count=300,
    memory_trace=False,
    memory_extra=False,
)


def _metric(
    samples: dict[str, Samples], pairs: Sequence[tuple[str, str]], unit: str = "us"
) -> dict[str, Any]:
    return {
        "unit": unit,
        "contenders": {label: s.summary() for label, s in samples.items()},
        "ratios": {f"{a} / {b}": paired_ratio(samples[a], samples[b]) for a, b in pairs},
        "ratio_quartiles": {
            f"{a} / {b}": quartiles(paired_ratios(samples[a], samples[b])) for a, b in pairs
        },
        "ratios_of_medians": {
            f"{a} / {b}": samples[a].median / samples[b].median for a, b in pairs
        },
    }


def _batch_sizes(smmock_calls: int, moto_calls: int) -> Callable[[Contender], int]:
    # moto is 10-30x slower per operation: smaller batches keep each repetition short.
    def size(contender: Contender) -> int:
        return moto_calls if contender.label.startswith("moto") else smmock_calls

    return size


def _per_call(plan: Plan, operation: str) -> dict[str, Any]:
    from benchmarks.contenders import (
        CannedHandler,
        MockedClient,
        StubbedClient,
        moto_mock,
        smmock_mock,
        smmock_unsigned_mock,
    )

    contenders: list[Contender] = [
        StubbedClient(operation),
        CannedHandler(operation),
        MockedClient(smmock_mock(), operation),
        MockedClient(moto_mock(), operation),
        MockedClient(smmock_unsigned_mock(), operation),
    ]
    samples = interleave(
        contenders,
        plan.per_call_repetitions,
        _batch_sizes(plan.per_call_calls, plan.moto_calls),
    )
    return _metric(
        samples,
        [
            ("smmock", "canned before-send"),
            ("smmock", "moto"),
            ("smmock", "botocore Stubber"),
            ("canned before-send", "botocore Stubber"),
            (UNSIGNED, "canned before-send"),
            (UNSIGNED, "moto"),
            (UNSIGNED, "smmock"),
        ],
    )


def _lifecycle(plan: Plan) -> dict[str, dict[str, Any]]:
    from benchmarks.contenders import (
        CannedCycle,
        EnterExit,
        TestCycle,
        moto_mock,
        smmock_mock,
        smmock_unsigned_mock,
    )

    log("lifecycle: enter + exit")
    contenders: list[Contender] = [EnterExit(smmock_mock()), EnterExit(moto_mock())]
    sizes = _batch_sizes(plan.smmock_enter_calls, plan.moto_enter_calls)
    samples = interleave(contenders, plan.lifecycle_repetitions, sizes)
    out = {"enter_exit": _metric(samples, [("smmock", "moto")])}
    log("lifecycle: test cycle")
    contenders = [
        CannedCycle(),
        TestCycle(smmock_mock()),
        TestCycle(moto_mock()),
        TestCycle(smmock_unsigned_mock()),
    ]
    sizes = _batch_sizes(plan.smmock_cycle_calls, plan.moto_cycle_calls)
    samples = interleave(contenders, plan.lifecycle_repetitions, sizes)
    out["test_cycle"] = _metric(
        samples,
        [
            ("smmock", "moto"),
            ("canned before-send", "moto"),
            ("smmock", "canned before-send"),
            (UNSIGNED, "moto"),
            (UNSIGNED, "canned before-send"),
        ],
    )
    return out


def _list_secrets(plan: Plan) -> dict[str, Any]:
    from benchmarks.contenders import ListAll, moto_mock, smmock_mock

    contenders: list[Contender] = [
        ListAll(smmock_mock(), 1_000),
        ListAll(smmock_mock(), 10_000),
        ListAll(moto_mock(), 1_000),
    ]
    samples = interleave(contenders, plan.list_repetitions, lambda c: 1)
    metric = _metric(samples, [("smmock 10,000", "smmock 1,000")])
    if plan.moto_10k:
        log("ListSecrets: moto with 10,000 secrets (once; seeding alone takes seconds)")
        single = interleave([ListAll(moto_mock(), 10_000)], 1, lambda c: 1, warmup=False)
        samples.update(single)
        metric["contenders"].update({k: s.summary() for k, s in single.items()})
        ratio = samples["moto 10,000"].median / samples["moto 1,000"].median
        metric["ratios"]["moto 10,000 / moto 1,000"] = ratio
    return metric


def _memory(plan: Plan) -> dict[str, Any]:
    runs = [("smmock", "backend", plan.memory_count, False)]
    if plan.memory_extra:
        runs.append(("smmock", "client", plan.memory_client_count, False))
        runs.append(("moto", "client", plan.memory_client_count, False))
    if plan.memory_trace:
        runs.insert(1, ("smmock", "backend", plan.memory_count, True))
    probes_out: list[dict[str, Any]] = []
    traced: dict[str, Any] | None = None
    for impl, via, count, trace in runs:
        log(f"memory: {impl} via {via}, {count:,} secrets{' (tracemalloc)' if trace else ''}")
        result = probes.memory(impl, via, count, 4096, trace=trace)
        if trace:
            traced = result
        else:
            probes_out.append(result)
    if traced is not None:
        # Shown beside the untraced run of the same probe; tracing inflates RSS itself.
        probes_out[0]["traced_bytes_per_secret"] = traced["traced_bytes_per_secret"]
        probes_out[0]["traced_peak_bytes_per_secret"] = traced["traced_peak_bytes_per_secret"]
    return {"value_chars": 4096, "probes": probes_out}


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git(*args: str) -> str:
    try:
        result = subprocess.run(
            ["git", *args], capture_output=True, text=True, check=True, cwd=ROOT
        )
    except (OSError, subprocess.CalledProcessError):
        return ""
    return result.stdout.strip()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, Any]:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def versions() -> dict[str, str]:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    if _git("status", "--porcelain", "--", "smmock"):
        commit += " + uncommitted changes in smmock/"
    return {
        "smmock": _version("smmock"),
        "commit": commit,
        "boto3": _version("boto3"),
        "botocore": _version("botocore"),
        "moto": _version("moto"),
        "matplotlib": _version("matplotlib"),
    }


def measure(plan: Plan, mode: str) -> dict[str, Any]:
    """Run every measurement of ``plan``; return the results dictionary."""
    started = time.perf_counter()
    import_mocks()
    metrics: dict[str, Any] = {}
    log("per call: GetSecretValue")
    metrics["get_secret_value"] = _per_call(plan, "get")
    log("per call: CreateSecret")
    metrics["create_secret"] = _per_call(plan, "create")
    metrics.update(_lifecycle(plan))
    log("ListSecrets: 1,000 and 10,000 secrets")
    metrics["list_secrets"] = _list_secrets(plan)
    log("import time")
    metrics["import"] = probes.import_cost(plan.import_runs)
    metrics["memory"] = _memory(plan)
    return {
        "schema": 1,
        "mode": mode,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "duration_s": time.perf_counter() - started,
        "machine": machine_info(),
        "versions": versions(),
        "plan": asdict(plan),
        "metrics": metrics,
        "targets": targets(metrics),
    }


def write_docs(results: dict[str, Any]) -> None:
    DOCS.mkdir(exist_ok=True)
    chart.render_chart(results, DOCS / "benchmarks.png")
    (DOCS / "benchmarks.md").write_text(report.render_markdown(results, "benchmarks.png"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=(__doc__ or "").split("\n\n", 1)[0]
    )
    parser.add_argument("--quick", action="store_true", help="smoke run (< 60 s)")
    parser.add_argument(
        "--docs", action="store_true", help="with --quick: also rewrite docs/benchmarks.*"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="re-render docs/benchmarks.md and .png from benchmarks/results/latest.json",
    )
    args = parser.parse_args(argv)
    latest = RESULTS / "latest.json"
    if args.report_only:
        results = json.loads(latest.read_text())
        write_docs(results)
        print_verdicts(results)
        return 0
    mode = "quick" if args.quick else "full"
    results = measure(QUICK if args.quick else FULL, mode)
    output = write_json(f"{'quick' if args.quick else 'latest'}.json", results)
    log(f"wrote {output.relative_to(ROOT)}")
    if not args.quick or args.docs:
        write_docs(results)
        log("wrote docs/benchmarks.md and docs/benchmarks.png")
    print_verdicts(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
