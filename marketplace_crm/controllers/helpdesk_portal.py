import base64
import logging
import os
import re
import secrets

from psycopg2 import IntegrityError

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.helpdesk_type.controllers.main import HelpdeskTicketControllerTypes

from ..models.marketplace_input import character_problem, clean_file_name
from ..models.marketplace_input_numbers import (
    AMOUNT,
    NumberRefused,
    amount_over_total,
    number_from_text,
    order_total,
    refusal_message,
)
from ..models.marketplace_params import get_param

_logger = logging.getLogger(__name__)

URGENCY_VALUES = ("0", "1", "2", "3")
SUBJECT_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 10000
MAX_ATTACHMENTS = 10
ID_PATTERN = re.compile(r"[0-9]{1,9}")
FORM_TOKEN_PATTERN = re.compile(r"[0-9a-f]{32}")
# Attachments are accepted by their content, whatever their file name says.
ATTACHMENT_MIMETYPES = {"application/pdf", "image/jpeg", "image/png", "text/plain"}
MARKUP_PATTERN = re.compile(
    rb"<\s*(svg|html|script|iframe|object|\?xml)", re.IGNORECASE
)


class MarketplaceHelpdeskPortal(HelpdeskTicketControllerTypes):
    """The portal ticket form of helpdesk_mgmt, with the order concerned, the
    amount at stake and the urgency. Buyer and seller are set on the server
    from the logged-in contact and the order, never taken from the form.

    Every field is checked before anything is stored: a wrong value gives the
    form back with its message (and what the user typed), with a 4xx status.
    The form carries a one-time token kept on the ticket, so sending it twice
    (a double click, a reload) opens one ticket."""

    def _marketplace_portal_orders(self):
        """Confirmed orders the portal user may pick: their own purchases and,
        for a seller, the orders they sold in (found through their own order
        parts, read with their own access rights)."""
        partner = request.env.user.partner_id.commercial_partner_id
        bought = request.env["sale.order"].search(
            [("partner_id", "child_of", partner.id), ("state", "=", "sale")],
            order="date_order desc",
            limit=50,
        )
        parts = request.env["marketplace.order.seller"].search(
            [("seller_id", "=", partner.id), ("state", "=", "sale")],
            order="date_order desc",
            limit=50,
        )
        # sudo: a seller may not read the buyer's order itself; only the
        # reference and date of the orders of their own parts are shown.
        return (bought.sudo() | parts.order_id.sudo()).sorted(
            "date_order", reverse=True
        )

    @http.route("/ticket/close", type="http", auth="user")
    def support_ticket_close(self, **kw):
        """helpdesk_mgmt closes the ticket of any id it is given, in sudo:
        only let a user close a ticket they may read."""
        ticket_id = kw.get("ticket_id")
        if not str(ticket_id or "").isdigit():
            return request.redirect("/my")
        ticket = request.env["helpdesk.ticket"].browse(int(ticket_id))
        try:
            ticket.check_access("read")
        except (AccessError, MissingError):
            return request.redirect("/my")
        return super().support_ticket_close(**kw)

    @http.route("/new/ticket", type="http", auth="user", website=True)
    def create_new_ticket(self, **kw):
        response = super().create_new_ticket(**kw)
        response.qcontext.update(
            marketplace_orders=self._marketplace_portal_orders(),
            marketplace_form_token=secrets.token_hex(16),
            marketplace_errors=[],
            marketplace_values={},
            marketplace_max_size_mb=get_param(
                request.env, "ticket_attachment_max_size_mb"
            ),
        )
        return response

    # ------------------------------------------------------------ submission
    @http.route(
        "/submitted/ticket",
        type="http",
        auth="user",
        website=True,
        csrf=True,
        methods=["POST"],
    )
    def submit_ticket(self, **kw):
        # Text fields only: a file posted under a text field's name is no text.
        kw = {key: value for key, value in kw.items() if isinstance(value, str)}
        errors = self._marketplace_ticket_errors(kw)
        files, file_errors = self._marketplace_ticket_files()
        errors += file_errors
        if errors:
            return self._marketplace_ticket_form(kw, errors)
        token = kw["form_token"]
        if not self._marketplace_lock_form(token):
            # The same form is being sent by another request (a double click):
            # that one opens the ticket.
            return request.redirect("/my/tickets")
        sent = self._marketplace_sent_ticket(token)
        if sent:
            return request.redirect(f"/my/ticket/{sent.id}")
        vals = dict(
            self._prepare_submit_ticket_vals(**kw), marketplace_form_token=token
        )
        try:
            with request.env.cr.savepoint():
                # sudo: as helpdesk_mgmt, the portal user opens the ticket
                # with values checked above and set on the server.
                ticket = request.env["helpdesk.ticket"].sudo().create(vals)
                ticket.message_subscribe(partner_ids=request.env.user.partner_id.ids)
                self._marketplace_attach(ticket, files)
        except (UserError, ValidationError) as error:
            return self._marketplace_ticket_form(kw, [error.args[0]])
        except IntegrityError:
            # Sent twice at the very same moment, the other request committed
            # first: the unique token kept this one from opening a second.
            _logger.info("Ticket form %s sent twice at once", token)
            return request.redirect("/my/tickets")
        return request.redirect(f"/my/ticket/{ticket.id}")

    def _marketplace_lock_form(self, token):
        """Hold the form's token until the end of the transaction; False if
        another request holds it (never waits)."""
        request.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext('marketplace_ticket_form'), "
            "hashtext(%s))",
            [token],
        )
        return request.env.cr.fetchone()[0]

    def _marketplace_sent_ticket(self, token):
        """The ticket this form already opened, if any."""
        # sudo: the token is a secret of the user's own form; only the
        # ticket's id is read, to show it to the user who opened it.
        return (
            request.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("marketplace_form_token", "=", token),
                    ("partner_id", "=", request.env.user.partner_id.id),
                ],
                limit=1,
            )
        )

    def _marketplace_ticket_form(self, kw, errors):
        """The form again, with the messages and what the user typed."""
        response = self.create_new_ticket()
        response.qcontext.update(
            marketplace_errors=errors,
            marketplace_values={
                key: value
                for key, value in kw.items()
                if key in ("subject", "description", "amount", "urgency")
                and isinstance(value, str)
            },
        )
        if FORM_TOKEN_PATTERN.fullmatch(str(kw.get("form_token") or "")):
            # The same submission, corrected: still one ticket.
            response.qcontext["marketplace_form_token"] = kw["form_token"]
        response.status_code = 422
        return response

    # ------------------------------------------------------------ checks
    def _marketplace_ticket_errors(self, kw):
        """Messages for every field of the form that cannot be stored."""
        _ = request.env._
        errors = []
        if not FORM_TOKEN_PATTERN.fullmatch(str(kw.get("form_token") or "")):
            errors.append(
                request.env._(
                    "This form has expired: check what you typed and send it again."
                )
            )
        subject = str(kw.get("subject") or "").strip()
        if not subject:
            errors.append(request.env._("Give your ticket a subject."))
        elif problem := character_problem(request.env, subject, _("Subject")):
            errors.append(problem)
        elif len(subject) > SUBJECT_MAX_LENGTH:
            errors.append(
                request.env._(
                    "The subject may not exceed %(max)s characters.",
                    max=SUBJECT_MAX_LENGTH,
                )
            )
        description = str(kw.get("description") or "").strip()
        if not description:
            errors.append(request.env._("Describe your issue."))
        elif problem := character_problem(
            request.env, description, _("Description"), multiline=True
        ):
            errors.append(problem)
        elif len(description) > DESCRIPTION_MAX_LENGTH:
            errors.append(
                request.env._(
                    "The description may not exceed %(max)s characters.",
                    max=DESCRIPTION_MAX_LENGTH,
                )
            )
        errors += self._marketplace_amount_errors(kw)
        if kw.get("urgency") not in (None, "", *URGENCY_VALUES):
            errors.append(request.env._("Choose an urgency from the list."))
        company = request.env.company
        choices = (
            (
                "type",
                self._get_types(),
                company.helpdesk_mgmt_portal_type_id_required,
                request.env._("Choose a type of issue from the list."),
            ),
            (
                "category",
                self._get_categories(),
                company.helpdesk_mgmt_portal_category_id_required,
                request.env._("Choose a category from the list."),
            ),
            (
                "team",
                self._get_teams(),
                company.helpdesk_mgmt_portal_team_id_required,
                request.env._("Choose a team from the list."),
            ),
            (
                "sale_order",
                self._marketplace_portal_orders(),
                False,
                request.env._("Choose one of your orders from the list."),
            ),
        )
        for key, offered, required, message in choices:
            value = str(kw.get(key) or "").strip()
            if not value:
                if required and offered:
                    errors.append(message)
                continue
            if not (
                ID_PATTERN.fullmatch(value) and offered and int(value) in offered.ids
            ):
                errors.append(message)
        return errors

    def _marketplace_amount_errors(self, kw):
        """The message for an amount at stake that is no amount (the rule
        shared with the API), or that exceeds the total of the order chosen."""
        env = request.env
        try:
            amount = number_from_text(kw.get("amount"), AMOUNT)
        except NumberRefused as refused:
            # (the message of an amount at stake names no label)
            return [refusal_message(env, refused, "amount")]
        order_id = str(kw.get("sale_order") or "").strip()
        order = self._marketplace_portal_orders().filtered(
            lambda order: ID_PATTERN.fullmatch(order_id) and order.id == int(order_id)
        )
        message = order and amount_over_total(
            env, float(amount), order_total(order), order.company_id.currency_id
        )
        return [message] if message else []

    def _marketplace_ticket_files(self):
        """The attached files as (name, content, mimetype), and the messages
        of those refused: only PDF, JPG, PNG or plain text, by their content,
        within the size set in Settings."""
        _ = request.env._
        max_mb = get_param(request.env, "ticket_attachment_max_size_mb")
        files, errors = [], []
        uploads = [
            upload
            for upload in request.httprequest.files.getlist("attachment")
            if upload.filename
        ]
        if len(uploads) > MAX_ATTACHMENTS:
            return [], [
                request.env._("Attach at most %(max)s files.", max=MAX_ATTACHMENTS)
            ]
        for upload in uploads:
            name = os.path.basename(upload.filename.replace("\\", "/"))[:200] or "file"
            data = upload.read(max_mb * 1024 * 1024 + 1) if max_mb else upload.read()
            if max_mb and len(data) > max_mb * 1024 * 1024:
                errors.append(
                    request.env._(
                        "“%(name)s” is too large: attachments may not exceed "
                        "%(max)s MB.",
                        name=name,
                        max=max_mb,
                    )
                )
                continue
            mimetype = self._marketplace_sniff(data)
            if not mimetype:
                errors.append(
                    request.env._(
                        "“%(name)s” cannot be attached: send a PDF, JPG, PNG or "
                        "plain text file.",
                        name=name,
                    )
                )
                continue
            try:
                name = clean_file_name(request.env, name, _("File name"))
            except UserError as refused:
                errors.append(refused.args[0])
                continue
            files.append((name, data, mimetype))
        return files, errors

    @staticmethod
    def _marketplace_sniff(data):
        """The type of an attachment by its content, or None if refused.
        Text is accepted only as UTF-8 without markup (SVG or HTML under a
        .txt name is still markup)."""
        if not data:
            return None
        mimetype = guess_mimetype(data, default="application/octet-stream")
        if mimetype not in ATTACHMENT_MIMETYPES:
            return None
        if mimetype == "text/plain":
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                return None
            if "\x00" in text or MARKUP_PATTERN.search(data):
                return None
        return mimetype

    def _marketplace_attach(self, ticket, files):
        for name, data, mimetype in files:
            # sudo: as helpdesk_mgmt, the file goes on the user's new ticket,
            # with the type read from its content.
            request.env["ir.attachment"].sudo().create(
                {
                    "name": name,
                    "datas": base64.b64encode(data),
                    "mimetype": mimetype,
                    "res_model": "helpdesk.ticket",
                    "res_id": ticket.id,
                }
            )

    def _prepare_submit_ticket_vals(self, **kw):
        """The ticket's values, from a form checked by
        ``_marketplace_ticket_errors``."""
        vals = super()._prepare_submit_ticket_vals(**kw)
        vals["name"] = kw["subject"].strip()
        vals["description"] = plaintext2html(kw["description"].strip())
        order_id = str(kw.get("sale_order") or "").strip()
        if ID_PATTERN.fullmatch(order_id):
            vals["sale_order_id"] = int(order_id)
        vals["amount"] = float(number_from_text(kw.get("amount"), AMOUNT))
        if kw.get("urgency") in URGENCY_VALUES:
            vals["urgency"] = kw["urgency"]
        return vals
