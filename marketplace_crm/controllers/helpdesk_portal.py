from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import float_round

from odoo.addons.helpdesk_type.controllers.main import HelpdeskTicketControllerTypes

URGENCY_VALUES = ("0", "1", "2", "3")


class MarketplaceHelpdeskPortal(HelpdeskTicketControllerTypes):
    """The portal ticket form of helpdesk_mgmt, with the order concerned, the
    amount at stake and the urgency. Buyer and seller are set on the server
    from the logged-in contact and the order, never taken from the form."""

    def _marketplace_portal_orders(self):
        """Confirmed orders the portal user may pick: their own purchases, read
        with their own access rights."""
        partner = request.env.user.partner_id.commercial_partner_id
        return request.env["sale.order"].search(
            [("partner_id", "child_of", partner.id), ("state", "=", "sale")],
            order="date_order desc",
            limit=50,
        )

    @http.route("/ticket/close", type="http", auth="user")
    def support_ticket_close(self, **kw):
        """helpdesk_mgmt closes the ticket of any id it is given, in sudo:
        only let a user close a ticket they may read."""
        ticket_id = kw.get("ticket_id")
        if not str(ticket_id or "").isdigit():
            return request.redirect("/my")
        ticket = request.env["helpdesk.ticket"].browse(int(ticket_id))
        try:
            ticket.check_access("read")
        except (AccessError, MissingError):
            return request.redirect("/my")
        return super().support_ticket_close(**kw)

    @http.route("/new/ticket", type="http", auth="user", website=True)
    def create_new_ticket(self, **kw):
        response = super().create_new_ticket(**kw)
        response.qcontext["marketplace_orders"] = self._marketplace_portal_orders()
        return response

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        order_id = kw.get("sale_order")
        if order_id and str(order_id).isdigit():
            # Only an order the user may read: anything else is ignored.
            order = self._marketplace_portal_orders().filtered(
                lambda o: o.id == int(order_id)
            )
            vals["sale_order_id"] = order.id or False
        try:
            amount = float(kw.get("amount") or 0.0)
        except ValueError:
            amount = 0.0
        vals["amount"] = max(float_round(amount, precision_digits=2), 0.0)
        if kw.get("urgency") in URGENCY_VALUES:
            vals["urgency"] = kw["urgency"]
        return vals
