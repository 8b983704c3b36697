from odoo import api, fields, models
from odoo.fields import Domain

from .marketplace_access import check_group

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
    marketplace_invitation_state = fields.Selection(
        related="marketplace_seller_id.marketplace_invitation_state"
    )
    marketplace_invitation_error = fields.Char(
        related="marketplace_seller_id.marketplace_invitation_error"
    )
    marketplace_mail_warning = fields.Char(
        related="marketplace_seller_id.marketplace_mail_warning"
    )

    def action_marketplace_resend_invitation(self):
        """Resend the invitation of the onboarding cards' sellers."""
        check_group(self.env, "marketplace_crm.group_marketplace_user")
        return self.marketplace_seller_id.action_marketplace_resend_invitation()

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """The onboarding pipeline shows its own stages only: CRM's shared
        stages (New, Qualified...) have no team and would come first,
        although an onboarding card never goes there. Whichever way the
        pipeline is opened (Marketplace menu or the team in CRM), the team
        comes in the context as the default team."""
        team = self.env.ref(
            "marketplace_crm.crm_team_seller_onboarding", raise_if_not_found=False
        )
        if not team or self.env.context.get("default_team_id") != team.id:
            return super()._read_group_stage_ids(stages, domain)
        # sudo: the stages are configuration; the columns of the pipeline are
        # the same for every user who may read its cards.
        stage_ids = stages.sudo()._search(
            Domain("id", "in", stages.ids) | Domain("team_ids", "in", team.ids),
            order=stages._order,
        )
        return stages.browse(stage_ids)

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

    # ------------------------------------------------------------ rejection
    @api.model
    def _marketplace_rejected_reason(self):
        return self.env.ref(
            "marketplace_crm.crm_lost_reason_seller_rejected", raise_if_not_found=False
        )

    def _marketplace_set_rejected(self):
        """The seller was rejected: the open onboarding opportunity is lost,
        with the "Seller rejected" lost reason and the reason the seller
        was given in its chatter (an internal note).
        An opportunity already closed is left as it is."""
        reason = self._marketplace_rejected_reason()
        for lead in self.filtered(lambda lead: lead.active):
            rejection = lead.marketplace_seller_id.verification_rejection_reason or ""
            lead.action_set_lost(lost_reason_id=reason.id if reason else False)
            lead.message_post(
                body=self.env._("Seller rejected: %s", rejection.strip() or "-"),
                subtype_xmlid="mail.mt_note",
            )

    def _marketplace_reopen_rejected(self):
        """The seller starts again after a rejection (reset to draft,
        submitted again): the opportunity lost for that rejection is
        restored, as CRM's *Restore* does. Opportunities lost or archived
        for another reason, by hand, stay closed."""
        reason = self._marketplace_rejected_reason()
        lost = self.filtered(
            lambda lead: not lead.active and reason and lead.lost_reason_id == reason
        )
        if lost:
            lost.action_restore()
