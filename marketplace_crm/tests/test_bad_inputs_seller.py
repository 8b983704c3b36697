"""Bad inputs on the registration and seller forms, as a careless user or an
attacker types them: each gets the form back with a clear message (HTTP
status below 500) and stores nothing."""

import base64

from odoo.tests import HttpCase, tagged

from .common import PDF, PNG, register_seller, run_registration_job
from .text_corpus import FILE_NAMES, TEXTS, multipart

RAW_PDF = base64.b64decode(PDF)
RAW_PNG = base64.b64decode(PNG)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00binary"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML_AS_PDF = b"<html><script>alert(1)</script></html>"
RTL = "\u202eexe.fdp"
LONG = "x" * 5000


@tagged("post_install", "-at_install")
class TestBadInputsSeller(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = register_seller(
            cls.env,
            {"name": "Ines", "email": "ines@example.com", "shop_name": "Ines Glass"},
        )
        cls.other = register_seller(
            cls.env,
            {"name": "Otto", "email": "otto@example.com", "shop_name": "Otto Iron"},
        )
        for seller, login in ((cls.seller, "ines"), (cls.other, "otto")):
            seller.user_ids.write({"login": login, "password": f"{login}-pass1"})
        cls.doc_type = cls.env.ref("marketplace_crm.marketplace_document_type_business")
        cls.doc_type_expiring = cls.env.ref(
            "marketplace_crm.marketplace_document_type_identity"
        )
        cls.other_product = cls.env["product.template"].create(
            {"name": "Otto's hook", "marketplace_seller_id": cls.other.id}
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.document_max_size_mb", 1
        )

    # ------------------------------------------------------------ helpers
    def _csrf(self, url):
        page = self.url_open(url).text
        return page.split('name="csrf_token" value="')[1].split('"')[0]

    def _counts(self):
        return {
            model: self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search_count([])
            for model in (
                "marketplace.seller.registration",
                "res.partner",
                "res.users",
                "res.partner.bank",
                "marketplace.seller.document",
                "product.template",
                "mail.activity",
            )
        }

    def _profile(self):
        self.seller.invalidate_recordset()
        return self.seller.read(
            ["shop_name", "shop_description", "street", "city", "zip", "country_id"]
        )[0]

    def assertRefused(self, url, data, message, files=None, csrf_url="/my/seller"):
        """POST like the browser does; the answer shows ``message`` with a
        status below 500 and the database holds nothing more."""
        before, profile = self._counts(), self._profile()
        if csrf_url:
            data = dict(data, csrf_token=self._csrf(csrf_url))
        response = self.url_open(url, data=data, files=files, allow_redirects=False)
        with self.subTest(url=url, data=str(data)[:80], message=message):
            self.assertLess(response.status_code, 500)
            if message:
                self.assertIn(message, response.text)
            self.assertEqual(self._counts(), before)
            self.assertEqual(self._profile(), profile)
        return response

    # ------------------------------------------------------------ registration
    def test_registration_corpus(self):
        valid = {"name": "Zoé", "email": "zoe@example.com", "shop_name": "Zoé"}
        cases = [
            ({"email": ""}, "valid e-mail"),
            ({"email": "not-an-email"}, "valid e-mail"),
            ({"email": "a@" + "b" * 1024 * 1024 + ".com"}, "valid e-mail"),
            ({"email": "<script>@example.com"}, "valid e-mail"),
            ({"name": ""}, "is required"),
            ({"name": "   "}, "is required"),
            ({"name": "n" * 129}, "too long"),
            ({"shop_name": ""}, "is required"),
            ({"shop_name": "<script>alert(1)</script>"}, "HTML or scripts"),
            ({"shop_name": "javascript:alert(1)"}, "HTML or scripts"),
            ({"shop_description": LONG}, "too long"),
            ({"phone": "0" * 33}, "too long"),
            ({"shop_description": "<iframe src=//evil>"}, "HTML or scripts"),
        ]
        for change, message in cases:
            self.assertRefused(
                "/marketplace/sell",
                dict(valid, **change),
                message,
                csrf_url="/marketplace/sell",
            )
        # No CSRF token: refused, nothing stored.
        self.assertRefused("/marketplace/sell", valid, None, csrf_url=None)

    def test_registration_unusual_but_valid_text_and_double_submission(self):
        csrf = self._csrf("/marketplace/sell")
        data = {
            "csrf_token": csrf,
            "name": "ليلى حداد",
            "email": "layla@example.com",
            "shop_name": "متجر ليلى ✨",
            "shop_description": "Poterie\u202e émaillée",
        }
        for __ in range(2):  # a double click
            response = self.url_open("/marketplace/sell", data=data)
            self.assertIn("registration_done", response.text)
        run_registration_job(self.env)
        layla = self.env["res.partner"].search([("email", "=", "layla@example.com")])
        self.assertEqual(len(layla), 1)
        self.assertEqual(layla.shop_name, "متجر ليلى ✨")
        self.assertEqual(len(layla.user_ids), 1)

    # ------------------------------------------------------------ profile
    def test_profile_corpus(self):
        self.authenticate("ines", "ines-pass1")
        valid = {"shop_name": "Ines Glass", "city": "Nantes"}
        cases = [
            ({"shop_name": ""}, "is required", None),
            ({"shop_name": "<b>Ines</b>"}, "HTML or scripts", None),
            ({"country_id": "abc"}, "Choose the country from the list", None),
            ({"country_id": "99999999"}, "Choose the country from the list", None),
            ({"country_id": "-1"}, "Choose the country from the list", None),
            ({"zip": "9" * 33}, "too long", None),
            ({"shop_description": LONG}, "too long", None),
            ({"acc_number": "<script>"}, "HTML or scripts", None),
            ({"acc_number": "F" * 65}, "too long", None),
            ({}, "not accepted", {"shop_logo": ("logo.png", RAW_PDF, "image/png")}),
            ({}, "not accepted", {"shop_logo": ("logo.svg", SVG, "image/svg+xml")}),
            ({}, "not accepted", {"shop_logo": ("logo.png", EXE, "image/png")}),
            (
                {},
                "exceeds 1 MB",
                {
                    "shop_logo": (
                        "big.png",
                        RAW_PNG + b"0" * 2 * 1024 * 1024,
                        "image/png",
                    )
                },
            ),
        ]
        for change, message, files in cases:
            self.assertRefused(
                "/my/seller/profile", dict(valid, **change), message, files
            )
        self.assertRefused("/my/seller/profile", valid, None, csrf_url=None)

    def test_same_account_with_other_spacing_is_kept_once(self):
        self.authenticate("ines", "ines-pass1")
        data = {
            "shop_name": "Ines Glass",
            "acc_number": "FR76 3000 6000 0112 3456 7890 189",
        }
        response = self.assertSaved("/my/seller/profile", data)
        self.assertIn("Your profile is saved", response.text)
        again = dict(data, acc_number="fr7630006000011234567890189", city="Brest")
        response = self.assertSaved("/my/seller/profile", again)
        self.assertIn("Your profile is saved", response.text)
        self.assertEqual(len(self.seller.bank_ids), 1)
        self.assertEqual(self.seller.city, "Brest", "the rest of the profile is saved")
        self.assertIn("FR76 3000 6000 0112 3456 7890 189", response.text)

    def assertSaved(self, url, data, files=None):
        data = dict(data, csrf_token=self._csrf("/my/seller"))
        response = self.url_open(url, data=data, files=files)
        self.assertEqual(response.status_code, 200)
        self.seller.invalidate_recordset()
        return response

    # ------------------------------------------------------------ documents
    def test_document_corpus(self):
        self.authenticate("ines", "ines-pass1")
        pdf = {"file": ("kbis.pdf", RAW_PDF, "application/pdf")}
        doc = {"document_type_id": str(self.doc_type.id)}
        cases = [
            ({}, "Choose the type of the document", pdf),
            ({"document_type_id": "abc"}, "Choose the type of the document", pdf),
            ({"document_type_id": "99999999"}, "Choose the type of the document", pdf),
            (doc, "Choose a file to upload", None),
            (doc, "not accepted", {"file": ("kbis.exe", EXE, "application/pdf")}),
            (
                doc,
                "not accepted",
                {"file": ("kbis.pdf", HTML_AS_PDF, "application/pdf")},
            ),
            (doc, "not accepted", {"file": ("kbis.svg", SVG, "image/svg+xml")}),
            (doc, "not accepted", {"file": (RTL, EXE, "application/pdf")}),
            (dict(doc, expiry_date="31/02/2026"), "not a valid date", pdf),
            (dict(doc, expiry_date="2026-02-31"), "not a valid date", pdf),
            (dict(doc, expiry_date="<script>"), "not a valid date", pdf),
            (
                {"document_type_id": str(self.doc_type_expiring.id)},
                "needs an expiry date",
                pdf,
            ),
            (
                doc,
                "exceeds 1 MB",
                {
                    "file": (
                        "big.pdf",
                        RAW_PDF + b"0" * 2 * 1024 * 1024,
                        "application/pdf",
                    )
                },
            ),
        ]
        for data, message, files in cases:
            self.assertRefused("/my/seller/document", data, message, files)
        self.assertRefused("/my/seller/document", doc, None, pdf, csrf_url=None)

    def test_document_double_submission_is_stored_once(self):
        self.authenticate("ines", "ines-pass1")
        for __ in range(2):
            response = self.assertSaved(
                "/my/seller/document",
                {"document_type_id": str(self.doc_type.id)},
                files={"file": ("kbis.pdf", RAW_PDF, "application/pdf")},
            )
            self.assertIn("The document is uploaded", response.text)
        self.assertEqual(len(self.seller.seller_document_ids), 1)

    # ------------------------------------------------------------ submission
    def test_submission_incomplete_and_double(self):
        self.authenticate("ines", "ines-pass1")
        self.assertRefused("/my/seller/submit", {}, "is incomplete")
        self.seller.write(
            {
                "shop_description": "Glass.",
                "shop_logo": PNG,
                "street": "1 quai",
                "city": "Nantes",
                "country_id": self.env.ref("base.fr").id,
                "bank_ids": [(0, 0, {"acc_number": "FR7630006000011234567890189"})],
                "seller_document_ids": [
                    (
                        0,
                        0,
                        {
                            "document_type_id": self.doc_type.id,
                            "file": PDF,
                            "file_name": "kbis.pdf",
                        },
                    )
                ],
            }
        )
        for __ in range(2):
            response = self.assertSaved("/my/seller/submit", {})
            self.assertIn("the team will check your documents", response.text)
        self.assertEqual(self.seller.verification_state, "pending")
        activities = self.seller.activity_ids.filtered(
            lambda a: "Check the documents" in (a.summary or "")
        )
        self.assertEqual(len(activities), 1, "one reviewer activity for two clicks")

    # ------------------------------------------------------------ listings
    def test_listing_corpus(self):
        self.authenticate("ines", "ines-pass1")
        valid = {"name": "Vase", "list_price": "12.50", "quantity": "3"}
        cases = [
            ({"name": ""}, "is required"),
            ({"name": "<img src=x onerror=alert(1)>"}, "HTML or scripts"),
            ({"name": "n" * 129}, "too long"),
            ({"description_sale": "d" * 4001}, "too long"),
            ({"list_price": "1e308"}, "must be a number"),
            ({"list_price": "inf"}, "must be a number"),
            ({"list_price": "nan"}, "must be a number"),
            ({"list_price": "-5"}, "must be a number"),
            ({"list_price": "1_000"}, "must be a number"),
            ({"list_price": "abc"}, "must be a number"),
            ({"list_price": "99999999999"}, "must not exceed"),
            ({"quantity": "1e308"}, "must be a number"),
            ({"quantity": "-1"}, "must be a number"),
            ({"quantity": "١٢"}, "must be a number"),
            ({"categ_id": "abc"}, "Choose the category from the list"),
            ({"categ_id": "99999999"}, "Choose the category from the list"),
        ]
        for change, message in cases:
            self.assertRefused("/my/seller/product/new", dict(valid, **change), message)
        self.assertRefused(
            "/my/seller/product/new",
            valid,
            "not accepted",
            {"image": ("vase.png", EXE, "image/png")},
        )
        self.assertRefused("/my/seller/product/new", valid, None, csrf_url=None)

    def test_listing_of_another_seller_is_out_of_reach(self):
        self.authenticate("ines", "ines-pass1")
        for url in (
            f"/my/seller/product/{self.other_product.id}",
            f"/my/seller/product/{self.other_product.id}/publish",
        ):
            response = self.assertRefused(
                url, {"name": "Mine now", "publish": "1"}, None
            )
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self.other_product.name, "Otto's hook")
        self.assertFalse(self.other_product.is_published)

    def test_listing_double_submission_and_display(self):
        self.authenticate("ines", "ines-pass1")
        data = {"name": "Blue vase", "list_price": "89", "quantity": "4"}
        for __ in range(2):
            self.assertSaved("/my/seller/product/new", data)
        products = self.env["product.template"].search(
            [("marketplace_seller_id", "=", self.seller.id)]
        )
        self.assertEqual(len(products), 1)
        page = self.url_open(f"/my/seller/product/{products.id}").text
        self.assertIn('value="89.00"', page)
        self.assertIn('value="4"', page)

    def test_upload_too_large_for_the_server(self):
        """30 MB: refused while the request is read; the seller is sent back
        to the form with its message, nothing stored."""
        self.authenticate("ines", "ines-pass1")
        before = self._counts()
        response = self.url_open(
            "/my/seller/document",
            data={
                "document_type_id": str(self.doc_type.id),
                "csrf_token": self._csrf("/my/seller"),
            },
            files={
                "file": (
                    "big.pdf",
                    RAW_PDF + b"0" * 30 * 1024 * 1024,
                    "application/pdf",
                )
            },
        )
        self.assertLess(response.status_code, 500)
        self.assertIn("The file is too large", response.text)
        self.assertEqual(self._counts(), before)

    # ------------------------------------------------------------ characters
    def _character_cases(self, single_fields, multi_fields):
        """(field, label, value, message) for every field and every text of
        the corpus that the field must refuse."""
        for label, value, one_line, multi_line in TEXTS:
            for field in single_fields:
                yield field, label, value, one_line
            for field in multi_fields:
                if multi_line:
                    yield field, label, value, multi_line

    def test_registration_characters(self):
        """Anonymous registration: every text field, every character of the
        corpus; the e-mail address too (including an encoded word)."""
        valid = {"name": "Zoé", "email": "zoe@example.com", "shop_name": "Zoé"}
        cases = list(
            self._character_cases(("name", "shop_name", "phone"), ("shop_description",))
        )
        for label, value, __, __ in TEXTS:
            cases.append(("email", label, "zoe@example.com" + value, "valid e-mail"))
        cases.append(
            ("email", "encoded word", "=?utf-8?q?zoe?=@example.com", "valid e-mail")
        )
        for field, label, value, message in cases:
            with self.subTest(field=field, text=label):
                self.assertRefused(
                    "/marketplace/sell",
                    dict(valid, **{field: value}),
                    message,
                    csrf_url="/marketplace/sell",
                )

    def test_registration_multiline_description_keeps_its_lines(self):
        data = {
            "csrf_token": self._csrf("/marketplace/sell"),
            "name": "Lina",
            "email": "lina@example.com",
            "shop_name": "Lina Clay",
            "shop_description": "Bowls\r\nand\tcups",
        }
        self.assertIn(
            "registration_done", self.url_open("/marketplace/sell", data=data).text
        )
        request = self.env["marketplace.seller.registration"].search(
            [("email", "=", "lina@example.com")]
        )
        self.assertEqual(request.shop_description, "Bowls\nand\tcups")

    def test_profile_characters(self):
        """The profile's texts and the payout account (a direction override
        in an account number is refused): nothing written."""
        self.authenticate("ines", "ines-pass1")
        valid = {"shop_name": "Ines Glass", "city": "Nantes"}
        cases = self._character_cases(
            ("shop_name", "street", "city", "zip", "acc_number"), ("shop_description",)
        )
        for field, label, value, message in cases:
            with self.subTest(field=field, text=label):
                self.assertRefused(
                    "/my/seller/profile", dict(valid, **{field: value}), message
                )

    def test_listing_characters(self):
        self.authenticate("ines", "ines-pass1")
        valid = {"name": "Vase", "list_price": "12.50", "quantity": "3"}
        for field, label, value, message in self._character_cases(
            ("name",), ("description_sale",)
        ):
            with self.subTest(field=field, text=label):
                self.assertRefused(
                    "/my/seller/product/new", dict(valid, **{field: value}), message
                )

    def test_document_file_name_characters(self):
        """A NUL, a line break, a control character or a direction override
        in the name of an uploaded document (sent as raw bytes): refused,
        nothing stored."""
        self.authenticate("ines", "ines-pass1")
        for label, name, message in FILE_NAMES:
            with self.subTest(name=label):
                before, profile = self._counts(), self._profile()
                body, headers = multipart(
                    {
                        "csrf_token": self._csrf("/my/seller"),
                        "document_type_id": str(self.doc_type.id),
                    },
                    "file",
                    name,
                    RAW_PDF,
                )
                response = self.url_open(
                    "/my/seller/document", data=body, headers=headers
                )
                self.assertLess(response.status_code, 500)
                self.assertIn(message, response.text)
                self.assertEqual(self._counts(), before)
                self.assertEqual(self._profile(), profile)

    def test_account_form_characters(self):
        """Odoo's "My account" form: the contact's name and e-mail go into
        mail headers, so they follow the same rule."""
        self.authenticate("ines", "ines-pass1")
        partner = self.seller.user_ids.partner_id
        valid = {
            "name": "Ines",
            "email": "ines@example.com",
            "phone": "0102030405",
            "street": "1 quai",
            "city": "Nantes",
            "zip": "44000",
            "country_id": str(self.env.ref("base.fr").id),
        }
        before = partner.read(["name", "street", "city"])
        for field, label, value, message in self._character_cases(
            ("name", "city", "street"), ()
        ):
            with self.subTest(field=field, text=label):
                data = dict(valid, **{field: value})
                data.update(
                    csrf_token=self._csrf("/my/account"),
                    partner_id=str(partner.id),
                    use_delivery_as_billing="true",
                )
                response = self.url_open("/my/address/submit", data=data)
                self.assertLess(response.status_code, 500)
                self.assertIn(message, " ".join(response.json()["messages"]))
                partner.invalidate_recordset()
                self.assertEqual(partner.read(["name", "street", "city"]), before)

    # ------------------------------------------------------------ empty files
    def test_empty_logo_and_listing_image_are_refused(self):
        """A zero-byte logo or listing image is said, not silently ignored
        under a "saved" message."""
        self.authenticate("ines", "ines-pass1")
        response = self.assertRefused(
            "/my/seller/profile",
            {"shop_name": "Ines Glass"},
            "Shop logo: the file is empty.",
            {"shop_logo": ("logo.png", b"", "image/png")},
        )
        self.assertNotIn("Your profile is saved", response.text)
        response = self.assertRefused(
            "/my/seller/product/new",
            {"name": "Vase", "list_price": "12.50", "quantity": "3"},
            "Image: the file is empty.",
            {"image": ("vase.png", b"", "image/png")},
        )
        self.assertNotIn("saved=1", response.headers.get("Location", ""))
        self.assertRefused(
            "/my/seller/document",
            {"document_type_id": str(self.doc_type.id)},
            "Document: the file is empty.",
            {"file": ("kbis.pdf", b"", "application/pdf")},
        )
