"""Bad inputs on the portal ticket form, posted as a browser does.

Each case of ``CASES`` changes a valid submission (fields set, removed, or
files attached) and names the message the form must come back with; the
answer's status stays below 500 and no ticket, attachment or dispute is
stored. New cases go in the table.
"""

import base64
import html

from odoo.tests import HttpCase, tagged

from .common import PDF, PNG
from .portal_form import form_tokens, portal_user
from .text_corpus import BIDI, CONTROL, FILE_NAMES, TEXTS, multipart

AMOUNT = "Enter the amount at stake as a positive number with at most two decimals"
TYPE = "Choose a type of issue from the list."
CATEGORY = "Choose a category from the list."
URGENCY = "Choose an urgency from the list."
ORDER = "Choose one of your orders from the list."
SUBJECT = "Give your ticket a subject."
SUBJECT_LONG = "The subject may not exceed 200 characters."
DESCRIPTION = "Describe your issue."
DESCRIPTION_LONG = "The description may not exceed 10000 characters."
EXPIRED = "This form has expired: check what you typed and send it again."
FILE_TYPE = "cannot be attached: send a PDF, JPG, PNG or plain text file."
FILE_SIZE = "is too large: attachments may not exceed 1 MB."

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)
HTML_PAGE = b"<html><body><script>alert(document.cookie)</script></body></html>"
MB = 1024 * 1024

# (label, fields to set (None removes the field), files, expected message)
CASES = [
    # non-finite, out-of-range and malformed numbers
    ("amount nan", {"amount": "nan"}, [], AMOUNT),
    ("amount NaN", {"amount": "NaN"}, [], AMOUNT),
    ("amount inf", {"amount": "inf"}, [], AMOUNT),
    ("amount -inf", {"amount": "-inf"}, [], AMOUNT),
    ("amount infinity", {"amount": "Infinity"}, [], AMOUNT),
    ("amount 1e308", {"amount": "1e308"}, [], AMOUNT),
    ("amount 1e3", {"amount": "1e3"}, [], AMOUNT),
    ("amount negative", {"amount": "-1"}, [], AMOUNT),
    ("amount underscore", {"amount": "1_000"}, [], AMOUNT),
    ("amount text", {"amount": "twelve euros"}, [], AMOUNT),
    ("amount three decimals", {"amount": "12.345"}, [], AMOUNT),
    ("amount hexadecimal", {"amount": "0x10"}, [], AMOUNT),
    ("amount inner space", {"amount": "1 000"}, [], AMOUNT),
    ("amount ten digits", {"amount": "1000000000"}, [], AMOUNT),
    ("amount arabic-indic digits", {"amount": "\u0661\u0662\u0663"}, [], AMOUNT),
    ("amount full-width digits", {"amount": "\uff11\uff12"}, [], AMOUNT),
    # selections: types, forged and foreign ids
    ("type text", {"type": "abc"}, [], TYPE),
    ("type unknown id", {"type": "99999999"}, [], TYPE),
    ("type huge id", {"type": "9" * 40}, [], TYPE),
    ("type negative id", {"type": "-1"}, [], TYPE),
    ("type missing", {"type": None}, [], TYPE),
    ("type hidden from portal", {"type": "hidden_type"}, [], TYPE),
    ("category text", {"category": "abc"}, [], CATEGORY),
    ("category unknown id", {"category": "99999999"}, [], CATEGORY),
    ("urgency out of range", {"urgency": "9"}, [], URGENCY),
    ("urgency text", {"urgency": "urgent!"}, [], URGENCY),
    ("order text", {"sale_order": "abc"}, [], ORDER),
    ("order unknown id", {"sale_order": "99999999"}, [], ORDER),
    ("order of another buyer", {"sale_order": "other_buyer_order"}, [], ORDER),
    ("order of a demo customer", {"sale_order": "customer_order"}, [], ORDER),
    ("order draft of the buyer", {"sale_order": "draft_order"}, [], ORDER),
    # missing fields and sizes
    ("subject empty", {"subject": ""}, [], SUBJECT),
    ("subject blank", {"subject": " \t\n "}, [], SUBJECT),
    ("subject missing", {"subject": None}, [], SUBJECT),
    ("subject 201 characters", {"subject": "x" * 201}, [], SUBJECT_LONG),
    ("subject 1 MB", {"subject": "x" * MB}, [], SUBJECT_LONG),
    ("subject 1 MB right-to-left", {"subject": "\u05e9" * MB}, [], SUBJECT_LONG),
    ("description empty", {"description": ""}, [], DESCRIPTION),
    ("description missing", {"description": None}, [], DESCRIPTION),
    ("description 1 MB", {"description": "y" * MB}, [], DESCRIPTION_LONG),
    # the form token (double submission guard)
    ("form token missing", {"form_token": None}, [], EXPIRED),
    ("form token forged", {"form_token": "../../etc/passwd"}, [], EXPIRED),
    # attachments: judged by their content, within the size of Settings
    ("exe attachment", {}, [("setup.exe", EXE)], FILE_TYPE),
    ("exe renamed pdf", {}, [("invoice.pdf", EXE)], FILE_TYPE),
    ("exe with right-to-left name", {}, [("photo\u202egnp.exe", EXE)], FILE_TYPE),
    ("svg attachment", {}, [("logo.svg", SVG)], FILE_TYPE),
    ("svg renamed png", {}, [("logo.png", SVG)], FILE_TYPE),
    ("html renamed txt", {}, [("notes.txt", HTML_PAGE)], FILE_TYPE),
    ("empty file", {}, [("empty.pdf", b"")], FILE_TYPE),
    ("binary noise", {}, [("noise.jpg", bytes(range(256)) * 4)], FILE_TYPE),
    (
        "file above the size limit",
        {},
        [("big.pdf", base64.b64decode(PDF) + b"0" * (MB + 10))],
        FILE_SIZE,
    ),
    (
        "good file with a bad one",
        {},
        [("ok.png", base64.b64decode(PNG)), ("bad.exe", EXE)],
        FILE_TYPE,
    ),
    # characters no text may hold (the shared corpus): the subject is one
    # line (it is the subject of the e-mails about the ticket)
    *(
        (f"subject {label}", {"subject": value}, [], one_line)
        for label, value, one_line, __ in TEXTS
    ),
    *(
        (f"description {label}", {"description": value}, [], multi_line)
        for label, value, __, multi_line in TEXTS
        if multi_line
    ),
    # file names of attachments whose content is fine (NUL and line breaks,
    # which requests escapes: see test_attachment_names_sent_raw)
    ("file name with escape", {}, [("photo\x1b.png", base64.b64decode(PNG))], CONTROL),
    ("file name override", {}, [("\u202egnp.png", base64.b64decode(PNG))], BIDI),
    # several mistakes at once: each is named
    ("everything wrong", {"amount": "inf", "subject": "", "type": "x"}, [], AMOUNT),
]


@tagged("post_install", "-at_install")
class TestBadInputsTicket(HttpCase):
    """The ticket form answers every bad input with its message and stores
    nothing; hostile but valid text is stored as text and shown escaped."""

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.ticket_attachment_max_size_mb", 1
        )
        self.buyer = portal_user(self.env, "badin_buyer")
        other_buyer = portal_user(self.env, "badin_other")
        seller = self.env.ref("marketplace_crm.seller_atelier_lin")
        product = self.env["product.product"].search(
            [("marketplace_seller_id", "=", seller.id)], limit=1
        )
        SaleOrder = self.env["sale.order"]

        def order(partner, confirm=True):
            record = SaleOrder.create(
                {
                    "partner_id": partner.id,
                    # 60.00: the amounts at stake below stay within the total.
                    "order_line": [
                        (0, 0, {"product_id": product.id, "price_unit": 60})
                    ],
                }
            )
            if confirm:
                record.action_confirm()
            return record

        self.order = order(self.buyer.partner_id)
        self.ids = {
            "other_buyer_order": order(other_buyer.partner_id).id,
            "customer_order": order(self.env.ref("base.res_partner_2")).id,
            "draft_order": order(self.buyer.partner_id, confirm=False).id,
            "hidden_type": self.env["helpdesk.ticket.type"]
            .create({"name": "Staff only", "show_in_portal": False})
            .id,
        }
        self.type_technical = self.env.ref("marketplace_crm.helpdesk_type_technical")

    # ------------------------------------------------------------ helpers
    def _counts(self):
        return (
            self.env["helpdesk.ticket"].search_count([]),
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "helpdesk.ticket")]
            ),
            self.env["marketplace.dispute"].search_count([]),
        )

    def _valid(self):
        return {
            **form_tokens(self),
            "type": str(self.type_technical.id),
            "sale_order": str(self.order.id),
            "amount": "45.50",
            "urgency": "1",
            "subject": "The lid does not fit",
            "description": "The lid is 2 mm too wide.",
        }

    def _post(self, changes, files=()):
        data = self._valid()
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = str(self.ids.get(value, value))
        return self.url_open(
            "/submitted/ticket",
            data=data,
            files=[("attachment", (name, content)) for name, content in files],
            timeout=60,
        )

    # ------------------------------------------------------------ corpus
    def test_corpus_of_bad_inputs(self):
        self.assertGreaterEqual(len(CASES), 25)
        self.authenticate("badin_buyer", "badin_buyer")
        for label, changes, files, message in CASES:
            with self.subTest(label):
                before = self._counts()
                response = self._post(changes, files)
                self.assertLess(response.status_code, 500)
                self.assertEqual(response.status_code, 422)
                self.assertIn(html.escape(message, quote=False), response.text)
                self.assertIn("Your ticket was not sent", response.text)
                self.assertIn('name="form_token"', response.text, "The form is back")
                self.assertEqual(self._counts(), before, "Nothing stored")

    def test_attachment_names_sent_raw(self):
        """Attachment names with a NUL, a line break, a control character or
        a direction override, sent as raw bytes: the form comes back with
        the message, nothing stored."""
        self.authenticate("badin_buyer", "badin_buyer")
        for label, name, message in FILE_NAMES:
            with self.subTest(name=label):
                before = self._counts()
                body, headers = multipart(
                    self._valid(), "attachment", name, base64.b64decode(PDF)
                )
                response = self.url_open(
                    "/submitted/ticket", data=body, headers=headers
                )
                self.assertEqual(response.status_code, 422)
                self.assertIn(html.escape(message, quote=False), response.text)
                self.assertEqual(self._counts(), before)

    def test_form_keeps_what_was_typed(self):
        self.authenticate("badin_buyer", "badin_buyer")
        response = self._post({"amount": "nan", "subject": "Lid <too> wide"})
        self.assertIn('value="Lid &lt;too&gt; wide"', response.text)
        self.assertIn("The lid is 2 mm too wide.", response.text)

    def test_missing_csrf_token(self):
        self.authenticate("badin_buyer", "badin_buyer")
        before = self._counts()
        data = self._valid()
        del data["csrf_token"]
        response = self.url_open("/submitted/ticket", data=data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Session expired", response.text)
        self.assertEqual(self._counts(), before)

    def test_get_never_opens_a_ticket(self):
        """A link (no CSRF check on GET) cannot open a ticket."""
        self.authenticate("badin_buyer", "badin_buyer")
        before = self._counts()
        response = self.url_open(
            "/submitted/ticket?subject=Linked&description=x"
            f"&type={self.type_technical.id}",
            allow_redirects=False,
        )
        self.assertLess(response.status_code, 500)
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self._counts(), before)

    def test_double_submission_opens_one_ticket(self):
        self.authenticate("badin_buyer", "badin_buyer")
        data = self._valid()
        before = self.env["helpdesk.ticket"].search_count([])
        first = self.url_open("/submitted/ticket", data=data)
        second = self.url_open("/submitted/ticket", data=data)
        tickets = self.env["helpdesk.ticket"].search(
            [("name", "=", "The lid does not fit")]
        )
        self.assertEqual(len(tickets), 1)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), before + 1)
        self.assertEqual(first.status_code, 200)
        self.assertEqual(second.status_code, 200)
        self.assertTrue(first.url.endswith(f"/my/ticket/{tickets.id}"))
        self.assertTrue(second.url.endswith(f"/my/ticket/{tickets.id}"))
        # A new form is a new ticket.
        third = self.url_open("/submitted/ticket", data=self._valid())
        self.assertEqual(third.status_code, 200)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), before + 2)

    def test_corrected_form_sends_once(self):
        """The form back after an error keeps its token: correcting and
        sending it opens one ticket, sending it again none."""
        self.authenticate("badin_buyer", "badin_buyer")
        data = self._valid()
        refused = self.url_open("/submitted/ticket", data=dict(data, amount="nan"))
        self.assertIn(f'value="{data["form_token"]}"', refused.text)
        self.url_open("/submitted/ticket", data=data)
        self.url_open("/submitted/ticket", data=data)
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count(
                [("name", "=", "The lid does not fit")]
            ),
            1,
        )

    # ------------------------------------------------------------ accepted
    def test_hostile_but_valid_text_is_stored_as_text(self):
        self.authenticate("badin_buyer", "badin_buyer")
        cases = {
            "<script>alert(1)</script>": "&lt;script&gt;alert(1)&lt;/script&gt;",
            # Right-to-left text is text; a direction override in a subject
            # is refused (see the corpus).
            "\u05d4\u05de\u05db\u05e1\u05d4 \u05e9\u05d1\u05d5\u05e8\u05d4": (
                "\u05d4\u05de\u05db\u05e1\u05d4"
            ),
            "Couvercle cass\u00e9 \U0001f62d": "Couvercle cass\u00e9 \U0001f62d",
            "x" * 200: "x" * 200,
        }
        for subject, shown in cases.items():
            with self.subTest(subject=subject[:20]):
                response = self._post(
                    {
                        "subject": subject,
                        "description": f"<img src=x onerror=alert(1)> {subject}",
                    }
                )
                self.assertEqual(response.status_code, 200)
                ticket = self.env["helpdesk.ticket"].search(
                    [("name", "=", subject.strip())]
                )
                self.assertEqual(len(ticket), 1)
                self.assertIn(shown, response.text)
                self.assertNotIn("<script>alert(1)</script>", response.text)
                self.assertNotIn("<img src=x", response.text)
                self.assertNotIn("<img src=x", ticket.description)

    def test_good_attachments_are_stored_with_their_real_type(self):
        self.authenticate("badin_buyer", "badin_buyer")
        files = [
            ("scan.pdf", base64.b64decode(PDF)),
            ("photo.png", base64.b64decode(PNG)),
            ("log.txt", "Erreur \u00e0 la ligne 3\n".encode()),
            ("photo-without-extension", base64.b64decode(PNG)),
        ]
        response = self._post({}, files)
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "The lid does not fit")]
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(
            sorted(attachments.mapped("mimetype")),
            ["application/pdf", "image/png", "image/png", "text/plain"],
        )

    def test_amounts_accepted(self):
        self.authenticate("badin_buyer", "badin_buyer")
        for typed, stored in (("45", 45.0), ("45,5", 45.5), (" 0.99 ", 0.99), ("", 0)):
            with self.subTest(typed=typed):
                subject = f"Amount {typed!r}"
                response = self._post({"amount": typed, "subject": subject})
                self.assertEqual(response.status_code, 200)
                ticket = self.env["helpdesk.ticket"].search([("name", "=", subject)])
                self.assertEqual(ticket.amount, stored)
