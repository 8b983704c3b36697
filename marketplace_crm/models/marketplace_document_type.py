from odoo import fields, models


class MarketplaceDocumentType(models.Model):
    _name = "marketplace.document.type"
    _description = "Seller Verification Document Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    category = fields.Selection(
        [("identity", "Identity"), ("business", "Business"), ("other", "Other")],
        required=True,
        default="identity",
    )
    requires_expiry = fields.Boolean(
        "Has an Expiry Date", help="Documents of this type must state when they expire."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Asked only of the sellers of this company; empty: of every seller.",
    )
