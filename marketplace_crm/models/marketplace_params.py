"""Read the marketplace thresholds stored by the Settings screen.

Every threshold lives in ``ir.config_parameter`` under ``marketplace_crm.*``
(see ``res.config.settings``); these helpers give the typed value with the
shipped default when the parameter is missing or not a number.
"""

DEFAULTS = {
    "buyer_active_days": 90,
    "seller_inactive_days": 30,
    "high_performer_amount": 5000.0,
    "high_performer_count": 50,
    "low_rating_threshold": 3.0,
    "low_rating_min_count": 5,
    "rating_request_delay_days": 3,
    "dispute_urgent_amount": 500.0,
    "critical_dispute_amount": 1000.0,
    "critical_dispute_priority": 0,
    "contract_renewal_days": 30,
    "operations_user_id": 0,
    "document_max_size_mb": 5,
    "profile_reminder_days": 5,
    "profile_second_reminder_days": 7,
    "coaching_delay_days": 15,
    "coaching_user_id": 0,
    "review_decline_percent": 20.0,
    "ticket_attachment_max_size_mb": 5,
    "api_rate_limit": 60,
    "webhook_max_attempts": 8,
    "rejected_retention_months": 12,
    "rating_request_max_age_days": 30,
    "bulk_import_untracked_rows": 1000,
}


def get_param(env, key, default=None):
    """Return the ``marketplace_crm.<key>`` parameter as the type of its default."""
    if default is None:
        default = DEFAULTS[key]
    # sudo: thresholds are read by jobs, portal and public pages alike.
    raw = env["ir.config_parameter"].sudo().get_param(f"marketplace_crm.{key}")
    if raw in (None, False, ""):
        return default
    try:
        return (
            type(default)(float(raw))
            if isinstance(default, int)
            else type(default)(raw)
        )
    except (TypeError, ValueError):
        return default


# Control groups (see marketplace_holdout.py): share held out per automation,
# and the smallest group the Uplift report draws a conclusion from.
DEFAULTS.update(
    {
        "holdout_share_profile_reminder": 10.0,
        "holdout_share_inactivity_followup": 10.0,
        "holdout_share_coaching": 10.0,
        "holdout_share_monthly_review": 10.0,
        "holdout_share_back_in_stock": 10.0,
        "holdout_share_abandoned_cart": 10.0,
        "uplift_min_sample": 30,
    }
)

# Coaching sessions (see marketplace_seller_event_coaching.py): sessions a
# coach takes a day at most, their length, how far ahead they are booked, and
# the link sellers book themselves with when the pool is full. The pool itself
# (``coaching_pool_ids``, user ids) is a list, not a threshold: see
# res_config_settings_coaching.py.
DEFAULTS.update(
    {
        "coaching_daily_max": 6,
        "coaching_duration_minutes": 60,
        "coaching_horizon_days": 21,
        "coaching_booking_url": "",
    }
)

# Public registration form (see marketplace_seller_registration.py): requests
# accepted per e-mail address and per client within the window; 0 disables a
# limit.
DEFAULTS.update(
    {
        "registration_window_minutes": 60,
        "registration_max_per_email": 3,
        "registration_max_per_client": 10,
    }
)
