"""Seeded ``ClientRequestToken`` s, so a seeded mock's version ids repeat run after run.

botocore fills a missing idempotency token with ``uuid4()`` on the client side (its
``generate_idempotent_uuid`` handler on ``before-parameter-build``) for CreateSecret,
PutSecretValue, UpdateSecret and RotateSecret, and that token becomes the new version's
id. While a ``mock_secrets(seed=...)`` is active, :func:`fill_token` fills it first, from
the seeded stream: it is registered on ``before-parameter-build.secrets-manager``, and
botocore's emitter calls the handlers of the more specific event name before those of
``before-parameter-build`` (``botocore/hooks.py``, ``_PrefixTrie.prefix_search``).

Like smmock's other handlers it goes into ``BUILTIN_HANDLERS`` at import, so clients of
sessions created before ``import smmock`` keep botocore's random tokens.
"""

from __future__ import annotations

from typing import Any

import botocore.handlers

from smmock._model import ids as _ids

__all__ = ["EVENT", "fill_token"]

EVENT = "before-parameter-build.secrets-manager"
# Operation name -> its idempotency-token members, read from the model on first use.
_TOKEN_MEMBERS: dict[str, tuple[str, ...]] = {}


def fill_token(params: Any = None, model: Any = None, **_kwargs: Any) -> None:
    """Give a call its seeded idempotency token when a seeded mock is active."""
    source = _ids.seeded()
    if source is None or model is None or not isinstance(params, dict):
        return
    members = _TOKEN_MEMBERS.get(model.name)
    if members is None:
        shape = model.input_shape
        members = _TOKEN_MEMBERS[model.name] = (
            ()
            if shape is None
            else tuple(
                name
                for name, member in shape.members.items()
                if member.metadata.get("idempotencyToken")
            )
        )
    for name in members:
        if name not in params:
            params[name] = source.uuid()


def _register() -> None:
    handler = (EVENT, fill_token)
    if handler not in botocore.handlers.BUILTIN_HANDLERS:
        botocore.handlers.BUILTIN_HANDLERS.append(handler)


_register()
