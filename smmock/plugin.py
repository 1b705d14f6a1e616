"""pytest plugin (``pytest11`` entry point ``smmock``): the ``sm_backend`` fixture.

Importing this module at pytest start-up also imports smmock's botocore hook before any
test module builds a client. The hook answers nothing until a mock is active, so tests
that do not use smmock are unaffected.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from smmock.mock import MockSecrets

if TYPE_CHECKING:
    from smmock.backend import SecretsBackend

__all__ = ["sm_backend"]

_OPTIONS = (
    "account_id",
    "region",
    "skip_signing",
    "seed",
    "state",
    "allowed_actions",
    "caller_arn",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "smmock(account_id='123456789012', region='us-east-1', skip_signing=False, "
        "seed=None, state=None, allowed_actions=None, caller_arn=None): "
        "configure the mock behind the sm_backend fixture",
    )


@pytest.fixture
def sm_backend(request: pytest.FixtureRequest) -> Iterator[SecretsBackend]:
    """An active Secrets Manager mock for the test; yields its typed backend.

    Configure it with ``@pytest.mark.smmock(account_id=..., region=..., skip_signing=...,
    seed=..., state=..., allowed_actions=..., caller_arn=...)`` (see
    :class:`smmock.MockSecrets`).
    """
    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("smmock"))):
        if marker.args:
            raise pytest.UsageError(
                "@pytest.mark.smmock takes keyword arguments only, e.g. "
                "@pytest.mark.smmock(region='eu-west-1')."
            )
        unknown = sorted(set(marker.kwargs) - set(_OPTIONS))
        if unknown:
            raise pytest.UsageError(
                f"@pytest.mark.smmock got unknown option(s) {', '.join(unknown)}; "
                f"it accepts {', '.join(_OPTIONS)}."
            )
        options.update(marker.kwargs)
    with MockSecrets(**options) as backend:
        yield backend
