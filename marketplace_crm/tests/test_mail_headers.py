"""No text a person typed reaches an e-mail header with a control character
in it: the forms refuse such text, and e-mails built from text stored
before (or by another path) are sent with clean headers. Every e-mail is
read raw, as a real SMTP server on 127.0.0.1 received it."""

import email
from email import policy

from odoo.tests import HttpCase, tagged

from .common import run_registration_job
from .smtp_sink import smtp_sink

# What an attacker puts in a name or a shop name (see text_corpus for the
# whole corpus the forms refuse).
ATTACKS = [
    ("CRLF Reply-To", "Hana\r\nReply-To: refunds@evil.example"),
    ("CRLF Bcc", "Hana\r\nBcc: spy@evil.example"),
    ("bare LF", "Hana\nReply-To: refunds@evil.example"),
    ("bare CR", "Hana\rBcc: spy@evil.example"),
    ("encoded word", "=?utf-8?q?Hana=0D=0AReply-To:_refunds@evil.example?="),
    ("end of the headers", "Hana\r\n\r\nYour payout is blocked, call +1 555 0100"),
]
# The form fields of the public registration that end in a header: the
# name (To of the invitation), the shop name (its Subject) and the address.
HEADER_FIELDS = ("name", "shop_name", "email")


@tagged("post_install", "-at_install")
class TestMailHeaders(HttpCase):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.registration_max_per_client", 0
        )
        self.last_mail = (
            self.env["mail.mail"].sudo().search([], order="id desc", limit=1).id
        )

    def _send_new_mails(self):
        """Send the e-mails queued since the test began (as the mail queue
        job does); none may fail."""
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("id", ">", self.last_mail), ("state", "=", "outgoing")])
        )
        self.assertTrue(mails)
        mails.send(raise_exception=False)
        failed = mails.exists().filtered(lambda mail: mail.state != "sent")
        # Sent e-mails are deleted (auto_delete) or marked sent.
        self.assertFalse(failed, failed.mapped("failure_reason"))

    def assertCleanMessage(self, received, address):
        """The raw message has the headers of one e-mail to ``address``: no
        Reply-To or Bcc of the attacker, no header line of theirs, a body
        that does not start with their text, and only ``address`` in the
        SMTP envelope."""
        raw = received["raw"]
        head, __, body = raw.partition(b"\r\n\r\n")
        for line in head.split(b"\r\n"):
            self.assertFalse(
                line.lower().startswith((b"reply-to: refunds", b"bcc:")),
                f"injected header line {line!r}",
            )
        self.assertNotIn(b"evil.example>", head.replace(b"\r\n ", b" "))
        self.assertEqual(received["to"], [address])
        message = email.message_from_bytes(raw, policy=policy.default)
        self.assertIsNone(message["Bcc"])
        self.assertNotIn("evil.example", message["Reply-To"] or "")
        self.assertEqual(len(message.get_all("To")), 1)
        self.assertNotIn("\n", str(message["To"]) + str(message["Subject"]))
        self.assertFalse(body.lstrip().startswith(b"Your payout"))
        text = message.get_body(("plain", "html")).get_content()
        self.assertFalse(text.lstrip().startswith("Your payout"))

    def test_stored_names_never_make_a_header(self):
        """Requests stored as they were before the form refused these
        characters (or by any path that does not check them): the job
        creates each seller and its invitation goes out with clean headers,
        the mail marked sent, without an error."""
        Registration = self.env["marketplace.seller.registration"].sudo()
        expected = {}
        for index, (label, attack) in enumerate(ATTACKS):
            for field in ("name", "shop_name"):
                address = f"victim{index}.{field}@example.com"
                values = {
                    "name": "Hana",
                    "shop_name": "Hana Pottery",
                    "email": address,
                    "company_id": self.env.company.id,
                    field: attack,
                }
                Registration.create(values)
                expected[address] = (label, field)
        with smtp_sink(self.env) as received:
            run_registration_job(self.env)
            self._send_new_mails()
            # The invitations (and the team's notifications of the new
            # sellers, each clean too).
            by_address = {message["to"][0]: message for message in received}
            self.assertLessEqual(set(expected), set(by_address))
            for message in received:
                self.assertCleanMessage(message, message["to"][0])
            for address, (label, field) in expected.items():
                with self.subTest(attack=label, field=field):
                    self.assertCleanMessage(by_address[address], address)

    def test_registration_form_sends_nothing_an_attacker_wrote(self):
        """Every header field of the public form with every attack: the form
        answers with its message, nothing is stored, and the mail server
        receives nothing; a genuine request still gets its invitation."""
        valid = {"name": "Hana", "email": "hana@example.com", "shop_name": "Hana"}
        with smtp_sink(self.env) as received:
            for label, attack in ATTACKS:
                for field in HEADER_FIELDS:
                    value = valid["email"] + attack if field == "email" else attack
                    with self.subTest(attack=label, field=field):
                        page = self.url_open("/marketplace/sell")
                        csrf = page.text.split('name="csrf_token" value="')[1]
                        data = dict(valid, csrf_token=csrf.split('"')[0])
                        data[field] = value
                        response = self.url_open("/marketplace/sell", data=data)
                        self.assertLess(response.status_code, 500)
                        self.assertIn("registration_error", response.text)
            self.assertFalse(
                self.env["marketplace.seller.registration"].search_count(
                    [("email", "=", "hana@example.com")]
                )
            )
            page = self.url_open("/marketplace/sell")
            csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
            response = self.url_open(
                "/marketplace/sell", data=dict(valid, csrf_token=csrf)
            )
            self.assertIn("registration_done", response.text)
            run_registration_job(self.env)
            self._send_new_mails()
        # The invitation, and the team's notification of the new seller.
        invitations = [m for m in received if m["to"] == ["hana@example.com"]]
        self.assertEqual(len(invitations), 1)
        self.assertIn(b"Activate your seller account", invitations[0]["raw"])
        for message in received:
            self.assertCleanMessage(message, message["to"][0])
            self.assertNotIn(b"evil.example", message["raw"])

    def test_shop_name_saved_with_a_line_break_does_not_break_e_mails(self):
        """A shop name stored with a CRLF (before the profile form refused
        it): the e-mails whose subject carries it are sent, clean."""
        seller = self.env["res.partner"].create(
            {
                "name": "Iris",
                "email": "iris@example.com",
                "is_seller": True,
                "shop_name": "Iris\r\nBcc: spy@evil.example",
            }
        )
        with smtp_sink(self.env) as received:
            self.env["mail.template"].browse(
                self.env.ref("marketplace_crm.mail_template_seller_validated").id
            ).send_mail(seller.id)
            self._send_new_mails()
        self.assertEqual(len(received), 1)
        self.assertCleanMessage(received[0], "iris@example.com")
        subject = email.message_from_bytes(received[0]["raw"], policy=policy.default)
        self.assertEqual(
            subject["Subject"], "Your shop Iris Bcc: spy@evil.example is approved"
        )
