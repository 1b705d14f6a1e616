"""Draw a results dictionary (``benchmarks/results/latest.json``) as docs/benchmarks.png."""

from __future__ import annotations

from pathlib import Path

from benchmarks.report import WIRE_ORDER, Results, short_value

__all__ = ["render_chart"]

_COLOURS = {
    "botocore Stubber": "#9e9e9e",
    "canned before-send": "#607d8b",
    "smmock": "#2e7d32",
    "moto": "#c62828",
}


def render_chart(results: Results, path: Path) -> None:
    """Draw per-call medians, lifecycle costs and every target as one PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = results["metrics"]
    figure, (calls_ax, life_ax, target_ax) = plt.subplots(
        1, 3, figsize=(17, 5.5), gridspec_kw={"width_ratios": [1.3, 0.9, 1.4]}
    )

    operations = [("get_secret_value", "GetSecretValue"), ("create_secret", "CreateSecret")]
    width = 0.8 / len(WIRE_ORDER)
    for index, label in enumerate(WIRE_ORDER):
        xs = [op + (index - (len(WIRE_ORDER) - 1) / 2) * width for op in range(len(operations))]
        values = [metrics[key]["contenders"][label]["median_us"] for key, _ in operations]
        bars = calls_ax.bar(xs, values, width, label=label, color=_COLOURS[label])
        calls_ax.bar_label(bars, labels=[f"{v:,.0f}" for v in values], fontsize=7, padding=2)
    calls_ax.set_xticks(range(len(operations)), [title for _, title in operations])
    calls_ax.set_ylabel("µs per call (median)")
    calls_ax.set_title("Per call: lower is better")
    calls_ax.legend(fontsize=8)

    life = [("enter_exit", "enter + exit"), ("test_cycle", "test cycle")]
    for index, label in enumerate(["smmock", "moto"]):
        xs = [op + (index - 0.5) * 0.38 for op in range(len(life))]
        values = [metrics[key]["contenders"][label]["median_us"] / 1000 for key, _ in life]
        bars = life_ax.bar(xs, values, 0.38, label=label, color=_COLOURS[label])
        life_ax.bar_label(bars, labels=[f"{v:,.2f}" for v in values], fontsize=7, padding=2)
    life_ax.set_yscale("log")
    life_ax.set_xticks(range(len(life)), [title for _, title in life])
    life_ax.set_ylabel("ms (median, log scale)")
    life_ax.set_title("Mock lifecycle")
    life_ax.legend(fontsize=8)

    targets = results["targets"]
    shares = [t["value"] / t["limit"] for t in targets]
    colours = ["#2e7d32" if t["pass"] else "#c62828" for t in targets]
    ys = range(len(targets))
    target_ax.barh(ys, shares, color=colours)
    target_ax.axvline(1.0, color="black", linestyle="--", linewidth=1)
    for y, (share, target) in enumerate(zip(shares, targets, strict=True)):
        value, limit = short_value(target, target["value"]), short_value(target, target["limit"])
        target_ax.text(
            share + 0.02,
            y,
            f"{value} (limit {limit})",
            va="center",
            fontsize=7,
        )
    target_ax.set_yticks(list(ys), [t["short"] for t in targets], fontsize=8)
    target_ax.invert_yaxis()
    target_ax.set_xlim(0, max(1.6, max(shares) * 1.6))
    target_ax.set_xlabel("measured / limit (left of the dashed line passes)")
    target_ax.set_title("Targets")

    figure.suptitle(
        f"smmock benchmarks, {results['date'][:10]}: {results['machine']['cpu']}, "
        f"{results['machine']['cores']} cores, Python {results['machine']['python']}",
        fontsize=10,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
