"""Sellers given to many existing products by import.

A marketplace that installs the addon hands its catalogue to its sellers
with one import of two columns: the product and its seller. Row by row, the
ORM would write each product (tracking, constraints, sales brought along),
about an hour for 200,000 products. Instead:

* an import of exactly those two columns, by database id or external id,
  from the bulk size in Settings (1,000 rows), is applied set-based: ids
  resolved in one query each, the seller column written by one UPDATE per
  batch of rows, then the constraints of that field (publication gate,
  companies) checked for all rows at once and the sales brought along in one
  pass. Nothing is tracked product by product (no 200,000 chatter
  messages). Whatever this path cannot decide alone (an unknown id, a
  contact who is not a seller, a refused row, a product without write
  access, an Automation Rule on product changes) sends the whole import
  through the ORM path below, which reports each row;
* otherwise the ORM imports the rows, writing the products once per seller
  rather than once per product, untracked from the bulk size, and the sales
  come along once at the end.
"""

from odoo import models
from odoo.exceptions import UserError, ValidationError

from .marketplace_params import get_param

PRODUCT_COLUMNS = (".id", "id")
SELLER_COLUMNS = ("marketplace_seller_id/.id", "marketplace_seller_id/id")


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def load(self, fields, data):
        if "marketplace_seller_id" not in {name.split("/")[0] for name in fields}:
            return super().load(fields, data)
        bulk = len(data) >= get_param(self.env, "bulk_import_untracked_rows")
        if bulk:
            result = self._marketplace_load_sellers(fields, data)
            if result is not None:
                return result
        context = {"marketplace_bulk_assign": True}
        if bulk:
            context["tracking_disable"] = True
        result = super(ProductTemplate, self.with_context(**context)).load(fields, data)
        if result.get("ids"):
            self.browse(result["ids"])._marketplace_backfill_sales()
        return result

    def _load_records(self, data_list, update=False):
        """During an ORM import of sellers, the rows that only set the seller
        of an existing product are written together, one write per seller."""
        if not self.env.context.get("marketplace_bulk_assign"):
            return super()._load_records(data_list, update)
        pending = {}
        records = super(
            ProductTemplate, self.with_context(marketplace_pending_sellers=pending)
        )._load_records(data_list, update)
        for seller_id, ids in pending.items():
            self.browse(ids).write({"marketplace_seller_id": seller_id})
        return self.browse(records.ids)

    def _load_records_write(self, values):
        pending = self.env.context.get("marketplace_pending_sellers")
        # ".id" rows carry the record's id among the values
        if pending is None or set(values) - {"id"} != {"marketplace_seller_id"}:
            return super()._load_records_write(values)
        pending.setdefault(values["marketplace_seller_id"], []).append(self.id)
        return None

    # ------------------------------------------------------------ set-based
    def _marketplace_load_sellers(self, fields, data):
        """The set-based import of (product, seller) rows; ``None`` when the
        ORM path must take the import (see the module docstring)."""
        if len(fields) != 2 or self._marketplace_product_automations():
            return None
        product_col = next(
            (i for i, f in enumerate(fields) if f in PRODUCT_COLUMNS), None
        )
        seller_col = next(
            (i for i, f in enumerate(fields) if f in SELLER_COLUMNS), None
        )
        if product_col is None or seller_col is None:
            return None
        product_ids = self._marketplace_resolve_ids(
            "product.template", fields[product_col], [row[product_col] for row in data]
        )
        seller_ids = self._marketplace_resolve_ids(
            "res.partner", fields[seller_col], [row[seller_col] for row in data]
        )
        if product_ids is None or seller_ids is None:
            return None
        # the last row of a product wins, as in a row-by-row import
        assignment = dict(zip(product_ids, seller_ids, strict=True))
        products = self.with_context(active_test=False).browse(list(assignment))
        sellers = self.env["res.partner"].search(
            [("id", "in", list(set(seller_ids))), ("is_seller", "=", True)]
        )
        if (
            len(products.exists()) != len(products)
            or len(sellers) != len(set(seller_ids))
            or products._filtered_access("write") != products
        ):
            return None
        try:
            with self.env.cr.savepoint():
                products._marketplace_write_sellers(assignment)
        except (UserError, ValidationError):
            self.env.invalidate_all()  # the rolled-back values may be cached
            return None
        products._marketplace_backfill_sales()
        return {"ids": products.ids, "messages": [], "nextrow": 0}

    def _marketplace_product_automations(self):
        """Automation Rules that watch product changes: they must see each
        write, so such imports go through the ORM."""
        # sudo: whether rules exist decides the path; nothing of them is shown.
        return (
            self.env["base.automation"]
            .sudo()
            .search_count(
                [
                    ("model_id.model", "in", ("product.template", "product.product")),
                    ("trigger", "in", ("on_write", "on_create_or_write")),
                ],
                limit=1,
            )
        )

    def _marketplace_resolve_ids(self, model, column, values):
        """Database ids of ``values``, given as ids (``.id`` columns) or
        external ids (``module.name``); ``None`` when one is unknown."""
        if column.endswith(".id"):
            try:
                return [int(value) for value in values]
            except (TypeError, ValueError):
                return None
        names = [tuple((value or "").split(".", 1)) for value in values]
        if any(len(name) != 2 for name in names):
            return None
        self.env.cr.execute(
            "SELECT module, name, res_id FROM ir_model_data "
            "WHERE model = %s AND (module, name) IN %s",
            [model, tuple(set(names))],
        )
        found = {
            (module, name): res_id for module, name, res_id in self.env.cr.fetchall()
        }
        if any(name not in found for name in names):
            return None
        return [found[name] for name in names]

    def _marketplace_write_sellers(self, assignment):
        """Write each product's seller from ``{product id: seller id}`` (one
        UPDATE per batch of rows), then check the field's constraints (the
        publication gate, companies) for all of them at once."""
        self.env.flush_all()
        self.modified(["marketplace_seller_id"], before=True)
        self._write_multi(
            [{"marketplace_seller_id": assignment[pid]} for pid in self.ids]
        )
        self.invalidate_recordset(["marketplace_seller_id", "write_date", "write_uid"])
        self.modified(["marketplace_seller_id"])
        self._validate_fields(["marketplace_seller_id"])
        self._check_company(["marketplace_seller_id"])
        self.env.flush_all()
