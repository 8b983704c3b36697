from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # What moves the onboarding opportunity, from the portal, the backend,
    # an import or the API alike.
    ONBOARDING_INPUTS = frozenset(
        {
            "shop_name",
            "shop_description",
            "shop_logo",
            "street",
            "city",
            "zip",
            "country_id",
            "bank_ids",
            "verification_state",
            "seller_suspended",
        }
    )

    def write(self, vals):
        res = super().write(vals)
        if self.ONBOARDING_INPUTS.intersection(vals):
            self.filtered("is_seller")._marketplace_onboarding_sync()
        return res

    # ------------------------------------------------------------------ onboarding
    @api.model
    def _marketplace_create_seller(self, values):
        """Create a new seller from a registration request for an address no
        contact or user has: the contact, its portal user, the onboarding
        opportunity, and the invitation e-mail (queued) with the link to set
        a password. ``values``: name, email, phone, shop_name,
        shop_description, lang, all checked. Returns the seller."""
        # sudo: the registration job creates the seller and the portal user
        # with the checked values of the request only.
        seller = self.sudo().create(
            {
                "name": values["name"],
                "email": values["email"],
                "phone": values.get("phone") or False,
                "lang": values.get("lang") or False,
                "is_seller": True,
                "shop_name": values["shop_name"],
                "shop_description": values.get("shop_description") or False,
            }
        )
        self.env["res.users"].sudo().with_context(
            no_reset_password=True
        )._create_user_from_template(
            {
                "email": seller.email,
                "login": seller.email,
                "partner_id": seller.id,
                "company_id": self.env.company.id,
                "company_ids": [(6, 0, self.env.company.ids)],
            }
        )
        seller._marketplace_onboarding_lead()
        seller._marketplace_invite_seller()
        return seller

    def _marketplace_invite_seller(self):
        """Queue the marketplace invitation of the seller's portal user, with
        the link to set a password (never sent during the request: a mail
        server down delays it, no more)."""
        self.ensure_one()
        self.user_ids[:1]._marketplace_send_seller_invitation()

    def _marketplace_become_seller(self, values):
        """The logged-in customer opens a shop on their own account: their
        own contact becomes a seller in draft, with its onboarding
        opportunity. ``values``: shop_name, shop_description, checked."""
        self.ensure_one()
        if self.is_seller:
            return self
        self.write(
            {
                "is_seller": True,
                "shop_name": values["shop_name"],
                "shop_description": values.get("shop_description") or False,
            }
        )
        self._marketplace_onboarding_lead()
        return self

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
                "name": self.env._("Onboarding: %s", self.shop_name or self.name),
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
        # Lost opportunities too: a rejection closes the card, a new start
        # (reset to draft, submitted again) reopens it.
        leads = Lead.with_context(active_test=False).search(
            [("marketplace_seller_id", "in", self.ids)]
        )
        for lead in leads:
            seller = lead.marketplace_seller_id
            if seller.verification_state == "rejected":
                lead._marketplace_set_rejected()
                continue
            lead._marketplace_reopen_rejected()
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
