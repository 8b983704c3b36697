from werkzeug.exceptions import RequestEntityTooLarge

from odoo import models
from odoo.http import request

# The forms that take uploads, and the page that shows their error.
UPLOAD_FORMS = {
    "/my/seller/profile": "/my/seller",
    "/my/seller/document": "/my/seller",
    "/my/seller/product/": "/my/seller",
}


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """An upload too large for the server (refused while the request is
        read, before the form's own size check) sends the person back to the
        form with its message, instead of the server's bare 413 page."""
        if isinstance(exception, RequestEntityTooLarge):
            path = request.httprequest.path
            for prefix, page in UPLOAD_FORMS.items():
                if path.startswith(prefix):
                    return request.redirect(f"{page}?upload=too_large", code=303)
        return super()._handle_error(exception)
