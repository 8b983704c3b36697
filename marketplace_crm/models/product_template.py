from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, plaintext2html

from .marketplace_helpers import send_template
from .marketplace_input import (
    IMAGE_MIMETYPES,
    check_upload,
    clean_text,
    record_id,
)
from .marketplace_input_numbers import PRICE, QUANTITY, parse_number
from .marketplace_params import get_param


class ProductTemplate(models.Model):
    _inherit = "product.template"

    marketplace_seller_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        tracking=True,
        domain=[("is_seller", "=", True)],
        ondelete="restrict",
        check_company=True,
        help="The seller who lists this product. Only validated sellers' "
        "products can be published.",
    )
    marketplace_publish_requested = fields.Boolean(
        "Publication Requested",
        copy=False,
        tracking=True,
        help="The seller asked to publish this product before their shop was "
        "validated: it goes live when the shop is validated.",
    )
    marketplace_publish_notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The seller received the publication e-mail with listing tips.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        products.filtered("is_published")._marketplace_after_publication()
        return products

    def write(self, vals):
        previous_sellers = (
            self.marketplace_seller_id if "marketplace_seller_id" in vals else None
        )
        if "is_published" in vals:
            vals = dict(vals, marketplace_publish_requested=False)
        elif vals.get("active"):
            # An archived listing of a seller blocked meanwhile comes back
            # offline, never straight onto the shop.
            self.filtered(
                lambda p: not p.active and p.is_published
            )._marketplace_unpublish_blocked()
        res = super().write(vals)
        if vals.get("is_published"):
            self._marketplace_after_publication()
        if previous_sellers is not None:
            if self.env.context.get("marketplace_bulk_assign"):
                pass  # an import: load() backfills once for every product
            elif len(self) > 1:
                self._marketplace_backfill_sales()
            else:
                self._marketplace_reassign_sales(previous_sellers)
        return res

    def _marketplace_backfill_sales(self):
        """Set-based twin of ``_marketplace_reassign_sales`` for many products:
        one INSERT creates the missing order parts of their confirmed sales,
        one UPDATE refreshes the figures of the sellers concerned (the new
        ones and those whose parts are on the same orders)."""
        # sudo: sales figures are system-maintained, whoever edits the products.
        self.env["marketplace.order.seller"].sudo()._marketplace_backfill(
            product_templates=self
        )

    def _marketplace_reassign_sales(self, previous_sellers):
        """A product given to a (new) seller brings its confirmed sales along:
        the seller's order parts exist for them and both sellers' figures
        follow."""
        # sudo: sales figures are system-maintained, whoever edits the product.
        orders = (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [("product_id.product_tmpl_id", "in", self.ids), ("state", "=", "sale")]
            )
            .order_id
        )
        orders._create_marketplace_parts()
        (previous_sellers | self.marketplace_seller_id)._refresh_seller_sales_figures()

    def _marketplace_request_publication(self):
        """Publish the seller's product now if the seller may publish, or as
        soon as their shop is validated. Return whether it is live."""
        self.ensure_one()
        seller = self.marketplace_seller_id
        if seller.verification_state in ("draft", "pending") and (
            not seller.seller_suspended
        ):
            self.marketplace_publish_requested = True
            return False
        # Live now, or refused by the publication gate with its own message.
        self.is_published = True
        return True

    def _marketplace_set_publication(self, publish):
        """The seller publishes or unpublishes the listing (the portal, the
        API). Return True when live, False when waiting for the shop's
        validation, None when unpublished."""
        self.ensure_one()
        if not publish:
            self.write({"is_published": False, "marketplace_publish_requested": False})
            return None
        return self._marketplace_request_publication()

    def _marketplace_after_publication(self):
        """First publication of a seller's product: the seller gets the
        confirmation e-mail with listing tips (once per product) and their
        onboarding moves on."""
        products = self.filtered(
            lambda p: p.marketplace_seller_id and not p.marketplace_publish_notified
        )
        if not products:
            return
        # sudo: publication may come from the seller's portal; the flag and
        # the e-mail are system-maintained.
        products.sudo().marketplace_publish_notified = True
        # sudo: see above.
        send_template(
            self.env(su=True),
            "marketplace_crm.mail_template_listing_published",
            products,
        )
        products.marketplace_seller_id._marketplace_onboarding_sync()

    def _marketplace_unpublish_blocked(self):
        """Unpublish those of these products whose seller may not publish."""
        blocked = self.filtered(
            lambda p: (
                p.is_published
                and p.marketplace_seller_id
                and not p.marketplace_seller_id._can_publish_listings()
            )
        )
        if blocked:
            # sudo: taking a blocked seller's listing offline is the gate's
            # job, whatever the caller's website publishing rights.
            blocked.sudo().write({"is_published": False})
        return blocked

    @api.model
    def _marketplace_unpublish_for_sellers(self, sellers):
        """Unpublish every listing of ``sellers``, archived ones included (an
        archived listing keeps its publication flag and would be back on the
        shop when unarchived). Returns the products unpublished."""
        if not sellers:
            return self.browse()
        # sudo: whoever blocks a seller (staff without product rights, a job)
        # unpublishes them; only these sellers' published listings are read.
        products = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("marketplace_seller_id", "in", sellers.ids),
                    ("is_published", "=", True),
                ]
            )
        )
        products.write({"is_published": False})
        return products

    @api.constrains("is_published", "marketplace_seller_id", "active")
    def _check_marketplace_seller_can_publish(self):
        """The publication gate: whatever the path (form, import, RPC, website
        editor, unarchiving, copy), a product of a seller who is not validated
        stays unpublished."""
        for product in self:
            seller = product.marketplace_seller_id
            if product.is_published and seller and not seller._can_publish_listings():
                raise ValidationError(
                    self.env._(
                        "“%(product)s” cannot be published: its seller %(seller)s "
                        "is not validated yet (verification status: %(status)s).",
                        product=product.display_name,
                        seller=seller.display_name,
                        status=self.env._("suspended")
                        if seller.seller_suspended
                        else dict(
                            seller._fields["verification_state"]._description_selection(
                                self.env
                            )
                        )[seller.verification_state],
                    )
                )

    def _marketplace_set_quantity(self, quantity):
        """Set the quantity on hand of this product in the company's main
        warehouse, by an inventory adjustment (a stock move is recorded)."""
        self.ensure_one()
        if not self.is_storable:
            return
        # sudo: sellers set the stock of their own products from the portal.
        warehouse = (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.env.company.id)], limit=1)
        )
        if not warehouse:
            return
        product = self.product_variant_id
        # sudo: same reason, the adjustment is made for the seller.
        Quant = self.env["stock.quant"].sudo().with_context(inventory_mode=True)
        quant = Quant.search(
            [
                ("product_id", "=", product.id),
                ("location_id", "=", warehouse.lot_stock_id.id),
            ],
            limit=1,
        )
        rounding = product.uom_id.rounding
        if float_compare(quant.quantity, quantity, precision_rounding=rounding) == 0:
            return
        if quant:
            quant.inventory_quantity = quantity
        else:
            quant = Quant.create(
                {
                    "product_id": product.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "inventory_quantity": quantity,
                }
            )
        quant.action_apply_inventory()

    def _marketplace_quantity(self):
        """Quantity on hand shown to the seller."""
        self.ensure_one()
        # sudo: stock levels are not readable by portal sellers.
        return self.sudo().qty_available if self.is_storable else 0.0

    # ------------------------------------------------------------------ seller edits
    @api.model
    def _marketplace_save_listing(self, seller, form, image=None):
        """Create or update a listing of ``seller`` from what they typed (the
        portal, the API): name, description, price, quantity on hand,
        category, image (raw bytes). ``self`` is the listing to update, or
        empty to create one. Every value is checked first: a UserError
        carries the message the form shows, and nothing is written. The
        same new listing sent twice in a row (a double click) is created
        once. Returns the listing."""
        env = self.env
        vals = {
            "name": clean_text(
                env, form.get("name"), env._("Name"), required=True, max_length=128
            ),
            "description_sale": clean_text(
                env,
                form.get("description_sale"),
                env._("Description"),
                max_length=4000,
                multiline=True,
            ),
            "list_price": parse_number(
                env, form.get("list_price"), PRICE, env._("Price")
            ),
        }
        # The product page shows the e-commerce description: the seller's
        # text, as paragraphs (escaped; markup is refused above).
        vals["description_ecommerce"] = (
            plaintext2html(vals["description_sale"])
            if vals["description_sale"]
            else False
        )
        quantity = parse_number(env, form.get("quantity"), QUANTITY, env._("Quantity"))
        backorder = form.get("allow_out_of_stock_order")
        if backorder is not None:
            # The portal's choice "when out of stock": "1" keeps selling
            # (Odoo's default for a new product), "0" stops the sales.
            if str(backorder) not in ("0", "1"):
                raise UserError(env._("Choose what happens when out of stock."))
            vals["allow_out_of_stock_order"] = str(backorder) == "1"
        if form.get("categ_id"):
            category = env["product.category"].browse(record_id(form["categ_id"]))
            if not category.exists():
                raise UserError(env._("Choose the category from the list."))
            vals["categ_id"] = category.id
        if image is not None:
            vals["image_1920"] = check_upload(
                env,
                image,
                env._("Image"),
                IMAGE_MIMETYPES,
                get_param(env, "document_max_size_mb"),
            )
        with env.cr.savepoint():
            listing = self
            if listing:
                listing.write(vals)
            else:
                listing = self._marketplace_recent_listing(seller, vals) or self.create(
                    dict(
                        vals,
                        type="consu",
                        is_storable=True,
                        marketplace_seller_id=seller.id,
                    )
                )
            listing._marketplace_set_quantity(quantity)
        return listing

    @api.model
    def _marketplace_recent_listing(self, seller, vals):
        """The same listing created by the seller in the last two minutes."""
        return self.with_context(active_test=False).search(
            [
                ("marketplace_seller_id", "=", seller.id),
                ("name", "=", vals["name"]),
                ("list_price", "=", vals["list_price"]),
                ("create_date", ">=", fields.Datetime.now() - timedelta(minutes=2)),
            ],
            limit=1,
        )

    def _marketplace_public_shop(self):
        """The public profile of this product's seller for the product page,
        or None when the product has no seller buyers may see."""
        self.ensure_one()
        return self.marketplace_seller_id._marketplace_public_profile()
