from odoo.tests import HttpCase, tagged

from .common import PDF, PNG


@tagged("post_install", "-at_install")
class TestVerificationTour(HttpCase):
    def test_staff_reject_then_approve_in_the_backend(self):
        seller = self.env["res.partner"].create(
            {
                "name": "Tour Pending Seller",
                "is_seller": True,
                "is_company": True,
                "shop_name": "Tour shop",
                "shop_description": "Handmade.",
                "shop_logo": PNG,
                "street": "1 rue du Tour",
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
                "bank_ids": [(0, 0, {"acc_number": "FR7630006000011234567890189"})],
                "seller_document_ids": [
                    (
                        0,
                        0,
                        {
                            "document_type_id": self.env.ref(
                                "marketplace_crm.marketplace_document_type_business"
                            ).id,
                            "file": PDF,
                            "file_name": "kbis.pdf",
                        },
                    )
                ],
            }
        )
        seller.action_submit_verification()
        agent = self.env.ref("marketplace_crm.user_mp_verifier")
        self.start_tour("/odoo", "marketplace_seller_verification", login=agent.login)
        seller.invalidate_recordset()
        self.assertEqual(seller.verification_state, "validated")
        self.assertEqual(seller.verification_user_id, agent)
        self.assertFalse(seller.verification_rejection_reason)
        reasons = seller.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "verification_rejection_reason"
        )
        self.assertIn(
            "The identity document is unreadable.", reasons.mapped("new_value_text")
        )
