from odoo import models

from .marketplace_helpers import send_template


class ResPartner(models.Model):
    """E-mails that confirm a seller's own steps."""

    _inherit = "res.partner"

    def _marketplace_send_submission_confirmation(self):
        """Tell each seller that the shop was received for verification."""
        # sudo: sellers submit from the portal, where mail templates are not
        # readable; the e-mail goes to the seller only.
        send_template(
            self.env(su=True),
            "marketplace_crm.mail_template_seller_submission",
            self.filtered("is_seller"),
        )
