from odoo import fields, models

from .marketplace_access import VERIFIER
from .marketplace_helpers import window_action
from .marketplace_params import DEFAULTS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    marketplace_buyer_active_days = fields.Integer(
        "Active Buyer Window (days)",
        config_parameter="marketplace_crm.buyer_active_days",
        default=DEFAULTS["buyer_active_days"],
        help="A buyer whose last confirmed purchase is older than this is inactive.",
    )
    marketplace_seller_inactive_days = fields.Integer(
        "Seller Inactivity (days)",
        config_parameter="marketplace_crm.seller_inactive_days",
        default=DEFAULTS["seller_inactive_days"],
        help="A validated seller without a sale for this many days is inactive.",
    )
    marketplace_high_performer_amount = fields.Float(
        "High Performer Sales Value (30 days)",
        config_parameter="marketplace_crm.high_performer_amount",
        default=DEFAULTS["high_performer_amount"],
        help="Sales value over the last 30 days, in the company currency, from "
        "which a seller is a high performer. 0 disables this criterion.",
    )
    marketplace_high_performer_count = fields.Integer(
        "High Performer Sales Count (30 days)",
        config_parameter="marketplace_crm.high_performer_count",
        default=DEFAULTS["high_performer_count"],
        help="Number of sales over the last 30 days from which a seller is a "
        "high performer. 0 disables this criterion.",
    )
    marketplace_low_rating_threshold = fields.Float(
        "Low Rating Threshold",
        config_parameter="marketplace_crm.low_rating_threshold",
        default=DEFAULTS["low_rating_threshold"],
        help="An average rating below this (out of 5) alerts the account manager.",
    )
    marketplace_low_rating_min_count = fields.Integer(
        "Minimum Ratings Before Alerting",
        config_parameter="marketplace_crm.low_rating_min_count",
        default=DEFAULTS["low_rating_min_count"],
    )
    marketplace_rating_request_delay_days = fields.Integer(
        "Rating Request Delay (days)",
        config_parameter="marketplace_crm.rating_request_delay_days",
        default=DEFAULTS["rating_request_delay_days"],
        help="Days after confirmation before buyers are asked to rate each seller.",
    )
    marketplace_dispute_urgent_amount = fields.Float(
        "Urgent Dispute Amount",
        config_parameter="marketplace_crm.dispute_urgent_amount",
        default=DEFAULTS["dispute_urgent_amount"],
        help="A dispute or refund ticket with at least this amount at stake gets "
        "the highest priority. 0 disables this rule.",
    )
    marketplace_critical_dispute_amount = fields.Float(
        "Critical Dispute Amount",
        config_parameter="marketplace_crm.critical_dispute_amount",
        default=DEFAULTS["critical_dispute_amount"],
        help="A dispute with at least this amount at stake is critical: the "
        "support team is notified at once. 0 disables this rule.",
    )
    marketplace_critical_dispute_priority = fields.Selection(
        [("0", "Disabled"), ("2", "High and above"), ("3", "Urgent only")],
        "Critical Dispute Priority",
        config_parameter="marketplace_crm.critical_dispute_priority",
        default=str(DEFAULTS["critical_dispute_priority"]),
        help="Disputes at this priority or above are critical.",
    )
    marketplace_contract_renewal_days = fields.Integer(
        "Contract Renewal Reminder (days)",
        config_parameter="marketplace_crm.contract_renewal_days",
        default=DEFAULTS["contract_renewal_days"],
        help="Days before the end of a partner contract when its manager is "
        "reminded to renew it.",
    )
    marketplace_operations_user_id = fields.Many2one(
        "res.users",
        "Verification Reviewer",
        config_parameter="marketplace_crm.operations_user_id",
        domain=lambda self: [
            ("share", "=", False),
            ("all_group_ids", "in", self.env.ref(VERIFIER).ids),
        ],
        help="Gets an activity to check the documents when a seller submits "
        "the profile for verification: a member of the seller verification "
        "team (the administrator if empty).",
    )
    marketplace_document_max_size_mb = fields.Integer(
        "Maximum Document Size (MB)",
        config_parameter="marketplace_crm.document_max_size_mb",
        default=DEFAULTS["document_max_size_mb"],
        help="Largest verification document a seller may upload.",
    )
    marketplace_profile_reminder_days = fields.Integer(
        "Profile Reminder (days)",
        config_parameter="marketplace_crm.profile_reminder_days",
        default=DEFAULTS["profile_reminder_days"],
        help="Days after registration before a seller with no product gets the "
        "profile-completion e-mail.",
    )
    marketplace_profile_second_reminder_days = fields.Integer(
        "Second Reminder (days)",
        config_parameter="marketplace_crm.profile_second_reminder_days",
        default=DEFAULTS["profile_second_reminder_days"],
        help="Days after the first reminder before the second one; 0 disables it.",
    )
    marketplace_coaching_delay_days = fields.Integer(
        "Coaching After Follow-up (days)",
        config_parameter="marketplace_crm.coaching_delay_days",
        default=DEFAULTS["coaching_delay_days"],
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
        default=DEFAULTS["review_decline_percent"],
        help="A seller whose monthly sales fall by this share or more (or whose "
        "rating falls by half a star) receives the review e-mail with advice.",
    )
    marketplace_jobs_on_workers = fields.Boolean(
        "Run Long Jobs on Job Workers",
        config_parameter="marketplace_crm.jobs_on_workers",
        help="The daily jobs over every seller (profile reminders, inactivity "
        "follow-ups, monthly reviews, segment refresh) queue one job per batch "
        "for the job workers (queue_job) instead of running in the scheduler. "
        "Needs Odoo started with the job runner.",
    )

    # Control groups: per growth automation, "measure with a control group"
    # and the share of eligible records held out (see marketplace_holdout.py).
    marketplace_holdout_profile_reminder = fields.Boolean(
        "Measure Profile Reminders with a Control Group",
        config_parameter="marketplace_crm.holdout_profile_reminder",
    )
    marketplace_holdout_share_profile_reminder = fields.Float(
        "Profile Reminder Control Group (%)",
        config_parameter="marketplace_crm.holdout_share_profile_reminder",
        default=10.0,
    )
    marketplace_holdout_inactivity_followup = fields.Boolean(
        "Measure Inactivity Follow-ups with a Control Group",
        config_parameter="marketplace_crm.holdout_inactivity_followup",
    )
    marketplace_holdout_share_inactivity_followup = fields.Float(
        "Inactivity Follow-up Control Group (%)",
        config_parameter="marketplace_crm.holdout_share_inactivity_followup",
        default=10.0,
    )
    marketplace_holdout_coaching = fields.Boolean(
        "Measure Coaching Sessions with a Control Group",
        config_parameter="marketplace_crm.holdout_coaching",
    )
    marketplace_holdout_share_coaching = fields.Float(
        "Coaching Control Group (%)",
        config_parameter="marketplace_crm.holdout_share_coaching",
        default=10.0,
    )
    marketplace_holdout_monthly_review = fields.Boolean(
        "Measure Monthly Review E-mails with a Control Group",
        config_parameter="marketplace_crm.holdout_monthly_review",
    )
    marketplace_holdout_share_monthly_review = fields.Float(
        "Monthly Review Control Group (%)",
        config_parameter="marketplace_crm.holdout_share_monthly_review",
        default=10.0,
    )
    marketplace_holdout_back_in_stock = fields.Boolean(
        "Measure Back-in-Stock E-mails with a Control Group",
        config_parameter="marketplace_crm.holdout_back_in_stock",
    )
    marketplace_holdout_share_back_in_stock = fields.Float(
        "Back-in-Stock Control Group (%)",
        config_parameter="marketplace_crm.holdout_share_back_in_stock",
        default=10.0,
    )
    marketplace_holdout_abandoned_cart = fields.Boolean(
        "Measure Abandoned-Cart E-mails with a Control Group",
        config_parameter="marketplace_crm.holdout_abandoned_cart",
    )
    marketplace_holdout_share_abandoned_cart = fields.Float(
        "Abandoned-Cart Control Group (%)",
        config_parameter="marketplace_crm.holdout_share_abandoned_cart",
        default=10.0,
    )
    marketplace_uplift_min_sample = fields.Integer(
        "Minimum Group Size for Uplift",
        config_parameter="marketplace_crm.uplift_min_sample",
        default=30,
        help="Below this many treated or held-out episodes, the Uplift report "
        "says there is not enough data yet.",
    )
    marketplace_ticket_attachment_max_size_mb = fields.Integer(
        "Maximum Ticket Attachment Size (MB)",
        config_parameter="marketplace_crm.ticket_attachment_max_size_mb",
        default=DEFAULTS["ticket_attachment_max_size_mb"],
        help="Largest file a buyer or seller may attach to a support ticket "
        "from the portal (PDF, JPG, PNG or plain text).",
    )
    marketplace_api_rate_limit = fields.Integer(
        "API Calls per Minute",
        config_parameter="marketplace_crm.api_rate_limit",
        default=DEFAULTS["api_rate_limit"],
        help="Calls each API key may make per minute (fixed one-minute window, "
        "counted per server process); an integration may have its own limit. "
        "0 disables the limit.",
    )
    marketplace_webhook_max_attempts = fields.Integer(
        "Webhook Delivery Attempts",
        config_parameter="marketplace_crm.webhook_max_attempts",
        default=DEFAULTS["webhook_max_attempts"],
        help="A webhook that keeps failing is retried with a doubling delay "
        "(1, 2, 4... minutes) up to this number of attempts.",
    )
    marketplace_rejected_retention_months = fields.Integer(
        "Rejected Registrations Kept (months)",
        config_parameter="marketplace_crm.rejected_retention_months",
        default=DEFAULTS["rejected_retention_months"],
        help="Months after the rejection before a rejected seller registration "
        "is anonymised and its documents deleted. 0 keeps them.",
    )
    marketplace_rating_request_max_age_days = fields.Integer(
        "Rating Request Window (days)",
        config_parameter="marketplace_crm.rating_request_max_age_days",
        default=DEFAULTS["rating_request_max_age_days"],
        help="Only orders confirmed within this many days are asked for a "
        "rating: the sales history (imported or backfilled) never is.",
    )

    marketplace_bulk_import_untracked_rows = fields.Integer(
        "Untracked Import From (rows)",
        config_parameter="marketplace_crm.bulk_import_untracked_rows",
        default=DEFAULTS["bulk_import_untracked_rows"],
        help="An import that gives products their sellers is not tracked in "
        "each product's chatter from this many rows.",
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
        return window_action(
            self.env,
            "base.ir_cron_act",
            [("id", "in", self._marketplace_own_record_ids("ir.cron"))],
            {"active_test": False},
        )

    def action_marketplace_mail_templates(self):
        """The marketplace's e-mail templates."""
        return window_action(
            self.env,
            "mail.action_email_template_tree_all",
            [("id", "in", self._marketplace_own_record_ids("mail.template"))],
        )
