"""Where a new seller's invitation stands, for the team: the one e-mail with
the link to choose a password. Without it the seller cannot log in, so its
state (waiting in the queue, sent, failed and why, account activated) shows
on the seller and on the onboarding card, with *Resend invitation*, and a
warning says when mail is not going out at all."""

from datetime import timedelta

from odoo import api, fields, models

from .marketplace_access import check_group

INVITATION_STATES = [
    ("none", "Not invited"),
    ("queued", "Waiting to be sent"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("active", "Account activated"),
]
# mail.mail states, as the invitation's.
_MAIL_STATES = {
    "outgoing": "queued",
    "sent": "sent",
    "received": "sent",
    "exception": "failed",
    "cancel": "failed",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    marketplace_invitation_state = fields.Selection(
        INVITATION_STATES,
        "Invitation",
        compute="_compute_marketplace_invitation",
        help="The e-mail with the link to choose a password: the seller cannot "
        "log in before following it.",
    )
    marketplace_invitation_error = fields.Char(
        "Invitation Problem", compute="_compute_marketplace_invitation"
    )
    marketplace_mail_warning = fields.Char(
        compute="_compute_marketplace_invitation",
        help="Set when e-mails are not going out: no outgoing mail server, or "
        "e-mails failing.",
    )

    @api.depends("user_ids.login_date", "user_ids.marketplace_invitation_mail_id")
    def _compute_marketplace_invitation(self):
        warning = self.env["res.users"]._marketplace_mail_warning()
        for partner in self:
            # sudo: the team reads the state of the seller's own account and
            # of the one e-mail sent to it.
            user = partner.sudo().with_context(active_test=False).user_ids[:1]
            state, error = "none", False
            if user.login_date:
                state = "active"
            elif user.marketplace_invitation_mail_id:
                mail = user.marketplace_invitation_mail_id
                state = _MAIL_STATES.get(mail.state, "queued")
                error = state == "failed" and (mail.failure_reason or mail.state)
            elif user.marketplace_invitation_date:
                # Sent, then deleted by the mail queue (auto-delete).
                state = "sent"
            partner.marketplace_invitation_state = state
            partner.marketplace_invitation_error = error
            partner.marketplace_mail_warning = (
                warning if state in ("queued", "failed") else False
            )

    def action_marketplace_resend_invitation(self):
        """Send the invitation again to the sellers who have not activated
        their account (the link stays valid until they do)."""
        check_group(self.env, "marketplace_crm.group_marketplace_user")
        users = self.sudo().user_ids.filtered(lambda u: not u.login_date)
        # sudo: the team re-sends the seller's own invitation; nothing else.
        users._marketplace_send_seller_invitation()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info" if users else "warning",
                "message": self.env._("The invitation is queued again.")
                if users
                else self.env._("This seller has already activated their account."),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }


class ResUsers(models.Model):
    _inherit = "res.users"

    marketplace_invitation_mail_id = fields.Many2one(
        "mail.mail", readonly=True, ondelete="set null", copy=False
    )
    marketplace_invitation_date = fields.Datetime(readonly=True, copy=False)

    @api.model
    def _marketplace_mail_warning(self):
        """Why e-mails are not going out, or False: no outgoing mail server
        configured, or e-mails failed in the last day."""
        # sudo: a count of servers and of failed e-mails, no content.
        if not self.env["ir.mail_server"].sudo().search_count([], limit=1):
            return self.env._(
                "No outgoing mail server is configured: invitations and other "
                "e-mails wait in the queue. Add one in Settings → Technical → "
                "Outgoing Mail Servers."
            )
        failed = (
            self.env["mail.mail"]
            .sudo()
            .search_count(
                [
                    ("state", "=", "exception"),
                    ("write_date", ">=", fields.Datetime.now() - timedelta(days=1)),
                ],
                limit=1,
            )
        )
        if failed:
            return self.env._(
                "E-mails are failing: check the outgoing mail server in "
                "Settings → Technical → Outgoing Mail Servers, then resend."
            )
        return False

    def _notify_security_setting_update(
        self, subject, content, mail_values=None, **kwargs
    ):
        """Choosing the first password from the marketplace invitation is the
        account's activation, not a change to warn the seller about: Odoo's
        "password changed" e-mail goes only for later changes."""
        activating = self.filtered(
            lambda u: u.marketplace_invitation_date and not u.login_date
        )
        return super(ResUsers, self - activating)._notify_security_setting_update(
            subject, content, mail_values=mail_values, **kwargs
        )
