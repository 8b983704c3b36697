from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MarketplaceCase, cron_batches_without_commit


@tagged("post_install", "-at_install")
class TestPartnerContracts(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref("marketplace_crm.helpdesk_team_partner_incidents")
        cls.team.resource_calendar_id.tz = "UTC"
        cls.incident = cls.env.ref("marketplace_crm.helpdesk_type_incident")
        cls.carrier = cls.Partner.create(
            {"name": "Swift Parcels", "is_logistics_partner": True, "is_company": True}
        )
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Contract Manager",
                "login": "mp_contract_manager",
                "group_ids": [
                    (6, 0, cls.env.ref("marketplace_crm.group_marketplace_user").ids)
                ],
            }
        )
        cls.contract = cls.env["marketplace.partner.contract"].create(
            {
                "name": "Express delivery",
                "partner_id": cls.carrier.id,
                "service": "delivery",
                "date_start": fields.Date.today() - timedelta(days=100),
                "date_end": fields.Date.today() + timedelta(days=200),
                "response_hours": 2,
                "resolution_hours": 8,
                "user_id": cls.manager.id,
                "team_id": cls.team.id,
            }
        )
        cls.Ticket = cls.env["helpdesk.ticket"]

    def _incident(self, name="Parcel lost"):
        return self.Ticket.create(
            {
                "name": name,
                "description": "x",
                "partner_id": self.carrier.id,
                "type_id": self.incident.id,
                "marketplace_contract_id": self.contract.id,
            }
        )

    def test_contract_targets_become_sla_rules(self):
        slas = self.contract.sla_ids
        self.assertEqual(
            sorted(slas.mapped("marketplace_sla_kind")), ["resolution", "response"]
        )
        self.assertEqual(
            slas.filtered(lambda s: s.marketplace_sla_kind == "response").hours, 2
        )
        self.contract.resolution_hours = 16
        self.assertEqual(
            slas.filtered(lambda s: s.marketplace_sla_kind == "resolution").hours, 16
        )
        with self.env.cr.savepoint(), self.assertRaises(ValidationError):
            self.contract.response_hours = 20

    def test_incident_gets_sla_deadline(self):
        ticket = self._incident()
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(len(ticket.ticket_sla_ids), 2)
        calendar = self.team.resource_calendar_id
        expected = calendar.plan_hours(2, ticket.create_date, compute_leaves=True)
        self.assertEqual(ticket.sla_deadline, expected.replace(tzinfo=None))
        self.assertGreaterEqual(
            ticket.sla_deadline, ticket.create_date + timedelta(hours=2)
        )

    def test_breach_detected_and_escalated_once_as_time_passes(self):
        ticket = self._incident()
        deadline = ticket.sla_deadline
        Ticket = self.Ticket
        with (
            freeze_time(deadline - timedelta(minutes=1)),
            cron_batches_without_commit(self.env),
        ):
            Ticket._cron_escalate_sla_breaches()
        self.assertFalse(ticket.sla_breached)
        with (
            freeze_time(deadline + timedelta(hours=1)),
            cron_batches_without_commit(self.env),
        ):
            Ticket._cron_escalate_sla_breaches()
            Ticket._cron_escalate_sla_breaches()
        self.assertTrue(ticket.sla_breached)
        activities = ticket.activity_ids.filtered(
            lambda a: "SLA breached" in (a.summary or "")
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.manager)

    def test_compliance_rate(self):
        late = self._incident("Late")
        on_time = self._incident("On time")
        on_time.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.assertTrue(all(s.state == "accomplished" for s in on_time.ticket_sla_ids))
        with freeze_time(late.sla_deadline + timedelta(days=3)):
            self.env.invalidate_all()
            self.assertAlmostEqual(self.carrier.sla_compliance_rate, 50.0)
            self.assertAlmostEqual(self.contract.sla_compliance_rate, 50.0)
            self.assertEqual(self.contract.ticket_count, 2)

    def test_renewal_reminder_once_per_term(self):
        Contract = self.env["marketplace.partner.contract"]
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.contract_renewal_days", 30
        )
        end = self.contract.date_end

        def reminders():
            return self.contract.activity_ids.filtered(
                lambda a: "Renew" in (a.summary or "")
            )

        with (
            freeze_time(end - timedelta(days=31)),
            cron_batches_without_commit(self.env),
        ):
            Contract._cron_send_renewal_reminders()
        self.assertFalse(reminders())
        with (
            freeze_time(end - timedelta(days=20)),
            cron_batches_without_commit(self.env),
        ):
            self.assertEqual(self.contract.state, "to_renew")
            Contract._cron_send_renewal_reminders()
            Contract._cron_send_renewal_reminders()
        self.assertEqual(len(reminders()), 1)
        self.assertEqual(reminders().user_id, self.manager)
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "marketplace.partner.contract"),
                ("res_id", "=", self.contract.id),
                ("subject", "ilike", "ends on"),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(
            self.manager.partner_id,
            mail.recipient_ids,
            mail.recipient_ids.mapped("name"),
        )
        # Renewed for a new term: a new reminder before the new end.
        reminders().action_done()
        self.contract.date_end = end + timedelta(days=365)
        with (
            freeze_time(end + timedelta(days=345)),
            cron_batches_without_commit(self.env),
        ):
            Contract._cron_send_renewal_reminders()
        self.assertEqual(len(reminders()), 1)

    def test_contract_dates_checked(self):
        with self.env.cr.savepoint(), self.assertRaises(IntegrityError):
            self.contract.date_end = self.contract.date_start - timedelta(days=1)
            self.env.flush_all()
