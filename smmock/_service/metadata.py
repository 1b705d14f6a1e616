"""Tags and resource policies of a secret.

Tags keep insertion order; a key set again keeps its place and takes the new value.
``Tags`` is absent on a never-tagged secret and ``[]`` once every tag was removed.
Only the ``default`` resource policy exists, as in AWS today: the model says another
``PolicyName`` is an ``InvalidParameterException`` for PutResourcePolicy and
DeleteResourcePolicy and a ``ResourceNotFoundException`` for GetResourcePolicy (the
texts are ours).
"""

from __future__ import annotations

from collections.abc import Sequence

from smmock import _clock
from smmock._model import Secret
from smmock._service.policy import is_public, parse_policy
from smmock.exceptions import (
    InvalidParameterException,
    PublicPolicyException,
    ResourceNotFoundException,
)

__all__ = [
    "DEFAULT_POLICY",
    "MAX_TAGS",
    "check_policy_name",
    "check_tags",
    "delete_resource_policy",
    "find_policy",
    "policy_names",
    "put_resource_policy",
    "tag_resource",
    "untag_resource",
]

MAX_TAGS = 50
DEFAULT_POLICY = "default"
_RESERVED = "aws:"


def check_tags(existing: dict[str, str] | None, tags: Sequence[tuple[str, str]]) -> None:
    """AWS rules: user tag keys may not start with ``aws:``; at most 50 tags per secret."""
    for key, _ in tags:
        if not key:
            # The model makes Key optional (its min length 1 only applies when present),
            # so a Tag without Key passes validation and would be stored under "", a key
            # AWS never shows. AWS's text for this is unconfirmed.
            raise InvalidParameterException("You must specify a Key for every tag.")
        if key.lower().startswith(_RESERVED):
            raise InvalidParameterException(
                f"The tag key {key} is not valid: tag keys beginning with aws: are reserved "
                "for AWS use."
            )
    keys = set(existing or ()) | {key for key, _ in tags}
    if len(keys) > MAX_TAGS:
        raise InvalidParameterException(
            f"A secret can have at most {MAX_TAGS} tags; this request would give it {len(keys)}."
        )


def tag_resource(secret: Secret, tags: Sequence[tuple[str, str]]) -> None:
    """TagResource: add tags, overwriting the value of keys that exist."""
    check_tags(secret.tags, tags)
    merged = dict(secret.tags or {})
    merged.update(tags)
    secret.tags = merged
    secret.last_changed_date = _clock.now()


def untag_resource(secret: Secret, keys: Sequence[str]) -> None:
    """UntagResource: remove tags by key; unknown keys are ignored."""
    if secret.tags is None:
        return
    secret.tags = {k: v for k, v in secret.tags.items() if k not in set(keys)}
    secret.last_changed_date = _clock.now()


def put_resource_policy(secret: Secret, policy: str, block_public_policy: bool) -> None:
    """PutResourcePolicy: store a valid policy; refuse a public one under BlockPublicPolicy."""
    document = parse_policy(policy)
    if block_public_policy and is_public(document):
        raise PublicPolicyException("This resource policy grants public access to the secret.")
    secret.resource_policy = policy
    secret.last_changed_date = _clock.now()


def delete_resource_policy(secret: Secret) -> None:
    """DeleteResourcePolicy: drop the policy (idempotent)."""
    if secret.resource_policy is not None:
        secret.resource_policy = None
        secret.last_changed_date = _clock.now()


def check_policy_name(name: str | None, verb: str) -> None:
    """Refuse a ``PolicyName`` other than ``default`` for PutResourcePolicy (``verb``
    "attach") or DeleteResourcePolicy ("delete")."""
    if name is not None and name != DEFAULT_POLICY:
        raise InvalidParameterException(
            f"You can only {verb} the default resource policy; PolicyName can't be {name}."
        )


def find_policy(name: str | None) -> None:
    """GetResourcePolicy of a ``PolicyName`` other than ``default``: no such policy."""
    if name is not None and name != DEFAULT_POLICY:
        raise ResourceNotFoundException(
            f"Secrets Manager can't find the resource policy {name} for this secret."
        )


def policy_names(secret: Secret) -> list[str]:
    """ListResourcePolicies: the names of the attached policies."""
    return [DEFAULT_POLICY] if secret.resource_policy is not None else []
