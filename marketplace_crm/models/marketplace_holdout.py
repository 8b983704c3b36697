"""Control groups for the growth automations.

An operator who switches "measure with a control group" on for an automation
gets a random share of its eligible records held out: they receive nothing,
and the assignment is recorded once per episode, so that the Uplift report
can compare what happened to the treated and to the held-out records.
"""

import hashlib

from odoo import api, models

from .marketplace_params import get_param

# The automations whose message may be withheld to measure it. Anything else
# (verification outcomes, suspensions, security and legal e-mails) is never
# held out: ``_hold_out`` answers False for it whatever the settings say.
SELLER_AUTOMATIONS = {
    "profile_reminder",
    "inactivity_followup",
    "coaching",
    "monthly_review",
}
BUYER_AUTOMATIONS = {"back_in_stock", "abandoned_cart"}
GROWTH_AUTOMATIONS = SELLER_AUTOMATIONS | BUYER_AUTOMATIONS


def holdout_bucket(automation, record_id, episode):
    """A number in [0, 1) that only depends on the automation, the record and
    the episode: every run and every worker draws the same."""
    key = f"{automation}:{record_id}:{episode}".encode()
    digest = hashlib.sha256(key).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


class MarketplaceHoldout(models.AbstractModel):
    _name = "marketplace.holdout"
    _description = "Marketplace Control Groups"

    @api.model
    def _holdout_enabled(self, automation):
        # sudo: the switches are read by the jobs on behalf of the operator.
        raw = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"marketplace_crm.holdout_{automation}")
        )
        return raw not in (None, False, "", "False", "0")

    @api.model
    def _holdout_share(self, automation):
        """The configured share (0 to 1) of the automation's control group,
        0 when it is not measured or not a growth automation."""
        if automation not in GROWTH_AUTOMATIONS or not self._holdout_enabled(
            automation
        ):
            return 0.0
        share = get_param(self.env, f"holdout_share_{automation}")
        return min(max(share, 0.0), 100.0) / 100.0

    @api.model
    def _is_control(self, automation, record_id, episode):
        """Whether this record's episode falls in the automation's control
        group (without recording anything)."""
        share = self._holdout_share(automation)
        return bool(share) and holdout_bucket(automation, record_id, episode) < share

    @api.model
    def _hold_out(self, automation, record, episode, date=None, company=None):
        """Call where a job has claimed ``record``'s episode, before it sends
        anything: True means "control group, send nothing". The first call for
        an episode records the assignment (a "held out" lifecycle event for a
        seller, a buyer episode for a buyer); later calls find it again.

        ``record`` is the seller (res.partner) for the seller automations and
        the buyer (res.partner) for the buyer ones; ``company`` is the buyer
        episode's (a seller's episodes belong to its figures company)."""
        if automation not in GROWTH_AUTOMATIONS:
            return False
        record.ensure_one()
        held_out = self._is_control(automation, record.id, episode)
        if automation in SELLER_AUTOMATIONS:
            if held_out and self._already_treated(automation, record, episode):
                # Sent before the control group was switched on: treated.
                return False
            if held_out:
                self.env["marketplace.seller.event"]._claim_held_out(
                    record, automation, episode, date=date
                )
        elif self._holdout_enabled(automation):
            # Buyers have no lifecycle timeline: both arms are recorded, as
            # nothing else dates a buyer's back-in-stock or cart e-mail.
            self.env["marketplace.buyer.event"]._claim(
                record, automation, episode, held_out, date=date, company=company
            )
        return held_out

    @api.model
    def _already_treated(self, automation, seller, episode):
        """Whether the seller's lifecycle already records the automation's
        action for this episode (the monthly review is decided once, when
        the review is created, so it never is)."""
        if automation not in ("profile_reminder", "inactivity_followup", "coaching"):
            return False
        return bool(
            self.env["marketplace.seller.event"].search_count(
                [
                    ("seller_id", "=", seller.id),
                    ("event_type", "=", automation),
                    ("episode", "=", episode),
                ],
                limit=1,
            )
        )
