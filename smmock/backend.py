"""The typed backend a mock yields: seed and inspect secrets without boto3.

:class:`SecretsBackend` holds every account and region of one mock; :class:`RegionBackend`
the secrets of one account in one region; :class:`Secret` and :class:`SecretVersion` are
what they hand back; :class:`CallLog` / :class:`CallRecord` are ``backend.calls`` and
:class:`Fault` is what ``backend.inject_fault`` returns. The rules themselves live in
``smmock._service`` and the state in ``smmock._model``; this module is their public face
and adds nothing.
"""

from __future__ import annotations

from smmock._model import Secret, SecretVersion
from smmock._model.defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from smmock._service.backend import RegionBackend, SecretsBackend
from smmock._service.calls import REDACTED, CallLog, CallRecord
from smmock._service.faults import Fault
from smmock._service.names import check_name, parse_arn, secret_arn

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "REDACTED",
    "CallLog",
    "CallRecord",
    "Fault",
    "RegionBackend",
    "Secret",
    "SecretVersion",
    "SecretsBackend",
    "check_name",
    "parse_arn",
    "secret_arn",
]
