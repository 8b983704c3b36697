from odoo import fields, models


class MarketplaceSellerEvent(models.Model):
    """The quality programme and the document re-verification in the seller's
    lifecycle timeline (claimed once per crossing, appeal or document)."""

    _inherit = "marketplace.seller.event"

    event_type = fields.Selection(
        selection_add=[
            ("quality_alert", "Quality alert"),
            ("quality_grace", "Quality limit: grace period"),
            ("quality_suspension", "Suspended for quality"),
            ("quality_reinstatement", "Reinstated"),
            ("quality_appeal", "Appeal"),
            ("quality_appeal_decision", "Appeal decided"),
            ("kyc_reminder", "Document expiry reminder"),
            ("kyc_reminder_2", "Second document expiry reminder"),
            ("kyc_reverification", "Re-verification required"),
            ("kyc_revalidated", "Documents re-verified"),
        ],
        ondelete={
            "quality_alert": "cascade",
            "quality_grace": "cascade",
            "quality_suspension": "cascade",
            "quality_reinstatement": "cascade",
            "quality_appeal": "cascade",
            "quality_appeal_decision": "cascade",
            "kyc_reminder": "cascade",
            "kyc_reminder_2": "cascade",
            "kyc_reverification": "cascade",
            "kyc_revalidated": "cascade",
        },
    )
