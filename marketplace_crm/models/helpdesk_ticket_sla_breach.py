"""SLA follow-up of the marketplace tickets: the share of SLA targets met,
for the reports, and the escalation of breached SLAs to the manager."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain

from .marketplace_batches import JobRun
from .marketplace_helpers import staff_user


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sla_breached = fields.Boolean(
        "SLA Breached", readonly=True, copy=False, index=True, tracking=True
    )
    sla_breach_date = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------ SLA compliance
    @api.model
    def _sla_compliance_rates(self, fname, records):
        """Share (in %) of the SLA targets met on time among the decided ones
        (met, or deadline passed), for the tickets whose ``fname`` is one of
        ``records``: ``{record id: rate}``, records without SLA left out."""
        if not records:
            return {}
        now = fields.Datetime.now()
        # sudo: every SLA target of these records' tickets counts, whoever
        # reads the rate; only counts leave this method.
        groups = (
            self.env["helpdesk.ticket.sla"]
            .sudo()
            ._read_group(
                Domain(f"ticket_id.{fname}", "in", records.ids)
                & (
                    Domain("state", "in", ["accomplished", "expired"])
                    | (
                        Domain("state", "=", "in_progress")
                        & Domain("deadline", "<", now)
                    )
                ),
                [f"ticket_id.{fname}", "state"],
                ["__count"],
            )
        )
        met, decided = defaultdict(int), defaultdict(int)
        for record, state, count in groups:
            decided[record.id] += count
            if state == "accomplished":
                met[record.id] += count
        return {rid: 100.0 * met[rid] / total for rid, total in decided.items()}

    # ------------------------------------------------------------ SLA breaches
    def _cron_escalate_sla_breaches(self, batch_size=100):
        """Flag the tickets whose SLA deadline has passed and give their
        manager an activity, once per ticket."""
        tickets = self.search(
            [("sla_expired", "=", True), ("sla_breached", "=", False)], order="id"
        )
        with JobRun(self, "sla_breaches") as job:
            job.run("_job_escalate_sla_breaches", tickets, batch_size=batch_size)

    @api.model
    def _job_escalate_sla_breaches(self, tickets):
        """Escalate a batch of tickets not escalated yet. No row lock: Odoo
        runs one instance of a scheduled job at a time (the job's row stays
        locked while it runs, "Run Manually" included), another process
        calling the job's method at the same moment stops at the step's
        resume point (``run_in_batches``), the flag is written in the
        batch's transaction, and a run stopped by its time budget goes on
        after the last batch it committed."""
        tickets.filtered(lambda t: not t.sla_breached)._escalate_sla_breach()

    def _escalate_sla_breach(self):
        self.write({"sla_breached": True, "sla_breach_date": fields.Datetime.now()})
        for ticket in self:
            manager = staff_user(
                self.env, ticket.marketplace_contract_id.user_id, ticket.team_id.user_id
            )
            deadline = min(
                ticket.ticket_sla_ids.filtered("expired").mapped("deadline"),
                default=False,
            )
            # In the manager's language, whatever the job's.
            manager_env = self.with_context(lang=manager.lang or self.env.lang).env
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=manager_env._("SLA breached: %s", ticket.number),
                note=manager_env._(
                    "The SLA deadline of ticket %(ticket)s passed on %(deadline)s.",
                    ticket=ticket.display_name,
                    deadline=deadline and fields.Datetime.to_string(deadline),
                ),
            )
