from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestSellerVerification(MarketplaceCase):
    def test_full_cycle_records_who_and_when(self):
        seller = self._create_seller("Cycle")
        self.assertEqual(seller.verification_state, "draft")
        seller.action_submit_verification()
        self.assertEqual(seller.verification_state, "pending")
        seller.with_user(self.verifier).action_validate_seller()
        self.assertEqual(seller.verification_state, "validated")
        self.assertEqual(seller.verification_user_id, self.verifier)
        self.assertTrue(seller.verification_date)

    def test_changes_are_tracked_in_the_chatter(self):
        seller = self._create_seller("Tracked")
        self.cr.flush()  # creation and later changes are separate transactions
        seller.action_submit_verification()
        self.cr.flush()
        seller.with_user(self.verifier).action_validate_seller()
        self.cr.flush()
        tracked = seller.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "verification_state"
        )
        self.assertEqual(
            sorted(tracked.mapped("new_value_char")), ["Pending", "Validated"]
        )

    def test_outcome_email_is_queued_and_kept_in_the_chatter(self):
        seller = self._create_seller("Told", email="told@example.com")
        seller.action_submit_verification()
        before = self.env["mail.mail"].search([])
        seller.with_user(self.verifier).action_validate_seller()
        self.env.flush_all()
        mail = self.env["mail.mail"].search(
            [("id", "not in", before.ids), ("recipient_ids", "in", seller.ids)]
        )
        self.assertEqual(len(mail), 1, mail.mapped("subject"))
        self.assertEqual(mail.recipient_ids, seller)
        # Queued: sent by the mail queue, not during the click.
        self.assertEqual(mail.state, "outgoing")
        # Once sent, the queue deletes the e-mail: what the seller was told
        # stays in the seller's history.
        message = mail.mail_message_id
        mail.unlink()
        self.assertTrue(message.exists())
        self.assertIn(message, seller.message_ids)

    def test_incomplete_profile_cannot_be_submitted(self):
        seller = self._create_seller("Incomplete", complete=False, shop_name="Shop")
        with self.assertRaisesRegex(UserError, "incomplete"):
            seller.action_submit_verification()
        self.assertEqual(seller.verification_state, "draft")

    def test_rejection_requires_a_reason(self):
        seller = self._create_seller("Reject Me")
        seller.action_submit_verification()
        for reason in ("", "   ", None):
            with self.assertRaisesRegex(UserError, "needs a reason"):
                seller.with_user(self.verifier).action_reject_seller(reason)
        self.assertEqual(seller.verification_state, "pending")
        seller.with_user(self.verifier).action_reject_seller("Document unreadable")
        self.assertEqual(seller.verification_state, "rejected")
        self.assertEqual(seller.verification_rejection_reason, "Document unreadable")
        # The seller fixes the profile and resubmits; the old reason is cleared.
        seller.action_submit_verification()
        self.assertEqual(seller.verification_state, "pending")
        self.assertFalse(seller.verification_rejection_reason)

    def test_reject_wizard(self):
        seller = self._create_seller("Wizard")
        seller.action_submit_verification()
        action = seller.with_user(self.verifier).action_open_reject_wizard()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.verifier)
            .with_context(**action["context"])
        )
        wizard_form.reason = "Expired identity card"
        wizard_form.save().action_reject()
        self.assertEqual(seller.verification_state, "rejected")
        self.assertEqual(seller.verification_rejection_reason, "Expired identity card")

    def test_invalid_transitions_are_refused(self):
        seller = self._create_seller("Invalid")
        with self.assertRaisesRegex(UserError, "Only a seller pending verification"):
            seller.with_user(self.verifier).action_validate_seller()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            seller.write({"verification_state": "validated"})
        self.assertEqual(seller.verification_state, "draft")

    def test_validation_refused_when_profile_became_incomplete(self):
        seller = self._create_seller("Changed Mind")
        seller.action_submit_verification()
        seller.seller_document_ids.unlink()
        with self.assertRaisesRegex(UserError, "incomplete"):
            seller.with_user(self.verifier).action_validate_seller()
        self.assertEqual(seller.verification_state, "pending")

    def test_only_staff_can_decide(self):
        seller = self._create_seller("Self Validation")
        seller.action_submit_verification()
        internal = self.env["res.users"].create(
            {
                "name": "Employee",
                "login": "plain_employee",
                "group_ids": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(UserError):
            seller.with_user(internal).action_validate_seller()
        with self.assertRaises(UserError):
            seller.with_user(internal).write({"verification_state": "validated"})
        self.assertEqual(seller.verification_state, "pending")

    def test_rejecting_or_suspending_unpublishes_listings(self):
        seller = self._create_validated_seller("Unpublish")
        product = self._create_product(seller, is_published=True)
        self.assertTrue(product.is_published)
        seller.action_suspend_seller()
        self.assertFalse(product.is_published)
        seller.action_reinstate_seller()
        product.is_published = True
        seller.with_user(self.verifier).action_reject_seller("Counterfeit goods")
        self.assertFalse(product.is_published)
