import json
import time
from datetime import timedelta
from unittest.mock import patch

import requests

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models import marketplace_webhook_delivery
from ..tools.webhook_signature import (
    SIGNATURE_HEADER,
    signature_header,
    verify_signature,
)
from .common import MarketplaceCase


class FakeResponse:
    def __init__(self, status_code):
        self.status_code = status_code


@tagged("post_install", "-at_install")
class TestWebhooks(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.webhook = cls.env["marketplace.webhook"].create(
            {
                "name": "Logistics partner",
                "url": "https://hooks.example.com/marketplace",
                "event_ids": [
                    (6, 0, cls.env["marketplace.webhook.event"].search([]).ids)
                ],
            }
        )
        cls.Delivery = cls.env["marketplace.webhook.delivery"]

    def _deliveries(self, event):
        return self.Delivery.search(
            [("webhook_id", "=", self.webhook.id), ("event", "=", event)]
        )

    # ------------------------------------------------------------ signature
    def test_signature_verified_and_forgery_detected(self):
        secret = "s3cret"
        body = b'{"event": "seller.validated", "data": {"seller_id": 7}}'
        now = time.time()
        header = signature_header(secret, body, timestamp=now)
        self.assertTrue(verify_signature(secret, body, header, now=now))
        self.assertFalse(
            verify_signature(secret, body.replace(b"7", b"8"), header, now=now),
            "Altered body",
        )
        self.assertFalse(verify_signature("other", body, header, now=now), "Wrong key")
        timestamp, signature = header.split(",")
        forged = f"{timestamp},v1={'0' * 64}"
        self.assertFalse(verify_signature(secret, body, forged, now=now))
        self.assertFalse(
            verify_signature(secret, body, header, now=now + 3600), "Replayed later"
        )
        for malformed in ("", "garbage", "t=abc,v1=00", signature):
            self.assertFalse(verify_signature(secret, body, malformed, now=now))

    # ------------------------------------------------------------ events
    def test_seller_events_queue_signed_deliveries(self):
        with trap_jobs() as trap:
            seller = self._create_validated_seller("Hook Atelier")
            other = self._create_seller("Rejected Atelier")
            other.action_submit_verification()
            other.with_user(self.verifier).action_reject_seller("Blurry documents")
            seller.action_suspend_seller()
        validated = self._deliveries("seller.validated")
        self.assertEqual(len(validated), 1)
        payload = json.loads(validated.payload)
        self.assertEqual(payload["event"], "seller.validated")
        self.assertEqual(payload["data"]["seller_id"], seller.id)
        self.assertNotIn("email", json.dumps(payload), "No personal data")
        rejected = self._deliveries("seller.rejected")
        self.assertEqual(json.loads(rejected.payload)["data"]["seller_id"], other.id)
        self.assertEqual(
            json.loads(rejected.payload)["data"]["rejection_reason"], "Blurry documents"
        )
        self.assertEqual(len(self._deliveries("seller.suspended")), 1)
        sent = [job.args for job in trap.enqueued_jobs if job.method_name == "_send"]
        self.assertEqual(len(sent), 3, "One job per delivery")
        # Saving the seller again announces nothing new.
        seller.write({"verification_state": "validated"})
        self.assertEqual(len(self._deliveries("seller.validated")), 1)

    def test_listing_and_dispute_events(self):
        seller = self._create_validated_seller("Listing Atelier")
        product = self._create_product(seller, "Hook vase").product_tmpl_id
        with trap_jobs():
            product.is_published = True
            product.is_published = True
        self.assertEqual(len(self._deliveries("listing.published")), 1)
        buyer = self.env["res.partner"].create({"name": "Hook Buyer"})
        self.env["ir.config_parameter"].set_param(
            "marketplace_crm.critical_dispute_amount", 500
        )
        with trap_jobs():
            dispute = self.env["marketplace.dispute"].create(
                {"buyer_id": buyer.id, "seller_id": seller.id, "amount": 100}
            )
            self.assertEqual(len(self._deliveries("dispute.opened")), 1)
            self.assertFalse(self._deliveries("dispute.critical"))
            dispute.amount = 900
            dispute.amount = 950
        critical = self._deliveries("dispute.critical")
        self.assertEqual(len(critical), 1, "Once per dispute")
        self.assertEqual(json.loads(critical.payload)["data"]["dispute_id"], dispute.id)

    def test_seller_bound_webhook_gets_only_its_seller(self):
        seller = self._create_seller("Own Atelier")
        other = self._create_seller("Foreign Atelier")
        own = self.env["marketplace.webhook"].create(
            {
                "name": "Seller tool",
                "url": "https://tool.example.com/hook",
                "event_ids": [
                    (
                        4,
                        self.env.ref(
                            "marketplace_crm.webhook_event_seller_validated"
                        ).id,
                    )
                ],
                "seller_id": seller.id,
            }
        )
        with trap_jobs():
            for partner in seller | other:
                partner.action_submit_verification()
                partner.with_user(self.verifier).action_validate_seller()
        data = [json.loads(d.payload)["data"]["seller_id"] for d in own.delivery_ids]
        self.assertEqual(data, [seller.id])
        self.assertEqual(len(self._deliveries("seller.validated")), 2)

    # ------------------------------------------------------------ delivery
    def _post(self, statuses, calls):
        statuses = list(statuses)

        def post(url, data=None, headers=None, timeout=None):
            calls.append({"url": url, "data": data, "headers": headers})
            status = statuses.pop(0)
            if isinstance(status, Exception):
                raise status
            return FakeResponse(status)

        return patch.object(marketplace_webhook_delivery.requests, "post", post)

    def test_delivery_signed_and_retried_with_backoff(self):
        with trap_jobs() as trap:
            delivery = self.webhook._queue_delivery("ping", {"hello": "world"})
        self.assertEqual(len(trap.enqueued_jobs), 1)
        calls = []
        before = fields.Datetime.now()
        with (
            self._post([500, requests.ConnectionError("down"), 200], calls),
            trap_jobs() as trap,
        ):
            delivery._send()
            self.assertEqual(delivery.state, "pending")
            self.assertEqual(delivery.attempt_count, 1)
            self.assertEqual(delivery.last_status_code, 500)
            self.assertGreaterEqual(delivery.next_try, before + timedelta(seconds=59))
            self.assertEqual(len(trap.enqueued_jobs), 1, "Retry queued")
            self.assertEqual(trap.enqueued_jobs[0].eta, delivery.next_try)
            delivery._send()
            self.assertEqual(delivery.attempt_count, 2)
            self.assertIn("down", delivery.last_error)
            self.assertGreaterEqual(delivery.next_try, before + timedelta(seconds=119))
            delivery._send()
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.attempt_count, 3)
        self.assertEqual(len(calls), 3)
        call = calls[-1]
        self.assertEqual(call["url"], self.webhook.url)
        self.assertEqual(call["headers"]["X-Marketplace-Event"], "ping")
        self.assertTrue(
            verify_signature(
                self.webhook.secret, call["data"], call["headers"][SIGNATURE_HEADER]
            )
        )
        self.assertFalse(
            verify_signature("forged", call["data"], call["headers"][SIGNATURE_HEADER])
        )
        # A delivered event is never sent twice.
        with self._post([200], calls):
            delivery._send()
        self.assertEqual(len(calls), 3)

    def test_delivery_gives_up_after_max_attempts(self):
        self.env["ir.config_parameter"].set_param(
            "marketplace_crm.webhook_max_attempts", 2
        )
        with trap_jobs():
            delivery = self.webhook._queue_delivery("ping", {})
        calls = []
        with self._post([503, 503], calls), trap_jobs() as trap:
            delivery._send()
            delivery._send()
            self.assertEqual(len(trap.enqueued_jobs), 1, "No retry after the last")
        self.assertEqual(delivery.state, "failed")
        self.assertEqual(self.webhook.delivery_failed_count, 1)
        with trap_jobs() as trap:
            delivery.action_retry()
        self.assertEqual(delivery.state, "pending")
        self.assertEqual(delivery.attempt_count, 0)
        self.assertEqual(len(trap.enqueued_jobs), 1)

    def test_webhook_url_must_be_http(self):
        with self.assertRaises(ValidationError):
            self.webhook.url = "ftp://example.com"

    def test_send_a_test_says_what_happens_and_names_the_delivery(self):
        """The button tells the manager the ping is queued and where to see
        its result; the delivery reads as an event and a webhook (not
        ``marketplace.webhook.delivery,1``), and one left pending past its
        due time says the job runner is not running."""
        with trap_jobs() as trap:
            action = self.webhook.action_send_test()
            self.assertEqual(len(trap.enqueued_jobs), 1)
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn(self.webhook.url, action["params"]["message"])
        self.assertIn("Deliveries", action["params"]["message"])
        delivery = self._deliveries("ping")
        self.assertEqual(
            delivery.display_name, f"ping to Logistics partner (#{delivery.id})"
        )
        self.assertFalse(delivery.stalled, "Just queued: not stalled yet")
        later = fields.Datetime.now() + timedelta(minutes=6)
        with patch.object(fields.Datetime, "now", return_value=later):
            delivery.invalidate_recordset(["stalled"])
            self.assertTrue(delivery.stalled)
        delivery.sudo().write({"state": "done"})
        with patch.object(fields.Datetime, "now", return_value=later):
            delivery.invalidate_recordset(["stalled"])
            self.assertFalse(delivery.stalled, "A delivered one is not stalled")
