import logging
import time
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.webhook_signature import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    signature_header,
)
from .marketplace_access import check_group
from .marketplace_claim import claim_ids
from .marketplace_params import get_param

_logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
MAX_BACKOFF_SECONDS = 6 * 3600
# A delivery still pending this long after it was due was never picked up:
# the job runner is not running (Odoo started without ``--load=...,queue_job``).
STALLED_MINUTES = 5


def backoff_seconds(attempt):
    """Delay before the next try after ``attempt`` failed tries: 1, 2, 4...
    minutes, at most 6 hours."""
    return min(60 * 2 ** max(attempt - 1, 0), MAX_BACKOFF_SECONDS)


class MarketplaceWebhookDelivery(models.Model):
    """One event sent to one webhook, with its attempts.

    Sent by a queue_job job after the transaction that raised the event
    commits; a failed try (network error or non-2xx answer) schedules the
    next one with a doubling delay, up to the number of attempts set in
    Settings. Sending a delivered one again does nothing."""

    _name = "marketplace.webhook.delivery"
    _description = "Marketplace Webhook Delivery"
    _order = "id desc"

    webhook_id = fields.Many2one(
        "marketplace.webhook", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="webhook_id.company_id", store=True, index=True
    )
    event = fields.Char(required=True, readonly=True, index=True)
    payload = fields.Text(required=True, readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Delivered"), ("failed", "Failed")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    attempt_count = fields.Integer("Attempts", readonly=True)
    next_try = fields.Datetime(readonly=True)
    last_attempt_date = fields.Datetime("Last Attempt", readonly=True)
    last_status_code = fields.Integer("Last HTTP Status", readonly=True)
    last_error = fields.Char(readonly=True)
    stalled = fields.Boolean(
        compute="_compute_stalled",
        help="Pending for more than a few minutes after it was due: the job "
        "runner that sends deliveries does not seem to be running.",
    )

    def _compute_display_name(self):
        for delivery in self:
            delivery.display_name = self.env._(
                "%(event)s to %(webhook)s (#%(id)s)",
                event=delivery.event,
                webhook=delivery.webhook_id.name,
                id=delivery.id,
            )

    @api.depends("state", "next_try", "create_date")
    def _compute_stalled(self):
        limit = fields.Datetime.now() - timedelta(minutes=STALLED_MINUTES)
        for delivery in self:
            due = delivery.next_try or delivery.create_date
            delivery.stalled = bool(delivery.state == "pending" and due and due < limit)

    def _enqueue(self):
        for delivery in self:
            delivery.with_delay(
                eta=delivery.next_try or None,
                description=self.env._(
                    "Webhook %(event)s to %(webhook)s",
                    event=delivery.event,
                    webhook=delivery.webhook_id.name,
                ),
            )._send()

    def _headers(self, body):
        self.ensure_one()
        return {
            "Content-Type": "application/json",
            "User-Agent": "marketplace-crm-webhooks/1.0",
            EVENT_HEADER: self.event,
            DELIVERY_HEADER: str(self.id),
            SIGNATURE_HEADER: signature_header(
                self.webhook_id.secret, body, timestamp=time.time()
            ),
        }

    def _send(self):
        """Try to deliver (the queue_job job). Returns a short outcome."""
        self.ensure_one()
        # sudo: the job runs as the user who raised the event; deliveries and
        # the webhook's secret are system data.
        delivery = self.sudo()
        if delivery.state != "pending" or not delivery.webhook_id.active:
            return f"nothing to do ({delivery.state})"
        # Two job workers may run jobs of the same delivery at once (a retry
        # queued twice): the one that finds it held, or sent since it began,
        # leaves it to the other (see ``claim_ids``).
        if not claim_ids(
            self.env,
            SQL(
                "SELECT id FROM marketplace_webhook_delivery WHERE id = %s "
                "AND state = 'pending' FOR NO KEY UPDATE SKIP LOCKED",
                delivery.id,
            ),
        ):
            return "nothing to do (sent by another worker)"
        body = delivery.payload.encode()
        status, error = 0, False
        try:
            response = requests.post(
                delivery.webhook_id.url,
                data=body,
                headers=delivery._headers(body),
                timeout=TIMEOUT_SECONDS,
            )
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except requests.RequestException as exc:
            error = str(exc)[:250] or exc.__class__.__name__
        attempts = delivery.attempt_count + 1
        vals = {
            "attempt_count": attempts,
            "last_attempt_date": fields.Datetime.now(),
            "last_status_code": status,
            "last_error": error,
            "next_try": False,
        }
        if not error:
            vals["state"] = "done"
        elif attempts >= get_param(self.env, "webhook_max_attempts"):
            vals["state"] = "failed"
        else:
            vals["next_try"] = fields.Datetime.now() + timedelta(
                seconds=backoff_seconds(attempts)
            )
        delivery.write(vals)
        if vals.get("next_try"):
            delivery._enqueue()
        _logger.info(
            "Webhook delivery %s (%s) attempt %s: %s",
            delivery.id,
            delivery.event,
            attempts,
            error or "delivered",
        )
        return error or "delivered"

    def action_retry(self):
        """Send failed deliveries again, from a fresh attempt count."""
        check_group(self.env, "marketplace_crm.group_marketplace_manager")
        failed = self.filtered(lambda d: d.state == "failed")
        failed.write({"state": "pending", "attempt_count": 0, "next_try": False})
        failed._enqueue()
        return True
