from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    marketplace_buyer_active_days = fields.Integer(
        "Active Buyer Window (days)",
        config_parameter="marketplace_crm.buyer_active_days",
        default=90,
        help="A buyer whose last confirmed purchase is older than this is inactive.",
    )
    marketplace_seller_inactive_days = fields.Integer(
        "Seller Inactivity (days)",
        config_parameter="marketplace_crm.seller_inactive_days",
        default=30,
        help="A validated seller without a sale for this many days is inactive.",
    )
    marketplace_high_performer_amount = fields.Float(
        "High Performer Sales Value (30 days)",
        config_parameter="marketplace_crm.high_performer_amount",
        default=5000.0,
        help="Sales value over the last 30 days, in the company currency, from "
        "which a seller is a high performer. 0 disables this criterion.",
    )
    marketplace_high_performer_count = fields.Integer(
        "High Performer Sales Count (30 days)",
        config_parameter="marketplace_crm.high_performer_count",
        default=50,
        help="Number of sales over the last 30 days from which a seller is a "
        "high performer. 0 disables this criterion.",
    )
