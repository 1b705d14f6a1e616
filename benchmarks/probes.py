"""Measurements that need a fresh interpreter: import time and memory per secret.

The parent calls :func:`import_cost` and :func:`memory`; each starts
``python -m benchmarks.probes ...`` (or ``python -X importtime -c ...``) so nothing the
benchmark already imported or allocated leaks into the number.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import statistics
import subprocess
import sys
from typing import Any

from benchmarks.common import REGION, ROOT, child_environment, quiet_aws_environment

__all__ = ["import_cost", "memory"]

_IMPORTTIME = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)\s*$")


# -- import time ---------------------------------------------------------------------------


def _cumulative_us(setup: str, module: str, then: str = "") -> tuple[int, int]:
    """Import ``module`` after ``setup`` in a fresh ``python -X importtime``.

    Returns the cumulative microseconds ``-X importtime`` reports for the top-level
    ``module`` (wall clock), and the process CPU microseconds the same import (plus
    ``then``, if given) took, which a busy machine inflates far less.
    """
    statements = [setup, "import time", "_t = time.process_time_ns()", f"import {module}"]
    if then:
        statements.append(then)
    statements.append("print((time.process_time_ns() - _t) // 1000)")
    code = "; ".join(statements)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=child_environment(),
        cwd=ROOT,
    )
    cpu_us = int(result.stdout.split()[-1])
    for line in result.stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match and not match.group(3) and match.group(4) == module:
            return int(match.group(2)), cpu_us
    raise RuntimeError(f"no top-level import of {module} in -X importtime output of {code!r}")


IMPORT_CASES = {
    # label: (what runs first, module whose import is read, what runs after it)
    "boto3": ("pass", "boto3", ""),
    "smmock": ("pass", "smmock", ""),
    # What a test suite pays for smmock on top of boto3, which it imports anyway.
    "smmock after boto3": ("import boto3", "smmock", ""),
    # Whatever the import defers, the first mock of a session loads.
    "smmock after boto3, then first start + stop": (
        "import boto3",
        "smmock",
        "_mock = smmock.mock_secrets(); _mock.start(); _mock.stop()",
    ),
}


def import_cost(runs: int) -> dict[str, dict[str, Any]]:
    """Median cumulative import microseconds over ``runs`` fresh interpreters per case.

    The cases are interleaved run by run, like the in-process timings.
    """
    wall: dict[str, list[int]] = {label: [] for label in IMPORT_CASES}
    cpu: dict[str, list[int]] = {label: [] for label in IMPORT_CASES}
    for _ in range(runs):
        for label, (setup, module, then) in IMPORT_CASES.items():
            cumulative, cpu_us = _cumulative_us(setup, module, then)
            wall[label].append(cumulative)
            cpu[label].append(cpu_us)
    out = {}
    for label, (setup, module, then) in IMPORT_CASES.items():
        code = f"{setup}; import {module}" if setup != "pass" else f"import {module}"
        out[label] = {
            "code": f"{code}; {then}" if then else code,
            "module": module,
            "median_us": statistics.median(wall[label]),
            "min_us": min(wall[label]),
            "samples_us": wall[label],
            "cpu_median_us": statistics.median(cpu[label]),
            "cpu_samples_us": cpu[label],
        }
    return out


# -- memory --------------------------------------------------------------------------------


def memory(impl: str, via: str, count: int, size: int, *, trace: bool = False) -> dict[str, Any]:
    """Run the memory probe in a fresh interpreter and return its JSON report."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.probes",
        "memory",
        "--impl",
        impl,
        "--via",
        via,
        "--count",
        str(count),
        "--size",
        str(size),
    ]
    if trace:
        command.append("--trace")
    result = subprocess.run(
        command, capture_output=True, text=True, check=True, env=child_environment(), cwd=ROOT
    )
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


def _reset_peak() -> bool:
    """Make VmHWM start from the current RSS (Linux 4.0+), so the peak is the seeding's.

    ``ru_maxrss`` is no use here: Linux carries it across ``execve``, so a child started
    by a large parent reports the parent's peak.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def _measure_memory(impl: str, via: str, count: int, size: int, trace: bool) -> dict[str, Any]:
    import tracemalloc

    import boto3

    if impl == "smmock":
        import smmock

        mock: Any = smmock.mock_secrets()
        backend = mock.start()
    else:
        from moto import mock_aws

        mock = mock_aws()
        mock.start()
        backend = None
    client = boto3.client("secretsmanager", region_name=REGION)
    # Warm every lazy path (service model, validation tables, parsers) before the baseline,
    # so only the secrets themselves land in the difference.
    client.create_secret(Name="warm-up-client", SecretString="x" * size)
    client.get_secret_value(SecretId="warm-up-client")
    if backend is not None:
        backend.create_secret("warm-up-backend", "x" * size)
    filler = "x" * (size - 8)
    gc.collect()
    if trace:
        tracemalloc.start()
    peak_reset = _reset_peak()
    base_rss = _status_kib("VmRSS")
    base_hwm = _status_kib("VmHWM")
    for index in range(count):
        # A distinct string per secret, as real values are; one shared object would be
        # stored 10,000 times by reference and hide the cost of the value.
        value = f"{index:08d}{filler}"
        name = f"bench/secret-{index:05d}"
        if via == "backend" and backend is not None:
            backend.create_secret(name, value)
        else:
            client.create_secret(Name=name, SecretString=value)
    del value
    gc.collect()
    report: dict[str, Any] = {
        "impl": impl,
        "via": via,
        "count": count,
        "value_chars": size,
        "baseline_rss_kib": base_rss,
        "baseline_hwm_kib": base_hwm,
        "rss_kib": _status_kib("VmRSS"),
        "hwm_kib": _status_kib("VmHWM"),
        "peak_reset": peak_reset,
    }
    report["retained_bytes_per_secret"] = (report["rss_kib"] - base_rss) * 1024 / count
    # Without the reset, VmHWM may still hold a start-up peak above today's RSS; then the
    # retained growth is the best estimate left.
    peak = report["hwm_kib"] if peak_reset else max(report["hwm_kib"] - base_hwm + base_rss, 0)
    report["peak_bytes_per_secret"] = max(peak - base_rss, 0) * 1024 / count
    if trace:
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        report["traced_bytes_per_secret"] = current / count
        report["traced_peak_bytes_per_secret"] = peak / count
    mock.stop()
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="probe", required=True)
    mem = sub.add_parser("memory", help="seed secrets in this process and report memory")
    mem.add_argument("--impl", choices=["smmock", "moto"], default="smmock")
    mem.add_argument("--via", choices=["backend", "client"], default="backend")
    mem.add_argument("--count", type=int, default=10_000)
    mem.add_argument("--size", type=int, default=4096)
    mem.add_argument("--trace", action="store_true", help="also measure with tracemalloc")
    args = parser.parse_args(argv)
    os.environ.update(quiet_aws_environment())
    report = _measure_memory(args.impl, args.via, args.count, args.size, args.trace)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
