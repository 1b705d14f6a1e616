"""``@mock_secrets`` on a class covers its set-up and tear-down hooks, as moto users expect.

unittest classes run through unittest's own runner and through pytest (pytester), plain
classes through pytest, which is what calls ``setup_method`` and ``setup_class``.
"""

from __future__ import annotations

import unittest
from typing import Any, ClassVar

import boto3
import pytest

from smmock import mock_secrets
from smmock._intercept import hook as _hook

pytestmark = pytest.mark.usefixtures("clean_aws_env")

OTHER_ACCOUNT = "210987654321"
# hypothesis's plugin imports hypothesis in every inner run (seconds each); not needed.
ARGS = (
    "-p",
    "no:cacheprovider",
    "-p",
    "no:hypothesispytest",
    "-W",
    "error",
    "-W",
    "ignore::pytest.PytestAssertRewriteWarning",
)


def sm() -> Any:
    return boto3.client("secretsmanager", region_name="us-east-1")


def names() -> list[str]:
    return [s["Name"] for s in sm().list_secrets()["SecretList"]]


def run(case: type[unittest.TestCase]) -> unittest.TestResult:
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    return result


# -- unittest ------------------------------------------------------------------------------------


def test_set_up_class_seeds_what_every_test_of_the_class_sees() -> None:
    events: list[tuple[str, Any]] = []

    @mock_secrets(account_id=OTHER_ACCOUNT)
    class Case(unittest.TestCase):
        arn: ClassVar[str]

        @classmethod
        def setUpClass(cls) -> None:
            # Unmocked, this was a NoCredentialsError (the environment has no keys).
            cls.arn = sm().create_secret(Name="shared", SecretString="from-setUpClass")["ARN"]
            events.append(("setUpClass", cls.arn.split(":")[4]))

        def setUp(self) -> None:
            events.append(("setUp", names()))

        def test_one(self) -> None:
            value = sm().get_secret_value(SecretId="shared")["SecretString"]
            sm().create_secret(Name="one", SecretString="1")
            events.append(("test_one", value))

        def test_two(self) -> None:
            events.append(("test_two", names()))

        @classmethod
        def tearDownClass(cls) -> None:
            events.append(("tearDownClass", names()))

    result = run(Case)
    assert (result.errors, result.failures, result.testsRun) == ([], [], 2)
    # One state for the class: what setUpClass and the tests make stays until the end.
    assert events == [
        ("setUpClass", OTHER_ACCOUNT),
        ("setUp", ["shared"]),
        ("test_one", "from-setUpClass"),
        ("setUp", ["shared", "one"]),
        ("test_two", ["shared", "one"]),
        ("tearDownClass", ["shared", "one"]),
    ]
    assert _hook.active_backend() is None
    # Per class: running it again starts from nothing (no ResourceExistsException).
    events.clear()
    result = run(Case)
    assert (result.errors, result.failures) == ([], [])
    assert events[0] == ("setUpClass", OTHER_ACCOUNT)


def test_tear_down_class_alone_runs_inside_the_class_mock() -> None:
    seen: list[list[str]] = []

    @mock_secrets
    class Case(unittest.TestCase):
        def test_one(self) -> None:
            sm().create_secret(Name="made-by-a-test", SecretString="1")

        @classmethod
        def tearDownClass(cls) -> None:
            seen.append(names())

    result = run(Case)
    assert (result.errors, result.failures) == ([], [])
    assert seen == [["made-by-a-test"]]
    assert _hook.active_backend() is None


def test_a_failing_set_up_class_stops_the_class_mock() -> None:
    @mock_secrets
    class Case(unittest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            sm().create_secret(Name="half-done", SecretString="x")
            raise RuntimeError("setUpClass failed")

        def test_nothing(self) -> None:
            raise AssertionError("not reached")  # pragma: no cover

    result = run(Case)
    assert len(result.errors) == 1
    assert "RuntimeError: setUpClass failed" in result.errors[0][1]
    assert _hook.active_backend() is None


def test_classes_without_class_hooks_keep_a_fresh_state_per_test() -> None:
    counts: list[int] = []

    @mock_secrets
    class Case(unittest.TestCase):
        def test_one(self) -> None:
            sm().create_secret(Name="only-mine", SecretString="1")
            counts.append(len(names()))

        def test_two(self) -> None:
            sm().create_secret(Name="only-mine", SecretString="2")
            counts.append(len(names()))

    result = run(Case)
    assert (result.errors, result.failures) == ([], [])
    assert counts == [1, 1]


def test_unittest_classes_under_pytest(pytester: pytest.Pytester) -> None:
    # pytest runs setUpClass and the class cleanups itself.
    pytester.makepyfile(
        """
        import unittest
        import boto3
        from smmock import mock_secrets
        from smmock._intercept import hook as _hook

        def sm():
            return boto3.client("secretsmanager", region_name="us-east-1")

        @mock_secrets
        class TestShared(unittest.TestCase):
            @classmethod
            def setUpClass(cls):
                sm().create_secret(Name="shared", SecretString="s")

            def test_reads(self):
                assert sm().get_secret_value(SecretId="shared")["SecretString"] == "s"

        @mock_secrets
        class TestBroken(unittest.TestCase):
            @classmethod
            def setUpClass(cls):
                raise RuntimeError("broken setUpClass")

            def test_never(self):
                pass

        def test_after():
            assert _hook.active_backend() is None
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*RuntimeError: broken setUpClass*"])


# -- pytest classes --------------------------------------------------------------------------


def test_setup_method_and_teardown_method_share_the_tests_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        from smmock import mock_secrets
        from smmock._intercept import hook as _hook

        def sm():
            return boto3.client("secretsmanager", region_name="us-east-1")

        def names():
            return [s["Name"] for s in sm().list_secrets()["SecretList"]]

        SEEN = []

        @mock_secrets(region="eu-west-1")
        class TestSeeded:
            def setup_method(self, method):
                self.arn = sm().create_secret(
                    Name=method.__name__, SecretString="seeded"
                )["ARN"]

            def teardown_method(self):  # pytest passes the method only if asked for
                SEEN.append(names())

            def test_one(self):
                assert sm().get_secret_value(SecretId="test_one")["SecretString"] == "seeded"
                assert ":us-east-1:" in self.arn
                sm().create_secret(Name="extra", SecretString="x")

            def test_two(self):
                assert names() == ["test_two"]  # a fresh state for every test

        def test_after():
            assert SEEN == [["test_one", "extra"], ["test_two"]]
            assert _hook.active_backend() is None
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=3)


def test_setup_class_seeds_what_every_test_sees(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        from smmock import mock_secrets
        from smmock._intercept import hook as _hook

        def sm():
            return boto3.client("secretsmanager", region_name="us-east-1")

        def names():
            return [s["Name"] for s in sm().list_secrets()["SecretList"]]

        SEEN = []

        @mock_secrets
        class TestShared:
            @classmethod
            def setup_class(cls):
                sm().create_secret(Name="class-wide", SecretString="c")

            def setup_method(self):
                sm().create_secret(Name="per-test", SecretString="p")

            def teardown_method(self):
                sm().delete_secret(SecretId="per-test", ForceDeleteWithoutRecovery=True)

            def test_one(self):
                assert names() == ["class-wide", "per-test"]
                sm().create_secret(Name="from-one", SecretString="1")

            def test_two(self):
                assert names() == ["class-wide", "from-one", "per-test"]

            @classmethod
            def teardown_class(cls):
                SEEN.append(names())

        @mock_secrets
        class TestOther:
            @classmethod
            def setup_class(cls):
                SEEN.append(names())  # another class, another state

            def test_nothing_leaked(self):
                assert names() == []

        def test_after():
            assert SEEN == [["class-wide", "from-one"], []]
            assert _hook.active_backend() is None
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=4)


def test_failing_hooks_stop_their_mocks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from smmock import mock_secrets
        from smmock._intercept import hook as _hook

        @mock_secrets
        class TestBrokenMethod:
            def setup_method(self):
                raise RuntimeError("broken setup_method")

            def test_never(self):
                pass

        @mock_secrets
        class TestBrokenClass:
            @classmethod
            def setup_class(cls):
                raise RuntimeError("broken setup_class")

            def test_never(self):
                pass

        @mock_secrets
        class TestBrokenTeardown:
            def setup_method(self):
                pass

            def teardown_method(self):
                raise RuntimeError("broken teardown_method")

            def test_runs(self):
                assert _hook.active_backend() is not None

        def test_after():
            assert _hook.active_backend() is None
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=2, errors=3)


def test_hooks_called_by_hand_outside_pytest() -> None:
    calls: list[str] = []

    @mock_secrets
    class Tests:
        def setup_method(self, method: Any) -> None:
            calls.append(f"setup {method.__name__}")
            sm().create_secret(Name="seeded", SecretString="v")

        def test_reads(self) -> str:
            return str(sm().get_secret_value(SecretId="seeded")["SecretString"])

        @staticmethod
        def setup_class() -> None:
            calls.append("setup_class")

    tests = Tests()
    Tests.setup_class()
    tests.setup_method(tests.test_reads)
    assert tests.test_reads() == "v"
    tests.teardown_method(tests.test_reads)  # type: ignore[attr-defined]  # the decorator's
    assert _hook.active_backend() is not None  # setup_class's mock is still on
    Tests.teardown_class()  # type: ignore[attr-defined]  # added by the decorator
    assert _hook.active_backend() is None
    assert calls == ["setup_class", "setup test_reads"]
