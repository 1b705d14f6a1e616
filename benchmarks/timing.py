"""How things are timed: interleaved batches, tight loops and in-situ wrappers.

:func:`interleave` is what every published number comes from: every repetition runs one
batch of each contender, round robin.

A 2-core machine shared with other work drifts by tens of percent within a minute. Timing
contender A for a minute and then contender B would fold that drift into the ratio; taking
one batch of each in turn, rotating who goes first, and comparing the batches of the same
repetition keeps the ratio honest even when the absolute numbers wander.

Batches are timed on the thread's CPU clock: everything timed is in-process Python with no
I/O or sleeping, so CPU time equals wall time on a quiet machine, and on a busy one it
leaves out the slices the scheduler gave to other processes. Wall time is kept as well.

:func:`tight` (a tight loop of one callable) and :func:`wrapped` (timers around functions
while real calls run) serve ``benchmarks.hotpath``'s look inside smmock.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "Contender",
    "Samples",
    "interleave",
    "paired_ratio",
    "paired_ratios",
    "quartiles",
    "tight",
    "wall_ns",
    "wrapped",
]

# Wall clock for per-call marks: thread_time_ns is a real system call (~1 µs on a VM);
# perf_counter_ns is not.
wall_ns = time.perf_counter_ns


class Contender(Protocol):
    """One thing to time. ``begin`` does untimed set-up and returns the timed operation."""

    label: str

    def begin(self, calls: int) -> Callable[[], object]:
        """Prepare ``calls`` operations (mock started, data seeded); return the operation."""
        ...

    def end(self) -> None:
        """Undo ``begin`` (mock stopped); untimed."""
        ...


@dataclass
class Samples:
    """Per-repetition microseconds per operation of one contender (CPU, and wall clock)."""

    label: str
    calls: int
    values: list[float] = field(default_factory=list)
    wall_values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def summary(self) -> dict[str, object]:
        p25, p75 = quartiles(self.values)
        return {
            "median_us": self.median,
            "min_us": min(self.values),
            "p25_us": p25,
            "p75_us": p75,
            "calls_per_batch": self.calls,
            "samples_us": self.values,
            "wall_median_us": statistics.median(self.wall_values),
            "wall_samples_us": self.wall_values,
        }


def quartiles(values: Sequence[float]) -> list[float]:
    """``[p25, p75]`` of ``values``; a single value is both."""
    if len(values) < 2:
        return [values[0], values[0]]
    cuts = statistics.quantiles(values, n=4)
    return [cuts[0], cuts[2]]


def _run_batch(contender: Contender, calls: int) -> tuple[float, float]:
    operation = contender.begin(calls)
    # As timeit does: a collection landing in one contender's batch and not another's is
    # noise, not a property of the mock. Collections still run between batches, when
    # set-up allocates; a full gc.collect() per batch would cost ~70 ms with moto loaded.
    gc.disable()
    try:
        wall = time.perf_counter_ns()
        cpu = time.thread_time_ns()
        for _ in range(calls):
            operation()
        cpu = time.thread_time_ns() - cpu
        wall = time.perf_counter_ns() - wall
    finally:
        gc.enable()
        contender.end()
    return cpu / calls / 1000.0, wall / calls / 1000.0


def interleave(
    contenders: Sequence[Contender],
    repetitions: int,
    calls: Callable[[Contender], int],
    *,
    warmup: bool = True,
) -> dict[str, Samples]:
    """Time ``contenders`` round robin; return their samples by label.

    Parameters:
        contenders: what to time; each batch is ``calls(contender)`` operations.
        repetitions: how many batches of each contender.
        calls: the batch size of a contender (slow ones get smaller batches).
        warmup: run one untimed batch of each first (imports, caches, lazy compiles).
    """
    samples = {c.label: Samples(c.label, calls(c)) for c in contenders}
    if warmup:
        for contender in contenders:
            _run_batch(contender, calls(contender))
    gc.collect()
    count = len(contenders)
    for repetition in range(repetitions):
        shift = repetition % count
        for contender in [*contenders[shift:], *contenders[:shift]]:
            cpu, wall = _run_batch(contender, calls(contender))
            samples[contender.label].values.append(cpu)
            samples[contender.label].wall_values.append(wall)
    return samples


def paired_ratios(numerator: Samples, denominator: Samples) -> list[float]:
    """numerator / denominator for each repetition, both batches from the same one."""
    return [a / b for a, b in zip(numerator.values, denominator.values, strict=True)]


def paired_ratio(numerator: Samples, denominator: Samples) -> float:
    """Median over repetitions of numerator / denominator from the same repetition."""
    return statistics.median(paired_ratios(numerator, denominator))


def tight(operation: Callable[[], object], calls: int = 20_000, repeats: int = 7) -> float:
    """Median CPU µs per call of ``operation`` over ``repeats`` tight loops of ``calls``.

    Two clock reads per loop, and preemption by other processes is left out; caches stay
    hot, so this is a floor, not what the same code costs inside a real call.
    """
    results = []
    for _ in range(repeats):
        start = time.thread_time_ns()
        for _ in range(calls):
            operation()
        results.append((time.thread_time_ns() - start) / calls / 1000)
    return statistics.median(results)


@contextmanager
def wrapped(targets: Sequence[tuple[Any, str, str]], totals: dict[str, int]) -> Iterator[None]:
    """Time calls to each ``(owner, attribute, label)`` for the duration of the block.

    ``owner`` is a module, class or dict; the attribute is replaced by a wrapper that adds
    its wall nanoseconds to ``totals[label]`` (one label may cover several owners, e.g. a
    function imported by name into two modules). Each wrapper adds ~0.2 µs to its caller.
    """
    originals: list[tuple[Any, str, Any]] = []
    for owner, attribute, label in targets:
        original = owner[attribute] if isinstance(owner, dict) else getattr(owner, attribute)
        totals.setdefault(label, 0)

        def timed(*args: Any, __f: Any = original, __l: str = label, **kwargs: Any) -> Any:
            start = wall_ns()
            try:
                return __f(*args, **kwargs)
            finally:
                totals[__l] += wall_ns() - start

        if isinstance(owner, dict):
            owner[attribute] = timed
        else:
            setattr(owner, attribute, timed)
        originals.append((owner, attribute, original))
    try:
        yield
    finally:
        for owner, attribute, original in reversed(originals):
            if isinstance(owner, dict):
                owner[attribute] = original
            else:
                setattr(owner, attribute, original)
