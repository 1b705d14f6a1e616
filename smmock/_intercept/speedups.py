"""Client set-up memoisation while a mock is active.

A test typically enters a mock, builds a fresh client and makes two or three calls. Most of
that time is botocore building the client and warming it up, and much of that work gives
the same result for every client of a session. While the outermost mock is active, four
class-level patches skip the repeats; each one hands a client exactly what botocore would
have built for it, so clients behave identically and only set-up gets faster:

* **Event-name aliases.** Every client copies its session's ``EventAliaser``, and the copy
  starts with an empty ``_alias_name_cache``, so each new client works out again, by
  scanning ~100 aliases, what each of the ~30 event names it emits is called now
  (``before-call.secretsmanager`` -> ``before-call.secrets-manager``). The answer depends
  only on the alias table, which the copy gets unchanged, so the copy shares its source's
  cache dict: a pure memo that only ever gains the same entries either would compute.
* **Secrets Manager's ``ServiceModel``.** ``ClientCreator._load_service_model`` wraps the
  loader's cached JSON in a new ``ServiceModel`` per client, so each client resolves its
  operation models and shapes again on its first calls. For ``secretsmanager`` only, a
  client gets a copy of the ``ServiceModel`` an earlier client got from the very same JSON
  dict (compared by identity, so a session with another loader or data path gets its
  own): its own object, so an attribute one client sets stays its own, sharing the memo
  of operation models.
  botocore never changes a ``ServiceModel`` after building it; its lazy caches are
  functions of the JSON. Other services are left alone: smmock serves only this one,
  large models (EC2, S3) would stay pinned in memory, and other libraries' handlers
  receive those models too.
* **The handler trie copy.** Each client deep-copies its session's handler trie
  (``_PrefixTrie.__copy__``): ~200 nodes with generic ``copy.copy`` calls per node and
  per list. The replacement builds the same nodes, ``NodeList`` objects and fresh lists
  directly, at about half the cost. Any node that does not have exactly the layout it
  knows makes it fall back to botocore's own copy.
* **Proxies from the environment.** Each client's endpoint asks urllib for its proxies,
  which scans every environment variable twice. Where urllib takes proxies from the
  environment alone (not on macOS or Windows, whose system settings can change at any
  time) and botocore calls its functions unchanged, the answer for a URL is kept with a
  copy of the environment it came from and reused, as a new dict, while
  ``os.environ`` is unchanged.

Each patch is installed only if the botocore internals it relies on are there and look as
expected (checked once per process, the trie copy by comparing both copies of a probe
trie); otherwise it is skipped silently. A patch wraps whatever the attribute held when the
outermost mock started and is removed when that mock stops. Clients made meanwhile keep
what they got, which is what botocore would have given them, so they go on working after
the mock ends: against real endpoints, botocore's ``Stubber`` or another mock.

Set ``SMMOCK_SPEEDUPS=0`` (also ``false``, ``no`` or ``off``; read when the outermost mock
starts) to install none of them.
"""

from __future__ import annotations

import inspect
import os
import urllib.request
from collections.abc import Callable
from typing import Any

import botocore.client
import botocore.endpoint
import botocore.hooks
import botocore.model
import botocore.utils

__all__ = ["ENV_VAR", "enabled", "install"]

ENV_VAR = "SMMOCK_SPEEDUPS"
_OFF = frozenset({"0", "false", "no", "off"})
_SERVICE = "secretsmanager"

Undo = Callable[[], None]
# (class, attribute, factory): the factory gets the attribute's current value and returns
# the replacement that wraps it.
_Patch = tuple[type, str, Callable[[Any], Any]]

# Which patches this botocore supports; worked out on the first install.
_supported: list[_Patch] | None = None
# Secrets Manager's ServiceModel by API version, kept across activations: a test's
# client is made inside a mock that stops before the next one starts.
_models: dict[str | None, botocore.model.ServiceModel] = {}


def enabled() -> bool:
    """Whether ``SMMOCK_SPEEDUPS`` allows the speedups (they are on unless it says off)."""
    return os.environ.get(ENV_VAR, "").strip().lower() not in _OFF


def install(undo: list[Undo]) -> None:
    """Install every speedup this botocore supports, unless ``SMMOCK_SPEEDUPS`` is off.

    Parameters:
        undo: receives one callable per patch that puts the attribute back.
    """
    if not enabled():
        return
    global _supported
    if _supported is None:
        _supported = _detect()
    for owner, name, factory in _supported:
        original = owner.__dict__.get(name)
        if original is None:  # removed since detection: nothing to wrap
            continue
        setattr(owner, name, factory(original))
        undo.append(_restore(owner, name, original))


def _restore(owner: type, name: str, original: Any) -> Undo:
    def undo() -> None:
        setattr(owner, name, original)

    return undo


def _detect() -> list[_Patch]:
    found: list[_Patch] = []
    for check in (_alias_patch, _model_patch, _trie_patch, _proxies_patch):
        try:
            patch = check()
        except Exception:  # any surprise in botocore's internals: skip that speedup
            patch = None
        if patch is not None:
            found.append(patch)
    return found


# -- event-name aliases ------------------------------------------------------------------


def _alias_patch() -> _Patch | None:
    aliaser = getattr(botocore.hooks, "EventAliaser", None)
    emitter = getattr(botocore.hooks, "HierarchicalEmitter", None)
    if aliaser is None or emitter is None or "__copy__" not in vars(aliaser):
        return None
    probe = vars(aliaser(emitter()))
    if not (
        isinstance(probe.get("_alias_name_cache"), dict)
        and isinstance(probe.get("_event_aliases"), dict)
    ):
        return None
    return aliaser, "__copy__", _sharing_alias_cache


def _sharing_alias_cache(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def __copy__(self: Any) -> Any:
        new = original(self)
        mine = getattr(self, "__dict__", None)
        theirs = getattr(new, "__dict__", None)
        if type(new) is not type(self) or mine is None or theirs is None:
            return new
        cache = mine.get("_alias_name_cache")
        # Share only a plain memo between equal alias tables (always so for botocore's
        # own copy; a subclass's copy might change the table).
        if type(cache) is dict and theirs.get("_event_aliases") == mine.get("_event_aliases"):
            theirs["_alias_name_cache"] = cache
        return new

    return __copy__


# -- Secrets Manager's ServiceModel ------------------------------------------------------


def _model_patch() -> _Patch | None:
    creator = botocore.client.ClientCreator
    load = vars(creator).get("_load_service_model")
    if load is None:
        return None
    if list(inspect.signature(load).parameters) != ["self", "service_name", "api_version"]:
        return None
    probe = vars(botocore.model.ServiceModel({}, service_name=_SERVICE))
    if "_service_description" not in probe or "_service_name" not in probe:
        return None
    return creator, "_load_service_model", _sharing_service_model


def _sharing_service_model(original: Callable[..., Any]) -> Callable[..., Any]:
    def _load_service_model(self: Any, service_name: str, api_version: str | None = None) -> Any:
        model = original(self, service_name, api_version)
        if service_name != _SERVICE or type(model) is not botocore.model.ServiceModel:
            return model
        known = _models.get(api_version)
        if (
            known is not None
            # The loader caches its JSON per session: the same dict object means the
            # same data, and holding it here keeps its identity from being reused.
            and vars(known)["_service_description"] is vars(model)["_service_description"]
            and vars(known)["_service_name"] == vars(model)["_service_name"]
        ):
            return _own_copy(known)
        _models[api_version] = _memo(model)
        return _own_copy(model)

    return _load_service_model


def _own_copy(model: botocore.model.ServiceModel) -> botocore.model.ServiceModel:
    # Each client gets its own ServiceModel object, with its own operation models
    # pointing back at it, so what one client sets on its model (say
    # ``signature_version``) never reaches another through ``operation.service_model``.
    # What they share is what botocore derives from the JSON alone: each operation
    # model's resolved shapes and other cached properties.
    state = dict(vars(model))
    mine = object.__new__(botocore.model.ServiceModel)
    cache = state.get("_instance_cache")
    if type(cache) is dict:
        state["_instance_cache"] = {key: _rebound(value, mine) for key, value in cache.items()}
    vars(mine).update(state)
    return mine


def _rebound(value: Any, model: botocore.model.ServiceModel) -> Any:
    if type(value) is not botocore.model.OperationModel:
        return value
    copy = object.__new__(botocore.model.OperationModel)
    vars(copy).update(vars(value))
    vars(copy)["_service_model"] = model
    return copy


def _memo(model: botocore.model.ServiceModel) -> botocore.model.ServiceModel:
    # Every operation model resolved once, with its cached properties (shapes, auth,
    # context parameters), so each client's copy starts with all of them.
    cached = [
        name
        for name, attribute in vars(botocore.model.OperationModel).items()
        if type(attribute) is botocore.utils.CachedProperty
    ]
    for operation_name in model.operation_names:
        operation = model.operation_model(operation_name)
        for name in cached:
            try:
                getattr(operation, name)
            except Exception:  # botocore computes it when a client asks, as usual
                continue
    return model


# -- the handler trie copy ---------------------------------------------------------------


class _Unexpected(Exception):
    """A trie node without the layout :func:`_copy_node` knows."""


# botocore's (first, middle, last) handler lists of a node; None if botocore lost it.
_NodeList: Any = getattr(botocore.hooks, "NodeList", None)


def _copy_node(node: Any) -> dict[str, Any]:
    """Copy a trie node as botocore does: new dicts and lists, the same handlers."""
    if type(node) is not dict or len(node) != 3:
        raise _Unexpected
    try:
        chunk, children, values = node["chunk"], node["children"], node["values"]
    except KeyError:
        raise _Unexpected from None
    if type(children) is not dict:
        raise _Unexpected
    if values is not None:
        if type(values) is not _NodeList:
            raise _Unexpected
        first, middle, last = values
        if type(first) is not list or type(middle) is not list or type(last) is not list:
            raise _Unexpected
        values = _NodeList(first.copy(), middle.copy(), last.copy())
    return {
        "chunk": chunk,
        "children": {key: _copy_node(child) for key, child in children.items()},
        "values": values,
    }


def _fast_trie_copy(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def __copy__(self: Any) -> Any:
        state = getattr(self, "__dict__", None)
        if state is None or len(state) != 1 or "_root" not in state:
            return original(self)
        try:
            root = _copy_node(state["_root"])
        except _Unexpected:
            return original(self)
        new = type(self)()
        new.__dict__ = {"_root": root}
        return new

    return __copy__


def _trie_patch() -> _Patch | None:
    trie_type = getattr(botocore.hooks, "_PrefixTrie", None)
    emitter_type = getattr(botocore.hooks, "HierarchicalEmitter", None)
    if (
        trie_type is None
        or emitter_type is None
        or _NodeList is None
        or "__copy__" not in vars(trie_type)
    ):
        return None
    # A probe with wildcards, shared prefixes and all three sections: botocore's copy and
    # ours must agree on it, and ours must take the fast path.
    emitter = emitter_type()
    registers = (emitter.register_first, emitter.register, emitter.register_last)
    for index, event in enumerate(("a.b.c", "a.*.c", "a", "a.b", "x.y.z", "a.b.c")):
        registers[index % 3](event, _probe_handler(index))
    trie = vars(emitter)["_handlers"]
    expected = vars(trie_type)["__copy__"](trie)
    if type(trie) is not trie_type or _copy_node(vars(trie)["_root"]) != vars(expected)["_root"]:
        return None
    copied = _fast_trie_copy(vars(trie_type)["__copy__"])(trie)
    extra = _probe_handler(-1)
    copied.append_item("a.b.c", extra)
    if extra in trie.prefix_search("a.b.c") or extra not in copied.prefix_search("a.b.c"):
        return None
    return trie_type, "__copy__", _fast_trie_copy


def _probe_handler(index: int) -> Callable[..., None]:
    def handler(**_kwargs: Any) -> None:
        return None  # pragma: no cover - only fills the probe trie, never called

    handler.__name__ = f"probe_{index}"
    return handler


# -- proxies from the environment --------------------------------------------------------

# A URL's proxies by URL, with the environment they were read from.
_proxies: dict[str, tuple[dict[Any, Any], dict[str, str]]] = {}
_PROXIES_KEPT = 64


def _proxies_from_environment_only() -> bool:
    # True where urllib reads proxies from environment variables alone (not macOS or
    # Windows system settings) and botocore uses urllib's functions unchanged.
    from_environment = getattr(urllib.request, "getproxies_environment", None)
    bypass_from_environment = getattr(urllib.request, "proxy_bypass_environment", None)
    return (
        from_environment is not None
        and bypass_from_environment is not None
        and getattr(botocore.utils, "getproxies", None) is from_environment
        and getattr(botocore.utils, "proxy_bypass", None) is bypass_from_environment
    )


def _proxies_patch() -> _Patch | None:
    creator = botocore.endpoint.EndpointCreator
    get = vars(creator).get("_get_proxies")
    if get is None or list(inspect.signature(get).parameters) != ["self", "url"]:
        return None
    if not _proxies_from_environment_only() or type(getattr(os.environ, "_data", None)) is not dict:
        return None
    return creator, "_get_proxies", _remembering_proxies


def _remembering_proxies(original: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    def _get_proxies(self: Any, url: str) -> Any:
        environ = getattr(os.environ, "_data", None)
        if type(environ) is not dict or not _proxies_from_environment_only():
            return original(self, url)
        known = _proxies.get(url)
        if known is not None and known[0] == environ:
            return dict(known[1])
        proxies = original(self, url)
        if type(proxies) is dict:
            if len(_proxies) >= _PROXIES_KEPT:
                _proxies.clear()
            _proxies[url] = (environ.copy(), dict(proxies))
        return proxies

    return _get_proxies
