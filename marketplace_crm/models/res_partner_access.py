from odoo import models

from .marketplace_access import VERIFIER, check_group


class ResPartner(models.Model):
    """The verification and suspension buttons of a seller change what the
    seller may sell: only the seller verification team may press them,
    whatever the caller's rights on contacts (they are callable over RPC by
    any user). Marketplace users prepare a profile and submit it; sellers
    submit their own through the portal, which calls
    ``action_submit_verification`` as superuser after its own checks."""

    _inherit = "res.partner"

    def action_submit_verification(self):
        check_group(self.env)
        return super().action_submit_verification()

    def action_validate_seller(self):
        check_group(self.env, VERIFIER)
        return super().action_validate_seller()

    def action_reject_seller(self, reason):
        check_group(self.env, VERIFIER)
        return super().action_reject_seller(reason)

    def action_reset_verification(self):
        check_group(self.env, VERIFIER)
        return super().action_reset_verification()

    def action_suspend_seller(self):
        check_group(self.env, VERIFIER)
        return super().action_suspend_seller()

    def action_reinstate_seller(self):
        check_group(self.env, VERIFIER)
        return super().action_reinstate_seller()

    def action_open_reject_wizard(self):
        check_group(self.env, VERIFIER)
        return super().action_open_reject_wizard()
