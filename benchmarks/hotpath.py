"""Where smmock's time per call goes, beside the canned ``before-send`` floor.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.hotpath              # all three sections below
    .venv/bin/python -m benchmarks.hotpath --cprofile   # plus cProfile of whole client calls

1. **Phases** of a whole client call, interleaved with the canned handler: before the
   answer (serialize, sign, events), the answer, and after (parse, retry checks). The
   canned handler's answer is marked by handlers registered first and last on
   ``before-send.secrets-manager``; smmock's (which no ``before-send`` handler sees while
   a mock is active) by a timer around ``hook.answer``. A third contender is smmock with a
   client made before the mock started.
2. **Pieces in situ**: smmock's own functions wrapped with timers while real client calls
   run (``hook._region``, ``protocol.handle`` and inside it ``_decode``, ``validate``,
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
import pstats
import random
import statistics
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks.common import import_mocks, write_json
from benchmarks.timing import tight, wall_ns, wrapped

# -- 1. phases of a client call -----------------------------------------------------------


def _instrument(client: Any) -> dict[str, int]:
    """Marks around the ``before-send`` handlers of the canned handler's client."""
    marks: dict[str, int] = {}
    events = client.meta.events

    def first(**_kwargs: Any) -> None:
        marks["send"] = wall_ns()

    def last(**_kwargs: Any) -> None:
        marks["sent"] = wall_ns()

    events.register_first("before-send.secrets-manager", first)
    events.register_last("before-send.secrets-manager", last)
    return marks


@contextmanager
def _smmock_marks() -> Iterator[dict[str, int]]:
    """Marks around smmock's answer: while a mock is active, botocore's endpoint hands a
    Secrets Manager request to ``hook.answer`` instead of emitting ``before-send``."""
    from smmock._intercept import hook

    marks: dict[str, int] = {}
    answer = hook.answer

    def marked(*args: Any, **kwargs: Any) -> Any:
        marks["send"] = wall_ns()
        try:
            return answer(*args, **kwargs)
        finally:
            marks["sent"] = wall_ns()

    hook.answer = marked
    try:
        yield marks
    finally:
        hook.answer = answer


def phases(operation: str, repetitions: int, calls: int) -> dict[str, dict[str, float]]:
    """Median µs of each phase over every call, per contender, and smmock minus canned.

    Per-call medians (not batch means) because a wall clock on a shared machine catches
    the scheduler's preemptions; the median call is one that was not preempted.
    """
    from benchmarks import contenders as bench

    canned = bench.CannedHandler(operation)
    inside = bench.MockedClient(bench.smmock_mock(), operation)
    before = bench.MockedClient(
        bench.smmock_mock(),
        operation,
        client=bench.new_client(),
        label="smmock, client made before the mock",
    )
    contenders: list[Any] = [canned, inside, before]
    names = ["before the answer (serialize, sign)", "the answer", "after (parse, retry)"]
    rows: dict[str, list[list[int]]] = {c.label: [[], [], [], []] for c in contenders}
    with _smmock_marks() as smmock_marks:
        marks = {
            canned.label: _instrument(canned.client),
            inside.label: smmock_marks,
            before.label: smmock_marks,
        }
        for repetition in range(repetitions + 1):  # the first is a warm-up
            shift = repetition % len(contenders)
            for contender in contenders[shift:] + contenders[:shift]:
                run = contender.begin(calls)
                mark = marks[contender.label]
                row = rows[contender.label]
                for _ in range(calls):
                    start = wall_ns()
                    run()
                    end = wall_ns()
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


HANDLE = "protocol.handle (total)"


def _situ_targets(wire: str) -> list[tuple[Any, str, str]]:
    """What to wrap: ``(owner, attribute, label)``. Labels indented by two spaces are
    direct children of ``protocol.handle``; by four, pieces inside the operation."""
    from smmock import _clock
    from smmock._intercept import hook
    from smmock._service import store, values
    from smmock._wire import ops_values, protocol

    # The hook holds its own reference to the protocol handler, bound at the first start.
    if callable(getattr(hook, "_handle", None)):
        handle: tuple[Any, str, str] = (hook, "_handle", HANDLE)
    else:
        handle = (protocol, "handle", HANDLE)
    targets: list[tuple[Any, str, str]] = [
        handle,
        (hook, "_region", "hook._region"),
        (hook, "_header", "hook._header"),
        (hook, "MockResponse", "hook.MockResponse(...)"),
        (protocol, "_operation", "  protocol._operation"),
        (protocol, "_decode", "  protocol._decode (json.loads)"),
        (protocol, "validate", "  validation.validate"),
        (protocol.OPERATIONS, wire, f"  operation {wire} (incl. the service)"),
        (protocol, "_encode", "  protocol._encode (json)"),
        # Inside the operation. A function imported by name is wrapped where it is called.
        (ops_values, "to_epoch", "    to_epoch"),
        (_clock, "now", "    _clock.now"),
        (_clock, "midnight", "    _clock.midnight"),
        (store, "check_name", "    names.check_name"),
        (values, "check_name", "    names.check_name"),
    ]
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
        inner = {label for _, _, label in targets if label[:2] == "  " and label[2] != " "}
        with wrapped(targets, totals):
            for _ in range(calls):
                for label in totals:
                    totals[label] = 0
                run()
                if repetition:  # the first is a warm-up
                    for label, total in totals.items():
                        per_call.setdefault(label, []).append(total)
                    per_call.setdefault(rest, []).append(
                        totals[HANDLE] - sum(totals[i] for i in inner)
                    )
        contender.end()
    return {label: statistics.median(values) / 1000 for label, values in per_call.items()}


# -- 3. what-if: current code vs a cheaper equivalent ---------------------------------------


def what_if() -> list[tuple[str, float, float]]:
    """(change, current µs, alternative µs) for each suggested optimisation still open.

    Each row runs smmock's current code against a cheaper equivalent (same output, or an
    output AWS leaves unspecified); a row whose smmock internals are gone is skipped.
    """
    from botocore.awsrequest import AWSResponse

    from benchmarks import contenders as bench
    from smmock import _clock
    from smmock._intercept import hook
    from smmock._intercept.response import _Raw
    from smmock._wire import protocol

    body = bench.wire_body("get")
    url = "https://secretsmanager.us-east-1.amazonaws.com/"
    result = json.loads(body)
    lean = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode
    moment = _clock.now()
    epoch = round(moment.timestamp(), 3)
    headers: Any = {"Content-Type": "application/x-amz-json-1.1"}
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
            "(reference) hook.MockResponse vs the canned AWSResponse",
            lambda: hook.MockResponse(url, 200, body),
            lambda: AWSResponse(url, 200, headers, raw),
        ),
        (
            "protocol._decode(bytes) vs json.loads(bytes.decode()) (no detect_encoding)",
            lambda: protocol._decode(body),
            lambda: json.loads(body.decode()),
        ),
        (
            "protocol._encode vs a compact encoder with check_circular=False",
            lambda: protocol._encode(result).encode(),
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
            out.append((label, tight(current), tight(alternative)))
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
        from smmock._intercept import plain_requests

        undo: Any = plain_requests.start(lambda *args: None)
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
            out.append((label, tight(current, 500), tight(alternative, 500)))
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
    import_mocks()  # the same handlers on every client as in benchmarks.run
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
    write_json("hotpath.json", results)


if __name__ == "__main__":
    main()
