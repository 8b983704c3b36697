from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestBackInStock(MarketplaceCase):
    """Back-in-stock e-mails go through core's stock notifications: one
    mechanism, one e-mail per restock, only to buyers who accept it. The
    listing keeps Odoo's default, as sellers create it in the portal:
    *Continue selling when out of stock* on (see the subclass for off)."""

    stop_selling = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_validated_seller("Stock Seller", shop_name="Raku Shop")
        cls.product = cls._create_product(cls.seller, "Raku vase", 60, is_storable=True)
        cls.template = cls.product.product_tmpl_id
        cls.template.allow_out_of_stock_order = not cls.stop_selling
        cls.website = cls.env["website"].get_current_website()
        cls.buyer = cls.Partner.create(
            {"name": "Wishful Buyer", "email": "wish@example.com"}
        )
        cls.other = cls.Partner.create(
            {"name": "Other Buyer", "email": "other@example.com"}
        )

    def _wish(self, partner, product=None, **vals):
        return self.env["product.wishlist"].create(
            {
                "partner_id": partner.id,
                "product_id": (product or self.product).id,
                "website_id": self.website.id,
                **vals,
            }
        )

    def _set_stock(self, quantity, template=None):
        (template or self.template)._marketplace_set_quantity(quantity)
        # What happens at commit: the stock changes seen by the quants.
        self.env.cr.flush()

    def _run_core_job(self):
        self.env["product.product"]._send_availability_email()

    def _alerts(self, partner, product=None):
        return self.env["mail.mail"].search(
            [
                ("email_to", "ilike", partner.email),
                ("subject", "ilike", (product or self.product).name),
                ("subject", "ilike", "now available"),
            ]
        )

    def test_each_restock_announced_once(self):
        self._wish(self.buyer)
        self._wish(self.other)
        # Wishlisted while sold out: subscribed to core's notification.
        self.assertEqual(
            self.product.stock_notification_partner_ids, self.buyer | self.other
        )
        self._run_core_job()  # still sold out: nothing to say
        self.assertFalse(self._alerts(self.buyer))
        self._set_stock(5)
        self._run_core_job()
        self._run_core_job()
        self.assertEqual(len(self._alerts(self.buyer)), 1)
        self.assertEqual(len(self._alerts(self.other)), 1)
        self.assertIn("Raku Shop", self._alerts(self.buyer).body_html)
        self.assertFalse(self.product.stock_notification_partner_ids)
        # Sold out again, then a second restock: a second e-mail each.
        self._set_stock(0)
        self.assertEqual(
            self.product.stock_notification_partner_ids, self.buyer | self.other
        )
        self._run_core_job()
        self.assertEqual(len(self._alerts(self.buyer)), 1)
        self._set_stock(2)
        self._run_core_job()
        self.assertEqual(len(self._alerts(self.buyer)), 2)
        self.assertEqual(len(self._alerts(self.other)), 2)

    def test_restock_between_two_runs_is_announced(self):
        """Sold out and restocked within the hour, without the job running
        in between: the restock is still announced, once."""
        self._set_stock(4)
        self._wish(self.buyer)
        self._run_core_job()  # available all along: nothing to say
        self.assertFalse(self._alerts(self.buyer))
        self._set_stock(0)
        self._set_stock(3)
        self._run_core_job()
        self._run_core_job()
        self.assertEqual(len(self._alerts(self.buyer)), 1)

    def test_restock_triggers_core_job(self):
        cron = self.env.ref("website_sale_stock.ir_cron_send_availability_email")
        self._wish(self.buyer)
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self._set_stock(1)
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            len(triggers),
        )

    def test_sold_out_by_a_sale_subscribes_wishlisters(self):
        self._set_stock(1)
        self._wish(self.buyer)
        self.assertFalse(self.product.stock_notification_partner_ids)
        order = self._create_order(self.other, [(self.product, 1, 60.0)])
        order.picking_ids.move_ids.quantity = 1
        order.picking_ids.button_validate()
        self.env.cr.flush()
        self.assertEqual(self.product.stock_notification_partner_ids, self.buyer)

    def test_refusing_buyers_get_nothing(self):
        self._wish(self.buyer, marketplace_stock_alert=False)
        self.env["mail.blacklist"].create({"email": self.other.email})
        self._wish(self.other)
        keen = self.Partner.create({"name": "Keen", "email": "keen@example.com"})
        line = self._wish(keen)
        self.assertEqual(self.product.stock_notification_partner_ids, keen)
        # Blacklisted after the subscription: still nothing.
        self.env["mail.blacklist"].create({"email": keen.email})
        self._set_stock(5)
        self._run_core_job()
        for partner in (self.buyer, self.other, keen):
            self.assertFalse(self._alerts(partner))
        # Switching the e-mail off on the wishlist withdraws the subscription.
        self.env["mail.blacklist"].search([("email", "=", keen.email)]).unlink()
        self._set_stock(0)
        self.assertEqual(self.product.stock_notification_partner_ids, keen)
        line.marketplace_stock_alert = False
        self.assertFalse(self.product.stock_notification_partner_ids)

    def test_one_email_when_also_subscribed_from_the_shop(self):
        """A buyer who clicked core's "notify me" and wishes for the product
        gets one e-mail, not one per mechanism."""
        self.product.stock_notification_partner_ids += self.buyer
        self._wish(self.buyer)
        self._set_stock(5)
        self._run_core_job()
        self.assertEqual(len(self._alerts(self.buyer)), 1)
        self.assertFalse(self.env["ir.cron"].search([("name", "ilike", "wished")]))

    def test_always_available_product_sends_nothing(self):
        template = self._create_product(
            self.seller, "Linen towel", is_storable=True
        ).product_tmpl_id
        self._set_stock(10, template)
        self._wish(self.buyer, template.product_variant_id)
        self._run_core_job()
        self.assertFalse(template.product_variant_id.stock_notification_partner_ids)
        self.assertFalse(self._alerts(self.buyer, template.product_variant_id))

    def test_second_concurrent_run_sends_nothing(self):
        """Two runs at once (two cursors on committed subscriptions): the
        second neither waits nor sends, nor logs an error, whether the first
        still holds the subscriptions or has just sent and removed them."""
        db = sql_db.db_connect(self.env.cr.dbname)
        product_id = self.env["product.product"].search([], limit=1, order="id").id
        partner_id = self.env.ref("base.partner_admin").id
        rel = "stock_notification_product_partner_rel"
        with db.cursor() as setup:
            setup.execute(
                f"INSERT INTO {rel} VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [product_id, partner_id],
            )
        try:
            with db.cursor() as first, db.cursor() as second:
                first_env = api.Environment(first, SUPERUSER_ID, {})
                second_env = api.Environment(second, SUPERUSER_ID, {})
                Products = first_env["product.product"]
                self.assertTrue(Products._marketplace_lock_stock_notifications())
                with self.assertNoLogs("odoo.sql_db", "ERROR"):
                    second_products = second_env["product.product"]
                    self.assertFalse(
                        second_products._marketplace_lock_stock_notifications()
                    )
                    # The first run sends and removes the subscription.
                    first.execute(
                        f"DELETE FROM {rel} WHERE product_product_id = %s "
                        "AND res_partner_id = %s",
                        [product_id, partner_id],
                    )
                    first.commit()
                    self.assertFalse(
                        second_products._marketplace_lock_stock_notifications()
                    )
                second.rollback()
        finally:
            with db.cursor() as cleanup:
                cleanup.execute(
                    f"DELETE FROM {rel} WHERE product_product_id = %s "
                    "AND res_partner_id = %s",
                    [product_id, partner_id],
                )


@tagged("post_install", "-at_install")
class TestBackInStockStopSelling(TestBackInStock):
    """The same, for a listing whose seller stops the sales when it is out
    of stock."""

    stop_selling = True


@tagged("post_install", "-at_install")
class TestListingBackorderChoice(MarketplaceCase):
    """The seller chooses in the portal what happens when a listing is out
    of stock; a listing made without choosing keeps Odoo's default."""

    def test_portal_choice_is_stored_and_checked(self):
        seller = self._create_validated_seller("Backorder Atelier")
        Template = self.env["product.template"]
        form = {"name": "Bowl", "list_price": "20", "quantity": "0"}
        listing = Template._marketplace_save_listing(seller, dict(form))
        self.assertTrue(listing.allow_out_of_stock_order, "Odoo's default kept")
        listing._marketplace_save_listing(
            seller, dict(form, allow_out_of_stock_order="0")
        )
        self.assertFalse(listing.allow_out_of_stock_order)
        for garbage in ("2", "yes", "1\x00", "-1"):
            with self.assertRaisesRegex(UserError, "out of stock"):
                listing._marketplace_save_listing(
                    seller, dict(form, allow_out_of_stock_order=garbage)
                )
        self.assertFalse(listing.allow_out_of_stock_order, "Nothing half-written")
