"""The state of one secret: its versions and staging labels, in a compact layout.

Label rules live here, in one place, because every operation that moves a label
(PutSecretValue, UpdateSecret, UpdateSecretVersionStage, RotateSecret) must obey the same
ones: a label is on at most one version, ``AWSCURRENT`` leaving a version puts
``AWSPREVIOUS`` there, and a version with no label left is deprecated.

Memory matters here: a test suite or a load script may hold tens of thousands of
secrets, and every byte of bookkeeping is paid per secret. So the layout is compact,
and everything outside this module goes through the methods, never the representation:

* The labels live only on the versions (``stages``, an immutable tuple; the common ones
  are shared objects). Who holds a label is found by scanning the versions, newest
  first: a secret has few versions, and the current one is nearly always the newest.
* A secret with one version holds it directly; a list appears with the second one.
* A replica holds its primary instead of versions, so it always shows exactly the
  primary's versions and labels.
* The ARN is built from the secret's :class:`Home` (account and region, shared by all
  secrets there) and its 6-character suffix.
* Rarely set metadata (description, tags, rotation, replication, deletion dates) lives
  in one dict that exists only once something is set.
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
