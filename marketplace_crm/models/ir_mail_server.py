import logging

from odoo import models

from .marketplace_input import header_addresses, header_text

_logger = logging.getLogger(__name__)


class IrMailServer(models.Model):
    """Every outgoing e-mail is built without a control character or line
    break in its headers, even from names, shop names or subjects stored
    before the forms refused them: such a character would start a header of
    the sender's choosing (a Reply-To, a Bcc) or the body itself, or make
    the e-mail fail. The forms and the API refuse them
    (``marketplace_input.character_problem``); this is the last line."""

    _inherit = "ir.mail_server"

    def _build_email__(
        self,
        email_from,
        email_to,
        subject,
        body,
        email_cc=None,
        email_bcc=None,
        reply_to=False,
        attachments=None,
        message_id=None,
        references=None,
        object_id=False,
        subtype="plain",
        headers=None,
        body_alternative=None,
        subtype_alternative="plain",
    ):
        safe = {
            "email_from": header_addresses(email_from),
            "email_to": header_addresses(email_to),
            "subject": header_text(subject) if isinstance(subject, str) else subject,
            "email_cc": header_addresses(email_cc),
            "email_bcc": header_addresses(email_bcc),
            "reply_to": header_addresses(reply_to),
            "headers": {
                key: header_text(value) if isinstance(value, str) else value
                for key, value in (headers or {}).items()
            },
        }
        given = {
            "email_from": email_from,
            "email_to": email_to,
            "subject": subject,
            "email_cc": email_cc,
            "email_bcc": email_bcc,
            "reply_to": reply_to,
            "headers": headers or {},
        }
        if safe != given:
            _logger.info(
                "Control characters removed from the headers of e-mail %s",
                message_id,
            )
        return super()._build_email__(
            body=body,
            attachments=attachments,
            message_id=message_id,
            references=references,
            object_id=object_id,
            subtype=subtype,
            body_alternative=body_alternative,
            subtype_alternative=subtype_alternative,
            **safe,
        )
