from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException


@tagged("post_install", "-at_install")
class TestPublicationGate(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls.env["res.partner"].create(
            {"name": "Atelier Test", "is_seller": True, "shop_name": "Atelier Test"}
        )
        cls.product = cls.env["product.template"].create(
            {"name": "Linen towel", "marketplace_seller_id": cls.seller.id}
        )

    def test_unvalidated_seller_cannot_publish_by_write(self):
        with self.assertRaises(ValidationError):
            self.product.write({"is_published": True})
        self.assertFalse(self.product.is_published)

    def test_unvalidated_seller_cannot_publish_on_create(self):
        with self.assertRaises(ValidationError):
            self.env["product.template"].create(
                {
                    "name": "Mug",
                    "marketplace_seller_id": self.seller.id,
                    "is_published": True,
                }
            )


@tagged("post_install", "-at_install")
class TestPublicationGateRpc(HttpCase):
    def test_rpc_write_is_refused(self):
        seller = self.env["res.partner"].create(
            {"name": "RPC Seller", "is_seller": True}
        )
        product = self.env["product.template"].create(
            {"name": "RPC bowl", "marketplace_seller_id": seller.id}
        )
        self.authenticate("admin", "admin")
        with self.assertRaises(JsonRpcException) as error:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/product.template/write",
                {
                    "model": "product.template",
                    "method": "write",
                    "args": [[product.id], {"is_published": True}],
                    "kwargs": {},
                },
            )
        self.assertIn("ValidationError", str(error.exception))
        product.invalidate_recordset()
        self.assertFalse(product.is_published)
