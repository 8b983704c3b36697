from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PDF, MarketplaceCase, cron_batches_without_commit


@tagged("post_install", "-at_install")
class TestSellerKycExpiry(MarketplaceCase):
    """Reminders before a document expires, re-verification at the expiry,
    validated again once a new document is approved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The day as the jobs see it (the user's time zone), not UTC.
        cls.today = fields.Date.context_today(cls.env.user)
        cls.seller = cls._create_validated_seller(
            "Expiring Atelier", email="expiring@example.com"
        )
        cls.identity = cls.env["marketplace.seller.document"].create(
            {
                "partner_id": cls.seller.id,
                "document_type_id": cls.doc_type_identity.id,
                "file": PDF,
                "file_name": "id.pdf",
                "expiry_date": cls.today + timedelta(days=30),
                "kyc_state": "approved",
            }
        )
        cls.product = cls._create_product(cls.seller, "Expiring bowl")
        cls.product.product_tmpl_id.is_published = True

    def _run(self, days):
        with (
            freeze_time(fields.Datetime.now() + timedelta(days=days)),
            cron_batches_without_commit(self.env),
        ):
            self.env["marketplace.seller.document"]._cron_kyc_expiry()

    def _mails(self, subject):
        return self.env["mail.mail"].search(
            [("subject", "ilike", subject), ("recipient_ids", "in", self.seller.ids)]
        )

    def _events(self, event_type):
        return self.seller.seller_event_ids.filtered(
            lambda e: e.event_type == event_type
        )

    def test_reminders_before_expiry(self):
        self._run(-1)  # 31 days before: nothing yet
        self.assertFalse(self._mails("expires on"))
        self._run(0)
        self._run(0)  # twice the same day: one reminder
        self.assertEqual(len(self._mails("expires on")), 1)
        self.assertEqual(len(self._events("kyc_reminder")), 1)
        self.assertTrue(
            self.seller.activity_ids.filtered(
                lambda a: "expires in 30 days" in (a.summary or "")
            )
        )
        self._run(22)  # 8 days before
        self.assertEqual(len(self._mails("expires on")), 1)
        self._run(23)  # 7 days before: the second reminder
        self.assertEqual(len(self._mails("expires on")), 2)
        self.assertEqual(len(self._events("kyc_reminder_2")), 1)
        self._run(24)
        self.assertEqual(len(self._mails("expires on")), 2)
        self.assertFalse(self.seller.kyc_reverification_required)

    def test_expiry_keeps_listings_by_default(self):
        self._run(30)  # expires that day: still valid
        self.assertFalse(self.seller.kyc_reverification_required)
        self._run(31)
        self.assertTrue(self.seller.kyc_reverification_required)
        self.assertTrue(self.product.product_tmpl_id.is_published)
        self.assertEqual(len(self._mails("must be verified again")), 1)
        self._run(32)
        self.assertEqual(len(self._mails("must be verified again")), 1)
        self.assertEqual(self.seller.verification_state, "validated")

    def test_expiry_unpublishes_then_new_document_approved(self):
        self.env["ir.config_parameter"].set_param(
            "marketplace_crm.kyc_expiry_listings", "unpublish"
        )
        self._run(31)
        template = self.product.product_tmpl_id
        self.assertTrue(self.seller.kyc_reverification_required)
        self.assertFalse(template.is_published)
        with (
            self.assertRaisesRegex(ValidationError, "verification document"),
            self.env.cr.savepoint(),
        ):
            template.is_published = True
        # A new document arrives: to check, the seller stays blocked.
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            new_doc = self.env["marketplace.seller.document"].create(
                {
                    "partner_id": self.seller.id,
                    "document_type_id": self.doc_type_identity.id,
                    "file": PDF,
                    "file_name": "new-id.pdf",
                    "expiry_date": self.today + timedelta(days=3650),
                }
            )
            self.assertEqual(new_doc.kyc_state, "to_check")
            self.assertTrue(self.seller.kyc_reverification_required)
            new_doc.with_user(self.verifier).action_kyc_approve()
        self.assertFalse(self.seller.kyc_reverification_required)
        self.assertTrue(template.is_published)
        self.assertEqual(new_doc.kyc_approved_by_id, self.verifier)
        self.assertEqual(len(self._events("kyc_revalidated")), 1)
        # The replaced document no longer triggers anything.
        self._run(40)
        self.assertFalse(self.seller.kyc_reverification_required)
