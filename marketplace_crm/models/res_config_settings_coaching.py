from odoo import api, fields, models

from .marketplace_params import DEFAULTS


class ResConfigSettings(models.TransientModel):
    """The coaching pool and its capacity (see
    marketplace_seller_event_coaching.py)."""

    _inherit = "res.config.settings"

    marketplace_coaching_pool_ids = fields.Many2many(
        "res.users",
        "marketplace_coaching_pool_settings_rel",
        "settings_id",
        "user_id",
        "Coaching Pool",
        domain=[("share", "=", False)],
        help="Coaches who share the coaching sessions, each within their "
        "working hours, leaves and calendar. Empty: each seller is coached by "
        "their account manager (or the default coach).",
    )
    marketplace_coaching_daily_max = fields.Integer(
        "Sessions per Coach and Day",
        config_parameter="marketplace_crm.coaching_daily_max",
        default=DEFAULTS["coaching_daily_max"],
        help="Most coaching sessions a coach is booked for on one day.",
    )
    marketplace_coaching_duration_minutes = fields.Integer(
        "Session Length (minutes)",
        config_parameter="marketplace_crm.coaching_duration_minutes",
        default=DEFAULTS["coaching_duration_minutes"],
    )
    marketplace_coaching_horizon_days = fields.Integer(
        "Booking Horizon (days)",
        config_parameter="marketplace_crm.coaching_horizon_days",
        default=DEFAULTS["coaching_horizon_days"],
        help="Sessions are booked from tomorrow up to this many days ahead; "
        "beyond, the seller waits for a slot.",
    )
    marketplace_coaching_booking_url = fields.Char(
        "Self-booking Link",
        config_parameter="marketplace_crm.coaching_booking_url",
        help="When the pool has no free slot, sellers receive this link to "
        "book a session themselves instead of waiting. Empty: they wait.",
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        pool = self.env["marketplace.seller.event"]._coaching_pool()
        res["marketplace_coaching_pool_ids"] = [(6, 0, pool.ids)]
        return res

    def set_values(self):
        res = super().set_values()
        # sudo: the Settings screen is for marketplace managers; the
        # parameter holds only the ids they picked.
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.coaching_pool_ids",
            ",".join(map(str, self.marketplace_coaching_pool_ids.ids)),
        )
        return res

    def action_marketplace_coaching_waiting(self):
        """The sellers waiting for a coaching slot."""
        return self.env["ir.actions.act_window"]._for_xml_id(
            "marketplace_crm.action_marketplace_coaching_waiting"
        )
