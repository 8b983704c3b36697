from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        res = super()._action_confirm()
        self._update_marketplace_buyers()
        return res

    def _update_marketplace_buyers(self):
        """Mark the customers of confirmed orders as buyers and date their purchases."""
        buyers = {}
        for order in self:
            buyer = order.partner_id.commercial_partner_id
            day = fields.Date.to_date(order.date_order) or fields.Date.context_today(
                self
            )
            buyers.setdefault(buyer, []).append(day)
        for buyer, days in buyers.items():
            vals = {"is_buyer": True}
            first, last = min(days), max(days)
            if not buyer.buyer_first_order_date or first < buyer.buyer_first_order_date:
                vals["buyer_first_order_date"] = first
            if not buyer.buyer_last_order_date or last > buyer.buyer_last_order_date:
                vals["buyer_last_order_date"] = last
            # sudo: the buyer's figures are maintained by the system whoever
            # confirms the order (a portal customer paying online included).
            buyer.sudo().write(vals)

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

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._mark_marketplace_prospects()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals:
            self._mark_marketplace_prospects()
        return res
