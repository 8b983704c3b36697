"""Data rights of sellers and buyers: the export of their data (a ZIP of
JSON and CSV files), the staff check and the log of every request; the
anonymisation and the retention are in ``res_partner_anonymise``."""

import csv
import io
import json
import zipfile

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
    def _marketplace_personal_data(self):
        """Everything the marketplace holds about this person, by section:
        ``profile`` (a dict) and lists of rows for the other sections."""
        self.ensure_one()
        # sudo: the data of this one person, gathered for them (their own
        # portal) or for the staff answering their request.
        partner = self.sudo().with_context(active_test=False)
        contacts = partner | partner.child_ids
        currency = self.env.company.currency_id.name
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
            "language": partner.lang or None,
            "is_seller": partner.is_seller,
            "is_buyer": partner.is_buyer,
            "shop_name": partner.shop_name or None,
            "shop_description": partner.shop_description or None,
            "seller_registration_date": partner.seller_registration_date or None,
            "verification_state": partner.verification_state or None,
            "verification_date": partner.verification_date or None,
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
                "expiry_date": doc.expiry_date or None,
                "uploaded_on": doc.create_date,
            }
            for doc in partner.seller_document_ids
        ]
        orders = [
            {
                "reference": order.name,
                "date": order.date_order,
                "state": order.state,
                "amount_untaxed": order.amount_untaxed,
                "amount_total": order.amount_total,
                "currency": order.currency_id.name,
            }
            for order in self.env["sale.order"]
            .sudo()
            .search([("partner_id", "in", contacts.ids)], order="date_order, id")
        ]
        sales = [
            {
                "order": part.order_id.name,
                "date": part.date_order,
                "state": part.state,
                "amount": part.amount,
                "currency": currency,
            }
            for part in self.env["marketplace.order.seller"]
            .sudo()
            .search([("seller_id", "=", partner.id)], order="date_order, id")
        ]
        Rating = self.env["rating.rating"].sudo()
        rating_domain = [
            ("res_model", "=", "marketplace.order.seller"),
            ("consumed", "=", True),
        ]
        ratings_given = [
            {
                "date": rating.write_date,
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
                "date": rating.write_date,
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
                "role": "seller" if dispute.seller_id == partner else "buyer",
                "type": dispute.dispute_type,
                "state": dispute.state,
                "amount": dispute.amount,
                "outcome": dispute.outcome or None,
                "opened_on": dispute.create_date,
                "resolved_on": dispute.resolution_date or None,
            }
            for dispute in self.env["marketplace.dispute"]
            .sudo()
            .search(
                ["|", ("buyer_id", "in", contacts.ids), ("seller_id", "=", partner.id)],
                order="id",
            )
        ]
        tickets = [
            {
                "number": ticket.number,
                "title": ticket.name,
                "stage": ticket.stage_id.name,
                "opened_on": ticket.create_date,
                "closed_on": ticket.closed_date or None,
            }
            for ticket in self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    "|",
                    ("partner_id", "in", contacts.ids),
                    ("buyer_id", "in", contacts.ids),
                    ("seller_id", "=", partner.id),
                ],
                order="id",
            )
        ]
        events = [
            {"date": event.date, "event": event.event_type, "note": event.note or None}
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
