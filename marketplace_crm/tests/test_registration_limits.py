"""The public registration form within its rate limit (per e-mail address
and per client, in a window of Settings) and behind the captcha of any
captcha module installed: beyond the limit the visitor sees the same
answer, and nothing is stored or e-mailed."""

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import run_registration_job


@tagged("post_install", "-at_install")
class TestRegistrationLimits(HttpCase):
    def setUp(self):
        super().setUp()
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param("marketplace_crm.registration_window_minutes", 60)
        Param.set_param("marketplace_crm.registration_max_per_email", 2)
        Param.set_param("marketplace_crm.registration_max_per_client", 3)
        self.Registration = self.env["marketplace.seller.registration"].sudo()

    def _register(self, email, client="203.0.113.7", name="Hana"):
        """Post the public form as a browser at the address ``client``."""
        page = self.url_open("/marketplace/sell")
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        with patch(
            "odoo.addons.marketplace_crm.controllers.seller_portal."
            "SellerRegistration._client_address",
            return_value=client,
        ):
            response = self.url_open(
                "/marketplace/sell",
                data={
                    "csrf_token": csrf,
                    "name": name,
                    "email": email,
                    "shop_name": f"{name} shop",
                },
            )
        self.assertEqual(response.status_code, 200)
        return response

    def _requests(self, email):
        return self.Registration.search_count([("email", "=", email)])

    def _queued_to(self, email):
        return (
            self.env["mail.mail"]
            .sudo()
            .search_count(
                ["|", ("email_to", "ilike", email), ("recipient_ids.email", "=", email)]
            )
        )

    def assertSameAnswer(self, accepted, refused):
        """The answer beyond the limit is the page of an accepted request."""
        for response in (accepted, refused):
            self.assertIn("registration_done", response.text)
            self.assertNotIn("registration_error", response.text)

    def test_one_address_from_two_clients(self):
        """An address gets two requests in the window, whoever sends them:
        the third, from another client, is answered the same and dropped."""
        first = self._register("hana@example.com", client="203.0.113.7")
        self._register("hana@example.com", client="198.51.100.9")
        third = self._register("hana@example.com", client="192.0.2.44")
        self.assertSameAnswer(first, third)
        self.assertEqual(self._requests("hana@example.com"), 2)
        run_registration_job(self.env)
        # One seller and one invitation (the second request finds the
        # address known and asks to log in): nothing for the third.
        self.assertEqual(self._queued_to("hana@example.com"), 2)
        # Another address is not limited by this one.
        self._register("ivo@example.com", client="192.0.2.44")
        self.assertEqual(self._requests("ivo@example.com"), 1)

    def test_two_addresses_from_one_client(self):
        """A client sends three requests in the window, whatever the
        addresses: the fourth is answered the same and dropped; another
        client is not limited by it."""
        responses = [
            self._register(f"visitor{index}@example.com", client="203.0.113.7")
            for index in range(4)
        ]
        self.assertSameAnswer(responses[0], responses[3])
        self.assertEqual(
            [self._requests(f"visitor{index}@example.com") for index in range(4)],
            [1, 1, 1, 0],
        )
        run_registration_job(self.env)
        self.assertEqual(self._queued_to("visitor3@example.com"), 0)
        self._register("visitor3@example.com", client="198.51.100.9")
        self.assertEqual(self._requests("visitor3@example.com"), 1)

    def test_window_and_disabled_limits(self):
        """Requests older than the window do not count; 0 disables a limit.
        The client's address is not stored, only a keyed hash of it."""
        self._register("hana@example.com")
        self._register("hana@example.com")
        self.env.cr.execute(
            "UPDATE marketplace_seller_registration "
            "SET create_date = create_date - interval '2 hours' WHERE email = %s",
            ["hana@example.com"],
        )
        self._register("hana@example.com")
        self.assertEqual(self._requests("hana@example.com"), 3)
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.registration_max_per_email", 0
        )
        self._register("hana@example.com")
        self.assertEqual(self._requests("hana@example.com"), 4)
        keys = self.Registration.search([("email", "=", "hana@example.com")]).mapped(
            "client_key"
        )
        self.assertEqual(len(set(keys)), 1)
        self.assertNotIn("203.0.113.7", keys[0])

    def test_captcha_module_protects_the_form(self):
        """The form calls Odoo's captcha hook (what reCAPTCHA or Turnstile
        implement once installed) with its own action: a failed captcha
        gives the form back with the module's message, nothing stored."""
        actions = []
        refusal = "The CloudFlare human validation failed."

        def verify(model, action):
            actions.append(action)
            raise UserError(refusal)

        with patch.object(
            type(self.env["ir.http"]), "_verify_request_recaptcha_token", verify
        ):
            response = self._register("hana@example.com")
        self.assertEqual(actions, ["marketplace_seller_registration"])
        self.assertIn("The CloudFlare human validation failed.", response.text)
        self.assertIn("registration_error", response.text)
        self.assertEqual(self._requests("hana@example.com"), 0)
        page = self.url_open("/marketplace/sell").text
        self.assertIn('data-captcha="marketplace_seller_registration"', page)
