from odoo import api, models


class MarketplaceDispute(models.Model):
    _inherit = "marketplace.dispute"

    @api.model_create_multi
    def create(self, vals_list):
        disputes = super().create(vals_list)
        for dispute in disputes:
            dispute._marketplace_emit("dispute.opened")
        return disputes

    def _notify_critical_team(self):
        """Called once per dispute when it becomes critical."""
        res = super()._notify_critical_team()
        self._marketplace_emit("dispute.critical")
        return res

    def _marketplace_emit(self, event):
        self.ensure_one()
        self.env["marketplace.webhook"]._marketplace_emit(
            event,
            {
                "dispute_id": self.id,
                "reference": self.name,
                "state": self.state,
                "dispute_type": self.dispute_type,
                "amount": self.amount,
                "is_critical": self.is_critical,
                "seller_id": self.seller_id.id,
                "buyer_id": self.buyer_id.id,
                "order_id": self.order_id.id or None,
            },
            seller=self.seller_id,
            company=self.company_id,
        )
