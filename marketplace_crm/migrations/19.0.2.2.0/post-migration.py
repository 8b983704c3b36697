"""19.0.2.2.0: the company rules of records that always have a company lose
their "or no company" clause (the rules are ``noupdate`` data, so the update
does not rewrite them): a record without a company is shared by every company
only for seller documents of a shared seller, buyers' conversion rows of a
shared buyer and document types."""

from odoo import SUPERUSER_ID, api

STRICT = "[('company_id', 'in', company_ids)]"
RULES = (
    "marketplace_dispute_company_rule",
    "marketplace_order_seller_company_rule",
    "marketplace_partner_contract_company_rule",
    "marketplace_seller_registration_company_rule",
    "marketplace_seller_review_company_rule",
    "marketplace_sales_report_company_rule",
    "marketplace_ticket_report_company_rule",
    "marketplace_seller_performance_report_company_rule",
    "marketplace_seller_outcome_report_company_rule",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for name in RULES:
        rule = env.ref(f"marketplace_crm.{name}", raise_if_not_found=False)
        if rule:
            rule.domain_force = STRICT
