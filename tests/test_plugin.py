"""The pytest plugin: entry point, ``sm_backend`` fixture and ``smmock`` marker (pytester)."""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Iterator

import pytest

from smmock._intercept import hook as _hook

# hypothesis's plugin imports hypothesis in every inner run (seconds each); not needed.
FRESH_ARGS = (
    "-p",
    "no:cacheprovider",
    "-p",
    "no:hypothesispytest",
    "--strict-markers",
    "-W",
    "error",
)
# In-process runs find smmock already imported by this session, which pytest reports
# while marking the entry point's package for assertion rewriting; a fresh process
# (test_the_plugin_loads_in_a_fresh_process) shows real runs do not warn.
ARGS = (*FRESH_ARGS, "-W", "ignore::pytest.PytestAssertRewriteWarning")


@pytest.fixture(autouse=True)
def aws_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No AWS settings from the machine running the tests (inherited by subprocesses)."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    empty = tmp_path_factory.mktemp("aws") / "empty"
    empty.write_text("")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    yield
    assert _hook.active_backend() is None, "a test left smmock active"


def test_entry_point_is_declared() -> None:
    points = importlib.metadata.entry_points(group="pytest11")
    assert [(p.name, p.value) for p in points if p.name == "smmock"] == [
        ("smmock", "smmock.plugin")
    ]


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers", *ARGS)
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.smmock(account_id='123456789012', region=None, skip_signing=False, "
            "seed=None, state=None, allowed_actions=None, caller_arn=None, "
            "strict_rotation=False, config=None): mock Secrets Manager for the test, with "
            "these options (the sm_backend fixture hands over its backend)"
        ]
    )


def test_fixture_yields_the_active_backend(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os
        import boto3
        from smmock import SecretsBackend
        from smmock._intercept import hook as _hook

        def test_active(sm_backend):
            assert isinstance(sm_backend, SecretsBackend)
            assert _hook.active_backend() is sm_backend
            assert (sm_backend.account_id, sm_backend.region) == ("123456789012", "us-east-1")
            assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAIOSFODNN7EXAMPLE"
            assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
            sm_backend.create_secret("seeded", "value")
            client = boto3.client("secretsmanager")
            assert client.get_secret_value(SecretId="seeded")["SecretString"] == "value"

        def test_fresh_state(sm_backend):
            assert sm_backend.all_secrets() == []
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=2)
    assert "AWS_ACCESS_KEY_ID" not in os.environ


def test_marker_configures_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os
        import boto3
        import pytest

        pytestmark = pytest.mark.smmock(region="eu-west-1")

        @pytest.mark.smmock(account_id="210987654321")
        def test_module_region_and_function_account(sm_backend):
            assert (sm_backend.account_id, sm_backend.region) == ("210987654321", "eu-west-1")
            assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"
            arn = boto3.client("secretsmanager").create_secret(
                Name="marked", SecretString="v"
            )["ARN"]
            assert arn.startswith("arn:aws:secretsmanager:eu-west-1:210987654321:secret:marked-")

        @pytest.mark.smmock(region="ap-south-1")
        class TestClassMarker:
            @pytest.mark.smmock(region="sa-east-1")
            def test_closest_marker_wins(self, sm_backend):
                assert sm_backend.region == "sa-east-1"

            def test_class_marker(self, sm_backend):
                assert sm_backend.region == "ap-south-1"
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=3)


def test_bad_marker_options_fail_with_a_message(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.smmock(bogus=1, region="eu-west-1")
        def test_unknown_option(sm_backend):
            pass

        @pytest.mark.smmock("eu-west-1")
        def test_positional(sm_backend):
            pass

        @pytest.mark.smmock(account_id="1234")
        def test_bad_account(sm_backend):
            pass

        @pytest.mark.smmock(region="")
        def test_bad_region(sm_backend):
            pass
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(errors=4)
    result.stdout.fnmatch_lines(
        [
            "*UsageError: @pytest.mark.smmock got unknown option(s) bogus; "
            "it accepts account_id, region, skip_signing, seed, state, allowed_actions, "
            "caller_arn, strict_rotation, config.",
            "*UsageError: @pytest.mark.smmock takes keyword arguments only, e.g. "
            "@pytest.mark.smmock(region='eu-west-1').",
            "*ValueError: account_id must be a string of 12 digits, not '1234'.",
            "*ValueError: region must be a region name such as 'us-east-1' (lowercase words and a "
            "number, joined by '-'), not ''.",
        ]
    )


def test_tests_without_the_fixture_are_unaffected(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os
        from botocore.awsrequest import AWSPreparedRequest
        from smmock._intercept import hook as _hook

        def test_untouched(request):
            # The plugin is loaded (so smmock's handlers are registered) but inert.
            assert request.config.pluginmanager.has_plugin("smmock")
            assert _hook.active_backend() is None
            assert "AWS_ACCESS_KEY_ID" not in os.environ
            assert "AWS_DEFAULT_REGION" not in os.environ
            probe = AWSPreparedRequest(
                "POST", "https://secretsmanager.us-east-1.amazonaws.com/",
                {"X-Amz-Target": "secretsmanager.ListSecrets"}, b"{}", False,
            )
            assert _hook.before_send(request=probe) is None
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=1)


def test_the_plugin_loads_in_a_fresh_process(pytester: pytest.Pytester) -> None:
    # In a new interpreter nothing has imported smmock: the entry point must do it, before
    # the test module builds a client at import time.
    pytester.makepyfile(
        """
        import sys
        import boto3

        assert "smmock.plugin" in sys.modules
        CLIENT = boto3.client("secretsmanager", region_name="us-east-1")

        def test_module_level_client(sm_backend):
            sm_backend.create_secret("early", "v")
            assert CLIENT.get_secret_value(SecretId="early")["SecretString"] == "v"
        """
    )
    result = pytester.runpytest_subprocess(*FRESH_ARGS)
    result.assert_outcomes(passed=1)


def test_the_plugin_can_be_disabled(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_needs_fixture(sm_backend):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:smmock", *ARGS)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'sm_backend' not found*"])


def test_the_marker_alone_mocks_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os
        import boto3
        import pytest
        from smmock._intercept import hook as _hook
        from smmock._intercept.state import state

        @pytest.fixture
        def seeded():
            # A function-scoped fixture runs inside the marker's mock too.
            client = boto3.client("secretsmanager")
            return client.create_secret(Name="from-fixture", SecretString="f")["ARN"]

        @pytest.mark.smmock(account_id="210987654321", region="eu-west-1")
        def test_marked_without_the_fixture(seeded):
            assert seeded.startswith(
                "arn:aws:secretsmanager:eu-west-1:210987654321:secret:from-fixture-"
            )
            client = boto3.client("secretsmanager")
            assert client.get_secret_value(SecretId="from-fixture")["SecretString"] == "f"
            assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAIOSFODNN7EXAMPLE"
            assert len(state.stack) == 1

        @pytest.mark.smmock(region="ap-south-1")
        def test_marked_with_the_fixture(sm_backend):
            # The fixture hands over the marker's mock rather than starting another.
            assert _hook.active_backend() is sm_backend
            assert len(state.stack) == 1
            assert (sm_backend.account_id, sm_backend.region) == ("123456789012", "ap-south-1")
            assert sm_backend.all_secrets() == []  # nothing left from the previous test

        def test_unmarked():
            assert _hook.active_backend() is None
            assert "AWS_ACCESS_KEY_ID" not in os.environ
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=3)
    assert "AWS_ACCESS_KEY_ID" not in os.environ


def test_a_module_marker_mocks_every_test_of_the_module(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest

        pytestmark = pytest.mark.smmock(region="eu-west-1")

        def test_one():
            client = boto3.client("secretsmanager")
            client.create_secret(Name="one", SecretString="1")
            assert [s["Name"] for s in client.list_secrets()["SecretList"]] == ["one"]

        def test_two():
            client = boto3.client("secretsmanager")
            assert client.list_secrets()["SecretList"] == []
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=2)


ROTATION_TESTS = """
import boto3
import pytest

ARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate"


def failing(event, context):
    if event["Step"] == "setSecret":
        raise RuntimeError("the database said no")


def rotate(backend):
    backend.register_rotation_function(ARN, failing)
    client = boto3.client("secretsmanager", region_name="us-east-1")
    client.create_secret(Name="db", SecretString="v1")
    client.rotate_secret(SecretId="db", RotationLambdaARN=ARN)
"""


def test_a_failed_rotation_warns_and_w_error_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        ROTATION_TESTS
        + """

def test_rotation(sm_backend):
    rotate(sm_backend)
"""
    )
    # Without -W error the test passes and pytest's summary shows the warning, at the
    # test's own line (a fresh process: this suite's contract checker wraps smmock)...
    plain = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")
    result = pytester.runpytest_subprocess(*plain)
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(
        [
            "*test_a_failed_rotation_warns_and_w_error_fails_the_test.py:16: "
            "RotationFailedWarning: Rotation of arn:aws:secretsmanager:us-east-1:"
            "123456789012:secret:db-* failed: the rotation function "
            "arn:aws:lambda:us-east-1:123456789012:function:rotate raised RuntimeError at "
            "step setSecret.*",
            '    client.rotate_secret(SecretId="db", RotationLambdaARN=ARN)',
        ]
    )
    # ...and -W error turns it into the test's failure, at the call that rotated.
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["E * smmock.exceptions.RotationFailedWarning: Rotation of *"])
    assert "the database said no" not in result.stdout.str()


def test_strict_rotation_fails_at_exit_unless_the_failures_were_read(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        ROTATION_TESTS
        + """

@pytest.mark.smmock(strict_rotation=True)
def test_unread(sm_backend):
    rotate(sm_backend)


@pytest.mark.smmock(strict_rotation=True)
def test_read(sm_backend):
    rotate(sm_backend)
    [failure] = sm_backend.rotation_failures
    assert failure.step == "setSecret"


@pytest.mark.smmock(strict_rotation=True)
def test_failing_itself(sm_backend):
    rotate(sm_backend)
    assert False, "the test's own failure"
"""
    )
    result = pytester.runpytest(*ARGS)
    # No warnings under strict_rotation: -W error would have failed test_read too.
    result.assert_outcomes(passed=2, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_unread*",
            "E * smmock.exceptions.RotationFailedError: 1 rotation failed while this "
            "strict_rotation mock was active, and the test never read "
            "backend.rotation_failures:",
            "E *   arn:aws:secretsmanager:us-east-1:123456789012:secret:db-* version * at "
            "setSecret: RuntimeError",
            "E * Read backend.rotation_failures to check failures the test expects (the "
            "exceptions are there), or fix the rotation function.",
        ]
    )
    result.stdout.fnmatch_lines(["FAILED *::test_failing_itself*"])
    assert "teardown of test_failing_itself" not in result.stdout.str()
