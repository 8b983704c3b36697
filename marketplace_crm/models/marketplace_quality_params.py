"""Thresholds and weights of the seller quality programme.

The thresholds live in ``ir.config_parameter`` under ``marketplace_crm.*``
like every other marketplace threshold (Settings > Marketplace > Seller
quality); ``quality_param`` reads them with the defaults below.
"""

from .marketplace_params import get_param

QUALITY_DEFAULTS = {
    "quality_window_days": 90,
    "quality_min_orders": 10,
    "quality_grace_days": 7,
    "quality_handling_days": 2,
    "quality_dispute_alert": 5.0,
    "quality_dispute_limit": 10.0,
    "quality_refund_alert": 3.0,
    "quality_refund_limit": 6.0,
    "quality_cancel_alert": 2.5,
    "quality_cancel_limit": 5.0,
    "quality_late_alert": 4.0,
    "quality_late_limit": 15.0,
    "quality_response_alert": 48.0,
    "quality_response_limit": 96.0,
    "quality_rating_alert": 3.5,
    "quality_rating_limit": 3.0,
    "quality_top_score": 90,
    "quality_risk_score": 60,
    "quality_user_id": 0,
    "kyc_reminder_days": 30,
    "kyc_second_reminder_days": 7,
    "kyc_expiry_listings": "keep",
}

# The metrics: key, stored field, weight in the health score (sum 100), and
# whether a higher value is worse (rates, hours) or better (rating).
QUALITY_METRICS = [
    ("dispute", "quality_dispute_rate", 20, True),
    ("refund", "quality_refund_rate", 15, True),
    ("cancel", "quality_cancel_rate", 15, True),
    ("late", "quality_late_rate", 20, True),
    ("response", "quality_response_hours", 10, True),
    ("rating", "quality_rating_avg", 20, False),
]
METRIC_SELECTION = [
    ("dispute", "Dispute rate"),
    ("refund", "Refund rate"),
    ("cancel", "Cancellation rate"),
    ("late", "Late shipment rate"),
    ("response", "First response time"),
    ("rating", "Average rating"),
]
QUALITY_TIERS = [
    ("top", "Top seller"),
    ("good", "Good"),
    ("at_risk", "At risk"),
    ("suspended", "Suspended"),
    ("unrated", "Not rated yet"),
]


def quality_param(env, key):
    """The ``marketplace_crm.<key>`` quality parameter, typed by its default."""
    return get_param(env, key, QUALITY_DEFAULTS[key])


def metric_levels(env):
    """``{metric: (alert, limit)}`` as set in Settings."""
    return {
        key: (
            quality_param(env, f"quality_{key}_alert"),
            quality_param(env, f"quality_{key}_limit"),
        )
        for key, *__ in QUALITY_METRICS
    }
