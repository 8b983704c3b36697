from odoo.tests import HttpCase, tagged

from .common import MarketplaceCase

API = "/marketplace/api"


@tagged("post_install", "-at_install")
class TestApiKeyArchive(HttpCase, MarketplaceCase):
    """Archiving a user revokes their API keys, over real API requests: the
    key stops working at once and does not work again when the user is
    reactivated; a new key must be generated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("marketplace_crm.api_rate_limit", 1000)
        cls.seller = cls._create_validated_seller("Keyed Ceramics")
        cls.other_seller = cls._create_validated_seller("Unkeyed Wood")
        Users = cls.env["res.users"]
        portal = cls.env.ref("base.group_portal")
        cls.user = Users.create(
            {
                "name": "Keyed Ceramics",
                "login": "keyed_seller",
                "partner_id": cls.seller.id,
                "group_ids": [(6, 0, portal.ids)],
            }
        )
        cls.other_user = Users.create(
            {
                "name": "Unkeyed Wood",
                "login": "unkeyed_seller",
                "partner_id": cls.other_seller.id,
                "group_ids": [(6, 0, portal.ids)],
            }
        )
        Client = cls.env["marketplace.api.client"]
        cls.client = Client.create({"name": "Keyed shop tool", "user_id": cls.user.id})
        cls.other_client = Client.create(
            {"name": "Unkeyed shop tool", "user_id": cls.other_user.id}
        )

    def setUp(self):
        super().setUp()
        self.env["marketplace.api.client"]._reset_rate_limits()

    def _me(self, key):
        return self.url_open(
            f"{API}/sellers/me", headers={"Authorization": f"Bearer {key}"}
        )

    def _keys(self, user):
        return self.env["res.users.apikeys"].sudo().search([("user_id", "=", user.id)])

    def test_archive_revokes_and_reactivation_does_not_restore(self):
        key = self.client.action_generate_key()["context"]["default_key"]
        other_key = self.other_client.action_generate_key()["context"]["default_key"]
        # A personal key of the same user (another scope) goes too.
        self.env["res.users.apikeys"].with_user(self.user).sudo()._generate(
            None, "personal", False
        )
        self.assertEqual(len(self._keys(self.user)), 2)
        me = self._me(key)
        self.assertEqual(me.status_code, 200)
        self.assertEqual(me.json()["id"], self.seller.id)

        self.user.action_archive()
        self.assertEqual(self._me(key).status_code, 401)
        self.assertFalse(self._keys(self.user), "Every key of the user deleted")
        self.assertFalse(self.client.apikey_id or self.client.key_prefix)

        self.user.action_unarchive()
        self.assertTrue(self.user.active)
        self.assertEqual(self._me(key).status_code, 401, "Still revoked")
        # The other seller's key was not touched.
        self.assertEqual(self._me(other_key).status_code, 200)
        # A new key works again for the reactivated user.
        new_key = self.client.action_generate_key()["context"]["default_key"]
        self.assertEqual(self._me(new_key).status_code, 200)
        self.assertEqual(self._me(key).status_code, 401)

    def test_archiving_with_write(self):
        key = self.client.action_generate_key()["context"]["default_key"]
        self.user.write({"active": False})
        self.user.write({"active": True})
        self.assertEqual(self._me(key).status_code, 401)
        # Writing active=True on an active user revokes nothing.
        key = self.client.action_generate_key()["context"]["default_key"]
        self.user.write({"active": True, "name": "Keyed Ceramics SARL"})
        self.assertEqual(self._me(key).status_code, 200)
