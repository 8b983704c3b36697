from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PDF, PNG, MarketplaceCase


@tagged("post_install", "-at_install")
class TestSellerOnboarding(MarketplaceCase):
    """Registration, the onboarding pipeline and the notifications."""

    def _register(self, email="maker@example.com", name="Maker"):
        return self.Partner._marketplace_register_seller(
            {
                "name": name,
                "email": email,
                "shop_name": f"{name} shop",
                "phone": "0102030405",
            }
        )

    def _lead(self, seller):
        return self.env["crm.lead"].search([("marketplace_seller_id", "=", seller.id)])

    def _stage(self, step):
        return self.env.ref(f"marketplace_crm.crm_stage_onboarding_{step}")

    def test_registration_notifies_the_onboarding_team_followers(self):
        team = self.env.ref("marketplace_crm.crm_team_seller_onboarding")
        team.message_subscribe(
            self.staff.partner_id.ids, self.env.ref("crm.mt_salesteam_lead").ids
        )
        seller = self._register(email="notify@example.com", name="Notify")
        lead = self._lead(seller)
        self.assertIn(self.staff.partner_id, lead.message_partner_ids)
        created = lead.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("crm.mt_lead_create")
        )
        self.assertEqual(len(created), 1)
        self.assertIn(self.staff.partner_id, created.notified_partner_ids)

    def test_registration_creates_seller_user_and_opportunity(self):
        seller = self._register()
        self.assertTrue(seller.is_seller)
        self.assertEqual(seller.verification_state, "draft")
        self.assertEqual(seller.shop_name, "Maker shop")
        user = seller.user_ids
        self.assertEqual(len(user), 1)
        self.assertTrue(user._is_portal())
        self.assertEqual(
            seller.signup_type, "signup", "Odoo's sign-up invitation was prepared"
        )
        lead = self._lead(seller)
        self.assertEqual(lead.stage_id, self._stage("registration"))
        self.assertEqual(
            lead.team_id, self.env.ref("marketplace_crm.crm_team_seller_onboarding")
        )

    def test_existing_email_reuses_the_contact(self):
        first = self._register("Same@Example.com")
        again = self._register("same@example.com", name="Other Name")
        self.assertEqual(first, again)
        self.assertEqual(len(again.user_ids), 1)
        self.assertEqual(len(self._lead(again)), 1)
        # A customer who already buys becomes a seller on the same contact.
        buyer = self.Partner.create({"name": "Buyer", "email": "buyer@example.com"})
        self.assertEqual(self._register("buyer@example.com", name="Buyer"), buyer)
        self.assertTrue(buyer.is_seller)

    def test_pipeline_moves_with_progress_and_never_back(self):
        seller = self._register()
        lead = self._lead(seller)
        seller.write(
            {
                "street": "2 rue Haute",
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        seller._marketplace_onboarding_sync()
        self.assertEqual(lead.stage_id, self._stage("profile"))
        seller.write(
            {
                "shop_description": "Stoneware.",
                "shop_logo": PNG,
                "bank_ids": [(0, 0, {"acc_number": "FR7611112222333344445555666"})],
                "seller_document_ids": [
                    (
                        0,
                        0,
                        {
                            "document_type_id": self.doc_type_business.id,
                            "file": PDF,
                            "file_name": "kbis.pdf",
                        },
                    )
                ],
            }
        )
        seller._marketplace_onboarding_sync()
        self.assertEqual(seller.profile_completeness, 100)
        self.assertEqual(lead.stage_id, self._stage("documents"))
        seller.action_submit_verification()
        activity = seller.activity_ids.filtered(
            lambda a: "Check the documents" in a.summary
        )
        self.assertEqual(activity.user_id, self.env.ref("base.user_admin"))
        seller.with_user(self.staff).action_validate_seller()
        self.assertEqual(lead.stage_id, self._stage("activation"))
        product = self._create_product(seller, "Mug", 20).product_tmpl_id
        product.is_published = True
        self.assertEqual(lead.stage_id, self._stage("active"))
        self.assertTrue(lead.stage_id.is_won)
        # Staff moved the card by hand: the automation does not move it back.
        lead.stage_id = self._stage("active")
        seller._marketplace_onboarding_sync()
        self.assertEqual(lead.stage_id, self._stage("active"))

    def test_operations_user_from_settings(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.operations_user_id", self.staff.id
        )
        seller = self._create_seller("Reviewed")
        seller.action_submit_verification()
        activity = seller.activity_ids.filtered(
            lambda a: "Check the documents" in a.summary
        )
        self.assertEqual(activity.user_id, self.staff)

    def _outcome_mails(self, seller):
        return (
            self.env["mail.mail"]
            .search([("model", "=", "res.partner"), ("res_id", "=", seller.id)])
            .filtered(lambda m: seller in m.recipient_ids)
        )

    def test_outcome_emails(self):
        approved = self._create_seller("Approved", email="approved@example.com")
        approved.action_submit_verification()
        approved.with_user(self.staff).action_validate_seller()
        mails = self._outcome_mails(approved)
        self.assertEqual(len(mails), 1)
        self.assertIn("is approved", mails.subject)
        refused = self._create_seller("Refused", email="refused@example.com")
        refused.action_submit_verification()
        refused.with_user(self.staff).action_reject_seller("Blurry identity card")
        mails = self._outcome_mails(refused)
        self.assertEqual(len(mails), 1)
        self.assertIn("needs changes", mails.subject)
        self.assertIn("Blurry identity card", mails.body_html)

    def test_publication_email_once_per_product(self):
        seller = self._create_validated_seller("Publisher", email="pub@example.com")
        product = self._create_product(seller, "Candle", 12).product_tmpl_id
        product.is_published = True
        product.is_published = False
        product.is_published = True
        mails = self.env["mail.mail"].search(
            [("model", "=", "product.template"), ("res_id", "=", product.id)]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn("tips", mails.body_html)
        self.assertIn(seller, mails.recipient_ids)

    def test_document_files_are_checked(self):
        seller = self._create_seller("Docs")
        Document = self.env["marketplace.seller.document"]
        vals = {"partner_id": seller.id, "document_type_id": self.doc_type_business.id}
        with (
            self.env.cr.savepoint(),
            self.assertRaisesRegex(ValidationError, "not a PDF"),
        ):
            Document.create(
                dict(vals, file=b"PGh0bWw+PHNjcmlwdD48L3NjcmlwdD4=", file_name="x.pdf")
            )
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.document_max_size_mb", 1
        )
        big = PDF + b"A" * (2 * 1024 * 1024)
        with (
            self.env.cr.savepoint(),
            self.assertRaisesRegex(ValidationError, "may not exceed"),
        ):
            Document.create(dict(vals, file=big, file_name="big.pdf"))
        Document.create(dict(vals, file=PNG, file_name="scan.png"))

    def test_seller_sets_available_quantity(self):
        seller = self._create_validated_seller("Stocked")
        product = self._create_product(
            seller, "Basket", is_storable=True
        ).product_tmpl_id
        product._marketplace_set_quantity(7)
        self.assertEqual(product.qty_available, 7)
        product._marketplace_set_quantity(3)
        self.assertEqual(product.qty_available, 3)
