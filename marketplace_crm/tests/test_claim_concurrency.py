import threading
from contextlib import closing, contextmanager
from datetime import date

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestClaimsLoseQuietly(TransactionCase):
    """Two workers run the same job at once, on two real connections: the
    first claims the work, the second gets nothing, both while the first
    still holds it and after it committed (the second started before), and
    nothing is logged as an error. Each test restores what it committed."""

    @contextmanager
    def _two_workers(self):
        db = self.env.cr.dbname
        with (
            closing(db_connect(db).cursor()) as cr1,
            closing(db_connect(db).cursor()) as cr2,
        ):
            yield (
                api.Environment(cr1, SUPERUSER_ID, {}),
                api.Environment(cr2, SUPERUSER_ID, {}),
            )

    def assertClaimedOnce(self, setup, claim, restore):
        """``setup(env)`` commits a claimable row and returns its id;
        ``claim(env, id)`` runs the job's claim and returns what it claimed;
        ``restore(env, id)`` puts the row back."""
        with self._two_workers() as (env1, env2):
            record_id = setup(env1)
            env1.flush_all()
            env1.cr.commit()
            try:
                with self.assertNoLogs("odoo.sql_db", "ERROR"):
                    env2.cr.execute("SELECT 1")  # the second worker starts
                    first = claim(env1, record_id)
                    env1.flush_all()
                    while_held = claim(env2, record_id)
                    env1.cr.commit()
                    after_commit = claim(env2, record_id)
                    env2.cr.commit()
            finally:
                env1.cr.rollback()
                env2.cr.rollback()
                env1.invalidate_all()
                restore(env1, record_id)
                env1.flush_all()
                env1.cr.commit()
        self.assertEqual(first, [record_id], "The first worker claims it")
        self.assertEqual(while_held, [], "Skipped while the first holds it")
        self.assertEqual(after_commit, [], "Skipped once the first committed")

    def _first_id(self, env, table):
        env.cr.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1")
        row = env.cr.fetchone()
        self.assertTrue(row, f"The demo data has a {table} row")
        return row[0]

    # ------------------------------------------------------------ jobs
    def test_critical_dispute_notification(self):
        saved = {}

        def setup(env):
            dispute = env["marketplace.dispute"].browse(
                self._first_id(env, "marketplace_dispute")
            )
            saved.update(
                critical=dispute.is_critical, notified=dispute.critical_notified
            )
            env.cr.execute(
                "UPDATE marketplace_dispute SET critical_notified = FALSE "
                "WHERE id = %s",
                [dispute.id],
            )
            return dispute.id

        self.assertClaimedOnce(
            setup,
            lambda env, rid: (
                env["marketplace.dispute"]
                .browse(rid)
                ._claim_critical_notification()
                .ids
            ),
            lambda env, rid: env.cr.execute(
                "UPDATE marketplace_dispute SET is_critical = %s, "
                "critical_notified = %s WHERE id = %s",
                [saved["critical"], saved["notified"], rid],
            ),
        )

    def test_contract_renewal_reminder(self):
        saved = {}

        def setup(env):
            contract = env["marketplace.partner.contract"].browse(
                self._first_id(env, "marketplace_partner_contract")
            )
            saved["reminded"] = contract.renewal_reminded_for
            env.cr.execute(
                "UPDATE marketplace_partner_contract SET renewal_reminded_for = NULL "
                "WHERE id = %s",
                [contract.id],
            )
            return contract.id

        self.assertClaimedOnce(
            setup,
            lambda env, rid: (
                env["marketplace.partner.contract"]
                .browse(rid)
                ._claim_renewal_reminders()
                .ids
            ),
            lambda env, rid: env.cr.execute(
                "UPDATE marketplace_partner_contract SET renewal_reminded_for = %s "
                "WHERE id = %s",
                [saved["reminded"] or None, rid],
            ),
        )

    # Back-in-stock runs on core's mechanism: tests/test_back_in_stock.py
    # checks two concurrent runs there.

    def test_one_run_of_a_job_at_a_time(self):
        """The rating requests and the SLA escalation take no row lock:
        Odoo locks a scheduled job's row while it runs, so a second run (the
        scheduler's or "Run Manually") is refused until the first ends; the
        flag each batch writes, committed with it, keeps the next run from
        doing a record again."""
        for xmlid in (
            "marketplace_crm.ir_cron_send_seller_rating_requests",
            "marketplace_crm.ir_cron_escalate_sla_breaches",
        ):
            with self._two_workers() as (env1, env2):
                cron_id = env1.ref(xmlid).id
                try:
                    running = env1["ir.cron"]._acquire_one_job(
                        env1.cr, cron_id, include_not_ready=True
                    )
                    self.assertTrue(running, "The first worker runs the job")
                    with self.assertRaises(UserError):
                        env2["ir.cron"].browse(cron_id).method_direct_trigger()
                finally:
                    env1.cr.rollback()
                    env2.cr.rollback()

    # ------------------------------------------------------------ unique keys
    def assertSkipsHeldRows(self, claim, cleanup):
        """Claims under a unique key: the second worker waits for the first
        to commit, then gets nothing, quietly."""
        results = {}
        with self._two_workers() as (env1, env2):
            try:
                with self.assertNoLogs("odoo.sql_db", "ERROR"):
                    env2.cr.execute("SELECT 1")
                    results["first"] = claim(env1)

                    def second():
                        results["second"] = claim(env2)

                    worker = threading.Thread(target=second)
                    worker.start()
                    worker.join(timeout=1)
                    self.assertTrue(worker.is_alive(), "The second waits")
                    env1.cr.commit()
                    worker.join(timeout=10)
                    self.assertFalse(worker.is_alive())
                    env2.cr.commit()
            finally:
                env1.cr.rollback()
                env2.cr.rollback()
                cleanup(env1.cr)
                env1.cr.commit()
        self.assertEqual(len(results["first"]), 1)
        self.assertEqual(results["second"], [])

    def test_seller_lifecycle_event(self):
        seller_id = self.env.ref("marketplace_crm.seller_papier_plie").id
        self.assertSkipsHeldRows(
            lambda env: (
                env["marketplace.seller.event"]
                ._claim(env["res.partner"].browse(seller_id), "coaching", "race-test")
                .ids
            ),
            lambda cr: cr.execute(
                "DELETE FROM marketplace_seller_event WHERE episode = 'race-test'"
            ),
        )

    def test_monthly_review(self):
        seller_id = self.env.ref("marketplace_crm.seller_papier_plie").id
        month = date(1999, 1, 1)
        self.assertSkipsHeldRows(
            lambda env: (
                env["marketplace.seller.review"]
                ._create_once(
                    {"seller_id": seller_id, "month": month, "sales_amount": 10.0}
                )
                .ids
            ),
            lambda cr: cr.execute(
                "DELETE FROM marketplace_seller_review WHERE month = %s", [month]
            ),
        )
