"""Where smmock's time per call goes, beside the canned ``before-send`` floor.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.hotpath              # all three sections below
    .venv/bin/python -m benchmarks.hotpath --cprofile   # plus cProfile of whole client calls

1. **Phases** of a whole client call, interleaved with the canned handler: before
   ``before-send`` (serialize, sign, events), the ``before-send`` handlers, and after
   (parse, retry checks). Marks are handlers registered first and last on
   ``before-send.secrets-manager``. A third contender is smmock with a client made before
   the mock started, whose credentials carry no session token.
2. **Pieces in situ**: smmock's own functions wrapped with timers while real client calls
   run (``_hook._region``, ``_protocol.handle`` and inside it ``_decode``, ``validate``,
   the operation, ``_encode``, and ``MockResponse``). In a tight loop the same code runs
   2-3x faster than inside a real call (caches stay hot), so only in-situ numbers add up
   to the measured difference. Each wrapper adds ~0.2 µs to its parent.
3. **What-if**: tight-loop timings of the current code next to cheaper equivalents, the
   basis of the suggested optimisations (same output, or output AWS leaves unspecified).

This reaches into smmock's internals on purpose; a piece whose internals were renamed is
reported as missing rather than failing the run. Results also go to
``benchmarks/results/hotpath.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import string
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import probes

ROOT = Path(__file__).resolve().parent.parent
# Wall clock: thread_time_ns is a real syscall (~1 µs on this VM); perf_counter_ns is not.
_clock_ns = time.perf_counter_ns


# -- 1. phases of a client call -----------------------------------------------------------


def _instrument(client: Any) -> dict[str, int]:
    marks: dict[str, int] = {}
    events = client.meta.events

    def first(**_kwargs: Any) -> None:
        marks["send"] = _clock_ns()

    def last(**_kwargs: Any) -> None:
        marks["sent"] = _clock_ns()

    events.register_first("before-send.secrets-manager", first)
    events.register_last("before-send.secrets-manager", last)
    return marks


def phases(operation: str, repetitions: int, calls: int) -> dict[str, dict[str, float]]:
    """Median µs of each phase over every call, per contender, and smmock minus canned.

    Per-call medians (not batch means) because a wall clock on a shared machine catches
    the scheduler's preemptions; the median call is one that was not preempted.
    """
    from benchmarks import contenders as bench

    canned = bench.CannedHandler(operation)
    inside = bench.MockedClient(bench.smmock_mock(), operation)
    before = bench.MockedClient(bench.smmock_mock(), operation)
    before.label = "smmock, client made before the mock"
    before._client = bench.new_client()
    contenders: list[Any] = [canned, inside, before]
    marks: dict[str, dict[str, int]] = {canned.label: _instrument(canned._client)}
    marks[before.label] = _instrument(before._client)
    names = ["before send (serialize, sign)", "before-send handlers", "after (parse, retry)"]
    rows: dict[str, list[list[int]]] = {c.label: [[], [], [], []] for c in contenders}
    for repetition in range(repetitions + 1):  # the first is a warm-up
        shift = repetition % len(contenders)
        for contender in contenders[shift:] + contenders[:shift]:
            run = contender.begin(calls)
            if contender.label not in marks:  # its client exists only after begin()
                marks[contender.label] = _instrument(contender._client)
            mark = marks[contender.label]
            row = rows[contender.label]
            for _ in range(calls):
                start = _clock_ns()
                run()
                end = _clock_ns()
                if repetition:
                    row[0].append(mark["send"] - start)
                    row[1].append(mark["sent"] - mark["send"])
                    row[2].append(end - mark["sent"])
                    row[3].append(end - start)
            contender.end()
    out: dict[str, dict[str, float]] = {}
    for label, row in rows.items():
        out[label] = {
            name: statistics.median(values) / 1000
            for name, values in zip([*names, "total"], row, strict=True)
        }
    base = out[canned.label]
    for label in (inside.label, before.label):
        out[f"{label} - canned"] = {name: out[label][name] - base[name] for name in base}
    return out


# -- 2. smmock's pieces in situ -------------------------------------------------------------


@contextmanager
def _wrapped(targets: list[tuple[Any, str, str]], totals: dict[str, int]) -> Iterator[None]:
    """Replace ``module.attribute`` by a timing wrapper for the duration of the block."""
    originals: list[tuple[Any, str, Any]] = []
    for owner, attribute, label in targets:
        original = owner[attribute] if isinstance(owner, dict) else getattr(owner, attribute)
        totals.setdefault(label, 0)

        def timed(*args: Any, __f: Any = original, __l: str = label, **kwargs: Any) -> Any:
            start = _clock_ns()
            try:
                return __f(*args, **kwargs)
            finally:
                totals[__l] += _clock_ns() - start

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


def _situ_targets(wire: str) -> list[tuple[Any, str, str]]:
    from smmock._intercept import hook as _hook
    from smmock._wire import protocol as _protocol

    # The hook may hold its own reference to the protocol handler, bound at start.
    if callable(getattr(_hook, "_handle", None)):
        handle: tuple[Any, str, str] = (_hook, "_handle", "_protocol.handle (total)")
    else:
        handle = (_protocol, "handle", "_protocol.handle (total)")
    targets: list[tuple[Any, str, str]] = [
        handle,
        (_hook, "_region", "_hook._region"),
        (_hook, "_header", "_hook._header"),
        (_hook, "MockResponse", "_hook.MockResponse(...)"),
        (_protocol, "_operation", "  _protocol._operation"),
        (_protocol, "_decode", "  _protocol._decode (json.loads)"),
        (_protocol, "validate", "  _validation.validate"),
        (_protocol.OPERATIONS, wire, f"  operation {wire} (incl. backend)"),
        (_protocol, "_encode", "  _protocol._encode (json)"),
    ]
    # One level deeper inside the operation, where these names exist.
    from smmock import _clock, backend
    from smmock._wire import context as _operations

    deeper: list[tuple[Any, str, str]] = [
        (_operations, "to_epoch", "    to_epoch"),
        (_clock, "now", "    _clock.now"),
        (_clock, "midnight", "    _clock.midnight"),
        (backend, "secret_arn", "    backend.secret_arn"),
        (backend, "check_name", "    backend.check_name"),
    ]
    targets += [t for t in deeper if callable(getattr(t[0], t[1], None))]
    for owner, attribute, _ in targets:
        if isinstance(owner, dict):
            owner[attribute]
        else:
            getattr(owner, attribute)
    return targets


def pieces_in_situ(operation: str, repetitions: int, calls: int) -> dict[str, float | str]:
    """Median µs per call spent in each of smmock's functions during real client calls."""
    from benchmarks import contenders as bench

    wire = "GetSecretValue" if operation == "get" else "CreateSecret"
    handle_label = "_protocol.handle (total)"
    rest = "  rest of handle (lock, Context, try, wrappers)"
    contender = bench.MockedClient(bench.smmock_mock(), operation)
    per_call: dict[str, list[int]] = {}
    for repetition in range(repetitions + 1):
        totals: dict[str, int] = {}
        run = contender.begin(calls)
        try:
            targets = _situ_targets(wire)  # after start: some are bound when a mock starts
        except (AttributeError, KeyError) as error:
            contender.end()
            return {"missing": f"smmock internals changed: {error!r}"}
        # Direct children of handle only: "  x", not the deeper "    x".
        inner = [label for _, _, label in targets if label[:2] == "  " and label[2] != " "]
        with _wrapped(targets, totals):
            for _ in range(calls):
                for label in totals:
                    totals[label] = 0
                run()
                if repetition:  # the first is a warm-up
                    for label, total in totals.items():
                        per_call.setdefault(label, []).append(total)
                    per_call.setdefault(rest, []).append(
                        totals[handle_label] - sum(totals[i] for i in inner)
                    )
        contender.end()
    return {label: statistics.median(values) / 1000 for label, values in per_call.items()}


# -- 3. what-if: current code vs a cheaper equivalent ---------------------------------------


def _tight(operation: Callable[[], object], calls: int = 20_000, repeats: int = 7) -> float:
    # Batch CPU time: two clock reads per batch, and preemption by other processes is
    # left out.
    results = []
    for _ in range(repeats):
        start = time.thread_time_ns()
        for _ in range(calls):
            operation()
        results.append((time.thread_time_ns() - start) / calls / 1000)
    return statistics.median(results)


def what_if() -> list[tuple[str, float, float]]:
    """(change, current µs, alternative µs) for each suggested optimisation still open.

    Each row runs smmock's current code against a cheaper equivalent (same output, or an
    output AWS leaves unspecified); a row whose smmock internals are gone is skipped.
    """
    from botocore.awsrequest import AWSResponse

    from benchmarks import contenders as bench
    from smmock import _clock
    from smmock._intercept import hook as _hook
    from smmock._wire import protocol as _protocol

    body = bench.wire_body("get")
    url = "https://secretsmanager.us-east-1.amazonaws.com/"
    result = json.loads(body)
    lean = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode
    moment = _clock.now()
    epoch = round(moment.timestamp(), 3)
    headers: Any = {"Content-Type": "application/x-amz-json-1.1"}
    from smmock._intercept.response import _Raw

    raw = _Raw(body)
    chars = string.ascii_letters + string.digits
    pairs = [a + b for a in chars for b in chars]
    unit = random.random

    def suffix_choices() -> str:
        return "".join(random.choices(chars, k=6))

    def suffix_pairs() -> str:
        # Three draws from the 3,844 two-character strings: the same 62^6 outcomes.
        return pairs[int(unit() * 3844)] + pairs[int(unit() * 3844)] + pairs[int(unit() * 3844)]

    rows: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        (
            "(reference) _hook.MockResponse vs the canned AWSResponse",
            lambda: _hook.MockResponse(url, 200, body),
            lambda: AWSResponse(url, 200, headers, raw),
        ),
        (
            "_protocol._decode(bytes) vs json.loads(bytes.decode()) (no detect_encoding)",
            lambda: _protocol._decode(body),
            lambda: json.loads(body.decode()),
        ),
        (
            "_protocol._encode vs a compact encoder with check_circular=False",
            lambda: _protocol._encode(result).encode(),
            lambda: lean(result).encode(),
        ),
        (
            "GetSecretValue: to_epoch(created_date) per call vs a float kept at creation",
            lambda: _clock.to_epoch(moment),
            lambda: epoch,
        ),
        (
            "GetSecretValue: midnight(now()) per call vs now() and a day-changed check",
            lambda: _clock.midnight(_clock.now()),
            _clock.now,
        ),
        (
            "CreateSecret: ARN suffix random.choices(k=6) vs three two-character draws",
            suffix_choices,
            suffix_pairs,
        ),
    ]
    out = []
    for label, current, alternative in rows:
        try:
            out.append((label, _tight(current), _tight(alternative)))
        except (AttributeError, TypeError) as error:
            print(f"skipped what-if {label!r}: {error!r}")
    return out


def what_if_lifecycle() -> list[tuple[str, float, float]]:
    """(change, current µs, alternative µs) for one mock start + stop."""
    import requests.adapters

    import smmock

    adapter = requests.adapters.HTTPAdapter
    original_send = adapter.send

    def whole() -> None:
        with smmock.mock_secrets():
            pass

    def responses_mock() -> None:
        from smmock._intercept import plain_requests as _requests

        undo: Any = _requests.start(lambda *args: None)
        # An object with stop() in early versions, the undo function itself later.
        (undo if callable(undo) else undo.stop)()

    def replacement(*_args: Any, **_kwargs: Any) -> Any:
        return None

    def direct_patch() -> None:
        # What a hand-rolled HTTPAdapter.send patch costs (no responses, no mock.patch).
        adapter.send = replacement  # type: ignore[method-assign]
        adapter.send = original_send  # type: ignore[method-assign]

    def backend() -> None:
        smmock.SecretsBackend().reset()

    def nothing() -> None:
        return None

    rows: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        ("(reference) whole mock_secrets() enter + exit", whole, nothing),
        (
            "requests: plain_requests.start() + undo vs a bare HTTPAdapter.send swap",
            responses_mock,
            direct_patch,
        ),
        ("(reference) SecretsBackend() + reset()", backend, nothing),
    ]
    out = []
    for label, current, alternative in rows:
        try:
            out.append((label, _tight(current, 500), _tight(alternative, 500)))
        except (AttributeError, ImportError, TypeError) as error:
            print(f"skipped what-if {label!r}: {error!r}")
    return out


# -- cProfile --------------------------------------------------------------------------------


def profile(operation: str, calls: int) -> str:
    """cProfile (by internal time) of ``calls`` client calls: canned, then smmock."""
    from benchmarks import contenders as bench

    report = []
    for contender in (
        bench.CannedHandler(operation),
        bench.MockedClient(bench.smmock_mock(), operation),
    ):
        run = contender.begin(calls)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            run()
        profiler.disable()
        contender.end()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(20)
        report.append(f"=== {contender.label}: {calls} x {operation}, by internal time ===")
        report.append(stream.getvalue())
    return "\n".join(report)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hotpath", description=__doc__)
    parser.add_argument("--repetitions", type=int, default=21, help="interleaved repetitions")
    parser.add_argument("--calls", type=int, default=50, help="client calls per batch")
    parser.add_argument("--cprofile", action="store_true", help="also cProfile client calls")
    args = parser.parse_args(argv)
    os.environ.update(probes.quiet_aws_environment())
    import moto  # noqa: F401 - the same handlers on every client as in benchmarks.run

    import smmock  # noqa: F401

    results: dict[str, Any] = {}
    for operation, title in (("get", "GetSecretValue"), ("create", "CreateSecret")):
        print(f"\n## {title}: phases of a client call (median wall µs over all calls)")
        phase = phases(operation, args.repetitions, args.calls)
        for label, values in phase.items():
            cells = "  ".join(f"{name} {value:7.1f}" for name, value in values.items())
            print(f"{label:50} {cells}")
        print(f"\n## {title}: smmock's pieces in situ (median wall µs over all calls)")
        situ = pieces_in_situ(operation, args.repetitions, args.calls)
        for label, value in situ.items():
            print(f"{value:8.2f}  {label}" if isinstance(value, float) else f"{label}: {value}")
        results[operation] = {"phases": phase, "pieces_in_situ": situ}
        if args.cprofile:
            print(profile(operation, 2000))
    print("\n## What-if, tight loop (µs per call): current -> alternative")
    changes = what_if() + what_if_lifecycle()
    for label, current, alternative in changes:
        print(f"{current:7.2f} -> {alternative:7.2f}  (-{current - alternative:5.2f})  {label}")
    results["what_if"] = [
        {"change": label, "current_us": current, "alternative_us": alternative}
        for label, current, alternative in changes
    ]
    output = ROOT / "benchmarks" / "results" / "hotpath.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
