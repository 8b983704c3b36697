"""Bad numbers, ids, offsets and requests sent to the REST API over real
HTTP, table-driven: each endpoint receives each bad value of its kind and
must answer 422 with a translated message naming the field, change no row
and log no ERROR; unknown routes, methods and unreadable bodies are answered
404, 405 and 4xx without a traceback. The portal's listing form and the API
give the same verdict for every price of a shared list. New values go in the
tables."""

import json
from contextlib import contextmanager

from odoo.tests import HttpCase, tagged

from .common import MarketplaceCase
from .portal_form import form_tokens

API = "/marketplace/api"
NUMBER = "must be a number such as 12 or 12.50"
TOO_LARGE = "must not exceed 1,000,000,000"
AMOUNT = "Enter the amount at stake as a positive number with at most two decimals"

# Bad values of any number (price, quantity, amount at stake), as JSON: the
# text of the JSON value sent, and the message expected for a price or a
# quantity (an amount at stake always has AMOUNT).
BAD_NUMBERS = [
    ("1e15", TOO_LARGE),
    ("1e20", TOO_LARGE),
    ("1e308", TOO_LARGE),
    ("1" + "0" * 400, TOO_LARGE),
    ("1000000000.5", TOO_LARGE),
    ("-1", NUMBER),
    ("-0.01", NUMBER),
    ("-1e308", NUMBER),
    ("NaN", NUMBER),
    ("Infinity", NUMBER),
    ("-Infinity", NUMBER),
    ("true", NUMBER),
    ("false", NUMBER),
    ("null", NUMBER),
    ('"12"', NUMBER),
    ('"nan"', NUMBER),
    ('"inf"', NUMBER),
    ('"1e3"', NUMBER),
    ('"' + "9" * 100000 + '"', NUMBER),
    ("[12]", NUMBER),
    ('{"value": 12}', NUMBER),
    ("0.1234567", NUMBER),
    ("1e-7", NUMBER),
]
# Amounts at stake a price may have but an amount may not (three decimals).
BAD_AMOUNTS_ONLY = ["12.345", "0.001"]

# Bad ids in a body, as JSON text.
BAD_IDS = [
    str(2**63),
    str(2**63 - 1),
    str(2**31),
    "0",
    "-1",
    "true",
    '"5"',
    "1.5",
    "1e3",
    '"' + "9" * 100000 + '"',
]
# Bad record ids in a path, and bad offsets and limits of a page.
BAD_PATH_IDS = [str(2**63), str(2**64), str(2**31), "0", "-1", "1e3", "abc"]
BAD_PAGES = [
    ("offset", str(2**63)),
    ("offset", str(2**64)),
    ("offset", str(2**31)),
    ("offset", "-1"),
    ("offset", "1e3"),
    ("offset", "true"),
    ("offset", "9" * 5000),
    ("limit", str(2**63)),
    ("limit", "201"),
    ("limit", "0"),
]
LISTS = ["/orders?role=buyer&", "/disputes?", "/tickets?"]

# Prices typed in the portal's listing form and sent as JSON numbers to the
# API, written as plain decimals (the notation of both; a form refuses
# exponents): both paths must give the same verdict (None: accepted).
SHARED_PRICES = [
    ("0", None),
    ("12", None),
    ("12.5", None),
    ("0.99", None),
    ("0.000001", None),
    ("999999999.999999", None),
    ("1000000000", None),
    ("1000000000.000001", TOO_LARGE),
    ("1000000001", TOO_LARGE),
    ("100000000000000000000", TOO_LARGE),
    ("1" + "0" * 308, TOO_LARGE),
    ("0.0000001", NUMBER),
    ("12.1234567", NUMBER),
    ("-1", NUMBER),
    ("-0.5", NUMBER),
]


@tagged("post_install", "-at_install")
class TestApiBadNumbers(HttpCase, MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_validated_seller("Nina Numbers")
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Ned Buyer", "email": "ned@example.com"}
        )
        cls.seller_user = cls._user(cls.seller, "api_nina", password="api_nina")
        cls.key_seller = cls._key(cls.seller_user)
        cls.key_buyer = cls._key(cls._user(cls.buyer, "api_ned", password="api_ned"))
        variant = cls._create_product(cls.seller, "Nina cup", 53.90, is_storable=True)
        cls.listing = variant.product_tmpl_id
        cls.listing._marketplace_set_quantity(4)
        cls.order = cls._create_order(cls.buyer, [(variant, 1, 53.90)])
        cls.part = cls.order.marketplace_order_seller_ids
        cls.part_total = sum(cls.order.order_line.mapped("price_total"))
        cls.env["ir.config_parameter"].set_param("marketplace_crm.api_rate_limit", 0)

    @classmethod
    def _user(cls, partner, login, password=None):
        vals = {
            "name": partner.name,
            "login": login,
            "partner_id": partner.id,
            "group_ids": [(6, 0, [cls.env.ref("base.group_portal").id])],
        }
        if password:
            vals["password"] = password
        return cls.env["res.users"].create(vals)

    @classmethod
    def _key(cls, user):
        client = cls.env["marketplace.api.client"].create(
            {"name": f"Integration of {user.login}", "user_id": user.id}
        )
        return client.action_generate_key()["context"]["default_key"]

    # ------------------------------------------------------------ helpers
    def _send(self, method, path, key=None, raw=None, headers=None):
        """A request with ``raw`` (JSON text or bytes) as its body."""
        headers = dict(headers or {})
        if key:
            headers["Authorization"] = f"Bearer {key}"
        if raw is not None:
            headers.setdefault("Content-Type", "application/json")
        return self.url_open(
            API + path, data=raw, method=method, headers=headers, timeout=60
        )

    def _state(self):
        """Every row a refused request could have changed."""
        listing = self.listing.with_context(active_test=False)
        listing.invalidate_recordset()
        return {
            "listing": (listing.name, listing.list_price, listing.qty_available),
            "listings": self.env["product.template"]
            .with_context(active_test=False)
            .search_count([("marketplace_seller_id", "=", self.seller.id)]),
            "disputes": self.env["marketplace.dispute"].search_count([]),
            "tickets": self.env["helpdesk.ticket"].search_count([]),
            "activities": self.env["mail.activity"].search_count([]),
            "moves": self.env["stock.move"].search_count([]),
            "ratings": self.env["rating.rating"].search_count([]),
            "documents": self.env["marketplace.seller.document"].search_count([]),
        }

    @contextmanager
    def _refused_quietly(self):
        """Nothing changes and nothing is logged at ERROR meanwhile."""
        before = self._state()
        with self.assertNoLogs("odoo", level="ERROR"):
            yield
        self.assertEqual(self._state(), before)

    def _assert_field_error(self, response, loc, message, case):
        self.assertEqual(response.status_code, 422, f"{case}: {response.text[:300]}")
        detail = response.json()["detail"]
        errors = [error for error in detail if error["loc"] == loc]
        self.assertTrue(errors, f"{case}: no error at {loc} in {detail}")
        if message:
            self.assertIn(message, errors[0]["msg"], case)
        self.assertNotIn("Traceback", response.text, case)

    def _number_cases(self):
        """(method, path, key, body template, field, message for a price)."""
        dispute = {
            "order_id": self.order.id,
            "seller_id": self.seller.id,
            "description": "Arrived broken",
        }
        listing = f"/listings/{self.listing.id}"
        return [
            ("POST", "/listings", self.key_seller, {"name": "Probe"}, "list_price"),
            ("POST", "/listings", self.key_seller, {"name": "Probe"}, "quantity"),
            ("PATCH", listing, self.key_seller, {}, "list_price"),
            ("PUT", f"{listing}/stock", self.key_seller, {}, "quantity"),
            ("POST", "/disputes", self.key_buyer, dispute, "amount"),
        ]

    # ------------------------------------------------------------ numbers
    def test_bad_numbers_on_every_numeric_field(self):
        for method, path, key, body, field in self._number_cases():
            values = BAD_NUMBERS + [(amount, NUMBER) for amount in BAD_AMOUNTS_ONLY]
            for raw, message in values:
                if field != "amount" and raw in BAD_AMOUNTS_ONLY:
                    continue
                if field == "list_price" and method == "PATCH" and raw == "null":
                    continue  # null leaves the price as it is
                case = f"{method} {path} {field}={raw[:30]}"
                with self.subTest(case=case), self._refused_quietly():
                    text = json.dumps(body)[:-1] + (", " if body else "")
                    response = self._send(
                        method, path, key, f'{text}"{field}": {raw}}}'.encode()
                    )
                    expected = AMOUNT if field == "amount" else message
                    self._assert_field_error(response, ["body", field], expected, case)

    def test_numbers_within_the_rules_are_stored(self):
        listing = f"/listings/{self.listing.id}"
        response = self._send(
            "PATCH", listing, self.key_seller, json.dumps({"list_price": 1e9})
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.listing.list_price, 1e9)
        response = self._send(
            "PUT", f"{listing}/stock", self.key_seller, json.dumps({"quantity": 1e9})
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.listing.invalidate_recordset()
        self.assertEqual(self.listing.qty_available, 1e9)
        self.assertEqual(response.json()["quantity"], 1e9)

    def test_a_dispute_amount_is_at_most_the_order_part_total(self):
        """1e20 on a 53.90 order raised a critical dispute at once: an
        amount is at most what the buyer paid the seller for the order."""
        body = {
            "order_id": self.order.id,
            "seller_id": self.seller.id,
            "description": "Arrived broken",
        }
        over = round(self.part_total + 0.01, 2)
        for amount in (over, 1000.0, 999999999.99):
            with self.subTest(amount=amount), self._refused_quietly():
                response = self._send(
                    "POST",
                    "/disputes",
                    self.key_buyer,
                    json.dumps(dict(body, amount=amount)),
                )
                self._assert_field_error(
                    response,
                    ["body", "amount"],
                    "may not exceed the total of the order",
                    amount,
                )
        opened = self._send(
            "POST",
            "/disputes",
            self.key_buyer,
            json.dumps(dict(body, amount=self.part_total)),
        )
        self.assertEqual(opened.status_code, 201, opened.text)
        self.assertAlmostEqual(opened.json()["amount"], self.part_total)

    def test_portal_ticket_and_api_dispute_hold_the_same_amounts(self):
        """An amount at stake over the order's total is refused by the
        portal's ticket form and by the API alike (nothing stored, no
        critical dispute); the total itself is accepted by both."""
        self.authenticate("api_ned", "api_ned")
        dispute_type = self.env.ref("marketplace_crm.helpdesk_type_dispute")
        total = f"{self.part_total:.2f}"
        over = f"{self.part_total + 0.01:.2f}"
        for amount, accepted in ((over, False), ("1000000", False), (total, True)):
            with self.subTest(amount=amount):
                before = self._state()
                with self.assertNoLogs("odoo", level="ERROR"):
                    api = self._send(
                        "POST",
                        "/disputes",
                        self.key_buyer,
                        f'{{"order_id": {self.order.id}, '
                        f'"seller_id": {self.seller.id}, '
                        f'"description": "Broken", "amount": {amount}}}',
                    )
                    portal = self.url_open(
                        "/submitted/ticket",
                        data={
                            **form_tokens(self),
                            "type": dispute_type.id,
                            "sale_order": self.order.id,
                            "amount": amount,
                            "subject": f"Broken, {amount} at stake",
                            "description": "Every cup is cracked.",
                        },
                    )
                ticket = self.env["helpdesk.ticket"].search(
                    [("name", "=", f"Broken, {amount} at stake")]
                )
                if accepted:
                    self.assertEqual(api.status_code, 201, api.text)
                    self.assertEqual(portal.status_code, 200)
                    self.assertEqual(ticket.amount, float(amount))
                    continue
                message = "may not exceed the total of the order"
                self._assert_field_error(api, ["body", "amount"], message, amount)
                self.assertEqual(portal.status_code, 422)
                self.assertIn(message, portal.text)
                self.assertFalse(ticket)
                self.assertEqual(self._state(), before)

    def test_portal_and_api_give_the_same_verdict_on_a_price(self):
        """Each price of SHARED_PRICES, typed in the portal's listing form and
        sent to the API as a JSON number: the same verdict, the same message
        and, when accepted, the same stored price."""
        self.authenticate("api_nina", "api_nina")
        page = self.url_open(f"/my/seller/product/{self.listing.id}").text
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
        for typed, message in SHARED_PRICES:
            with self.subTest(price=typed):
                self.listing.list_price = 7.0
                with self.assertNoLogs("odoo", level="ERROR"):
                    portal = self.url_open(
                        f"/my/seller/product/{self.listing.id}",
                        data={
                            "csrf_token": csrf,
                            "name": "Nina cup",
                            "list_price": typed,
                            "quantity": "4",
                        },
                    )
                self.assertLess(portal.status_code, 500)
                self.listing.invalidate_recordset()
                portal_price = self.listing.list_price
                self.listing.list_price = 7.0
                with self.assertNoLogs("odoo", level="ERROR"):
                    api = self._send(
                        "PATCH",
                        f"/listings/{self.listing.id}",
                        self.key_seller,
                        f'{{"list_price": {typed}}}',
                    )
                self.listing.invalidate_recordset()
                if message is None:
                    self.assertNotIn(NUMBER, portal.text)
                    self.assertNotIn(TOO_LARGE, portal.text)
                    self.assertEqual(api.status_code, 200, api.text)
                    self.assertEqual(self.listing.list_price, portal_price)
                    self.assertAlmostEqual(portal_price, float(typed), places=2)
                else:
                    self.assertIn(message, portal.text)
                    self.assertEqual(portal_price, 7.0, "nothing stored")
                    self._assert_field_error(
                        api, ["body", "list_price"], message, typed
                    )
                    self.assertEqual(self.listing.list_price, 7.0)

    # ------------------------------------------------------------ ids, pages
    def test_bad_ids_in_a_body(self):
        cases = [
            ("POST", "/disputes", self.key_buyer, "order_id"),
            ("POST", "/disputes", self.key_buyer, "seller_id"),
            ("POST", "/tickets", self.key_buyer, "order_id"),
            ("POST", "/listings", self.key_seller, "category_id"),
        ]
        valid = {
            "/disputes": {
                "order_id": self.order.id,
                "seller_id": self.seller.id,
                "description": "Broken",
            },
            "/tickets": {"title": "Where?", "description": "Late."},
            "/listings": {"name": "Probe"},
        }
        for method, path, key, field in cases:
            for raw in BAD_IDS:
                case = f"{method} {path} {field}={raw[:30]}"
                body = {k: v for k, v in valid[path].items() if k != field}
                text = json.dumps(body)[:-1] + f', "{field}": {raw}}}'
                with self.subTest(case=case), self._refused_quietly():
                    response = self._send(method, path, key, text)
                    self._assert_field_error(response, ["body", field], None, case)

    def test_bad_document_type_ids_in_a_form(self):
        """The document upload is a multipart form: its id has the same
        bounds as an id in JSON."""
        for raw in BAD_PATH_IDS:
            with self.subTest(raw=raw), self._refused_quietly():
                response = self.url_open(
                    f"{API}/sellers/me/documents",
                    data={"document_type_id": raw, "expiry_date": "2099-01-31"},
                    files={"file": ("id.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
                    headers={"Authorization": f"Bearer {self.key_seller}"},
                )
                self._assert_field_error(
                    response, ["body", "document_type_id"], None, raw
                )

    def test_bad_ids_in_a_path(self):
        paths = [
            ("GET", "/listings/{}", self.key_seller),
            ("PATCH", "/listings/{}", self.key_seller),
            ("PUT", "/listings/{}/stock", self.key_seller),
            ("POST", "/listings/{}/publish", self.key_seller),
            ("GET", "/orders/{}", self.key_buyer),
            ("POST", "/orders/{}/rating", self.key_buyer),
            ("GET", "/disputes/{}", self.key_buyer),
            ("POST", "/disputes/{}/comments", self.key_buyer),
            ("GET", "/tickets/{}", self.key_buyer),
            ("POST", "/tickets/{}/comments", self.key_buyer),
        ]
        bodies = {"stock": {"quantity": 1}, "rating": {"rating": 5}}
        for method, template, key in paths:
            body = next(
                (b for name, b in bodies.items() if template.endswith(name)),
                {"body": "Hi"} if template.endswith("comments") else {},
            )
            for raw in BAD_PATH_IDS:
                case = f"{method} {template.format(raw)[:40]}"
                with self.subTest(case=case), self._refused_quietly():
                    response = self._send(
                        method, template.format(raw), key, json.dumps(body)
                    )
                    name = template.split("{")[0].strip("/").split("/")[0]
                    field = {"listings": "listing_id", "orders": "part_id"}.get(
                        name, f"{name[:-1]}_id"
                    )
                    self._assert_field_error(response, ["path", field], None, case)

    def test_bad_pages_of_every_list(self):
        for path in LISTS:
            for param, raw in BAD_PAGES:
                case = f"{path}{param}={raw[:30]}"
                with self.subTest(case=case), self._refused_quietly():
                    response = self._send("GET", f"{path}{param}={raw}", self.key_buyer)
                    self._assert_field_error(response, ["query", param], None, case)
        for path in LISTS:
            response = self._send("GET", f"{path}offset={2**31 - 1}", self.key_buyer)
            self.assertEqual(response.status_code, 200, response.text)
            self.assertEqual(response.json(), [])

    def test_a_boolean_is_no_rating(self):
        with self._refused_quietly():
            response = self._send(
                "POST",
                f"/orders/{self.part.id}/rating",
                self.key_buyer,
                '{"rating": true}',
            )
            self._assert_field_error(response, ["body", "rating"], None, "true")

    # ------------------------------------------------------------ messages
    def test_field_errors_are_translated(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        cases = [
            ("list_price", "1e20", "ne doit pas dépasser"),
            ("list_price", '"12"', "doit être un nombre"),
            ("name", "12", "doit être du texte"),
        ]
        for field, raw, french in cases:
            with self.subTest(field=field, raw=raw), self._refused_quietly():
                response = self._send(
                    "PATCH",
                    f"/listings/{self.listing.id}",
                    self.key_seller,
                    f'{{"{field}": {raw}}}',
                    headers={"Accept-Language": "fr-FR,fr;q=0.9"},
                )
                self._assert_field_error(response, ["body", field], french, raw)
                self.assertTrue(response.json()["detail"][0]["msg"].startswith(field))

    # ------------------------------------------------------------ client errors
    def test_client_errors_leave_no_traceback_in_the_log(self):
        """404, 405 and unreadable bodies, with and without a key: the right
        status, and no ERROR line (each used to log a full traceback)."""
        cases = [
            ("GET", "/no-such-route", None, None, 404),
            ("GET", "/no-such-route", self.key_seller, None, 404),
            ("POST", "/listings/1/nothing", None, "{}", 404),
            ("DELETE", "/listings", None, None, 405),
            ("DELETE", "/listings", self.key_seller, None, 405),
            ("PUT", "/orders", self.key_buyer, "{}", 405),
            ("POST", "/listings", self.key_seller, b'{"name": "\xff"}', 400),
            ("POST", "/listings", None, b'{"name": "\xff"}', 400),
            ("POST", "/listings", self.key_seller, '{"name": ', 422),
            ("POST", "/listings", None, '{"name": ', 422),
            ("POST", "/listings", self.key_seller, "[1, 2", 422),
            ("POST", "/listings", self.key_seller, "1" * 5000, 400),
        ]
        for method, path, key, raw, status in cases:
            case = f"{method} {path} key={bool(key)} body={str(raw)[:20]}"
            with self.subTest(case=case), self._refused_quietly():
                response = self._send(method, path, key, raw)
                self.assertEqual(
                    response.status_code, status, case + response.text[:2000]
                )
                self.assertIn("detail", response.json(), case)
                self.assertNotIn("Traceback", response.text, case)
                if status == 405:
                    self.assertIn("Allow", response.headers, case)
