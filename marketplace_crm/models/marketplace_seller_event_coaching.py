import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.coaching_agenda import pick
from .marketplace_claim import claim_ids
from .marketplace_helpers import send_template
from .marketplace_params import get_param

COACHING_STATES = [
    ("booked", "Booked"),
    ("waiting", "Waiting for a slot"),
    ("link", "Self-booking link sent"),
    ("cancelled", "No longer needed"),
]


class MarketplaceSellerEvent(models.Model):
    """Coaching sessions booked within the capacity of the coaching pool.

    Each run reads the working hours, leaves and calendar events of every
    coach over the booking horizon once, then gives each eligible seller (the
    waiting list first, then the longest inactive) the earliest free slot of
    the pool, never more sessions a day than the daily maximum. When the pool
    is full the seller waits for the next run, or receives the self-booking
    link when one is configured: nobody is booked twice, no coach twice at
    the same time.
    """

    _inherit = "marketplace.seller.event"

    coaching_state = fields.Selection(
        COACHING_STATES,
        compute="_compute_coaching_state",
        store=True,
        index=True,
        readonly=True,
        help="Booked: the session is in the coach's calendar. Waiting: the "
        "coaching pool had no free slot; the seller is served first when one "
        "frees up. Self-booking link sent: the seller picks a time. No longer "
        "needed: the seller sold again while waiting.",
    )
    coach_id = fields.Many2one("res.users", readonly=True)
    coaching_start = fields.Datetime(
        "Session", related="calendar_event_id.start", readonly=True
    )

    @api.depends("event_type", "calendar_event_id")
    def _compute_coaching_state(self):
        for event in self:
            if event.event_type != "coaching":
                event.coaching_state = False
            elif event.calendar_event_id:
                event.coaching_state = "booked"
            else:
                event.coaching_state = event.coaching_state or "waiting"

    # ------------------------------------------------------------ the job
    @api.model
    def _cron_coaching_sessions(self):
        """Still no sale N days after the follow-up: book an online coaching
        session with a coach of the pool, once per inactivity episode."""
        self.env.flush_all()
        self._coaching_cancel_stale()
        queue = self._coaching_queue()
        if not queue:
            return
        planner = self._coaching_planner(queue.seller_id)
        self._run_in_batches(
            queue, lambda batch: self._coaching_serve(batch, planner), batch_size=200
        )

    @api.model
    def _coaching_cancel_stale(self):
        """Waiting sellers who sold since leave the waiting list (those a
        concurrent run is taking off it are left to that run)."""
        claim_ids(
            self.env,
            SQL(
                """
                UPDATE marketplace_seller_event e
                   SET coaching_state = 'cancelled',
                       write_date = NOW() AT TIME ZONE 'UTC'
                  FROM res_partner p
                 WHERE p.id = e.seller_id
                   AND e.event_type = 'coaching'
                   AND e.coaching_state = 'waiting'
                   AND e.episode != COALESCE(p.seller_last_sale_date::text, 'never')
                RETURNING e.id
                """
            ),
        )
        self.invalidate_model(["coaching_state"])

    @api.model
    def _coaching_queue(self):
        """Who to serve, in order: the waiting list by date, then the
        follow-ups older than the delay, still in their episode, with neither
        a coaching event nor a control-group record for it, the longest
        inactive first."""
        delay = get_param(self.env, "coaching_delay_days")
        limit = fields.Datetime.now() - timedelta(days=delay)
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM (
                    SELECT e.id, 0 AS rank, e.date AS since, e.id AS tie
                      FROM marketplace_seller_event e
                     WHERE e.event_type = 'coaching' AND e.coaching_state = 'waiting'
                     UNION ALL
                    SELECT f.id, 1,
                           COALESCE(p.seller_last_sale_date, p.seller_registration_date,
                                    f.date::date)::timestamp,
                           f.id
                      FROM marketplace_seller_event f
                      JOIN res_partner p ON p.id = f.seller_id
                     WHERE f.event_type = 'inactivity_followup'
                       AND f.date <= %(limit)s
                       AND p.active
                       AND f.episode = COALESCE(p.seller_last_sale_date::text, 'never')
                       AND NOT EXISTS (
                           SELECT 1 FROM marketplace_seller_event c
                            WHERE c.seller_id = f.seller_id
                              AND ((c.event_type = 'coaching' AND c.episode = f.episode)
                                OR (c.event_type = 'held_out'
                                    AND c.episode = 'coaching:' || f.episode)))
                ) queue
                ORDER BY rank, since, tie
                """,
                limit=limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _coaching_serve(self, batch, planner):
        """Claim the coaching event of each new follow-up of ``batch`` (the
        control group apart), then book or list them all with the waiting
        ones of the batch."""
        events = batch.filtered(lambda e: e.event_type == "coaching")
        followups = (batch - events).filtered(
            lambda f: not self._hold_out("coaching", f.seller_id, f.episode)
        )
        events = self._coaching_lock_waiting(events)
        events |= self._coaching_claim(followups)
        # Keep the queue's order: waiting list first, then by inactivity.
        order = {(e.seller_id.id, e.episode): i for i, e in enumerate(batch)}
        events = events.sorted(
            lambda e: order.get((e.seller_id.id, e.episode), len(order))
        )
        events._coaching_book(planner)

    @api.model
    def _coaching_lock_waiting(self, events):
        """The waiting events of ``events`` this worker may book (another
        worker holding or having booked one skips it)."""
        if not events:
            return events
        return self.browse(
            claim_ids(
                self.env,
                SQL(
                    """
                    SELECT id FROM marketplace_seller_event
                     WHERE id IN %s AND coaching_state = 'waiting'
                       FOR UPDATE SKIP LOCKED
                    """,
                    tuple(events.ids),
                ),
            )
        )

    @api.model
    def _coaching_claim(self, followups):
        """Insert the coaching events of ``followups`` (one per seller and
        episode, in one statement); those that already exist are skipped."""
        if not followups:
            return self.browse()
        ids = claim_ids(
            self.env,
            SQL(
                """
                INSERT INTO marketplace_seller_event
                       (seller_id, event_type, episode, date, coaching_state,
                        company_id, create_uid, create_date, write_uid,
                        write_date)
                SELECT seller_id, 'coaching', episode, %(now)s,
                       'waiting', company_id, %(uid)s, NOW() AT TIME ZONE 'UTC',
                       %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(sellers)s::int[], %(episodes)s::varchar[],
                              %(companies)s::int[])
                       AS t(seller_id, episode, company_id)
                ON CONFLICT (seller_id, event_type, episode) DO NOTHING
                RETURNING id
                """,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                sellers=[f.seller_id.id for f in followups],
                episodes=[f.episode for f in followups],
                # The coaching belongs where its follow-up does.
                companies=[f.company_id.id for f in followups],
            ),
        )
        followups.seller_id.invalidate_recordset(["seller_event_ids"])
        return self.browse(ids)

    # ------------------------------------------------------------ booking
    def _book_coaching(self):
        """Book these coaching events now, at the earliest free slots."""
        self._coaching_book(self._coaching_planner(self.seller_id))

    def _coaching_book(self, planner):
        """Give each event, in order, the earliest free slot of its coaches;
        the others wait, or get the self-booking link when there is one."""
        plans = []
        unserved = self.browse()
        for event in self:
            agendas, preferred = planner.candidates(event.seller_id)
            agenda = pick(agendas, preferred)
            if agenda:
                plans.append((event, agenda.coach_id, agenda.take()))
            else:
                unserved |= event
        if plans:
            self._coaching_create_meetings(plans, planner.duration)
        if unserved:
            unserved._coaching_unserved()

    def _coaching_unserved(self):
        link = get_param(self.env, "coaching_booking_url")
        if not link:
            # New claims are inserted waiting: only earlier states change.
            self.filtered(lambda e: e.coaching_state != "waiting").write(
                {"coaching_state": "waiting"}
            )
            return
        self.write({"coaching_state": "link", "note": link})
        send_template(
            self.env, "marketplace_crm.mail_template_coaching_self_booking", self
        )

    @api.model
    def _coaching_env(self, lang):
        """The environment in ``lang`` when it is an active language (a
        contact may keep the code of a language since deactivated)."""
        installed = dict(self.env["res.lang"].get_installed())
        return self.with_context(lang=lang if lang in installed else self.env.lang).env

    @api.model
    def _coaching_meeting_values(self, event, coach, start, duration):
        seller = event.seller_id
        seller_env = self._coaching_env(seller.lang)
        token = uuid.uuid4().hex
        Meeting = self.env["calendar.event"]
        return {
            "name": seller_env._(
                "Coaching session: %s", seller.shop_name or seller.name
            ),
            "start": start,
            "stop": start + duration,
            "user_id": coach.id,
            "partner_ids": [(6, 0, (coach.partner_id | seller).ids)],
            "description": seller_env._(
                "Online coaching: descriptions, photos and prices of the listings."
            ),
            "access_token": token,
            "videocall_location": f"{Meeting.get_base_url()}/"
            f"{Meeting.DISCUSS_ROUTE}/{token}",
        }

    @api.model
    def _coaching_create_meetings(self, plans, duration):
        """Create the meetings of ``plans`` (event, coach id, start) in one
        call, queue the seller's invitation and give each coach the activity
        to prepare the session."""
        Users = self.env["res.users"]
        meetings = (
            self.env["calendar.event"]
            .with_context(
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
                no_mail_to_attendees=True,
            )
            .create(
                [
                    self._coaching_meeting_values(
                        event, Users.browse(coach_id), start, duration
                    )
                    for event, coach_id, start in plans
                ]
            )
        )
        now = fields.Datetime.now()
        for (event, coach_id, __), meeting in zip(plans, meetings, strict=True):
            event.write(
                {
                    "calendar_event_id": meeting.id,
                    "coach_id": coach_id,
                    "coaching_state": "booked",
                    # The lifecycle records when the session was booked (a
                    # seller may have waited for a slot since the claim).
                    "date": now,
                    "note": meeting.videocall_location,
                }
            )
        self._coaching_activities(plans, meetings)
        invitation = self.env.ref(
            "calendar.calendar_template_meeting_invitation", raise_if_not_found=False
        )
        sellers = {event.seller_id.id for event, *__ in plans}
        # The meetings were created without invitations (to every attendee,
        # sent at once): the sellers get theirs, queued.
        meetings.attendee_ids.with_context(no_mail_to_attendees=False).filtered(
            lambda a: a.partner_id.id in sellers
        )._notify_attendees(invitation, force_send=False)

    @api.model
    def _coaching_activities(self, plans, meetings):
        """The coach's "prepare the session" activity, in the coach's
        language, without an e-mail per activity."""
        activity_type = self.env.ref("mail.mail_activity_data_meeting")
        partner_model = self.env["ir.model"]._get_id("res.partner")
        values = []
        for (event, coach_id, start), meeting in zip(plans, meetings, strict=True):
            coach = self.env["res.users"].browse(coach_id)
            coach_env = self._coaching_env(coach.lang)
            values.append(
                {
                    "res_model_id": partner_model,
                    "res_id": event.seller_id.id,
                    "activity_type_id": activity_type.id,
                    "user_id": coach_id,
                    "date_deadline": start.date(),
                    "calendar_event_id": meeting.id,
                    "summary": coach_env._("Coach %s", event.seller_id.display_name),
                    "note": coach_env._(
                        "No sale since the follow-up: prepare the coaching session."
                    ),
                }
            )
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            values
        )
