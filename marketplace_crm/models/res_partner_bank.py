from odoo import api, models


class ResPartnerBank(models.Model):
    """A seller's payout account is part of the profile: adding or removing
    one moves the seller's onboarding, whoever does it."""

    _inherit = "res.partner.bank"

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        accounts.partner_id.filtered("is_seller")._marketplace_onboarding_sync()
        return accounts

    def write(self, vals):
        sellers = self.partner_id
        res = super().write(vals)
        (sellers | self.partner_id).filtered("is_seller")._marketplace_onboarding_sync()
        return res

    def unlink(self):
        sellers = self.partner_id.filtered("is_seller")
        res = super().unlink()
        sellers._marketplace_onboarding_sync()
        return res
