from odoo import api, fields, models


class ResPartner(models.Model):
    """Marketplace roles of a contact. The marketplace behaviour of a partner
    is split by concern: ``res_partner_seller_profile`` (shop profile and its
    completeness), ``res_partner_verification`` (verification and the
    publication gate), ``res_partner_onboarding`` (registration and the CRM
    onboarding opportunity), ``res_partner_sales_figures`` (sales figures),
    ``res_partner_segment`` (seller and buyer segments and their daily
    refresh), ``res_partner_rating``, ``res_partner_support`` (disputes,
    tickets, contracts) and ``res_partner_buyer``."""

    _inherit = "res.partner"

    # --- roles -------------------------------------------------------------
    is_seller = fields.Boolean(
        "Seller", index=True, tracking=True, help="Lists products on the marketplace."
    )
    is_buyer = fields.Boolean(
        "Buyer", index=True, help="Browses or purchases on the marketplace."
    )
    is_logistics_partner = fields.Boolean("Logistics Partner", index=True)
    is_technical_partner = fields.Boolean("Technical Partner", index=True)
    seller_registration_date = fields.Date(
        "Registered on", index=True, copy=False, tracking=True
    )

    # Indexed: posting an e-mail in a chatter looks the recipients up by
    # normalized address (mail.thread), once per e-mail of the scheduled jobs;
    # unindexed, each lookup scans every contact (7 s at 300,000 partners).
    email_normalized = fields.Char(index="btree_not_null")

    seller_review_ids = fields.One2many(
        "marketplace.seller.review", "seller_id", "Monthly Reviews", readonly=True
    )
    seller_event_ids = fields.One2many(
        "marketplace.seller.event", "seller_id", "Lifecycle", readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            if vals.get("is_seller") and not vals.get("seller_registration_date"):
                vals["seller_registration_date"] = today
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("is_seller") and "seller_registration_date" not in vals:
            today = fields.Date.context_today(self)
            unregistered = self.filtered(lambda p: not p.seller_registration_date)
            if unregistered:
                super(ResPartner, unregistered).write(
                    {"seller_registration_date": today}
                )
        return super().write(vals)
