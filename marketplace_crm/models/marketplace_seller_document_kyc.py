from datetime import timedelta

from odoo import api, fields, models

from .marketplace_access import (
    VERIFIER,
    check_decision_fields,
    check_group,
    decided_fields,
    is_verifier,
)
from .marketplace_batches import JobRun
from .marketplace_helpers import send_template
from .marketplace_quality_params import quality_param

# The check of a document: decided by the seller verification team only.
DOCUMENT_DECISION_FIELDS = frozenset(
    {"kyc_state", "kyc_approved_by_id", "kyc_approved_on"}
)
# What the team approved of a document: changed by anyone else, the
# document is to be checked again.
APPROVED_CONTENT = frozenset({"file", "document_type_id", "expiry_date", "partner_id"})


class MarketplaceSellerDocument(models.Model):
    """Documents that expire: reminders before the expiry, re-verification
    of the seller at the expiry, back to validated once the team approves a
    new document.

    The *current* document of a type is the seller's newest approved one;
    only current documents with an expiry date are watched (an older one
    replaced by a newer approved document no longer matters).
    """

    _inherit = "marketplace.seller.document"

    kyc_state = fields.Selection(
        [("to_check", "To check"), ("approved", "Approved")],
        "Check",
        default="approved",
        required=True,
        tracking=True,
        help="A document a validated seller sends is checked by the team "
        "before it replaces the previous one.",
    )
    kyc_approved_by_id = fields.Many2one(
        "res.users", "Approved by", readonly=True, copy=False, tracking=True
    )
    kyc_approved_on = fields.Datetime(
        "Approved on", readonly=True, copy=False, tracking=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        # A document is checked by the seller verification team: others may
        # add one (to check, or approved by default for a seller not yet
        # validated, whose documents the verification decides on) but not
        # set its check.
        check_decision_fields(
            self,
            decided_fields(
                vals_list, DOCUMENT_DECISION_FIELDS, {"kyc_state": ("to_check",)}
            ),
        )
        partners = self.env["res.partner"].browse(
            [vals.get("partner_id") for vals in vals_list if vals.get("partner_id")]
        )
        validated = set(
            partners.filtered(lambda p: p.verification_state == "validated").ids
        )
        for vals in vals_list:
            if vals.get("partner_id") in validated and "kyc_state" not in vals:
                vals["kyc_state"] = "to_check"
        docs = super().create(vals_list)
        to_check = docs.filtered(lambda d: d.kyc_state == "to_check")
        to_check.partner_id.filtered(
            "kyc_reverification_required"
        )._kyc_notify_new_document()
        return docs

    def write(self, vals):
        check_decision_fields(self, DOCUMENT_DECISION_FIELDS & set(vals))
        recheck = self.browse()
        if APPROVED_CONTENT & set(vals) and not is_verifier(self.env):
            recheck = self.filtered(
                lambda d: (
                    d.kyc_state == "approved"
                    and d.partner_id.verification_state == "validated"
                )
            )
        res = super().write(vals)
        if recheck:
            recheck._kyc_send_back_to_check()
        return res

    def _kyc_send_back_to_check(self):
        """An approved document of a validated seller changed by someone
        outside the seller verification team (a new file, type, expiry date
        or seller) is no longer the approved one: the team checks it again."""
        # sudo: not a decision but its withdrawal, whoever changed the
        # document; only these documents' check is written.
        self.sudo().write(
            {
                "kyc_state": "to_check",
                "kyc_approved_by_id": False,
                "kyc_approved_on": False,
            }
        )
        for doc in self:
            doc.message_post(
                body=self.env._(
                    "Changed after its approval: to be checked again by the "
                    "seller verification team."
                ),
                subtype_xmlid="mail.mt_note",
            )
        # sudo: the reviewer's activity, whoever changed the document.
        self.partner_id.sudo()._kyc_notify_new_document()

    def action_kyc_approve(self):
        """The seller verification team approves the document; a seller
        waiting for re-verification is validated again when nothing else is
        expired."""
        check_group(self.env, VERIFIER)
        self.write(
            {
                "kyc_state": "approved",
                "kyc_approved_by_id": self.env.user.id,
                "kyc_approved_on": fields.Datetime.now(),
            }
        )
        self.partner_id._kyc_check_revalidation()
        return True

    # ------------------------------------------------------------ current documents
    @api.model
    def _kyc_current_documents(self, domain=None):
        """The current documents (see the class docstring) with an expiry
        date, among those matching ``domain``."""
        docs = self.search(
            [
                ("kyc_state", "=", "approved"),
                ("expiry_date", "!=", False),
                ("partner_id.is_seller", "=", True),
                ("partner_id.verification_state", "=", "validated"),
                *(domain or []),
            ],
            order="id desc",
        )
        newest = self.search(
            [
                ("kyc_state", "=", "approved"),
                ("partner_id", "in", docs.partner_id.ids),
                ("document_type_id", "in", docs.document_type_id.ids),
            ],
            order="id desc",
        )
        seen, current = set(), set()
        for doc in newest:
            key = (doc.partner_id.id, doc.document_type_id.id)
            if key not in seen:
                seen.add(key)
                current.add(doc.id)
        return docs.filtered(lambda d: d.id in current)

    # ------------------------------------------------------------ cron
    @api.model
    def _cron_kyc_expiry(self):
        """Remind sellers N and M days before a current document expires
        (e-mail + activity, once per document and expiry date), then ask
        the sellers with an expired one for re-verification."""
        Event = self.env["marketplace.seller.event"]
        today = fields.Date.context_today(self)
        first = quality_param(self.env, "kyc_reminder_days")
        second = quality_param(self.env, "kyc_second_reminder_days")
        horizon = max(first, second)
        soon = self._kyc_current_documents(
            [
                ("expiry_date", ">=", today),
                ("expiry_date", "<=", today + timedelta(days=horizon)),
            ]
        )

        def remind(batch):
            for doc in batch:
                days_left = (doc.expiry_date - today).days
                episode = f"doc:{doc.id}:{doc.expiry_date}"
                if second and days_left <= second:
                    # Within the second reminder: the first one is no longer
                    # worth sending on its own.
                    Event._claim(doc.partner_id, "kyc_reminder", episode)
                    if Event._claim(doc.partner_id, "kyc_reminder_2", episode):
                        doc._kyc_remind(days_left)
                elif (
                    first
                    and days_left <= first
                    and Event._claim(doc.partner_id, "kyc_reminder", episode)
                ):
                    doc._kyc_remind(days_left)

        with JobRun(Event, "kyc_expiry") as job:
            if not job.run(remind, soon):
                return
            self._kyc_expire_documents(job, today)

    @api.model
    def _kyc_expire_documents(self, job, today):
        """Ask the sellers with an expired current document for
        re-verification, once per set of expired documents."""
        Event = self.env["marketplace.seller.event"]
        expired = self._kyc_current_documents(
            [
                ("expiry_date", "<", today),
                ("partner_id.kyc_reverification_required", "=", False),
            ]
        )

        def expire(batch):
            for seller in batch.partner_id:
                docs = batch.filtered(lambda d, s=seller: d.partner_id == s)
                episode = ",".join(f"doc:{d.id}:{d.expiry_date}" for d in docs)
                if Event._claim(seller, "kyc_reverification", episode):
                    seller._kyc_require_reverification(docs)

        job.run(expire, expired)

    def _kyc_remind(self, days_left):
        self.ensure_one()
        send_template(
            self.env, "marketplace_crm.mail_template_seller_document_expiring", self
        )
        self.partner_id.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.expiry_date,
            user_id=self.partner_id._kyc_reviewer().id,
            summary=self.env._(
                "%(document)s expires in %(days)s days",
                document=self.name,
                days=days_left,
            ),
            note=self.env._("Make sure the seller sends a new document in time."),
        )
