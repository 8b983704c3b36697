from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import PDF, PNG, MarketplaceCase, register_seller


@tagged("post_install", "-at_install")
class TestSellerOnboarding(MarketplaceCase):
    """Registration, the onboarding pipeline and the notifications."""

    def _register(self, email="maker@example.com", name="Maker"):
        return register_seller(
            self.env,
            {
                "name": name,
                "email": email,
                "shop_name": f"{name} shop",
                "phone": "0102030405",
            },
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

    def _queued_to(self, email):
        return self.env["mail.mail"].search([("email_to", "=", email)])

    def test_known_address_changes_nothing_and_is_asked_to_log_in(self):
        """An anonymous registration never writes to an existing contact or
        user: the owner of the address is e-mailed instead."""
        first = self._register("Same@Example.com")
        portal_buyer = self.env["res.users"].create(
            {
                "name": "Portal Buyer",
                "login": "portal.buyer@example.com",
                "email": "portal.buyer@example.com",
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        contact = self.Partner.create(
            {"name": "Buyer", "email": "buyer@example.com", "phone": "111"}
        )
        company = self.Partner.create(
            {"name": "Acme", "is_company": True, "email": "acme@example.com"}
        )
        known = {
            "same@example.com": first,
            "portal.buyer@example.com": portal_buyer.partner_id,
            "buyer@example.com": contact,
            "acme@example.com": company,
            self.staff.email: self.staff.partner_id,
        }
        fields = ["name", "phone", "is_seller", "shop_name", "shop_description"]
        before = {email: p.read(fields)[0] for email, p in known.items()}
        counts = (
            self.Partner.search_count([]),
            self.env["res.users"].search_count([]),
            self.env["crm.lead"].search_count([]),
        )
        for email in known:
            self.assertFalse(
                self._register(email.upper(), name="Intruder"),
                "nothing is created for a known address",
            )
        for email, partner in known.items():
            partner.invalidate_recordset()
            self.assertEqual(partner.read(fields)[0], before[email])
            mail = self._queued_to(email.lower())
            self.assertEqual(len(mail), 1, email)
            self.assertIn("/web/login?redirect=/marketplace/sell", mail.body_html)
        self.assertEqual(
            counts,
            (
                self.Partner.search_count([]),
                self.env["res.users"].search_count([]),
                self.env["crm.lead"].search_count([]),
            ),
        )

    def test_registration_queues_its_emails(self):
        """No e-mail is sent during the registration: all are queued, so a
        mail server down cannot fail it, and each has a sender."""
        seller = self._register("queued@example.com", name="Queued")
        self.assertTrue(seller)
        invitation = self.env["mail.mail"].search(
            [("model", "=", "res.users"), ("res_id", "=", seller.user_ids.id)]
        )
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.state, "outgoing")
        self.assertIn("/web/signup?", invitation.body_html)
        self.assertIn("Queued shop", invitation.subject)
        mails = self.env["mail.mail"].search([("state", "=", "outgoing")])
        self.assertTrue(all(mail.email_from for mail in mails))

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
        seller.with_user(self.verifier).action_validate_seller()
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
            "marketplace_crm.operations_user_id", self.verifier.id
        )
        seller = self._create_seller("Reviewed")
        seller.action_submit_verification()
        activity = seller.activity_ids.filtered(
            lambda a: "Check the documents" in a.summary
        )
        self.assertEqual(activity.user_id, self.verifier)
        # A reviewer outside the seller verification team could not decide:
        # the check goes to the administrator.
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.operations_user_id", self.staff.id
        )
        other = self._create_seller("Reviewed Too")
        other.action_submit_verification()
        self.assertEqual(other.activity_ids.user_id, self.env.ref("base.user_admin"))

    def _outcome_mails(self, seller):
        return (
            self.env["mail.mail"]
            .search([("model", "=", "res.partner"), ("res_id", "=", seller.id)])
            .filtered(
                lambda m: (
                    seller in m.recipient_ids
                    and ("approved" in m.subject or "needs changes" in m.subject)
                )
            )
        )

    def test_outcome_emails(self):
        approved = self._create_seller("Approved", email="approved@example.com")
        approved.action_submit_verification()
        approved.with_user(self.verifier).action_validate_seller()
        mails = self._outcome_mails(approved)
        self.assertEqual(len(mails), 1)
        self.assertIn("is approved", mails.subject)
        refused = self._create_seller("Refused", email="refused@example.com")
        refused.action_submit_verification()
        refused.with_user(self.verifier).action_reject_seller("Blurry identity card")
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

    # ------------------------------------------------------------ rejection
    def _submitted(self, email, name):
        """A registered seller, profile complete, submitted for verification."""
        seller = self._register(email=email, name=name)
        seller.write(
            {
                "street": "2 rue Haute",
                "city": "Lyon",
                "zip": "69001",
                "country_id": self.env.ref("base.fr").id,
                "shop_description": "Stoneware.",
                "shop_logo": PNG,
                "bank_ids": [(0, 0, {"acc_number": f"FR76{abs(hash(email))}"})],
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
        seller.action_submit_verification()
        return seller

    def _any_lead(self, seller):
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("marketplace_seller_id", "=", seller.id)])
        )

    def test_rejected_seller_opportunity_is_lost_and_reopened_on_a_new_start(self):
        """Rejecting a seller marks the onboarding opportunity lost with the
        "Seller rejected" reason and the rejection's reason in its chatter;
        the other seller's stays open. Reset to draft, or submitted again,
        the opportunity is restored in its column."""
        rejected_reason = self.env.ref(
            "marketplace_crm.crm_lost_reason_seller_rejected"
        )
        seller = self._submitted("rose@example.com", "Rose")
        other = self._submitted("ivan@example.com", "Ivan")
        lead, other_lead = self._any_lead(seller), self._any_lead(other)
        self.assertEqual(lead.stage_id, self._stage("documents"))
        seller.with_user(self.verifier).action_reject_seller("Blurred Kbis scan")
        self.assertFalse(lead.active)
        self.assertEqual(lead.won_status, "lost")
        self.assertEqual(lead.probability, 0)
        self.assertEqual(lead.lost_reason_id, rejected_reason)
        self.assertIn(
            "Seller rejected: Blurred Kbis scan",
            "".join(lead.message_ids.mapped("body")),
        )
        self.assertFalse(self._lead(seller), "not in the pipeline's open cards")
        self.assertTrue(other_lead.active)
        self.assertFalse(other_lead.lost_reason_id)
        # The rejected seller edits the profile: still lost, logged once.
        seller.write({"shop_name": "Rose ceramics"})
        self.assertFalse(lead.active)
        self.assertEqual(
            "".join(lead.message_ids.mapped("body")).count("Blurred Kbis scan"), 1
        )
        # Reset to draft by the team: the opportunity is back.
        seller.with_user(self.verifier).action_reset_verification()
        self.assertTrue(lead.active)
        self.assertFalse(lead.lost_reason_id)
        self.assertEqual(lead.won_status, "pending")
        self.assertEqual(lead.stage_id, self._stage("documents"))
        self.assertEqual(self._lead(seller), lead)
        # Rejected again, the seller submits again: restored again.
        seller.action_submit_verification()
        seller.with_user(self.verifier).action_reject_seller("Expired ID")
        self.assertFalse(lead.active)
        seller.action_submit_verification()
        self.assertTrue(lead.active)
        self.assertGreater(lead.probability, 0)
        self.assertEqual(lead.stage_id, self._stage("documents"))

    def test_opportunity_lost_by_hand_is_not_reopened(self):
        """Only the rejection's loss is undone by a new start: a card staff
        marked lost for another reason stays lost."""
        seller = self._submitted("hana@example.com", "Hana")
        lead = self._any_lead(seller)
        lead.action_set_lost(lost_reason_id=self.env.ref("crm.lost_reason_1").id)
        seller.with_user(self.verifier).action_reject_seller("Blurred scan")
        self.assertEqual(lead.lost_reason_id, self.env.ref("crm.lost_reason_1"))
        seller.action_submit_verification()
        self.assertFalse(lead.active)

    def test_onboarding_pipeline_shows_no_revenue_progress_or_lead_mining(self):
        """The Seller Onboarding action opens its own kanban: no expected
        revenue (cards or column sums), no progress bar, no *Generate
        Leads*; CRM's pipeline keeps them. Its list hides *Generate Leads*
        through CRM's own context key."""
        action = self.env.ref("marketplace_crm.action_marketplace_onboarding")
        admin = self.env.ref("base.user_admin")
        Lead = self.env["crm.lead"].with_user(admin)
        onboarding = Lead.get_views([(action.view_id.id, "kanban")])["views"]["kanban"][
            "arch"
        ]
        crm_pipeline = Lead.get_views(
            [(self.env.ref("crm.crm_case_kanban_view_leads").id, "kanban")]
        )["views"]["kanban"]["arch"]
        self.assertEqual(action.view_id.type, "kanban")
        self.assertIn("<progressbar", crm_pipeline)
        self.assertIn("expected_revenue", crm_pipeline)
        for absent in ("<progressbar", "expected_revenue", "sum_field", "recurring"):
            with self.subTest(absent=absent):
                self.assertNotIn(absent, onboarding)
        self.assertIn("marketplace_onboarding_missing", onboarding)
        mining = self.env["ir.module.module"].search(
            [("name", "=", "crm_iap_mine"), ("state", "=", "installed")]
        )
        self.assertEqual("action_generate_leads" in crm_pipeline, bool(mining))
        if mining:
            self.assertNotIn("action_generate_leads", onboarding)
            list_arch = Lead.get_views([(False, "list")])["views"]["list"]["arch"]
            self.assertIn("crm_lead_view_list_short", list_arch)
            self.assertTrue(safe_eval(action.context)["crm_lead_view_list_short"])
