"""What the routers of the marketplace REST API share: the authentication
by the key of an integration, its environment, the errors and the checks of
the input (see ``marketplace_api``)."""

import functools
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from odoo.api import Environment
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.fastapi.dependencies import odoo_env

from ..models.marketplace_input import clean_file_name, clean_text
from ..models.marketplace_input_numbers import MAX_ID, MAX_OFFSET
from .api_errors import client_error, validation_response

ERRORS = {
    400: {"description": "Refused value (markup in a text, invalid file...)"},
    401: {"description": "Missing, invalid, expired or revoked API key"},
    403: {"description": "The key's user may not do this"},
    429: {"description": "Rate limit of the integration reached (see Retry-After)"},
}
NOT_FOUND = {404: {"description": "No such record visible to the key's user"}}

bearer = HTTPBearer(
    auto_error=False,
    description="The key of an integration (Marketplace > Configuration > "
    "API Integrations), sent as `Authorization: Bearer <key>`.",
)


class MarketplaceRoute(APIRoute):
    """Invalid requests are answered 422 with a translated message for each
    field (see ``api_errors.field_errors``), as client errors, rather than
    logged by Odoo as server failures."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def route_handler(request):
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return validation_response(exc.errors())

        return route_handler


# ------------------------------------------------------------------ dependencies
#: A client error answered as ``{"detail": ...}`` (a werkzeug exception).
error = client_error


def api_client(
    env: Annotated[Environment, Depends(odoo_env)],
    response: Response,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
):
    """The integration of the bearer key, within its rate limit."""
    client = env["marketplace.api.client"]._authenticate(
        credentials.credentials if credentials else None
    )
    if not client:
        raise error(
            status.HTTP_401_UNAUTHORIZED,
            env._("Invalid or missing API key."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    allowed, limit, remaining, retry_after = client._consume_rate_limit()
    if limit:
        response.headers["X-RateLimit-Limit"] = str(limit)
        response.headers["X-RateLimit-Remaining"] = str(remaining)
    if not allowed:
        raise error(
            status.HTTP_429_TOO_MANY_REQUESTS,
            env._("Rate limit reached: at most %s calls per minute.", limit),
            headers={"Retry-After": str(retry_after), "X-RateLimit-Limit": str(limit)},
        )
    return client


def api_env(
    client: Annotated[object, Depends(api_client)],
    env: Annotated[Environment, Depends(odoo_env)],
) -> Environment:
    """The environment of the key's user: its rights and record rules apply."""
    user = client.user_id
    if request:
        # The whole request runs as the key's user, like a portal request of
        # that user (the transaction's hooks included), not as the runner.
        request.update_env(user=user.id)
    return env(user=user.id, su=False)


ApiEnv = Annotated[Environment, Depends(api_env)]
#: the id of a record, in a path
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


def page(
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
):
    """The page of a list asked for: at most ``limit`` records (200 at the
    most) from the ``offset``-th (2**31 - 1 at the most), as ``search()``
    keywords."""
    return {"limit": limit, "offset": offset}


Page = Annotated[dict, Depends(page)]


def caller(env):
    """The commercial contact of the key's user (read with its rights)."""
    return env.user.partner_id.commercial_partner_id


def seller(env):
    """The key's seller contact, or a 403."""
    partner = caller(env)
    if not partner.is_seller:
        raise error(status.HTTP_403_FORBIDDEN, env._("The key's user is not a seller."))
    return partner


def one(records, what):
    """The records found, or a 404 naming ``what`` (a translated noun)."""
    if not records:
        raise error(
            status.HTTP_404_NOT_FOUND,
            records.env._("%s not found.", what),
        )
    return records


def visible(model, record_id, what, domain=()):
    """The record ``record_id`` of ``model`` (a recordset, with the key
    user's rights unless the caller says otherwise) that ``domain`` allows,
    or a 404 naming ``what``."""
    return one(model.search([("id", "=", record_id), *domain]), what)


def new_router():
    """A router of one resource: the shared errors and route class."""
    return APIRouter(responses=ERRORS, route_class=MarketplaceRoute)


class _ApiMessages:
    """The text checks' messages for the API: they name the API's own field
    names, which are English, like the rest of its contract."""

    @staticmethod
    def _(source, *args, **kwargs):
        return source % (args or kwargs) if (args or kwargs) else source


def text(value, label, required=False, max_length=255):
    """Checked text (no markup), a 400 error otherwise. Its characters were
    checked by the request body's schema (``schemas.Strict``), which tells
    one-line fields from multi-line ones."""
    try:
        return clean_text(
            _ApiMessages,
            value,
            label,
            required=required,
            max_length=max_length,
            multiline=True,
        )
    except UserError as refused:
        raise error(status.HTTP_400_BAD_REQUEST, refused.args[0]) from refused


def file_name(value):
    """The checked name of an uploaded file (``marketplace_input``'s rule
    for one-line text), a 422 naming the field otherwise."""
    try:
        return clean_file_name(_ApiMessages, value, "file_name")
    except UserError as refused:
        raise error(
            422,
            [{"type": "value_error", "loc": ["body", "file"], "msg": refused.args[0]}],
        ) from refused


def none(value):
    return value or None


def flushing(func):
    """Write the endpoint's changes as the key's user before answering: the
    fastapi dispatcher flushes what is left as the API runner, who may read
    almost nothing (not even a currency's rounding)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        result = func(*args, **kwargs)
        kwargs["env"].flush_all()
        return result

    return wrapper
