from contextlib import contextmanager
from datetime import datetime, time, timedelta

from .common import MarketplaceCase

ALL_LEVELS = [
    f"quality_{metric}_{level}"
    for metric in ("dispute", "refund", "cancel", "late", "response", "rating")
    for level in ("alert", "limit")
]


class QualityCase(MarketplaceCase):
    """A validated seller with one published product and four confirmed
    orders, every quality level disabled: each test sets the levels it
    checks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_params(quality_min_orders=4, **dict.fromkeys(ALL_LEVELS, 0))
        cls.seller = cls._create_validated_seller(
            "Quality Atelier", email="quality@example.com"
        )
        cls.product = cls._create_product(cls.seller, "Quality bowl")
        cls.template = cls.product.product_tmpl_id
        cls.template.is_published = True
        cls.buyer = cls.Partner.create({"name": "Quality Buyer", "email": "qb@x.com"})
        cls.orders = [
            cls._create_order(cls.buyer, [(cls.product, 1, 50.0)]) for __ in range(4)
        ]

    @classmethod
    def _set_params(cls, **values):
        ICP = cls.env["ir.config_parameter"].sudo()
        for key, value in values.items():
            ICP.set_param(f"marketplace_crm.{key}", value)

    @contextmanager
    def _undone(self):
        """Run the block, then roll its database changes back."""
        self.env.flush_all()
        self.env.cr.execute("SAVEPOINT quality_case")
        try:
            yield
        finally:
            self.env.flush_all()
            self.env.cr.execute("ROLLBACK TO SAVEPOINT quality_case")
            self.env.invalidate_all()

    def _dispute(self, order, **vals):
        return self.env["marketplace.dispute"].create(
            {
                "buyer_id": self.buyer.id,
                "seller_id": self.seller.id,
                "order_id": order.id,
                **vals,
            }
        )

    def _mails(self, subject_part, seller=None):
        return self.env["mail.mail"].search(
            [
                ("subject", "ilike", subject_part),
                ("recipient_ids", "in", (seller or self.seller).ids),
            ]
        )

    def _open_crossings(self, seller=None, **domain):
        return self.env["marketplace.quality.crossing"].search(
            [
                ("seller_id", "=", (seller or self.seller).id),
                ("state", "=", "open"),
                *[(key, "=", value) for key, value in domain.items()],
            ]
        )

    def _ship(self, order, late):
        """Deliver the order the day after (late) or on the day the seller
        promised to ship it."""
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_id.code == "outgoing"
        )
        self.assertTrue(picking, "a confirmed order of goods has a delivery")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        part = order.marketplace_order_seller_ids.filtered(
            lambda p: p.seller_id == self.seller
        )
        done = datetime.combine(part.promised_date, time(17)) + timedelta(
            days=1 if late else 0
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_picking SET date_done = %s WHERE id = %s",
            [done, picking.id],
        )
        picking.invalidate_recordset(["date_done"])
        return picking
