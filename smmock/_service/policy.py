"""Resource policies: parse, detect public access, and report ValidateResourcePolicy findings.

smmock checks the IAM policy grammar (shape and types), not IAM semantics: it does not
resolve principals, actions or ARNs. What AWS answers is only partly known, so these
choices are smmock's (unconfirmed unless marked):

* Any syntax or structure problem -> ``MalformedPolicyDocumentException``
  ``This policy has invalid syntax.`` (AWS returned this text for a policy with a bad
  ``Version``, quoted in awsdocs/aws-cloudformation-user-guide PR #623; reusing it for
  every other syntax problem is unconfirmed).
* A ``Principal``/``NotPrincipal`` of the wrong shape -> ``This resource policy contains an
  unsupported principal.`` (AWS text as remembered; unconfirmed).
* Accepted: top-level keys ``Version`` (``2012-10-17`` or ``2008-10-17``), ``Id``,
  ``Statement`` (an object or a non-empty list of objects). Each statement: ``Effect``
  ``Allow``/``Deny``; exactly one of ``Action``/``NotAction``; exactly one of
  ``Principal``/``NotPrincipal`` (resource policies need one); optional ``Sid``,
  ``Resource``/``NotResource``, ``Condition``. Unknown keys are syntax errors.
* Public (``BlockPublicPolicy`` -> ``PublicPolicyException`` ``PUBLIC_POLICY``): see
  ``is_public``.
* ValidateResourcePolicy check names ``SYNTAX_CHECK`` and ``PUBLIC_ACCESS_CHECK``.
"""

from __future__ import annotations

import json
from typing import Any

from smmock.exceptions import MalformedPolicyDocumentException

__all__ = [
    "PUBLIC_ACCESS_CHECK",
    "PUBLIC_POLICY",
    "SYNTAX_CHECK",
    "SYNTAX_ERROR",
    "UNSUPPORTED_PRINCIPAL",
    "is_public",
    "parse_policy",
    "validation_findings",
]

SYNTAX_ERROR = "This policy has invalid syntax."
UNSUPPORTED_PRINCIPAL = "This resource policy contains an unsupported principal."
PUBLIC_POLICY = "This resource policy grants public access to the secret."

SYNTAX_CHECK = "SYNTAX_CHECK"
PUBLIC_ACCESS_CHECK = "PUBLIC_ACCESS_CHECK"

_VERSIONS = frozenset({"2012-10-17", "2008-10-17"})
_DEFAULT_VERSION = "2012-10-17"
_TOP_KEYS = frozenset({"Version", "Id", "Statement"})
_STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    }
)
_PRINCIPAL_TYPES = frozenset({"AWS", "Service", "Federated", "CanonicalUser"})

# Condition keys (lower-case: IAM compares key names case-insensitively) that tie a
# wildcard principal to a known account, organization, network or calling resource.
_LIMITING_KEYS = frozenset(
    key.lower()
    for key in (
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceOwner",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:SourceIp",
        "aws:userid",
    )
)
# Condition values that restrict nothing even under a limiting key.
_WILDCARD_VALUES = frozenset({"*", "0.0.0.0/0", "::/0"})


def _malformed(message: str = SYNTAX_ERROR) -> MalformedPolicyDocumentException:
    return MalformedPolicyDocumentException(message)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_str_or_str_list(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _check_principal(value: Any) -> None:
    if value == "*":
        return
    if not isinstance(value, dict) or not value:
        raise _malformed(UNSUPPORTED_PRINCIPAL)
    for kind, ids in value.items():
        if kind not in _PRINCIPAL_TYPES or not _is_str_or_str_list(ids):
            raise _malformed(UNSUPPORTED_PRINCIPAL)


def _check_condition(value: Any) -> None:
    if not isinstance(value, dict):
        raise _malformed()
    for operator, clauses in value.items():
        if not isinstance(operator, str) or not isinstance(clauses, dict) or not clauses:
            raise _malformed()
        for values in clauses.values():
            items = _as_list(values)
            if not items or not all(isinstance(v, (str, bool, int, float)) for v in items):
                raise _malformed()


def _check_statement(statement: Any) -> None:
    if not isinstance(statement, dict) or not statement.keys() <= _STATEMENT_KEYS:
        raise _malformed()
    if statement.get("Effect") not in ("Allow", "Deny"):
        raise _malformed()
    if "Sid" in statement and not isinstance(statement["Sid"], str):
        raise _malformed()
    # Each pair is "exactly one of"; Resource stays optional (Secrets Manager implies the
    # secret the policy is attached to).
    for positive, negative, required in (
        ("Action", "NotAction", True),
        ("Resource", "NotResource", False),
    ):
        present = [k for k in (positive, negative) if k in statement]
        if len(present) > 1 or (required and not present):
            raise _malformed()
        if present and not _is_str_or_str_list(statement[present[0]]):
            raise _malformed()
    principals = [k for k in ("Principal", "NotPrincipal") if k in statement]
    if len(principals) != 1:
        raise _malformed()
    _check_principal(statement[principals[0]])
    if "Condition" in statement:
        _check_condition(statement["Condition"])


def _statements(policy: dict[str, Any]) -> list[Any]:
    return _as_list(policy.get("Statement", []))


def parse_policy(text: str) -> dict[str, Any]:
    """Parse and check a resource policy document; return the decoded JSON object.

    Raises ``MalformedPolicyDocumentException`` when ``text`` is not JSON or not a policy
    of the accepted shape (see the module docstring).
    """
    try:
        policy = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        raise _malformed() from None
    if not isinstance(policy, dict) or not policy.keys() <= _TOP_KEYS:
        raise _malformed()
    version = policy.get("Version", _DEFAULT_VERSION)
    if not isinstance(version, str) or version not in _VERSIONS:
        raise _malformed()
    if "Id" in policy and not isinstance(policy["Id"], str):
        raise _malformed()
    statement = policy.get("Statement")
    if not isinstance(statement, (dict, list)) or not statement:
        raise _malformed()
    for item in _as_list(statement):
        _check_statement(item)
    return policy


def _is_wildcard_principal(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in _as_list(principal.get("AWS", []))


def _limits_access(condition: Any) -> bool:
    """Whether any clause pins the request to a specific account, org, network or source."""
    if not isinstance(condition, dict):
        return False
    for operator, clauses in condition.items():
        if not isinstance(operator, str) or not isinstance(clauses, dict):
            continue
        # ForAllValues is true when the key is absent, IfExists likewise; negated
        # operators (StringNotEquals, NotIpAddress...) and Null/Bool exclude rather than
        # pin. None of those narrow a "*" principal down.
        if operator.startswith("ForAllValues:") or operator.endswith("IfExists"):
            continue
        base = operator.removeprefix("ForAnyValue:")
        if "Not" in base or base in ("Null", "Bool"):
            continue
        for key, values in clauses.items():
            if not isinstance(key, str) or key.lower() not in _LIMITING_KEYS:
                continue
            items = _as_list(values)
            if items and not any(v in _WILDCARD_VALUES for v in items if isinstance(v, str)):
                return True
    return False


def is_public(policy: dict[str, Any]) -> bool:
    """Whether a parsed policy grants access to everyone (``BlockPublicPolicy`` test).

    Public means some ``Allow`` statement names ``"*"`` or ``{"AWS": "*"}`` (a string, or
    ``"*"`` inside a list) as ``Principal``, or uses ``NotPrincipal`` (everyone but a
    few), and has no ``Condition`` clause that limits it with a positive operator on
    aws:PrincipalAccount/PrincipalArn/PrincipalOrgID/PrincipalOrgPaths/SourceAccount/
    SourceArn/SourceOwner/SourceOrgID/SourceOrgPaths/SourceVpc/SourceVpce/SourceIp/userid
    with a non-wildcard value. ``Deny`` statements are not subtracted.
    """
    for statement in _statements(policy):
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        broad = "NotPrincipal" in statement or _is_wildcard_principal(principal)
        if broad and not _limits_access(statement.get("Condition")):
            return True
    return False


def validation_findings(text: str) -> list[dict[str, str]]:
    """Return ValidateResourcePolicy's ``ValidationErrors``; ``[]`` means the policy passes.

    A syntax or principal problem gives one ``SYNTAX_CHECK`` entry carrying the
    ``MalformedPolicyDocumentException`` text; a public policy gives one
    ``PUBLIC_ACCESS_CHECK`` entry with ``PUBLIC_POLICY``.
    """
    try:
        policy = parse_policy(text)
    except MalformedPolicyDocumentException as err:
        return [{"CheckName": SYNTAX_CHECK, "ErrorMessage": err.message}]
    if is_public(policy):
        return [{"CheckName": PUBLIC_ACCESS_CHECK, "ErrorMessage": PUBLIC_POLICY}]
    return []
