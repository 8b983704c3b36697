from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import UserError

from .marketplace_access import (
    VERIFIER,
    check_decision_fields,
    check_group,
    decided_fields,
)
from .marketplace_helpers import fill_partner_company, send_template

APPEAL_STATES = [
    ("submitted", "Under review"),
    ("reinstated", "Reinstated"),
    ("confirmed", "Suspension confirmed"),
]
# The decision on an appeal: taken by the seller verification team only.
APPEAL_DECISION_FIELDS = frozenset(
    {"state", "decision_note", "decided_by_id", "decided_on"}
)


class MarketplaceQualityAppeal(models.Model):
    """A seller contests a quality suspension (or a grace period) from the
    portal: an explanation and evidence, reviewed by the seller verification
    team who reinstate the seller or confirm the decision (no one else may
    decide it, nor write its decision). Everything lands in the seller's
    history."""

    _name = "marketplace.quality.appeal"
    _description = "Seller Quality Appeal"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    seller_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    explanation = fields.Text(required=True, readonly=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "marketplace_quality_appeal_attachment_rel",
        "appeal_id",
        "attachment_id",
        "Evidence",
        readonly=True,
    )
    suspension_reason = fields.Text(
        "Appealed Decision", readonly=True, help="The reason given to the seller."
    )
    state = fields.Selection(
        APPEAL_STATES, default="submitted", required=True, tracking=True, index=True
    )
    decision_note = fields.Text("Decision", tracking=True)
    decided_by_id = fields.Many2one(
        "res.users", "Decided by", readonly=True, copy=False, tracking=True
    )
    decided_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    submit_token = fields.Char(readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        help="The seller's figures company: the one whose staff review it.",
    )

    _unique_token = models.UniqueIndex(
        "(seller_id, submit_token) WHERE submit_token IS NOT NULL",
        "This appeal was already sent.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        check_decision_fields(
            self,
            decided_fields(
                vals_list, APPEAL_DECISION_FIELDS, {"state": ("submitted",)}
            ),
        )
        # An appeal belongs to its seller's figures company.
        fill_partner_company(self.env, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_decision_fields(self, APPEAL_DECISION_FIELDS & set(vals))
        return super().write(vals)

    @api.depends("seller_id")
    def _compute_name(self):
        for appeal in self:
            appeal.name = self.env._(
                "Appeal of %s", appeal.seller_id.shop_name or appeal.seller_id.name
            )

    # ------------------------------------------------------------ portal
    @api.model
    def _submit_for_seller(self, seller, explanation, files, token):
        """Create the appeal of ``seller`` (already checked by the caller:
        the logged-in seller), idempotent per form token and one under
        review at a time. ``files``: list of (name, base64 content).
        Returns (appeal, created)."""
        if not (seller.quality_suspended or seller.quality_grace_until):
            raise UserError(
                self.env._("There is no quality suspension or grace period to appeal.")
            )
        pending = self.search(
            [
                ("seller_id", "=", seller.id),
                "|",
                ("submit_token", "=", token),
                ("state", "=", "submitted"),
            ],
            limit=1,
        )
        if pending:
            return pending, False
        try:
            with self.env.cr.savepoint():
                appeal = self.create(
                    {
                        "seller_id": seller.id,
                        "explanation": explanation,
                        "submit_token": token,
                        "suspension_reason": seller.quality_suspension_reason
                        or self.env._(
                            "Grace period until %s", seller.quality_grace_until
                        ),
                    }
                )
        except IntegrityError as error:
            # The same form sent twice at once: the other request created it
            # (this transaction cannot see it yet).
            raise UserError(self.env._("This appeal was already sent.")) from error
        if files:
            appeal.attachment_ids = self.env["ir.attachment"].create(
                [
                    {
                        "name": name,
                        "datas": content,
                        "res_model": self._name,
                        "res_id": appeal.id,
                    }
                    for name, content in files
                ]
            )
        appeal._after_submission()
        return appeal, True

    def _after_submission(self):
        self.ensure_one()
        seller = self.seller_id
        # Reviewed by someone who may decide it.
        reviewer = seller._decision_reviewer(seller._quality_manager())
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=reviewer.id,
            summary=self.env._("Review the appeal of %s", seller.display_name),
            note=self.explanation,
        )
        self.env["marketplace.seller.event"]._claim(
            seller, "quality_appeal", f"appeal:{self.id}"
        )
        seller.message_post(
            body=self.env._("The seller appealed: %s", self.explanation),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------ decisions
    def _check_open(self):
        for appeal in self:
            if appeal.state != "submitted":
                raise UserError(
                    self.env._("The appeal %s is already decided.", appeal.name)
                )

    def _check_decision_note(self):
        """The seller reads the decision note with the decision: an appeal is
        decided from its form with a note, never with an empty one."""
        for appeal in self:
            if not (appeal.decision_note or "").strip():
                raise UserError(
                    self.env._(
                        "Write the decision for the seller on the appeal %s "
                        "before deciding it: the seller receives it with the "
                        "outcome.",
                        appeal.name,
                    )
                )

    def _decide(self, state):
        self.write(
            {
                "state": state,
                "decided_by_id": self.env.user.id,
                "decided_on": fields.Datetime.now(),
            }
        )
        for appeal in self:
            appeal.activity_ids.action_feedback(feedback=dict(APPEAL_STATES)[state])
            self.env["marketplace.seller.event"]._claim(
                appeal.seller_id, "quality_appeal_decision", f"appeal:{appeal.id}"
            )
            appeal.seller_id.message_post(
                body=self.env._(
                    "Appeal decided: %(decision)s. %(note)s",
                    decision=dict(
                        self._fields["state"]._description_selection(self.env)
                    )[state],
                    note=appeal.decision_note or "",
                ),
                subtype_xmlid="mail.mt_note",
            )
        send_template(
            self.env,
            "marketplace_crm.mail_template_seller_quality_appeal_decision",
            self,
        )

    def action_reinstate(self):
        """The team accepts the appeal: the seller is reinstated and the
        listings withheld by the suspension are published again. The appeal
        is decided first: reinstating the seller decides the appeals still
        under review."""
        check_group(self.env, VERIFIER)
        self._check_open()
        self._check_decision_note()
        self._decide("reinstated")
        for appeal in self:
            seller = appeal.seller_id
            if seller.seller_suspended:
                seller.action_reinstate_seller()
            else:
                # An appeal during the grace period: the grace period ends.
                # sudo: crossings are system records; the decision closes
                # this seller's open limit crossings.
                seller.quality_crossing_ids.sudo().filtered(
                    lambda c: c.level == "limit" and c.state == "open"
                ).write({"state": "closed", "date_end": fields.Datetime.now()})
                seller._quality_sync_grace()
        return True

    def action_confirm_suspension(self):
        check_group(self.env, VERIFIER)
        self._check_open()
        self._check_decision_note()
        self._decide("confirmed")
        return True

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]
