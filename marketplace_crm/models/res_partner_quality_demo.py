"""Demo data of the seller quality programme (called by
``demo/seller_quality_demo.xml`` only).

A quarter of orders for three shops, so that the programme has something to
evaluate on a fresh demo: a Top seller, a shop in its grace period at the
limit (warned at the alert level first), and a shop suspended when its grace
period ended, whose appeal waits for the team; one shop is exempted.
"""

from datetime import timedelta

from odoo import api, fields, models

# seller, its product, orders, disputes (outcomes), days ago of the first and
# last order: within the 90-day window, after the seller's last reactivation
# in the lifecycle demo (so the Seller Outcomes report keeps its story), and
# spread so that no month holds the year's sales.
QUALITY_DEMO = [
    ("seller_terre_feu", "product_tf_bowl", 12, [], 11, 1),
    ("seller_vannerie_rousse", "product_vr_placemats", 12, [], 86, 31),
    (
        "seller_savons_sud",
        "product_ss_soap",
        10,
        ["buyer_refunded", False, False],
        9,
        1,
    ),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _demo_seller_quality_programme(self):
        if self.env["marketplace.quality.crossing"].search_count([], limit=1):
            return  # the demo ran already (module update)
        buyers = [self.env.ref(f"marketplace_crm.buyer_{n:02d}") for n in range(1, 20)]
        for seller_ref, product_ref, count, outcomes, first, last in QUALITY_DEMO:
            seller = self.env.ref(f"marketplace_crm.{seller_ref}")
            product = self.env.ref(f"marketplace_crm.{product_ref}")
            orders = self._demo_quality_orders(buyers, product, count, first, last)
            self._demo_quality_disputes(seller, orders, outcomes)
        # The daily job's work, without its commits (demo data loads in one
        # transaction).
        self.search([("is_seller", "=", True)])._refresh_seller_quality()
        self._demo_quality_suspension_and_appeal()
        self.env.ref("marketplace_crm.seller_atelier_lin").write(
            {
                "quality_exempt_until": fields.Date.today() + timedelta(days=45),
                "quality_exempt_reason": "New linen homewares range: first weeks.",
            }
        )

    @api.model
    def _demo_quality_orders(self, buyers, product, count, first, last):
        orders = self.env["sale.order"]
        now = fields.Datetime.now()
        for index in range(count):
            order = self.env["sale.order"].create(
                {
                    "partner_id": buyers[(index * 7 + product.id) % len(buyers)].id,
                    "order_line": [(0, 0, {"product_id": product.id})],
                }
            )
            order.action_confirm()
            days = first - (first - last) * index / max(count - 1, 1)
            order.date_order = now - timedelta(days=days, hours=index % 5)
            orders |= order
        return orders

    @api.model
    def _demo_quality_disputes(self, seller, orders, outcomes):
        for order, outcome in zip(orders[1::3], outcomes, strict=False):
            dispute = self.env["marketplace.dispute"].create(
                {
                    "buyer_id": order.partner_id.id,
                    "seller_id": seller.id,
                    "order_id": order.id,
                    "dispute_type": "not_as_described" if outcome else "not_delivered",
                    "amount": order.amount_total,
                }
            )
            if outcome:
                dispute.write({"outcome": outcome, "state": "resolved"})

    @api.model
    def _demo_quality_suspension_and_appeal(self):
        """Savons du Sud's grace period ended with its dispute rate still at
        the limit: the daily job suspends it, and the seller appeals."""
        seller = self.env.ref("marketplace_crm.seller_savons_sud")
        crossings = seller.quality_crossing_ids.filtered(
            lambda c: c.level == "limit" and c.state == "open"
        )
        if not crossings:
            return
        crossings.write({"grace_until": fields.Date.today() - timedelta(days=1)})
        self._quality_apply_grace_ends()
        if seller.quality_suspended:
            self.env["marketplace.quality.appeal"]._submit_for_seller(
                seller,
                "Two parcels were lost by the carrier; we changed carrier and "
                "now ship every order with tracking.",
                [],
                "demo-appeal-savons-sud",
            )
