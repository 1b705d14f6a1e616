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
            "@pytest.mark.smmock(account_id='123456789012', region='us-east-1', "
            "skip_signing=False, seed=None, state=None, allowed_actions=None, "
            "caller_arn=None): "
            "configure the mock behind the sm_backend fixture"
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
            "caller_arn.",
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
