from odoo import fields, models

from ..models.marketplace_access import VERIFIER, check_group


class MarketplaceSellerReject(models.TransientModel):
    _name = "marketplace.seller.reject"
    _description = "Reject a Seller's Verification"

    partner_ids = fields.Many2many("res.partner", string="Sellers", required=True)
    reason = fields.Text(
        required=True, help="Shown to the seller, who can then resubmit."
    )

    def action_reject(self):
        self.ensure_one()
        check_group(self.env, VERIFIER)
        self.partner_ids.action_reject_seller(self.reason)
        return {"type": "ir.actions.act_window_close"}
