-- Generate a large marketplace in a database where marketplace_crm is
-- installed without demo data. psql variables (see bench/run.sh):
--   sellers, buyers, lines, months, currency (the id of a second currency).
-- Every seller has two products; orders hold three lines on average, over the
-- last :months months, 5 % of them in the second currency at a rate of 1.25.
-- Two extra sellers, "Bench Special 10" and "Bench Special 10000", have exactly
-- 10 and 10,000 orders: confirming one more order for each must cost the same.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SELECT setseed(0.42) \gset

CREATE TEMP TABLE bench_params AS
SELECT :sellers::int AS sellers, :buyers::int AS buyers, :lines::int AS lines,
       :months::int AS months, (:lines::int / 3) AS orders,
       now()::timestamp AS now,
       (SELECT currency_id FROM res_company WHERE id = 1) AS company_currency,
       :currency::int AS foreign_currency,
       (SELECT res_id FROM ir_model_data WHERE module = 'uom' AND name = 'product_uom_unit') AS uom;

-- Product categories -----------------------------------------------------------
INSERT INTO product_category (name, complete_name, parent_path, create_date, write_date)
SELECT 'Bench category ' || n, 'Bench category ' || n, '', now(), now()
  FROM generate_series(1, 20) n;
UPDATE product_category SET parent_path = id || '/' WHERE parent_path = '';
CREATE TEMP TABLE bench_categ AS
SELECT row_number() OVER (ORDER BY id) AS n, id FROM product_category
 WHERE name LIKE 'Bench category %';

-- Sellers and buyers -------------------------------------------------------------
INSERT INTO res_partner (name, complete_name, type, active, is_company, autopost_bills,
                         is_seller, seller_registration_date, verification_state,
                         shop_name, create_date, write_date)
SELECT 'Bench Seller ' || n, 'Bench Seller ' || n, 'contact', true, true, 'ask',
       true, (now() - interval '30 months')::date, 'validated', 'Shop ' || n, now(), now()
  FROM generate_series(1, (SELECT sellers FROM bench_params)) n;
INSERT INTO res_partner (name, complete_name, type, active, is_company, autopost_bills,
                         is_seller, seller_registration_date, verification_state,
                         create_date, write_date)
VALUES ('Bench Special 10', 'Bench Special 10', 'contact', true, true, 'ask',
        true, (now() - interval '30 months')::date, 'validated', now(), now()),
       ('Bench Special 10000', 'Bench Special 10000', 'contact', true, true, 'ask',
        true, (now() - interval '30 months')::date, 'validated', now(), now());
INSERT INTO res_partner (name, complete_name, type, active, is_company, autopost_bills,
                         is_buyer, create_date, write_date)
SELECT 'Bench Buyer ' || n, 'Bench Buyer ' || n, 'contact', true, false, 'ask',
       true, now() - (random() * 720 || ' days')::interval, now()
  FROM generate_series(1, (SELECT buyers FROM bench_params)) n;
UPDATE res_partner SET commercial_partner_id = id
 WHERE commercial_partner_id IS NULL AND name LIKE 'Bench %';

CREATE TEMP TABLE bench_seller AS
SELECT row_number() OVER (ORDER BY id) AS n, id FROM res_partner
 WHERE is_seller AND name LIKE 'Bench Seller %';
CREATE TEMP TABLE bench_buyer AS
SELECT row_number() OVER (ORDER BY id) AS n, id FROM res_partner
 WHERE is_buyer AND name LIKE 'Bench Buyer %';
CREATE UNIQUE INDEX ON bench_seller (n);
CREATE UNIQUE INDEX ON bench_buyer (n);

-- Products: two per seller (one for each special seller) -------------------------
INSERT INTO product_template (name, type, service_tracking, uom_id, categ_id, list_price,
                              sale_ok, purchase_ok, active, is_published, publish_date,
                              base_unit_count, marketplace_seller_id, tracking, create_date, write_date)
SELECT jsonb_build_object('en_US', 'Bench product ' || s.n || '-' || k), 'consu', 'no',
       (SELECT uom FROM bench_params), c.id, 10 + (s.n * 7 + k) % 90, true, true, true,
       false, now(), 0, s.id, 'none', now(), now()
  FROM bench_seller s
  CROSS JOIN generate_series(1, 2) k
  JOIN bench_categ c ON c.n = 1 + (s.n * 2 + k) % 20;
INSERT INTO product_template (name, type, service_tracking, uom_id, categ_id, list_price,
                              sale_ok, purchase_ok, active, is_published, publish_date,
                              base_unit_count, marketplace_seller_id, tracking, create_date, write_date)
SELECT jsonb_build_object('en_US', 'Special product of ' || p.name), 'consu', 'no',
       (SELECT uom FROM bench_params), (SELECT id FROM bench_categ WHERE n = 1), 25,
       true, true, true, false, now(), 0, p.id, 'none', now(), now()
  FROM res_partner p WHERE p.name IN ('Bench Special 10', 'Bench Special 10000');
INSERT INTO product_product (product_tmpl_id, active, base_unit_count, create_date, write_date)
SELECT id, true, 0, now(), now() FROM product_template WHERE marketplace_seller_id IS NOT NULL;

CREATE TEMP TABLE bench_product AS
SELECT row_number() OVER (ORDER BY pp.id) AS n, pp.id, pt.list_price
  FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
 WHERE pt.name->>'en_US' LIKE 'Bench product %';
CREATE UNIQUE INDEX ON bench_product (n);

-- Orders over the last :months months ------------------------------------------
INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id,
                        date_order, state, currency_id, currency_rate, locked, picking_policy,
                        create_date, write_date)
SELECT 'BENCH/' || g.n, b.id, b.id, b.id, 1,
       p.now - (random() * p.months * 30.4 || ' days')::interval, 'sale',
       CASE WHEN g.n % 20 = 0 THEN p.foreign_currency ELSE p.company_currency END,
       CASE WHEN g.n % 20 = 0 THEN 1.25 ELSE 1.0 END, false, 'direct', p.now, p.now
  FROM bench_params p
 CROSS JOIN generate_series(1, p.orders) AS g(n)
  JOIN bench_buyer b ON b.n = 1 + (g.n::bigint * 7919) % p.buyers;

CREATE TEMP TABLE bench_order AS
SELECT row_number() OVER (ORDER BY id) AS n, id, currency_id, partner_id FROM sale_order WHERE name LIKE 'BENCH/%';
CREATE UNIQUE INDEX ON bench_order (n);

-- Order lines: :lines lines spread over the orders and the products --------------
INSERT INTO sale_order_line (order_id, product_id, name, product_uom_qty, product_uom_id, price_unit,
                             price_subtotal, price_total, price_tax, discount, customer_lead,
                             company_id, currency_id, order_partner_id, state, sequence,
                             create_date, write_date)
SELECT o.id, pr.id, 'Bench line', q.qty, p.uom, pr.list_price,
       q.qty * pr.list_price, q.qty * pr.list_price, 0, 0, 0, 1, o.currency_id, o.partner_id, 'sale', 10,
       now(), now()
  FROM bench_params p
 CROSS JOIN generate_series(1, p.lines) AS g(n)
  JOIN bench_order o ON o.n = 1 + (g.n - 1) % p.orders
  JOIN bench_product pr ON pr.n = 1 + ((g.n::bigint * 104729) % (SELECT count(*) FROM bench_product))
 CROSS JOIN LATERAL (SELECT 1 + g.n % 3 AS qty) q;

-- The two special sellers: exactly 10 and 10,000 one-line orders ---------------------
WITH special AS (
    SELECT pp.id AS product_id, pt.marketplace_seller_id AS seller_id,
           CASE p.name WHEN 'Bench Special 10' THEN 10 ELSE 10000 END AS orders
      FROM product_product pp
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      JOIN res_partner p ON p.id = pt.marketplace_seller_id
     WHERE p.name IN ('Bench Special 10', 'Bench Special 10000')
), new_orders AS (
    INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id,
                            date_order, state, currency_id, currency_rate, locked, picking_policy,
                            create_date, write_date, origin)
    SELECT 'BENCH/S' || s.seller_id || '/' || k, b.id, b.id, b.id, 1,
           now() - ((k % 700) || ' days')::interval, 'sale',
           (SELECT company_currency FROM bench_params), 1.0, false, 'direct', now(), now(),
           s.product_id::text
      FROM special s
     CROSS JOIN generate_series(1, s.orders) k
      JOIN bench_buyer b ON b.n = 1 + k % (SELECT buyers FROM bench_params)
    RETURNING id, partner_id, origin
)
INSERT INTO sale_order_line (order_id, product_id, name, product_uom_qty, product_uom_id, price_unit,
                             price_subtotal, price_total, price_tax, discount, customer_lead,
                             company_id, currency_id, order_partner_id, state, sequence,
                             create_date, write_date)
SELECT o.id, o.origin::int, 'Bench line', 1, (SELECT uom FROM bench_params), 25, 25, 25, 0, 0, 0,
       1, (SELECT company_currency FROM bench_params), o.partner_id, 'sale', 10, now(), now()
  FROM new_orders o;

-- Order totals (used by nothing measured here, filled for realism).
UPDATE sale_order so SET amount_untaxed = t.total, amount_total = t.total, amount_tax = 0
  FROM (SELECT order_id, SUM(price_subtotal) AS total FROM sale_order_line GROUP BY order_id) t
 WHERE t.order_id = so.id AND so.name LIKE 'BENCH/%';

-- The sellers' parts of the confirmed orders, as confirmation creates them:
-- the value of each seller's lines in company currency, rounded to the cent.
INSERT INTO marketplace_order_seller (order_id, seller_id, partner_id, company_id, date_order,
                                      state, amount, line_count, rating_request_sent,
                                      create_uid, write_uid, create_date, write_date)
SELECT so.id, pt.marketplace_seller_id, so.partner_id, so.company_id, so.date_order, so.state,
       ROUND(SUM(sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1.0)), 2), COUNT(*),
       true, 1, 1, now(), now()
  FROM sale_order_line sol
  JOIN sale_order so ON so.id = sol.order_id
  JOIN product_product pp ON pp.id = sol.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
 WHERE so.name LIKE 'BENCH/%' AND so.state = 'sale' AND pt.marketplace_seller_id IS NOT NULL
 GROUP BY so.id, pt.marketplace_seller_id;

-- Buyer purchase dates, as the addon maintains them on confirmation.
UPDATE res_partner p SET buyer_first_order_date = d.first, buyer_last_order_date = d.last
  FROM (SELECT partner_id, MIN(date_order)::date AS first, MAX(date_order)::date AS last
          FROM sale_order WHERE state = 'sale' AND name LIKE 'BENCH/%' GROUP BY partner_id) d
 WHERE d.partner_id = p.id;

-- Visibility map for the index-only scans, statistics for the planner.
VACUUM ANALYZE marketplace_order_seller;
ANALYZE;
