from odoo import fields, models
from odoo.exceptions import UserError

from .marketplace_helpers import send_template, staff_user
from .marketplace_params import get_param

VERIFICATION_STATES = [
    ("draft", "Draft"),
    ("pending", "Pending"),
    ("validated", "Validated"),
    ("rejected", "Rejected"),
]
# Allowed moves of the verification status (from -> to).
VERIFICATION_TRANSITIONS = {
    "draft": {"pending"},
    "pending": {"validated", "rejected", "draft"},
    "validated": {"rejected", "draft"},
    "rejected": {"pending", "draft"},
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- verification --------------------------------------------------------
    verification_state = fields.Selection(
        VERIFICATION_STATES,
        string="Verification Status",
        default="draft",
        copy=False,
        index=True,
        tracking=True,
    )
    verification_rejection_reason = fields.Text(
        "Rejection Reason", copy=False, tracking=True
    )
    verification_user_id = fields.Many2one(
        "res.users", "Decided by", copy=False, readonly=True, tracking=True
    )
    verification_date = fields.Datetime(
        "Decided on", copy=False, readonly=True, tracking=True
    )
    seller_suspended = fields.Boolean(
        "Suspended",
        copy=False,
        tracking=True,
        help="A suspended seller keeps the account but cannot sell.",
    )

    # ------------------------------------------------------------------ CRUD
    # Who may write the verification fields: res_partner_decision.
    def write(self, vals):
        if "verification_state" in vals:
            self._check_verification_transition(vals["verification_state"])
        res = super().write(vals)
        if {"verification_state", "seller_suspended"} & set(vals):
            self._unpublish_products_of_blocked_sellers()
        return res

    # ------------------------------------------------------------------ verification
    def _check_verification_transition(self, new_state):
        for partner in self:
            old = partner.verification_state or "draft"
            if old != new_state and new_state not in VERIFICATION_TRANSITIONS[old]:
                states = dict(
                    self._fields["verification_state"]._description_selection(self.env)
                )
                raise UserError(
                    self.env._(
                        "%(partner)s: the verification status cannot go from "
                        "“%(old)s” to “%(new)s”.",
                        partner=partner.display_name,
                        old=states[old],
                        new=states[new_state],
                    )
                )

    def _unpublish_products_of_blocked_sellers(self):
        """A seller who can no longer sell loses the publication of their
        listings, archived ones included."""
        blocked = self.filtered(lambda p: p.is_seller and not p._can_publish_listings())
        self.env["product.template"]._marketplace_unpublish_for_sellers(blocked)

    def _can_publish_listings(self):
        self.ensure_one()
        return self.verification_state == "validated" and not self.seller_suspended

    def action_submit_verification(self):
        """Seller (or staff on their behalf) asks the team to check the profile.
        A profile already waiting for the team is left as it is (a second
        click sends nothing more)."""
        sellers = self.filtered(lambda p: p.verification_state != "pending")
        for partner in sellers:
            if not partner.is_seller:
                raise UserError(self.env._("%s is not a seller.", partner.display_name))
            if partner.profile_completeness < 100:
                raise UserError(
                    self.env._(
                        "The profile of %(partner)s is incomplete. "
                        "Missing: %(missing)s.",
                        partner=partner.display_name,
                        missing=partner.profile_missing_items,
                    )
                )
        if sellers:
            sellers.write(
                {
                    "verification_state": "pending",
                    "verification_rejection_reason": False,
                }
            )
            sellers._notify_operations_of_submission()
            sellers._marketplace_send_submission_confirmation()
        return True

    def action_validate_seller(self):
        for partner in self:
            if partner.verification_state != "pending":
                raise UserError(
                    self.env._(
                        "Only a seller pending verification can be validated (%s).",
                        partner.display_name,
                    )
                )
            if partner.profile_completeness < 100:
                raise UserError(
                    self.env._(
                        "%(partner)s cannot be validated: the profile is incomplete "
                        "(missing: %(missing)s).",
                        partner=partner.display_name,
                        missing=partner.profile_missing_items,
                    )
                )
        self.write(
            {
                "verification_state": "validated",
                "verification_user_id": self.env.user.id,
                "verification_date": fields.Datetime.now(),
                "verification_rejection_reason": False,
            }
        )
        self._verification_activities().action_feedback(
            feedback=self.env._("Seller approved.")
        )
        self._send_verification_outcome()
        self._marketplace_publish_requested_listings()
        return True

    def _marketplace_publish_requested_listings(self):
        """Products the sellers asked to publish while waiting for validation
        go live now (each sends the publication e-mail with listing tips)."""
        # sudo: staff validate the shop; publishing its waiting listings is
        # part of the validation, whatever their rights on the website.
        products = (
            self.env["product.template"]
            .sudo()
            .search(
                [
                    ("marketplace_seller_id", "in", self.ids),
                    ("marketplace_publish_requested", "=", True),
                ]
            )
        )
        products.filtered(
            lambda product: product.marketplace_seller_id._can_publish_listings()
        ).write({"is_published": True})

    def action_reject_seller(self, reason):
        """Reject the verification; ``reason`` is required and shown to the seller."""
        if not (reason or "").strip():
            raise UserError(self.env._("A rejection needs a reason."))
        self.write(
            {
                "verification_state": "rejected",
                "verification_rejection_reason": reason.strip(),
                "verification_user_id": self.env.user.id,
                "verification_date": fields.Datetime.now(),
            }
        )
        self._verification_activities().action_feedback(
            feedback=self.env._("Seller rejected: %s", reason.strip())
        )
        self._send_verification_outcome()
        return True

    def _notify_operations_of_submission(self):
        """An activity for the operations team to check the documents."""
        user_id = get_param(self.env, "operations_user_id")
        # sudo: the configured staff user, looked up for a portal submitter.
        user = staff_user(
            self.env, self.env["res.users"].sudo().browse(user_id).exists()
        )
        for partner in self:
            # Checked by someone who may decide (res_partner_decision).
            user = partner._decision_reviewer(user)
            # sudo: the seller submits from the portal; the activity is for staff.
            partner.sudo().activity_schedule(
                "marketplace_crm.mail_activity_type_seller_verification",
                user_id=user.id,
                summary=self.env._("Check the documents of %s", partner.display_name),
                note=self.env._("The seller submitted the profile for verification."),
            )

    def _send_verification_outcome(self):
        """E-mail each seller the outcome of the verification."""
        for partner in self:
            xmlid = (
                "marketplace_crm.mail_template_seller_validated"
                if partner.verification_state == "validated"
                else "marketplace_crm.mail_template_seller_rejected"
            )
            # sudo: the e-mail goes out whoever decides.
            send_template(self.env(su=True), xmlid, partner)

    def action_open_reject_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Seller"),
            "res_model": "marketplace.seller.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    def action_reset_verification(self):
        self.write({"verification_state": "draft"})
        return True

    def action_suspend_seller(self):
        self.write({"seller_suspended": True})
        return True

    def action_reinstate_seller(self):
        self.write({"seller_suspended": False})
        return True

    def _verification_activities(self):
        """The reviewers' "check the documents" activities: they live as long
        as the verification they ask for, the decision marks them done."""
        activity_type = self.env.ref(
            "marketplace_crm.mail_activity_type_seller_verification",
            raise_if_not_found=False,
        )
        # sudo: the activity is assigned to the reviewer; whoever decides
        # (another reviewer, a manager) closes it.
        return self.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        )
