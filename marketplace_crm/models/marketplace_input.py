"""Checks of what people type or upload (portal forms, the public
registration, integrations): one definition for every path, each failing
with the translated message that the form shows."""

import base64
import re

from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

# Text that looks like markup (a tag or a script) is refused, not stored.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|javascript:", re.IGNORECASE)
IMAGE_MIMETYPES = ("image/jpeg", "image/png")
DOCUMENT_MIMETYPES = ("application/pdf", *IMAGE_MIMETYPES)


def clean_text(env, value, label, required=False, max_length=255):
    """Stripped text, or a UserError the form shows."""
    if value in (None, False):
        value = ""
    if not isinstance(value, str):
        raise UserError(env._("%s must be text.", label))
    value = value.strip()
    if required and not value:
        raise UserError(env._("%s is required.", label))
    if MARKUP.search(value):
        raise UserError(env._("%s may not contain HTML or scripts.", label))
    if len(value) > max_length:
        raise UserError(
            env._(
                "%(label)s is too long (%(max)s characters at most).",
                label=label,
                max=max_length,
            )
        )
    return value


def record_id(value):
    """The id a form sent for a select, or 0 for anything else."""
    value = str(value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 0


def check_upload(env, raw, label, mimetypes, max_mb):
    """The uploaded bytes as base64, checked by content and size."""
    if max_mb and len(raw) > max_mb * 1024 * 1024:
        raise UserError(
            env._("%(label)s: the file exceeds %(max)s MB.", label=label, max=max_mb)
        )
    if guess_mimetype(raw) not in mimetypes:
        raise UserError(env._("%s: this type of file is not accepted.", label))
    return base64.b64encode(raw)
