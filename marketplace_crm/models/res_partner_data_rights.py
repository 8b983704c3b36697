"""Data rights of sellers and buyers: export of their data, anonymisation on
request, and the retention of rejected registrations."""

import csv
import io
import json
import logging
import re
import zipfile

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from .marketplace_params import get_param

_logger = logging.getLogger(__name__)

# Contact fields emptied by the anonymisation (the name is replaced).
PERSONAL_FIELDS = (
    "email",
    "phone",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "vat",
    "website",
    "comment",
    "function",
    "ref",
    "company_registry",
    "image_1920",
    "shop_description",
    "shop_logo",
    "verification_rejection_reason",
)
# Text that could still name the person elsewhere: (model, fields).
SCRUBBED_TEXTS = (
    ("mail.message", ("body", "subject", "email_from")),
    ("mail.tracking.value", ("old_value_char", "new_value_char")),
    ("mail.activity", ("summary", "note")),
    ("mail.mail", ("body_html", "email_to", "email_cc")),
    ("crm.lead", ("name", "description")),
    ("helpdesk.ticket", ("name", "description", "partner_name", "partner_email")),
    ("marketplace.dispute", ("description", "resolution_notes")),
    ("rating.rating", ("feedback",)),
)
OPEN_DISPUTE_STATES = ("open", "under_review")


class ResPartner(models.Model):
    _inherit = "res.partner"

    marketplace_anonymised = fields.Boolean(
        "Anonymised", readonly=True, copy=False, index="btree_not_null"
    )
    marketplace_anonymised_date = fields.Datetime(
        "Anonymised on", readonly=True, copy=False
    )

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

    # ------------------------------------------------------------ anonymisation
    def action_marketplace_anonymise(self):
        """Staff: anonymise these contacts at their request."""
        self._check_marketplace_data_rights_staff()
        for partner in self:
            partner.commercial_partner_id._marketplace_anonymise()
        return True

    def _marketplace_open_dispute_count(self):
        self.ensure_one()
        # sudo: counting the disputes this person is party to.
        return (
            self.env["marketplace.dispute"]
            .sudo()
            .search_count(
                [
                    ("state", "in", OPEN_DISPUTE_STATES),
                    "|",
                    ("buyer_id", "child_of", self.id),
                    ("seller_id", "=", self.id),
                ]
            )
        )

    def _marketplace_anonymise(self, reason=None):
        """Replace the personal data of this contact (and its contacts),
        delete its verification documents, archive its portal users and
        scrub the texts naming it; orders, amounts, ratings and figures stay.
        Refused while one of its disputes is open."""
        self.ensure_one()
        if self.marketplace_anonymised:
            return False
        if self._marketplace_open_dispute_count():
            raise UserError(
                self.env._(
                    "%(partner)s cannot be anonymised while a dispute is open: "
                    "resolve or close it first.",
                    partner=self.display_name,
                )
            )
        # sudo: staff (or the retention job) erase this person's data in
        # every model holding it, whatever their own rights on those models.
        partner = self.sudo().with_context(
            active_test=False, tracking_disable=True, mail_notrack=True
        )
        contacts = partner | partner.child_ids
        label = self.env._("Anonymised #%s", partner.id)
        identifiers = _identifiers(contacts)
        partner.seller_document_ids.unlink()
        partner._marketplace_remove_bank_accounts()
        users = contacts.user_ids
        self.env["marketplace.api.client"].sudo().with_context(
            active_test=False
        ).search([("user_id", "in", users.ids)]).action_revoke_key()
        for user in users:
            user.write({"active": False, "login": f"anonymised-{user.id}@invalid"})
        empty = dict.fromkeys(PERSONAL_FIELDS, False)
        contacts.write(dict(empty, name=label))
        if partner.shop_name:
            partner.shop_name = label
        self._marketplace_anonymise_leads(partner, label)
        # sudo: see above; the tickets keep their history, not the contact.
        self.env["helpdesk.ticket"].sudo().with_context(active_test=False).search(
            [("partner_id", "in", contacts.ids)]
        ).write({"partner_name": label, "partner_email": False})
        if "mailing.contact" in self.env:
            self.env["mailing.contact"].sudo().search(
                [("email", "in", [i for i in identifiers if "@" in i])]
            ).unlink()
        _scrub_texts(self.env, identifiers, label)
        partner.write(
            {
                "marketplace_anonymised": True,
                "marketplace_anonymised_date": fields.Datetime.now(),
            }
        )
        partner._marketplace_log_data_right(
            "anonymised",
            reason
            or self.env._(
                "Personal data anonymised on request by %s.", self.env.user.name
            ),
        )
        return True

    def _marketplace_remove_bank_accounts(self):
        for account in self.bank_ids:
            try:
                with self.env.cr.savepoint():
                    account.unlink()
            except UserError:
                # Still referenced by accounting: keep it, without the holder.
                account.write(
                    {
                        "allow_out_payment": False,
                        "active": False,
                        "acc_holder_name": False,
                    }
                )

    def _marketplace_anonymise_leads(self, partner, label):
        if "crm.lead" not in self.env:
            return
        leads = (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False, tracking_disable=True)
            .search(
                [
                    "|",
                    ("partner_id", "child_of", partner.id),
                    ("marketplace_seller_id", "=", partner.id),
                ]
            )
        )
        leads.write(
            {
                "contact_name": label,
                "partner_name": label,
                "email_from": False,
                "phone": False,
                "street": False,
                "street2": False,
                "city": False,
                "zip": False,
                "website": False,
            }
        )

    # ------------------------------------------------------------ retention
    @api.model
    def _cron_marketplace_retention(self, batch_size=50):
        """Registrations rejected longer ago than the retention set in
        Settings: their documents are deleted and, when the seller never
        sold nor bought, their personal data anonymised. Already handled
        sellers are skipped, so running it twice changes nothing."""
        months = get_param(self.env, "rejected_retention_months")
        if months <= 0:
            return
        cutoff = fields.Datetime.now() - relativedelta(months=months)
        sellers = self.search(
            [
                ("is_seller", "=", True),
                ("verification_state", "=", "rejected"),
                ("verification_date", "<", cutoff),
                ("marketplace_anonymised", "=", False),
            ],
            order="id",
        )
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(sellers))
        for start in range(0, len(sellers), batch_size):
            batch = sellers[start : start + batch_size]
            for seller in batch:
                seller._marketplace_apply_retention()
            cron._commit_progress(len(batch))

    def _marketplace_apply_retention(self):
        self.ensure_one()
        reason = self.env._(
            "Rejected registration past its retention period: personal data "
            "and documents removed."
        )
        has_history = self.env["marketplace.order.seller"].sudo().search_count(
            [("seller_id", "=", self.id)], limit=1
        ) or self.env["sale.order"].sudo().search_count(
            [("partner_id", "child_of", self.id), ("state", "=", "sale")], limit=1
        )
        if has_history or self._marketplace_open_dispute_count():
            # Orders must stay traceable: only the documents go.
            self.sudo().seller_document_ids.unlink()
            return
        self._marketplace_anonymise(reason=reason)


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


def _identifiers(contacts):
    """The strings that identify these contacts: names, e-mails, phones,
    shop name, street (4 characters at least, to spare common words)."""
    values = set()
    for contact in contacts:
        for value in (
            contact.name,
            contact.email,
            contact.email_normalized,
            contact.phone,
            contact.shop_name,
            contact.street,
        ):
            if value and len(value.strip()) >= 4:
                values.add(value.strip())
        values.update(user.login for user in contact.user_ids if user.login)
    return sorted(values, key=len, reverse=True)


def _scrub_texts(env, identifiers, label):
    """Replace the identifiers by ``label`` wherever a text field holds them."""
    if not identifiers:
        return
    pattern = re.compile("|".join(re.escape(i) for i in identifiers), re.IGNORECASE)
    for model, fnames in SCRUBBED_TEXTS:
        if model not in env:
            continue
        Model = env[model].sudo().with_context(active_test=False, tracking_disable=True)
        fnames = [f for f in fnames if f in Model._fields and Model._fields[f].store]
        domain = Domain.OR(
            Domain(fname, "ilike", identifier)
            for fname in fnames
            for identifier in identifiers
        )
        for record in Model.search(domain):
            vals = {}
            for fname in fnames:
                value = record[fname]
                if isinstance(value, str) and pattern.search(value):
                    vals[fname] = pattern.sub(label, value)
            if vals:
                record.write(vals)
