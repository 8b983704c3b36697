from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    marketplace_buyer_active_days = fields.Integer(
        "Active Buyer Window (days)",
        config_parameter="marketplace_crm.buyer_active_days",
        default=90,
        help="A buyer whose last confirmed purchase is older than this is inactive.",
    )
    marketplace_seller_inactive_days = fields.Integer(
        "Seller Inactivity (days)",
        config_parameter="marketplace_crm.seller_inactive_days",
        default=30,
        help="A validated seller without a sale for this many days is inactive.",
    )
    marketplace_high_performer_amount = fields.Float(
        "High Performer Sales Value (30 days)",
        config_parameter="marketplace_crm.high_performer_amount",
        default=5000.0,
        help="Sales value over the last 30 days, in the company currency, from "
        "which a seller is a high performer. 0 disables this criterion.",
    )
    marketplace_high_performer_count = fields.Integer(
        "High Performer Sales Count (30 days)",
        config_parameter="marketplace_crm.high_performer_count",
        default=50,
        help="Number of sales over the last 30 days from which a seller is a "
        "high performer. 0 disables this criterion.",
    )
    marketplace_low_rating_threshold = fields.Float(
        "Low Rating Threshold",
        config_parameter="marketplace_crm.low_rating_threshold",
        default=3.0,
        help="An average rating below this (out of 5) alerts the account manager.",
    )
    marketplace_low_rating_min_count = fields.Integer(
        "Minimum Ratings Before Alerting",
        config_parameter="marketplace_crm.low_rating_min_count",
        default=5,
    )
    marketplace_rating_request_delay_days = fields.Integer(
        "Rating Request Delay (days)",
        config_parameter="marketplace_crm.rating_request_delay_days",
        default=3,
        help="Days after confirmation before buyers are asked to rate each seller.",
    )
    marketplace_dispute_urgent_amount = fields.Float(
        "Urgent Dispute Amount",
        config_parameter="marketplace_crm.dispute_urgent_amount",
        default=500.0,
        help="A dispute or refund ticket with at least this amount at stake gets "
        "the highest priority. 0 disables this rule.",
    )
    marketplace_critical_dispute_amount = fields.Float(
        "Critical Dispute Amount",
        config_parameter="marketplace_crm.critical_dispute_amount",
        default=1000.0,
        help="A dispute with at least this amount at stake is critical: the "
        "support team is notified at once. 0 disables this rule.",
    )
    marketplace_critical_dispute_priority = fields.Selection(
        [("0", "Disabled"), ("2", "High and above"), ("3", "Urgent only")],
        "Critical Dispute Priority",
        config_parameter="marketplace_crm.critical_dispute_priority",
        default="0",
        help="Disputes at this priority or above are critical.",
    )
    marketplace_contract_renewal_days = fields.Integer(
        "Contract Renewal Reminder (days)",
        config_parameter="marketplace_crm.contract_renewal_days",
        default=30,
        help="Days before the end of a partner contract when its manager is "
        "reminded to renew it.",
    )
    marketplace_operations_user_id = fields.Many2one(
        "res.users",
        "Verification Reviewer",
        config_parameter="marketplace_crm.operations_user_id",
        domain=[("share", "=", False)],
        help="Gets an activity to check the documents when a seller submits "
        "the profile for verification (the administrator if empty).",
    )
    marketplace_document_max_size_mb = fields.Integer(
        "Maximum Document Size (MB)",
        config_parameter="marketplace_crm.document_max_size_mb",
        default=5,
        help="Largest verification document a seller may upload.",
    )
    marketplace_profile_reminder_days = fields.Integer(
        "Profile Reminder (days)",
        config_parameter="marketplace_crm.profile_reminder_days",
        default=5,
        help="Days after registration before a seller with no product gets the "
        "profile-completion e-mail.",
    )
    marketplace_profile_second_reminder_days = fields.Integer(
        "Second Reminder (days)",
        config_parameter="marketplace_crm.profile_second_reminder_days",
        default=7,
        help="Days after the first reminder before the second one; 0 disables it.",
    )
    marketplace_coaching_delay_days = fields.Integer(
        "Coaching After Follow-up (days)",
        config_parameter="marketplace_crm.coaching_delay_days",
        default=15,
        help="Days without a sale after the inactivity follow-up before a "
        "coaching session is booked.",
    )
    marketplace_coaching_user_id = fields.Many2one(
        "res.users",
        "Default Coach",
        config_parameter="marketplace_crm.coaching_user_id",
        domain=[("share", "=", False)],
        help="Coaches sellers who have no account manager.",
    )
    marketplace_review_decline_percent = fields.Float(
        "Monthly Review Decline (%)",
        config_parameter="marketplace_crm.review_decline_percent",
        default=20.0,
        help="A seller whose monthly sales fall by this share or more (or whose "
        "rating falls by half a star) receives the review e-mail with advice.",
    )

    # ------------------------------------------------------------ links
    def _marketplace_own_record_ids(self, model):
        """Ids of the ``model`` records this module defines, by their external
        ids: unlike their names, these do not depend on the language."""
        # sudo: only staff read external ids; the settings need the ids of
        # the module's own records, nothing else.
        return (
            self.env["ir.model.data"]
            .sudo()
            .search([("module", "=", "marketplace_crm"), ("model", "=", model)])
            .mapped("res_id")
        )

    def action_marketplace_scheduled_actions(self):
        """The marketplace's scheduled jobs, archived ones included."""
        action = self.env["ir.actions.act_window"]._for_xml_id("base.ir_cron_act")
        action["domain"] = [("id", "in", self._marketplace_own_record_ids("ir.cron"))]
        action["context"] = {"active_test": False}
        return action

    def action_marketplace_mail_templates(self):
        """The marketplace's e-mail templates."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mail.action_email_template_tree_all"
        )
        action["domain"] = [
            ("id", "in", self._marketplace_own_record_ids("mail.template"))
        ]
        action["context"] = {}
        return action
