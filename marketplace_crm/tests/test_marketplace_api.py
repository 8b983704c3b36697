import base64

from openapi_spec_validator import validate

from odoo.tests import HttpCase, tagged

from .common import PDF, MarketplaceCase

API = "/marketplace/api"


@tagged("post_install", "-at_install")
class TestMarketplaceApi(HttpCase, MarketplaceCase):
    """The REST API over real HTTP requests, with the keys of two sellers, a
    buyer and a staff member: each key sees what its user sees on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller_a = cls._create_validated_seller("Anna Ceramics")
        cls.seller_b = cls._create_validated_seller("Bruno Wood")
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Bea Buyer", "email": "bea@example.com"}
        )
        cls.other_buyer = cls.env["res.partner"].create(
            {"name": "Carl Buyer", "email": "carl@example.com"}
        )
        cls.key_a = cls._key(cls._portal_user(cls.seller_a, "api_anna"))
        cls.key_b = cls._key(cls._portal_user(cls.seller_b, "api_bruno"))
        cls.key_buyer = cls._key(cls._portal_user(cls.buyer, "api_bea"))
        cls.key_other_buyer = cls._key(cls._portal_user(cls.other_buyer, "api_carl"))
        cls.key_staff = cls._key(cls.staff)
        cls.variant_a = cls._create_product(cls.seller_a, "Anna bowl", 80.0)
        cls.variant_b = cls._create_product(cls.seller_b, "Bruno spoon", 30.0)
        cls.product_a = cls.variant_a.product_tmpl_id
        cls.product_b = cls.variant_b.product_tmpl_id
        cls.order = cls._create_order(
            cls.buyer, [(cls.variant_a, 1, 80.0), (cls.variant_b, 2, 30.0)]
        )
        Part = cls.env["marketplace.order.seller"]
        cls.part_a = Part.search(
            [("order_id", "=", cls.order.id), ("seller_id", "=", cls.seller_a.id)]
        )
        cls.part_b = Part.search(
            [("order_id", "=", cls.order.id), ("seller_id", "=", cls.seller_b.id)]
        )
        cls.env["ir.config_parameter"].set_param("marketplace_crm.api_rate_limit", 1000)

    def setUp(self):
        super().setUp()
        self.env["marketplace.api.client"]._reset_rate_limits()

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

    def api(self, method, path, key=None, body=None, **kwargs):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return self.url_open(
            API + path, method=method, json=body, headers=headers, **kwargs
        )

    # ------------------------------------------------------------ authentication
    def test_key_required_valid_and_revocable(self):
        self.assertEqual(self.api("GET", "/sellers/me").status_code, 401)
        self.assertEqual(self.api("GET", "/sellers/me", "0" * 40).status_code, 401)
        self.assertEqual(
            self.api("GET", "/sellers/me", self.key_a[:-1] + "x").status_code, 401
        )
        self.assertEqual(self.api("GET", "/sellers/me", self.key_a).status_code, 200)
        client = self.env["marketplace.api.client"].search(
            [("user_id.login", "=", "api_anna")]
        )
        client.action_revoke_key()
        self.assertEqual(self.api("GET", "/sellers/me", self.key_a).status_code, 401)

    def test_archived_integration_is_refused(self):
        client = self.env["marketplace.api.client"].search(
            [("user_id.login", "=", "api_bruno")]
        )
        client.active = False
        self.assertEqual(self.api("GET", "/sellers/me", self.key_b).status_code, 401)

    def test_a_user_api_key_without_integration_is_refused(self):
        """A personal (global) API key is no integration key."""
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.staff)
            .sudo()
            ._generate(None, "personal", False)
        )
        self.assertEqual(self.api("GET", "/sellers/me", key).status_code, 401)

    def test_rate_limit_per_key(self):
        client = self.env["marketplace.api.client"].search(
            [("user_id.login", "=", "api_anna")]
        )
        client.rate_limit = 2
        first = self.api("GET", "/sellers/me", self.key_a)
        self.assertEqual(first.headers["X-RateLimit-Limit"], "2")
        self.assertEqual(first.headers["X-RateLimit-Remaining"], "1")
        self.assertEqual(self.api("GET", "/sellers/me", self.key_a).status_code, 200)
        third = self.api("GET", "/sellers/me", self.key_a)
        self.assertEqual(third.status_code, 429)
        self.assertGreater(int(third.headers["Retry-After"]), 0)
        # Another key has its own window.
        self.assertEqual(self.api("GET", "/sellers/me", self.key_b).status_code, 200)

    # ------------------------------------------------------------ sellers
    def test_register_seller_by_staff_only(self):
        body = {
            "name": "Dora",
            "email": "dora@example.com",
            "shop_name": "Dora Textiles",
        }
        refused = self.api("POST", "/sellers", self.key_a, body)
        self.assertEqual(refused.status_code, 403)
        created = self.api("POST", "/sellers", self.key_staff, body)
        self.assertEqual(created.status_code, 201, created.text)
        seller = self.env["res.partner"].browse(created.json()["id"])
        self.assertTrue(seller.is_seller)
        self.assertEqual(seller.shop_name, "Dora Textiles")
        self.assertTrue(seller.user_ids.share, "A portal user is created")
        invalid = self.api(
            "POST", "/sellers", self.key_staff, dict(body, email="not-an-address")
        )
        self.assertEqual(invalid.status_code, 400)

    def test_read_and_update_own_profile(self):
        profile = self.api("GET", "/sellers/me", self.key_a).json()
        self.assertEqual(profile["id"], self.seller_a.id)
        self.assertEqual(profile["shop_name"], "Anna Ceramics shop")
        self.assertEqual(profile["country_code"], "FR")
        response = self.api(
            "PATCH",
            "/sellers/me",
            self.key_a,
            {"shop_description": "Stoneware", "city": "Lyon", "country_code": "be"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["city"], "Lyon")
        self.assertEqual(self.seller_a.shop_description, "Stoneware")
        self.assertEqual(self.seller_a.country_id, self.env.ref("base.be"))
        self.assertEqual(self.seller_a.shop_name, "Anna Ceramics shop", "Not sent")
        markup = self.api(
            "PATCH", "/sellers/me", self.key_a, {"shop_name": "<script>x</script>"}
        )
        self.assertEqual(markup.status_code, 400)
        unknown = self.api(
            "PATCH", "/sellers/me", self.key_a, {"verification_state": "validated"}
        )
        self.assertEqual(unknown.status_code, 422, "Not a profile field")
        self.assertEqual(self.seller_a.shop_name, "Anna Ceramics shop")
        not_seller = self.api("GET", "/sellers/me", self.key_buyer)
        self.assertEqual(not_seller.status_code, 403)

    def test_upload_document_and_verification_status(self):
        response = self.api(
            "POST",
            "/sellers/me/documents",
            self.key_a,
            data={"document_type_id": str(self.doc_type_identity.id)},
            files={"file": ("id.pdf", base64.b64decode(PDF), "application/pdf")},
        )
        self.assertEqual(response.status_code, 400, "An identity needs an expiry")
        response = self.api(
            "POST",
            "/sellers/me/documents",
            self.key_a,
            data={
                "document_type_id": str(self.doc_type_identity.id),
                "expiry_date": "2099-01-31",
            },
            files={"file": ("id.pdf", base64.b64decode(PDF), "application/pdf")},
        )
        self.assertEqual(response.status_code, 201, response.text)
        doc = self.env["marketplace.seller.document"].browse(response.json()["id"])
        self.assertEqual(doc.partner_id, self.seller_a)
        twice = self.api(
            "POST",
            "/sellers/me/documents",
            self.key_a,
            data={
                "document_type_id": str(self.doc_type_identity.id),
                "expiry_date": "2099-01-31",
            },
            files={"file": ("id.pdf", base64.b64decode(PDF), "application/pdf")},
        )
        self.assertEqual(twice.json()["id"], doc.id, "The same file is stored once")
        not_a_pdf = self.api(
            "POST",
            "/sellers/me/documents",
            self.key_a,
            data={"document_type_id": str(self.doc_type_business.id)},
            files={"file": ("kbis.pdf", b"just text", "application/pdf")},
        )
        self.assertEqual(not_a_pdf.status_code, 400)
        status = self.api("GET", "/sellers/me/verification", self.key_a).json()
        self.assertEqual(status["verification_state"], "validated")
        self.assertEqual(
            sorted(d["file_name"] for d in status["documents"]), ["id.pdf", "kbis.pdf"]
        )
        again = self.api("POST", "/sellers/me/verification", self.key_a)
        self.assertEqual(again.status_code, 409, "Already validated")

    def test_submit_verification_of_a_draft_seller(self):
        draft = self._create_seller("Eva Glass")
        key = self._key(self._portal_user(draft, "api_eva"))
        response = self.api("POST", "/sellers/me/verification", key)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(draft.verification_state, "pending")
        self.assertEqual(response.json()["verification_state"], "pending")

    def test_figures(self):
        figures = self.api("GET", "/sellers/me/figures", self.key_a).json()
        self.assertEqual(figures["sales_count_30d"], 1)
        self.assertAlmostEqual(figures["sales_amount_30d"], 80.0)
        self.assertEqual(figures["listing_count"], 1)
        figures_b = self.api("GET", "/sellers/me/figures", self.key_b).json()
        self.assertAlmostEqual(figures_b["sales_amount_30d"], 60.0)

    # ------------------------------------------------------------ listings
    def test_listing_lifecycle(self):
        created = self.api(
            "POST",
            "/listings",
            self.key_a,
            {"name": "Anna vase", "list_price": 45.5, "quantity": 3},
        )
        self.assertEqual(created.status_code, 201, created.text)
        listing = created.json()
        product = self.env["product.template"].browse(listing["id"])
        self.assertEqual(product.marketplace_seller_id, self.seller_a)
        self.assertFalse(listing["is_published"])
        self.assertEqual(listing["quantity"], 3)
        path = f"/listings/{product.id}"
        self.assertEqual(self.api("GET", path, self.key_a).json()["name"], "Anna vase")
        updated = self.api("PATCH", path, self.key_a, {"list_price": 50})
        self.assertEqual(updated.json()["list_price"], 50)
        stock = self.api("PUT", f"{path}/stock", self.key_a, {"quantity": 7})
        self.assertEqual(stock.json()["quantity"], 7)
        self.assertEqual(product.qty_available, 7)
        published = self.api("POST", f"{path}/publish", self.key_a)
        self.assertTrue(published.json()["is_published"])
        self.assertTrue(product.is_published)
        unpublished = self.api("POST", f"{path}/unpublish", self.key_a)
        self.assertFalse(unpublished.json()["is_published"])
        ids = [item["id"] for item in self.api("GET", "/listings", self.key_a).json()]
        self.assertEqual(sorted(ids), sorted([self.product_a.id, product.id]))
        for bad in ({"name": "x", "list_price": -1}, {"list_price": 3}, {"name": ""}):
            self.assertEqual(
                self.api("POST", "/listings", self.key_a, bad).status_code, 422, bad
            )
        negative = self.api("PUT", f"{path}/stock", self.key_a, {"quantity": -2})
        self.assertEqual(negative.status_code, 422)

    def test_publication_gate(self):
        self.seller_a.action_suspend_seller()
        refused = self.api("POST", f"/listings/{self.product_a.id}/publish", self.key_a)
        self.assertEqual(refused.status_code, 409)
        self.assertIn("cannot be published", refused.json()["detail"])
        self.assertFalse(self.product_a.is_published)
        draft = self._create_seller("Fanny Paper")
        key = self._key(self._portal_user(draft, "api_fanny"))
        product = self._create_product(draft, "Fanny card").product_tmpl_id
        waiting = self.api("POST", f"/listings/{product.id}/publish", key)
        self.assertEqual(waiting.status_code, 200)
        self.assertFalse(waiting.json()["is_published"])
        self.assertTrue(waiting.json()["publish_requested"])

    def test_seller_a_cannot_reach_seller_b(self):
        """Seller A's key on B's records: not found, and nothing changes."""
        path = f"/listings/{self.product_b.id}"
        self.assertEqual(self.api("GET", path, self.key_a).status_code, 404)
        self.assertEqual(
            self.api("PATCH", path, self.key_a, {"name": "Stolen"}).status_code, 404
        )
        self.assertEqual(
            self.api("POST", f"{path}/unpublish", self.key_a).status_code, 404
        )
        self.assertEqual(
            self.api("PUT", f"{path}/stock", self.key_a, {"quantity": 0}).status_code,
            404,
        )
        self.assertEqual(self.product_b.name, "Bruno spoon")
        self.assertEqual(
            self.api("GET", f"/orders/{self.part_b.id}", self.key_a).status_code, 404
        )
        parts = self.api("GET", "/orders", self.key_a).json()
        self.assertEqual([p["id"] for p in parts], [self.part_a.id])
        dispute = self.env["marketplace.dispute"].create(
            {"buyer_id": self.buyer.id, "seller_id": self.seller_b.id}
        )
        self.assertEqual(
            self.api("GET", f"/disputes/{dispute.id}", self.key_a).status_code, 404
        )
        comment = self.api(
            "POST", f"/disputes/{dispute.id}/comments", self.key_a, {"body": "Hi"}
        )
        self.assertEqual(comment.status_code, 404)
        self.assertEqual(self.api("GET", "/disputes", self.key_a).json(), [])

    # ------------------------------------------------------------ orders
    def test_order_parts_of_the_seller(self):
        parts = self.api("GET", "/orders", self.key_a).json()
        self.assertEqual(len(parts), 1)
        part = parts[0]
        self.assertEqual(part["order_reference"], self.order.name)
        self.assertAlmostEqual(part["amount"], 80.0)
        self.assertEqual(
            [line["product"] for line in part["lines"]], ["Anna bowl"], "Only A's lines"
        )
        purchases = self.api("GET", "/orders?role=buyer", self.key_buyer).json()
        self.assertEqual(
            sorted(p["id"] for p in purchases), sorted((self.part_a | self.part_b).ids)
        )
        self.assertEqual(self.api("GET", "/orders?role=buyer", self.key_a).json(), [])

    def test_buyer_rates_a_seller_once(self):
        path = f"/orders/{self.part_a.id}/rating"
        self.assertEqual(
            self.api("POST", path, self.key_buyer, {"rating": 6}).status_code, 422
        )
        self.assertEqual(
            self.api("POST", path, self.key_a, {"rating": 5}).status_code,
            404,
            "The seller cannot rate themselves",
        )
        self.assertEqual(
            self.api("POST", path, self.key_other_buyer, {"rating": 1}).status_code,
            404,
        )
        rated = self.api(
            "POST", path, self.key_buyer, {"rating": 4, "feedback": "Lovely bowl"}
        )
        self.assertEqual(rated.status_code, 201, rated.text)
        self.assertEqual(self.seller_a.seller_rating_count, 1)
        self.assertAlmostEqual(self.seller_a.seller_rating_avg, 4.0)
        self.assertAlmostEqual(rated.json()["seller_rating_average"], 4.0)
        again = self.api("POST", path, self.key_buyer, {"rating": 1})
        self.assertEqual(again.status_code, 409)
        self.assertAlmostEqual(self.seller_a.seller_rating_avg, 4.0)
        self.assertEqual(
            self.api("GET", f"/orders/{self.part_a.id}", self.key_a).json()["rating"],
            4,
        )

    # ------------------------------------------------------------ disputes
    def test_dispute_open_read_comment_by_the_parties(self):
        body = {
            "order_id": self.order.id,
            "seller_id": self.seller_a.id,
            "dispute_type": "damaged",
            "amount": 80,
            "description": "Arrived broken",
        }
        self.assertEqual(
            self.api("POST", "/disputes", self.key_other_buyer, body).status_code,
            404,
            "Not their order",
        )
        opened = self.api("POST", "/disputes", self.key_buyer, body)
        self.assertEqual(opened.status_code, 201, opened.text)
        dispute = self.env["marketplace.dispute"].browse(opened.json()["id"])
        self.assertEqual(dispute.buyer_id, self.buyer)
        self.assertEqual(dispute.seller_id, self.seller_a)
        self.assertEqual(dispute.state, "open")
        twice = self.api("POST", "/disputes", self.key_buyer, body)
        self.assertEqual(twice.status_code, 409)
        outsider = self._create_validated_seller("Gus Metal")
        self.assertEqual(
            self.api(
                "POST", "/disputes", self.key_buyer, dict(body, seller_id=outsider.id)
            ).status_code,
            404,
            "Not a seller of this order",
        )
        path = f"/disputes/{dispute.id}"
        comment = self.api(
            "POST", f"{path}/comments", self.key_a, {"body": "Sending a new one"}
        )
        self.assertEqual(comment.status_code, 201, comment.text)
        seen_by_buyer = self.api("GET", path, self.key_buyer).json()
        self.assertEqual(
            [c["body"] for c in seen_by_buyer["comments"]], ["Sending a new one"]
        )
        self.assertEqual(seen_by_buyer["comments"][0]["author"], self.seller_a.name)
        self.assertEqual(self.api("GET", path, self.key_b).status_code, 404)
        self.assertEqual(self.api("GET", path, self.key_other_buyer).status_code, 404)
        listed = self.api("GET", "/disputes", self.key_a).json()
        self.assertEqual([d["id"] for d in listed], [dispute.id])

    # ------------------------------------------------------------ tickets
    def test_ticket_open_read_comment(self):
        opened = self.api(
            "POST",
            "/tickets",
            self.key_buyer,
            {
                "title": "Where is my parcel?",
                "description": "Ordered a week ago.",
                "order_id": self.order.id,
            },
        )
        self.assertEqual(opened.status_code, 201, opened.text)
        ticket = self.env["helpdesk.ticket"].browse(opened.json()["id"])
        self.assertEqual(ticket.partner_id, self.buyer)
        self.assertEqual(ticket.sale_order_id, self.order)
        path = f"/tickets/{ticket.id}"
        comment = self.api(
            "POST", f"{path}/comments", self.key_buyer, {"body": "Any news?"}
        )
        self.assertEqual(comment.status_code, 201)
        read = self.api("GET", path, self.key_buyer).json()
        self.assertIn("Any news?", [c["body"] for c in read["comments"]])
        self.assertEqual(self.api("GET", path, self.key_other_buyer).status_code, 404)
        self.assertEqual(
            self.api(
                "POST", f"{path}/comments", self.key_other_buyer, {"body": "Hello"}
            ).status_code,
            404,
        )
        not_theirs = self.api(
            "POST",
            "/tickets",
            self.key_other_buyer,
            {"title": "Hm", "description": "Hm", "order_id": self.order.id},
        )
        self.assertEqual(not_theirs.status_code, 404)
        ids = [t["id"] for t in self.api("GET", "/tickets", self.key_buyer).json()]
        self.assertIn(ticket.id, ids)
        others = self.api("GET", "/tickets", self.key_other_buyer).json()
        self.assertNotIn(ticket.id, [t["id"] for t in others])

    def test_lists_are_paged(self):
        opened = [
            self.api(
                "POST",
                "/tickets",
                self.key_buyer,
                {"title": f"Question {n}", "description": "About my order."},
            ).json()["id"]
            for n in range(2)
        ]
        first = self.api("GET", "/tickets?limit=1", self.key_buyer).json()
        second = self.api("GET", "/tickets?limit=1&offset=1", self.key_buyer).json()
        self.assertEqual((len(first), len(second)), (1, 1))
        self.assertNotEqual(first[0]["id"], second[0]["id"])
        every = self.api("GET", "/tickets?limit=200", self.key_buyer).json()
        self.assertLessEqual(set(opened), {t["id"] for t in every})
        for path in ("/tickets?limit=201", "/disputes?offset=-1", "/orders?limit=0"):
            self.assertEqual(
                self.api("GET", path, self.key_buyer).status_code, 422, path
            )

    # ------------------------------------------------------------ documentation
    def test_openapi_document(self):
        response = self.url_open(f"{API}/openapi.json")
        self.assertEqual(response.status_code, 200)
        spec = response.json()
        validate(spec)  # raises on any departure from the OpenAPI 3 schema
        self.assertTrue(spec["openapi"].startswith("3."))
        self.assertEqual(spec["info"]["title"], "Marketplace API")
        expected = {
            "/sellers",
            "/sellers/me",
            "/sellers/me/documents",
            "/sellers/me/verification",
            "/sellers/me/figures",
            "/listings",
            "/listings/{listing_id}",
            "/listings/{listing_id}/publish",
            "/listings/{listing_id}/unpublish",
            "/listings/{listing_id}/stock",
            "/orders",
            "/orders/{part_id}",
            "/orders/{part_id}/rating",
            "/disputes",
            "/disputes/{dispute_id}",
            "/disputes/{dispute_id}/comments",
            "/tickets",
            "/tickets/{ticket_id}",
            "/tickets/{ticket_id}/comments",
        }
        self.assertEqual(expected - set(spec["paths"]), set())
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                self.assertTrue(operation.get("responses"), f"{method} {path}")
                self.assertIn("401", operation["responses"], f"{method} {path}")
                self.assertEqual(
                    operation.get("security"), [{"HTTPBearer": []}], f"{method} {path}"
                )
        self.assertEqual(
            spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"], "bearer"
        )
        for ref in _refs(spec):
            name = ref.rsplit("/", 1)[-1]
            self.assertIn(name, spec["components"]["schemas"], ref)
        docs = self.url_open(f"{API}/docs")
        self.assertEqual(docs.status_code, 200)
        self.assertIn("openapi.json", docs.text)


def _refs(node):
    """Every ``$ref`` of an OpenAPI document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)
