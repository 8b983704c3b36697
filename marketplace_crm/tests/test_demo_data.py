from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo shows a living marketplace: every segment and status."""

    def test_demo_covers_every_segment_and_status(self):
        Partner = self.env["res.partner"]
        sellers = Partner.search([("is_seller", "=", True)])
        self.assertGreaterEqual(len(sellers), 10)
        segments = set(Partner._fields["seller_segment"].get_values(self.env))
        self.assertEqual(set(sellers.mapped("seller_segment")), segments)
        statuses = set(Partner._fields["verification_state"].get_values(self.env))
        self.assertEqual(set(sellers.mapped("verification_state")), statuses)
        buyers = Partner.search([("is_buyer", "=", True), ("is_seller", "=", False)])
        self.assertGreaterEqual(len(buyers), 20)
        self.assertEqual(
            set(buyers.mapped("buyer_segment")), {"prospect", "active", "inactive"}
        )
        self.assertGreaterEqual(
            Partner.search_count([("is_logistics_partner", "=", True)]), 2
        )
        self.assertGreaterEqual(
            Partner.search_count([("is_technical_partner", "=", True)]), 1
        )

    def test_demo_listings_respect_the_gate(self):
        products = self.env["product.template"].search(
            [("marketplace_seller_id", "!=", False)]
        )
        self.assertTrue(products.filtered("is_published"))
        for product in products.filtered("is_published"):
            self.assertTrue(product.marketplace_seller_id._can_publish_listings())

    def test_demo_logins(self):
        agent = self.env["res.users"].search([("login", "=", "mp_agent")])
        self.assertTrue(agent.has_group("marketplace_crm.group_marketplace_user"))
        # A plain agent; the seller verification team decides on sellers.
        self.assertFalse(agent.has_group("marketplace_crm.group_marketplace_verifier"))
        verifier = self.env["res.users"].search([("login", "=", "mp_verifier")])
        self.assertTrue(
            verifier.has_group("marketplace_crm.group_marketplace_verifier")
        )
        self.assertFalse(
            verifier.has_group("marketplace_crm.group_marketplace_manager")
        )
        seller_user = self.env["res.users"].search(
            [("login", "=", "seller@atelier-lin.example")]
        )
        self.assertTrue(seller_user._is_portal())
        self.assertTrue(seller_user.partner_id.commercial_partner_id.is_seller)

    def test_demo_lifecycles_agree_with_the_jobs(self):
        """The demo timelines are what the jobs would have recorded: running
        the reactivation pass adds nothing, and the outcome report counts the
        follow-ups and the sellers who sold again within 15 and 30 days."""
        Event = self.env["marketplace.seller.event"]
        self.assertEqual(
            set(Event.search([]).mapped("event_type")),
            {
                "profile_reminder",
                "inactivity_followup",
                "coaching",
                "reactivation",
                # the quality programme's story (demo/seller_quality_demo.xml)
                "quality_alert",
                "quality_grace",
                "quality_suspension",
                "quality_appeal",
            },
        )
        coachings = Event.search([("event_type", "=", "coaching")])
        self.assertTrue(all(coachings.mapped("calendar_event_id")))
        before = Event.search_count([])
        Event._record_reactivations()
        self.assertEqual(Event.search_count([]), before)
        rows = self.env["marketplace.seller.outcome.report"].search([])
        self.assertEqual(sum(rows.mapped("followup_count")), 7)
        self.assertEqual(sum(rows.mapped("reactivated_15_count")), 1)
        self.assertEqual(sum(rows.mapped("reactivated_30_count")), 2)
        lin = self.env.ref("marketplace_crm.seller_atelier_lin")
        self.assertEqual(
            lin.seller_event_ids.sorted("date").mapped("event_type"),
            ["inactivity_followup", "coaching", "reactivation"] * 2,
        )

    def test_demo_reports_tell_a_story(self):
        """On a fresh install with demo, every report shows something: a year
        of sales in several categories (not one bulk month), resolved
        tickets with their resolution times, conversions month by month."""
        sales = self.env["marketplace.sales.report"]
        months = sales._read_group([], ["date:month"], ["amount:sum"])
        self.assertGreaterEqual(len(months), 12)
        total = sum(amount for __, amount in months)
        self.assertLess(max(amount for __, amount in months), total / 3)
        self.assertGreaterEqual(len(sales._read_group([], ["categ_id"])), 4)
        self.assertTrue(self.env["marketplace.seller.performance.report"].search([]))
        tickets = self.env["marketplace.ticket.report"].search(
            [("is_closed", "=", True), ("closed_date", "!=", False)]
        )
        self.assertGreaterEqual(len(tickets), 5)
        self.assertTrue(all(hours > 0 for hours in tickets.mapped("resolution_hours")))
        self.assertGreaterEqual(len(set(tickets.mapped("type_id"))), 3)
        conversion = self.env["marketplace.buyer.conversion.report"]
        self.assertFalse(conversion.search_count([("days_to_convert", "<", 0)]))
        rates = conversion._read_group(
            [], ["registration_date:month"], ["converted_rate:avg"]
        )
        self.assertGreaterEqual(len(rates), 8)
        self.assertGreater(len({rate for __, rate in rates}), 2)

    def test_demo_quality_programme_tells_a_story(self):
        """The quality programme has evaluated the demo: a Top seller, a shop
        in its grace period at a limit, a shop suspended at the end of its
        grace period whose appeal waits for the team, an exempted shop."""
        Partner = self.env["res.partner"]
        sellers = Partner.search([("is_seller", "=", True)])
        self.assertIn("top", sellers.mapped("seller_quality_tier"))
        in_grace = sellers.filtered("quality_grace_until")
        self.assertTrue(in_grace)
        self.assertTrue(
            in_grace.quality_crossing_ids.filtered(
                lambda c: c.level == "limit" and c.state == "open"
            )
        )
        suspended = sellers.filtered("quality_suspended")
        self.assertTrue(suspended.seller_suspended)
        self.assertEqual(suspended.quality_appeal_ids.mapped("state"), ["submitted"])
        self.assertFalse(
            self.env["product.template"].search(
                [
                    ("marketplace_seller_id", "in", suspended.ids),
                    ("is_published", "=", True),
                ]
            ),
            "a suspended shop has no listing online",
        )
        exempt = sellers.filtered("quality_exempt_until")
        self.assertTrue(exempt.quality_exempt_reason)
        self.assertFalse(exempt.quality_crossing_ids)
