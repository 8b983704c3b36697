"""Did the automations cause anything? Treated against held-out episodes.

Each measured automation splits its eligible records at random into a treated
group (the e-mail or meeting) and a control group (nothing, see
``models/marketplace_holdout.py``). This report counts, per automation and
month of episode, how many episodes of each group reached the outcome, and
gives the difference of the two rates with its 95 % confidence interval
(Newcombe's hybrid score interval, method 10 of Newcombe 1998, built from the
Wilson score intervals of each rate).
"""

import math

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.marketplace_params import get_param

Z_95 = 1.959963984540054

AUTOMATIONS = [
    ("profile_reminder", "Profile reminder"),
    ("inactivity_followup", "Inactivity follow-up"),
    ("coaching", "Coaching session"),
    ("monthly_review", "Monthly review e-mail"),
    ("back_in_stock", "Back-in-stock e-mail"),
    ("abandoned_cart", "Abandoned-cart e-mail"),
]
OUTCOMES = [
    ("sale_15", "First sale within 15 days"),
    ("sale_30", "First sale within 30 days"),
    ("active_90", "Still active 90 days later"),
    ("purchase_14", "Purchase within 14 days"),
]


def wilson_interval(successes, total, z=Z_95):
    """Wilson score interval of the proportion ``successes / total``."""
    if not total:
        return 0.0, 1.0
    p = successes / total
    denominator = 2 * (total + z * z)
    centre = 2 * successes + z * z
    spread = z * math.sqrt(z * z + 4 * successes * (1 - p))
    return (centre - spread) / denominator, (centre + spread) / denominator


def newcombe_interval(x1, n1, x2, n2, z=Z_95):
    """Difference ``x1/n1 - x2/n2`` and its hybrid score interval (Newcombe
    1998, method 10): the distances from each rate to its Wilson limits are
    combined as independent errors."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, z)
    l2, u2 = wilson_interval(x2, n2, z)
    difference = p1 - p2
    low = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return difference, low, high


class MarketplaceUpliftReport(models.Model):
    _name = "marketplace.uplift.report"
    _description = "Automation Uplift"
    _auto = False
    _order = "company_id, automation, is_total desc, month desc, outcome"
    _rec_name = "automation"

    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        help="The company of the episodes: each company's automations are "
        "measured on its own episodes and sales.",
    )
    automation = fields.Selection(AUTOMATIONS, readonly=True)
    month = fields.Date(
        "Month of Episode", readonly=True, help="Empty on the all-months total."
    )
    is_total = fields.Boolean("All Months", readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    treated_count = fields.Integer("Treated", readonly=True)
    treated_success = fields.Integer("Treated with Outcome", readonly=True)
    control_count = fields.Integer("Control", readonly=True)
    control_success = fields.Integer("Control with Outcome", readonly=True)
    treated_rate = fields.Float(
        "Treated Rate (%)", compute="_compute_uplift", digits=(16, 1)
    )
    control_rate = fields.Float(
        "Control Rate (%)", compute="_compute_uplift", digits=(16, 1)
    )
    difference = fields.Float(
        "Difference (points)",
        compute="_compute_uplift",
        digits=(16, 1),
        help="Treated rate minus control rate, in percentage points.",
    )
    ci_low = fields.Float(
        "95% CI Low",
        compute="_compute_uplift",
        digits=(16, 1),
        help="Newcombe's hybrid score interval, in percentage points.",
    )
    ci_high = fields.Float("95% CI High", compute="_compute_uplift", digits=(16, 1))
    conclusion = fields.Selection(
        [
            ("not_enough", "Not enough data yet"),
            ("uplift", "Uplift"),
            ("no_difference", "No significant difference"),
            ("negative", "Negative effect"),
        ],
        compute="_compute_uplift",
    )

    @api.depends("treated_count", "treated_success", "control_count", "control_success")
    def _compute_uplift(self):
        minimum = max(get_param(self.env, "uplift_min_sample"), 1)
        for row in self:
            n1, x1 = row.treated_count, row.treated_success
            n2, x2 = row.control_count, row.control_success
            row.treated_rate = 100.0 * x1 / n1 if n1 else 0.0
            row.control_rate = 100.0 * x2 / n2 if n2 else 0.0
            if n1 < minimum or n2 < minimum:
                row.difference = row.ci_low = row.ci_high = 0.0
                row.conclusion = "not_enough"
                continue
            difference, low, high = newcombe_interval(x1, n1, x2, n2)
            row.difference = 100.0 * difference
            row.ci_low, row.ci_high = 100.0 * low, 100.0 * high
            row.conclusion = (
                "uplift" if low > 0 else "negative" if high < 0 else "no_difference"
            )

    @property
    def _table_query(self):
        # One pass over the episodes of both groups: each episode whose
        # outcome window has closed is checked for a sale (sellers, on the
        # order parts' (seller, date) index) or a purchase (buyers) in it,
        # in the episode's company: each company is measured apart.
        return SQL(
            """
            WITH episodes AS (
                SELECT 'seller' AS kind, e.event_type AS automation,
                       e.seller_id AS subject_id, e.date, FALSE AS held_out,
                       e.company_id
                  FROM marketplace_seller_event e
                 WHERE e.event_type IN
                       ('profile_reminder', 'inactivity_followup', 'coaching')
                   -- a seller still waiting for a coaching slot (or who sold
                   -- while waiting) has not been coached
                   AND e.coaching_state IS DISTINCT FROM 'waiting'
                   AND e.coaching_state IS DISTINCT FROM 'cancelled'
                UNION ALL
                SELECT 'seller', e.holdout_automation, e.seller_id, e.date, TRUE,
                       e.company_id
                  FROM marketplace_seller_event e
                 WHERE e.event_type = 'held_out'
                   AND e.holdout_automation IS NOT NULL
                UNION ALL
                SELECT 'seller', 'monthly_review', r.seller_id, r.create_date, FALSE,
                       r.company_id
                  FROM marketplace_seller_review r
                 WHERE r.declined
                   AND NOT EXISTS (
                       SELECT 1 FROM marketplace_seller_event h
                        WHERE h.seller_id = r.seller_id
                          AND h.event_type = 'held_out'
                          AND h.episode = 'monthly_review:'
                                          || to_char(r.month, 'YYYY-MM-DD'))
                UNION ALL
                SELECT 'buyer', b.automation, b.buyer_id, b.date, b.held_out,
                       b.company_id
                  FROM marketplace_buyer_event b
            ), outcomes (kind, outcome, start_days, end_days) AS (
                VALUES ('seller', 'sale_15', 0, 15),
                       ('seller', 'sale_30', 0, 30),
                       ('seller', 'active_90', 60, 90),
                       ('buyer', 'purchase_14', 0, 14)
            ), results AS (
                SELECT ep.company_id, ep.automation,
                       date_trunc('month', ep.date)::date AS month,
                       o.outcome,
                       ep.held_out,
                       CASE WHEN ep.kind = 'seller' THEN EXISTS (
                           SELECT 1 FROM marketplace_order_seller os
                            WHERE os.seller_id = ep.subject_id
                              AND os.company_id = ep.company_id
                              AND os.date_order > ep.date
                                  + make_interval(days => o.start_days)
                              AND os.date_order <= ep.date
                                  + make_interval(days => o.end_days)
                              AND os.state = 'sale' AND os.line_count > 0)
                       ELSE EXISTS (
                           -- The buyer's contacts first (few), then their
                           -- orders by the partner index.
                           SELECT 1
                             FROM res_partner p
                             JOIN sale_order so ON so.partner_id = p.id
                            WHERE p.commercial_partner_id = ep.subject_id
                              AND so.company_id = ep.company_id
                              AND so.state = 'sale'
                              AND so.date_order > ep.date
                              AND so.date_order <= ep.date
                                  + make_interval(days => o.end_days))
                       END AS success
                  FROM episodes ep
                  JOIN outcomes o ON o.kind = ep.kind
                 WHERE ep.date + make_interval(days => o.end_days)
                       <= NOW() AT TIME ZONE 'UTC'
            )
            SELECT ROW_NUMBER() OVER (
                       ORDER BY company_id, automation, month NULLS FIRST, outcome)
                       AS id,
                   company_id,
                   automation,
                   month,
                   month IS NULL AS is_total,
                   outcome,
                   COUNT(*) FILTER (WHERE NOT held_out) AS treated_count,
                   COUNT(*) FILTER (WHERE NOT held_out AND success)
                       AS treated_success,
                   COUNT(*) FILTER (WHERE held_out) AS control_count,
                   COUNT(*) FILTER (WHERE held_out AND success) AS control_success
              FROM results
          GROUP BY GROUPING SETS ((company_id, automation, outcome, month),
                                  (company_id, automation, outcome))
            """
        )
