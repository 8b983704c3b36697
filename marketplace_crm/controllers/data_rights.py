from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import content_disposition, request


class MarketplaceDataRights(http.Controller):
    """Download of a person's marketplace data: by themselves from the
    portal, or by the staff for them."""

    def _zip_response(self, partner):
        name, content = partner._marketplace_data_export()
        partner._marketplace_log_data_right(
            "data_export",
            request.env._("Personal data exported by %s.", request.env.user.name),
        )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Disposition", content_disposition(name)),
                ("Cache-Control", "no-store"),
            ],
        )

    @http.route("/my/data/export", type="http", auth="user", methods=["GET"])
    def portal_data_export(self, **kw):
        """The logged-in person's own data, as a ZIP of JSON and CSV files."""
        partner = request.env.user.partner_id.commercial_partner_id
        return self._zip_response(partner)

    @http.route(
        "/marketplace/data_export/<int:partner_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def staff_data_export(self, partner_id, **kw):
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise NotFound()
        try:
            partner._check_marketplace_data_rights_staff()
            partner.check_access("read")
        except AccessError as error:
            raise NotFound() from error
        return self._zip_response(partner)
