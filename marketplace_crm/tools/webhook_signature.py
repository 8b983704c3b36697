"""Signatures of the marketplace's outgoing webhooks (HMAC-SHA256).

Each delivery carries the header::

    X-Marketplace-Signature: t=<unix timestamp>,v1=<hex HMAC-SHA256>

where the HMAC, keyed with the webhook's secret, is computed over
``"<timestamp>.<raw request body>"``. A receiver recomputes it with
:func:`verify_signature` and refuses a delivery whose signature differs or
whose timestamp is too old (a replayed request).
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Marketplace-Signature"
EVENT_HEADER = "X-Marketplace-Event"
DELIVERY_HEADER = "X-Marketplace-Delivery"
DEFAULT_TOLERANCE = 300  # seconds


def compute_signature(secret, timestamp, body):
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"`` keyed with ``secret``."""
    if isinstance(body, str):
        body = body.encode()
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret, body, timestamp=None):
    """The value of the signature header for this body, signed now."""
    timestamp = int(timestamp if timestamp is not None else time.time())
    return f"t={timestamp},v1={compute_signature(secret, timestamp, body)}"


def verify_signature(secret, body, header, tolerance=DEFAULT_TOLERANCE, now=None):
    """Whether ``header`` is a valid signature of ``body`` with ``secret``,
    made less than ``tolerance`` seconds ago."""
    try:
        parts = dict(item.split("=", 1) for item in (header or "").split(","))
        timestamp = int(parts["t"])
        signature = parts["v1"]
    except (KeyError, ValueError):
        return False
    now = now if now is not None else time.time()
    if tolerance and abs(now - timestamp) > tolerance:
        return False
    expected = compute_signature(secret, timestamp, body)
    return hmac.compare_digest(expected, signature)
