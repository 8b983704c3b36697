"""Checks of what people type or upload (portal forms, the public
registration, integrations): one definition for every path, each failing
with the translated message that the form shows."""

import base64
import binascii
import os
import re
from email.utils import getaddresses

from odoo.exceptions import UserError
from odoo.tools import email_normalize, formataddr
from odoo.tools.mimetypes import guess_mimetype

# Text that looks like markup (a tag or a script) is refused, not stored.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|javascript:", re.IGNORECASE)
# Characters no text people type may hold: C0 and C1 control characters
# (a multi-line text keeps its line breaks and tabs), DEL, and lone
# surrogates (half of a UTF-16 pair: neither PostgreSQL nor UTF-8 can hold
# them). NUL is among them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# What ends a line, for mail headers and for Python's own splitlines(): a
# one-line text (a name, a subject, an address, a file name) holds none (nor
# a tab).
LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Bidirectional formatting: marks, embeddings, overrides and isolates. They
# reorder what a reader sees ("\u202eexe.fdp" shows as "pdf.exe"); the
# Unicode algorithm lays right-to-left names out without them, so one-line
# texts refuse them. Free multi-line text (descriptions) may hold them.
BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What an e-mail header may not carry: a control character (tab included)
# or a line break.
HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
# An RFC 2047 encoded word (=?utf-8?q?...?=): mail software decodes it in a
# header, so a one-line text is checked once decoded too.
ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?[^?\s]*\?=")
IMAGE_MIMETYPES = ("image/jpeg", "image/png")
DOCUMENT_MIMETYPES = ("application/pdf", *IMAGE_MIMETYPES)


def decoded_words(value):
    """``value`` with its RFC 2047 encoded words decoded, as a mail reader
    shows it; None when they cannot be decoded."""
    if not ENCODED_WORD.search(value):
        return value
    try:
        # Word by word, in linear time (the email package's decoder takes
        # quadratic time on a text of many words).
        return ENCODED_WORD.sub(_decoded_word, value)
    except (LookupError, ValueError, UnicodeError):
        return None


def _decoded_word(match):
    """The text of one encoded word (``=?charset?q?text?=``), as mail
    software decodes it; LookupError or ValueError when it cannot."""
    charset, encoding, text = match.group(0)[2:-2].split("?")
    if encoding in "bB":
        raw = binascii.a2b_base64(text + "=" * (-len(text) % 4))
    else:
        raw = binascii.a2b_qp(text.replace("_", " "))
    # RFC 2231 adds a language to the charset: utf-8*fr.
    return raw.decode(charset.split("*")[0], "replace")


def character_problem(env, value, label, multiline=False):
    """The message for the characters of ``value`` that no text may hold,
    or None when they are all allowed. The one rule of the portal, the
    website and the API; ``multiline`` texts keep line breaks, tabs and
    direction marks."""
    if CONTROL.search(value):
        return env._("%s contains a control character or an invalid one.", label)
    if multiline:
        return None
    decoded = decoded_words(value)
    if decoded is None or CONTROL.search(decoded) or "\t" in decoded:
        return env._("%s contains a control character or an invalid one.", label)
    if LINE_BREAK.search(decoded):
        return env._("%s must fit on one line.", label)
    if BIDI.search(decoded):
        return env._(
            "%s may not contain invisible characters that change the text's direction.",
            label,
        )
    return None


def check_characters(env, value, label, multiline=False):
    """``value``, or a UserError when it holds a character no text may hold
    (see ``character_problem``)."""
    problem = character_problem(env, value, label, multiline=multiline)
    if problem:
        raise UserError(problem)
    return value


def clean_text(env, value, label, required=False, max_length=255, multiline=False):
    """Stripped text, or a UserError the form shows. A one-line text (the
    default: names, subjects, addresses, numbers) holds no line break;
    ``multiline`` text keeps them, with its line ends made "\\n"."""
    if value in (None, False):
        value = ""
    if not isinstance(value, str):
        raise UserError(env._("%s must be text.", label))
    value = value.strip()
    if required and not value:
        raise UserError(env._("%s is required.", label))
    check_characters(env, value, label, multiline=multiline)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
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


def clean_file_name(env, name, label, max_length=255):
    """The base name of an uploaded file, checked as a one-line text (no
    control character, no direction override hiding its real extension);
    a UserError otherwise. An upload without name is called "file"."""
    if not isinstance(name, str):
        name = ""
    name = os.path.basename(name.replace("\\", "/")).strip()
    check_characters(env, name, label)
    if len(name) > max_length:
        raise UserError(
            env._(
                "%(label)s is too long (%(max)s characters at most).",
                label=label,
                max=max_length,
            )
        )
    return name or "file"


def header_text(value):
    """``value`` as an e-mail header may carry it: unchanged when it holds
    no control character or line break, even once its encoded words are
    decoded; otherwise decoded, each such character made a space. For text
    stored before the forms refused them."""
    decoded = decoded_words(value)
    if decoded is None:
        decoded = value
    elif not (CONTROL.search(decoded) or LINE_BREAK.search(decoded)):
        return value
    return " ".join(HEADER_UNSAFE.sub(" ", decoded).split())


def header_addresses(value):
    """An address header's value (``"Name" <address>``, a list of them, or
    several joined by commas) as a mail header may carry it: unchanged when
    safe, otherwise each address rebuilt from its cleaned name and address
    (see ``header_text``)."""
    if isinstance(value, (list, tuple)):
        return type(value)(header_addresses(item) for item in value)
    if not isinstance(value, str) or header_text(value) == value:
        return value
    # The characters made spaces first, so that a quoted name stays one.
    cleaned = HEADER_UNSAFE.sub(" ", value)
    return ", ".join(
        formataddr((header_text(name), address)) if name else address
        for name, address in getaddresses([cleaned])
        if address
    )


# An address people type: no markup, quotes or spaces, a dotted domain.
PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)


def clean_email(env, value):
    """The normalized address typed, or a UserError: one plain address, no
    control character, no encoded word (mail software would decode it in
    the To header)."""
    email = (
        email_normalize(value)
        if isinstance(value, str)
        and len(value) <= 254
        and not character_problem(env, value, "")
        and not ENCODED_WORD.search(value)
        else False
    )
    if not email or not PLAIN_EMAIL.fullmatch(email):
        raise UserError(env._("Enter a valid e-mail address."))
    return email


def check_upload(env, raw, label, mimetypes, max_mb):
    """The uploaded bytes as base64, checked by content and size. An empty
    file is refused, not ignored."""
    if not raw:
        raise UserError(env._("%s: the file is empty.", label))
    if max_mb and len(raw) > max_mb * 1024 * 1024:
        raise UserError(
            env._("%(label)s: the file exceeds %(max)s MB.", label=label, max=max_mb)
        )
    if guess_mimetype(raw) not in mimetypes:
        raise UserError(env._("%s: this type of file is not accepted.", label))
    return base64.b64encode(raw)
