import hashlib

from odoo import api, fields, models, sql_db
from odoo.exceptions import ConcurrencyError, UserError
from odoo.tools import SQL

from odoo.addons.base.models.res_bank import sanitize_account_number

from .marketplace_helpers import window_action
from .marketplace_input import (
    DOCUMENT_MIMETYPES,
    IMAGE_MIMETYPES,
    check_upload,
    clean_file_name,
    clean_text,
    record_id,
)
from .marketplace_params import get_param


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- seller profile ------------------------------------------------------
    shop_name = fields.Char(tracking=True)
    shop_description = fields.Text()
    shop_logo = fields.Image(max_width=512, max_height=512)
    seller_document_ids = fields.One2many(
        "marketplace.seller.document", "partner_id", string="Verification Documents"
    )
    seller_document_count = fields.Integer(compute="_compute_seller_document_count")
    has_expired_document = fields.Boolean(
        compute="_compute_has_expired_document",
        search="_search_has_expired_document",
        string="Expired Document",
    )
    profile_completeness = fields.Integer(
        "Profile Completeness (%)",
        compute="_compute_profile_completeness",
        store=True,
        aggregator="avg",
    )
    seller_product_count = fields.Integer(
        "Listings", compute="_compute_seller_product_count"
    )
    profile_missing_items = fields.Char(
        "Missing from the Profile", compute="_compute_profile_completeness", store=True
    )

    def _compute_seller_document_count(self):
        counts = dict(
            self.env["marketplace.seller.document"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.seller_document_count = counts.get(partner._origin, 0)

    @api.depends("seller_document_ids.expiry_date")
    def _compute_has_expired_document(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.has_expired_document = any(
                doc.expiry_date and doc.expiry_date < today
                for doc in partner.seller_document_ids
            )

    def _search_has_expired_document(self, operator, value):
        if operator != "in":
            return NotImplemented
        today = fields.Date.context_today(self)
        return [("seller_document_ids.expiry_date", "<", today)]

    def _compute_seller_product_count(self):
        counts = dict(
            self.env["product.template"]._read_group(
                [("marketplace_seller_id", "in", self.ids)],
                ["marketplace_seller_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.seller_product_count = counts.get(partner._origin, 0)

    def _profile_checklist(self):
        """Return the (label, is_done) pairs a seller profile needs."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        return [
            (self.env._("Shop name"), bool(self.shop_name)),
            (self.env._("Shop description"), bool(self.shop_description)),
            (self.env._("Logo"), bool(self.shop_logo)),
            (
                self.env._("Address"),
                bool(self.street and self.city and self.country_id),
            ),
            (self.env._("Payout bank account"), bool(self.bank_ids)),
            (
                self.env._("Valid verification document"),
                any(
                    not doc.expiry_date or doc.expiry_date >= today
                    for doc in self.seller_document_ids
                ),
            ),
        ]

    @api.depends(
        "is_seller",
        "shop_name",
        "shop_description",
        "shop_logo",
        "street",
        "city",
        "country_id",
        "bank_ids",
        "seller_document_ids.expiry_date",
    )
    def _compute_profile_completeness(self):
        for partner in self:
            if not partner.is_seller:
                partner.profile_completeness = 0
                partner.profile_missing_items = False
                continue
            checklist = partner._profile_checklist()
            done = sum(1 for __, ok in checklist if ok)
            partner.profile_completeness = round(100 * done / len(checklist))
            partner.profile_missing_items = (
                ", ".join(label for label, ok in checklist if not ok) or False
            )

    def action_view_seller_products(self):
        self.ensure_one()
        return window_action(
            self.env,
            "marketplace_crm.action_marketplace_listings",
            [("marketplace_seller_id", "=", self.id)],
            {"default_marketplace_seller_id": self.id},
        )

    def action_view_seller_documents(self):
        self.ensure_one()
        return window_action(
            self.env,
            "marketplace_crm.action_marketplace_seller_document",
            [("partner_id", "=", self.id)],
            {"default_partner_id": self.id},
        )

    # ------------------------------------------------------------------ editing
    PROFILE_TEXT_FIELDS = {
        "shop_name": 128,
        "shop_description": 2000,
        "street": 128,
        "city": 128,
        "zip": 32,
    }

    def _marketplace_save_profile(self, form, logo=None):
        """Save what the seller typed on "My shop" (the portal, the API): the
        texts checked, the country picked from the list, the logo checked by
        content and size, a payout account added unless the seller already
        has it (whatever its spacing). Raise a UserError with the message the
        form shows; nothing is written then. ``logo``: raw bytes (an empty
        file is refused) or None when no file was sent."""
        self.ensure_one()
        env = self.env
        vals = {
            fname: clean_text(
                env,
                form.get(fname),
                self._fields[fname].get_description(env)["string"],
                required=fname == "shop_name",
                max_length=size,
                multiline=fname == "shop_description",
            )
            for fname, size in self.PROFILE_TEXT_FIELDS.items()
        }
        vals["country_id"] = False
        if form.get("country_id"):
            country = env["res.country"].browse(record_id(form["country_id"]))
            if not country.exists():
                raise UserError(env._("Choose the country from the list."))
            vals["country_id"] = country.id
        if logo is not None:
            vals["shop_logo"] = check_upload(
                env,
                logo,
                env._("Shop logo"),
                IMAGE_MIMETYPES,
                get_param(env, "document_max_size_mb"),
            )
        account = clean_text(
            env, form.get("acc_number"), env._("Bank account"), max_length=64
        )
        with env.cr.savepoint():
            self.write(vals)
            if account:
                self._marketplace_add_bank_account(account)
        return True

    def _marketplace_add_bank_account(self, account):
        """Add the payout account unless the seller has it already."""
        self.ensure_one()
        if sanitize_account_number(account) in self.bank_ids.mapped(
            "sanitized_acc_number"
        ):
            return self.bank_ids.filtered(
                lambda bank: (
                    bank.sanitized_acc_number == sanitize_account_number(account)
                )
            )[:1]
        # sudo: the seller's own payout account (portal users have no rights
        # on bank accounts); only the partner and the number are written.
        return (
            self.env["res.partner.bank"]
            .sudo()
            .create({"partner_id": self.id, "acc_number": account})
        )

    def _marketplace_add_document(self, document_type_id, content, file_name, expiry):
        """Add a verification document the seller uploaded (the portal, the
        API). ``content``: raw bytes. The document model checks the type of
        file and its size. The same file (same type, name and expiry date)
        sent twice, in a row or at the same moment from two sessions, is
        stored once: the second gets the stored document. Returns the
        document."""
        self.ensure_one()
        env = self.env
        doc_type = env["marketplace.document.type"].browse(record_id(document_type_id))
        if not doc_type.exists():
            raise UserError(env._("Choose the type of the document."))
        if content is None:
            raise UserError(env._("Choose a file to upload."))
        if expiry:
            try:
                expiry = fields.Date.to_date(expiry)
            except ValueError as error:
                raise UserError(
                    env._("The expiry date is not a valid date.")
                ) from error
        file = check_upload(
            env,
            content,
            env._("Document"),
            DOCUMENT_MIMETYPES,
            get_param(env, "document_max_size_mb"),
        )
        file_name = clean_file_name(env, file_name, env._("File name"))
        key = self._marketplace_upload_key(doc_type, file, file_name, expiry)
        self._marketplace_claim_upload(key)
        Document = env["marketplace.seller.document"]
        stored = Document.search([("upload_key", "=", key)], limit=1)
        if stored:
            return stored
        with env.cr.savepoint():
            return Document.create(
                {
                    "partner_id": self.id,
                    "document_type_id": doc_type.id,
                    "file": file,
                    "file_name": file_name,
                    "expiry_date": expiry or False,
                    "upload_key": key,
                }
            )

    def _marketplace_upload_key(self, doc_type, file, file_name, expiry):
        """What makes two uploads the same document: the seller, the type,
        the file's name and content, the expiry date."""
        digest = hashlib.sha256(file if isinstance(file, bytes) else file.encode())
        return hashlib.sha256(
            f"{self.id}:{doc_type.id}:{file_name or ''}:{expiry or ''}:"
            f"{digest.hexdigest()}".encode()
        ).hexdigest()

    def _marketplace_claim_upload(self, key):
        """Hold the upload ``key`` until the end of the transaction. Two
        sessions of the seller sending the same document at the same moment
        (a double click, two tabs): the one that finds the key held, or
        already stored by a transaction that committed after this one began
        (invisible to it under repeatable read), raises ``ConcurrencyError``:
        Odoo runs the request again, quietly, which then finds the stored
        document and answers as the first did."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT pg_try_advisory_xact_lock(hashtext(%s), hashtext(%s))",
                "marketplace.seller.document",
                key,
            )
        )
        if not cr.fetchone()[0]:
            raise ConcurrencyError("The same document is being uploaded.")
        # A connection of its own sees what committed since this transaction
        # began; the key held, nobody else can store it meanwhile. (A plain
        # connection, not the registry's cursor, which in a test would wait
        # for the test cursor this request holds.)
        with sql_db.db_connect(self.env.cr.dbname).cursor() as fresh:
            fresh.execute(
                "SELECT 1 FROM marketplace_seller_document WHERE upload_key = %s",
                [key],
            )
            stored_meanwhile = fresh.fetchone()
        if stored_meanwhile and not self.env[
            "marketplace.seller.document"
        ].search_count([("upload_key", "=", key)], limit=1):
            raise ConcurrencyError("The same document was just uploaded.")

    def _marketplace_portal_values(self):
        """What "My shop" shows the seller besides the contact's own fields:
        documents, reference data to choose from, open disputes and the
        latest sales (order parts, amounts in the company currency, newest
        first). Called on the seller's own contact."""
        self.ensure_one()
        env = self.env
        return {
            "documents": self.seller_document_ids,
            # Small reference tables, offered whole in the form's drop-downs.
            # pylint: disable-next=no-search-all
            "document_types": env["marketplace.document.type"].search([]),
            # pylint: disable-next=no-search-all
            "countries": env["res.country"].search([]),
            "open_disputes": env["marketplace.dispute"].search_count(
                [
                    ("seller_id", "=", self.id),
                    ("state", "in", ("open", "under_review")),
                ]
            ),
            "recent_sales": env["marketplace.order.seller"].search(
                [
                    ("seller_id", "=", self.id),
                    ("state", "=", "sale"),
                    ("line_count", ">", 0),
                ],
                order="date_order desc, id desc",
                limit=20,
            ),
        }
