from odoo import fields, models


class MarketplaceSellerEvent(models.Model):
    _inherit = "marketplace.seller.event"

    event_type = fields.Selection(
        selection_add=[
            ("data_export", "Data exported"),
            ("anonymised", "Personal data anonymised"),
        ],
        ondelete={"data_export": "cascade", "anonymised": "cascade"},
    )
