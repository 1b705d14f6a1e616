"""The console at ``GET /``: the AWS guide's console procedures, server-rendered.

Every read and change is an API call through :func:`smmock._wire.protocol.handle`, as
the AWS console makes API calls: ListSecrets for the list, DescribeSecret and
ListSecretVersionIds for the details, GetSecretValue only when "Retrieve secret value"
is chosen, DeleteSecret with a recovery window and RestoreSecret. There is no force
delete, as in AWS's console. Templates autoescape (names, descriptions and tags are
user input); every state-changing request is a POST carrying a CSRF token bound to the
browser's session cookie.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import secrets as _secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from smmock._service.backend import SecretsBackend
from smmock._wire.protocol import handle
from smmock.exceptions import ResourceNotFoundException
from smmock.server.api import REGION_NAME

if TYPE_CHECKING:
    from smmock.server.app import ServerConfig

__all__ = ["COLUMNS", "ConsoleError", "Preferences", "routes"]

SESSION_COOKIE = "smmock_session"
PREFERENCES_COOKIE = "smmock_preferences"
MIN_WINDOW, MAX_WINDOW = 7, 30
# The list's optional columns, in order, with whether they show by default.
COLUMNS = {
    "description": ("Description", True),
    "last_retrieved": ("Last retrieved (UTC)", True),
    "last_changed": ("Last changed (UTC)", True),
    "deleted_on": ("Deleted on", False),
}
_YEAR = 365 * 24 * 3600

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("smmock.server", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _date(epoch: float | None, *, day_only: bool = False) -> str:
    if epoch is None:
        return "-"
    moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    day = f"{moment:%B} {moment.day}, {moment.year}"
    return day if day_only else f"{day}, {moment:%H:%M:%S} UTC"


_templates.filters["date"] = _date


class ConsoleError(Exception):
    """An API call the console made failed; shown to the user with AWS's code and text."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class Preferences:
    """The list's preferences, kept in a cookie so each browser keeps its own.

    Parameters:
        show_scheduled: list secrets scheduled for deletion too.
        columns: the optional columns shown (keys of :data:`COLUMNS`).
    """

    def __init__(self, show_scheduled: bool, columns: set[str]) -> None:
        self.show_scheduled = show_scheduled
        self.columns = columns

    @classmethod
    def default(cls) -> Preferences:
        """No scheduled secrets, the default columns."""
        return cls(False, {key for key, (_, shown) in COLUMNS.items() if shown})

    @classmethod
    def from_cookie(cls, value: str | None) -> Preferences:
        """Read the cookie's value (dot-separated words); a bad one gives the defaults."""
        if not value:
            return cls.default()
        words = set(value.split("."))
        return cls("scheduled" in words, words & set(COLUMNS))

    def to_cookie(self) -> str:
        """The cookie's value."""
        words = ["scheduled"] if self.show_scheduled else []
        words += [key for key in COLUMNS if key in self.columns]
        # A cookie must not be empty to be told from "never saved".
        return ".".join(words) or "none"


def routes(backend: SecretsBackend, config: ServerConfig) -> list[Route]:
    """The console's routes for ``backend``."""

    def call(region: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        status, body = handle(
            backend, region, config.account_id, f"secretsmanager.{operation}", json.dumps(params)
        )
        answer: dict[str, Any] = json.loads(body)
        if status != 200:
            raise ConsoleError(status, answer["__type"], answer["Message"])
        return answer

    def token(session: str) -> str:
        return hmac.new(config.csrf_key, session.encode(), hashlib.sha256).hexdigest()

    def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        session = request.cookies.get(SESSION_COOKIE) or _secrets.token_urlsafe(24)
        page = _templates.get_template(template).render(
            csrf=token(session),
            server_region=config.region,
            account_id=config.account_id,
            **values,
        )
        response = HTMLResponse(page, status)
        # Pages may show secret values: never store them in any cache.
        response.headers["cache-control"] = "no-store"
        if request.cookies.get(SESSION_COOKIE) != session:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
        return response

    async def form_of(request: Request) -> dict[str, str]:
        form = await request.form()
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
        session = request.cookies.get(SESSION_COOKIE)
        sent = fields.get("csrf", "")
        if not session or not hmac.compare_digest(sent, token(session)):
            raise ConsoleError(
                403, "Forbidden", "The form's security token is missing or stale; reload the page."
            )
        return fields

    def region_of(values: Any) -> str:
        # A region the console was not asked for properly shows the server's region,
        # rather than creating a store for any string a URL carries.
        region = values.get("region")
        return (
            region if isinstance(region, str) and REGION_NAME.fullmatch(region) else config.region
        )

    def secret_url(name: str, region: str) -> str:
        return "/secret?" + urlencode({"name": name, "region": region})

    def details(
        request: Request, name: str, region: str, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        described = call(region, "DescribeSecret", {"SecretId": name})
        versions = call(
            region,
            "ListSecretVersionIds",
            {"SecretId": name, "IncludeDeprecated": True, "MaxResults": 100},
        )["Versions"]
        deletion_date = None
        if "DeletedDate" in described:
            # DescribeSecret tells when a secret was deleted, not when it will be purged;
            # the console shows the purge date, which only the backend knows.
            try:
                secret = backend.get_secret(
                    described["ARN"], region=region, account_id=config.account_id
                )
            except ResourceNotFoundException:  # purged in between
                secret = None
            if secret is not None and secret.deletion_date is not None:
                deletion_date = secret.deletion_date.timestamp()
        return render(
            request,
            "secret.html",
            status,
            secret=described,
            versions=versions,
            region=region,
            deletion_date=deletion_date,
            min_window=MIN_WINDOW,
            max_window=MAX_WINDOW,
            **{
                "value": None,
                "value_error": None,
                "window_error": None,
                "window_value": str(MAX_WINDOW),
                **extra,
            },
        )

    async def secret_list(request: Request) -> Response:
        region = region_of(request.query_params)
        preferences = Preferences.from_cookie(request.cookies.get(PREFERENCES_COOKIE))
        listed: list[dict[str, Any]] = []
        params: dict[str, Any] = {
            "IncludePlannedDeletion": preferences.show_scheduled,
            "MaxResults": 100,
        }
        while True:
            page = call(region, "ListSecrets", params)
            listed += page["SecretList"]
            if "NextToken" not in page:
                break
            params["NextToken"] = page["NextToken"]
        return render(
            request,
            "list.html",
            secrets=listed,
            region=region,
            preferences=preferences,
            columns=COLUMNS,
            secret_url=secret_url,
        )

    async def save_preferences(request: Request) -> Response:
        fields = await form_of(request)
        preferences = Preferences(
            fields.get("scheduled") == "on", {key for key in COLUMNS if fields.get(key) == "on"}
        )
        response = RedirectResponse("/?" + urlencode({"region": region_of(fields)}), 303)
        response.set_cookie(
            PREFERENCES_COOKIE, preferences.to_cookie(), max_age=_YEAR, samesite="strict"
        )
        return response

    async def secret_details(request: Request) -> Response:
        name = request.query_params.get("name")
        if not name:
            return RedirectResponse("/", 303)
        return details(request, name, region_of(request.query_params))

    async def retrieve_value(request: Request) -> Response:
        fields = await form_of(request)
        name, region = fields.get("name", ""), region_of(fields)
        try:
            value = call(region, "GetSecretValue", {"SecretId": name})
        except ConsoleError as error:
            return details(request, name, region, error.status, value_error=error)
        return details(request, name, region, value=value)

    async def schedule_deletion(request: Request) -> Response:
        fields = await form_of(request)
        name, region = fields.get("name", ""), region_of(fields)
        raw = fields.get("recovery_window", "").strip()
        if not raw.isdigit() or not MIN_WINDOW <= int(raw) <= MAX_WINDOW:
            problem = f"Enter a waiting period from {MIN_WINDOW} to {MAX_WINDOW} days."
            return details(request, name, region, 400, window_error=problem, window_value=raw)
        call(region, "DeleteSecret", {"SecretId": name, "RecoveryWindowInDays": int(raw)})
        return RedirectResponse(secret_url(name, region), 303)

    async def cancel_deletion(request: Request) -> Response:
        fields = await form_of(request)
        name, region = fields.get("name", ""), region_of(fields)
        call(region, "RestoreSecret", {"SecretId": name})
        return RedirectResponse(secret_url(name, region), 303)

    def guarded(endpoint: Any) -> Any:
        async def run(request: Request) -> Response:
            try:
                response: Response = await endpoint(request)
                return response
            except ConsoleError as error:
                return render(request, "error.html", error.status, error=error, region=None)

        return run

    return [
        Route("/", guarded(secret_list), methods=["GET"]),
        Route("/preferences", guarded(save_preferences), methods=["POST"]),
        Route("/secret", guarded(secret_details), methods=["GET"]),
        Route("/secret/value", guarded(retrieve_value), methods=["POST"]),
        Route("/secret/delete", guarded(schedule_deletion), methods=["POST"]),
        Route("/secret/restore", guarded(cancel_deletion), methods=["POST"]),
    ]
