"""What moto users pass to their mocks: accepted where it means something here.

A suite moving from moto's ``mock_aws`` to ``mock_secrets`` keeps its calls: the options
that have a meaning for an in-memory Secrets Manager are accepted (most of them describe
what smmock does anyway), and the rest are refused with a ``ValueError`` that names what
to do instead (docs/migrating-from-moto.md has the whole table).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["check_config", "check_remove_data", "check_reset"]

_GUIDE = "See docs/migrating-from-moto.md."
_ENDPOINT = "https://secretsmanager.us-east-1.amazonaws.com/"
_KEEP_STATE = (
    "smmock starts every outermost mock with no secrets and forgets them when it stops. "
    "To carry secrets from one mock to the next, save them with backend.dump() and start "
    "the next one with mock_secrets(state=...). " + _GUIDE
)
_OTHER_SERVICES = {
    "lambda": (
        "smmock runs no Lambda functions: register a rotation function as a Python "
        "callable with backend.register_rotation_function(arn, handler)."
    ),
    "iam": (
        "smmock has no IAM service: give the caller's permissions with "
        "mock_secrets(allowed_actions=[...]) and its identity with caller_arn=."
    ),
}


def check_reset(reset: Any) -> None:
    """moto's ``start(reset=...)``: ``True`` is what smmock always does."""
    if reset is not True:
        raise ValueError(f"start(reset={reset!r}) is not supported. {_KEEP_STATE}")


def check_remove_data(remove_data: Any) -> None:
    """moto's ``stop(remove_data=...)``: ``True`` is what smmock always does."""
    if remove_data is not True:
        raise ValueError(f"stop(remove_data={remove_data!r}) is not supported. {_KEEP_STATE}")


def check_config(config: Any) -> None:
    """moto's ``mock_aws(config=...)``: accept the ``core`` settings smmock honours anyway,
    refuse everything else with the alternative."""
    if not isinstance(config, Mapping):
        raise TypeError(f"config must be a dict in moto's form, not {config!r}. {_GUIDE}")
    for section, settings in config.items():
        if section != "core":
            advice = _OTHER_SERVICES.get(
                section,
                "it configures another service: pass it to moto's mock_aws(config=...), "
                "which keeps serving the other services beside smmock.",
            )
            raise ValueError(f"config[{section!r}] has no meaning for smmock: {advice} {_GUIDE}")
        if not isinstance(settings, Mapping):
            raise TypeError(f"config['core'] must be a dict, not {settings!r}. {_GUIDE}")
        for key, value in settings.items():
            _check_core(key, value)


def _check_core(key: str, value: Any) -> None:
    if key == "mock_credentials":
        if value is not True:
            raise ValueError(
                "config['core']['mock_credentials'] can only be True: while active, smmock "
                "always signs Secrets Manager requests with its own fake keys and never "
                "resolves yours (requests to other services are left alone). To send them "
                f"unsigned, use mock_secrets(skip_signing=True). {_GUIDE}"
            )
    elif key == "reset_boto3_session":
        # moto swaps boto3's default session out; smmock leaves it in place and forgets
        # the fake keys it may have cached when the mock stops. Either way works.
        _check_bool(key, value)
    elif key == "service_whitelist":
        label = "config['core']['service_whitelist']"
        if value is not None and "secretsmanager" not in _strings(label, value):
            raise ValueError(
                "config['core']['service_whitelist'] leaves out secretsmanager, which "
                "smmock always mocks: for tests that must not mock Secrets Manager, do not "
                f"start mock_secrets. {_GUIDE}"
            )
    elif key == "passthrough":
        _check_passthrough(value)
    else:
        raise ValueError(f"config['core'][{key!r}] is not a moto option smmock knows. {_GUIDE}")


def _check_passthrough(value: Any) -> None:
    if not isinstance(value, Mapping):
        raise TypeError(f"config['core']['passthrough'] must be a dict, not {value!r}.")
    for key, entries in value.items():
        if key == "services":
            passed = "secretsmanager" in _strings(
                "config['core']['passthrough']['services']", entries
            )
        elif key == "urls":
            patterns = _strings("config['core']['passthrough']['urls']", entries)
            passed = any(re.match(pattern, _ENDPOINT) for pattern in patterns)
        else:
            raise ValueError(
                f"config['core']['passthrough'][{key!r}] is not a moto option smmock "
                f"knows. {_GUIDE}"
            )
        if passed:
            # Other services and URLs pass through anyway: smmock answers Secrets
            # Manager requests only.
            raise ValueError(
                "smmock never lets Secrets Manager requests through to AWS, so it cannot "
                "pass secretsmanager through: run tests that need the real service "
                f"without mock_secrets. {_GUIDE}"
            )


def _strings(label: str, value: Any) -> list[str]:
    if (
        isinstance(value, str)
        or not isinstance(value, (list, tuple, set, frozenset))
        or not all(isinstance(item, str) for item in value)
    ):
        raise TypeError(f"{label} must be a list of strings, not {value!r}.")
    return list(value)


def _check_bool(key: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"config['core'][{key!r}] must be True or False, not {value!r}.")
