"""The seller quality programme on the seller: the metrics of one seller
read through the ORM (the reference the set-based refresh is checked
against) and the staff drill-downs into the records behind each metric."""

from odoo import models

from .marketplace_access import check_group


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------ single seller
    def _quality_metrics_orm(self):
        """The metrics of one seller read through the ORM, record by record:
        the reference the set-based refresh is checked against."""
        self.ensure_one()
        # sudo: the metrics are system-maintained; every record read is the
        # seller's own (order parts, disputes, deliveries, tickets).
        env = self.sudo().env
        start, now = self._quality_window()
        parts = env["marketplace.order.seller"].search(
            [
                ("seller_id", "=", self.id),
                ("date_order", ">=", start),
                ("date_order", "<=", now),
                ("line_count", ">", 0),
                ("state", "in", ("sale", "cancel")),
            ]
        )
        disputes = env["marketplace.dispute"].search(
            [("seller_id", "=", self.id), ("order_id", "in", parts.order_id.ids)]
        )
        refunded = disputes.filtered(
            lambda d: (
                d.state in ("resolved", "closed")
                and d.outcome in ("buyer_refunded", "partial_refund")
            )
        )
        shipped = late = 0
        for part in parts.filtered(lambda p: p.state == "sale"):
            pickings = (
                env["stock.picking"]
                .search(
                    [
                        ("sale_id", "=", part.order_id.id),
                        ("state", "=", "done"),
                        ("picking_type_id.code", "=", "outgoing"),
                    ]
                )
                .filtered(
                    lambda pk, seller=self: (
                        seller
                        in pk.move_ids.product_id.product_tmpl_id.marketplace_seller_id
                    )
                )
            )
            if pickings:
                shipped += 1
                late += any(pk.date_done.date() > part.promised_date for pk in pickings)
        ratings = env["rating.rating"].search(
            [
                ("res_model", "=", "marketplace.order.seller"),
                ("res_id", "in", parts.ids),
                ("consumed", "=", True),
                ("rating", ">", 0),
            ]
        )
        tickets = (
            env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search(
                [
                    ("seller_id", "=", self.id),
                    ("buyer_id", "!=", False),
                    ("create_date", ">=", start),
                    ("create_date", "<=", now),
                ]
            )
        )
        hours = []
        for ticket in tickets:
            answers = ticket.message_ids.filtered(
                lambda m, t=ticket: (
                    m.message_type in ("comment", "email")
                    and m.author_id.commercial_partner_id == self
                    and m.date >= t.create_date
                )
            )
            answered = min(answers.mapped("date"), default=now)
            hours.append((answered - ticket.create_date).total_seconds() / 3600)
        orders = len(parts)
        by_part = {}
        for rating in ratings:
            by_part.setdefault(rating.res_id, []).append(rating.rating)
        part_avgs = [sum(v) / len(v) for v in by_part.values()]

        def rate(count, total):
            return round(100.0 * count / total, 2) if total else 0.0

        return {
            "quality_order_count": orders,
            "quality_dispute_rate": rate(len(set(disputes.order_id.ids)), orders),
            "quality_refund_rate": rate(len(set(refunded.order_id.ids)), orders),
            "quality_cancel_rate": rate(
                len(parts.filtered(lambda p: p.state == "cancel")), orders
            ),
            "quality_late_rate": rate(late, shipped),
            "quality_ticket_count": len(tickets),
            "quality_response_hours": round(sum(hours) / len(hours), 2)
            if hours
            else 0.0,
            "quality_rating_avg": round(sum(part_avgs) / len(part_avgs), 2)
            if part_avgs
            else 0.0,
            "quality_rating_count": len(part_avgs),
        }

    # ------------------------------------------------------------ drill-downs
    def _quality_parts_domain(self):
        start, now = self._quality_window()
        return [
            ("seller_id", "=", self.id),
            ("date_order", ">=", start),
            ("date_order", "<=", now),
            ("line_count", ">", 0),
            ("state", "in", ("sale", "cancel")),
        ]

    def _quality_action(self, name, model, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": domain,
            "context": {"create": False},
        }

    def action_quality_view_orders(self):
        self.ensure_one()
        name = self.env._("Orders of the quality window")
        return self._quality_action(
            name,
            "marketplace.order.seller",
            self._quality_parts_domain(),
        )

    def action_quality_view_cancellations(self):
        self.ensure_one()
        name = self.env._("Cancelled orders")
        return self._quality_action(
            name,
            "marketplace.order.seller",
            [*self._quality_parts_domain(), ("state", "=", "cancel")],
        )

    def _quality_window_orders(self):
        # sudo: staff drill down into the orders behind a metric.
        return (
            self.env["marketplace.order.seller"]
            .sudo()
            .search(self._quality_parts_domain())
            .order_id
        )

    def action_quality_view_disputes(self):
        self.ensure_one()
        name = self.env._("Disputes of the quality window")
        return self._quality_action(
            name,
            "marketplace.dispute",
            [
                ("seller_id", "=", self.id),
                ("order_id", "in", self._quality_window_orders().ids),
            ],
        )

    def action_quality_view_refunds(self):
        self.ensure_one()
        name = self.env._("Refunded disputes")
        return self._quality_action(
            name,
            "marketplace.dispute",
            [
                ("seller_id", "=", self.id),
                ("order_id", "in", self._quality_window_orders().ids),
                ("state", "in", ("resolved", "closed")),
                ("outcome", "in", ("buyer_refunded", "partial_refund")),
            ],
        )

    def action_quality_view_deliveries(self):
        self.ensure_one()
        name = self.env._("Deliveries of the quality window")
        return self._quality_action(
            name,
            "stock.picking",
            [
                ("sale_id", "in", self._quality_window_orders().ids),
                ("state", "=", "done"),
                ("picking_type_id.code", "=", "outgoing"),
                (
                    "move_ids.product_id.product_tmpl_id.marketplace_seller_id",
                    "=",
                    self.id,
                ),
            ],
        )

    def action_quality_view_tickets(self):
        self.ensure_one()
        start, now = self._quality_window()
        name = self.env._("Buyer tickets of the quality window")
        return self._quality_action(
            name,
            "helpdesk.ticket",
            [
                ("seller_id", "=", self.id),
                ("buyer_id", "!=", False),
                ("create_date", ">=", start),
                ("create_date", "<=", now),
            ],
        )

    def action_quality_view_ratings(self):
        self.ensure_one()
        # sudo: see _quality_window_orders.
        parts = (
            self.env["marketplace.order.seller"]
            .sudo()
            .search(self._quality_parts_domain())
        )
        name = self.env._("Ratings of the quality window")
        return self._quality_action(
            name,
            "rating.rating",
            [
                ("res_model", "=", "marketplace.order.seller"),
                ("res_id", "in", parts.ids),
                ("consumed", "=", True),
            ],
        )

    def action_quality_refresh(self):
        """Staff refresh one seller's quality figures now."""
        check_group(self.env)
        self._refresh_seller_quality()
        return True
