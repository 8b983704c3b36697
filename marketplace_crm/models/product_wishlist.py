from odoo import api, fields, models
from odoo.tools import SQL

from .marketplace_claim import claim_ids


class ProductWishlist(models.Model):
    """Back-in-stock alerts: buyers who put a product in their wishlist get an
    e-mail when it becomes available again, once per restock."""

    _inherit = "product.wishlist"

    marketplace_alerted_restock = fields.Integer(
        readonly=True,
        copy=False,
        help="Number of the last restock of the product this wishlist line was "
        "told about.",
    )

    @api.depends("product_id")
    def _compute_display_name(self):
        """Name a wishlist line after its product (e-mail headers show it),
        rather than "product.wishlist,4"."""
        for line in self:
            line.display_name = line.product_id.display_name

    @api.model
    def _cron_back_in_stock_alerts(self, batch_size=200):
        """Note which wishlisted products ran out of stock or came back, and
        e-mail the buyers of those back in stock, once per restock."""
        lines = self.search([("partner_id", "!=", False)])
        lines.product_id._marketplace_update_stock_state()
        to_alert = lines.filtered(
            lambda w: (
                w.product_id.marketplace_stock_state == "in"
                and w.marketplace_alerted_restock
                < w.product_id.marketplace_restock_count
            )
        )
        template = self.env.ref(
            "marketplace_crm.mail_template_back_in_stock", raise_if_not_found=False
        )
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(to_alert))
        for start in range(0, len(to_alert), batch_size):
            batch = to_alert[start : start + batch_size]
            for line in batch._claim_alerts():
                if line._hold_out_alert():
                    continue
                if template and template.active:
                    template.send_mail(
                        line.id, email_layout_xmlid="mail.mail_notification_light"
                    )
            cron._commit_progress(len(batch))

    def _claim_alerts(self):
        """Mark these lines as told about their product's current restock and
        return those this transaction claimed (a concurrent run gets none)."""
        if not self:
            return self
        self.flush_recordset(["marketplace_alerted_restock"])
        self.env["product.product"].flush_model(["marketplace_restock_count"])
        claimed = self.browse(
            claim_ids(
                self.env,
                SQL(
                    """
                    UPDATE product_wishlist w
                       SET marketplace_alerted_restock = p.marketplace_restock_count
                      FROM product_product p
                     WHERE p.id = w.product_id
                       AND w.id IN (SELECT id FROM product_wishlist
                                     WHERE id = ANY(%s)
                                       FOR UPDATE SKIP LOCKED)
                       AND COALESCE(w.marketplace_alerted_restock, 0)
                           < p.marketplace_restock_count
                 RETURNING w.id
                    """,
                    self.ids,
                ),
            )
        )
        claimed.invalidate_recordset(["marketplace_alerted_restock"])
        return claimed
