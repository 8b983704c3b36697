from odoo import fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    has_abandoned_cart = fields.Boolean(
        "Abandoned Cart",
        compute="_compute_has_abandoned_cart",
        search="_search_has_abandoned_cart",
        help="Has a website cart left without checkout (website_sale's "
        "abandoned-cart rule).",
    )

    buyer_first_order_date = fields.Date("First Purchase", readonly=True)
    buyer_last_order_date = fields.Date("Last Purchase", readonly=True, index=True)

    # ------------------------------------------------------------ carts
    def _abandoned_cart_partners(self):
        # sudo: a segment over every website cart, whoever asks.
        orders = (
            self.env["sale.order"].sudo().search([("is_abandoned_cart", "=", True)])
        )
        return orders.partner_id.commercial_partner_id

    def _compute_has_abandoned_cart(self):
        with_cart = self._abandoned_cart_partners()
        for partner in self:
            partner.has_abandoned_cart = partner.commercial_partner_id in with_cart

    def _search_has_abandoned_cart(self, operator, value):
        if operator != "in":
            return NotImplemented
        return [("commercial_partner_id", "in", self._abandoned_cart_partners().ids)]

    # ------------------------------------------------------------------ buyers
    def _refresh_marketplace_buyer_dates(self):
        """Set the first and last purchase dates of these commercial partners
        from their confirmed orders, in one query whatever their order count."""
        if not self:
            return
        # sudo: every confirmed order of these buyers counts, whoever
        # confirms the one that triggers the refresh.
        groups = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                Domain("state", "=", "sale")
                & Domain("partner_id.commercial_partner_id", "in", self.ids),
                ["partner_id.commercial_partner_id"],
                ["date_order:min", "date_order:max"],
            )
        )
        dates = {
            partner.id: (first.date(), last.date()) for partner, first, last in groups
        }
        for partner in self:
            first, last = dates.get(partner.id, (False, False))
            vals = {}
            if first and not partner.is_buyer:
                vals["is_buyer"] = True
            if partner.buyer_first_order_date != (first or False):
                vals["buyer_first_order_date"] = first
            if partner.buyer_last_order_date != (last or False):
                vals["buyer_last_order_date"] = last
            if vals:
                # sudo: purchase dates are system-maintained, whoever confirms
                # or cancels the order (a portal customer paying online included).
                partner.sudo().write(vals)
