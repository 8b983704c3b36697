from odoo import models

# Verification outcomes announced to the webhooks (new state -> event).
VERIFICATION_EVENTS = {"validated": "seller.validated", "rejected": "seller.rejected"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        """Announce the sellers' verification outcomes and suspensions."""
        watched = {"verification_state", "seller_suspended"} & set(vals)
        before = (
            {p.id: (p.verification_state, p.seller_suspended) for p in self}
            if watched
            else {}
        )
        res = super().write(vals)
        if watched:
            self._marketplace_emit_seller_events(before)
        return res

    def _marketplace_emit_seller_events(self, before):
        Webhook = self.env["marketplace.webhook"]
        for partner in self.filtered("is_seller"):
            state, suspended = before.get(partner.id, (False, False))
            event = None
            if partner.verification_state != state:
                event = VERIFICATION_EVENTS.get(partner.verification_state)
            if event:
                Webhook._marketplace_emit(
                    event,
                    partner._marketplace_webhook_payload(),
                    seller=partner,
                    company=partner.company_id,
                )
            if partner.seller_suspended and not suspended:
                Webhook._marketplace_emit(
                    "seller.suspended",
                    partner._marketplace_webhook_payload(),
                    seller=partner,
                    company=partner.company_id,
                )

    def _marketplace_webhook_payload(self):
        """What a webhook learns about a seller: no personal data."""
        self.ensure_one()
        return {
            "seller_id": self.id,
            "shop_name": self.shop_name or None,
            "verification_state": self.verification_state,
            "suspended": self.seller_suspended,
            "rejection_reason": self.verification_rejection_reason or None,
        }
