from odoo import api, fields, models

# Onboarding steps, in order, with the stage that stands for each.
ONBOARDING_STAGES = [
    ("registration", "marketplace_crm.crm_stage_onboarding_registration"),
    ("profile", "marketplace_crm.crm_stage_onboarding_profile"),
    ("documents", "marketplace_crm.crm_stage_onboarding_documents"),
    ("activation", "marketplace_crm.crm_stage_onboarding_activation"),
    ("active", "marketplace_crm.crm_stage_onboarding_active"),
]


class CrmLead(models.Model):
    """Seller onboarding opportunities: one per registered seller, in the
    "Seller onboarding" pipeline, moved forward by the seller's progress."""

    _inherit = "crm.lead"

    marketplace_seller_id = fields.Many2one(
        "res.partner",
        "Onboarding Seller",
        index="btree_not_null",
        ondelete="cascade",
        domain=[("is_seller", "=", True)],
        check_company=True,
    )
    marketplace_onboarding_missing = fields.Char(
        "Missing", related="marketplace_seller_id.profile_missing_items"
    )
    marketplace_verification_state = fields.Selection(
        related="marketplace_seller_id.verification_state", string="Verification"
    )

    @api.model
    def _onboarding_stage(self, step):
        return self.env.ref(dict(ONBOARDING_STAGES)[step], raise_if_not_found=False)

    def _move_forward_to(self, step):
        """Move to ``step`` unless already there or further (staff may have
        moved the card ahead by hand; the automation never moves it back)."""
        stage = self._onboarding_stage(step)
        if not stage:
            return
        for lead in self:
            if lead.stage_id.sequence < stage.sequence or not lead.stage_id:
                # sudo: the seller's own actions in the portal move their card.
                lead.sudo().stage_id = stage
