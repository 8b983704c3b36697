"""19.0.2.2.0: every marketplace record belongs to a company.

The new ``company_id`` columns are added and filled here, before the update
makes them required, with the company each record belongs to:

- a seller's lifecycle events, quality crossings and appeals: the seller's
  figures company (the seller's company, else the main company);
- a buyer's automation episodes: the cart's company, the restocked product's
  company, else the buyer's figures company;
- webhooks: their seller's company, else the main company; deliveries: their
  webhook's; API integrations: their user's company;
- seller reviews written without one: their seller's figures company.
"""

from odoo.tools.sql import column_exists, create_column, table_exists

MAIN_COMPANY = "(SELECT MIN(id) FROM res_company)"

FILL = {
    "marketplace_seller_event": f"""
        UPDATE marketplace_seller_event e
           SET company_id = COALESCE(p.company_id, {MAIN_COMPANY})
          FROM res_partner p
         WHERE p.id = e.seller_id AND e.company_id IS NULL
    """,
    "marketplace_quality_crossing": f"""
        UPDATE marketplace_quality_crossing c
           SET company_id = COALESCE(p.company_id, {MAIN_COMPANY})
          FROM res_partner p
         WHERE p.id = c.seller_id AND c.company_id IS NULL
    """,
    "marketplace_quality_appeal": f"""
        UPDATE marketplace_quality_appeal a
           SET company_id = COALESCE(p.company_id, {MAIN_COMPANY})
          FROM res_partner p
         WHERE p.id = a.seller_id AND a.company_id IS NULL
    """,
    "marketplace_buyer_event": f"""
        UPDATE marketplace_buyer_event b
           SET company_id = so.company_id
          FROM sale_order so
         WHERE b.company_id IS NULL
           AND b.episode ~ '^cart-[0-9]+$'
           AND so.id = substring(b.episode FROM 6)::int;
        UPDATE marketplace_buyer_event b
           SET company_id = pt.company_id
          FROM product_product pp
          JOIN product_template pt ON pt.id = pp.product_tmpl_id
         WHERE b.company_id IS NULL
           AND b.episode ~ '^product-[0-9]+-restock-'
           AND pp.id = substring(b.episode FROM '^product-([0-9]+)-')::int
           AND pt.company_id IS NOT NULL;
        UPDATE marketplace_buyer_event b
           SET company_id = COALESCE(p.company_id, {MAIN_COMPANY})
          FROM res_partner p
         WHERE p.id = b.buyer_id AND b.company_id IS NULL
    """,
    "marketplace_webhook": f"""
        UPDATE marketplace_webhook w
           SET company_id = COALESCE(
                   (SELECT p.company_id FROM res_partner p WHERE p.id = w.seller_id),
                   {MAIN_COMPANY})
         WHERE w.company_id IS NULL
    """,
    "marketplace_webhook_delivery": """
        UPDATE marketplace_webhook_delivery d
           SET company_id = w.company_id
          FROM marketplace_webhook w
         WHERE w.id = d.webhook_id AND d.company_id IS NULL
    """,
    "marketplace_api_client": f"""
        UPDATE marketplace_api_client c
           SET company_id = COALESCE(u.company_id, {MAIN_COMPANY})
          FROM res_users u
         WHERE u.id = c.user_id AND c.company_id IS NULL
    """,
}

REVIEWS = f"""
    UPDATE marketplace_seller_review r
       SET company_id = COALESCE(p.company_id, {MAIN_COMPANY})
      FROM res_partner p
     WHERE p.id = r.seller_id AND r.company_id IS NULL
"""


def migrate(cr, version):
    # In this order: deliveries take their webhook's company.
    for table, query in FILL.items():
        if not table_exists(cr, table):
            continue
        if not column_exists(cr, table, "company_id"):
            create_column(cr, table, "company_id", "int4")
        cr.execute(query)
    if table_exists(cr, "marketplace_seller_review"):
        cr.execute(REVIEWS)
