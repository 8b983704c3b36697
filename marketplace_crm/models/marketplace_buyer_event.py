import random
from datetime import timedelta

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL

from .marketplace_helpers import fill_partner_company
from .marketplace_holdout import holdout_bucket

BUYER_AUTOMATIONS = [
    ("back_in_stock", "Back-in-stock e-mail"),
    ("abandoned_cart", "Abandoned-cart e-mail"),
]


class MarketplaceBuyerEvent(models.Model):
    """A buyer's episode of a measured automation: the e-mail was sent
    (treated) or withheld (control group). One row per buyer, automation and
    episode, claimed like the sellers' lifecycle events."""

    _name = "marketplace.buyer.event"
    _description = "Buyer Automation Episode"
    _order = "date desc, id desc"
    _rec_name = "automation"

    buyer_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    automation = fields.Selection(BUYER_AUTOMATIONS, required=True, readonly=True)
    episode = fields.Char(
        required=True,
        readonly=True,
        help="What the e-mail is about: the cart, or the product's restock.",
    )
    held_out = fields.Boolean(
        readonly=True,
        help="In the control group: the e-mail was not sent.",
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        help="The company of the episode: the cart's, the restocked product's "
        "(else the buyer's figures company).",
    )

    _unique_episode = models.Constraint(
        "UNIQUE(buyer_id, automation, episode)",
        "This buyer's episode is already recorded.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """An episode without a company belongs to its buyer's figures
        company."""
        fill_partner_company(self.env, vals_list, partner_field="buyer_id")
        return super().create(vals_list)

    @api.model
    def _claim(self, buyer, automation, episode, held_out, date=None, company=None):
        """Record the episode once and return it; an empty recordset when
        another run already recorded it (the unique key decides; against a
        concurrent worker, the serialization failure means the same).
        ``company``: the episode's (the cart's, the product's); the buyer's
        figures company when it has none."""
        company = company or buyer.marketplace_company_id
        try:
            with self.env.cr.savepoint(flush=False):
                return self._insert_episode(
                    buyer, automation, episode, held_out, date, company
                )
        except SerializationFailure:
            return self.browse()

    @api.model
    def _insert_episode(self, buyer, automation, episode, held_out, date, company):
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO marketplace_buyer_event
                       (buyer_id, automation, episode, held_out, date,
                        company_id, create_uid, create_date, write_uid,
                        write_date)
                VALUES (%(buyer)s, %(automation)s, %(episode)s, %(held_out)s,
                        %(date)s, %(company)s, %(uid)s,
                        NOW() AT TIME ZONE 'UTC',
                        %(uid)s, NOW() AT TIME ZONE 'UTC')
                ON CONFLICT (buyer_id, automation, episode) DO NOTHING
                RETURNING id
                """,
                buyer=buyer.id,
                automation=automation,
                episode=episode,
                held_out=held_out,
                date=date or fields.Datetime.now(),
                company=company.id,
                uid=self.env.uid,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    # ------------------------------------------------------------ demo
    @api.model
    def _demo_abandoned_cart_history(self, buyer_ids, product_id):
        """Demo data: a year of abandoned carts of these buyers, about two a
        month each,
        assigned as the job assigns them (30 % control group), with
        purchases within 14 days for 9 in 20 treated episodes and 3 in 20
        held-out ones, in a fixed order: the constructed effect is +30
        points whatever ids the records get."""
        rng = random.Random(13)
        seen = {True: 0, False: 0}
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        buyers = self.env["res.partner"].browse(buyer_ids)
        purchases = []
        for buyer in buyers:
            day = now - timedelta(days=365 - rng.randint(0, 20))
            number = 0
            while day <= now - timedelta(days=15):
                number += 1
                episode = f"demo-cart-{number}"
                held_out = holdout_bucket("abandoned_cart", buyer.id, episode) < 0.3
                self._claim(buyer, "abandoned_cart", episode, held_out, date=day)
                seen[held_out] += 1
                if (seen[held_out] - 1) % 20 < (3 if held_out else 9):
                    purchases.append(
                        (buyer, day + timedelta(days=rng.randint(1, 13), hours=2))
                    )
                # Two weeks at least apart: each purchase window is its own.
                day += timedelta(days=rng.randint(15, 21))
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": buyer.id,
                    "order_line": [(0, 0, {"product_id": product_id})],
                }
                for buyer, __ in purchases
            ]
        )
        orders.action_confirm()
        for order, (__, when) in zip(orders, purchases, strict=True):
            order.date_order = when
