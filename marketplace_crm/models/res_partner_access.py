from odoo import models

from .marketplace_access import MARKETPLACE_MANAGER, check_group


class ResPartner(models.Model):
    """The verification and suspension buttons of a seller change what the
    seller may sell: only the marketplace team may press them, whatever the
    caller's rights on contacts (they are callable over RPC by any user).
    Sellers submit their own profile through the portal, which calls
    ``action_submit_verification`` as superuser after its own checks."""

    _inherit = "res.partner"

    def action_submit_verification(self):
        check_group(self.env)
        return super().action_submit_verification()

    def action_validate_seller(self):
        check_group(self.env)
        return super().action_validate_seller()

    def action_reject_seller(self, reason):
        check_group(self.env)
        return super().action_reject_seller(reason)

    def action_reset_verification(self):
        # Managers only, as its button: it reopens a decided verification.
        check_group(self.env, MARKETPLACE_MANAGER)
        return super().action_reset_verification()

    def action_suspend_seller(self):
        check_group(self.env)
        return super().action_suspend_seller()

    def action_reinstate_seller(self):
        check_group(self.env)
        return super().action_reinstate_seller()
