"""The state: secrets, their versions and staging labels, in a compact layout.

``secret`` (``Secret``, ``Replica``, ``CrossAccountLink``), ``version``
(``SecretVersion``, the label tuples), ``labels`` (the one place labels move), ``homes``
(an account and region, its ARN prefix), and two leaves: ``defaults`` (the default
account and region) and ``ids`` (request ids). ``from smmock._model import Secret`` works
for the names of the first four; they load on first use, so that ``import smmock``,
which needs only the leaves, does not load the model.

Memory matters here: a test suite or a load script may hold tens of thousands of
secrets, and every byte of bookkeeping is paid per secret. So the layout is compact,
and everything outside this package goes through the methods, never the representation
(the details are in each module and in docs/architecture.md, "Memory").
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smmock._model.homes import Home, home, partition
    from smmock._model.labels import MAX_LABELS, attach, check_label_quota, detach
    from smmock._model.secret import CrossAccountLink, Replica, Secret
    from smmock._model.version import (
        AWSCURRENT,
        AWSPENDING,
        AWSPREVIOUS,
        SecretVersion,
        Stages,
        new_version,
    )

__all__ = [
    "AWSCURRENT",
    "AWSPENDING",
    "AWSPREVIOUS",
    "MAX_LABELS",
    "CrossAccountLink",
    "Home",
    "Replica",
    "Secret",
    "SecretVersion",
    "Stages",
    "attach",
    "check_label_quota",
    "detach",
    "home",
    "new_version",
    "partition",
]


def __getattr__(name: str) -> Any:
    # Each name is looked up here once, then kept as a plain global.
    if name in ("Home", "home", "partition"):
        module = importlib.import_module("smmock._model.homes")
    elif name in ("MAX_LABELS", "attach", "check_label_quota", "detach"):
        module = importlib.import_module("smmock._model.labels")
    elif name in ("CrossAccountLink", "Replica", "Secret"):
        module = importlib.import_module("smmock._model.secret")
    elif name in (
        "AWSCURRENT",
        "AWSPENDING",
        "AWSPREVIOUS",
        "SecretVersion",
        "Stages",
        "new_version",
    ):
        module = importlib.import_module("smmock._model.version")
    else:
        raise AttributeError(f"module 'smmock._model' has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value
