from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _marketplace_refusing_emails(self):
        """Those of these partners whose address is on the mail blacklist,
        read from the blacklist itself (``is_blacklisted`` is a display field
        that does not follow a blacklisting in the same transaction)."""
        emails = {e for e in self.mapped("email_normalized") if e}
        if not emails:
            return self.browse()
        # sudo: the blacklist is not readable by every user; only the
        # membership of these partners' own addresses is read.
        blacklisted = set(
            self.env["mail.blacklist"]
            .sudo()
            .search([("email", "in", list(emails))])
            .mapped("email")
        )
        return self.filtered(lambda p: p.email_normalized in blacklisted)
