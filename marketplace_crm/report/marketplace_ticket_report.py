from odoo import fields, models
from odoo.tools import SQL


class MarketplaceTicketReport(models.Model):
    """Support tickets with their resolution time (closing date minus
    creation date, in calendar and in working hours, as stored on the ticket),
    by team, type, category and month. Open tickets have no resolution time,
    so averages cover closed tickets only (and only those with a closing
    date: a ticket created directly in a closed stage has no resolution
    time, rather than a false 0)."""

    _name = "marketplace.ticket.report"
    _description = "Marketplace Ticket Resolution"
    _auto = False
    _rec_name = "ticket_id"
    _order = "create_date desc"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    create_date = fields.Datetime("Opened on", readonly=True)
    closed_date = fields.Datetime("Closed on", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    category_id = fields.Many2one("helpdesk.ticket.category", readonly=True)
    type_id = fields.Many2one("helpdesk.ticket.type", "Issue Type", readonly=True)
    marketplace_kind = fields.Selection(
        lambda self: (
            self.env["helpdesk.ticket.type"]._fields["marketplace_kind"].selection
        ),
        "Issue Kind",
        readonly=True,
    )
    user_id = fields.Many2one("res.users", "Agent", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    priority = fields.Selection(
        lambda self: self.env["helpdesk.ticket"]._fields["priority"].selection,
        readonly=True,
    )
    is_closed = fields.Boolean("Closed", readonly=True)
    resolution_hours = fields.Float(
        "Resolution Time (hours)", readonly=True, aggregator="avg"
    )
    resolution_working_hours = fields.Float(
        "Resolution Time (working hours)", readonly=True, aggregator="avg"
    )
    sla_breached = fields.Boolean("SLA Breached", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id,
           t.id AS ticket_id,
           t.create_date AS create_date,
           t.closed_date AS closed_date,
           t.team_id AS team_id,
           t.category_id AS category_id,
           t.user_id AS user_id,
           t.commercial_partner_id AS partner_id,
           t.priority AS priority,
           t.type_id AS type_id,
           t.marketplace_kind AS marketplace_kind,
           COALESCE(stage.closed, FALSE) AS is_closed,
           CASE WHEN stage.closed AND t.closed_date IS NOT NULL
                THEN t.resolution_hours END AS resolution_hours,
           CASE WHEN stage.closed AND t.closed_date IS NOT NULL
                THEN t.resolution_working_hours END AS resolution_working_hours,
           COALESCE(t.sla_breached, FALSE) AS sla_breached,
           t.company_id AS company_id
              FROM helpdesk_ticket t
         LEFT JOIN helpdesk_ticket_stage stage ON stage.id = t.stage_id
             WHERE t.active
            """
        )
