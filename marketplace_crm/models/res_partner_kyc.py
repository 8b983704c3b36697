from odoo import fields, models

from .marketplace_helpers import send_template
from .marketplace_params import get_param
from .marketplace_quality_params import quality_param


class ResPartner(models.Model):
    """Re-verification of the sellers whose documents expire."""

    _inherit = "res.partner"

    def _kyc_reviewer(self):
        self.ensure_one()
        user_id = get_param(self.env, "operations_user_id")
        # sudo: the configured staff user, looked up whoever runs the job.
        return (
            self.user_id
            or self.env["res.users"].sudo().browse(user_id).exists()
            or self.env.ref("base.user_admin")
        )

    def _kyc_require_reverification(self, documents):
        """A required document expired: flag the seller, withhold the
        listings if Settings say so, tell the seller and the team."""
        self.ensure_one()
        if quality_param(self.env, "kyc_expiry_listings") == "unpublish":
            self._quality_withhold_listings()
        self.kyc_reverification_required = True
        self._unpublish_products_of_blocked_sellers()
        send_template(
            self.env, "marketplace_crm.mail_template_seller_reverification", self
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self._kyc_reviewer().id,
            summary=self.env._("Re-verify %s", self.display_name),
            note=self.env._(
                "Expired: %s. Approve the new document when the seller sends it.",
                ", ".join(documents.mapped("name")),
            ),
        )
        self._refresh_seller_quality()

    def _kyc_notify_new_document(self):
        for seller in self:
            seller.activity_schedule(
                "mail.mail_activity_data_todo",
                # Approving the document is the verification team's.
                user_id=seller._decision_reviewer(seller._kyc_reviewer()).id,
                summary=self.env._("New document to check: %s", seller.display_name),
            )

    def _kyc_check_revalidation(self):
        """Back to validated once no current document is expired."""
        today = fields.Date.context_today(self)
        Document = self.env["marketplace.seller.document"]
        for seller in self.filtered("kyc_reverification_required"):
            expired = Document._kyc_current_documents(
                [("partner_id", "=", seller.id), ("expiry_date", "<", today)]
            )
            if expired:
                continue
            seller.kyc_reverification_required = False
            self.env["marketplace.seller.event"]._claim(
                seller,
                "kyc_revalidated",
                fields.Datetime.to_string(fields.Datetime.now()),
            )
            seller.message_post(
                body=self.env._(
                    "The new documents are approved: the seller is validated again."
                ),
                subtype_xmlid="mail.mt_note",
            )
            seller._quality_release_listings()
            seller._refresh_seller_quality()
