"""The state: secrets, their versions and staging labels, in a compact layout.

``secret`` (``Secret``, ``Replica``, ``CrossAccountLink``), ``version``
(``SecretVersion``, the label tuples), ``labels`` (the one place labels move),
and ``homes`` (an account and region, its ARN prefix). This package re-exports their
names: ``from smmock._model import Secret``.

Memory matters here: a test suite or a load script may hold tens of thousands of
secrets, and every byte of bookkeeping is paid per secret. So the layout is compact,
and everything outside this package goes through the methods, never the representation
(the details are in each module and in docs/architecture.md, "Memory").
"""

from __future__ import annotations

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
