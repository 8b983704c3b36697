import threading
import time

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT

from .marketplace_access import check_group
from .marketplace_params import get_param

# The scope of the keys the marketplace API accepts (res.users.apikeys.scope).
API_KEY_SCOPE = "marketplace_api"
RATE_WINDOW_SECONDS = 60

# Fixed one-minute windows of calls per integration, in this server process:
# {(database, client id): [window start, calls]}.
_rate_windows = {}
_rate_lock = threading.Lock()


class MarketplaceApiClient(models.Model):
    """An integration allowed to call the marketplace REST API.

    Its key is a ``res.users.apikeys`` key of the user the calls run as (the
    seller's or buyer's portal user, or a staff user for the operator's own
    tools): every call runs with that user's rights and record rules. The key
    is shown once when generated; only its hash is kept.
    """

    _name = "marketplace.api.client"
    _description = "Marketplace API Integration"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(
        "res.users",
        "Runs as",
        required=True,
        ondelete="cascade",
        check_company=True,
        help="Every call made with the key runs as this user: a seller's or "
        "buyer's portal user sees their own records only.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The company whose managers administer this integration; its "
        "user must be allowed in it.",
    )
    partner_id = fields.Many2one(related="user_id.partner_id", string="Contact")
    apikey_id = fields.Integer("Key Reference", readonly=True, copy=False)
    key_prefix = fields.Char(
        readonly=True, copy=False, help="The first characters of the key."
    )
    key_date = fields.Datetime("Key Generated on", readonly=True, copy=False)
    rate_limit = fields.Integer(
        "Calls per Minute",
        help="0 uses the limit set in Settings.",
    )
    note = fields.Text()

    _rate_limit_positive = models.Constraint(
        "CHECK(rate_limit >= 0)", "The rate limit cannot be negative."
    )

    # ------------------------------------------------------------ keys
    def action_generate_key(self):
        """Generate (or replace) the key of this integration and show it once."""
        check_group(self.env, "marketplace_crm.group_marketplace_manager")
        self.ensure_one()
        if not self.user_id.active:
            raise UserError(self.env._("The user of this integration is archived."))
        self._revoke_key()
        # sudo: the key belongs to the integration's user, not to the staff
        # member creating it; sudo lifts the duration cap of portal users.
        Keys = self.env["res.users.apikeys"].with_user(self.user_id).sudo()
        key = Keys._generate(API_KEY_SCOPE, self.name, False)
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_users_apikeys WHERE user_id = %s AND index = %s "
                "AND scope = %s ORDER BY id DESC LIMIT 1",
                self.user_id.id,
                key[:INDEX_SIZE],
                API_KEY_SCOPE,
            )
        )
        self.write(
            {
                "apikey_id": self.env.cr.fetchone()[0],
                "key_prefix": key[:INDEX_SIZE],
                "key_date": fields.Datetime.now(),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.users.apikeys.show",
            "name": self.env._("API Key Ready"),
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_key": key},
        }

    def action_revoke_key(self):
        check_group(self.env, "marketplace_crm.group_marketplace_manager")
        self._revoke_key()
        self.write({"apikey_id": 0, "key_prefix": False, "key_date": False})
        return True

    def _revoke_key(self):
        keys = [client.apikey_id for client in self if client.apikey_id]
        if keys:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM res_users_apikeys WHERE id = ANY(%s) AND scope = %s",
                    keys,
                    API_KEY_SCOPE,
                )
            )
            self.env.registry.clear_cache()

    def write(self, vals):
        if "user_id" in vals:
            # A key belongs to one user: another user needs a new key.
            self.filtered(lambda c: c.user_id.id != vals["user_id"]).action_revoke_key()
        return super().write(vals)

    def unlink(self):
        self._revoke_key()
        return super().unlink()

    # ------------------------------------------------------------ authentication
    @api.model
    def _authenticate(self, key):
        """The active integration of this key (in sudo), or an empty recordset.

        Only keys generated for an integration (scope ``marketplace_api``),
        not expired, of an active user are accepted."""
        if not key or len(key) < INDEX_SIZE:
            return self.browse()
        self.env.cr.execute(
            SQL(
                """
                SELECT k.id, k.user_id, k.key
                  FROM res_users_apikeys k
                  JOIN res_users u ON u.id = k.user_id
                 WHERE u.active AND k.index = %s AND k.scope = %s
                   AND (k.expiration_date IS NULL
                        OR k.expiration_date >= NOW() AT TIME ZONE 'utc')
                """,
                key[:INDEX_SIZE],
                API_KEY_SCOPE,
            )
        )
        for key_id, user_id, hashed in self.env.cr.fetchall():
            if KEY_CRYPT_CONTEXT.verify(key, hashed):
                # sudo: the caller is not authenticated yet; the integration
                # is found by its key alone.
                return self.sudo().search(
                    [("apikey_id", "=", key_id), ("user_id", "=", user_id)], limit=1
                )
        return self.browse()

    # ------------------------------------------------------------ rate limit
    def _effective_rate_limit(self):
        self.ensure_one()
        return self.rate_limit or get_param(self.env, "api_rate_limit")

    def _consume_rate_limit(self, now=None):
        """Count one call in the current one-minute window of this integration.

        Return ``(allowed, limit, remaining, retry_after)``; a limit of 0
        allows every call. The counters live in this server process (a
        deployment with several workers allows up to the limit per worker)."""
        self.ensure_one()
        limit = self._effective_rate_limit()
        if not limit:
            return True, 0, 0, 0
        now = now if now is not None else time.time()
        window = int(now // RATE_WINDOW_SECONDS) * RATE_WINDOW_SECONDS
        key = (self.env.cr.dbname, self.id)
        with _rate_lock:
            start, count = _rate_windows.get(key, (window, 0))
            if start != window:
                start, count = window, 0
            allowed = count < limit
            if allowed:
                count += 1
            _rate_windows[key] = (start, count)
        retry_after = int(start + RATE_WINDOW_SECONDS - now) + 1
        return allowed, limit, max(limit - count, 0), retry_after

    @api.model
    def _reset_rate_limits(self):
        """Forget the counters of this database (tests, or a changed limit)."""
        with _rate_lock:
            for key in [k for k in _rate_windows if k[0] == self.env.cr.dbname]:
                del _rate_windows[key]
