from odoo import fields, models


class HelpdeskSla(models.Model):
    _inherit = "helpdesk.sla"

    marketplace_contract_id = fields.Many2one(
        "marketplace.partner.contract",
        "Partner Contract",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )
    marketplace_sla_kind = fields.Selection(
        [("response", "First response"), ("resolution", "Resolution")],
        readonly=True,
    )
