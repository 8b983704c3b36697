from odoo import models


class ResPartner(models.Model):
    """The reviewer's "check the documents" activity of a seller lives as
    long as the verification it asks for: it has its own activity type, so
    that the decision (approval or rejection) marks it done."""

    _inherit = "res.partner"

    def _verification_activity_type(self):
        return self.env.ref(
            "marketplace_crm.mail_activity_type_seller_verification",
            raise_if_not_found=False,
        )

    def _verification_activities(self):
        activity_type = self._verification_activity_type()
        if not activity_type:
            return self.env["mail.activity"]
        # sudo: the activity is assigned to the reviewer; whoever decides
        # (another reviewer, a manager) closes it.
        return self.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        )

    def _notify_operations_of_submission(self):
        # sudo: the seller submits from the portal; only the activities the
        # submission creates are read and retyped.
        before = self.sudo().activity_ids
        res = super()._notify_operations_of_submission()
        activity_type = self._verification_activity_type()
        if activity_type:
            (self.sudo().activity_ids - before).activity_type_id = activity_type
        return res

    def action_validate_seller(self):
        res = super().action_validate_seller()
        self._verification_activities().action_feedback(
            feedback=self.env._("Seller approved.")
        )
        return res

    def action_reject_seller(self, reason):
        res = super().action_reject_seller(reason)
        self._verification_activities().action_feedback(
            feedback=self.env._("Seller rejected: %s", reason.strip())
        )
        return res
