"""What every benchmark module shares: paths, names, the AWS environment, the process set-up.

Nothing here times anything (that is :mod:`benchmarks.timing`); it holds the constants
and small helpers that ``run``, ``hotpath``, ``probes``, ``contenders`` and ``report``
would otherwise each define for themselves.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

__all__ = [
    "ACCOUNT",
    "REGION",
    "RESULTS",
    "ROOT",
    "UNSIGNED",
    "child_environment",
    "import_mocks",
    "log",
    "quiet_aws_environment",
    "write_json",
]

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

REGION = "us-east-1"
ACCOUNT = "123456789012"
# The label of smmock in its optional mode without SigV4 (mock_secrets(skip_signing=True)):
# timed beside the others, used for no target.
UNSIGNED = "smmock skip_signing"


def quiet_aws_environment() -> dict[str, str]:
    """Environment for every contender: static fake credentials, no config or IMDS lookups.

    Static credentials make every client sign (smmock skips signing for clients that have
    none), and empty config files keep a developer's ~/.aws out of the numbers.
    """
    return {
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "benchmark-fake-secret-access-key",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def child_environment() -> dict[str, str]:
    """The environment of a probe's fresh interpreter: this one's, quietened, with the
    repository importable and no import-time profiling inherited."""
    env = dict(os.environ)
    env.update(quiet_aws_environment())
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def import_mocks() -> None:
    """Quieten the environment, then import moto and smmock before any client exists.

    Both register botocore handlers at import, so every client made afterwards, whichever
    contender it serves, carries the same handlers (idle while their mock is off).
    """
    os.environ.update(quiet_aws_environment())
    import moto  # noqa: F401

    import smmock  # noqa: F401


def log(message: str) -> None:
    """A progress line on stderr, with the time."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def write_json(name: str, results: Any) -> Path:
    """Write ``results`` to ``benchmarks/results/<name>``; return the path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path
