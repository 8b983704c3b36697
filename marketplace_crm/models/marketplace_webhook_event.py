from odoo import fields, models


class MarketplaceWebhookEvent(models.Model):
    """An event a webhook may subscribe to (shipped as data)."""

    _name = "marketplace.webhook.event"
    _description = "Marketplace Webhook Event"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=10)
    description = fields.Char(translate=True)

    _code_unique = models.Constraint("UNIQUE(code)", "Each event exists once.")
