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
    _suspension_reason_in_seller_language(cr)


def _suspension_reason_in_seller_language(cr):
    """The suspension e-mail states its reason in the seller's language
    (the template is ``noupdate``: its body is rewritten in every language
    where it still shows the reason stored in the job's language)."""
    cr.execute(
        """
        UPDATE mail_template t
           SET body_html = (
                SELECT jsonb_object_agg(
                           key,
                           replace(value, %(old)s, %(new)s))
                  FROM jsonb_each_text(t.body_html))
          FROM ir_model_data d
         WHERE d.module = 'marketplace_crm'
           AND d.name = 'mail_template_seller_quality_suspended'
           AND d.res_id = t.id
        """,
        {
            "old": "object.seller_id.quality_suspension_reason or ''",
            "new": "object._suspension_reason()",
        },
    )
