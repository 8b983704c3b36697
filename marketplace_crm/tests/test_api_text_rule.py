"""The API follows the characters rule of the portal forms
(``marketplace_input.character_problem``): every text field of every
endpoint that writes, with every text of the shared corpus (and a lone
surrogate, which JSON can carry), is answered 422 naming the field and the
reason, and nothing is written."""

import base64

from odoo.tests import HttpCase, tagged

from .common import PDF, MarketplaceCase
from .text_corpus import FILE_NAMES, SURROGATE, TEXTS, multipart

API = "/marketplace/api"


@tagged("post_install", "-at_install")
class TestApiTextRule(HttpCase, MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_validated_seller("Tara Textiles")
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Uma Buyer", "email": "uma@example.com"}
        )
        cls.key_seller = cls._key(cls._portal_user(cls.seller, "api_text_tara"))
        cls.key_buyer = cls._key(cls._portal_user(cls.buyer, "api_text_uma"))
        cls.key_staff = cls._key(cls.staff)
        variant = cls._create_product(cls.seller, "Tara scarf", 40.0)
        cls.listing = variant.product_tmpl_id
        order = cls._create_order(cls.buyer, [(variant, 1, 40.0)])
        cls.part = cls.env["marketplace.order.seller"].search(
            [("order_id", "=", order.id)]
        )
        cls.order = order
        cls.env["ir.config_parameter"].set_param("marketplace_crm.api_rate_limit", 0)

    @classmethod
    def _portal_user(cls, partner, login):
        return cls.env["res.users"].create(
            {
                "name": partner.name,
                "login": login,
                "partner_id": partner.id,
                "group_ids": [(6, 0, [cls.env.ref("base.group_portal").id])],
            }
        )

    @classmethod
    def _key(cls, user):
        client = cls.env["marketplace.api.client"].create(
            {"name": f"Integration of {user.login}", "user_id": user.id}
        )
        return client.action_generate_key()["context"]["default_key"]

    def api(self, method, path, key, body=None, **kwargs):
        return self.url_open(
            API + path,
            method=method,
            json=body,
            headers={"Authorization": f"Bearer {key}"},
            **kwargs,
        )

    def _state(self):
        """What any of these calls could have written."""
        counts = tuple(
            self.env[model].sudo().with_context(active_test=False).search_count([])
            for model in (
                "res.partner",
                "product.template",
                "marketplace.dispute",
                "helpdesk.ticket",
                "mail.message",
                "marketplace.seller.document",
                "rating.rating",
            )
        )
        self.env.invalidate_all()
        profile = self.seller.read(
            ["shop_name", "shop_description", "phone", "street", "city", "zip"]
        )
        return counts, profile, self.listing.name, self.listing.description_sale

    def _endpoints(self):
        """(method, path, key, a valid body, one-line fields, multi-line
        fields): every endpoint of the API that stores text."""
        return [
            (
                "POST",
                "/sellers",
                self.key_staff,
                {"name": "Vera", "email": "vera@example.com", "shop_name": "Vera"},
                ("name", "email", "phone", "shop_name"),
                ("shop_description",),
            ),
            (
                "PATCH",
                "/sellers/me",
                self.key_seller,
                {},
                ("shop_name", "phone", "street", "city", "zip"),
                ("shop_description",),
            ),
            (
                "POST",
                "/listings",
                self.key_seller,
                {"name": "Scarf"},
                ("name",),
                ("description",),
            ),
            (
                "PATCH",
                f"/listings/{self.listing.id}",
                self.key_seller,
                {},
                ("name",),
                ("description",),
            ),
            (
                "POST",
                f"/orders/{self.part.id}/rating",
                self.key_buyer,
                {"rating": 5},
                (),
                ("feedback",),
            ),
            (
                "POST",
                "/disputes",
                self.key_buyer,
                {
                    "order_id": self.order.id,
                    "seller_id": self.seller.id,
                    "description": "Torn.",
                },
                (),
                ("description",),
            ),
            (
                "POST",
                "/disputes/1/comments",
                self.key_buyer,
                {"body": "Hi"},
                (),
                ("body",),
            ),
            (
                "POST",
                "/tickets",
                self.key_buyer,
                {"title": "Scarf", "description": "Torn."},
                ("title",),
                ("description",),
            ),
            (
                "POST",
                "/tickets/1/comments",
                self.key_buyer,
                {"body": "Hi"},
                (),
                ("body",),
            ),
        ]

    def test_every_text_field_of_every_endpoint(self):
        texts = [*TEXTS, SURROGATE]
        checked = 0
        for method, path, key, valid, single, multi in self._endpoints():
            cases = [
                (field, label, value, one_line)
                for label, value, one_line, __ in texts
                for field in single
            ] + [
                (field, label, value, multi_line)
                for label, value, __, multi_line in texts
                for field in multi
                if multi_line
            ]
            for field, label, value, message in cases:
                with self.subTest(endpoint=f"{method} {path}", field=field, text=label):
                    before = self._state()
                    response = self.api(
                        method, path, key, dict(valid, **{field: value})
                    )
                    self.assertEqual(response.status_code, 422, response.text)
                    errors = response.json()["detail"]
                    self.assertTrue(
                        any(
                            error["loc"][-1] == field and message in error["msg"]
                            for error in errors
                        ),
                        errors,
                    )
                    self.assertEqual(self._state(), before)
                    checked += 1
        self.assertGreater(checked, 150)

    def test_multiline_text_keeps_its_lines(self):
        response = self.api(
            "PATCH",
            f"/listings/{self.listing.id}",
            self.key_seller,
            {"description": "Silk\r\nand\twool"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.listing.description_sale, "Silk\nand\twool")

    def test_upload_file_name(self):
        """The name of an uploaded document, sent as raw bytes: a control
        character or a direction override is a 422, nothing stored."""
        for label, name, message in FILE_NAMES:
            with self.subTest(name=label):
                before = self._state()
                body, headers = multipart(
                    {"document_type_id": str(self.doc_type_business.id)},
                    "file",
                    name,
                    base64.b64decode(PDF),
                )
                response = self.url_open(
                    API + "/sellers/me/documents",
                    data=body,
                    headers=dict(headers, Authorization=f"Bearer {self.key_seller}"),
                )
                self.assertEqual(response.status_code, 422, response.text)
                self.assertIn(message, response.json()["detail"][0]["msg"])
                self.assertEqual(self._state(), before)
