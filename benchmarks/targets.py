"""The targets a run is judged by (issue 4's limits), and the verdicts it prints."""

from __future__ import annotations

from typing import Any

from benchmarks.report import format_value

__all__ = ["print_verdicts", "targets"]


def _target(
    key: str, title: str, short: str, value: float, limit: float, unit: str
) -> dict[str, Any]:
    return {
        "id": key,
        "title": title,
        "short": short,
        "value": value,
        "limit": limit,
        "unit": unit,
        "pass": value <= limit,
    }


def targets(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target of issue 4 against this run's numbers."""
    get = metrics["get_secret_value"]["ratios"]
    create = metrics["create_secret"]["ratios"]
    memory = metrics["memory"]["probes"][0]
    return [
        _target(
            "get_vs_canned",
            "GetSecretValue per call, smmock / canned before-send",
            "get / canned",
            get["smmock / canned before-send"],
            1.15,
            "ratio",
        ),
        _target(
            "get_vs_moto",
            "GetSecretValue per call, smmock / moto",
            "get / moto",
            get["smmock / moto"],
            0.55,
            "ratio",
        ),
        _target(
            "create_vs_canned",
            "CreateSecret per call, smmock / canned before-send",
            "create / canned",
            create["smmock / canned before-send"],
            1.2,
            "ratio",
        ),
        _target(
            "cycle_vs_moto",
            "Warm test cycle, smmock / moto",
            "test cycle / moto",
            metrics["test_cycle"]["ratios"]["smmock / moto"],
            1 / 15,
            "fraction",
        ),
        _target(
            "enter_exit_vs_moto",
            "Mock enter + exit, smmock / moto",
            "enter+exit / moto",
            metrics["enter_exit"]["ratios"]["smmock / moto"],
            1 / 10,
            "fraction",
        ),
        _target(
            "list_linear",
            "ListSecrets full pagination, 10,000 / 1,000 secrets",
            "list 10k / 1k",
            metrics["list_secrets"]["ratios"]["smmock 10,000 / smmock 1,000"],
            12,
            "ratio",
        ),
        _target(
            "import_added",
            "`import smmock` after `import boto3`",
            "import added",
            metrics["import"]["smmock after boto3"]["median_us"] / 1000,
            15,
            "ms",
        ),
        _target(
            "memory_per_secret",
            "Peak RSS per 4 KiB secret (10,000 via the typed backend)",
            "KiB per 4 KiB secret",
            memory["peak_bytes_per_secret"] / 1024,
            4.6,
            "KiB",
        ),
    ]


def print_verdicts(results: dict[str, Any]) -> None:
    """One line per target: pass or FAIL, the measured value and the limit."""
    for target in results["targets"]:
        value = format_value(target, target["value"])
        limit = format_value(target, target["limit"])
        verdict = "pass" if target["pass"] else "FAIL"
        print(f"{verdict:4}  {target['title']}: {value} (limit {limit})")
