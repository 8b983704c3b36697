from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestPublicationGate(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_seller("Gate Seller")
        cls.product = cls._create_product(cls.seller, "Linen towel").product_tmpl_id

    def test_write_is_refused_until_validated(self):
        with (
            self.assertRaisesRegex(ValidationError, "cannot be published"),
            self.env.cr.savepoint(),
        ):
            self.product.write({"is_published": True})
        self.product.invalidate_recordset()
        self.assertFalse(self.product.is_published)
        self.seller.action_submit_verification()
        with (
            self.assertRaisesRegex(ValidationError, "Pending"),
            self.env.cr.savepoint(),
        ):
            self.product.write({"is_published": True})
        self.seller.with_user(self.verifier).action_validate_seller()
        self.product.write({"is_published": True})
        self.assertTrue(self.product.is_published)

    def test_publication_requested_before_validation_goes_live_on_it(self):
        """The seller asks to publish while waiting: the product stays offline,
        then goes live with the listing-tips e-mail when staff validate."""
        self.assertFalse(self.product._marketplace_request_publication())
        self.assertFalse(self.product.is_published)
        self.assertTrue(self.product.marketplace_publish_requested)
        other = self._create_product(self.seller, "Linen apron").product_tmpl_id
        lead = self.seller._marketplace_onboarding_lead()
        self.seller.action_submit_verification()
        self.seller.with_user(self.verifier).action_validate_seller()
        self.assertTrue(self.product.is_published)
        self.assertFalse(self.product.marketplace_publish_requested)
        self.assertFalse(other.is_published, "Only what the seller asked for")
        tips = self.env["mail.mail"].search(
            [("model", "=", "product.template"), ("res_id", "=", self.product.id)]
        )
        self.assertEqual(len(tips), 1)
        self.assertEqual(lead.stage_id, lead._onboarding_stage("active"))

    def test_rejected_or_suspended_sellers_cannot_request_publication(self):
        self.seller.action_submit_verification()
        self.seller.with_user(self.verifier).action_reject_seller("Blurred scan")
        with (
            self.assertRaisesRegex(ValidationError, "cannot be published"),
            self.env.cr.savepoint(),
        ):
            self.product._marketplace_request_publication()
        self.product.invalidate_recordset()
        self.assertFalse(self.product.marketplace_publish_requested)
        self.assertFalse(self.product.is_published)

    def test_create_published_is_refused(self):
        with (
            self.assertRaisesRegex(ValidationError, "cannot be published"),
            self.env.cr.savepoint(),
        ):
            self.env["product.template"].create(
                {
                    "name": "Mug",
                    "marketplace_seller_id": self.seller.id,
                    "is_published": True,
                }
            )
        self.assertFalse(self.env["product.template"].search([("name", "=", "Mug")]))

    def test_variant_and_website_button_are_refused(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.product.product_variant_id.write({"is_published": True})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.product.website_publish_button()
        self.product.invalidate_recordset()
        self.assertFalse(self.product.is_published)

    def test_suspended_seller_is_refused(self):
        seller = self._create_validated_seller("Suspended Gate")
        product = self._create_product(seller).product_tmpl_id
        seller.action_suspend_seller()
        with self.assertRaisesRegex(ValidationError, "suspended"):
            product.is_published = True

    def test_form_is_refused(self):
        with self.assertRaises(ValidationError), Form(self.product) as form:
            form.is_published = True
        self.product.invalidate_recordset()
        self.assertFalse(self.product.is_published)

    def test_changing_seller_of_published_product_is_refused(self):
        validated = self._create_validated_seller("Validated Owner")
        product = self._create_product(validated, is_published=True).product_tmpl_id
        with self.assertRaises(ValidationError):
            product.marketplace_seller_id = self.seller

    def test_import_reports_the_error_and_saves_nothing(self):
        result = self.env["product.template"].load(
            ["name", "marketplace_seller_id/.id", "is_published"],
            [
                ["Imported ok", str(self.seller.id), "0"],
                ["Imported published", str(self.seller.id), "1"],
            ],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(
            any("cannot be published" in m["message"] for m in result["messages"]),
            result["messages"],
        )
        self.assertFalse(
            self.env["product.template"].search([("name", "like", "Imported")]),
            "A failed import leaves nothing half-written",
        )

    def test_batch_write_is_all_or_nothing(self):
        validated = self._create_validated_seller("Batch Owner")
        good = self._create_product(validated, "Good").product_tmpl_id
        products = good | self.product
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            products.write({"is_published": True})
        products.invalidate_recordset()
        self.assertFalse(good.is_published)
        self.assertFalse(self.product.is_published)


@tagged("post_install", "-at_install")
class TestPublicationGateRpc(HttpCase):
    def setUp(self):
        super().setUp()
        self.seller = self.env["res.partner"].create(
            {"name": "RPC Seller", "is_seller": True}
        )
        self.product = self.env["product.template"].create(
            {"name": "RPC bowl", "marketplace_seller_id": self.seller.id}
        )
        self.authenticate("admin", "admin")

    def _call(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/product.template/{method}",
            {
                "model": "product.template",
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        )

    def test_rpc_write_is_refused(self):
        with self.assertRaises(JsonRpcException) as error:
            self._call("write", [[self.product.id], {"is_published": True}])
        self.assertIn("ValidationError", str(error.exception))
        self.product.invalidate_recordset()
        self.assertFalse(self.product.is_published)

    def test_rpc_create_is_refused(self):
        with self.assertRaises(JsonRpcException):
            self._call(
                "create",
                [
                    {
                        "name": "RPC created",
                        "marketplace_seller_id": self.seller.id,
                        "is_published": True,
                    }
                ],
            )
        self.assertFalse(
            self.env["product.template"].search([("name", "=", "RPC created")])
        )

    def test_rpc_website_publish_button_is_refused(self):
        """The publish switch of the website editor calls website_publish_button."""
        with self.assertRaises(JsonRpcException):
            self._call("website_publish_button", [[self.product.id]])
        self.product.invalidate_recordset()
        self.assertFalse(self.product.is_published)
