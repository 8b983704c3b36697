from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .marketplace_batches import MAIL_CHANNEL, JobRun, run_in_batches
from .marketplace_claim import claim_ids
from .marketplace_helpers import fill_partner_company, send_template
from .marketplace_params import get_param

EVENT_TYPES = [
    ("profile_reminder", "Profile reminder"),
    ("profile_reminder_2", "Second profile reminder"),
    ("inactivity_followup", "Inactivity follow-up"),
    ("coaching", "Coaching session"),
    ("reactivation", "Reactivation"),
]


class MarketplaceSellerEvent(models.Model):
    """The lifecycle timeline of a seller: what the automations did and when.

    A row is claimed before its e-mail or meeting goes out, under a unique
    (seller, type, episode) key: whatever the number of runs or workers, each
    reminder, follow-up or coaching session happens once per episode.
    """

    _name = "marketplace.seller.event"
    _description = "Seller Lifecycle Event"
    _order = "date desc, id desc"
    _rec_name = "event_type"

    seller_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    event_type = fields.Selection(EVENT_TYPES, "Event", required=True, readonly=True)
    episode = fields.Char(
        required=True,
        readonly=True,
        help="What the event belongs to: the registration, or an inactivity "
        "episode named after the last sale before it.",
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    calendar_event_id = fields.Many2one("calendar.event", readonly=True)
    note = fields.Char(readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        help="The seller's figures company when the event happened: the "
        "seller's company, or the main company for a seller shared by all "
        "companies.",
    )

    _unique_event = models.Constraint(
        "UNIQUE(seller_id, event_type, episode)",
        "This lifecycle event already happened for this seller.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """An event belongs to its seller's figures company."""
        fill_partner_company(self.env, vals_list)
        return super().create(vals_list)

    # ------------------------------------------------------------ claiming
    @api.model
    def _claim(self, seller, event_type, episode, date=None):
        """Record the event if it has not happened yet and return it; return
        an empty recordset if it already has. Against a concurrent worker the
        unique index makes the second insert wait for the first transaction;
        once that one commits, the second gets nothing (see ``claim_ids``),
        without an error in the log."""
        claimed = self._insert_event(seller, event_type, episode, date)
        if claimed:
            seller.invalidate_recordset(["seller_event_ids"])
        return claimed

    @api.model
    def _insert_event(self, seller, event_type, episode, date):
        ids = claim_ids(
            self.env,
            SQL(
                """
                INSERT INTO marketplace_seller_event
                       (seller_id, event_type, episode, date, company_id,
                        create_uid, create_date, write_uid, write_date)
                VALUES (%(seller)s, %(type)s, %(episode)s, %(date)s,
                        %(company)s, %(uid)s, NOW() AT TIME ZONE 'UTC',
                        %(uid)s, NOW() AT TIME ZONE 'UTC')
                ON CONFLICT (seller_id, event_type, episode) DO NOTHING
                RETURNING id
                """,
                seller=seller.id,
                type=event_type,
                episode=episode,
                date=date or fields.Datetime.now(),
                company=seller.marketplace_company_id.id,
                uid=self.env.uid,
            ),
        )
        return self.browse(ids)

    def _send_template(self, xmlid):
        """Queue the template's e-mail to the seller of each event, in their
        language. Not posted in the seller's chatter: these are the jobs'
        mass e-mails, recorded by the event itself (the seller's Lifecycle)."""
        send_template(self.env, xmlid, self.seller_id, chatter=False)

    @api.model
    def _run_in_batches(self, sellers, handler, batch_size=100):
        """Call ``handler(batch)`` per batch of sellers, committing each (no
        cursor: the handler's claims skip what an earlier run did)."""
        return run_in_batches(self.env, sellers, handler, batch_size)

    # ------------------------------------------------------------ 1. profile reminders
    @api.model
    def _sellers_without_listing(self, domain):
        Partner = self.env["res.partner"]
        sellers = Partner.search(domain, order="id")
        listed = {
            seller.id
            for [seller] in self.env["product.template"]
            .with_context(active_test=False)
            ._read_group(
                [("marketplace_seller_id", "in", sellers.ids)],
                ["marketplace_seller_id"],
            )
        }
        return sellers.filtered(lambda s: s.id not in listed)

    @api.model
    def _cron_profile_reminders(self, batch_size=100):
        """Sellers registered for N days with no product listed get the
        profile-completion e-mail once, and optionally a second reminder."""
        today = fields.Date.context_today(self)
        days = get_param(self.env, "profile_reminder_days")
        sellers = self._sellers_without_listing(
            [
                *self._profile_reminder_domain(),
                ("seller_registration_date", "<=", today - timedelta(days=days)),
            ]
        )
        with JobRun(self, "profile_reminders") as job:
            if not job.run(
                "_job_profile_reminders",
                sellers,
                batch_size=batch_size,
                channel=MAIL_CHANNEL,
                description=self.env._("Profile reminders"),
            ):
                return
            second_days = get_param(self.env, "profile_second_reminder_days")
            if not second_days:
                return
            first = self.search(
                [
                    ("event_type", "=", "profile_reminder"),
                    ("date", "<=", fields.Datetime.now() - timedelta(days=second_days)),
                ]
            )
            sellers = self._sellers_without_listing(
                [*self._profile_reminder_domain(), ("id", "in", first.seller_id.ids)]
            )
            job.run(
                "_job_second_profile_reminders",
                sellers,
                batch_size=batch_size,
                channel=MAIL_CHANNEL,
                description=self.env._("Second profile reminders"),
            )

    @api.model
    def _profile_reminder_domain(self):
        return [
            ("is_seller", "=", True),
            ("seller_suspended", "=", False),
            ("verification_state", "!=", "rejected"),
        ]

    @api.model
    def _job_profile_reminders(self, sellers):
        """A batch of the profile reminders (in the cron or a queue job)."""
        claimed = self.browse()
        for seller in sellers:
            if self._hold_out("profile_reminder", seller, "registration"):
                continue
            claimed |= self._claim(seller, "profile_reminder", "registration")
        claimed._send_template("marketplace_crm.mail_template_profile_reminder")

    @api.model
    def _job_second_profile_reminders(self, sellers):
        """A batch of the second profile reminders."""
        claimed = self.browse()
        for seller in sellers:
            claimed |= self._claim(seller, "profile_reminder_2", "registration")
        claimed._send_template("marketplace_crm.mail_template_profile_reminder_2")

    # ------------------------------------------------------------ 2. inactivity
    @api.model
    def _inactivity_episode(self, seller):
        """The inactivity episode a seller is in: named after the last sale."""
        return (
            seller.seller_last_sale_date.isoformat()
            if seller.seller_last_sale_date
            else "never"
        )

    @api.model
    def _cron_inactivity_followups(self, batch_size=100):
        """Record reactivations (a sale after a follow-up), then send the
        guide to improving descriptions and visuals to each seller without a
        sale for N days, once per inactivity episode."""
        self._record_reactivations()
        Partner = self.env["res.partner"]
        selling = Partner.search(
            [
                ("is_seller", "=", True),
                ("verification_state", "=", "validated"),
                ("seller_suspended", "=", False),
            ],
            order="id",
        )
        with JobRun(self, "inactivity_followups") as job:
            # Inactivity is the segment rule's: bring the segments up to date
            # (set-based, a batch at a time), then read them.
            if not job.run(
                "_job_refresh_figures", selling, batch_size=max(batch_size, 5000)
            ):
                return
            sellers = selling.filtered(lambda s: s.seller_segment == "inactive")
            job.run(
                "_job_inactivity_followups",
                sellers,
                batch_size=batch_size,
                channel=MAIL_CHANNEL,
                description=self.env._("Inactivity follow-ups"),
            )

    @api.model
    def _job_refresh_figures(self, sellers):
        sellers._refresh_marketplace_figures()

    @api.model
    def _job_inactivity_followups(self, sellers):
        """A batch of the inactivity follow-ups (in the cron or a queue job):
        each seller's episode claimed, then the batch's e-mails queued
        together."""
        claimed = self.browse()
        for seller in sellers:
            episode = self._inactivity_episode(seller)
            if self._hold_out("inactivity_followup", seller, episode):
                continue
            claimed |= self._claim(seller, "inactivity_followup", episode)
        claimed._send_template("marketplace_crm.mail_template_inactivity_guide")

    @api.model
    def _record_reactivations(self):
        """A seller who sold again on or after an inactivity follow-up, and so
        left its episode, is reactivated: one event per follow-up, dated noon
        of the sale. One statement for every follow-up (no per-follow-up
        loop), the unique key skipping those already recorded."""
        self.flush_model()
        self.env["res.partner"].flush_model(["seller_last_sale_date"])
        ids = claim_ids(
            self.env,
            SQL(
                """
                INSERT INTO marketplace_seller_event
                       (seller_id, event_type, episode, date, company_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT f.seller_id, 'reactivation', f.episode,
                       p.seller_last_sale_date + TIME '12:00', f.company_id,
                       %(uid)s, NOW() AT TIME ZONE 'UTC',
                       %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM marketplace_seller_event f
                  JOIN res_partner p ON p.id = f.seller_id
                 WHERE f.event_type = 'inactivity_followup'
                   AND p.seller_last_sale_date >= f.date::date
                   AND to_char(p.seller_last_sale_date, 'YYYY-MM-DD') != f.episode
                   AND NOT EXISTS (
                       SELECT 1 FROM marketplace_seller_event r
                        WHERE r.seller_id = f.seller_id
                          AND r.event_type = 'reactivation'
                          AND r.episode = f.episode)
              ORDER BY f.seller_id, f.episode
                    ON CONFLICT (seller_id, event_type, episode) DO NOTHING
                RETURNING seller_id
                """,
                uid=self.env.uid,
            ),
        )
        if ids:
            self.env["res.partner"].browse(ids).invalidate_recordset(
                ["seller_event_ids"]
            )
