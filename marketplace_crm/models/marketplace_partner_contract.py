from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .marketplace_batches import JobRun
from .marketplace_claim import claim_ids
from .marketplace_helpers import post_template, staff_user
from .marketplace_params import get_param


class MarketplacePartnerContract(models.Model):
    """A service contract with a logistics or technical partner. Its SLA
    targets become two helpdesk_mgmt_sla rules (first response, resolution)
    applied to the incident tickets linked to the contract."""

    _name = "marketplace.partner.contract"
    _description = "Marketplace Partner Contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_end, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        domain="['|', ('is_logistics_partner', '=', True), "
        "('is_technical_partner', '=', True)]",
        check_company=True,
    )
    service = fields.Selection(
        [
            ("delivery", "Delivery"),
            ("integration", "Integration"),
            ("maintenance", "Maintenance"),
            ("other", "Other"),
        ],
        required=True,
        default="delivery",
        tracking=True,
    )
    date_start = fields.Date("Start Date", required=True, default=fields.Date.today)
    date_end = fields.Date("End Date", required=True, tracking=True, index=True)
    response_hours = fields.Integer(
        "First Response Target (working hours)", default=4, tracking=True
    )
    resolution_hours = fields.Integer(
        "Resolution Target (working hours)", default=24, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        "Contract Manager",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        "Incident Team",
        default=lambda self: self._default_team_id(),
        check_company=True,
    )
    document_ids = fields.Many2many(
        "ir.attachment", string="Documents", help="Signed contract, annexes."
    )
    notes = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    sla_ids = fields.One2many("helpdesk.sla", "marketplace_contract_id", "SLAs")
    ticket_ids = fields.One2many("helpdesk.ticket", "marketplace_contract_id")
    ticket_count = fields.Integer(compute="_compute_ticket_stats")
    sla_compliance_rate = fields.Float(
        "SLA Compliance (%)", compute="_compute_ticket_stats"
    )
    renewal_reminded_for = fields.Date(
        readonly=True,
        copy=False,
        help="End date whose renewal reminder was sent: a new term gets a new one.",
    )
    state = fields.Selection(
        [
            ("future", "Not Started"),
            ("running", "Running"),
            ("to_renew", "To Renew"),
            ("expired", "Expired"),
        ],
        compute="_compute_state",
    )

    _check_dates = models.Constraint(
        "CHECK(date_end >= date_start)",
        "A contract cannot end before it starts.",
    )
    _check_targets = models.Constraint(
        "CHECK(response_hours >= 0 AND resolution_hours >= 0)",
        "SLA targets cannot be negative.",
    )

    @api.model
    def _default_team_id(self):
        """The partner incidents team, when it serves the current company."""
        team = self.env.ref(
            "marketplace_crm.helpdesk_team_partner_incidents", raise_if_not_found=False
        )
        if team and team.company_id and team.company_id != self.env.company:
            return team.browse()
        return team

    @api.depends("date_start", "date_end")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=get_param(self.env, "contract_renewal_days"))
        for contract in self:
            if contract.date_start and contract.date_start > today:
                contract.state = "future"
            elif contract.date_end and contract.date_end < today:
                contract.state = "expired"
            elif contract.date_end and contract.date_end <= horizon:
                contract.state = "to_renew"
            else:
                contract.state = "running"

    def _compute_ticket_stats(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("marketplace_contract_id", "in", self.ids)],
                ["marketplace_contract_id"],
                ["__count"],
            )
        )
        rates = self.env["helpdesk.ticket"]._sla_compliance_rates(
            "marketplace_contract_id", self
        )
        for contract in self:
            contract.ticket_count = counts.get(contract, 0)
            contract.sla_compliance_rate = rates.get(contract.id, 100.0)

    @api.constrains("response_hours", "resolution_hours")
    def _check_response_before_resolution(self):
        for contract in self:
            if (
                contract.resolution_hours
                and contract.response_hours > contract.resolution_hours
            ):
                raise ValidationError(
                    self.env._(
                        "The first response target of %s cannot exceed its "
                        "resolution target.",
                        contract.name,
                    )
                )

    # ------------------------------------------------------------ SLA rules
    @api.model_create_multi
    def create(self, vals_list):
        contracts = super().create(vals_list)
        contracts._sync_sla()
        return contracts

    def write(self, vals):
        res = super().write(vals)
        if {"response_hours", "resolution_hours", "team_id", "name", "active"} & set(
            vals
        ):
            self._sync_sla()
        return res

    def _sync_sla(self):
        """Keep one first-response and one resolution SLA rule per contract."""
        stages = {
            "response": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress"),
            "resolution": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done"),
        }
        cancelled = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        # sudo: SLA rules are helpdesk configuration; they follow the contract
        # whoever edits it.
        Sla = self.env["helpdesk.sla"].sudo().with_context(active_test=False)
        for contract in self:
            for kind, hours in (
                ("response", contract.response_hours),
                ("resolution", contract.resolution_hours),
            ):
                sla = Sla.search(
                    [
                        ("marketplace_contract_id", "=", contract.id),
                        ("marketplace_sla_kind", "=", kind),
                    ],
                    limit=1,
                )
                vals = {
                    "name": self.env._(
                        "%(contract)s: first response", contract=contract.name
                    )
                    if kind == "response"
                    else self.env._("%(contract)s: resolution", contract=contract.name),
                    "marketplace_contract_id": contract.id,
                    "marketplace_sla_kind": kind,
                    "team_ids": [(6, 0, contract.team_id.ids)],
                    "stage_id": stages[kind].id,
                    "ignore_stage_ids": [(6, 0, cancelled.ids)],
                    "days": 0,
                    "hours": hours,
                    "domain": repr([("marketplace_contract_id", "=", contract.id)]),
                    "active": contract.active and hours > 0,
                    "company_id": contract.company_id.id,
                }
                if sla:
                    sla.write(vals)
                else:
                    Sla.create(vals)

    # ------------------------------------------------------------ renewal
    def _cron_send_renewal_reminders(self, batch_size=100):
        """Remind each contract manager of a contract ending within the
        configured number of days, once per contract term."""
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=get_param(self.env, "contract_renewal_days"))
        template = self.env.ref(
            "marketplace_crm.mail_template_contract_renewal", raise_if_not_found=False
        )
        contracts = self.search(
            [("date_end", ">=", today), ("date_end", "<=", horizon)], order="id"
        ).filtered(lambda c: c.renewal_reminded_for != c.date_end)
        with JobRun(self, "contract_renewals") as job:
            job.run(
                "_job_send_renewal_reminders",
                contracts,
                template,
                batch_size=batch_size,
            )

    @api.model
    def _job_send_renewal_reminders(self, contracts, template):
        for contract in contracts._claim_renewal_reminders():
            contract._send_renewal_reminder(template)

    def _claim_renewal_reminders(self):
        """Mark these contracts as reminded for their current term and return
        those this transaction claimed: a concurrent run claims none twice."""
        self.flush_recordset(["renewal_reminded_for", "date_end"])
        claimed = self.browse(
            claim_ids(
                self.env,
                SQL(
                    """
                    UPDATE marketplace_partner_contract
                       SET renewal_reminded_for = date_end
                     WHERE id IN (SELECT id FROM marketplace_partner_contract
                                   WHERE id = ANY(%s)
                                     AND renewal_reminded_for
                                         IS DISTINCT FROM date_end
                                     FOR UPDATE SKIP LOCKED)
                 RETURNING id
                    """,
                    self.ids,
                ),
            )
        )
        claimed.invalidate_recordset(["renewal_reminded_for"])
        return claimed

    def _send_renewal_reminder(self, template):
        self.ensure_one()
        manager = staff_user(self.env, self.user_id)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.date_end,
            user_id=manager.id,
            # In the manager's language, whatever the job's.
            summary=self.with_context(lang=manager.lang or self.env.lang).env._(
                "Renew the contract %s", self.name
            ),
        )
        if template and template.active:
            post_template(template, self)
