"""Client set-up speedups (``smmock._intercept.speedups``) and the optional ``skip_signing`` mode.

The speedups must change nothing but set-up time: aliased event names still route,
handlers stay per client, shared data is shared only while valid, clients made inside a
mock work after it stops, the patches come off with the outermost mock, and
``SMMOCK_SPEEDUPS=0`` installs none. ``skip_signing`` must send Secrets Manager requests
without SigV4 only while the innermost activation asks for it.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import boto3.session
import botocore
import botocore.client
import botocore.endpoint
import botocore.hooks
import botocore.session
import botocore.utils
import pytest
from botocore.awsrequest import AWSPreparedRequest
from botocore.stub import Stubber

from smmock import MockSecrets, mock_secrets
from smmock._intercept import hook as _hook
from smmock._intercept import speedups as _speedups
from tests.test_interception import capture_requests
from tests.test_plugin import ARGS

FAKE_KEY = "AKIAIOSFODNN7EXAMPLE"
# Every attribute a speedup replaces while a mock is active.
PATCHED = (
    (botocore.hooks.EventAliaser, "__copy__"),
    (botocore.client.ClientCreator, "_load_service_model"),
    (botocore.hooks._PrefixTrie, "__copy__"),  # type: ignore[attr-defined]
    (botocore.endpoint.EndpointCreator, "_get_proxies"),
)
ON = [False] * len(PATCHED)
OFF = [True] * len(PATCHED)
URL = "https://secretsmanager.us-east-1.amazonaws.com"

pytestmark = pytest.mark.usefixtures("clean_aws_env")


def originals() -> list[Any]:
    return [vars(owner)[name] for owner, name in PATCHED]


def unchanged(before: list[Any]) -> list[bool]:
    """For each patched attribute, whether it is the very object it was in ``before``."""
    return [now is then for now, then in zip(originals(), before, strict=True)]


def sm(session: Any = None, region: str = "us-east-1") -> Any:
    """A Secrets Manager client of ``session`` (default: boto3's default session)."""
    if session is None:
        return boto3.client("secretsmanager", region_name=region)
    return session.client("secretsmanager", region_name=region)


def event_recorder() -> tuple[list[str], Callable[..., None]]:
    """A handler that records the names of the events it gets, and its record."""
    fired: list[str] = []

    def on_event(event_name: str, **_kwargs: Any) -> None:
        fired.append(event_name)

    return fired, on_event


def authorization(request: AWSPreparedRequest) -> str | None:
    value = request.headers.get("Authorization")
    return value.decode() if isinstance(value, bytes) else value


def lists_of(node: Any) -> Iterator[list[Any]]:
    """Every handler list in a trie (as dicts), depth first."""
    if node["values"] is not None:
        yield from node["values"]
    for child in node["children"].values():
        yield from lists_of(child)


@pytest.fixture
def speedups_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_speedups.ENV_VAR, raising=False)


# -- installing and removing ------------------------------------------------------------------


@pytest.mark.usefixtures("speedups_on")
def test_patches_are_on_while_active_and_identical_after_the_outermost_stop() -> None:
    before = originals()
    with mock_secrets():
        during = originals()
        assert [function.__module__ for function in during] == ["smmock._intercept.speedups"] * len(
            PATCHED
        )
        assert unchanged(before) == ON
        with mock_secrets(region="eu-west-1"):
            assert originals() == during
        assert originals() == during  # an inner stop leaves them on
    assert unchanged(before) == OFF


@pytest.mark.parametrize("value", ["0", "false", "No", " off "])
def test_smmock_speedups_off_installs_nothing(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(_speedups.ENV_VAR, value)
    before = originals()
    with mock_secrets():
        assert unchanged(before) == OFF
        client = sm()
        client.create_secret(Name="plain", SecretString="v")
        assert client.get_secret_value(SecretId="plain")["SecretString"] == "v"
    assert unchanged(before) == OFF


@pytest.mark.parametrize(("value", "on"), [(None, True), ("1", True), ("yes", True), ("0", False)])
def test_enabled_reads_the_variable(monkeypatch: pytest.MonkeyPatch, value: Any, on: bool) -> None:
    if value is None:
        monkeypatch.delenv(_speedups.ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(_speedups.ENV_VAR, value)
    assert _speedups.enabled() is on


@pytest.mark.usefixtures("speedups_on")
def test_the_variable_is_read_when_the_outermost_mock_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = originals()
    with mock_secrets():
        monkeypatch.setenv(_speedups.ENV_VAR, "0")
        with mock_secrets():
            assert unchanged(before) == ON
    with mock_secrets():
        assert unchanged(before) == OFF


def test_a_changed_botocore_skips_only_that_speedup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_speedups.ENV_VAR, raising=False)
    monkeypatch.setattr(_speedups, "_supported", None)  # detect again, on this "botocore"
    original_load = vars(botocore.client.ClientCreator)["_load_service_model"]

    def load(self: Any, *args: Any, **kwargs: Any) -> Any:  # another signature
        return original_load(self, *args, **kwargs)

    def broken() -> Any:
        raise AttributeError("botocore.hooks has changed")

    monkeypatch.setattr(botocore.client.ClientCreator, "_load_service_model", load)
    monkeypatch.setattr(_speedups, "_alias_patch", broken)
    before = originals()
    with mock_secrets():
        during = originals()
        assert during[0] is before[0]
        assert during[1] is load
        assert [function.__module__ for function in during[2:]] == [
            "smmock._intercept.speedups"
        ] * 2
        client = sm()
        client.create_secret(Name="still", SecretString="works")
        assert client.get_secret_value(SecretId="still")["SecretString"] == "works"
    assert unchanged(before) == OFF


def test_an_attribute_gone_since_detection_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_speedups.ENV_VAR, raising=False)

    class Owner:
        pass

    monkeypatch.setattr(_speedups, "_supported", [(Owner, "missing", lambda original: original)])
    undo: list[Any] = []
    _speedups.install(undo)
    assert undo == []
    assert "missing" not in vars(Owner)


class _NoCopy:
    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        pass


class _NoCache(_NoCopy):
    def __copy__(self) -> Any:
        return self


def _reversed_trie_copy(self: Any) -> Any:
    return type(self)()  # an empty copy: disagrees with ours on the probe


BREAKAGES: dict[str, tuple[str, Any, str, Any]] = {
    "no EventAliaser": ("_alias_patch", botocore.hooks, "EventAliaser", None),
    "EventAliaser without __copy__": ("_alias_patch", botocore.hooks, "EventAliaser", _NoCopy),
    "EventAliaser without a memo": ("_alias_patch", botocore.hooks, "EventAliaser", _NoCache),
    "no _load_service_model": (
        "_model_patch",
        botocore.client,
        "ClientCreator",
        type("ClientCreator", (), {}),
    ),
    "ServiceModel keeps other attributes": (
        "_model_patch",
        botocore.model,
        "ServiceModel",
        _NoCopy,
    ),
    "no _PrefixTrie": ("_trie_patch", botocore.hooks, "_PrefixTrie", None),
    "no NodeList": ("_trie_patch", _speedups, "_NodeList", None),
    "a trie copy unlike ours": (
        "_trie_patch",
        botocore.hooks._PrefixTrie,  # type: ignore[attr-defined]
        "__copy__",
        _reversed_trie_copy,
    ),
    "a copy that shares lists": (
        "_trie_patch",
        _speedups,
        "_fast_trie_copy",
        lambda original: lambda self: self,
    ),
    "another _get_proxies": (
        "_proxies_patch",
        botocore.endpoint.EndpointCreator,
        "_get_proxies",
        lambda self, url, extra=None: {},
    ),
    "proxies from elsewhere": ("_proxies_patch", botocore.utils, "getproxies", dict),
}


@pytest.mark.parametrize("case", BREAKAGES.values(), ids=list(BREAKAGES))
def test_detection_refuses_internals_it_does_not_know(
    monkeypatch: pytest.MonkeyPatch, case: tuple[str, Any, str, Any]
) -> None:
    check, owner, name, replacement = case
    assert getattr(_speedups, check)() is not None
    monkeypatch.setattr(owner, name, replacement)
    assert getattr(_speedups, check)() is None


NODES: dict[str, Any] = {
    "not a dict": ["chunk", {}, None],
    "other keys": {"chunk": None, "children": {}, "handlers": None},
    "children not a dict": {"chunk": None, "children": [], "values": None},
    "values not a NodeList": {"chunk": None, "children": {}, "values": ([], [], [])},
    "handlers not in lists": {
        "chunk": None,
        "children": {},
        "values": botocore.hooks.NodeList([], (), []),
    },
}


@pytest.mark.parametrize("node", NODES.values(), ids=list(NODES))
def test_unknown_trie_nodes_are_refused(node: Any) -> None:
    with pytest.raises(_speedups._Unexpected):
        _speedups._copy_node({"chunk": None, "children": {"x": node}, "values": None})


def test_wrappers_hand_back_what_botocore_made_when_unsure() -> None:
    slotted = object()  # no __dict__
    assert _speedups._fast_trie_copy(lambda self: "botocore's")(slotted) == "botocore's"
    assert _speedups._sharing_alias_cache(lambda self: self)(slotted) is slotted
    made = object()
    load = _speedups._sharing_service_model(lambda *_args: made)
    assert load(None, "secretsmanager") is made
    assert load(None, "secretsmanager", "2017-10-17") is made
    assert "2017-10-17" not in _speedups._models


# -- event-name aliases -----------------------------------------------------------------------


@pytest.mark.usefixtures("speedups_on")
def test_handlers_on_old_event_names_still_fire() -> None:
    fired, on_call = event_recorder()
    session = boto3.session.Session()
    session.events.register("before-call.secretsmanager.ListSecrets", on_call)
    with mock_secrets():
        first, second = sm(session), sm(session)
        second.meta.events.register("before-call.secretsmanager", on_call)
        first.list_secrets()
        second.list_secrets()
    assert fired == [
        "before-call.secrets-manager.ListSecrets",
        "before-call.secrets-manager.ListSecrets",
        "before-call.secrets-manager.ListSecrets",
    ]


@pytest.mark.usefixtures("speedups_on")
def test_clients_share_their_sessions_alias_memo() -> None:
    session = boto3.session.Session()
    source: Any = session._session._events  # type: ignore[attr-defined]
    with mock_secrets():
        first, second = sm(session), sm(session)
        first.list_secrets()
    assert first.meta.events._alias_name_cache is source._alias_name_cache
    assert second.meta.events._alias_name_cache is source._alias_name_cache
    # What the first client worked out is there for the second (and for the session).
    assert source._alias_name_cache["before-call.secrets-manager.ListSecrets"] == (
        "before-call.secrets-manager.ListSecrets"
    )
    # Outside a mock, botocore's own copy: a fresh memo per client.
    assert sm(session).meta.events._alias_name_cache is not source._alias_name_cache


@pytest.mark.usefixtures("speedups_on")
def test_a_copy_with_another_alias_table_gets_its_own_memo() -> None:
    class Numbered(botocore.hooks.EventAliaser):
        """Each instance gets a different alias table, so no memo is valid for two."""

        count = 0

        def __init__(self, emitter: Any, aliases: Any = None) -> None:
            Numbered.count += 1
            super().__init__(emitter, {"numbered": f"number-{Numbered.count}"})

    source: Any = Numbered(botocore.hooks.HierarchicalEmitter())
    source._alias_event_name("before-call.numbered")
    same: Any = botocore.hooks.EventAliaser(botocore.hooks.HierarchicalEmitter())
    with mock_secrets():
        other = copy.copy(source)
        twin = copy.copy(same)
    assert other._alias_name_cache is not source._alias_name_cache
    assert other._alias_event_name("before-call.numbered") == "before-call.number-2"
    assert source._alias_event_name("before-call.numbered") == "before-call.number-1"
    assert twin._alias_name_cache is same._alias_name_cache


# -- Secrets Manager's ServiceModel -----------------------------------------------------------


@pytest.mark.usefixtures("speedups_on")
def test_clients_of_one_session_share_the_secrets_manager_model_only() -> None:
    session = boto3.session.Session(region_name="us-east-1")
    other_session = boto3.session.Session(region_name="us-east-1")
    with mock_secrets():
        first, second = sm(session), sm(session)
        elsewhere = sm(other_session)
        again = sm(session)
        sts_one, sts_two = session.client("sts"), session.client("sts")
    shared = first.meta.service_model
    # Each client its own model and operation models, sharing what the JSON gives.
    assert second.meta.service_model is not shared
    theirs = shared.operation_model("ListSecrets")
    mine = second.meta.service_model.operation_model("ListSecrets")
    assert mine is not theirs
    assert (mine.service_model, theirs.service_model) == (second.meta.service_model, shared)
    assert mine.input_shape is theirs.input_shape
    # Another session loaded its own JSON: its own models, which then replace the memo;
    # a later client of the first session starts a new memo from its JSON again.
    elsewhere_shape = elsewhere.meta.service_model.operation_model("ListSecrets").input_shape
    again_shape = again.meta.service_model.operation_model("ListSecrets").input_shape
    assert elsewhere_shape is not theirs.input_shape
    assert again_shape is not elsewhere_shape
    assert again_shape is not theirs.input_shape
    assert again.meta.service_model._service_description is shared._service_description
    # Other services and clients made outside a mock: botocore's model per client.
    assert sts_one.meta.service_model is not sts_two.meta.service_model
    assert sm(session).meta.service_model is not again.meta.service_model
    assert shared.operation_names == sm(session).meta.service_model.operation_names


@pytest.mark.usefixtures("speedups_on")
def test_what_one_client_sets_on_its_model_stays_its_own() -> None:
    with mock_secrets():
        first = sm()
        first.meta.service_model.signature_version = "v4a"
        second = sm()
        assert first.meta.service_model.signature_version == "v4a"
        assert second.meta.service_model.signature_version == "v4"
        for client in (first, second):
            # Through its operation models too, which botocore reads on every call.
            operation = client.meta.service_model.operation_model("ListSecrets")
            assert operation.service_model is client.meta.service_model
        assert (
            first.meta.service_model.operation_model(
                "GetSecretValue"
            ).service_model.signature_version
            == "v4a"
        )
        assert second.list_secrets()["SecretList"] == []


# -- the handler trie -------------------------------------------------------------------------


@pytest.mark.usefixtures("speedups_on")
def test_the_trie_copy_equals_botocores() -> None:
    session: Any = botocore.session.get_session()
    trie = session._events._emitter._handlers
    expected = trie._recursive_copy(vars(trie))
    with mock_secrets():
        copied = copy.copy(trie)
    assert type(copied) is type(trie)
    assert vars(copied) == expected
    theirs, ours = list(lists_of(vars(trie)["_root"])), list(lists_of(vars(copied)["_root"]))
    assert len(ours) == len(theirs) > 100
    assert not {id(a) for a in ours} & {id(b) for b in theirs}
    assert vars(copied)["_root"] is not vars(trie)["_root"]


@pytest.mark.usefixtures("speedups_on")
def test_a_trie_of_another_layout_gets_botocores_copy() -> None:
    emitter = botocore.hooks.HierarchicalEmitter()
    emitter.register("before-call.secrets-manager", _noop)
    trie: Any = vars(emitter)["_handlers"]
    vars(trie)["_root"]["children"]["before-call"]["note"] = "kept"
    with mock_secrets():
        copied = copy.copy(trie)
    assert vars(copied) == trie._recursive_copy(vars(trie))
    assert vars(copied)["_root"]["children"]["before-call"]["note"] == "kept"
    trie.extra = "state"
    with mock_secrets():
        assert copy.copy(trie).extra == "state"


@pytest.mark.usefixtures("speedups_on")
def test_a_handler_registered_on_one_client_does_not_fire_on_another() -> None:
    fired, on_call = event_recorder()
    session = boto3.session.Session()
    with mock_secrets():
        first, second = sm(session), sm(session)
        first.meta.events.register("before-call.secrets-manager.ListSecrets", on_call)
        second.list_secrets()
        assert fired == []
        session.events.register("before-call.secrets-manager.ListSecrets", on_call)
        second.list_secrets()  # made before the session's registration
        assert fired == []
        first.list_secrets()
        sm(session).list_secrets()
    assert fired == [
        "before-call.secrets-manager.ListSecrets",
        "before-call.secrets-manager.ListSecrets",
    ]


# -- proxies from the environment -------------------------------------------------------------


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)


@pytest.mark.usefixtures("speedups_on", "no_proxies")
def test_proxies_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    creator = botocore.endpoint.EndpointCreator(botocore.hooks.HierarchicalEmitter())
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy-one:3128")
    with mock_secrets():
        first = creator._get_proxies(URL)  # type: ignore[attr-defined]
        again = creator._get_proxies(URL)  # type: ignore[attr-defined]
        assert first == again == {"https": "http://proxy-one:3128"}
        first["https"] = again["https"] = "changed by its user"
        assert creator._get_proxies(URL) == {"https": "http://proxy-one:3128"}  # type: ignore[attr-defined]
        monkeypatch.setenv("HTTPS_PROXY", "http://proxy-two:3128")
        client = sm()
        assert client._endpoint.http_session._proxy_config.proxy_url_for(URL) == (
            "http://proxy-two:3128"
        )
        monkeypatch.setenv("NO_PROXY", "amazonaws.com")
        assert creator._get_proxies(URL) == {}  # type: ignore[attr-defined]
        monkeypatch.delenv("NO_PROXY")
        monkeypatch.delenv("HTTPS_PROXY")
        assert creator._get_proxies(URL) == {}  # type: ignore[attr-defined]


@pytest.mark.usefixtures("speedups_on", "no_proxies")
def test_proxies_come_from_botocore_when_it_asks_someone_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    creator = botocore.endpoint.EndpointCreator(botocore.hooks.HierarchicalEmitter())
    with mock_secrets():
        assert creator._get_proxies(URL) == {}  # type: ignore[attr-defined]
        monkeypatch.setattr(botocore.utils, "getproxies", lambda: {"https": "http://system:8080"})
        assert creator._get_proxies(URL) == {"https": "http://system:8080"}  # type: ignore[attr-defined]


def test_the_proxy_memo_stays_small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_speedups, "_proxies", {})
    get = _speedups._remembering_proxies(lambda self, url: {"https": url})
    for index in range(_speedups._PROXIES_KEPT + 1):
        assert get(None, f"https://host-{index}") == {"https": f"https://host-{index}"}
    assert list(_speedups._proxies) == [f"https://host-{_speedups._PROXIES_KEPT}"]
    assert _speedups._remembering_proxies(lambda self, url: None)(None, "https://x") is None
    assert "https://x" not in _speedups._proxies


# -- clients made inside a mock, after it stops -----------------------------------------------


@pytest.mark.usefixtures("speedups_on")
def test_a_client_made_inside_works_with_a_stubber_after_stop() -> None:
    with mock_secrets():
        client = sm()
        client.create_secret(Name="inside", SecretString="mocked")
    with Stubber(client) as stubber:
        stubber.add_response(
            "get_secret_value",
            {"Name": "inside", "SecretString": "stubbed"},
            {"SecretId": "inside"},
        )
        assert client.get_secret_value(SecretId="inside")["SecretString"] == "stubbed"
        stubber.assert_no_pending_responses()


@pytest.mark.usefixtures("speedups_on")
def test_a_client_made_inside_works_with_a_before_send_handler_after_stop() -> None:
    with mock_secrets():
        client = sm(region="eu-west-1")
        client.list_secrets()
    seen = capture_requests(client)

    def canned(request: AWSPreparedRequest, **_kwargs: Any) -> Any:
        return _hook.MockResponse(request.url, 200, b'{"Name": "canned", "SecretString": "c"}')

    # On the old event name: the alias memo the client shares still routes it.
    client.meta.events.register("before-send.secretsmanager", canned)
    answer = client.get_secret_value(SecretId="anything")
    assert (answer["Name"], answer["SecretString"]) == ("canned", "c")
    assert seen[0].url == "https://secretsmanager.eu-west-1.amazonaws.com/"
    assert (authorization(seen[0]) or "").startswith(f"AWS4-HMAC-SHA256 Credential={FAKE_KEY}/")


# -- skip_signing -----------------------------------------------------------------------------


def test_requests_are_signed_by_default() -> None:
    with mock_secrets():
        client = sm()
        seen = capture_requests(client)
        client.list_secrets()
    assert (authorization(seen[0]) or "").startswith(f"AWS4-HMAC-SHA256 Credential={FAKE_KEY}/")


def test_skip_signing_sends_no_authorization_and_keeps_the_region() -> None:
    signers: list[Any] = []

    def before_sign(signature_version: Any, **_kwargs: Any) -> None:
        signers.append(signature_version)

    with mock_secrets(skip_signing=True) as backend:
        client = sm(region="ap-southeast-2")
        seen = capture_requests(client)
        client.meta.events.register("before-sign.secrets-manager", before_sign)
        arn = client.create_secret(Name="quick", SecretString="v")["ARN"]
        assert client.get_secret_value(SecretId="quick")["SecretString"] == "v"
        assert [(s.region, s.name) for s in backend.all_secrets()] == [("ap-southeast-2", "quick")]
    assert arn.startswith("arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:quick-")
    assert [authorization(request) for request in seen] == [None, None]
    assert ["X-Amz-Date" in request.headers for request in seen] == [False, False]
    # botocore's own unsigned path: before-sign still runs, told there is no signer.
    assert signers == [botocore.UNSIGNED, botocore.UNSIGNED]


def test_the_innermost_activation_decides_signing() -> None:
    with mock_secrets(skip_signing=True):
        client = sm()
        seen = capture_requests(client)

        def signed() -> bool:
            client.list_secrets()
            return (authorization(seen[-1]) or "").startswith("AWS4-HMAC-SHA256 ")

        assert signed() is False
        with mock_secrets():
            assert signed() is True
            with mock_secrets(skip_signing=True):
                assert signed() is False
            assert signed() is True
        assert signed() is False
    with mock_secrets():
        assert signed() is True
    assert len(seen) == 6


def test_skip_signing_reaches_a_client_without_smmock_handlers() -> None:
    # What a client made before `import smmock` looks like: its calls are neither marked
    # by before-call nor answered by choose-signer, so the sign patch must skip signing.
    factory: Any = boto3.client  # the stubs only accept literal service names
    client = factory(
        "secretsmanager",
        region_name="eu-central-1",
        aws_access_key_id="AKIAUSERSOWNKEY00000",
        aws_secret_access_key="users-own-secret",
    )
    for event, handler in _hook._HANDLERS:
        client.meta.events.unregister(event, handler)
    seen = capture_requests(client)
    with mock_secrets(skip_signing=True) as backend:
        client.create_secret(Name="bare", SecretString="v")
        assert [s.name for s in backend.secrets(region="eu-central-1")] == ["bare"]
    with mock_secrets():
        client.list_secrets()
    assert authorization(seen[0]) is None
    assert (authorization(seen[1]) or "").startswith(f"AWS4-HMAC-SHA256 Credential={FAKE_KEY}/")


def test_a_decorated_function_keeps_skip_signing() -> None:
    @mock_secrets(skip_signing=True)
    def body() -> str | None:
        client = sm()
        seen = capture_requests(client)
        client.list_secrets()
        return authorization(seen[0])

    assert body() is None
    assert body() is None


def test_skip_signing_must_be_a_bool() -> None:
    with pytest.raises(TypeError) as info:
        MockSecrets(skip_signing="yes")  # type: ignore[arg-type]
    assert str(info.value) == "skip_signing must be True or False, not 'yes'."


def test_the_marker_takes_skip_signing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest

        def authorization(sm_backend):
            client = boto3.client("secretsmanager", region_name="us-east-1")
            seen = []
            client.meta.events.register_last(
                "request-created.secrets-manager", lambda request, **_: seen.append(request)
            )
            client.list_secrets()
            return seen[0].headers.get("Authorization")

        @pytest.mark.smmock(skip_signing=True)
        def test_unsigned(sm_backend):
            assert authorization(sm_backend) is None

        @pytest.mark.smmock(region="eu-west-1")
        def test_signed(sm_backend):
            assert authorization(sm_backend).startswith("AWS4-HMAC-SHA256 ")

        @pytest.mark.smmock(skip_signing="yes")
        def test_bad_value(sm_backend):
            pass
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*TypeError: skip_signing must be True or False, not 'yes'."])


def _noop(**_kwargs: Any) -> None:
    return None
