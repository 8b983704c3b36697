from odoo import fields, models
from odoo.tools import SQL


class MarketplaceBuyerConversionReport(models.Model):
    """One row per buyer: when they registered and whether (and how fast)
    they made a first confirmed purchase. The conversion rate of a group is
    the average of ``converted_rate`` (100 for a converted buyer, else 0)."""

    _name = "marketplace.buyer.conversion.report"
    _description = "Marketplace Buyer Conversion"
    _auto = False
    _rec_name = "partner_id"
    _order = "registration_date desc"

    partner_id = fields.Many2one("res.partner", "Buyer", readonly=True)
    registration_date = fields.Date(
        readonly=True,
        help="When the buyer's contact was created, or the date of their first "
        "purchase if it is earlier (orders imported or entered after the fact): "
        "a buyer is registered by their first purchase at the latest, so the "
        "days to the first purchase are never negative.",
    )
    first_order_date = fields.Date("First Purchase", readonly=True)
    buyer_segment = fields.Selection(
        lambda self: self.env["res.partner"]._fields["buyer_segment"].selection,
        readonly=True,
    )
    converted = fields.Boolean(readonly=True)
    converted_rate = fields.Float(
        "Conversion Rate (%)", readonly=True, aggregator="avg"
    )
    days_to_convert = fields.Integer(
        "Days to First Purchase",
        readonly=True,
        aggregator="avg",
        help="Days from the registration to the first confirmed purchase (0 when "
        "the buyer registered with their first purchase); empty for buyers who "
        "have not purchased yet.",
    )
    company_id = fields.Many2one("res.company", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT p.id AS id,
           p.id AS partner_id,
           LEAST(p.create_date::date, p.buyer_first_order_date) AS registration_date,
           p.buyer_first_order_date AS first_order_date,
           p.buyer_segment AS buyer_segment,
           p.buyer_first_order_date IS NOT NULL AS converted,
           CASE WHEN p.buyer_first_order_date IS NOT NULL THEN 100.0 ELSE 0.0 END
               AS converted_rate,
           p.buyer_first_order_date
               - LEAST(p.create_date::date, p.buyer_first_order_date)
               AS days_to_convert,
           p.company_id AS company_id
              FROM res_partner p
             WHERE p.is_buyer AND p.active
            """
        )
