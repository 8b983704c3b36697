import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize

from .marketplace_batches import JobRun
from .marketplace_claim import claim_ids
from .marketplace_helpers import send_template
from .marketplace_input import clean_text

# An address people type: no markup, quotes or spaces, a dotted domain.
PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)


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
            ),
        }
        email = post.get("email")
        email = (
            email_normalize(email)
            if isinstance(email, str) and len(email) <= 254
            else False
        )
        if not email or not PLAIN_EMAIL.fullmatch(email):
            raise UserError(env._("Enter a valid e-mail address."))
        data["email"] = email
        return data

    @api.model
    def _submit(self, data):
        """Store a checked request and wake the job up. The same work
        whatever the address: nothing is looked up here."""
        request = self.create(
            dict(data, lang=self.env.lang, company_id=self.env.company.id)
        )
        self.env.ref("marketplace_crm.ir_cron_seller_registrations")._trigger()
        return request

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
