"""Data rights of sellers and buyers: the export of their data (a ZIP of
JSON and CSV files), the staff check and the log of every request; the
anonymisation and the retention are in ``res_partner_anonymise``."""

import csv
import datetime
import io
import json
import zipfile

import pytz

from odoo import fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------ access
    def _check_marketplace_data_rights_staff(self):
        if not (
            self.env.su
            or self.env.user.has_group("marketplace_crm.group_marketplace_user")
        ):
            raise AccessError(
                self.env._("Only the marketplace team can do this for a contact.")
            )

    # ------------------------------------------------------------ export
    def _marketplace_export_env(self):
        """The environment the export is written in: superuser (the person
        may not read every model the portal shows them through routes), in
        the person's language and time zone."""
        self.ensure_one()
        user = self.with_context(active_test=False).user_ids[:1]
        return self.env(
            su=True,
            context=dict(
                self.env.context,
                active_test=False,
                lang=self.lang or user.lang or "en_US",
                tz=self.tz or user.tz or "UTC",
            ),
        )

    def _marketplace_export_domains(self):
        """What this person sees of each model on the portal: the domains of
        the portal's record rules (and its pages' states), so that staff
        exporting for them get the same rows as they would themselves."""
        self.ensure_one()
        return {
            "sale.order": [
                "|",
                ("partner_id", "child_of", self.id),
                ("message_partner_ids", "child_of", self.id),
                ("state", "in", ("sent", "sale")),
            ],
            "marketplace.order.seller": [("seller_id", "=", self.id)],
            "marketplace.dispute": [
                "|",
                ("buyer_id", "child_of", self.id),
                ("seller_id", "=", self.id),
            ],
            "helpdesk.ticket": [
                "|",
                ("partner_id", "child_of", self.id),
                ("message_partner_ids", "child_of", self.id),
            ],
        }

    def _marketplace_personal_data(self):
        """Everything the marketplace shows this person, by section:
        ``profile`` (a dict) and lists of rows for the other sections; values
        as the person reads them (labels in their language, dates in their
        time zone and format)."""
        self.ensure_one()
        env = self._marketplace_export_env()
        # sudo (in env): the data this one person sees, gathered for them
        # (their own portal) or for the staff answering their request.
        partner = self.with_env(env)
        contacts = partner | partner.child_ids
        domains = partner._marketplace_export_domains()
        fmt = _Formatter(env)
        currency = env.company.currency_id.name
        profile = {
            "id": partner.id,
            "name": partner.name,
            "email": partner.email or None,
            "phone": partner.phone or None,
            "street": partner.street or None,
            "street2": partner.street2 or None,
            "zip": partner.zip or None,
            "city": partner.city or None,
            "country": partner.country_id.name or None,
            "vat": partner.vat or None,
            "language": fmt.label(partner, "lang"),
            "is_seller": partner.is_seller,
            "is_buyer": partner.is_buyer,
            "shop_name": partner.shop_name or None,
            "shop_description": partner.shop_description or None,
            "seller_registration_date": fmt.date(partner.seller_registration_date),
            "verification_state": fmt.label(partner, "verification_state"),
            "verification_date": fmt.date(partner.verification_date),
            "rejection_reason": partner.verification_rejection_reason or None,
            "suspended": partner.seller_suspended,
            "bank_accounts": partner.bank_ids.mapped("acc_number"),
            "portal_logins": contacts.user_ids.mapped("login"),
            "contacts": [
                {"name": c.name, "email": c.email or None, "phone": c.phone or None}
                for c in partner.child_ids
            ],
        }
        documents = [
            {
                "type": doc.document_type_id.name,
                "file_name": doc.file_name or None,
                "expiry_date": fmt.date(doc.expiry_date),
                "uploaded_on": fmt.date(doc.create_date),
            }
            for doc in partner.seller_document_ids
        ]
        orders = [
            {
                "reference": order.name,
                "date": fmt.date(order.date_order),
                "state": fmt.label(order, "state"),
                "amount_untaxed": order.amount_untaxed,
                "amount_total": order.amount_total,
                "currency": order.currency_id.name,
            }
            for order in env["sale.order"].search(
                domains["sale.order"], order="date_order, id"
            )
        ]
        sales = [
            {
                "order": part.order_id.name,
                "date": fmt.date(part.date_order),
                "state": fmt.label(part, "state"),
                "amount": part.amount,
                "currency": currency,
            }
            for part in env["marketplace.order.seller"].search(
                domains["marketplace.order.seller"], order="date_order, id"
            )
        ]
        Rating = env["rating.rating"]
        rating_domain = [
            ("res_model", "=", "marketplace.order.seller"),
            ("consumed", "=", True),
        ]
        ratings_given = [
            {
                "date": fmt.date(rating.write_date),
                "seller": rating.rated_partner_id.shop_name
                or rating.rated_partner_id.name,
                "rating": rating.rating,
                "feedback": rating.feedback or None,
            }
            for rating in Rating.search(
                [*rating_domain, ("partner_id", "in", contacts.ids)], order="id"
            )
        ]
        ratings_received = [
            {
                "date": fmt.date(rating.write_date),
                "rating": rating.rating,
                "feedback": rating.feedback or None,
            }
            for rating in Rating.search(
                [*rating_domain, ("rated_partner_id", "=", partner.id)], order="id"
            )
        ]
        disputes = [
            {
                "reference": dispute.name,
                "role": fmt.field_label(
                    dispute, "seller_id" if dispute.seller_id == partner else "buyer_id"
                ),
                "type": fmt.label(dispute, "dispute_type"),
                "state": fmt.label(dispute, "state"),
                "amount": dispute.amount,
                "outcome": fmt.label(dispute, "outcome"),
                "opened_on": fmt.date(dispute.create_date),
                "resolved_on": fmt.date(dispute.resolution_date),
            }
            for dispute in env["marketplace.dispute"].search(
                domains["marketplace.dispute"], order="id"
            )
        ]
        tickets = [
            {
                "number": ticket.number,
                "title": ticket.name,
                "stage": ticket.stage_id.name,
                "opened_on": fmt.date(ticket.create_date),
                "closed_on": fmt.date(ticket.closed_date),
            }
            for ticket in env["helpdesk.ticket"].search(
                domains["helpdesk.ticket"], order="id"
            )
        ]
        events = [
            {
                "date": fmt.date(event.date),
                "event": fmt.label(event, "event_type"),
                "note": event.note or None,
            }
            for event in partner.seller_event_ids.sorted("id")
        ]
        return {
            "profile": profile,
            "documents": documents,
            "orders": orders,
            "sales": sales,
            "ratings_given": ratings_given,
            "ratings_received": ratings_received,
            "disputes": disputes,
            "tickets": tickets,
            "lifecycle_events": events,
        }

    def _marketplace_data_export(self):
        """The ZIP of this person's data: ``profile.json`` and, for each other
        section, a JSON and a CSV file. Returns ``(file name, bytes)``."""
        self.ensure_one()
        data = self._marketplace_personal_data()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for section, content in data.items():
                archive.writestr(
                    f"{section}.json",
                    json.dumps(content, indent=2, default=str, ensure_ascii=False),
                )
                if isinstance(content, list):
                    archive.writestr(f"{section}.csv", _to_csv(content))
        name = f"marketplace-data-{self.id}-{fields.Date.context_today(self)}.zip"
        return name, buffer.getvalue()

    def action_marketplace_export_data(self):
        """Staff: download the data of this contact for them."""
        self.ensure_one()
        self._check_marketplace_data_rights_staff()
        return {
            "type": "ir.actions.act_url",
            "url": f"/marketplace/data_export/{self.commercial_partner_id.id}",
            "target": "download",
        }

    def _marketplace_log_data_right(self, event_type, body):
        """A note on the contact (no personal data) and, for a seller, a
        lifecycle event."""
        self.ensure_one()
        # sudo: the log is written whoever asks (the person from the portal).
        partner = self.sudo()
        partner.message_post(body=body, subtype_xmlid="mail.mt_note")
        if partner.is_seller:
            self.env["marketplace.seller.event"].sudo()._claim(
                partner, event_type, fields.Datetime.now().isoformat()
            )


class _Formatter:
    """Values as the person reads them on screen: selection labels in their
    language, dates and times in their time zone and their language's
    format (to the second)."""

    def __init__(self, env):
        self.env = env
        lang = env["res.lang"]._get_data(code=env.lang) or env["res.lang"]._get_data(
            code="en_US"
        )
        self.date_format = lang.date_format
        self.datetime_format = f"{lang.date_format} {lang.time_format}"
        self.tz = env.context.get("tz") or "UTC"

    def label(self, record, fname):
        value = record[fname]
        if not value:
            return None
        field = record._fields[fname]
        return dict(field._description_selection(self.env)).get(value, value)

    def field_label(self, record, fname):
        return record._fields[fname]._description_string(self.env)

    def date(self, value):
        if not value:
            return None
        if isinstance(value, datetime.datetime):
            local = pytz.utc.localize(value).astimezone(pytz.timezone(self.tz))
            return local.strftime(self.datetime_format)
        return value.strftime(self.date_format)


def _to_csv(rows):
    if not rows:
        return ""
    columns = list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {key: "" if value is None else value for key, value in row.items()}
        )
    return out.getvalue()
