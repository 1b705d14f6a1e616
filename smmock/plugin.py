"""pytest plugin (``pytest11`` entry point ``smmock``): the ``smmock`` marker and the
``sm_backend`` fixture.

Importing this module at pytest start-up also imports smmock's botocore hook before any
test module builds a client. The hook answers nothing until a mock is active, so tests
that do not use smmock are unaffected.

``@pytest.mark.smmock(...)`` alone mocks Secrets Manager for the test, with its options,
from before the test's function-scoped fixtures to after their teardown; ``sm_backend``
hands over that mock's backend, or starts a mock with the default options when the test
has no marker.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
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
    "strict_rotation",
    "config",
)
# Set on a test item whose call phase failed: its mock then stops without the
# strict_rotation check, so the test's own failure is the one reported.
_CALL_FAILED = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "smmock(account_id='123456789012', region=None, skip_signing=False, seed=None, "
        "state=None, allowed_actions=None, caller_arn=None, strict_rotation=False, "
        "config=None): mock Secrets Manager for the test, with these options "
        "(the sm_backend fixture hands over its backend)",
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.stash[_CALL_FAILED] = True


@pytest.fixture(autouse=True)
def _smmock_marker(request: pytest.FixtureRequest) -> Iterator[SecretsBackend | None]:
    """Start the mock a ``smmock`` marker asks for (yields None without a marker)."""
    markers = list(request.node.iter_markers("smmock"))
    if not markers:
        yield None
        return
    options: dict[str, Any] = {}
    for marker in reversed(markers):
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
    yield from _mocked(request, MockSecrets(**options))


@pytest.fixture
def sm_backend(
    request: pytest.FixtureRequest, _smmock_marker: SecretsBackend | None
) -> Iterator[SecretsBackend]:
    """The typed backend of the test's Secrets Manager mock.

    With ``@pytest.mark.smmock(account_id=..., region=..., skip_signing=..., seed=...,
    state=..., allowed_actions=..., caller_arn=..., strict_rotation=..., config=...)`` it
    is the marker's mock (see :class:`smmock.MockSecrets`); without one, a mock with the
    default options starts for the test.
    """
    if _smmock_marker is not None:
        yield _smmock_marker
        return
    yield from _mocked(request, MockSecrets())


def _mocked(request: pytest.FixtureRequest, mock: MockSecrets) -> Iterator[SecretsBackend]:
    backend = mock.start()
    try:
        yield backend
    finally:
        # pytest resumes a fixture normally even when the test failed: the strict check
        # must not add a teardown error to that failure.
        mock._finish(check=not request.node.stash.get(_CALL_FAILED, False))
