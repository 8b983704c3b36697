import re
from urllib.parse import urlparse

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSellerInvitation(HttpCase):
    """With Odoo's defaults (no outgoing mail server), the team sees where a
    new seller's invitation stands, can resend it, and is told that mail is
    not going out; the seller gets one e-mail, the invitation, and not
    Odoo's generic welcome and "password changed" on top of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's default: no outgoing mail server configured.
        cls.env["ir.mail_server"].search([]).action_archive()
        cls.agent = cls.env["res.users"].create(
            {
                "name": "Invitation Agent",
                "login": "mp_invitation_agent",
                "group_ids": [
                    (6, 0, cls.env.ref("marketplace_crm.group_marketplace_user").ids)
                ],
            }
        )

    def _register(self, name, email):
        seller = self.env["res.partner"]._marketplace_create_seller(
            {"name": name, "email": email, "shop_name": f"{name} shop", "lang": "en_US"}
        )
        return seller, seller.user_ids

    def _mails_to(self, email):
        return self.env["mail.mail"].search([("email_to", "ilike", email)]) | (
            self.env["mail.mail"].search([("recipient_ids.email", "=", email)])
        )

    def test_team_sees_invitation_state_and_resends_it(self):
        seller, user = self._register("Hana Weaver", "hana.weaver@example.com")
        other, __ = self._register("Ilse Potter", "ilse.potter@example.com")
        lead = self.env["crm.lead"].search([("marketplace_seller_id", "=", seller.id)])
        as_agent = seller.with_user(self.agent)
        self.assertEqual(as_agent.marketplace_invitation_state, "queued")
        self.assertIn("No outgoing mail server", as_agent.marketplace_mail_warning)
        self.assertEqual(
            lead.with_user(self.agent).marketplace_invitation_state, "queued"
        )
        self.assertIn("No outgoing mail server", lead.marketplace_mail_warning)

        # The mail queue tried and failed: the team reads why.
        user.marketplace_invitation_mail_id.write(
            {"state": "exception", "failure_reason": "Connection refused"}
        )
        seller.invalidate_recordset()
        self.assertEqual(as_agent.marketplace_invitation_state, "failed")
        self.assertEqual(as_agent.marketplace_invitation_error, "Connection refused")
        self.assertEqual(other.marketplace_invitation_state, "queued")

        action = as_agent.action_marketplace_resend_invitation()
        self.assertEqual(action["params"]["type"], "info")
        seller.invalidate_recordset()
        self.assertEqual(as_agent.marketplace_invitation_state, "queued")
        self.assertEqual(len(self._mails_to("hana.weaver@example.com")), 2)

        # Sent, then removed from the queue: still "sent".
        user.marketplace_invitation_mail_id.unlink()
        seller.invalidate_recordset()
        self.assertEqual(as_agent.marketplace_invitation_state, "sent")
        self.assertFalse(as_agent.marketplace_mail_warning)

    def test_activation_sends_no_generic_welcome_nor_password_changed(self):
        seller, user = self._register("Noor Glass", "noor.glass@example.com")
        self.assertEqual(len(self._mails_to("noor.glass@example.com")), 1)
        path = urlparse(user._marketplace_seller_signup_url())
        page = self.url_open(f"{path.path}?{path.query}")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            "/web/signup",
            data={
                "csrf_token": csrf,
                "token": token,
                "login": "noor.glass@example.com",
                "name": "Noor Glass",
                "password": "a long enough passphrase 42",
                "confirm_password": "a long enough passphrase 42",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertTrue(user.login_date, "The seller is logged in")
        self.assertEqual(seller.marketplace_invitation_state, "active")
        mails = self._mails_to("noor.glass@example.com")
        self.assertEqual(
            mails.mapped("subject"),
            ["Activate your seller account for Noor Glass shop"],
            "One e-mail: the marketplace invitation",
        )
        # A later change of password is still announced.
        user.write({"password": "another long passphrase 43"})
        self.assertEqual(len(self._mails_to("noor.glass@example.com")), 2)
