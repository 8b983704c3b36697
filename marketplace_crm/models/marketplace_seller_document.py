from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class MarketplaceSellerDocument(models.Model):
    _name = "marketplace.seller.document"
    _description = "Seller Verification Document"
    _inherit = ["mail.thread"]
    _order = "partner_id, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Seller",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_seller", "=", True)],
    )
    document_type_id = fields.Many2one(
        "marketplace.document.type", "Type", required=True, ondelete="restrict"
    )
    category = fields.Selection(related="document_type_id.category", store=True)
    file = fields.Binary(attachment=True, required=True)
    file_name = fields.Char()
    expiry_date = fields.Date(tracking=True)
    is_expired = fields.Boolean(
        "Expired", compute="_compute_is_expired", search="_search_is_expired"
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True)

    @api.depends("document_type_id", "partner_id")
    def _compute_name(self):
        for doc in self:
            doc.name = " - ".join(
                filter(None, [doc.document_type_id.name, doc.partner_id.display_name])
            )

    @api.depends("expiry_date")
    def _compute_is_expired(self):
        today = fields.Date.context_today(self)
        for doc in self:
            doc.is_expired = bool(doc.expiry_date and doc.expiry_date < today)

    def _search_is_expired(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on expired documents."))
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
            return [("expiry_date", "<", today)]
        return ["|", ("expiry_date", "=", False), ("expiry_date", ">=", today)]

    @api.constrains("document_type_id", "expiry_date")
    def _check_expiry_date(self):
        for doc in self:
            if doc.document_type_id.requires_expiry and not doc.expiry_date:
                raise ValidationError(
                    _("A %s needs an expiry date.", doc.document_type_id.name)
                )
