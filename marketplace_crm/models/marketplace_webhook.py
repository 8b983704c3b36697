import json
import secrets
from urllib.parse import urlparse

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .marketplace_access import check_group
from .marketplace_helpers import window_action


class MarketplaceWebhook(models.Model):
    """An outgoing webhook: the marketplace POSTs the events it subscribes to
    to its URL, signed with its secret (HMAC-SHA256, see
    ``tools/webhook_signature.py``) and retried with backoff until the
    receiver answers 2xx."""

    _name = "marketplace.webhook"
    _description = "Marketplace Webhook"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    url = fields.Char("URL", required=True, help="Receives the events by POST (JSON).")
    secret = fields.Char(
        required=True,
        copy=False,
        default=lambda self: secrets.token_hex(32),
        groups="marketplace_crm.group_marketplace_manager",
        help="Signs each delivery: the receiver checks the "
        "X-Marketplace-Signature header with it.",
    )
    event_ids = fields.Many2many(
        "marketplace.webhook.event", string="Events", required=True
    )
    seller_id = fields.Many2one(
        "res.partner",
        "Only for Seller",
        domain=[("is_seller", "=", True)],
        check_company=True,
        help="Send only the events of this seller (a seller's own integration); "
        "empty: every seller's events.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The webhook receives the events of this company's records and "
        "of the records shared by every company.",
    )
    delivery_ids = fields.One2many("marketplace.webhook.delivery", "webhook_id")
    delivery_failed_count = fields.Integer(
        "Failed Deliveries", compute="_compute_delivery_failed_count"
    )

    @api.constrains("url")
    def _check_url(self):
        for webhook in self:
            url = urlparse(webhook.url or "")
            if url.scheme not in ("http", "https") or not url.netloc:
                raise ValidationError(
                    self.env._("The webhook URL must be an http(s) address.")
                )

    def _compute_delivery_failed_count(self):
        counts = dict(
            self.env["marketplace.webhook.delivery"]._read_group(
                [("webhook_id", "in", self.ids), ("state", "=", "failed")],
                ["webhook_id"],
                ["__count"],
            )
        )
        for webhook in self:
            webhook.delivery_failed_count = counts.get(webhook, 0)

    def action_regenerate_secret(self):
        check_group(self.env, "marketplace_crm.group_marketplace_manager")
        for webhook in self:
            webhook.secret = secrets.token_hex(32)
        return True

    def action_send_test(self):
        """Queue a ``ping`` delivery to check the receiver."""
        check_group(self.env, "marketplace_crm.group_marketplace_manager")
        for webhook in self:
            webhook._queue_delivery("ping", {"webhook": webhook.name})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Test queued"),
                "message": self.env._(
                    "A ping is on its way to %(urls)s. The job runner sends it "
                    "within seconds: its result (delivered, retried or failed) "
                    "is under Deliveries.",
                    urls=", ".join(self.mapped("url")),
                ),
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_deliveries(self):
        self.ensure_one()
        return window_action(
            self.env,
            "marketplace_crm.action_marketplace_webhook_delivery",
            [("webhook_id", "=", self.id)],
        )

    # ------------------------------------------------------------ emitting
    @api.model
    def _marketplace_emit(self, event, payload, seller=None, company=None):
        """Queue a delivery of ``event`` to every active webhook subscribed to
        it (and, for the seller-bound ones, concerning their seller) of
        ``company``, the company of the record the event is about (every
        company's webhooks when the record is shared by all).

        Called from the models' overrides whoever changes the record; the
        deliveries are sent by queue_job after the transaction commits."""
        # sudo: webhooks and their deliveries are system records, whoever
        # triggers the event (a portal seller publishing a listing...).
        domain = [("event_ids.code", "=", event)]
        if company:
            domain.append(("company_id", "=", company.id))
        webhooks = self.sudo().search(domain)
        if seller:
            webhooks = webhooks.filtered(
                lambda w: not w.seller_id or w.seller_id == seller.commercial_partner_id
            )
        else:
            webhooks = webhooks.filtered(lambda w: not w.seller_id)
        for webhook in webhooks:
            webhook._queue_delivery(event, payload)
        return webhooks

    def _queue_delivery(self, event, payload):
        self.ensure_one()
        delivery = (
            self.env["marketplace.webhook.delivery"]
            .sudo()
            .create(
                {
                    "webhook_id": self.id,
                    "event": event,
                    "payload": json.dumps(
                        {
                            "event": event,
                            "created_at": fields.Datetime.now().isoformat() + "Z",
                            "data": payload,
                        },
                        sort_keys=True,
                        default=str,
                    ),
                }
            )
        )
        delivery._enqueue()
        return delivery
