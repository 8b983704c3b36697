from odoo import fields, models

from .marketplace_quality_params import QUALITY_DEFAULTS as D


def _level(metric, level, label, help_text):
    return fields.Float(
        label,
        config_parameter=f"marketplace_crm.quality_{metric}_{level}",
        default=D[f"quality_{metric}_{level}"],
        help=help_text,
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    marketplace_quality_window_days = fields.Integer(
        "Quality Window (days)",
        config_parameter="marketplace_crm.quality_window_days",
        default=D["quality_window_days"],
        help="The seller quality metrics cover the orders and tickets of this "
        "many days.",
    )
    marketplace_quality_min_orders = fields.Integer(
        "Minimum Orders Before Evaluation",
        config_parameter="marketplace_crm.quality_min_orders",
        default=D["quality_min_orders"],
        help="A seller with fewer orders in the window gets no alert, no "
        "suspension and no tier.",
    )
    marketplace_quality_handling_days = fields.Integer(
        "Default Handling Time (working days)",
        config_parameter="marketplace_crm.quality_handling_days",
        default=D["quality_handling_days"],
        help="An order must ship within this many working days when neither "
        "the order (delivery date), its products (customer lead time) nor the "
        "seller (handling time) promise otherwise. The late-shipment rate and "
        "the date buyers and sellers see follow it.",
    )
    marketplace_quality_grace_days = fields.Integer(
        "Grace Period (days)",
        config_parameter="marketplace_crm.quality_grace_days",
        default=D["quality_grace_days"],
        help="Days a seller has to get a metric back under its limit before "
        "the automatic suspension.",
    )
    marketplace_quality_dispute_alert = _level(
        "dispute", "alert", "Dispute Rate Alert (%)", "0 disables the alert."
    )
    marketplace_quality_dispute_limit = _level(
        "dispute", "limit", "Dispute Rate Limit (%)", "0 disables the limit."
    )
    marketplace_quality_refund_alert = _level(
        "refund", "alert", "Refund Rate Alert (%)", "0 disables the alert."
    )
    marketplace_quality_refund_limit = _level(
        "refund", "limit", "Refund Rate Limit (%)", "0 disables the limit."
    )
    marketplace_quality_cancel_alert = _level(
        "cancel", "alert", "Cancellation Rate Alert (%)", "0 disables the alert."
    )
    marketplace_quality_cancel_limit = _level(
        "cancel", "limit", "Cancellation Rate Limit (%)", "0 disables the limit."
    )
    marketplace_quality_late_alert = _level(
        "late", "alert", "Late Shipment Rate Alert (%)", "0 disables the alert."
    )
    marketplace_quality_late_limit = _level(
        "late", "limit", "Late Shipment Rate Limit (%)", "0 disables the limit."
    )
    marketplace_quality_response_alert = _level(
        "response", "alert", "First Response Alert (hours)", "0 disables the alert."
    )
    marketplace_quality_response_limit = _level(
        "response", "limit", "First Response Limit (hours)", "0 disables the limit."
    )
    marketplace_quality_rating_alert = _level(
        "rating",
        "alert",
        "Rating Alert (below, out of 5)",
        "An average rating below this alerts; 0 disables the alert.",
    )
    marketplace_quality_rating_limit = _level(
        "rating",
        "limit",
        "Rating Limit (below, out of 5)",
        "An average rating below this starts the grace period; 0 disables it.",
    )
    marketplace_quality_top_score = fields.Integer(
        "Top Seller Score",
        config_parameter="marketplace_crm.quality_top_score",
        default=D["quality_top_score"],
        help="Health score from which a seller with no alert is a Top seller.",
    )
    marketplace_quality_risk_score = fields.Integer(
        "At Risk Below Score",
        config_parameter="marketplace_crm.quality_risk_score",
        default=D["quality_risk_score"],
    )
    marketplace_quality_user_id = fields.Many2one(
        "res.users",
        "Quality Manager",
        config_parameter="marketplace_crm.quality_user_id",
        domain=[("share", "=", False)],
        help="Follows the quality alerts and appeals of sellers without an "
        "account manager (the administrator if empty).",
    )
    marketplace_kyc_reminder_days = fields.Integer(
        "Document Expiry Reminder (days before)",
        config_parameter="marketplace_crm.kyc_reminder_days",
        default=D["kyc_reminder_days"],
        help="0 disables this reminder.",
    )
    marketplace_kyc_second_reminder_days = fields.Integer(
        "Second Expiry Reminder (days before)",
        config_parameter="marketplace_crm.kyc_second_reminder_days",
        default=D["kyc_second_reminder_days"],
        help="0 disables this reminder.",
    )
    marketplace_kyc_expiry_listings = fields.Selection(
        [("keep", "Keep them published"), ("unpublish", "Unpublish them")],
        "Listings During Re-verification",
        config_parameter="marketplace_crm.kyc_expiry_listings",
        default=D["kyc_expiry_listings"],
        help="What happens to the listings of a seller whose required document "
        "expired, until a new one is approved.",
    )
