from odoo import models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def send_mail(
        self,
        res_id,
        force_send=False,
        raise_exception=False,
        email_values=None,
        email_layout_xmlid=False,
    ):
        """A seller who activates the account of the marketplace invitation
        already got the marketplace's welcome: Odoo's generic "Welcome to
        <company>!", sent by the sign-up page once the password is chosen,
        is not sent to them on top of it (returns False)."""
        if self.model == "res.users" and self._marketplace_is_account_created():
            # sudo: whether this user came through the marketplace invitation.
            user = self.env["res.users"].sudo().browse(res_id)
            if user.exists() and user.marketplace_invitation_date:
                return False
        return super().send_mail(
            res_id,
            force_send=force_send,
            raise_exception=raise_exception,
            email_values=email_values,
            email_layout_xmlid=email_layout_xmlid,
        )

    def _marketplace_is_account_created(self):
        account_created = self.env.ref(
            "auth_signup.mail_template_user_signup_account_created",
            raise_if_not_found=False,
        )
        return bool(account_created) and self == account_created
