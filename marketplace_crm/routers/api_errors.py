"""Client errors of the marketplace REST API: invalid requests answered 422
with one translated message per field, and the API's own 4xx answers
(unknown route, method not allowed, unreadable body) answered without a
traceback in the server log."""

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse
from werkzeug.exceptions import default_exceptions

from odoo.addons.fastapi.context import odoo_env_ctx

from ..models.marketplace_input_numbers import RULES, NumberRefused, refusal_message

#: The pydantic error type of a number that its rule refuses.
NUMBER_ERROR = "marketplace_number"


def client_error(code, detail, headers=None):
    """A client error, answered as ``{"detail": ...}`` with this status.

    Raised as a werkzeug exception: Odoo treats it as a client error (no
    error log) and rolls the transaction back."""
    exception = default_exceptions[code](description=detail)
    exception.headers = headers or {}
    return exception


class ClientErrorMiddleware:
    """Starlette answers an unknown route (404), a method not allowed (405)
    or a body it cannot read (400) with its own exception, which Odoo would
    log as a server failure with its traceback: answer them here instead,
    with their status, detail and headers, after undoing whatever ran (as
    for the API's other client errors). An answer, unlike an exception
    raised as the body is read, cannot be lost in a2wsgi's hand-over (which
    turned it into a 500)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        except StarletteHTTPException as exc:
            if not 400 <= exc.status_code < 500:
                raise
            odoo_env_ctx.get().cr.rollback()
            response = JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
            await response(scope, receive, send)


def validation_response(errors):
    """The 422 answer to an invalid request (see ``field_errors``), sent as
    an answer for the same reason as above; the endpoint did not run."""
    return JSONResponse({"detail": field_errors(errors)}, status_code=422)


def _messages(env):
    """Translated messages of pydantic's error types, by type: each takes
    the field's name and the error's context."""
    _ = env._
    return {
        "missing": lambda label, ctx: _("%s is required.", label),
        "string_too_short": lambda label, ctx: _("%s is required.", label),
        "extra_forbidden": lambda label, ctx: _(
            "%s is not a field of this request.", label
        ),
        "string_type": lambda label, ctx: _("%s must be text.", label),
        "string_too_long": lambda label, ctx: _(
            "%(label)s is too long (%(max)s characters at most).",
            label=label,
            max=ctx.get("max_length"),
        ),
        "int_type": lambda label, ctx: _("%s must be a whole number.", label),
        "int_parsing": lambda label, ctx: _("%s must be a whole number.", label),
        "int_from_float": lambda label, ctx: _("%s must be a whole number.", label),
        "int_parsing_size": lambda label, ctx: _("%s must be a whole number.", label),
        "greater_than_equal": lambda label, ctx: _(
            "%(label)s must be at least %(min)s.", label=label, min=ctx.get("ge")
        ),
        "less_than_equal": lambda label, ctx: _(
            "%(label)s must be at most %(max)s.", label=label, max=ctx.get("le")
        ),
        "literal_error": lambda label, ctx: _(
            "%(label)s must be one of: %(values)s.",
            label=label,
            values=ctx.get("expected"),
        ),
        "json_invalid": lambda label, ctx: _("The body is not valid JSON."),
    }


def field_errors(errors):
    """The ``detail`` of a 422 answer: for each error of the request, where
    it is (``loc``, e.g. ``["body", "amount"]``), its translated message
    (``msg``) and its ``type``. The value sent is never echoed."""
    env = odoo_env_ctx.get()
    messages = _messages(env)
    detail = []
    for error in errors:
        loc = [part if isinstance(part, int) else str(part) for part in error["loc"]]
        label = next((part for part in reversed(loc) if isinstance(part, str)), "")
        ctx = error.get("ctx") or {}
        kind = error["type"]
        if kind == NUMBER_ERROR:
            refused = NumberRefused(RULES[ctx["rule"]], ctx["reason"])
            message = refusal_message(env, refused, label)
        elif kind in messages:
            message = messages[kind](label, ctx)
        else:
            message = str(error.get("msg", ""))
        detail.append({"loc": loc, "msg": message, "type": kind})
    return detail
