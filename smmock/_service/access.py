"""Who is calling and what they may do: least privilege and resource-policy denials.

:class:`Access` (``backend.access``) holds the caller's ARN and, when a mock was given
``allowed_actions``, the IAM action patterns the caller's identity-based policy allows.
The wire layer asks :meth:`Access.denial` once per request. The evaluation follows IAM's
order for a principal in the secret's own account:

1. an explicit ``Deny`` in the secret's resource policy that applies to the caller wins;
2. else the call is allowed when the identity allows the action (no ``allowed_actions``:
   every action) or the resource policy ``Allow`` s it for the caller's ARN or ``*``;
3. else it is an implicit deny.

Patterns match as IAM matches actions: case-insensitive, ``*`` for any run of characters
and ``?`` for one. A resource-policy statement applies when its principal, action and
resource all match; a ``Condition`` is evaluated for the ``String*`` and ``Arn*``
operators on ``aws:PrincipalArn`` and ``aws:PrincipalAccount``, and a statement with any
other condition is skipped (treated as not applying).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from typing import Any

from smmock._model import partition

__all__ = ["Access", "default_caller", "explicit_verdict", "pattern"]


def default_caller(account_id: str, region: str) -> str:
    """The caller a mock assumes when none is given: an IAM user in the mock's account."""
    return f"arn:{partition(region)}:iam::{account_id}:user/smmock"


@functools.lru_cache(maxsize=512)
def pattern(text: str) -> re.Pattern[str]:
    """An IAM wildcard pattern (``*``, ``?``; case-insensitive) as a compiled regex."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


@functools.lru_cache(maxsize=512)
def _case_sensitive(text: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    return re.compile("".join(parts), re.DOTALL)


class Access:
    """The caller's identity and the actions its identity-based policy allows.

    Parameters:
        caller_arn: the principal every request is made as; None for
            :func:`default_caller` of the account and region serving the request.
        allowed_actions: IAM action patterns (``"secretsmanager:Get*"``); None allows
            every action, an empty list none.
    """

    __slots__ = ("_allowed", "_patterns", "allowed_actions", "caller_arn")

    def __init__(
        self, caller_arn: str | None = None, allowed_actions: Iterable[str] | None = None
    ) -> None:
        self.caller_arn = caller_arn
        self.allowed_actions = None if allowed_actions is None else tuple(allowed_actions)
        self._patterns = (
            None
            if self.allowed_actions is None
            else tuple(pattern(action) for action in self.allowed_actions)
        )
        # Operation -> allowed, filled as operations are first called.
        self._allowed: dict[str, bool] = {}

    @property
    def restricted(self) -> bool:
        """Whether the identity allows only some actions."""
        return self._patterns is not None

    def identity_allows(self, operation: str) -> bool:
        """Whether the identity-based policy allows ``secretsmanager:<operation>``."""
        patterns = self._patterns
        if patterns is None:
            return True
        allowed = self._allowed.get(operation)
        if allowed is None:
            action = f"secretsmanager:{operation}"
            allowed = self._allowed[operation] = any(p.fullmatch(action) for p in patterns)
        return allowed

    def caller(self, account_id: str, region: str) -> str:
        """The caller's ARN for a request served in ``account_id`` and ``region``."""
        return self.caller_arn or default_caller(account_id, region)

    def denial(
        self,
        operation: str,
        caller: str,
        resource: str | None,
        secret_arn: str | None,
        policy: str | None,
    ) -> str | None:
        """AWS's AccessDenied message for this call, or None when it is allowed.

        Parameters:
            operation: the API operation.
            caller: the caller's ARN (see :meth:`caller`).
            resource: how the request named the secret (shown in the message), if it did.
            secret_arn: the ARN of that secret when it exists.
            policy: that secret's resource policy, if it has one.
        """
        action = f"secretsmanager:{operation}"
        verdict = None
        if policy is not None and secret_arn is not None:
            verdict = explicit_verdict(policy, action, caller, secret_arn)
        on = f" on resource: {resource}" if resource is not None else ""
        if verdict == "Deny":
            return (
                f"User: {caller} is not authorized to perform: {action}{on} "
                "with an explicit deny in a resource-based policy"
            )
        if verdict == "Allow" or self.identity_allows(operation):
            return None
        return (
            f"User: {caller} is not authorized to perform: {action}{on} "
            f"because no identity-based policy allows the {action} action"
        )


def explicit_verdict(policy: str, action: str, caller_arn: str, secret_arn: str) -> str | None:
    """``"Deny"`` if a statement denies the call, else ``"Allow"`` if one allows it for
    the caller's ARN (or everyone), else None."""
    allowed = False
    for statement in _statements(policy):
        effect = statement.get("Effect")
        if effect not in ("Allow", "Deny"):
            continue
        if not _applies(statement, action, caller_arn, secret_arn, exact=effect == "Allow"):
            continue
        if effect == "Deny":
            return "Deny"
        allowed = True
    return "Allow" if allowed else None


@functools.lru_cache(maxsize=256)
def _statements(policy: str) -> tuple[dict[str, Any], ...]:
    # Policies were checked when they were put (PutResourcePolicy); parse each text once.
    try:
        document = json.loads(policy)
    except ValueError:
        return ()
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        return ()
    return tuple(s for s in statements if isinstance(s, dict))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _applies(
    statement: dict[str, Any], action: str, caller_arn: str, secret_arn: str, *, exact: bool
) -> bool:
    # exact: an Allow grants a same-account caller on its own only when it names the
    # caller's ARN (or everyone); naming the account delegates to identity policies.
    if "Principal" in statement:
        if not _principal(statement["Principal"], caller_arn, exact=exact):
            return False
    elif "NotPrincipal" in statement:
        if _principal(statement["NotPrincipal"], caller_arn, exact=False):
            return False
    else:
        return False
    if "Action" in statement:
        if not any(pattern(p).fullmatch(action) for p in _strings(statement["Action"])):
            return False
    elif "NotAction" in statement:
        if any(pattern(p).fullmatch(action) for p in _strings(statement["NotAction"])):
            return False
    else:
        return False
    if "Resource" in statement:
        resources = _strings(statement["Resource"])
        if not any(_case_sensitive(r).fullmatch(secret_arn) for r in resources):
            return False
    elif "NotResource" in statement:
        resources = _strings(statement["NotResource"])
        if any(_case_sensitive(r).fullmatch(secret_arn) for r in resources):
            return False
    condition = statement.get("Condition")
    return condition is None or _condition(condition, caller_arn)


def _principal(principal: Any, caller_arn: str, *, exact: bool) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    account = caller_arn.split(":")[4]
    for entry in _strings(principal.get("AWS")):
        if entry in ("*", caller_arn):
            return True
        if not exact and entry in (account, f"arn:{caller_arn.split(':')[1]}:iam::{account}:root"):
            return True
    return False


_OPERATORS = {
    "StringEquals": (False, False, True),
    "StringNotEquals": (True, False, True),
    "StringEqualsIgnoreCase": (False, False, False),
    "StringNotEqualsIgnoreCase": (True, False, False),
    "StringLike": (False, True, True),
    "StringNotLike": (True, True, True),
    "ArnEquals": (False, False, True),
    "ArnNotEquals": (True, False, True),
    "ArnLike": (False, True, True),
    "ArnNotLike": (True, True, True),
}


def _condition(condition: Any, caller_arn: str) -> bool:
    if not isinstance(condition, dict):
        return False
    keys = {"aws:principalarn": caller_arn, "aws:principalaccount": caller_arn.split(":")[4]}
    for operator, tests in condition.items():
        spec = _OPERATORS.get(operator)
        if spec is None or not isinstance(tests, dict):
            return False
        negated, wildcards, case = spec
        for key, values in tests.items():
            actual = keys.get(str(key).lower())
            if actual is None:
                return False
            wanted = _strings(values)
            if wildcards:
                hit = any(
                    (_case_sensitive(v) if case else pattern(v)).fullmatch(actual) for v in wanted
                )
            elif case:
                hit = actual in wanted
            else:
                hit = actual.lower() in (v.lower() for v in wanted)
            if hit == negated:
                return False
    return True
