"""The label rules every operation that moves a staging label obeys.

A label is on at most one version; ``AWSCURRENT`` leaving a version puts
``AWSPREVIOUS`` there (and drops ``AWSPENDING`` from the new current one's former
holder); a version with no label left is deprecated; at most 20 labels per secret.
"""

from __future__ import annotations

from collections.abc import Iterable

from smmock._model.secret import Secret
from smmock._model.version import AWSCURRENT, AWSPENDING, AWSPREVIOUS, SecretVersion, _stages
from smmock.exceptions import LimitExceededException

MAX_LABELS = 20


def check_label_quota(secret: Secret, stages: Iterable[str], version: SecretVersion | None) -> None:
    """AWS quota: at most 20 staging labels across one secret's versions.

    Counts what attaching ``stages`` to ``version`` (None: a new version) would leave,
    including the AWSPREVIOUS that moving AWSCURRENT creates and the AWSPENDING it drops.
    """
    stages = set(stages)
    held = {label for v in secret.version_list() for label in v.stages}
    labels = held | stages
    holder = secret.holder(AWSCURRENT)
    if AWSCURRENT in stages and holder is not None and holder is not version:
        # attach() gives the old current AWSPREVIOUS and takes its AWSPENDING away.
        labels.add(AWSPREVIOUS)
        if AWSPENDING in holder.stages and AWSPENDING not in stages:
            labels.discard(AWSPENDING)
    if len(labels) > MAX_LABELS:
        raise LimitExceededException(
            f"A secret can have at most {MAX_LABELS} staging labels across its versions; "
            f"it has {len(held)}."
        )


def _without(version: SecretVersion, label: str) -> None:
    version.stages = _stages(tuple(s for s in version.stages if s != label))


def detach(secret: Secret, label: str) -> SecretVersion | None:
    """Remove ``label`` from whichever version holds it; return that version."""
    holder = secret.holder(label)
    if holder is not None:
        _without(holder, label)
    return holder


def attach(secret: Secret, label: str, version: SecretVersion) -> None:
    """Put ``label`` on ``version``, taking it off any other holder.

    Moving AWSCURRENT applies AWS's rotation bookkeeping: the old holder gets AWSPREVIOUS
    (taken from whoever had it) and drops AWSPENDING, whose job ended when it became
    current.
    """
    holder = secret.holder(label)
    if holder is version:
        return
    if holder is not None:
        _without(holder, label)
    version.stages = _stages((*version.stages, label))
    if label == AWSCURRENT and holder is not None:
        if AWSPENDING in holder.stages:
            _without(holder, AWSPENDING)
        attach(secret, AWSPREVIOUS, holder)
