from odoo import fields, models


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
            mail_id = template.sudo().send_mail(user.id)
            # Kept to show the team where the invitation stands.
            user.write(
                {
                    "marketplace_invitation_mail_id": mail_id,
                    "marketplace_invitation_date": fields.Datetime.now(),
                }
            )

    def write(self, vals):
        """Archiving a user revokes their API keys (the marketplace
        integrations' and their own): reactivating the account later must
        not bring a forgotten key back to life."""
        archived = (
            self.filtered("active")
            if "active" in vals and not vals["active"]
            else self.browse()
        )
        result = super().write(vals)
        if archived:
            archived._marketplace_revoke_api_keys()
        return result

    def _marketplace_revoke_api_keys(self):
        """Delete every API key of these users and clear the key of their
        marketplace integrations (which then need a new one)."""
        # sudo: whoever archives the user (an administrator, the
        # anonymisation) revokes keys that are not theirs.
        self.env["res.users.apikeys"].sudo().search(
            [("user_id", "in", self.ids)]
        ).unlink()
        clients = (
            self.env["marketplace.api.client"]
            .sudo()
            .with_context(active_test=False)
            .search([("user_id", "in", self.ids), ("apikey_id", "!=", 0)])
        )
        clients.write({"apikey_id": 0, "key_prefix": False, "key_date": False})
        self.env.registry.clear_cache()
