from odoo import api, fields, models
from odoo.fields import Domain


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    assignment_method = fields.Selection(
        [
            ("manual", "Manual"),
            ("balanced", "Balanced by open tickets"),
            ("round_robin", "Round robin"),
        ],
        default="balanced",
        required=True,
        help="How a new ticket of this team finds its agent: the member with the "
        "fewest open tickets, each member in turn, or nobody (manual).",
    )
    last_assigned_user_id = fields.Many2one(
        "res.users", readonly=True, copy=False, help="Last agent given a ticket."
    )

    def _get_assignable_users(self):
        self.ensure_one()
        return self.user_ids.filtered(lambda u: u.active and not u.share).sorted("id")

    def _pick_assignee(self):
        """The agent who gets the next ticket of this team, or an empty
        recordset for manual assignment or a team without members.

        The team row is locked until the end of the transaction so that two
        tickets created at once do not both go to the same agent."""
        self.ensure_one()
        users = self._get_assignable_users()
        if self.assignment_method == "manual" or not users:
            return self.env["res.users"]
        self.env.cr.execute(
            "SELECT id FROM helpdesk_ticket_team WHERE id = %s FOR UPDATE", [self.id]
        )
        if self.assignment_method == "round_robin":
            self.invalidate_recordset(["last_assigned_user_id"])
            after = users.filtered(lambda u: u.id > self.last_assigned_user_id.id)
            user = after[:1] or users[:1]
        else:
            user = self._least_loaded(users)
        # sudo: agents creating tickets may not write on the team configuration.
        self.sudo().last_assigned_user_id = user
        return user

    def _least_loaded(self, users):
        """The user with the fewest open tickets in this team (lowest id on ties)."""
        load = dict(
            self.env["helpdesk.ticket"]
            .sudo()  # sudo: count every open ticket, whoever may read them
            ._read_group(
                Domain("team_id", "=", self.id)
                & Domain("user_id", "in", users.ids)
                & Domain("stage_id.closed", "=", False),
                ["user_id"],
                ["__count"],
            )
        )
        return min(users, key=lambda u: (load.get(u, 0), u.id))

    @api.model
    def _marketplace_default_team(self):
        return self.env.ref(
            "marketplace_crm.helpdesk_team_marketplace", raise_if_not_found=False
        ) or self.search([], limit=1)

    def _marketplace_staff_recipients(self, users=None):
        """Partners of the internal users told about a staff alert on this
        team: its agents, its internal followers and ``users``. Portal
        followers are left out: staff alerts are internal notes."""
        self.ensure_one()
        partners = (
            self.user_ids | (users or self.env["res.users"])
        ).partner_id | self.message_partner_ids
        return partners.filtered(
            lambda partner: any(not user.share for user in partner.user_ids)
        )
