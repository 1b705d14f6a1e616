"""smmock's benchmark against moto and botocore's own floors.

Run everything with ``python -m benchmarks.run`` from the repository root (``--quick`` for a
smoke run); see ``docs/benchmarks.md`` for the latest results and what each number means.

``run`` (the plan, the measurements, the results file; the entry point), ``contenders``
(what is timed: smmock, moto, botocore's Stubber, a canned handler), ``timing`` (how:
interleaved batches, tight loops, in-situ wrappers), ``probes`` (what needs a fresh
interpreter: import time, memory), ``targets`` (the limits and verdicts), ``report`` and
``chart`` (docs/benchmarks.md and .png), ``hotpath`` (where smmock's time per call goes;
run on its own) and ``common`` (paths, names, the AWS environment, shared by all).
"""
