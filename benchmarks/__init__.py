"""smmock's benchmark against moto and botocore's own floors.

Run everything with ``python -m benchmarks.run`` from the repository root (``--quick`` for a
smoke run); see ``docs/benchmarks.md`` for the latest results and what each number means.
"""
