from odoo import api, models

from .marketplace_helpers import send_template


class HelpdeskTicket(models.Model):
    """Buyers and sellers get an e-mail confirming each ticket opened by or
    for them. helpdesk_mgmt sends nothing at creation (its stage e-mails go
    out when a ticket is closed)."""

    _inherit = "helpdesk.ticket"

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._marketplace_send_acknowledgement()
        return tickets

    def _marketplace_acknowledged(self):
        """Tickets of a buyer or a seller with an e-mail address; partner
        incidents, opened by the team about a logistics or technical partner,
        are not acknowledged."""
        return self.filtered(
            lambda t: (
                t.partner_id.email
                and (t.buyer_id or t.seller_id)
                and t.marketplace_kind != "incident"
                and not (
                    t.partner_id.commercial_partner_id.is_logistics_partner
                    or t.partner_id.commercial_partner_id.is_technical_partner
                )
            )
        )

    def _marketplace_send_acknowledgement(self):
        # sudo: tickets are opened from the portal too, where templates are
        # not readable; the e-mail goes to the ticket's contact only.
        send_template(
            self.env(su=True),
            "marketplace_crm.mail_template_ticket_acknowledgement",
            self._marketplace_acknowledged(),
        )
