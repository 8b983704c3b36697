import uuid

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.marketplace_input import (
    DOCUMENT_MIMETYPES,
    check_upload,
    clean_file_name,
    clean_text,
    record_id,
)
from ..models.marketplace_params import get_param
from ..models.marketplace_quality_params import quality_param
from .seller_portal import found_or_404, request_seller

MAX_EVIDENCE_FILES = 5


class SellerQualityPortal(CustomerPortal):
    """The seller's quality page under My shop: health score explained, open
    crossings, and the appeal of a suspension or a grace period with
    evidence. Only the logged-in seller's own records are read or written."""

    def _quality_seller_or_404(self):
        return found_or_404(request_seller())

    def _quality_values(self, seller, **extra):
        # One appeal under review at a time: while it is, the page shows it
        # instead of the form.
        under_review = seller.quality_appeal_ids.filtered(
            lambda a: a.state == "submitted"
        )[:1]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "marketplace_seller_quality",
                "seller": seller,
                "factors": seller._quality_factors(),
                "open_crossings": seller.quality_crossing_ids.filtered(
                    lambda c: c.state == "open"
                ),
                "appeals": seller.quality_appeal_ids,
                "appeal_under_review": under_review,
                "can_appeal": bool(
                    (seller.quality_suspended or seller.quality_grace_until)
                    and not under_review
                ),
                "token": uuid.uuid4().hex,
                "window_days": quality_param(request.env, "quality_window_days"),
                "explanation": "",
                "error": None,
                "success": None,
            }
        )
        values.update(extra)
        return values

    def _render_quality(self, seller, **extra):
        return request.render(
            "marketplace_crm.portal_seller_quality",
            self._quality_values(seller, **extra),
        )

    @http.route("/my/seller/quality", type="http", auth="user", website=True)
    def seller_quality(self, **kw):
        seller = self._quality_seller_or_404()
        return self._render_quality(seller)

    def _read_evidence(self):
        files = [f for f in request.httprequest.files.getlist("evidence") if f.filename]
        if len(files) > MAX_EVIDENCE_FILES:
            raise UserError(
                request.env._("Attach %s files at most.", MAX_EVIDENCE_FILES)
            )
        max_mb = get_param(request.env, "document_max_size_mb")
        label = request.env._("Evidence")
        return [
            (
                clean_file_name(
                    request.env, upload.filename, request.env._("File name")
                ),
                check_upload(
                    request.env, upload.read(), label, DOCUMENT_MIMETYPES, max_mb
                ),
            )
            for upload in files
        ]

    @http.route(
        "/my/seller/quality/appeal",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def seller_quality_appeal(self, **post):
        seller = self._quality_seller_or_404()
        token = (post.get("token") or "").strip()
        try:
            if not token or len(token) > 64 or not token.isalnum():
                raise UserError(request.env._("The form expired: send it again."))
            explanation = clean_text(
                request.env,
                post.get("explanation"),
                request.env._("Explanation"),
                required=True,
                max_length=5000,
                multiline=True,
            )
            files = self._read_evidence()
            with request.env.cr.savepoint():
                # sudo: the appeal of the logged-in seller, created for them;
                # the seller is the user's own contact, never a posted id.
                appeal, __ = (
                    request.env["marketplace.quality.appeal"]
                    .sudo()
                    ._submit_for_seller(seller, explanation, files, token)
                )
        except (UserError, ValidationError) as error:
            return self._render_quality(
                seller, error=error.args[0], explanation=post.get("explanation") or ""
            )
        return request.redirect(f"/my/seller/quality/appeal/{appeal.id}?sent=1")

    def _own_appeal(self, seller, appeal_id):
        return seller.quality_appeal_ids.filtered(lambda a: a.id == appeal_id)

    @http.route(
        "/my/seller/quality/appeal/<int:appeal_id>",
        type="http",
        auth="user",
        website=True,
    )
    def seller_quality_appeal_page(self, appeal_id, **kw):
        seller = self._quality_seller_or_404()
        appeal = found_or_404(self._own_appeal(seller, appeal_id))
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "marketplace_seller_quality",
                "seller": seller,
                "appeal": appeal,
                "error": None,
                # Just sent (the redirection after the form): say so.
                "sent": kw.get("sent") == "1" and appeal.state == "submitted",
            }
        )
        return request.render("marketplace_crm.portal_seller_quality_appeal", values)

    @http.route(
        "/my/seller/quality/evidence",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def seller_quality_evidence(self, **post):
        """More evidence for an appeal under review."""
        seller = self._quality_seller_or_404()
        appeal = self._own_appeal(seller, record_id(post.get("appeal_id")))
        try:
            if not appeal or appeal.state != "submitted":
                raise UserError(
                    request.env._("This appeal does not exist or is already decided.")
                )
            files = self._read_evidence()
            if not files:
                raise UserError(request.env._("Choose a file to attach."))
            # sudo: files of the seller's own appeal.
            attachments = (
                request.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {
                            "name": name,
                            "datas": content,
                            "res_model": appeal._name,
                            "res_id": appeal.id,
                        }
                        for name, content in files
                    ]
                )
            )
            appeal.attachment_ids = [(4, att.id) for att in attachments]
            appeal.message_post(
                body=request.env._("The seller added evidence."),
                attachment_ids=attachments.ids,
                subtype_xmlid="mail.mt_note",
            )
        except (UserError, ValidationError) as error:
            return self._render_quality(seller, error=error.args[0])
        return request.redirect(f"/my/seller/quality/appeal/{appeal.id}")
