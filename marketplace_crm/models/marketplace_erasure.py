"""Erasure of a person's traces outside their contact, for the anonymisation
(``res_partner_anonymise``): texts naming them, e-mails and text messages
still to send, attachments, mail composer wizards and bus notifications.

Two kinds of strings are looked for:

- *identifiers* (full name, e-mail, phone, street, login, shop name): they
  name this person wherever they appear, and are replaced everywhere the
  marketplace and Odoo's mail keep texts;
- *name parts* (each word of a person's names, 3 letters at least; not the
  words of a company's name): too common to be replaced everywhere, they
  are replaced, as whole words, only in the records about this person
  (their tickets, disputes, leads, ratings, orders, contacts) and in the
  messages and activities of those records.
"""

import json
import re

from odoo import Command
from odoo.fields import Domain
from odoo.tools import SQL

# Models of Odoo whose stored texts (every stored Char, Text and Html field)
# are searched for the identifiers, besides every model of the addon. The
# contacts and users themselves are anonymised field by field (another
# person of the same name keeps theirs).
SCRUBBED_MODELS = (
    "mail.message",
    "mail.mail",
    "mail.notification",
    "mail.tracking.value",
    "mail.activity",
    "crm.lead",
    "helpdesk.ticket",
    "rating.rating",
    "sale.order",
    "sms.sms",
    "mailing.trace",
)
# Words of a name that are particles rather than names.
NAME_PARTICLES = frozenset(
    ("van", "von", "der", "den", "del", "della", "des", "les", "ben", "bin", "mac")
)
MIN_NAME_PART = 3
QUEUED_MAIL_STATES = ("outgoing", "exception")
QUEUED_SMS_STATES = ("outgoing", "error")


def name_parts(contacts):
    """The words of these people's names worth replacing in their records
    (a company's name is replaced whole: its words are common ones)."""
    parts = set()
    for contact in contacts.filtered(lambda c: not c.is_company):
        for word in re.findall(r"\w+", contact.name or ""):
            if len(word) >= MIN_NAME_PART and word.lower() not in NAME_PARTICLES:
                parts.add(word)
    return sorted(parts, key=len, reverse=True)


def identifier_pattern(identifiers):
    """Any of the identifiers; nothing at all when there are none."""
    alternatives = "|".join(re.escape(i) for i in identifiers) or "(?!)"
    return re.compile(alternatives, re.IGNORECASE)


def word_pattern(words):
    alternatives = "|".join(re.escape(w) for w in words) or "(?!)"
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def text_fields(Model):
    """The stored, untranslated Char, Text and Html fields of ``Model``."""
    return [
        name
        for name, field in Model._fields.items()
        if field.type in ("char", "text", "html")
        and field.store
        and not field.inherited
        and not field.translate
        and field.column_type
    ]


def scrubbed_models(env):
    names = [name for name in SCRUBBED_MODELS if name in env]
    names += sorted(
        name
        for name, Model in env.registry.items()
        if name.startswith("marketplace.")
        and Model._auto
        and not Model._abstract
        and not Model._transient
    )
    return names


def replace_in(records, pattern, label, search_terms):
    """Replace what ``pattern`` matches by ``label`` in the text fields of
    ``records`` (a recordset, already in sudo) that contain one of the
    ``search_terms`` (case-insensitive)."""
    if not records or not search_terms:
        return
    records = records.with_context(active_test=False)
    fnames = text_fields(records)
    if not fnames:
        return
    domain = Domain("id", "in", records.ids) & Domain.OR(
        Domain(fname, "ilike", term) for fname in fnames for term in search_terms
    )
    for record in records.search(domain):
        vals = {}
        for fname in fnames:
            value = record[fname]
            if isinstance(value, str) and pattern.search(value):
                vals[fname] = pattern.sub(label, value)
        if vals:
            record.write(vals)


def scrub_everywhere(env, identifiers, label):
    """Replace the identifiers by ``label`` in every text of the scrubbed
    models."""
    pattern = identifier_pattern(identifiers)
    for model in scrubbed_models(env):
        Model = env[model].sudo().with_context(active_test=False, tracking_disable=True)
        fnames = text_fields(Model)
        if not fnames:
            continue
        domain = Domain.OR(
            Domain(fname, "ilike", identifier)
            for fname in fnames
            for identifier in identifiers
        )
        replace_in(Model.search(domain), pattern, label, identifiers)


def scrub_name_parts(env, records, parts, label):
    """Replace the name parts, as whole words, in ``records`` (a list of
    recordsets about the person) and in their messages and activities."""
    if not parts:
        return
    pattern = word_pattern(parts)
    about = [r for r in records if r]
    for recordset in about:
        replace_in(
            recordset.sudo().with_context(tracking_disable=True), pattern, label, parts
        )
    if not about:
        return
    on_records = Domain.OR(
        Domain("model", "=", r._name) & Domain("res_id", "in", r.ids) for r in about
    )
    messages = env["mail.message"].sudo().search(on_records)
    replace_in(messages, pattern, label, parts)
    replace_in(
        env["mail.tracking.value"]
        .sudo()
        .search([("mail_message_id", "in", messages.ids)]),
        pattern,
        label,
        parts,
    )
    activities = (
        env["mail.activity"]
        .sudo()
        .with_context(active_test=False)
        .search(
            Domain.OR(
                Domain("res_model", "=", r._name) & Domain("res_id", "in", r.ids)
                for r in about
            )
        )
    )
    replace_in(activities, pattern, label, parts)


def drop_queued_mails(env, contacts, identifiers):
    """E-mails not sent yet (or failed) to this person: they are taken out
    of the recipients; a mail left without any recipient is deleted. Their
    texts are scrubbed afterwards with the others."""
    pattern = identifier_pattern(identifiers)
    emails = [i for i in identifiers if "@" in i]
    Mail = env["mail.mail"].sudo()
    domain = Domain("state", "in", QUEUED_MAIL_STATES) & Domain.OR(
        [
            Domain("recipient_ids", "in", contacts.ids),
            *(
                Domain(fname, "ilike", email)
                for fname in ("email_to", "email_cc")
                for email in emails
            ),
        ]
    )
    for mail in Mail.search(domain):
        vals = {}
        if mail.recipient_ids & contacts:
            vals["recipient_ids"] = [Command.unlink(c.id) for c in contacts]
        for fname in ("email_to", "email_cc"):
            kept = [a for a in re.split(r"[,;\n]", mail[fname] or "") if a.strip()]
            if any(pattern.search(a) for a in kept):
                vals[fname] = ", ".join(
                    a.strip() for a in kept if not pattern.search(a)
                )
        if not (
            (mail.recipient_ids - contacts)
            or vals.get("email_to", mail.email_to)
            or vals.get("email_cc", mail.email_cc)
        ):
            mail.unlink()
        elif vals:
            mail.write(vals)
    if "sms.sms" in env:
        phones = [i for i in identifiers if any(c.isdigit() for c in i)]
        env["sms.sms"].sudo().search(
            Domain("state", "in", QUEUED_SMS_STATES)
            & (
                Domain("partner_id", "in", contacts.ids)
                | Domain("number", "in", phones or [""])
            )
        ).unlink()


def erase_attachments(env, own_records, users, identifiers, label):
    """Attachments of this person's records and those they uploaded are
    deleted (file included); any other attachment naming them in its text
    (Odoo's index of text files) is deleted too, one naming them only in its
    name or description is renamed."""
    Attachment = env["ir.attachment"].sudo()
    linked = Domain.OR(
        [
            *(
                Domain("res_model", "=", r._name) & Domain("res_id", "in", r.ids)
                for r in own_records
                if r
            ),
            Domain("create_uid", "in", users.ids or [0]),
        ]
    )
    Attachment.search(linked).unlink()
    if not identifiers:
        return
    pattern = identifier_pattern(identifiers)
    mentioning = Attachment.search(
        Domain.OR(
            Domain(fname, "ilike", identifier)
            for fname in ("name", "description", "index_content")
            for identifier in identifiers
        )
    )
    in_content = mentioning.filtered(
        lambda a: a.index_content and pattern.search(a.index_content)
    )
    in_content.unlink()
    for attachment in mentioning - in_content:
        attachment.write(
            {
                "name": pattern.sub(label, attachment.name or ""),
                "description": attachment.description
                and pattern.sub(label, attachment.description),
            }
        )


def drop_composers(env, contacts, identifiers):
    """Mail composer wizards (kept until the transient vacuum) addressed to
    or naming this person."""
    Composer = env["mail.compose.message"].sudo()
    fnames = text_fields(Composer)
    Composer.search(
        Domain.OR(
            [
                Domain("partner_ids", "in", contacts.ids),
                *(
                    Domain(fname, "ilike", identifier)
                    for fname in fnames
                    for identifier in identifiers
                ),
            ]
        )
    ).unlink()


def drop_bus_notifications(env, contacts, users, identifiers):
    """Bus notifications sent to this person (their partner or user channels)
    or naming them (as typed or JSON-escaped)."""
    channels = []
    if contacts:
        ids = "|".join(map(str, contacts.ids))
        channels.append(rf'"res\.partner",({ids})[],]')
    if users:
        ids = "|".join(map(str, users.ids))
        channels.append(rf'"res\.users",({ids})[],]')
    likes = sorted(
        {
            f"%{escape_like(variant)}%"
            for identifier in identifiers
            for variant in (identifier, json.dumps(identifier)[1:-1])
        }
    )
    env.cr.execute(
        SQL(
            "DELETE FROM bus_bus WHERE channel ~ %s OR channel ILIKE ANY(%s) "
            "OR message ILIKE ANY(%s)",
            "|".join(channels) or "$^",
            likes or ["\x01"],
            likes or ["\x01"],
        )
    )
    # Those of this transaction, inserted when it commits.
    pending = env.cr.precommit.data.get("bus.bus.values")
    if pending:
        channel_re = re.compile("|".join(channels) or "$^")
        text_re = identifier_pattern(
            [v for i in identifiers for v in (i, json.dumps(i)[1:-1])]
        )
        pending[:] = [
            v
            for v in pending
            if not (
                channel_re.search(v["channel"])
                or text_re.search(v["channel"])
                or text_re.search(v["message"])
            )
        ]


def escape_like(value):
    return value.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
