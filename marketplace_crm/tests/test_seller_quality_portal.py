import base64
from urllib.parse import urlparse

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import PDF, register_seller
from .text_corpus import FILE_NAMES, TEXTS, multipart


@tagged("post_install", "-at_install")
class TestSellerQualityPortal(HttpCase):
    """A suspended seller appeals from My shop; another seller never reaches
    that appeal; staff decide and the seller is reinstated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller_a = register_seller(
            cls.env,
            {"name": "Alma", "email": "alma@example.com", "shop_name": "Alma Glass"},
        )
        cls.seller_b = register_seller(
            cls.env,
            {"name": "Boris", "email": "boris@example.com", "shop_name": "Boris Iron"},
        )
        for seller, login in ((cls.seller_a, "alma"), (cls.seller_b, "boris")):
            seller.user_ids.write({"login": login, "password": f"{login}-pass"})
            seller.write({"verification_state": "pending"})
            seller.write({"verification_state": "validated"})
        cls.product_a = cls.env["product.template"].create(
            {
                "name": "Alma's vase",
                "marketplace_seller_id": cls.seller_a.id,
                "type": "consu",
                "list_price": 40,
                "is_published": True,
            }
        )
        crossing = cls.env["marketplace.quality.crossing"].create(
            {
                "seller_id": cls.seller_a.id,
                "metric": "late",
                "level": "limit",
                "value": 30.0,
                "threshold": 15.0,
                "grace_until": "2026-01-01",
            }
        )
        cls.seller_a._quality_suspend(crossing)
        cls.staff = cls.env["res.users"].create(
            {
                "name": "Quality Manager",
                "login": "quality_manager",
                "email": "qm@example.com",
                "group_ids": [
                    (
                        6,
                        0,
                        [cls.env.ref("marketplace_crm.group_marketplace_verifier").id],
                    )
                ],
            }
        )
        cls.seller_a.user_id = cls.staff

    def _form(self, url="/my/seller/quality"):
        page = self.url_open(url).text
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
        token = (
            page.split('name="token" value="')[1].split('"')[0]
            if 'name="token"' in page
            else ""
        )
        return csrf, token

    def _appeals(self, seller):
        return self.env["marketplace.quality.appeal"].search(
            [("seller_id", "=", seller.id)]
        )

    def test_appeal_flow(self):
        self.assertFalse(self.product_a.is_published)
        self.authenticate("alma", "alma-pass")
        home = self.url_open("/my/seller").text
        self.assertIn('id="seller_quality"', home)
        self.assertIn('id="seller_quality_suspended"', home)
        page = self.url_open("/my/seller/quality").text
        self.assertIn('id="quality_appeal_form"', page)
        self.assertIn('data-metric="late"', page)
        csrf, token = self._form()
        # Bad input: the form answers with its error, nothing is created.
        response = self.url_open(
            "/my/seller/quality/appeal",
            data={"csrf_token": csrf, "token": token, "explanation": "  "},
        )
        self.assertIn('id="quality_error"', response.text)
        response = self.url_open(
            "/my/seller/quality/appeal",
            data={"csrf_token": csrf, "token": token, "explanation": "Carrier strike."},
            files={"evidence": ("notes.txt", b"just text", "text/plain")},
        )
        self.assertIn("this type of file is not accepted", response.text)
        self.assertIn("Carrier strike.", response.text, "the text is kept")
        self.assertFalse(self._appeals(self.seller_a))
        # Without the CSRF token the POST is refused.
        response = self.url_open(
            "/my/seller/quality/appeal",
            data={"token": token, "explanation": "Carrier strike."},
        )
        self.assertEqual(response.status_code, 400)
        # The appeal, sent twice (double click): one appeal.
        data = {
            "csrf_token": csrf,
            "token": token,
            "explanation": "The carrier was on strike for a week.",
        }
        files = {"evidence": ("strike.pdf", base64.b64decode(PDF), "application/pdf")}
        first = self.url_open("/my/seller/quality/appeal", data=data, files=files)
        second = self.url_open("/my/seller/quality/appeal", data=data, files=files)
        appeal = self._appeals(self.seller_a)
        self.assertEqual(len(appeal), 1)
        self.assertEqual(
            urlparse(first.url).path, f"/my/seller/quality/appeal/{appeal.id}"
        )
        self.assertEqual(first.url, second.url)
        self.assertIn("The carrier was on strike", first.text)
        self.assertEqual(appeal.attachment_ids.mapped("name"), ["strike.pdf"])
        self.assertEqual(appeal.state, "submitted")
        self.assertEqual(appeal.activity_ids.user_id, self.staff)
        self.assertIn(
            "quality_appeal", self.seller_a.seller_event_ids.mapped("event_type")
        )

        # The other seller: no access to that appeal, no evidence added to it,
        # and nothing to appeal.
        self.authenticate("boris", "boris-pass")
        response = self.url_open(f"/my/seller/quality/appeal/{appeal.id}")
        self.assertEqual(response.status_code, 404)
        csrf_b, __ = self._form("/my/seller")
        self.assertNotIn(
            'id="quality_appeal_form"', self.url_open("/my/seller/quality").text
        )
        response = self.url_open(
            "/my/seller/quality/evidence",
            data={"csrf_token": csrf_b, "appeal_id": appeal.id},
            files=files,
        )
        self.assertIn('id="quality_error"', response.text)
        self.assertEqual(len(appeal.attachment_ids), 1)
        response = self.url_open(
            "/my/seller/quality/appeal",
            data={"csrf_token": csrf_b, "token": "abc123", "explanation": "Me too"},
        )
        self.assertIn("no quality suspension or grace period", response.text)
        self.assertFalse(self._appeals(self.seller_b))

        # Staff reinstate: the listing is published again, the seller told.
        appeal.with_user(self.staff).write({"decision_note": "Strike confirmed."})
        appeal.with_user(self.staff).action_reinstate()
        self.assertEqual(appeal.state, "reinstated")
        self.assertFalse(self.seller_a.seller_suspended)
        self.assertTrue(self.product_a.is_published)
        mail = self.env["mail.mail"].search(
            [
                ("subject", "ilike", "Your appeal"),
                ("recipient_ids", "in", self.seller_a.ids),
            ]
        )
        self.assertIn("accepted your appeal", mail.body_html)
        self.authenticate("alma", "alma-pass")
        page = self.url_open(f"/my/seller/quality/appeal/{appeal.id}").text
        self.assertIn("Strike confirmed.", page)

    def test_appeal_characters(self):
        """The explanation follows the rule of multi-line text and the names
        of the evidence files that of file names (sent as raw bytes): the
        form answers with the message, no appeal is stored."""
        self.authenticate("alma", "alma-pass")
        cases = [
            ({"explanation": value}, None, message)
            for __, value, __, message in TEXTS
            if message
        ] + [
            ({"explanation": "Carrier strike."}, name, message)
            for __, name, message in FILE_NAMES
        ]
        for fields, file_name, message in cases:
            with self.subTest(fields=fields, file_name=file_name):
                csrf, token = self._form()
                data = dict(fields, csrf_token=csrf, token=token)
                if file_name:
                    body, headers = multipart(
                        data, "evidence", file_name, base64.b64decode(PDF)
                    )
                    response = self.url_open(
                        "/my/seller/quality/appeal", data=body, headers=headers
                    )
                else:
                    response = self.url_open("/my/seller/quality/appeal", data=data)
                self.assertLess(response.status_code, 500)
                self.assertIn(message, response.text)
                self.assertFalse(self._appeals(self.seller_a))

    def test_confirmed_appeal_keeps_the_suspension(self):
        self.authenticate("alma", "alma-pass")
        csrf, token = self._form()
        self.url_open(
            "/my/seller/quality/appeal",
            data={"csrf_token": csrf, "token": token, "explanation": "Please."},
        )
        appeal = self._appeals(self.seller_a)
        appeal.with_user(self.staff).decision_note = "Late shipments confirmed."
        appeal.with_user(self.staff).action_confirm_suspension()
        self.assertEqual(appeal.state, "confirmed")
        self.assertTrue(self.seller_a.seller_suspended)
        self.assertFalse(self.product_a.is_published)
        self.assertIn(
            "quality_appeal_decision",
            self.seller_a.seller_event_ids.mapped("event_type"),
        )

    def test_my_shop_says_not_rated_before_the_first_evaluation(self):
        """A new shop, never evaluated, reads "not rated yet", not a score of
        0 with an empty tier; once evaluated it reads its score and tier."""
        self.authenticate("boris", "boris-pass")
        home = self.url_open("/my/seller").text
        self.assertIn('id="seller_quality_unrated"', home)
        self.assertNotIn('id="seller_quality_score"', home)
        self.seller_b.write({"seller_quality_tier": "good", "quality_score": 82})
        home = self.url_open("/my/seller").text
        self.assertNotIn('id="seller_quality_unrated"', home)
        self.assertIn('id="seller_quality_score">82<', home)
        self.assertIn("Good", home)

    def _send_appeal(self, explanation="The carrier was on strike."):
        csrf, token = self._form()
        return self.url_open(
            "/my/seller/quality/appeal",
            data={"csrf_token": csrf, "token": token, "explanation": explanation},
        )

    def test_sending_an_appeal_confirms_it(self):
        """After sending, the seller reads that the appeal was sent and what
        comes next; the appeal's page opened later has no such message."""
        self.authenticate("alma", "alma-pass")
        response = self._send_appeal()
        appeal = self._appeals(self.seller_a)
        self.assertEqual(len(appeal), 1)
        self.assertIn('id="appeal_sent"', response.text)
        self.assertIn("Your appeal was sent.", response.text)
        self.assertIn("receive the decision by e-mail", response.text)
        later = self.url_open(f"/my/seller/quality/appeal/{appeal.id}").text
        self.assertNotIn('id="appeal_sent"', later)
        # Once decided, an old link with the flag says nothing about sending.
        appeal.with_user(self.staff).decision_note = "Late shipments confirmed."
        appeal.with_user(self.staff).action_confirm_suspension()
        decided = self.url_open(f"/my/seller/quality/appeal/{appeal.id}?sent=1").text
        self.assertNotIn('id="appeal_sent"', decided)

    def test_appeal_under_review_replaces_the_form(self):
        """While an appeal is under review the page shows it (sent on, under
        review, a link to it) instead of a form to send another one; once it
        is decided and the seller still suspended, the form is back."""
        self.authenticate("alma", "alma-pass")
        self.assertIn(
            'id="quality_appeal_form"', self.url_open("/my/seller/quality").text
        )
        self._send_appeal()
        appeal = self._appeals(self.seller_a)
        page = self.url_open("/my/seller/quality").text
        self.assertNotIn('id="quality_appeal_form"', page)
        self.assertNotIn('name="explanation"', page)
        self.assertIn('id="quality_appeal_under_review"', page)
        self.assertIn("is under review", page)
        self.assertIn(f'href="/my/seller/quality/appeal/{appeal.id}"', page)
        appeal.with_user(self.staff).decision_note = "Late shipments confirmed."
        appeal.with_user(self.staff).action_confirm_suspension()
        page = self.url_open("/my/seller/quality").text
        self.assertNotIn('id="quality_appeal_under_review"', page)
        self.assertIn('id="quality_appeal_form"', page)

    def test_exempted_shop_is_told_until_when(self):
        """An exempted seller reads, on My shop and on the quality page, that
        the shop is exempted from the quality rules until the date; the
        reason is internal (see the field's help) and is not shown; there is
        no appeal form. The other seller reads nothing of it."""
        self.seller_b.write(
            {
                "quality_exempt_until": "2031-05-17",
                "quality_exempt_reason": "Internal: supplier audit pending",
            }
        )
        self.authenticate("boris", "boris-pass")
        for url, element in (
            ("/my/seller", 'id="seller_quality_exempt"'),
            ("/my/seller/quality", 'id="quality_exempt"'),
        ):
            with self.subTest(url=url):
                page = self.url_open(url).text
                self.assertIn(element, page)
                self.assertIn("exempted from the quality rules until", page)
                self.assertIn("05/17/2031", page)
                self.assertNotIn("supplier audit", page)
                self.assertNotIn('id="quality_appeal_form"', page)
        self.authenticate("alma", "alma-pass")
        for url in ("/my/seller", "/my/seller/quality"):
            self.assertNotIn("exempted from the quality rules", self.url_open(url).text)
        # Exempted after being suspended: the exemption stops new alerts,
        # not the suspension, which the seller may still appeal.
        self.seller_a.write(
            {"quality_exempt_until": "2031-05-17", "quality_exempt_reason": "Audit"}
        )
        page = self.url_open("/my/seller/quality").text
        self.assertIn('id="quality_exempt"', page)
        self.assertIn('id="quality_appeal_form"', page)

    def test_deciding_an_appeal_needs_a_decision_note(self):
        """The seller receives the note with the decision: neither decision
        is taken with an empty (or blank) note; nothing is written, no
        e-mail, no lifecycle event. With a note, the decision goes through."""
        self.authenticate("alma", "alma-pass")
        self._send_appeal()
        appeal = self._appeals(self.seller_a).with_user(self.staff)
        mails = self.env["mail.mail"].search_count([])
        for note in (False, "   \n "):
            appeal.decision_note = note
            for action in (appeal.action_reinstate, appeal.action_confirm_suspension):
                with (
                    self.subTest(note=note, action=action.__name__),
                    self.assertRaisesRegex(UserError, "Write the decision"),
                ):
                    action()
                self.assertEqual(appeal.state, "submitted")
                self.assertFalse(appeal.decided_by_id)
                self.assertTrue(self.seller_a.seller_suspended)
                self.assertNotIn(
                    "quality_appeal_decision",
                    self.seller_a.seller_event_ids.mapped("event_type"),
                )
                self.assertEqual(self.env["mail.mail"].search_count([]), mails)
        appeal.decision_note = "Strike confirmed."
        appeal.action_reinstate()
        self.assertEqual(appeal.state, "reinstated")
        self.assertFalse(self.seller_a.seller_suspended)
