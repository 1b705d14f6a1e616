"""Rotation (start and cancel) and the random passwords rotation functions ask for."""

from __future__ import annotations

from smmock._service.password import random_password
from smmock._service.rotation import cancel_rotate_secret, require_token
from smmock._wire.context import (
    Context,
    Operation,
    Params,
    Result,
    writable_secret,
)

__all__ = ["OPERATIONS"]


def rotate_secret(ctx: Context, p: Params) -> Result:
    # AWS checks the token before it looks the secret up.
    token = require_token(p.get("ClientRequestToken"))
    secret = writable_secret(ctx, p)
    version_id = ctx.backend.rotator.rotate(
        secret,
        token,
        rotation_lambda_arn=p.get("RotationLambdaARN"),
        rotation_rules=p.get("RotationRules"),
        rotate_immediately=bool(p.get("RotateImmediately", True)),
    )
    return {"ARN": secret.arn, "Name": secret.name, "VersionId": version_id}


def cancel_rotate_secret_op(ctx: Context, p: Params) -> Result:
    secret = writable_secret(ctx, p)
    version_id = cancel_rotate_secret(secret)
    out: Result = {"ARN": secret.arn, "Name": secret.name}
    if version_id is not None:
        out["VersionId"] = version_id
    return out


def get_random_password(ctx: Context, p: Params) -> Result:
    password = random_password(
        int(p.get("PasswordLength", 32)),
        exclude_characters=p.get("ExcludeCharacters") or "",
        exclude_numbers=bool(p.get("ExcludeNumbers", False)),
        exclude_punctuation=bool(p.get("ExcludePunctuation", False)),
        exclude_uppercase=bool(p.get("ExcludeUppercase", False)),
        exclude_lowercase=bool(p.get("ExcludeLowercase", False)),
        include_space=bool(p.get("IncludeSpace", False)),
        require_each_included_type=bool(p.get("RequireEachIncludedType", True)),
    )
    return {"RandomPassword": password}


OPERATIONS: dict[str, Operation] = {
    "CancelRotateSecret": cancel_rotate_secret_op,
    "GetRandomPassword": get_random_password,
    "RotateSecret": rotate_secret,
}
