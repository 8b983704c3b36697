"""Who decides on a seller, and the record of who decided.

The decisions on a seller (verification, suspension and reinstatement,
exemption from the quality rules, and the state the quality programme keeps
for them) are the *Seller verification* role's: their methods check the
role (``res_partner_access``) and their fields are written only by that role
or by the system, whatever the path: form, import (``load``), RPC ``write``
or ``create``. The one move a marketplace user makes on these fields is the
submission of a profile for verification (to *pending*).

Each decision records who took it and when, on the seller (tracked):
verification (``verification_user_id``, ``verification_date``), suspension
and reinstatement (``suspension_user_id``, ``suspension_date``), exemption
(``quality_exempt_user_id``, ``quality_exempt_date``). A decision of the
quality programme's daily job is recorded as taken by the system user.
"""

from odoo import api, fields, models

from .marketplace_access import (
    VERIFIER,
    check_decision_fields,
    check_group,
    decided_fields,
)
from .marketplace_params import get_param
from .marketplace_quality_params import quality_param

# The fields holding a decision on a seller (or the state the quality
# programme keeps for one): written only by the seller verification team.
SELLER_DECISION_FIELDS = frozenset(
    {
        "verification_state",
        "verification_rejection_reason",
        "verification_user_id",
        "verification_date",
        "seller_suspended",
        "suspension_user_id",
        "suspension_date",
        "quality_suspended",
        "quality_suspension_reason",
        "quality_grace_until",
        "quality_withheld_product_ids",
        "quality_exempt_until",
        "quality_exempt_reason",
        "quality_exempt_user_id",
        "quality_exempt_date",
        "kyc_reverification_required",
    }
)
# Verification states anyone who may edit the seller may set: a new seller
# (draft) and the submission of the profile (pending).
NOT_DECIDED = ("draft", "pending")
# (fields whose change is a decision, who decided, when)
DECISION_RECORDS = (
    (("verification_state",), "verification_user_id", "verification_date"),
    (("seller_suspended",), "suspension_user_id", "suspension_date"),
    (
        ("quality_exempt_until", "quality_exempt_reason"),
        "quality_exempt_user_id",
        "quality_exempt_date",
    ),
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    suspension_user_id = fields.Many2one(
        "res.users",
        "Suspension Decided by",
        copy=False,
        readonly=True,
        tracking=True,
        help="Who last suspended or reinstated the seller (the system user "
        "for the quality programme's daily job).",
    )
    suspension_date = fields.Datetime(
        "Suspension Decided on", copy=False, readonly=True, tracking=True
    )
    quality_exempt_user_id = fields.Many2one(
        "res.users",
        "Exemption Decided by",
        copy=False,
        readonly=True,
        tracking=True,
        help="Who last granted, changed or ended the exemption from the quality rules.",
    )
    quality_exempt_date = fields.Datetime(
        "Exemption Decided on", copy=False, readonly=True, tracking=True
    )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        check_decision_fields(
            self,
            decided_fields(
                vals_list, SELLER_DECISION_FIELDS, {"verification_state": NOT_DECIDED}
            ),
        )
        for vals in vals_list:
            self._add_decision_records(vals)
        return super().create(vals_list)

    def write(self, vals):
        check_decision_fields(self, self._decision_fields_written(vals))
        before = self._decision_values(vals)
        res = super().write(vals)
        self._record_deciders(vals, before)
        return res

    # ------------------------------------------------------------------ guard
    @api.model
    def _decision_fields_written(self, vals):
        """The decision fields in ``vals``, but the submission of a profile
        (to pending, clearing the previous rejection reason)."""
        fnames = SELLER_DECISION_FIELDS & set(vals)
        if vals.get("verification_state") == "pending":
            fnames -= {"verification_state"}
            if not vals.get("verification_rejection_reason"):
                fnames -= {"verification_rejection_reason"}
        return fnames

    # ------------------------------------------------------------------ records
    def _decision_values(self, vals):
        """The current values of the decisions ``vals`` may change, to record
        who decided on the sellers whose values change."""
        return {
            triggers: {partner.id: partner._decision_key(triggers) for partner in self}
            for triggers, user_field, __ in DECISION_RECORDS
            if user_field not in vals and set(triggers) & set(vals)
        }

    def _decision_key(self, triggers):
        return tuple(self[fname] for fname in triggers)

    def _record_deciders(self, vals, before):
        now = fields.Datetime.now()
        for triggers, user_field, date_field in DECISION_RECORDS:
            if triggers not in before:
                continue
            decided = self.filtered(
                lambda p, t=triggers: (
                    p._decision_key(t) != before[t][p.id]
                    and not (
                        t == ("verification_state",)
                        and p.verification_state == "pending"
                    )
                )
            )
            if decided:
                decided.write({user_field: self.env.uid, date_field: now})

    @api.model
    def _add_decision_records(self, vals):
        """A seller created with a decision taken (an import of validated
        sellers) records who created it as the one who decided."""
        now = fields.Datetime.now()
        for triggers, user_field, date_field in DECISION_RECORDS:
            decided = [vals.get(fname) for fname in triggers]
            if triggers == ("verification_state",) and decided[0] in NOT_DECIDED:
                continue
            if any(decided) and user_field not in vals:
                vals[user_field] = self.env.uid
                vals.setdefault(date_field, now)

    # ------------------------------------------------------------------ appeals
    def action_reinstate_seller(self):
        """Reinstating a seller whose appeal is under review decides the
        appeal (reinstated, by the same person): the seller is told, the
        review activity is closed, and no appeal stays open on a seller who
        is no longer suspended."""
        check_group(self.env, VERIFIER)
        appeals = self.filtered("seller_suspended").quality_appeal_ids.filtered(
            lambda a: a.state == "submitted"
        )
        res = super().action_reinstate_seller()
        appeals.filtered(lambda a: a.state == "submitted")._decide("reinstated")
        return res

    # ------------------------------------------------------------------ reviewers
    def _decision_reviewer(self, *preferred):
        """Who gets the activity asking for a decision on this seller: the
        first of ``preferred`` who may take it, else the configured
        verification reviewer or quality manager in the seller verification
        team, else the administrator."""
        # sudo: the configured staff users, looked up whoever triggers it.
        configured = (
            self.env["res.users"]
            .sudo()
            .browse(
                [
                    get_param(self.env, "operations_user_id"),
                    quality_param(self.env, "quality_user_id"),
                ]
            )
            .exists()
        )
        for user in (*preferred, *configured):
            if user and user.active and user.has_group(VERIFIER):
                return user
        return self.env.ref("base.user_admin")
