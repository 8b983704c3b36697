"""The seller quality programme on the seller: the health score explained
metric by metric, the quality tier and the public Top seller badge (the
score and the tier are written by the metrics refresh)."""

import math

from odoo import api, fields, models

from .marketplace_quality_params import QUALITY_METRICS, QUALITY_TIERS, metric_levels


class ResPartner(models.Model):
    _inherit = "res.partner"

    quality_score = fields.Integer(
        "Health Score",
        readonly=True,
        aggregator="avg",
        help="0 to 100: each metric gives its weight in points when it is at "
        "0 (5 stars for the rating), none at its limit level.",
    )
    seller_quality_tier = fields.Selection(
        QUALITY_TIERS,
        "Quality Tier",
        readonly=True,
        index=True,
        help="Top seller: evaluated, no metric at its alert level and a health "
        "score at or above the top score. At risk: a metric at its limit, a "
        "document to re-verify or a score below the at-risk score. Suspended: "
        "the seller cannot sell. Not rated yet: fewer orders than the minimum, "
        "or not validated.",
    )
    quality_score_explanation = fields.Html(
        "Score Details", compute="_compute_quality_score_explanation", sanitize=False
    )

    # ------------------------------------------------------------ the score
    def _quality_factors(self):
        """The health score explained: one dict per metric with its value,
        levels, weight and points (the SQL refresh computes the same)."""
        self.ensure_one()
        levels = metric_levels(self.env)
        labels = dict(
            self.env["marketplace.quality.crossing"]
            ._fields["metric"]
            ._description_selection(self.env)
        )
        factors = []
        for key, fname, weight, higher_worse in QUALITY_METRICS:
            alert, limit = levels[key]
            value = self[fname]
            if higher_worse:
                ratio = max(0.0, 1 - value / limit) if limit > 0 else 1.0
            elif not self.quality_rating_count or limit >= 5:
                ratio = 1.0
            else:
                ratio = min(1.0, max(0.0, (value - limit) / (5 - limit)))
            factors.append(
                {
                    "key": key,
                    "label": labels[key],
                    "value": value,
                    "unit": "%"
                    if key not in ("response", "rating")
                    else (" h" if key == "response" else " / 5"),
                    "alert": alert,
                    "limit": limit,
                    "weight": weight,
                    "points": weight * ratio,
                    "status": self._quality_metric_status(key, value, alert, limit),
                }
            )
        return factors

    def _quality_metric_status(self, key, value, alert, limit):
        """ "limit", "alert" or "ok" for this value (see the crossing rule in
        res_partner_quality_rules)."""
        if key == "rating":
            if not self.quality_rating_count:
                return "ok"
            return "limit" if value < limit else "alert" if value < alert else "ok"
        if key == "response" and not self.quality_ticket_count:
            return "ok"
        if limit > 0 and value >= limit:
            return "limit"
        if alert > 0 and value >= alert:
            return "alert"
        return "ok"

    @api.model
    def _quality_round_score(self, points):
        return math.floor(points + 0.5)

    @api.depends(*[fname for __, fname, *___ in QUALITY_METRICS], "quality_score")
    def _compute_quality_score_explanation(self):
        for partner in self:
            if not partner.is_seller:
                partner.quality_score_explanation = False
                continue
            partner.quality_score_explanation = self.env["ir.qweb"]._render(
                "marketplace_crm.seller_quality_factors",
                {"seller": partner, "factors": partner._quality_factors()},
            )

    # ------------------------------------------------------------ public badge
    def _is_top_seller(self):
        """Whether the public pages show the Top seller badge."""
        self.ensure_one()
        # sudo: the tier is public information shown on the website.
        seller = self.sudo()
        return (
            seller.is_seller
            and seller.seller_quality_tier == "top"
            and not seller.seller_suspended
        )

    @api.model
    def _quality_tier_label(self, tier):
        return dict(
            self._fields["seller_quality_tier"]._description_selection(self.env)
        ).get(tier, "")
