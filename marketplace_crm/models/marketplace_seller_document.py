import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.mimetypes import guess_mimetype

from .marketplace_params import get_param

# Accepted files, recognised by their content, not their name.
ALLOWED_MIMETYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
}


class MarketplaceSellerDocument(models.Model):
    _name = "marketplace.seller.document"
    _description = "Seller Verification Document"
    _inherit = ["mail.thread"]
    _order = "partner_id, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Seller",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_seller", "=", True)],
    )
    document_type_id = fields.Many2one(
        "marketplace.document.type", "Type", required=True, ondelete="restrict"
    )
    category = fields.Selection(related="document_type_id.category", store=True)
    file = fields.Binary(attachment=True, required=True)
    file_name = fields.Char()
    expiry_date = fields.Date(tracking=True)
    is_expired = fields.Boolean(
        "Expired", compute="_compute_is_expired", search="_search_is_expired"
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True)
    upload_key = fields.Char(
        readonly=True,
        copy=False,
        help="The seller, type, file name, expiry date and content of a "
        "document uploaded by its seller: the same upload is stored once.",
    )

    _unique_upload_key = models.Constraint(
        "UNIQUE(upload_key)", "This document is already uploaded."
    )

    @api.model_create_multi
    def create(self, vals_list):
        documents = super().create(vals_list)
        documents.partner_id._marketplace_onboarding_sync()
        return documents

    def unlink(self):
        sellers = self.partner_id
        res = super().unlink()
        sellers._marketplace_onboarding_sync()
        return res

    @api.depends("document_type_id", "partner_id")
    def _compute_name(self):
        for doc in self:
            doc.name = " - ".join(
                filter(None, [doc.document_type_id.name, doc.partner_id.display_name])
            )

    @api.depends("expiry_date")
    def _compute_is_expired(self):
        today = fields.Date.context_today(self)
        for doc in self:
            doc.is_expired = bool(doc.expiry_date and doc.expiry_date < today)

    def _search_is_expired(self, operator, value):
        if operator != "in":
            return NotImplemented
        return [("expiry_date", "<", fields.Date.context_today(self))]

    @api.constrains("document_type_id", "expiry_date")
    def _check_expiry_date(self):
        for doc in self:
            if doc.document_type_id.requires_expiry and not doc.expiry_date:
                raise ValidationError(
                    self.env._("A %s needs an expiry date.", doc.document_type_id.name)
                )

    @api.constrains("file")
    def _check_file(self):
        """PDF, JPG or PNG only (by content), within the size set in Settings."""
        max_mb = get_param(self.env, "document_max_size_mb")
        for doc in self.filtered("file"):
            try:
                raw = base64.b64decode(doc.with_context(bin_size=False).file)
            except (binascii.Error, ValueError) as error:
                raise ValidationError(
                    self.env._("The file could not be read.")
                ) from error
            if max_mb and len(raw) > max_mb * 1024 * 1024:
                raise ValidationError(
                    self.env._(
                        "“%(name)s” is %(size).1f MB: documents may not exceed "
                        "%(max)s MB.",
                        name=doc.file_name or doc.display_name,
                        size=len(raw) / 1024 / 1024,
                        max=max_mb,
                    )
                )
            if guess_mimetype(raw) not in ALLOWED_MIMETYPES:
                raise ValidationError(
                    self.env._(
                        "“%(name)s” is not a PDF, JPG or PNG file.",
                        name=doc.file_name or doc.display_name,
                    )
                )
