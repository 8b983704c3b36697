from odoo import models


class ResPartner(models.Model):
    """E-mails that confirm a seller's own steps."""

    _inherit = "res.partner"

    def _marketplace_send_submission_confirmation(self):
        """Tell each seller that the shop was received for verification."""
        template = self.env.ref(
            "marketplace_crm.mail_template_seller_submission", raise_if_not_found=False
        )
        if not (template and template.active):
            return
        for partner in self.filtered("is_seller"):
            # sudo: sellers submit from the portal, where mail templates are
            # not readable; the e-mail goes to the seller only.
            template.sudo().send_mail(
                partner.id, email_layout_xmlid="mail.mail_notification_light"
            )
