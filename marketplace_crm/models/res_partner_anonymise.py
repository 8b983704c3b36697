"""Data rights of sellers and buyers: anonymisation on request, and the
retention of rejected registrations (the export is in
``res_partner_data_export``)."""

import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from . import marketplace_erasure as erasure
from .marketplace_access import MARKETPLACE_MANAGER, check_group
from .marketplace_batches import JobRun
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
OPEN_DISPUTE_STATES = ("open", "under_review")


class ResPartner(models.Model):
    _inherit = "res.partner"

    marketplace_anonymised = fields.Boolean(
        "Anonymised", readonly=True, copy=False, index="btree_not_null"
    )
    marketplace_anonymised_date = fields.Datetime(
        "Anonymised on", readonly=True, copy=False
    )

    # ------------------------------------------------------------ anonymisation
    def action_marketplace_anonymise(self):
        """Managers: anonymise these contacts at their request. Irreversible,
        so checked here and not only on the button (any user may call a
        public method over RPC)."""
        check_group(self.env, MARKETPLACE_MANAGER)
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
        erase its traces elsewhere (texts naming it, queued e-mails,
        attachments, wizards, bus notifications: ``marketplace_erasure``);
        orders, amounts, ratings and figures stay. Refused while one of its
        disputes is open."""
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
        parts = erasure.name_parts(contacts)
        own_records = partner._marketplace_own_records(contacts)
        partner.seller_document_ids.unlink()
        partner._marketplace_remove_bank_accounts()
        users = contacts.user_ids
        self.env["marketplace.api.client"].sudo().with_context(
            active_test=False
        ).search([("user_id", "in", users.ids)]).action_revoke_key()
        for user in users:
            user.write(
                {
                    "active": False,
                    "login": f"anonymised-{user.id}@invalid",
                    "signature": False,
                }
            )
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
        self._marketplace_erase_traces(
            contacts, users, own_records, identifiers, parts, label
        )
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

    def _marketplace_own_records(self, contacts):
        """The records about this person (in sudo, archived included): their
        contacts, orders, tickets, disputes, leads and ratings. A seller's
        records are those they are party to, not their buyers' orders."""
        self.ensure_one()
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        records = [
            contacts,
            env["sale.order"].search([("partner_id", "in", contacts.ids)]),
            env["helpdesk.ticket"].search(
                [
                    "|",
                    "|",
                    ("partner_id", "in", contacts.ids),
                    ("buyer_id", "in", contacts.ids),
                    ("seller_id", "=", self.id),
                ]
            ),
            env["marketplace.dispute"].search(
                ["|", ("buyer_id", "in", contacts.ids), ("seller_id", "=", self.id)]
            ),
            env["rating.rating"].search(
                [
                    "|",
                    ("partner_id", "in", contacts.ids),
                    ("rated_partner_id", "=", self.id),
                ]
            ),
        ]
        if "crm.lead" in env:
            records.append(
                env["crm.lead"].search(
                    [
                        "|",
                        ("partner_id", "in", contacts.ids),
                        ("marketplace_seller_id", "=", self.id),
                    ]
                )
            )
        return records

    def _marketplace_erase_traces(
        self, contacts, users, own_records, identifiers, parts, label
    ):
        """Everything but the contact: see ``marketplace_erasure``. The
        attachments go with this person's records only when this person is
        their party as a buyer or a contact (a seller's buyers keep theirs)."""
        env = self.env(su=True)
        attached_to = []
        for records in own_records:
            if records._name == "helpdesk.ticket":
                records = records.filtered(
                    lambda t: (t.partner_id | t.buyer_id) & contacts
                )
            elif records._name == "marketplace.dispute":
                records = records.filtered(lambda d: d.buyer_id & contacts)
            elif records._name == "rating.rating":
                continue
            attached_to.append(records)
        erasure.erase_attachments(env, attached_to, users, identifiers, label)
        erasure.drop_queued_mails(env, contacts, identifiers)
        erasure.drop_composers(env, contacts, identifiers)
        erasure.drop_bus_notifications(env, contacts, users, identifiers)
        erasure.scrub_everywhere(env, identifiers, label)
        erasure.scrub_name_parts(env, own_records, parts, label)

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
        with JobRun(self, "marketplace_retention") as job:
            job.run("_job_marketplace_retention", sellers, batch_size=batch_size)

    @api.model
    def _job_marketplace_retention(self, sellers):
        for seller in sellers:
            seller._marketplace_apply_retention()

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
            contact.phone_sanitized,
            contact.shop_name,
            contact.street,
        ):
            if value and len(value.strip()) >= 4:
                values.add(value.strip())
        values.update(user.login for user in contact.user_ids if user.login)
    return sorted(values, key=len, reverse=True)
