from odoo import api, fields, models

HOLDOUT_SELLER_AUTOMATIONS = [
    ("profile_reminder", "Profile reminder"),
    ("inactivity_followup", "Inactivity follow-up"),
    ("coaching", "Coaching session"),
    ("monthly_review", "Monthly review e-mail"),
]


class MarketplaceSellerEvent(models.Model):
    """A seller in the control group of an automation gets a "held out"
    event instead of the e-mail or meeting, once per episode."""

    _inherit = "marketplace.seller.event"

    event_type = fields.Selection(
        selection_add=[("held_out", "Held out (control group)")],
        ondelete={"held_out": "cascade"},
    )
    holdout_automation = fields.Selection(
        HOLDOUT_SELLER_AUTOMATIONS,
        "Held Out From",
        readonly=True,
        help="The automation this seller was held out from, to measure it.",
    )

    @api.model
    def _claim_held_out(self, seller, automation, episode, date=None):
        """Record that ``seller`` is held out of ``automation`` for this
        episode; an empty recordset if that is already recorded. The key
        names the automation, so a seller held out of the follow-up and of
        the coaching of one inactivity episode has both events."""
        event = self._claim(seller, "held_out", f"{automation}:{episode}", date=date)
        if event:
            event.holdout_automation = automation
        return event

    @api.model
    def _hold_out(self, automation, seller, episode):
        """True when the seller is in the automation's control group for this
        episode (recorded once): the job then sends nothing."""
        return self.env["marketplace.holdout"]._hold_out(automation, seller, episode)
