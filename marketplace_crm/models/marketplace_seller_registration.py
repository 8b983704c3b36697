import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, email_normalize
from odoo.tools.misc import hmac

from .marketplace_batches import JobRun
from .marketplace_claim import claim_ids
from .marketplace_helpers import send_template
from .marketplace_input import clean_email, clean_text
from .marketplace_params import get_param

_logger = logging.getLogger(__name__)


class MarketplaceSellerRegistration(models.Model):
    """A request to open a seller shop, sent from the public form.

    The form only stores the request, so that it answers with the same page,
    in the same time, whatever the address. The job then handles it: a new
    address gets its seller, portal user, onboarding opportunity and the
    invitation e-mail; a known address (a customer, a seller, staff) gets an
    e-mail asking its owner to log in and open the shop from their account.
    An anonymous request never writes to an existing contact or user.
    """

    _name = "marketplace.seller.registration"
    _description = "Seller Registration Request"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    email = fields.Char("E-mail", required=True, readonly=True)
    phone = fields.Char(readonly=True)
    shop_name = fields.Char(required=True, readonly=True)
    shop_description = fields.Text(readonly=True)
    lang = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("created", "Seller created"),
            ("known", "Known address: asked to log in"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner", "Seller", readonly=True, check_company=True
    )
    client_key = fields.Char(
        readonly=True,
        index="btree_not_null",
        help="Keyed hash of the address of the client that sent the form, "
        "for the rate limit (the address itself is not kept).",
    )

    # ------------------------------------------------------------ the form
    @api.model
    def _check_form(self, post):
        """The values of the public form, checked; a UserError otherwise."""
        env = self.env
        data = {
            "name": clean_text(
                env, post.get("name"), env._("Your name"), required=True, max_length=128
            ),
            "shop_name": clean_text(
                env,
                post.get("shop_name"),
                env._("Shop name"),
                required=True,
                max_length=128,
            ),
            "phone": clean_text(env, post.get("phone"), env._("Phone"), max_length=32),
            "shop_description": clean_text(
                env,
                post.get("shop_description"),
                env._("Shop description"),
                max_length=2000,
                multiline=True,
            ),
            "email": clean_email(env, post.get("email")),
        }
        return data

    @api.model
    def _client_key(self, address):
        """What identifies a client for the rate limit: a keyed hash of its
        IP address, so that the address itself is not stored."""
        # sudo: the database secret keys the hash.
        return hmac(self.env(su=True), "marketplace_registration", address or "")

    @api.model
    def _submit(self, data, client_key=None):
        """Store a checked request and wake the job up. The same work
        whatever the address: nothing is looked up here but the number of
        recent requests; beyond the rate limit nothing is stored (and so
        nothing is e-mailed), and the caller answers the same. Returns the
        request, or an empty recordset beyond the limit."""
        if self._over_rate_limit(data["email"], client_key):
            _logger.info("Seller registration refused: over the rate limit")
            return self.browse()
        request = self.create(
            dict(
                data,
                lang=self.env.lang,
                company_id=self.env.company.id,
                client_key=client_key,
            )
        )
        self.env.ref("marketplace_crm.ir_cron_seller_registrations")._trigger()
        return request

    @api.model
    def _over_rate_limit(self, email, client_key):
        """True when ``email`` or the client ``client_key`` already sent as
        many requests as allowed within the window (Settings). Requests of
        the same address or client wait for each other (a transaction lock),
        so that requests sent at once are counted too."""
        env = self.env
        window = get_param(env, "registration_window_minutes")
        limits = [
            ("email", email, get_param(env, "registration_max_per_email")),
            ("client_key", client_key, get_param(env, "registration_max_per_client")),
        ]
        limits = [limit for limit in limits if limit[1] and limit[2] > 0]
        for fname, value, __ in limits:
            env.cr.execute(
                SQL(
                    "SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))",
                    f"marketplace_registration_{fname}",
                    value,
                )
            )
        since = fields.Datetime.now() - timedelta(minutes=max(window, 0))
        return any(
            self.with_context(active_test=False).search_count(
                [(fname, "=", value), ("create_date", ">=", since)], limit=maximum
            )
            >= maximum
            for fname, value, maximum in limits
        )

    # ------------------------------------------------------------ the job
    @api.model
    def _cron_process_registrations(self, batch_size=50):
        """Handle the pending requests, a batch at a time, each batch
        committed, then purge the old processed ones. Requests sent while the
        job runs trigger its next run."""
        pending = self.search([("state", "=", "pending")], order="id")
        with JobRun(self, "registrations") as job:
            if job.run("_job_process_registrations", pending, batch_size=batch_size):
                self._purge_processed()
        return True

    @api.model
    def _job_process_registrations(self, registrations):
        """Handle those of ``registrations`` still pending. Rows are taken
        with SKIP LOCKED: a worker handling the same requests at once (a
        manual run of the job, say) neither waits for nor fails on them."""
        self.flush_model(["state"])
        claimed = claim_ids(
            self.env,
            SQL(
                """
                SELECT id FROM marketplace_seller_registration
                 WHERE id = ANY(%s) AND state = 'pending'
              ORDER BY id
                   FOR UPDATE SKIP LOCKED
                """,
                registrations.ids,
            ),
        )
        for registration in self.browse(claimed):
            registration._process()

    def _process(self):
        self.ensure_one()
        Partner = self.env["res.partner"].with_context(active_test=False)
        email = email_normalize(self.email) or self.email
        known = Partner.search([("email_normalized", "=", email)], limit=1) or self.env[
            "res.users"
        ].with_context(active_test=False).search([("login", "=ilike", email)], limit=1)
        if known:
            send_template(
                self.env,
                "marketplace_crm.mail_template_seller_registration_known",
                self,
            )
            self.state = "known"
            return
        seller = Partner.with_company(self.company_id)._marketplace_create_seller(
            {
                "name": self.name,
                "email": self.email,
                "phone": self.phone,
                "shop_name": self.shop_name,
                "shop_description": self.shop_description,
                "lang": self.lang,
            }
        )
        self.write({"state": "created", "partner_id": seller.id})

    @api.model
    def _purge_processed(self, days=30):
        """Processed requests hold personal data: kept 30 days, then deleted."""
        self.search(
            [
                ("state", "!=", "pending"),
                ("write_date", "<", fields.Datetime.now() - timedelta(days=days)),
            ]
        ).unlink()
