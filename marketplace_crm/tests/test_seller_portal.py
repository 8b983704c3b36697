import base64

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import PDF, PNG, register_seller, run_registration_job


@tagged("post_install", "-at_install")
class TestSellerPortal(HttpCase):
    """The registration form and the seller pages, as a visitor and as two
    sellers who must never reach each other's records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller_a = register_seller(
            cls.env,
            {"name": "Anna", "email": "anna@example.com", "shop_name": "Anna Ceramics"},
        )
        cls.seller_b = register_seller(
            cls.env,
            {"name": "Bruno", "email": "bruno@example.com", "shop_name": "Bruno Wood"},
        )
        for seller, login in ((cls.seller_a, "anna"), (cls.seller_b, "bruno")):
            seller.user_ids.write({"login": login, "password": f"{login}-pass"})
        cls.doc_type = cls.env.ref("marketplace_crm.marketplace_document_type_business")
        cls.product_b = cls.env["product.template"].create(
            {
                "name": "Bruno's secret spoon",
                "marketplace_seller_id": cls.seller_b.id,
                "type": "consu",
                "list_price": 30,
            }
        )
        cls.doc_b = cls.env["marketplace.seller.document"].create(
            {
                "partner_id": cls.seller_b.id,
                "document_type_id": cls.doc_type.id,
                "file": PDF,
                "file_name": "bruno-kbis.pdf",
            }
        )

    def _csrf(self, url="/my/seller"):
        page = self.url_open(url).text
        return page.split('name="csrf_token" value="')[1].split('"')[0]

    def _post(self, url, data, files=None):
        data = dict(data, csrf_token=self._csrf())
        return self.url_open(url, data=data, files=files)

    # ------------------------------------------------------------ registration
    def test_registration_form(self):
        page = self.url_open("/marketplace/sell")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Register as a seller", page.text)
        csrf = self._csrf("/marketplace/sell")
        response = self.url_open(
            "/marketplace/sell",
            data={
                "csrf_token": csrf,
                "name": "Chloé",
                "email": "chloe@example.com",
                "shop_name": "Chloé Linen",
                "shop_description": "Linen towels.",
            },
        )
        self.assertIn("registration_done", response.text)
        run_registration_job(self.env)
        chloe = self.env["res.partner"].search([("email", "=", "chloe@example.com")])
        self.assertTrue(chloe.is_seller)
        self.assertTrue(chloe.user_ids)
        # The same answer for an address that already has an account.
        again = self.url_open(
            "/marketplace/sell",
            data={
                "csrf_token": csrf,
                "name": "Anna",
                "email": "anna@example.com",
                "shop_name": "Anna Ceramics",
            },
        )
        self.assertIn("registration_done", again.text)
        run_registration_job(self.env)
        self.assertEqual(
            self.env["res.users"].search_count(
                [("login", "in", ("anna", "anna@example.com"))]
            ),
            1,
        )

    def test_registration_bad_input(self):
        csrf = self._csrf("/marketplace/sell")
        Partner = self.env["res.partner"]
        cases = [
            ({"name": "X", "email": "not-an-email", "shop_name": "S"}, "valid e-mail"),
            ({"name": "", "email": "x@example.com", "shop_name": "S"}, "is required"),
            (
                {
                    "name": "X",
                    "email": "x@example.com",
                    "shop_name": "<script>alert(1)</script>",
                },
                "HTML or scripts",
            ),
        ]
        for data, message in cases:
            response = self.url_open(
                "/marketplace/sell", data=dict(data, csrf_token=csrf)
            )
            self.assertIn("registration_error", response.text)
            self.assertIn(message, response.text)
        self.assertFalse(
            Partner.search([("email", "in", ("not-an-email", "x@example.com"))])
        )
        self.assertNotIn("<script>alert(1)</script>", response.text)

    # ------------------------------------------------------------ seller pages
    def test_seller_completes_profile_uploads_and_submits(self):
        self.authenticate("anna", "anna-pass")
        home = self.url_open("/my/seller")
        self.assertIn("Anna Ceramics", home.text)
        self.assertIn("Missing:", home.text)
        response = self._post(
            "/my/seller/profile",
            {
                "shop_name": "Anna Ceramics",
                "shop_description": "Stoneware bowls.",
                "street": "3 rue Basse",
                "city": "Lyon",
                "zip": "69001",
                "country_id": self.env.ref("base.fr").id,
                "acc_number": "FR7612345678901234567890123",
            },
            files={"shop_logo": ("logo.png", base64.b64decode(PNG), "image/png")},
        )
        self.assertIn("Your profile is saved", response.text)
        bad = self._post(
            "/my/seller/document",
            {"document_type_id": self.doc_type.id},
            files={
                "file": ("kbis.exe", b"MZ\x90\x00binary", "application/octet-stream")
            },
        )
        self.assertIn("not accepted", bad.text)
        good = self._post(
            "/my/seller/document",
            {"document_type_id": self.doc_type.id},
            files={"file": ("kbis.pdf", base64.b64decode(PDF), "application/pdf")},
        )
        self.assertIn("The document is uploaded", good.text)
        self.assertEqual(self.seller_a.profile_completeness, 100)
        submitted = self._post("/my/seller/submit", {})
        self.assertIn("the team will check your documents", submitted.text)
        self.assertEqual(self.seller_a.verification_state, "pending")

    def test_profile_bad_input_changes_nothing(self):
        self.authenticate("anna", "anna-pass")
        response = self._post(
            "/my/seller/profile",
            {"shop_name": "<img src=x onerror=alert(1)>", "city": "Lyon"},
        )
        self.assertIn("HTML or scripts", response.text)
        fake_logo = self._post(
            "/my/seller/profile",
            {"shop_name": "Anna Ceramics", "city": "Paris"},
            files={"shop_logo": ("logo.png", b"%PDF-1.4 not an image", "image/png")},
        )
        self.assertIn("not accepted", fake_logo.text)
        self.seller_a.invalidate_recordset()
        self.assertEqual(self.seller_a.shop_name, "Anna Ceramics")
        self.assertFalse(self.seller_a.city, "Nothing half-saved")
        empty = self._post(
            "/my/seller/document", {"document_type_id": self.doc_type.id}
        )
        self.assertIn("Choose a file", empty.text)
        self.assertFalse(self.seller_a.seller_document_ids)

    def test_seller_sees_own_sales_only(self):
        buyer = self.env["res.partner"].create({"name": "Sales Buyer"})
        product_a = self.env["product.product"].create(
            {"name": "Anna's plate", "marketplace_seller_id": self.seller_a.id}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": buyer.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product_a.id,
                            "product_uom_qty": 2,
                            "price_unit": 15,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "product_id": self.product_b.product_variant_id.id,
                            "product_uom_qty": 1,
                            "price_unit": 30,
                        },
                    ),
                ],
            }
        )
        order.action_confirm()
        self.authenticate("anna", "anna-pass")
        page = self.url_open("/my/seller").text
        self.assertIn("Anna&#39;s plate", page.replace("'", "&#39;"))
        self.assertIn(order.name, page)
        self.assertNotIn("secret spoon", page)

    def test_rejection_reason_shown_and_resubmission(self):
        self.seller_a.write({"verification_state": "pending"})
        self.seller_a.with_user(self.env.ref("base.user_admin")).action_reject_seller(
            "The registration certificate is older than three months."
        )
        self.authenticate("anna", "anna-pass")
        page = self.url_open("/my/seller")
        self.assertIn("older than three months", page.text)
        self.assertIn("submit_verification", page.text)

    def test_products_and_publication_gate(self):
        self.authenticate("anna", "anna-pass")
        csrf = self._csrf()
        created = self.url_open(
            "/my/seller/product/new",
            data={
                "csrf_token": csrf,
                "name": "Blue bowl",
                "description_sale": "Glazed.",
                "list_price": "24.5",
                "quantity": "6",
            },
        )
        product = self.env["product.template"].search([("name", "=", "Blue bowl")])
        self.assertEqual(product.marketplace_seller_id, self.seller_a)
        self.assertIn("The product is saved", created.text)
        self.assertEqual(product.qty_available, 6)
        refused = self._post(
            f"/my/seller/product/{product.id}/publish", {"publish": "1"}
        )
        self.assertIn("will go live as soon as your shop is validated", refused.text)
        self.assertIn("Goes live on validation", refused.text)
        product.invalidate_recordset()
        self.assertFalse(product.is_published)
        self.assertTrue(product.marketplace_publish_requested)
        cancelled = self._post(
            f"/my/seller/product/{product.id}/publish", {"publish": "0"}
        )
        self.assertEqual(cancelled.status_code, 200)
        product.invalidate_recordset()
        self.assertFalse(product.marketplace_publish_requested)
        bad = self.url_open(
            f"/my/seller/product/{product.id}",
            data={"csrf_token": csrf, "name": "Bowl", "list_price": "-3"},
        )
        self.assertIn("Price must be a number such as 12 or 12.50", bad.text)
        for price in ("nan", "inf", "twelve"):
            not_a_number = self.url_open(
                f"/my/seller/product/{product.id}",
                data={"csrf_token": csrf, "name": "Bowl", "list_price": price},
            )
            self.assertIn("must be a number", not_a_number.text)
        product.invalidate_recordset()
        self.assertEqual((product.name, product.list_price), ("Blue bowl", 24.5))

    def test_forged_selections_are_refused(self):
        """A select posted with something that is not an id of the list
        neither crashes the page nor saves anything: the form says why."""
        self.authenticate("anna", "anna-pass")
        profile = self._post(
            "/my/seller/profile",
            {"shop_name": "Anna Ceramics", "city": "Lyon", "country_id": "1 OR 1=1"},
        )
        self.assertEqual(profile.status_code, 200)
        self.assertIn("Choose the country from the list", profile.text)
        self.seller_a.invalidate_recordset()
        self.assertFalse(self.seller_a.city)
        self.assertFalse(self.seller_a.country_id)
        document = self._post(
            "/my/seller/document",
            {"document_type_id": "abc"},
            files={"file": ("id.pdf", b"%PDF-1.4 identity", "application/pdf")},
        )
        self.assertEqual(document.status_code, 200)
        self.assertIn("Choose the type of the document", document.text)
        self.assertFalse(self.seller_a.seller_document_ids)

    # ---------------------------------------------- the line between sellers
    def test_seller_cannot_reach_another_sellers_records(self):
        buyer = self.env["res.partner"].create({"name": "Bruno's customer"})
        order = self.env["sale.order"].create(
            {
                "partner_id": buyer.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product_b.product_variant_id.id,
                            "product_uom_qty": 1,
                        },
                    )
                ],
            }
        )
        order.action_confirm()
        self.authenticate("anna", "anna-pass")
        for url in (f"/my/seller/product/{self.product_b.id}",):
            self.assertEqual(self.url_open(url).status_code, 404)
        response = self._post(
            f"/my/seller/product/{self.product_b.id}/publish", {"publish": "1"}
        )
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            f"/my/seller/product/{self.product_b.id}",
            data={"csrf_token": self._csrf(), "name": "Stolen", "list_price": "1"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.product_b.name, "Bruno's secret spoon")
        home = self.url_open("/my/seller").text
        self.assertNotIn("Bruno", home)
        self.assertNotIn("bruno-kbis.pdf", home)

        def rpc(model, method, args, kwargs=None):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            )

        with self.assertRaises(JsonRpcException):
            rpc("res.partner", "write", [[self.seller_b.id], {"shop_name": "Mine"}])
        with self.assertRaises(JsonRpcException):
            rpc(
                "res.partner",
                "read",
                [[self.seller_b.id], ["bank_ids", "seller_document_ids"]],
            )
        with self.assertRaises(JsonRpcException):
            rpc(
                "marketplace.seller.document",
                "search_read",
                [[]],
                {"fields": ["file_name"]},
            )
        with self.assertRaises(JsonRpcException):
            rpc("marketplace.seller.document", "read", [[self.doc_b.id], ["file"]])
        with self.assertRaises(JsonRpcException):
            rpc(
                "product.template",
                "write",
                [[self.product_b.id], {"is_published": True}],
            )
        with self.assertRaises(JsonRpcException):
            rpc("crm.lead", "search_read", [[]], {"fields": ["name"]})
        found = rpc(
            "marketplace.dispute",
            "search_read",
            [[("seller_id", "=", self.seller_b.id)]],
            {"fields": ["name"]},
        )
        self.assertEqual(found, [])
        found = rpc(
            "marketplace.order.seller",
            "search_read",
            [[("seller_id", "=", self.seller_b.id)]],
            {"fields": ["id"]},
        )
        self.assertEqual(found, [])
        found = rpc(
            "helpdesk.ticket",
            "search_read",
            [[("seller_id", "=", self.seller_b.id)]],
            {"fields": ["id"]},
        )
        self.assertEqual(found, [])
        found = rpc(
            "sale.order.line",
            "search_read",
            [
                [
                    (
                        "product_id.product_tmpl_id.marketplace_seller_id",
                        "=",
                        self.seller_b.id,
                    )
                ]
            ],
            {"fields": ["id"]},
        )
        self.assertEqual(found, [])
        self.seller_b.invalidate_recordset()
        self.assertEqual(self.seller_b.shop_name, "Bruno Wood")

    def test_non_seller_gets_no_seller_pages(self):
        portal = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Just Buyer",
                    "login": "justbuyer",
                    "password": "justbuyer-pass",
                    "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
                }
            )
        )
        self.assertTrue(portal)
        self.authenticate("justbuyer", "justbuyer-pass")
        self.assertEqual(self.url_open("/my/seller").status_code, 404)

    def test_backend_and_portal_edits_move_the_opportunity_alike(self):
        """The same profile edit, once from "My shop" and once from the
        backend form, moves each seller's onboarding opportunity the same way:
        both go through the same model methods."""
        Lead = self.env["crm.lead"]
        lead_a = Lead.search([("marketplace_seller_id", "=", self.seller_a.id)])
        lead_b = Lead.search([("marketplace_seller_id", "=", self.seller_b.id)])
        profile = self.env.ref("marketplace_crm.crm_stage_onboarding_profile")
        documents = self.env.ref("marketplace_crm.crm_stage_onboarding_documents")
        # 1. An address: the profile is being completed.
        self.authenticate("anna", "anna-pass")
        self._post(
            "/my/seller/profile",
            {"shop_name": "Anna Ceramics", "street": "3 rue Basse", "city": "Lyon"},
        )
        staff = self.env.ref("marketplace_crm.user_mp_agent")
        self.seller_b.with_user(staff).write({"street": "3 rue Basse", "city": "Lyon"})
        self.assertEqual(lead_a.stage_id, profile)
        self.assertEqual(lead_b.stage_id, profile)
        # 2. Everything else, documents included: ready for validation.
        complete = {
            "shop_description": "Handmade.",
            "country_id": self.env.ref("base.fr").id,
        }
        self._post(
            "/my/seller/profile",
            dict(
                complete,
                shop_name="Anna Ceramics",
                street="3 rue Basse",
                city="Lyon",
                acc_number="FR7612345678901234567890123",
            ),
            files={"shop_logo": ("logo.png", base64.b64decode(PNG), "image/png")},
        )
        self._post(
            "/my/seller/document",
            {"document_type_id": self.doc_type.id},
            files={"file": ("kbis.pdf", base64.b64decode(PDF), "application/pdf")},
        )
        form_b = self.seller_b.with_user(staff)
        form_b.write(dict(complete, shop_logo=PNG))
        # Odoo lets "Contact Creation" users add bank accounts: the admin here.
        self.env["res.partner.bank"].create(
            {
                "partner_id": self.seller_b.id,
                "acc_number": "FR7699999999999999999999999",
            }
        )
        self.assertEqual(self.seller_a.profile_completeness, 100)
        self.assertEqual(self.seller_b.profile_completeness, 100)
        self.assertEqual(lead_a.stage_id, documents)
        self.assertEqual(lead_b.stage_id, documents)
