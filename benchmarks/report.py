"""Render a results dictionary (``benchmarks/results/latest.json``) as docs/benchmarks.md.

Also the formatting of numbers and verdicts that the chart (:mod:`benchmarks.chart`) and
``benchmarks.run``'s summary share.
"""

from __future__ import annotations

from typing import Any

from benchmarks.common import UNSIGNED

__all__ = ["WIRE_ORDER", "Results", "format_value", "render_markdown", "short_value"]

Results = dict[str, Any]

# The per-call contenders, cheapest first. smmock's optional mode without SigV4
# (UNSIGNED) gets rows of its own; results from before the mode existed have none.
WIRE_ORDER = ["botocore Stubber", "canned before-send", "smmock", "moto"]


def _us(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:,.1f} ms"
    if value >= 1000:
        return f"{value / 1000:,.2f} ms"
    return f"{value:,.1f} µs"


def _fraction(value: float) -> str:
    # 0.04 reads better as 1/25 when the target is written as a fraction.
    return f"1/{1 / value:.1f}" if value > 0 else "0"


def format_value(target: dict[str, Any], value: float) -> str:
    """A measured value or limit in the target's unit."""
    unit = target["unit"]
    if unit == "fraction":
        return f"{_fraction(value)} ({value:.3f}x)"
    if unit == "ratio":
        return f"{value:.2f}x"
    return f"{value:.2f} {unit}"


def short_value(target: dict[str, Any], value: float) -> str:
    """A value in the target's unit, as short as possible (for the chart)."""
    if target["unit"] == "fraction":
        return _fraction(value)
    return format_value(target, value)


def _mark(passed: bool) -> str:
    return "✅ pass" if passed else "❌ fail"


def _targets_table(results: Results) -> list[str]:
    lines = ["| Target | Measured | Limit | Result |", "|---|---|---|---|"]
    for target in results["targets"]:
        lines.append(
            f"| {target['title']} | {format_value(target, target['value'])} "
            f"| ≤ {format_value(target, target['limit'])} | {_mark(target['pass'])} |"
        )
    return lines


def _per_call_table(results: Results) -> list[str]:
    metrics = results["metrics"]
    header = (
        "| Operation | " + " | ".join(WIRE_ORDER) + " | smmock / canned (p25-p75) | smmock / moto |"
    )
    lines = [header, "|---" * (len(WIRE_ORDER) + 3) + "|"]
    for key, title in (("get_secret_value", "GetSecretValue"), ("create_secret", "CreateSecret")):
        metric = metrics[key]
        cells = [_us(metric["contenders"][label]["median_us"]) for label in WIRE_ORDER]
        lines.append(f"| {title} | " + " | ".join(cells) + _per_call_ratios(metric, "smmock"))
    for key, title in (("get_secret_value", "GetSecretValue"), ("create_secret", "CreateSecret")):
        metric = metrics[key]
        unsigned = metric["contenders"].get(UNSIGNED)
        if unsigned is None:
            continue
        cells = [_us(unsigned["median_us"]) if label == "smmock" else "-" for label in WIRE_ORDER]
        lines.append(
            f"| {title}, `skip_signing=True` (optional mode) | "
            + " | ".join(cells)
            + _per_call_ratios(metric, UNSIGNED)
        )
    return lines


def _per_call_ratios(metric: dict[str, Any], label: str) -> str:
    ratios = metric["ratios"]
    low, high = metric["ratio_quartiles"][f"{label} / canned before-send"]
    return (
        f" | {ratios[f'{label} / canned before-send']:.2f}x ({low:.2f}-{high:.2f}) "
        f"| {ratios[f'{label} / moto']:.2f}x |"
    )


def _spread(summary: dict[str, Any]) -> str:
    return f"{_us(summary['p25_us'])} - {_us(summary['p75_us'])}"


def _lifecycle_table(results: Results) -> list[str]:
    metrics = results["metrics"]
    lines = [
        "| Measure | canned before-send (floor) | smmock | moto | smmock / moto "
        "| floor / moto | smmock p25-p75 |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, title in (
        ("enter_exit", "Mock enter + exit (warm)"),
        ("test_cycle", "Test cycle: enter, boto3.client, create, get, exit"),
    ):
        contenders = metrics[key]["contenders"]
        ratios = metrics[key]["ratios"]
        floor = contenders.get("canned before-send")
        floor_ratio = ratios.get("canned before-send / moto")
        lines.append(
            f"| {title} | {_us(floor['median_us']) if floor else 'n/a'} "
            f"| {_us(contenders['smmock']['median_us'])} "
            f"| {_us(contenders['moto']['median_us'])} | {_fraction(ratios['smmock / moto'])} "
            f"| {_fraction(floor_ratio) if floor_ratio else 'n/a'} "
            f"| {_spread(contenders['smmock'])} |"
        )
    cycle = metrics["test_cycle"]
    unsigned = cycle["contenders"].get(UNSIGNED)
    if unsigned is not None:
        lines.append(
            "| Test cycle, smmock with `skip_signing=True` (optional mode) | - "
            f"| {_us(unsigned['median_us'])} | - "
            f"| {_fraction(cycle['ratios'][f'{UNSIGNED} / moto'])} | - | {_spread(unsigned)} |"
        )
    return lines


def _list_table(results: Results) -> list[str]:
    metric = results["metrics"]["list_secrets"]
    contenders = metric["contenders"]
    lines = [
        "| Contender | 1,000 secrets | 10,000 secrets | 10k / 1k |",
        "|---|---|---|---|",
    ]
    for impl in ("smmock", "moto"):
        small = contenders.get(f"{impl} 1,000")
        large = contenders.get(f"{impl} 10,000")
        ratio = metric["ratios"].get(f"{impl} 10,000 / {impl} 1,000")
        lines.append(
            f"| {impl} | {_us(small['median_us']) if small else 'not run'} "
            f"| {_us(large['median_us']) if large else 'not run'} "
            f"| {f'{ratio:.1f}' if ratio is not None else '-'} |"
        )
    return lines


def _import_table(results: Results) -> list[str]:
    cases = results["metrics"]["import"]
    lines = [
        "| Python code | Module read | `-X importtime` cumulative, median | minimum "
        "| process CPU time, median |",
        "|---|---|---|---|---|",
    ]
    for case in cases.values():
        cpu = case.get("cpu_median_us")
        lines.append(
            f"| `{case['code']}` | `{case['module']}` | {case['median_us'] / 1000:.1f} ms "
            f"| {case.get('min_us', case['median_us']) / 1000:.1f} ms "
            f"| {f'{cpu / 1000:.1f} ms' if cpu is not None else 'n/a'} |"
        )
    return lines


def _memory_table(results: Results) -> list[str]:
    lines = [
        "| Probe | Secrets | Peak RSS per secret | Retained RSS per secret "
        "| tracemalloc per secret | Peak / 4 KiB |",
        "|---|---|---|---|---|---|",
    ]
    for probe in results["metrics"]["memory"]["probes"]:
        traced = probe.get("traced_bytes_per_secret")
        lines.append(
            f"| {probe['impl']} via {probe['via']} | {probe['count']:,} "
            f"| {probe['peak_bytes_per_secret'] / 1024:.2f} KiB "
            f"| {probe['retained_bytes_per_secret'] / 1024:.2f} KiB "
            f"| {f'{traced / 1024:.2f} KiB' if traced is not None else '-'} "
            f"| {probe['peak_bytes_per_secret'] / 4096:.2f}x |"
        )
    return lines


def _notes(results: Results) -> list[str]:
    """Facts from this run that explain a failing target; empty when everything passes."""
    import sys

    notes = []
    targets = {t["id"]: t for t in results["targets"]}
    cycle = results["metrics"]["test_cycle"]
    floor_ratio = cycle["ratios"].get("canned before-send / moto")
    if not targets["cycle_vs_moto"]["pass"] and floor_ratio is not None:
        contenders = cycle["contenders"]
        floor = contenders["canned before-send"]["median_us"]
        notes.append(
            f"- Test cycle: smmock's cycle takes {_us(contenders['smmock']['median_us'])}; "
            f"the same client and calls with no mock at all (canned handler) take "
            f"{_us(floor)}, {_fraction(floor_ratio)} of moto's. Most of a cycle is botocore "
            "building a client and making its first calls; smmock memoises what it can of "
            "that while active (`smmock/_intercept/speedups.py`), and what is left is per-client "
            "work: configuration lookups, the endpoint and HTTP session, first-call "
            "serialising and signing."
        )
    if not targets["memory_per_secret"]["pass"]:
        value = sys.getsizeof("x" * 4096)
        room = targets["memory_per_secret"]["limit"] * 1024 - value
        notes.append(
            f"- Memory: a 4,096-character `str` alone takes {value:,} bytes in CPython, so "
            f"{targets['memory_per_secret']['limit']} KiB leaves {room:,.0f} bytes per secret "
            "for its name, ARN, version id, dates, the `Secret` and `SecretVersion` objects "
            "and their dicts."
        )
    return notes


def render_markdown(results: Results, chart: str | None) -> str:
    """The whole of ``docs/benchmarks.md`` for ``results``."""
    machine = results["machine"]
    versions = results["versions"]
    plan = results["plan"]
    passed = sum(1 for t in results["targets"] if t["pass"])
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by `python -m benchmarks.run`; edit benchmarks/report.py instead. -->",
        "",
        "How fast smmock serves Secrets Manager calls compared with moto and with botocore's",
        "own floors, measured in one run with every contender interleaved.",
        "",
        f"**{passed} of {len(results['targets'])} targets pass** in the run below.",
        "",
        "## Latest run",
        "",
        f"- Date: {results['date']} ({results['mode']} mode, {results['duration_s']:.0f} s)",
        f"- Machine: {machine['cpu']}, {machine['cores']} cores, {machine['platform']}",
        f"- Python {machine['python']}; smmock {versions['smmock']} "
        f"(commit {versions['commit']}), boto3 {versions['boto3']}, "
        f"botocore {versions['botocore']}, moto {versions['moto']}",
        "",
        "## Targets",
        "",
        *_targets_table(results),
        "",
    ]
    notes = _notes(results)
    if notes:
        lines += ["Why the failing targets fail, from this run's numbers:", "", *notes, ""]
    if chart:
        lines += [f"![Benchmark chart]({chart})", ""]
    lines += [
        "## Details",
        "",
        "### Per call",
        "",
        f"Median CPU microseconds per call over {plan['per_call_repetitions']} interleaved",
        f"batches of {plan['per_call_calls']} calls ({plan['moto_calls']} for moto). A ratio is",
        "the median over repetitions of the ratio of two batches of the same repetition.",
        "",
        *_per_call_table(results),
        "",
        "- **botocore Stubber**: the absolute floor. Answers in `before-call`: no serialising,",
        "  signing, wire bytes or parsing.",
        "- **canned before-send**: the floor for any mock that keeps botocore's wire round",
        "  trip: a `before-send` handler returning pre-encoded bytes of the same response as",
        "  an `AWSResponse`. Serialising, SigV4 signing, parsing and retry checks all run.",
        "- **smmock** and **moto**: their real mocks. Each has one client, made inside its",
        "  first activation (so it signs with the mock's fake credentials) and reused.",
        "- **`skip_signing=True` (optional mode)**: smmock with `mock_secrets(skip_signing=True)`,",
        "  off by default and used for no target: requests go out unsigned (botocore's own",
        "  unsigned path), everything else runs as in the smmock row. Its ratios are to the",
        "  same canned handler and moto, which sign.",
        "",
        "### Mock lifecycle",
        "",
        *_lifecycle_table(results),
        "",
        "The test cycle uses `boto3.client(...)` on the default session, as a test would.",
        "moto replaces the default session while active, so each of its cycles also builds a",
        "session. The floor makes the same client and calls with no mock at all, answering",
        "from a canned `before-send` handler: what botocore itself costs to build a client",
        "and make its first calls, milliseconds that are most of any cycle. smmock's cycle",
        "can be cheaper than this floor: while a mock is active, smmock memoises the parts of",
        "client set-up that come out the same for every client of a session (event-name",
        "aliases, Secrets Manager's service model, and a cheaper copy of the handler table;",
        "`smmock/_intercept/speedups.py`, off with `SMMOCK_SPEEDUPS=0`). Its clients still resolve",
        "configuration and credentials, build their endpoint and HTTP session, serialise,",
        "sign and parse as without the mock.",
        "",
        "### ListSecrets, full pagination",
        "",
        "A manual `NextToken` loop with `MaxResults=100`; secrets seeded before timing through",
        "each mock's backend. "
        + (
            "moto with 10,000 secrets is timed once (it takes seconds per pass)."
            if plan["moto_10k"]
            else "moto with 10,000 secrets was skipped in this mode."
        ),
        "",
        *_list_table(results),
        "",
        "### Import",
        "",
        f"`python -X importtime`, median of {plan['import_runs']} fresh interpreters per case.",
        "The target reads `import smmock` in a process that has already imported boto3, which",
        "is what a test suite pays for smmock. `-X importtime` reads a wall clock, so a busy",
        "machine inflates it; the process CPU time of the same import is shown beside it. The",
        "last row's CPU time also covers starting and stopping the first mock, which loads",
        "whatever the import deferred.",
        "",
        *_import_table(results),
        "",
        "### Memory per secret",
        "",
        "A fresh interpreter imports everything, starts the mock, warms the client, then seeds",
        "secrets whose values are distinct 4,096-character strings. Peak RSS per secret is",
        "(`VmHWM` after - `VmRSS` before) / count; tracemalloc counts Python allocations only",
        "(measured in a separate run, since tracing itself costs memory). How smmock keeps a",
        "secret's bookkeeping small is in [architecture.md](architecture.md#memory).",
        "",
        *_memory_table(results),
        "",
        "## How to run",
        "",
        "```sh",
        ".venv/bin/pip install -e '.[bench]'    # moto and matplotlib",
        ".venv/bin/python -m benchmarks.run     # full run, a few minutes; rewrites this page",
        ".venv/bin/python -m benchmarks.run --quick   # smoke run, under a minute",
        ".venv/bin/python -m benchmarks.hotpath # where smmock's time per call goes",
        "```",
        "",
        "The full run writes `benchmarks/results/latest.json` (every sample, machine and",
        "versions), this page and `docs/benchmarks.png`. `--quick` writes",
        "`benchmarks/results/quick.json` only, unless given `--docs`.",
        "`--report-only` re-renders this page and the chart from `latest.json`.",
        "",
        "## Method",
        "",
        "- One process, every contender interleaved: each repetition runs one batch of each",
        "  contender, rotating who goes first, so drift on a shared machine hits all alike.",
        "- In-process numbers are CPU time of the benchmarking thread per batch",
        "  (`time.thread_time_ns`): all of it is in-process Python without I/O, so on a quiet",
        "  machine it equals wall time, and on a busy one it leaves out time the scheduler gave",
        "  to other processes. Wall-clock medians are kept in `latest.json` too.",
        "- The garbage collector is off inside a timed batch (as `timeit` does) and runs",
        "  between batches.",
        "- Only one mock is active at a time; each batch starts and stops its own, untimed",
        "  (state is fresh for every batch).",
        "- The floors' clients sign with static fake credentials from the environment; each",
        "  mock's client with that mock's own (except in the optional `skip_signing` rows).",
        "  `AWS_CONFIG_FILE` and",
        "  `AWS_SHARED_CREDENTIALS_FILE` point at `/dev/null`.",
        "- On a shared machine the per-repetition ratios spread widely (see p25-p75 above);",
        "  many short batches keep the median ratio steady from run to run, but a ratio",
        "  within a few percent of its limit can pass in one run and fail in the next.",
        "- No timed assertions exist anywhere in the test suite; these numbers are reported,",
        "  never asserted.",
        "",
    ]
    return "\n".join(lines)
