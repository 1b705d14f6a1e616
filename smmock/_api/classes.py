"""``@mock_secrets`` on a class: its tests and its set-up and tear-down hooks.

Users seed secrets in their set-up hooks and expect to find them in the test, as with
moto. So the mock covers, besides every ``test*`` method:

* ``unittest.TestCase``: one activation per test from before ``setUp`` to after
  ``tearDown`` and the cleanups; with ``setUpClass`` or ``tearDownClass``, one more
  from before ``setUpClass`` to after ``tearDownClass`` (a class cleanup, so it also
  ends when ``setUpClass`` fails).
* A plain class collected by pytest: with ``setup_method`` or ``teardown_method``, one
  activation per test from before ``setup_method`` to after ``teardown_method``; with
  ``setup_class`` or ``teardown_class``, one from before ``setup_class`` to after
  ``teardown_class``.

Activations nest and share one state, so what a class-level hook seeds is what every
test of the class sees, and each class starts from an empty state (per-class state).
Without class-level hooks every test starts empty, as before.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

if TYPE_CHECKING:
    import unittest

__all__ = ["Activatable", "decorate_class"]

_T = TypeVar("_T")


class Activatable(Protocol):
    """A mock that can be started and stopped (one ``MockSecrets`` activation)."""

    def start(self) -> Any: ...

    def stop(self) -> None: ...


NewMock = Callable[[], Activatable]


def decorate_class(
    cls: type[_T], new_mock: NewMock, wrap: Callable[[Callable[..., Any]], Any]
) -> type[_T]:
    """Make ``cls``'s tests and hooks run inside mocks made by ``new_mock``.

    ``wrap`` decorates one test method (it starts a mock around each call).
    """
    # A class can only be a TestCase if unittest was imported; don't import it here.
    unittest_module = sys.modules.get("unittest")
    if unittest_module is not None and issubclass(cls, unittest_module.TestCase):
        _decorate_testcase(cast("type[unittest.TestCase]", cls), new_mock)
        return cls
    for name, attribute in list(vars(cls).items()):
        if not name.startswith("test"):
            continue
        # Wrap the function inside static and class methods: wrapping the descriptor
        # itself turned a staticmethod into an instance method (self passed in).
        if isinstance(attribute, (staticmethod, classmethod)):
            setattr(cls, name, type(attribute)(wrap(attribute.__func__)))
        elif callable(attribute):
            setattr(cls, name, wrap(attribute))
    if _defines(cls, "setup_method", "teardown_method"):
        _cover_method_hooks(cls, new_mock)
    if _defines(cls, "setup_class", "teardown_class"):
        _cover_class_hooks(cls, new_mock, "setup_class", "teardown_class")
    return cls


def _decorate_testcase(cls: type[unittest.TestCase], new_mock: NewMock) -> None:
    # Start before setUp and stop after tearDown and cleanups, for every test.
    original_setup = cls.setUp

    def setUp(test: unittest.TestCase) -> None:
        active = new_mock()
        active.start()
        test.addCleanup(active.stop)
        original_setup(test)

    cls.setUp = setUp  # type: ignore[method-assign, assignment]
    if _defines(cls, "setUpClass", "tearDownClass"):
        original = inspect.getattr_static(cls, "setUpClass")

        def setUpClass(klass: type[unittest.TestCase]) -> None:
            active = new_mock()
            active.start()
            # Class cleanups run after tearDownClass, and also when setUpClass raises
            # (unittest and pytest both call doClassCleanups).
            klass.addClassCleanup(active.stop)
            _call_class_hook(original, klass)

        cls.setUpClass = classmethod(setUpClass)  # type: ignore[assignment, method-assign]


def _cover_method_hooks(cls: type, new_mock: NewMock) -> None:
    # pytest calls setup_method(self, method) and teardown_method(self, method) on the
    # test's own instance, teardown only if setup succeeded.
    setup = inspect.getattr_static(cls, "setup_method", None)
    teardown = inspect.getattr_static(cls, "teardown_method", None)
    active: dict[int, Activatable] = {}

    def setup_method(self: Any, method: Any = None) -> None:
        mock = new_mock()
        mock.start()
        active[id(self)] = mock
        try:
            _call_method_hook(setup, self, method)
        except BaseException:
            del active[id(self)]
            mock.stop()
            raise

    def teardown_method(self: Any, method: Any = None) -> None:
        try:
            _call_method_hook(teardown, self, method)
        finally:
            mock = active.pop(id(self), None)
            if mock is not None:
                mock.stop()

    setattr(cls, "setup_method", setup_method)  # noqa: B010 - a hook pytest looks up
    setattr(cls, "teardown_method", teardown_method)  # noqa: B010


def _cover_class_hooks(cls: type, new_mock: NewMock, setup_name: str, teardown_name: str) -> None:
    # pytest calls setup_class(cls) and, if it succeeded, teardown_class(cls).
    setup = inspect.getattr_static(cls, setup_name, None)
    teardown = inspect.getattr_static(cls, teardown_name, None)
    active: dict[type, Activatable] = {}

    def setup_class(klass: type) -> None:
        mock = new_mock()
        mock.start()
        active[klass] = mock
        try:
            _call_class_hook(setup, klass)
        except BaseException:
            del active[klass]
            mock.stop()
            raise

    def teardown_class(klass: type) -> None:
        try:
            _call_class_hook(teardown, klass)
        finally:
            mock = active.pop(klass, None)
            if mock is not None:
                mock.stop()

    setattr(cls, setup_name, classmethod(setup_class))
    setattr(cls, teardown_name, classmethod(teardown_class))


def _defines(cls: type, *names: str) -> bool:
    # Defined by the user on the class or a base of theirs (not unittest's own no-ops).
    for klass in cls.__mro__:
        if klass.__module__ == "unittest.case" or klass is object:
            continue
        if any(name in vars(klass) for name in names):
            return True
    return False


def _call_class_hook(hook: Any, klass: type) -> None:
    # The hook as defined (classmethod, staticmethod or plain function), bound to the
    # class it runs for, so a subclass of a decorated class gets its own.
    if hook is None:
        return
    if isinstance(hook, classmethod):
        hook.__func__(klass)
    elif isinstance(hook, staticmethod):
        hook.__func__()
    else:
        hook(klass)


def _call_method_hook(hook: Any, instance: Any, method: Any) -> None:
    # pytest passes the test method only to hooks that take it.
    if hook is None:
        return
    function = hook.__get__(instance, type(instance))
    if len(inspect.signature(function).parameters) >= 1:
        function(method)
    else:
        function()
