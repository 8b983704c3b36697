import importlib.util
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.modules.module import get_module_path
from odoo.tests import tagged

from .common import MarketplaceCase, cron_batches_without_commit

FIGURES = (
    "seller_sale_count_month",
    "seller_sale_amount_month",
    "seller_sale_count_30d",
    "seller_sale_amount_30d",
    "seller_last_sale_date",
    "seller_segment",
)
BUYER = ("is_buyer", "buyer_first_order_date", "buyer_last_order_date", "buyer_segment")


def load_migration(version, stage="post-migration"):
    path = f"{get_module_path('marketplace_crm')}/migrations/{version}/{stage}.py"
    spec = importlib.util.spec_from_file_location(f"mp_{stage}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestBackfill(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Part = cls.env["marketplace.order.seller"]
        cls.seller = cls._create_validated_seller("History Seller")
        cls.other_seller = cls._create_validated_seller("Other History Seller")
        cls.bowl = cls._create_product(cls.seller, "History bowl", 30)
        cls.cup = cls._create_product(cls.other_seller, "History cup", 12)
        cls.buyer = cls.Partner.create(
            {"name": "Old Customer", "email": "old@example.com"}
        )
        cls.order = cls._create_order(
            cls.buyer, [(cls.bowl, 2, 30.0), (cls.cup, 3, 12.5)]
        )
        cls.order.date_order = fields.Datetime.now() - timedelta(days=2)

    def _parts(self, orders=None):
        parts = self.Part.search(
            [("order_id", "in", (orders or self.order).ids)], order="seller_id"
        )
        return [(p.order_id, p.seller_id, p.amount, p.line_count) for p in parts]

    def _forget_history(self, orders=None, buyers=None):
        """The state of a database where the addon was not there: no parts,
        customers not flagged as buyers."""
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM marketplace_order_seller WHERE order_id IN %s",
            [tuple((orders or self.order).ids)],
        )
        self.env.cr.execute(
            "UPDATE res_partner SET is_buyer = FALSE, buyer_first_order_date = NULL,"
            " buyer_last_order_date = NULL, buyer_segment = NULL WHERE id IN %s",
            [tuple((buyers or self.buyer).ids)],
        )
        self.env.invalidate_all()

    def _chatter(self):
        return (
            self.env["mail.message"].search_count(
                [("model", "=", "marketplace.order.seller")]
            ),
            self.env["mail.followers"].search_count(
                [("res_model", "=", "marketplace.order.seller")]
            ),
        )

    def test_backfill_restores_parts_buyers_and_figures_quietly(self):
        parts = self._parts()
        self.assertEqual(
            [(seller, amount, count) for __, seller, amount, count in parts],
            [(self.seller, 60.0, 1), (self.other_seller, 37.5, 1)],
        )
        figures = [s.read(FIGURES) for s in (self.seller, self.other_seller)]
        buyer = self.buyer.read(BUYER)
        chatter = self._chatter()
        self._forget_history()
        self.assertFalse(self._parts())
        self.assertFalse(self.buyer.is_buyer)

        created = self.Part._marketplace_backfill()

        self.assertEqual(created, 2)
        self.assertEqual(self._parts(), parts)
        self.assertEqual(self.buyer.read(BUYER), buyer)
        self.assertEqual(
            [s.read(FIGURES) for s in (self.seller, self.other_seller)], figures
        )
        self.assertEqual(self._chatter(), chatter)
        # Twice: nothing more.
        self.assertEqual(self.Part._marketplace_backfill(), 0)
        self.assertEqual(self._parts(), parts)

    def test_parts_at_confirmation_create_no_chatter(self):
        chatter = self._chatter()
        self._create_order(self.buyer, [(self.bowl, 1, 30.0), (self.cup, 1, 12.0)])
        self.assertEqual(self._chatter(), chatter)

    def test_historic_parts_are_never_asked_for_a_rating(self):
        template = self.env.ref("marketplace_crm.mail_template_seller_rating_request")
        template.active = True
        with freeze_time(fields.Datetime.now() - timedelta(days=200)):
            old = self._create_order(self.buyer, [(self.bowl, 1, 30.0)])
        with freeze_time(fields.Datetime.now() - timedelta(days=40)):
            older_than_window = self._create_order(self.buyer, [(self.cup, 1, 12.0)])
        self._forget_history(old | older_than_window | self.order)
        self.Part._marketplace_backfill()
        parts = self.Part.search(
            [("order_id", "in", (old | older_than_window | self.order).ids)]
        )
        self.assertEqual(len(parts), 4)
        later = fields.Datetime.now() + timedelta(days=3)
        with freeze_time(later), cron_batches_without_commit(self.env):
            self.Part._cron_send_rating_requests()
        asked = parts.filtered("rating_request_sent")
        # Only the recent order (confirmed 2 + 3 days ago, within 30 days).
        self.assertEqual(asked.order_id, self.order)
        self.assertEqual(len(asked), 2)
        # A wider window in Settings reaches the 40-day-old order, never the
        # two-year-old history beyond it.
        self.env["ir.config_parameter"].set_param(
            "marketplace_crm.rating_request_max_age_days", "60"
        )
        with cron_batches_without_commit(self.env):
            self.Part._cron_send_rating_requests()
        self.assertEqual(
            parts.filtered("rating_request_sent").order_id,
            self.order | older_than_window,
        )

    def test_bulk_seller_assignment_brings_sales_along(self):
        templates = self.env["product.template"]
        lines = []
        for index in range(3):
            product = self.env["product.product"].create(
                {"name": f"Unassigned {index}", "list_price": 10, "type": "consu"}
            )
            templates |= product.product_tmpl_id
            lines.append((product, 1, 10.0 + index))
        order = self._create_order(self.buyer, lines)
        self.assertFalse(self.Part.search([("order_id", "=", order.id)]))
        count_before = self.seller.seller_sale_count_30d

        templates.write({"marketplace_seller_id": self.seller.id})

        part = self.Part.search([("order_id", "=", order.id)])
        self.assertEqual(
            (part.seller_id, part.amount, part.line_count), (self.seller, 33.0, 3)
        )
        self.assertEqual(self.seller.seller_sale_count_30d, count_before + 1)
        # Given to another seller: the sale moves with them.
        other_count = self.other_seller.seller_sale_count_30d
        templates.write({"marketplace_seller_id": self.other_seller.id})
        self.assertEqual(self.seller.seller_sale_count_30d, count_before)
        self.assertEqual(self.other_seller.seller_sale_count_30d, other_count + 1)
        moved = self.Part.search(
            [("order_id", "=", order.id), ("seller_id", "=", self.other_seller.id)]
        )
        self.assertEqual((moved.amount, moved.line_count), (33.0, 3))

    def test_import_of_sellers_brings_sales_along(self):
        products = self.env["product.product"].create(
            [
                {"name": f"Imported {i}", "list_price": 5, "type": "consu"}
                for i in (1, 2)
            ]
        )
        order = self._create_order(self.buyer, [(p, 2, 5.0) for p in products])
        count_before = self.seller.seller_sale_count_30d
        result = self.env["product.template"].load(
            [".id", "marketplace_seller_id/.id"],
            [[str(t.id), str(self.seller.id)] for t in products.product_tmpl_id],
        )
        self.assertFalse(result["messages"])
        part = self.Part.search([("order_id", "=", order.id)])
        self.assertEqual(
            (part.seller_id, part.amount, part.line_count), (self.seller, 20.0, 2)
        )
        self.assertEqual(self.seller.seller_sale_count_30d, count_before + 1)

    def _unassigned_templates(self, count):
        return (
            self.env["product.product"]
            .create(
                [
                    {"name": f"Catalogue {i}", "list_price": 5, "type": "consu"}
                    for i in range(count)
                ]
            )
            .product_tmpl_id
        )

    def test_import_of_sellers_writes_once_per_seller(self):
        """Six rows for two sellers: two writes, not six."""
        templates = self._unassigned_templates(6)
        sellers = [self.seller, self.other_seller]
        Template = type(self.env["product.template"])
        original = Template.write
        calls = []

        def spy(records, vals):
            if "marketplace_seller_id" in vals:
                calls.append((len(records), vals["marketplace_seller_id"]))
            return original(records, vals)

        with patch.object(Template, "write", spy):
            result = self.env["product.template"].load(
                [".id", "marketplace_seller_id/.id"],
                [[str(t.id), str(sellers[i % 2].id)] for i, t in enumerate(templates)],
            )
        self.assertFalse(result["messages"])
        self.assertEqual(sorted(result["ids"]), sorted(templates.ids))
        self.assertEqual(
            sorted(calls), sorted([(3, self.seller.id), (3, self.other_seller.id)])
        )
        self.assertEqual(templates[0::2].marketplace_seller_id, self.seller)
        self.assertEqual(templates[1::2].marketplace_seller_id, self.other_seller)

    def test_large_import_of_sellers_is_not_tracked_per_product(self):
        def tracked(template):
            return template.message_ids.tracking_value_ids.filtered(
                lambda v: v.field_id.name == "marketplace_seller_id"
            )

        params = self.env["ir.config_parameter"].sudo()
        params.set_param("marketplace_crm.bulk_import_untracked_rows", 3)
        small = self._unassigned_templates(2)
        self.env["product.template"].load(
            [".id", "marketplace_seller_id/.id"],
            [[str(t.id), str(self.seller.id)] for t in small],
        )
        self.env.flush_all()
        self.assertTrue(all(tracked(t) for t in small), "a small import is tracked")
        large = self._unassigned_templates(3)
        result = self.env["product.template"].load(
            [".id", "marketplace_seller_id/.id"],
            [[str(t.id), str(self.seller.id)] for t in large],
        )
        self.env.flush_all()
        self.assertFalse(result["messages"])
        self.assertEqual(large.marketplace_seller_id, self.seller)
        self.assertFalse(any(tracked(t) for t in large))

    def test_import_of_sellers_keeps_the_publication_gate(self):
        """A published listing cannot go to a seller who may not publish, by
        import either: the import reports it and writes nothing, the other
        rows included."""
        published = self._create_product(self.seller, "Online", 12).product_tmpl_id
        published.is_published = True
        unverified = self._create_seller("Unverified Importer")
        free = self._unassigned_templates(1)
        result = self.env["product.template"].load(
            [".id", "marketplace_seller_id/.id"],
            [
                [str(free.id), str(unverified.id)],
                [str(published.id), str(unverified.id)],
            ],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(
            any(m["type"] == "error" for m in result["messages"]), result["messages"]
        )
        self.assertEqual(published.marketplace_seller_id, self.seller)
        self.assertFalse(free.marketplace_seller_id)

    def _bulk_import(self, rows, fields=(".id", "marketplace_seller_id/.id")):
        """Import with the bulk size lowered to 2 rows; returns the result
        and whether the set-based path wrote the products."""
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.bulk_import_untracked_rows", 2
        )
        Template = type(self.env["product.template"])
        original = Template._marketplace_write_sellers
        used = []

        def spy(records, assignment):
            used.append(len(assignment))
            return original(records, assignment)

        with patch.object(Template, "_marketplace_write_sellers", spy):
            result = self.env["product.template"].load(list(fields), rows)
        return result, bool(used)

    def test_bulk_import_of_sellers_is_set_based(self):
        """A large two-column import is written set-based: the sellers are
        set, the sales come along, nothing is tracked per product, the last
        row of a product wins; by external ids as well."""
        templates = self._unassigned_templates(3)
        order = self._create_order(
            self.buyer, [(t.product_variant_id, 1, 5.0) for t in templates]
        )
        count_before = self.seller.seller_sale_count_30d
        rows = [[str(t.id), str(self.other_seller.id)] for t in templates]
        rows += [[str(t.id), str(self.seller.id)] for t in templates]
        result, set_based = self._bulk_import(rows)
        self.assertTrue(set_based)
        self.assertFalse(result["messages"])
        self.assertEqual(sorted(result["ids"]), sorted(templates.ids))
        self.assertEqual(templates.marketplace_seller_id, self.seller)
        part = self.Part.search([("order_id", "=", order.id)])
        self.assertEqual(
            (part.seller_id, part.amount, part.line_count), (self.seller, 15.0, 3)
        )
        self.assertEqual(self.seller.seller_sale_count_30d, count_before + 1)
        self.assertFalse(
            templates.message_ids.tracking_value_ids.filtered(
                lambda v: v.field_id.name == "marketplace_seller_id"
            )
        )
        # External ids, the form an export gives.
        xmlids = templates._export_rows([["id"]])
        sellers = self.other_seller._export_rows([["id"]])
        result, set_based = self._bulk_import(
            [[x[0], sellers[0][0]] for x in xmlids],
            fields=("id", "marketplace_seller_id/id"),
        )
        self.assertTrue(set_based)
        self.assertFalse(result["messages"])
        self.assertEqual(templates.marketplace_seller_id, self.other_seller)

    def test_bulk_import_refused_rows_go_through_the_orm(self):
        """What the set-based path cannot decide alone is imported by the
        ORM, which reports the row: an unknown id, a published listing given
        to a seller who may not publish. Nothing is written."""
        templates = self._unassigned_templates(2)
        result, set_based = self._bulk_import(
            [[str(t.id), "999999999"] for t in templates]
        )
        self.assertFalse(set_based)
        self.assertFalse(result["ids"])
        self.assertTrue(any(m["type"] == "error" for m in result["messages"]))
        self.assertFalse(templates.marketplace_seller_id)
        published = self._create_product(self.seller, "Online", 12).product_tmpl_id
        published.is_published = True
        unverified = self._create_seller("Unverified Bulk Importer")
        result, __ = self._bulk_import(
            [
                [str(templates[0].id), str(unverified.id)],
                [str(published.id), str(unverified.id)],
            ]
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any(m["type"] == "error" for m in result["messages"]))
        self.assertEqual(published.marketplace_seller_id, self.seller)
        self.assertFalse(templates[0].marketplace_seller_id)

    def test_bulk_import_with_product_automation_goes_through_the_orm(self):
        """An Automation Rule on product changes sees every imported row."""
        self.env["base.automation"].create(
            {
                "name": "Watch products",
                "model_id": self.env.ref("product.model_product_template").id,
                "trigger": "on_write",
            }
        )
        templates = self._unassigned_templates(2)
        result, set_based = self._bulk_import(
            [[str(t.id), str(self.seller.id)] for t in templates]
        )
        self.assertFalse(set_based)
        self.assertFalse(result["messages"])
        self.assertEqual(templates.marketplace_seller_id, self.seller)

    def test_backfill_action_for_managers_only(self):
        self._forget_history()
        with self.assertRaises(AccessError):
            self.Part.with_user(self.staff).action_marketplace_backfill()
        self.assertFalse(self._parts())
        manager = self.env["res.users"].create(
            {
                "name": "Marketplace Manager",
                "login": "mp_manager_backfill",
                "group_ids": [
                    (
                        6,
                        0,
                        [self.env.ref("marketplace_crm.group_marketplace_manager").id],
                    )
                ],
            }
        )
        action = self.Part.with_user(manager).action_marketplace_backfill()
        self.assertIn("2 missing order parts", action["params"]["message"])
        self.assertEqual(len(self._parts()), 2)
        self.assertTrue(self.buyer.is_buyer)


@tagged("post_install", "-at_install")
class TestUpgrade(MarketplaceCase):
    """The 19.0.2.0.0 migration on the demo marketplace as an earlier version
    left it: confirmed orders without parts, past customers not flagged, the
    addon's own back-in-stock job."""

    def _snapshot(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT order_id, seller_id, amount, line_count, state"
            " FROM marketplace_order_seller ORDER BY order_id, seller_id"
        )
        parts = self.env.cr.fetchall()
        sellers = self.Partner.search([("is_seller", "=", True)], order="id")
        buyers = self.Partner.search([("is_buyer", "=", True)], order="id")
        return (
            parts,
            sellers.read(FIGURES),
            [(b.id, b.buyer_first_order_date, b.buyer_last_order_date) for b in buyers],
        )

    def test_migration_restores_history_and_keeps_figures(self):
        orders = self.env["sale.order"].search([("state", "=", "sale")], limit=5)
        self.assertEqual(len(orders), 5)
        before = self._snapshot()
        self.assertTrue(before[0])
        customers = orders.partner_id.commercial_partner_id
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM marketplace_order_seller WHERE order_id IN %s",
            [tuple(orders.ids)],
        )
        self.env.cr.execute(
            "UPDATE res_partner SET is_buyer = FALSE, buyer_first_order_date = NULL,"
            " buyer_last_order_date = NULL WHERE id IN %s",
            [tuple(customers.ids)],
        )
        old_job = self.env["ir.cron"].create(
            {
                "name": "Marketplace: back in stock (earlier version)",
                "model_id": self.env.ref("product.model_product_product").id,
                "state": "code",
                "code": "model.browse()",
            }
        )
        self.env["ir.model.data"].create(
            {
                "module": "marketplace_crm",
                "name": "ir_cron_back_in_stock_alerts",
                "model": "ir.cron",
                "res_id": old_job.id,
            }
        )
        self.env.invalidate_all()
        self.assertNotEqual(self._snapshot(), before)

        load_migration("19.0.2.0.0").migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()

        self.assertEqual(self._snapshot(), before)
        self.assertFalse(old_job.exists())
