from odoo.tests import HttpCase, tagged

from .common import run_registration_job


@tagged("post_install", "-at_install")
class TestSellerOnboardingTour(HttpCase):
    def test_whole_seller_cycle_in_the_browser(self):
        # 1. A visitor registers on the website.
        self.start_tour("/marketplace/sell", "marketplace_seller_registration")
        run_registration_job(self.env)
        seller = self.env["res.partner"].search(
            [("email", "=", "tour.maker@example.com")]
        )
        self.assertTrue(seller.is_seller)
        user = seller.user_ids
        self.assertTrue(user._is_portal())
        lead = self.env["crm.lead"].search([("marketplace_seller_id", "=", seller.id)])
        self.assertEqual(lead.stage_id.name, "Registration")
        # 2. From the link of the sign-up e-mail, the seller sets a password,
        # completes the profile, uploads a document and submits.
        signup_url = seller._get_signup_url()
        self.start_tour(
            signup_url.split(seller.get_base_url(), 1)[-1], "marketplace_seller_profile"
        )
        seller.invalidate_recordset()
        self.assertEqual(seller.verification_state, "pending")
        self.assertEqual(seller.profile_completeness, 100)
        self.assertEqual(lead.stage_id.name, "Document validation")
        # 3. Staff approve in the backend.
        agent = self.env.ref("marketplace_crm.user_mp_verifier")
        self.start_tour(
            f"/odoo/action-marketplace_crm.action_marketplace_sellers/{seller.id}",
            "marketplace_staff_approve",
            login=agent.login,
        )
        seller.invalidate_recordset()
        self.assertEqual(seller.verification_state, "validated")
        # 4. The seller publishes a product and finds it on the shop.
        self.start_tour("/my/seller", "marketplace_seller_publish", login=user.login)
        product = self.env["product.template"].search(
            [("name", "=", "Tour speckled bowl")]
        )
        self.assertTrue(product.is_published)
        self.assertEqual(product.marketplace_seller_id, seller)
        lead.invalidate_recordset()
        self.assertEqual(lead.stage_id.name, "Active seller")
