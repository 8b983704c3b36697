from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _marketplace_seller_signup_url(self):
        """The link a new seller follows to choose a password; it lands on
        the seller's "My shop" page."""
        self.ensure_one()
        # sudo: the sign-up token is made for the e-mail sent to the seller.
        partner = self.partner_id.sudo()
        return partner._get_signup_url_for_action(url="/my/seller")[partner.id]

    def _marketplace_send_seller_invitation(self):
        """Invite newly registered sellers to activate their account with the
        marketplace's own e-mail, in place of Odoo's generic portal
        invitation (which says nothing about the shop). Like Odoo's, nothing
        is sent while modules are installed or data imported."""
        if self.env.context.get("install_mode") or self.env.context.get("import_file"):
            return
        template = self.env.ref(
            "marketplace_crm.mail_template_seller_invitation", raise_if_not_found=False
        )
        if not (template and template.active):
            # Disabled by an administrator: Odoo's own invitation still goes.
            self.with_context(create_user=True).action_reset_password()
            return
        # sudo: called from the public registration; the token and the e-mail
        # are for the new seller's own account.
        users = self.sudo()
        users.partner_id.signup_prepare(signup_type="signup")
        for user in users:
            template.sudo().send_mail(user.id)
