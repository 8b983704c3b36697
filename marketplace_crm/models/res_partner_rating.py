from odoo import fields, models
from odoo.fields import Domain

from .marketplace_helpers import staff_user
from .marketplace_params import get_param


class ResPartner(models.Model):
    _inherit = "res.partner"

    seller_rating_avg = fields.Float(
        "Average Rating", readonly=True, aggregator="avg", digits=(3, 2)
    )
    seller_rating_count = fields.Integer("Number of Ratings", readonly=True)
    seller_low_rating_alert = fields.Boolean(
        "Low Rating Alert",
        readonly=True,
        copy=False,
        help="Raised when the average rating falls below the threshold set in "
        "Settings; cleared when it comes back above.",
    )

    # ------------------------------------------------------------------ ratings
    def _refresh_seller_rating(self):
        """Average and count of the buyers' ratings of these sellers (one
        query), then raise or clear the low-rating alert."""
        if not self:
            return
        # sudo: every rating of these sellers counts, whoever refreshes them.
        groups = (
            self.env["rating.rating"]
            .sudo()
            ._read_group(
                Domain("res_model", "=", "marketplace.order.seller")
                & Domain("consumed", "=", True)
                & Domain("rating", ">", 0)
                & Domain("rated_partner_id", "in", self.ids),
                ["rated_partner_id"],
                ["rating:avg", "__count"],
            )
        )
        figures = {partner.id: (avg, count) for partner, avg, count in groups}
        for seller in self:
            avg, count = figures.get(seller.id, (0.0, 0))
            avg = round(float(avg), 2)
            if (seller.seller_rating_avg, seller.seller_rating_count) != (avg, count):
                # sudo: buyers rate through a public token; the seller's
                # figures are system-maintained.
                seller.sudo().write(
                    {"seller_rating_avg": avg, "seller_rating_count": count}
                )
        self._check_low_rating_alert()

    def _check_low_rating_alert(self):
        """Alert the account manager once per crossing below the threshold."""
        threshold = get_param(self.env, "low_rating_threshold", 3.0)
        min_count = get_param(self.env, "low_rating_min_count", 5)
        for seller in self.sudo():  # sudo: see _refresh_seller_rating
            low = (
                seller.seller_rating_count >= min_count
                and seller.seller_rating_avg < threshold
            )
            if low and not seller.seller_low_rating_alert:
                seller.seller_low_rating_alert = True
                seller._notify_low_rating(threshold)
            elif not low and seller.seller_low_rating_alert:
                seller.seller_low_rating_alert = False
                seller.message_post(
                    body=self.env._(
                        "The average rating is back to %(avg)s, above the threshold.",
                        avg=seller.seller_rating_avg,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _notify_low_rating(self, threshold):
        self.ensure_one()
        manager = staff_user(self.env, self.user_id)
        # The activity and the note are for the manager: in their language.
        env = self.with_context(lang=manager.lang or self.env.lang).env
        summary = env._("Low customer rating: %(avg)s / 5", avg=self.seller_rating_avg)
        note = env._(
            "The average rating of %(seller)s fell to %(avg)s over %(count)s ratings "
            "(threshold %(threshold)s). Review recent feedback with the seller.",
            seller=self.display_name,
            avg=self.seller_rating_avg,
            count=self.seller_rating_count,
            threshold=threshold,
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=manager.id,
            summary=summary,
            note=note,
        )
        self.message_post(body=note, subtype_xmlid="mail.mt_note")
