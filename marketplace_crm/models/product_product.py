import logging

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class ProductProduct(models.Model):
    """Back-in-stock e-mails go through core's stock notifications
    (website_sale_stock): the wishlisters of a sold-out product who accept
    the e-mail are subscribed to it, and core's job sends its availability
    e-mail once the product is available, then unsubscribes them. A restock
    is seen whenever it happens: the subscription is taken when the product
    sells out (or is wishlisted while sold out), not by polling.

    On a marketplace "back in stock" means the available quantity went from
    nothing to something, whatever the backorder setting: a listing made in
    the portal keeps Odoo's default *Continue selling when out of stock*, for
    which core's ``_is_sold_out`` is never true. The addon therefore asks
    ``_marketplace_out_of_stock`` and has core's job ask it too (context key
    ``marketplace_stock_only``)."""

    _inherit = "product.product"

    def load(self, fields, data):
        """Variants imported with their seller: as for product templates, the
        sales come along once, set-based, after the import."""
        if "marketplace_seller_id" not in {name.split("/")[0] for name in fields}:
            return super().load(fields, data)
        result = super(
            ProductProduct, self.with_context(marketplace_bulk_assign=True)
        ).load(fields, data)
        if result.get("ids"):
            self.browse(result["ids"]).product_tmpl_id._marketplace_backfill_sales()
        return result

    def _is_sold_out(self):
        if self.env.context.get("marketplace_stock_only"):
            return self._marketplace_out_of_stock()
        return super()._is_sold_out()

    def _marketplace_out_of_stock(self):
        """No quantity available on the website, whether or not the product
        may still be ordered (the backorder setting is the seller's)."""
        self.ensure_one()
        if not self.is_storable:
            return False
        website = self.env["website"].get_current_website()
        return website._get_product_available_qty(self.sudo()) <= 0

    def _marketplace_stock_changed(self):
        """The stock of these products moved (quants changed): subscribe the
        wishlisters of those sold out, and have core's job run soon for those
        available again with subscribers."""
        products = self.exists().filtered("is_storable")
        sold_out = products.filtered(lambda p: p._marketplace_out_of_stock())
        sold_out._marketplace_subscribe_wishlists()
        if (products - sold_out).filtered("stock_notification_partner_ids"):
            cron = self.env.ref(
                "website_sale_stock.ir_cron_send_availability_email",
                raise_if_not_found=False,
            )
            if cron and cron.active:
                cron._trigger()

    def _marketplace_subscribe_wishlists(self):
        """Subscribe to core's back-in-stock notification of these products
        the wishlisters who accept it."""
        if not self:
            return
        # sudo: wishlists and subscriptions are the buyers' own; the stock
        # move that sold the product out may come from any user.
        lines = (
            self.env["product.wishlist"]
            .sudo()
            .search(
                [
                    ("product_id", "in", self.ids),
                    ("partner_id", "!=", False),
                    ("marketplace_stock_alert", "=", True),
                ]
            )
        )
        for line in lines.filtered(lambda w: w._marketplace_accepts_stock_alert()):
            partner, product = line.partner_id, line.product_id
            if partner not in product.stock_notification_partner_ids:
                product.stock_notification_partner_ids += partner

    @api.model
    def _marketplace_subscribe_sold_out_wishlists(self):
        """Subscribe the accepting wishlisters of every wishlisted product
        sold out now (after an upgrade from the addon's own polling job)."""
        # sudo: wishlists of every buyer, read by the upgrade. Only the lines
        # _marketplace_subscribe_wishlists would subscribe are read.
        lines = (
            self.env["product.wishlist"]
            .sudo()
            .search(
                [("partner_id", "!=", False), ("marketplace_stock_alert", "=", True)]
            )
        )
        products = lines.product_id
        products.filtered(
            lambda p: p._marketplace_out_of_stock()
        )._marketplace_subscribe_wishlists()

    def _send_availability_email(self):
        """Core's job, run once at a time and without the partners who have
        since refused e-mails (mail blacklist)."""
        if not self._marketplace_lock_stock_notifications():
            _logger.info("Availability e-mails: another run is sending them.")
            return None
        self.env.cr.execute(
            "SELECT DISTINCT res_partner_id FROM stock_notification_product_partner_rel"
        )
        subscribers = self.env["res.partner"].browse(
            row[0] for row in self.env.cr.fetchall()
        )
        refused = subscribers._marketplace_refusing_emails()
        if refused:
            # sudo: the job runs the subscriptions of every buyer.
            self.sudo().search(
                [("stock_notification_partner_ids", "in", refused.ids)]
            ).write({"stock_notification_partner_ids": [(3, p.id) for p in refused]})
        self._marketplace_hold_out_subscribers()
        return super(
            ProductProduct, self.with_context(marketplace_stock_only=True)
        )._send_availability_email()

    def _marketplace_hold_out_subscribers(self):
        """When back-in-stock e-mails are measured with a control group, the
        subscribers drawn into it for this restock (one episode per product
        and day of restock) are left out of core's e-mail."""
        Holdout = self.env["marketplace.holdout"]
        today = fields.Date.context_today(self)
        # sudo: the job runs the subscriptions of every buyer.
        for product in self.sudo().search(
            [("stock_notification_partner_ids", "!=", False)]
        ):
            if product._marketplace_out_of_stock():
                continue
            episode = f"product-{product.id}-restock-{today}"
            held = product.stock_notification_partner_ids.filtered(
                lambda partner, ep=episode, co=product.company_id: Holdout._hold_out(
                    "back_in_stock", partner.commercial_partner_id, ep, company=co
                )
            )
            if held:
                product.stock_notification_partner_ids -= held

    @api.model
    def _marketplace_lock_stock_notifications(self):
        """Lock the subscriptions for this transaction; False when another
        run holds them or has just sent and removed them (a second run must
        not send the same e-mails)."""
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT 1 FROM stock_notification_product_partner_rel "
                    "FOR UPDATE NOWAIT",
                    log_exceptions=False,
                )
        except (LockNotAvailable, SerializationFailure):
            return False
        return True
