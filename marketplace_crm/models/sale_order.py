from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    marketplace_order_seller_ids = fields.One2many(
        "marketplace.order.seller", "order_id", string="Sellers to Rate"
    )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._mark_marketplace_prospects()
        return orders

    def write(self, vals):
        moves_figures = bool(
            {"state", "date_order", "partner_id", "currency_id"} & set(vals)
        )
        buyers = self.partner_id.commercial_partner_id
        sellers = self._marketplace_sellers() if moves_figures else None
        res = super().write(vals)
        if "partner_id" in vals:
            self._mark_marketplace_prospects()
            buyers |= self.partner_id.commercial_partner_id
        if moves_figures:
            # Confirmation, cancellation and back-dating all move the figures
            # of the buyer and of the sellers of the order, and only theirs.
            self._create_marketplace_parts()
            buyers._refresh_marketplace_buyer_dates()
            (sellers | self._marketplace_sellers())._refresh_seller_sales_figures()
        return res

    def _create_marketplace_parts(self):
        """The part of each seller in these orders once confirmed: it carries
        the seller's sales figures and the buyer's rating of the seller."""
        confirmed = self.filtered(lambda order: order.state == "sale")
        if confirmed:
            # sudo: a portal buyer paying online confirms the order; the
            # per-seller parts of their own order are created for them.
            self.env["marketplace.order.seller"].sudo()._create_for_orders(confirmed)

    def _marketplace_sellers(self):
        return self.order_line.product_id.product_tmpl_id.marketplace_seller_id

    def _mark_marketplace_prospects(self):
        """A customer who fills a website cart becomes a (prospect) buyer."""
        partners = self.env["res.partner"]
        for order in self.filtered("website_id"):
            partner = order.partner_id.commercial_partner_id
            if partner != order.website_id.user_id.partner_id and not partner.is_buyer:
                partners |= partner
        # sudo: carts are filled by portal users on the website; only the
        # buyer flag of the cart's own customer is set.
        partners.sudo().write({"is_buyer": True})
