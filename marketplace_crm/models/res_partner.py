from datetime import timedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from .marketplace_params import get_param

SELLER_SEGMENTS = [
    ("new", "New"),
    ("pending", "Pending verification"),
    ("active", "Active"),
    ("inactive", "Inactive"),
    ("high_performer", "High performer"),
    ("suspended", "Suspended"),
    ("rejected", "Rejected"),
]
BUYER_SEGMENTS = [
    ("prospect", "Prospect"),
    ("active", "Active buyer"),
    ("inactive", "Inactive buyer"),
]
VERIFICATION_STATES = [
    ("draft", "Draft"),
    ("pending", "Pending"),
    ("validated", "Validated"),
    ("rejected", "Rejected"),
]
# Allowed moves of the verification status (from -> to).
VERIFICATION_TRANSITIONS = {
    "draft": {"pending"},
    "pending": {"validated", "rejected", "draft"},
    "validated": {"rejected", "draft"},
    "rejected": {"pending", "draft"},
}
# The decisions only the marketplace team may take.
STAFF_DECISIONS = {"validated", "rejected"}

# The sales figures of the sellers among the partners %(partners)s (a filter
# on ``p``), from their parts of confirmed orders (marketplace.order.seller,
# %(sellers)s a filter on its ``seller_id``, read from its (seller, date)
# index alone): one row per partner, zero figures for a seller without
# sales, ``seller`` false for a partner who is no seller.
_FIGURES_CTE = """
figures AS (
    SELECT seller_id,
           COUNT(*) FILTER (WHERE day >= %(month)s) AS cm,
           SUM(amount) FILTER (WHERE day >= %(month)s) AS am,
           COUNT(*) FILTER (WHERE day >= %(prev)s AND day < %(month)s) AS cp,
           SUM(amount) FILTER (WHERE day >= %(prev)s AND day < %(month)s) AS ap,
           COUNT(*) FILTER (WHERE day >= %(rolling)s) AS cr,
           SUM(amount) FILTER (WHERE day >= %(rolling)s) AS ar,
           MAX(day) AS last_day
      FROM (SELECT seller_id, date_order::date AS day, amount
              FROM marketplace_order_seller
             WHERE %(sellers)s
               AND state = 'sale'
               AND line_count > 0
               AND date_order::date <= %(today)s) parts
  GROUP BY seller_id
), new AS (
    SELECT p.id, p.is_seller IS TRUE AS seller,
           COALESCE(f.cm, 0) AS cm, ROUND(COALESCE(f.am, 0), 2) AS am,
           COALESCE(f.cp, 0) AS cp, ROUND(COALESCE(f.ap, 0), 2) AS ap,
           COALESCE(f.cr, 0) AS cr, ROUND(COALESCE(f.ar, 0), 2) AS ar,
           f.last_day
      FROM res_partner p
 LEFT JOIN figures f ON f.seller_id = p.id
     WHERE %(partners)s
)
"""

_FIGURES_CHANGED = """
(p.seller_sale_count_month, p.seller_sale_amount_month,
 p.seller_sale_count_prev_month, p.seller_sale_amount_prev_month,
 p.seller_sale_count_30d, p.seller_sale_amount_30d, p.seller_last_sale_date)
IS DISTINCT FROM (new.cm, new.am, new.cp, new.ap, new.cr, new.ar, new.last_day)
"""

# The figures of these sellers, written where they changed (an order moved);
# returns the changed sellers.
_SELLER_FIGURES_UPDATE = f"""
WITH {_FIGURES_CTE}
UPDATE res_partner p
   SET seller_sale_count_month = new.cm,
       seller_sale_amount_month = new.am,
       seller_sale_count_prev_month = new.cp,
       seller_sale_amount_prev_month = new.ap,
       seller_sale_count_30d = new.cr,
       seller_sale_amount_30d = new.ar,
       seller_last_sale_date = new.last_day
  FROM new
 WHERE p.id = new.id AND new.seller AND {_FIGURES_CHANGED}
RETURNING p.id
"""

# Figures and segments of these partners in one statement, for the
# scheduled refresh (time passes, thresholds change): the two CASE state the
# rules of _get_seller_segment and _compute_buyer_segment in SQL (tests check
# both agree). Only the rows whose values change are written.
_FIGURES_AND_SEGMENTS_UPDATE = f"""
WITH {_FIGURES_CTE}, seg AS (
    SELECT new.*,
           CASE
               WHEN NOT new.seller THEN NULL
               WHEN p.verification_state = 'rejected' THEN 'rejected'
               WHEN p.seller_suspended THEN 'suspended'
               WHEN p.verification_state = 'draft' THEN 'new'
               WHEN p.verification_state = 'pending' THEN 'pending'
               WHEN (%(top_amount)s > 0 AND new.ar >= %(top_amount)s)
                 OR (%(top_count)s > 0 AND new.cr >= %(top_count)s)
                   THEN 'high_performer'
               WHEN %(today)s - COALESCE(new.last_day, p.verification_date::date,
                                         p.seller_registration_date)
                    >= %(inactive_days)s
                   THEN 'inactive'
               ELSE 'active'
           END AS seller_segment,
           CASE
               WHEN p.is_buyer IS NOT TRUE THEN NULL
               WHEN p.buyer_last_order_date IS NULL THEN 'prospect'
               WHEN %(today)s - p.buyer_last_order_date <= %(active_days)s
                   THEN 'active'
               ELSE 'inactive'
           END AS buyer_segment
      FROM new
      JOIN res_partner p ON p.id = new.id
)
UPDATE res_partner p
   SET seller_sale_count_month =
           CASE WHEN new.seller THEN new.cm ELSE p.seller_sale_count_month END,
       seller_sale_amount_month =
           CASE WHEN new.seller THEN new.am ELSE p.seller_sale_amount_month END,
       seller_sale_count_prev_month =
           CASE WHEN new.seller THEN new.cp ELSE p.seller_sale_count_prev_month END,
       seller_sale_amount_prev_month =
           CASE WHEN new.seller THEN new.ap ELSE p.seller_sale_amount_prev_month END,
       seller_sale_count_30d =
           CASE WHEN new.seller THEN new.cr ELSE p.seller_sale_count_30d END,
       seller_sale_amount_30d =
           CASE WHEN new.seller THEN new.ar ELSE p.seller_sale_amount_30d END,
       seller_last_sale_date =
           CASE WHEN new.seller THEN new.last_day ELSE p.seller_last_sale_date END,
       seller_segment = new.seller_segment,
       buyer_segment = new.buyer_segment
  FROM seg AS new
 WHERE p.id = new.id AND %(target)s
   AND ((new.seller AND {_FIGURES_CHANGED})
        OR (p.seller_segment, p.buyer_segment)
           IS DISTINCT FROM (new.seller_segment, new.buyer_segment))
RETURNING p.id
"""

# What the figures and segments are computed from.
SEGMENT_INPUTS = [
    "is_seller",
    "is_buyer",
    "verification_state",
    "seller_suspended",
    "verification_date",
    "seller_registration_date",
    "buyer_last_order_date",
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- roles -------------------------------------------------------------
    is_seller = fields.Boolean(
        "Seller", index=True, tracking=True, help="Lists products on the marketplace."
    )
    is_buyer = fields.Boolean(
        "Buyer", index=True, help="Browses or purchases on the marketplace."
    )
    is_logistics_partner = fields.Boolean("Logistics Partner", index=True)
    is_technical_partner = fields.Boolean("Technical Partner", index=True)

    # --- seller profile ------------------------------------------------------
    seller_registration_date = fields.Date(
        "Registered on", index=True, copy=False, tracking=True
    )
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
    profile_missing_items = fields.Char(
        "Missing from the Profile", compute="_compute_profile_completeness", store=True
    )

    # --- verification --------------------------------------------------------
    verification_state = fields.Selection(
        VERIFICATION_STATES,
        string="Verification Status",
        default="draft",
        copy=False,
        index=True,
        tracking=True,
    )
    verification_rejection_reason = fields.Text(
        "Rejection Reason", copy=False, tracking=True
    )
    verification_user_id = fields.Many2one(
        "res.users", "Decided by", copy=False, readonly=True, tracking=True
    )
    verification_date = fields.Datetime(
        "Decided on", copy=False, readonly=True, tracking=True
    )
    seller_suspended = fields.Boolean(
        "Suspended",
        copy=False,
        tracking=True,
        help="A suspended seller keeps the account but cannot sell.",
    )

    # --- seller figures (filled by the sales statistics) -----------------------
    marketplace_currency_id = fields.Many2one(
        "res.currency", compute="_compute_marketplace_currency_id"
    )
    seller_sale_count_month = fields.Integer("Sales This Month", readonly=True)
    seller_sale_amount_month = fields.Monetary(
        "Sales Value This Month",
        currency_field="marketplace_currency_id",
        readonly=True,
    )
    seller_sale_count_prev_month = fields.Integer("Sales Last Month", readonly=True)
    seller_sale_amount_prev_month = fields.Monetary(
        "Sales Value Last Month",
        currency_field="marketplace_currency_id",
        readonly=True,
    )
    seller_sale_count_30d = fields.Integer("Sales (30 days)", readonly=True)
    seller_sale_amount_30d = fields.Monetary(
        "Sales Value (30 days)", currency_field="marketplace_currency_id", readonly=True
    )
    seller_last_sale_date = fields.Date("Last Sale", readonly=True, index=True)
    seller_product_count = fields.Integer(
        "Listings", compute="_compute_seller_product_count"
    )
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

    # --- disputes ---------------------------------------------------------------
    dispute_count = fields.Integer("Disputes", compute="_compute_dispute_stats")
    dispute_open_count = fields.Integer(
        "Open Disputes", compute="_compute_dispute_stats"
    )
    dispute_refunded_count = fields.Integer(
        "Buyer Refunded", compute="_compute_dispute_stats"
    )
    dispute_partial_count = fields.Integer(
        "Partial Refunds", compute="_compute_dispute_stats"
    )
    dispute_seller_favoured_count = fields.Integer(
        "Seller Favoured", compute="_compute_dispute_stats"
    )
    dispute_withdrawn_count = fields.Integer(
        "Withdrawn", compute="_compute_dispute_stats"
    )
    dispute_rate = fields.Float(
        "Dispute Rate (%)",
        compute="_compute_dispute_stats",
        digits=(5, 1),
        help="Disputes per confirmed order, as seller and as buyer.",
    )

    has_abandoned_cart = fields.Boolean(
        "Abandoned Cart",
        compute="_compute_has_abandoned_cart",
        search="_search_has_abandoned_cart",
        help="Has a website cart left without checkout (website_sale's "
        "abandoned-cart rule).",
    )
    seller_review_ids = fields.One2many(
        "marketplace.seller.review", "seller_id", "Monthly Reviews", readonly=True
    )
    seller_event_ids = fields.One2many(
        "marketplace.seller.event", "seller_id", "Lifecycle", readonly=True
    )

    # --- support ----------------------------------------------------------------
    marketplace_ticket_count = fields.Integer(
        "Marketplace Tickets", compute="_compute_support_stats"
    )
    partner_contract_count = fields.Integer(
        "Contracts", compute="_compute_support_stats"
    )
    sla_compliance_rate = fields.Float(
        "SLA Compliance (%)",
        compute="_compute_support_stats",
        digits=(5, 1),
        help="Share of the SLA targets of this partner's tickets met on time.",
    )
    has_sla_tickets = fields.Boolean(compute="_compute_support_stats")

    # --- segments ---------------------------------------------------------------
    seller_segment = fields.Selection(
        SELLER_SEGMENTS,
        compute="_compute_seller_segment",
        store=True,
        index=True,
        help="New: registered, verification not submitted. Pending: waiting for the "
        "team. Active: validated and selling. Inactive: no sale for the configured "
        "number of days. High performer: sales of the last 30 days above the "
        "configured value or count. Suspended and Rejected: cannot sell.",
    )
    buyer_first_order_date = fields.Date("First Purchase", readonly=True)
    buyer_last_order_date = fields.Date("Last Purchase", readonly=True, index=True)
    buyer_segment = fields.Selection(
        BUYER_SEGMENTS,
        compute="_compute_buyer_segment",
        store=True,
        index=True,
        help="Prospect: no confirmed purchase yet. Active: a confirmed purchase "
        "within the configured number of days. Inactive: bought before, nothing since.",
    )

    # ------------------------------------------------------------------ computes
    def _compute_marketplace_currency_id(self):
        self.marketplace_currency_id = self.env.company.currency_id

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
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on expired documents."))
        today = fields.Date.context_today(self)
        expired = [("seller_document_ids.expiry_date", "<", today)]
        positive = (operator == "=") == value
        return expired if positive else [("id", "not any", expired)]

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

    def _compute_dispute_stats(self):
        """Dispute history as seller or buyer, a few grouped queries for all."""
        Dispute = self.env["marketplace.dispute"]
        stats = {partner.id: {"count": 0, "open": 0} for partner in self}
        orders = dict.fromkeys(self.ids, 0)
        for role in ("seller_id", "buyer_id"):
            groups = Dispute._read_group(
                [(role, "in", self.ids)], [role, "state", "outcome"], ["__count"]
            )
            for partner, state, outcome, count in groups:
                entry = stats[partner.id]
                entry["count"] += count
                if state in ("open", "under_review"):
                    entry["open"] += count
                if outcome:
                    entry[outcome] = entry.get(outcome, 0) + count
        # sudo: counting orders only, for the rate shown to staff.
        for partner, count in (
            self.env["marketplace.order.seller"]
            .sudo()
            ._read_group([("seller_id", "in", self.ids)], ["seller_id"], ["__count"])
        ):
            orders[partner.id] += count
        for partner, count in (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "sale")],
                ["partner_id"],
                ["__count"],
            )
        ):
            orders[partner.id] += count
        for partner in self:
            entry = stats[partner.id]
            partner.dispute_count = entry["count"]
            partner.dispute_open_count = entry["open"]
            partner.dispute_refunded_count = entry.get("buyer_refunded", 0)
            partner.dispute_partial_count = entry.get("partial_refund", 0)
            partner.dispute_seller_favoured_count = entry.get("seller_favoured", 0)
            partner.dispute_withdrawn_count = entry.get("withdrawn", 0)
            partner.dispute_rate = (
                100.0 * entry["count"] / orders[partner.id]
                if orders[partner.id]
                else 0.0
            )

    # ------------------------------------------------------------ carts
    def _abandoned_cart_partners(self):
        # sudo: a segment over every website cart, whoever asks.
        orders = (
            self.env["sale.order"].sudo().search([("is_abandoned_cart", "=", True)])
        )
        return orders.partner_id.commercial_partner_id

    def _compute_has_abandoned_cart(self):
        with_cart = self._abandoned_cart_partners()
        for partner in self:
            partner.has_abandoned_cart = partner.commercial_partner_id in with_cart

    def _search_has_abandoned_cart(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on abandoned carts."))
        ids = self._abandoned_cart_partners().ids
        positive = (operator == "=") == value
        return [("commercial_partner_id", "in" if positive else "not in", ids)]

    # ------------------------------------------------------------ support
    def _compute_support_stats(self):
        Ticket = self.env["helpdesk.ticket"]
        tickets = dict.fromkeys(self.ids, 0)
        for fname in ("buyer_id", "seller_id"):
            for partner, count in Ticket._read_group(
                [(fname, "in", self.ids)], [fname], ["__count"]
            ):
                tickets[partner.id] += count
        contracts = dict(
            self.env["marketplace.partner.contract"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        rates = Ticket._sla_compliance_rates("commercial_partner_id", self)
        for partner in self:
            partner.marketplace_ticket_count = tickets[partner.id]
            partner.partner_contract_count = contracts.get(partner, 0)
            partner.sla_compliance_rate = rates.get(partner.id, 100.0)
            partner.has_sla_tickets = partner.id in rates

    def action_view_marketplace_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [
            "|",
            ("buyer_id", "=", self.id),
            ("seller_id", "=", self.id),
        ]
        action["context"] = {
            "default_seller_id" if self.is_seller else "default_buyer_id": self.id,
            "default_partner_id": self.id,
        }
        return action

    def action_view_partner_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "marketplace_crm.action_marketplace_partner_contract"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def _profile_checklist(self):
        """Return the (label, is_done) pairs a seller profile needs."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        return [
            (_("Shop name"), bool(self.shop_name)),
            (_("Shop description"), bool(self.shop_description)),
            (_("Logo"), bool(self.shop_logo)),
            (_("Address"), bool(self.street and self.city and self.country_id)),
            (_("Payout bank account"), bool(self.bank_ids)),
            (
                _("Valid verification document"),
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

    @api.depends(
        "is_seller",
        "verification_state",
        "seller_suspended",
        "seller_last_sale_date",
        "seller_sale_amount_30d",
        "seller_sale_count_30d",
        "verification_date",
        "seller_registration_date",
    )
    def _compute_seller_segment(self):
        today = fields.Date.context_today(self)
        inactive_days = get_param(self.env, "seller_inactive_days")
        top_amount = get_param(self.env, "high_performer_amount")
        top_count = get_param(self.env, "high_performer_count")
        for partner in self:
            partner.seller_segment = partner._get_seller_segment(
                today, inactive_days, top_amount, top_count
            )

    def _get_seller_segment(self, today, inactive_days, top_amount, top_count):
        """The segment of one seller on ``today`` for the given thresholds."""
        self.ensure_one()
        if not self.is_seller:
            return False
        if self.verification_state == "rejected":
            return "rejected"
        if self.seller_suspended:
            return "suspended"
        if self.verification_state == "draft":
            return "new"
        if self.verification_state == "pending":
            return "pending"
        if (top_amount and self.seller_sale_amount_30d >= top_amount) or (
            top_count and self.seller_sale_count_30d >= top_count
        ):
            return "high_performer"
        since = (
            self.seller_last_sale_date
            or (self.verification_date and self.verification_date.date())
            or self.seller_registration_date
        )
        if since and (today - since).days >= inactive_days:
            return "inactive"
        return "active"

    @api.depends("is_buyer", "buyer_last_order_date")
    def _compute_buyer_segment(self):
        today = fields.Date.context_today(self)
        active_days = get_param(self.env, "buyer_active_days")
        for partner in self:
            if not partner.is_buyer:
                partner.buyer_segment = False
            elif not partner.buyer_last_order_date:
                partner.buyer_segment = "prospect"
            elif (today - partner.buyer_last_order_date).days <= active_days:
                partner.buyer_segment = "active"
            else:
                partner.buyer_segment = "inactive"

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            if vals.get("is_seller") and not vals.get("seller_registration_date"):
                vals["seller_registration_date"] = today
            if "verification_state" in vals and vals["verification_state"] != "draft":
                self._check_verification_rights(vals["verification_state"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("is_seller"):
            today = fields.Date.context_today(self)
            for partner in self.filtered(lambda p: not p.seller_registration_date):
                partner.seller_registration_date = today
        if "verification_state" in vals:
            self._check_verification_transition(vals["verification_state"])
        res = super().write(vals)
        if {"verification_state", "seller_suspended"} & set(vals):
            self._unpublish_products_of_blocked_sellers()
        return res

    # ------------------------------------------------------------------ verification
    def _check_verification_rights(self, new_state):
        if (
            new_state in STAFF_DECISIONS
            and not self.env.su
            and not self.env.user.has_group("marketplace_crm.group_marketplace_user")
        ):
            raise UserError(
                _("Only the marketplace team can validate or reject a seller.")
            )

    def _check_verification_transition(self, new_state):
        self._check_verification_rights(new_state)
        for partner in self:
            old = partner.verification_state or "draft"
            if old != new_state and new_state not in VERIFICATION_TRANSITIONS[old]:
                states = dict(
                    self._fields["verification_state"]._description_selection(self.env)
                )
                raise UserError(
                    _(
                        "%(partner)s: the verification status cannot go from "
                        "“%(old)s” to “%(new)s”.",
                        partner=partner.display_name,
                        old=states[old],
                        new=states[new_state],
                    )
                )

    def _unpublish_products_of_blocked_sellers(self):
        """A seller who can no longer sell loses the publication of their listings."""
        blocked = self.filtered(lambda p: p.is_seller and not p._can_publish_listings())
        if not blocked:
            return
        # sudo: the staff member who blocks a seller may lack product rights,
        # and only the blocked sellers' published listings are touched.
        products = (
            self.env["product.template"]
            .sudo()
            .search(
                [
                    ("marketplace_seller_id", "in", blocked.ids),
                    ("is_published", "=", True),
                ]
            )
        )
        products.write({"is_published": False})

    def _can_publish_listings(self):
        self.ensure_one()
        return self.verification_state == "validated" and not self.seller_suspended

    def action_submit_verification(self):
        """Seller (or staff on their behalf) asks the team to check the profile."""
        for partner in self:
            if not partner.is_seller:
                raise UserError(_("%s is not a seller.", partner.display_name))
            if partner.profile_completeness < 100:
                raise UserError(
                    _(
                        "The profile of %(partner)s is incomplete. "
                        "Missing: %(missing)s.",
                        partner=partner.display_name,
                        missing=partner.profile_missing_items,
                    )
                )
        self.write(
            {"verification_state": "pending", "verification_rejection_reason": False}
        )
        self._notify_operations_of_submission()
        self._marketplace_onboarding_sync()
        return True

    def action_validate_seller(self):
        for partner in self:
            if partner.verification_state != "pending":
                raise UserError(
                    _(
                        "Only a seller pending verification can be validated (%s).",
                        partner.display_name,
                    )
                )
            if partner.profile_completeness < 100:
                raise UserError(
                    _(
                        "%(partner)s cannot be validated: the profile is incomplete "
                        "(missing: %(missing)s).",
                        partner=partner.display_name,
                        missing=partner.profile_missing_items,
                    )
                )
        self.write(
            {
                "verification_state": "validated",
                "verification_user_id": self.env.user.id,
                "verification_date": fields.Datetime.now(),
                "verification_rejection_reason": False,
            }
        )
        self._send_verification_outcome()
        self._marketplace_publish_requested_listings()
        self._marketplace_onboarding_sync()
        return True

    def _marketplace_publish_requested_listings(self):
        """Products the sellers asked to publish while waiting for validation
        go live now (each sends the publication e-mail with listing tips)."""
        # sudo: staff validate the shop; publishing its waiting listings is
        # part of the validation, whatever their rights on the website.
        products = (
            self.env["product.template"]
            .sudo()
            .search(
                [
                    ("marketplace_seller_id", "in", self.ids),
                    ("marketplace_publish_requested", "=", True),
                ]
            )
        )
        products.filtered(
            lambda product: product.marketplace_seller_id._can_publish_listings()
        ).write({"is_published": True})

    def action_reject_seller(self, reason):
        """Reject the verification; ``reason`` is required and shown to the seller."""
        if not (reason or "").strip():
            raise UserError(_("A rejection needs a reason."))
        self.write(
            {
                "verification_state": "rejected",
                "verification_rejection_reason": reason.strip(),
                "verification_user_id": self.env.user.id,
                "verification_date": fields.Datetime.now(),
            }
        )
        self._send_verification_outcome()
        return True

    # ------------------------------------------------------------------ onboarding
    @api.model
    def _marketplace_register_seller(self, values):
        """Register a seller from the public form: reuse the contact of that
        e-mail (never a second account), make it a seller, give it a portal
        user invited by Odoo's sign-up e-mail, and open its onboarding
        opportunity. ``values``: name, email, phone, shop_name,
        shop_description, all checked by the caller. Returns the partner."""
        email = tools.email_normalize(values["email"])
        Partner = self.sudo()  # sudo: public sign-up; only the given values are written
        partner = Partner.search([("email_normalized", "=", email)], limit=1)
        user = partner.user_ids[:1]
        if user and not user.share:
            # An employee's address: never turn staff into a portal seller.
            return partner
        if not partner:
            partner = Partner.create(
                {"name": values["name"], "email": email, "phone": values.get("phone")}
            )
        seller_vals = {"is_seller": True}
        for fname in ("shop_name", "shop_description", "phone"):
            if values.get(fname) and not partner[fname]:
                seller_vals[fname] = values[fname]
        partner.write(seller_vals)
        if not user:
            # sudo: the public registration creates the seller's portal user.
            user = (
                self.env["res.users"]
                .sudo()
                .with_context(no_reset_password=True)
                ._create_user_from_template(
                    {
                        "email": email,
                        "login": email,
                        "partner_id": partner.id,
                        "company_id": self.env.company.id,
                        "company_ids": [(6, 0, self.env.company.ids)],
                    }
                )
            )
            user.with_context(create_user=True).action_reset_password()
        partner._marketplace_onboarding_lead()
        return partner

    def _marketplace_onboarding_lead(self):
        """The onboarding opportunity of this seller, created if missing."""
        self.ensure_one()
        Lead = self.env["crm.lead"].sudo()  # sudo: see _marketplace_register_seller
        lead = Lead.with_context(active_test=False).search(
            [("marketplace_seller_id", "=", self.id)], limit=1
        )
        if lead:
            return lead
        team = self.env.ref(
            "marketplace_crm.crm_team_seller_onboarding", raise_if_not_found=False
        )
        return Lead.create(
            {
                "name": _("Onboarding: %s", self.shop_name or self.name),
                "type": "opportunity",
                "partner_id": self.id,
                "marketplace_seller_id": self.id,
                "team_id": team.id,
                "user_id": False,
                "stage_id": Lead._onboarding_stage("registration").id,
            }
        )

    def _marketplace_onboarding_sync(self):
        """Move each seller's onboarding opportunity to the step its progress
        has reached: profile edited, profile complete (documents to check),
        validated (activation), a first product published (active seller)."""
        Lead = self.env["crm.lead"].sudo()  # sudo: the seller's progress moves it
        leads = Lead.search([("marketplace_seller_id", "in", self.ids)])
        for lead in leads:
            seller = lead.marketplace_seller_id
            step = "registration"
            if seller.shop_logo or seller.street or seller.bank_ids:
                step = "profile"
            if seller.profile_completeness >= 100 or seller.verification_state in (
                "pending",
                "rejected",
            ):
                step = "documents"
            if seller.verification_state == "validated":
                step = "activation"
                # sudo: whether one of the seller's products is published,
                # whoever triggers the sync.
                if (
                    self.env["product.template"]
                    .sudo()
                    .search_count(
                        [
                            ("marketplace_seller_id", "=", seller.id),
                            ("is_published", "=", True),
                        ],
                        limit=1,
                    )
                ):
                    step = "active"
            lead._move_forward_to(step)

    def _notify_operations_of_submission(self):
        """An activity for the operations team to check the documents."""
        user_id = get_param(self.env, "operations_user_id")
        # sudo: the configured staff user, looked up for a portal submitter.
        user = self.env["res.users"].sudo().browse(user_id).exists() or self.env.ref(
            "base.user_admin"
        )
        for partner in self:
            # sudo: the seller submits from the portal; the activity is for staff.
            partner.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=_("Check the documents of %s", partner.display_name),
                note=_("The seller submitted the profile for verification."),
            )

    def _send_verification_outcome(self):
        """E-mail each seller the outcome of the verification."""
        for partner in self:
            xmlid = (
                "marketplace_crm.mail_template_seller_validated"
                if partner.verification_state == "validated"
                else "marketplace_crm.mail_template_seller_rejected"
            )
            template = self.env.ref(xmlid, raise_if_not_found=False)
            if template and template.active:
                # sudo: the e-mail goes out whoever decides.
                template.sudo().send_mail(
                    partner.id, email_layout_xmlid="mail.mail_notification_light"
                )

    def action_open_reject_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject Seller"),
            "res_model": "marketplace.seller.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    def action_reset_verification(self):
        self.write({"verification_state": "draft"})
        return True

    def action_suspend_seller(self):
        self.write({"seller_suspended": True})
        return True

    def action_reinstate_seller(self):
        self.write({"seller_suspended": False})
        return True

    def action_view_seller_products(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "marketplace_crm.action_marketplace_listings"
        )
        action["domain"] = [("marketplace_seller_id", "=", self.id)]
        action["context"] = {"default_marketplace_seller_id": self.id}
        return action

    def action_view_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "marketplace_crm.action_marketplace_dispute"
        )
        action["domain"] = [
            "|",
            ("seller_id", "=", self.id),
            ("buyer_id", "=", self.id),
        ]
        action["context"] = {"search_default_open": 0}
        return action

    # ------------------------------------------------------------------ ratings
    def _refresh_seller_rating(self):
        """Average and count of the buyers' ratings of these sellers (one
        query), then raise or clear the low-rating alert."""
        if not self:
            return
        self.env["rating.rating"].flush_model(
            ["rating", "consumed", "res_model", "rated_partner_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT rated_partner_id, AVG(rating), COUNT(*)
                  FROM rating_rating
                 WHERE res_model = 'marketplace.order.seller'
                   AND consumed AND rating > 0
                   AND rated_partner_id = ANY(%s)
              GROUP BY rated_partner_id
                """,
                list(self.ids),
            )
        )
        figures = {row[0]: row[1:] for row in self.env.cr.fetchall()}
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
                    body=_(
                        "The average rating is back to %(avg)s, above the threshold.",
                        avg=seller.seller_rating_avg,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _notify_low_rating(self, threshold):
        self.ensure_one()
        manager = self.user_id or self.env.ref("base.user_admin")
        summary = _("Low customer rating: %(avg)s / 5", avg=self.seller_rating_avg)
        note = _(
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

    def action_view_seller_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "marketplace_crm.action_marketplace_seller_document"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------------ buyers
    def _refresh_marketplace_buyer_dates(self):
        """Set the first and last purchase dates of these commercial partners
        from their confirmed orders, in one query whatever their order count."""
        if not self:
            return
        self.env["sale.order"].flush_model(["state", "date_order", "partner_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       MIN(so.date_order)::date,
                       MAX(so.date_order)::date
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND p.commercial_partner_id IN %s
              GROUP BY p.commercial_partner_id
                """,
                tuple(self.ids),
            )
        )
        dates = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for partner in self:
            first, last = dates.get(partner.id, (False, False))
            vals = {}
            if first and not partner.is_buyer:
                vals["is_buyer"] = True
            if partner.buyer_first_order_date != (first or False):
                vals["buyer_first_order_date"] = first
            if partner.buyer_last_order_date != (last or False):
                vals["buyer_last_order_date"] = last
            if vals:
                # sudo: purchase dates are system-maintained, whoever confirms
                # or cancels the order (a portal customer paying online included).
                partner.sudo().write(vals)

    # ------------------------------------------------------------------ sellers
    SELLER_FIGURES = (
        "seller_sale_count_month",
        "seller_sale_amount_month",
        "seller_sale_count_prev_month",
        "seller_sale_amount_prev_month",
        "seller_sale_count_30d",
        "seller_sale_amount_30d",
        "seller_last_sale_date",
    )

    def _refresh_seller_sales_figures(self):
        """Recompute the sales figures of the sellers among these partners
        from their parts of confirmed orders: one query whatever their number
        of orders, and only the rows whose figures changed are written.

        A sale is a confirmed order holding the seller's products; its value
        is the untaxed subtotal of those lines converted to the company
        currency at the order's rate (``sale.order.currency_rate``, taken at
        the order date), kept on the order part (``marketplace.order.seller``).
        Returns the sellers whose figures changed.
        """
        if not self:
            return self
        return self._marketplace_update(_SELLER_FIGURES_UPDATE, self.SELLER_FIGURES)

    def _marketplace_update(self, query, fnames):
        """Run one of the figures UPDATE queries above on these partners and
        tell the ORM which stored fields of which partners it changed."""
        self._flush_marketplace_inputs()
        self.env.cr.execute(
            SQL(
                query,
                **self._marketplace_partner_filters(),
                **self._marketplace_refresh_params(),
            )
        )
        changed = self.browse(row[0] for row in self.env.cr.fetchall())
        if changed:
            changed.invalidate_recordset(list(fnames))
            changed.modified(list(fnames))
        return changed

    def _marketplace_partner_filters(self):
        """SQL filters selecting these partners (``partners``, ``target``)
        and their order parts (``sellers``).

        A dense set (a batch of the job: every marketplace partner of an id
        range) is read by range, which PostgreSQL serves from the indexes in
        order; a few scattered partners (the sellers of one order) by id.
        """
        ids = sorted(self.ids)
        low, high = ids[0], ids[-1]
        if len(ids) * 4 < high - low + 1:
            return {
                "partners": SQL("p.id = ANY(%s)", ids),
                "sellers": SQL("seller_id = ANY(%s)", ids),
                "target": SQL("TRUE"),
            }
        return {
            "partners": SQL(
                "p.id BETWEEN %s AND %s AND p.id = ANY(%s)", low, high, ids
            ),
            "sellers": SQL("seller_id BETWEEN %s AND %s", low, high),
            "target": SQL("p.id BETWEEN %s AND %s", low, high),
        }

    def _flush_marketplace_inputs(self):
        """Write to the database what the figures and segments queries read."""
        self.env["marketplace.order.seller"].flush_model(
            ["seller_id", "date_order", "state", "amount", "line_count"]
        )
        self.flush_model(
            [*SEGMENT_INPUTS, *self.SELLER_FIGURES, "seller_segment", "buyer_segment"]
        )

    # ------------------------------------------------------------------ segments
    @api.model
    def _cron_refresh_marketplace_segments(self, batch_size=20000):
        """Refresh every seller's sales figures and every seller's and buyer's
        segment, as time passes even when no record changes.

        Set-based: each batch of ``batch_size`` partners is refreshed by one
        UPDATE, which reads the sellers' order parts through their index and
        writes only the rows whose figures or segments change, then committed.
        The query count per batch is constant; running it twice, or in two
        workers at once, writes the same values.
        """
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE is_seller OR is_buyer ORDER BY id"
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(ids))
        for start in range(0, len(ids), batch_size):
            batch = self.browse(ids[start : start + batch_size])
            batch._refresh_marketplace_figures()
            cron._commit_progress(len(batch))
        return True

    def _marketplace_refresh_params(self):
        """Dates and thresholds the figures and segments depend on."""
        today = fields.Date.context_today(self)
        month = today.replace(day=1)
        return {
            "today": today,
            "month": month,
            "prev": (month - timedelta(days=1)).replace(day=1),
            "rolling": today - timedelta(days=29),
            "inactive_days": get_param(self.env, "seller_inactive_days"),
            "top_amount": get_param(self.env, "high_performer_amount"),
            "top_count": get_param(self.env, "high_performer_count"),
            "active_days": get_param(self.env, "buyer_active_days"),
        }

    def _refresh_marketplace_figures(self):
        """Refresh the sales figures and the segments of these partners in one
        query, without per-partner Python; returns the changed partners.

        The segment computes keep a segment right when a partner changes; this
        set-based twin serves the refresh, where figures and segments move
        because time passes or a threshold changed.
        """
        if not self:
            return self
        segments = [self._fields["seller_segment"], self._fields["buyer_segment"]]
        for field in segments:
            # The query computes them: no per-record compute left pending.
            self.env.remove_to_compute(field, self)
        changed = self._marketplace_update(
            _FIGURES_AND_SEGMENTS_UPDATE,
            [*self.SELLER_FIGURES, "seller_segment", "buyer_segment"],
        )
        for field in segments:
            self.env.remove_to_compute(field, changed)
        return changed
