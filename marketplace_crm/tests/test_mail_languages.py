import re

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MarketplaceCase, cron_batches_without_commit

# A record reference left in a text, such as "product.wishlist,4".
RECORD_REFERENCE = re.compile(r"\b[a-z_]+(\.[a-z_]+)+,\s?\d+\b")

# Each e-mail template of the addon with a phrase of its subject in English
# and in French.
SUBJECTS = {
    "mail_template_seller_rating_request": (
        "How was your purchase from",
        "Comment s'est passé votre achat chez",
    ),
    "mail_template_contract_renewal": ("ends on", "se termine le"),
    "mail_template_seller_validated": ("is approved", "est approuvée"),
    "mail_template_seller_rejected": ("needs changes", "doit être modifiée"),
    "mail_template_listing_published": ("is online", "est en ligne"),
    "mail_template_profile_reminder": (
        "is waiting for its first product",
        "attend son premier produit",
    ),
    "mail_template_profile_reminder_2": (
        "Need a hand to open",
        "Besoin d'un coup de main pour ouvrir",
    ),
    "mail_template_inactivity_guide": (
        "Make your listings shine again",
        "Redonnez de l'éclat à vos annonces",
    ),
    "mail_template_monthly_review": (
        "Your month on the marketplace",
        "Votre mois sur la place de marché",
    ),
    "mail_template_seller_invitation": (
        "Activate your seller account",
        "Activez votre compte vendeur",
    ),
    "mail_template_seller_submission": (
        "We received your shop",
        "Nous avons bien reçu votre boutique",
    ),
    "mail_template_ticket_acknowledgement": (
        "We received your request",
        "Nous avons bien reçu votre demande",
    ),
}

# Templates whose two languages are checked by their own tests.
COVERED_ELSEWHERE = {
    # tests/test_seller_quality_translations.py
    "mail_template_seller_document_expiring",
    "mail_template_seller_quality_alert",
    "mail_template_seller_quality_appeal_decision",
    "mail_template_seller_quality_limit",
    "mail_template_seller_quality_suspended",
    "mail_template_seller_reverification",
    # test_registration_known_address_in_each_language below
    "mail_template_seller_registration_known",
    # tests/test_coaching_capacity.py
    "mail_template_coaching_self_booking",
}

# Who receives each template, when not the seller.
RECIPIENTS = {
    "mail_template_seller_rating_request": "buyer",
    "mail_template_contract_renewal": "manager",
    "mail_template_ticket_acknowledgement": "buyer",
}


@tagged("post_install", "-at_install")
class TestMailLanguages(MarketplaceCase):
    """Every e-mail of the addon and every text its jobs write reach a French
    recipient in French and an English one in English, while the job itself
    runs in the other language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["mail", "marketplace_crm"], ["fr_FR"], overwrite=True
        )
        cls.categ = cls.env["product.category"].create({"name": "Lang Ceramics"})
        cls.people = {}
        for lang, name in (("en_US", "Emily Potter"), ("fr_FR", "Fanny Potier")):
            user = cls.env["res.users"].create(
                {
                    "name": f"{name} Manager",
                    "login": f"manager_{lang}",
                    "email": f"manager_{lang}@example.com",
                    "lang": lang,
                    "group_ids": [
                        (
                            6,
                            0,
                            [cls.env.ref("marketplace_crm.group_marketplace_user").id],
                        )
                    ],
                }
            )
            seller = cls._create_validated_seller(
                f"{name} Studio",
                lang=lang,
                email=f"seller_{lang}@example.com",
                user_id=user.id,
            )
            buyer = cls.Partner.create(
                {
                    "name": f"{name} Buyer",
                    "email": f"buyer_{lang}@example.com",
                    "lang": lang,
                    "is_buyer": True,
                }
            )
            product = cls._create_product(
                seller, f"{name} bowl", 40.0, categ_id=cls.categ.id
            )
            product.product_tmpl_id.is_published = True
            cls.people[lang] = {
                "manager": user,
                "seller": seller,
                "buyer": buyer,
                "product": product,
            }

    @staticmethod
    def _other(lang):
        return "fr_FR" if lang == "en_US" else "en_US"

    def _job_env(self, recipient_lang):
        """The environment of a job running in the recipient's other language."""
        return self.env(
            context=dict(self.env.context, lang=self._other(recipient_lang))
        )

    # ------------------------------------------------------------ records
    def _record_for(self, xmlid, lang):
        """A record of the template's model whose recipient speaks ``lang``."""
        people = self.people[lang]
        seller, buyer, product = people["seller"], people["buyer"], people["product"]
        if xmlid == "mail_template_seller_rating_request":
            order = self._create_order(buyer, [(product, 1, 40.0)])
            return order.marketplace_order_seller_ids
        if xmlid == "mail_template_contract_renewal":
            logistics = self.Partner.create(
                {"name": "Swift Parcels", "is_logistics_partner": True}
            )
            return self.env["marketplace.partner.contract"].create(
                {
                    "name": "Express delivery",
                    "partner_id": logistics.id,
                    "date_end": "2027-01-31",
                    "user_id": people["manager"].id,
                }
            )
        if xmlid == "mail_template_listing_published":
            return product.product_tmpl_id
        if xmlid == "mail_template_monthly_review":
            return self.env["marketplace.seller.review"].create(
                {
                    "seller_id": seller.id,
                    "month": "2026-05-01",
                    "sales_amount": 90.0,
                    "sales_count": 1,
                    "previous_sales_amount": 900.0,
                    "previous_sales_count": 11,
                    "declined": True,
                    "recommendations": "Advice",
                }
            )
        if xmlid == "mail_template_seller_invitation":
            return seller.user_ids[:1] or self.env["res.users"].create(
                {
                    "name": seller.name,
                    "login": seller.email,
                    "partner_id": seller.id,
                    "lang": lang,
                    "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
                }
            )
        if xmlid == "mail_template_ticket_acknowledgement":
            return self.env["helpdesk.ticket"].create(
                {
                    "name": "Parcel arrived damaged",
                    "description": "<p>The bowl is broken.</p>",
                    "partner_id": buyer.id,
                }
            )
        # The other templates are addressed to the seller.
        return seller

    def _send(self, xmlid, lang):
        """Send the template to a ``lang`` recipient from a job running in the
        other language, as the addon's code does; return the e-mail."""
        template = self.env.ref(f"marketplace_crm.{xmlid}")
        record = self._record_for(xmlid, lang)
        layout = (
            False
            if xmlid == "mail_template_seller_invitation"
            else "mail.mail_notification_light"
        )
        mail_id = template.with_env(self._job_env(lang)).send_mail(
            record.id, email_layout_xmlid=layout
        )
        return self.env["mail.mail"].browse(mail_id)

    @staticmethod
    def _translated(template, fname):
        """Whether i18n/fr.po translates this field of the template."""
        return (
            template.with_context(lang="fr_FR")[fname]
            != template.with_context(lang="en_US")[fname]
        )

    # ------------------------------------------------------------ e-mails
    def test_every_template_is_covered(self):
        templates = self.env["ir.model.data"].search(
            [("module", "=", "marketplace_crm"), ("model", "=", "mail.template")]
        )
        self.assertEqual(
            set(templates.mapped("name")), set(SUBJECTS) | COVERED_ELSEWHERE
        )

    def test_registration_known_address_in_each_language(self):
        """Someone registers with a known address: its owner is told in the
        language of the visitor's page, whatever the job's language."""
        Registration = self.env["marketplace.seller.registration"]
        for lang, phrase in (
            ("en_US", "Open a seller shop with your account"),
            ("fr_FR", "Ouvrir une boutique avec votre compte"),
        ):
            registration = Registration.create(
                {
                    "name": "Someone",
                    "email": self.people[lang]["buyer"].email,
                    "shop_name": "Shop",
                    "lang": lang,
                    "company_id": self.env.company.id,
                }
            )
            with cron_batches_without_commit(self.env):
                Registration.with_env(self._job_env(lang))._cron_process_registrations()
            mail = self.env["mail.mail"].search(
                [("email_to", "=", self.people[lang]["buyer"].email)]
            )
            self.assertEqual(registration.state, "known")
            self.assertEqual(len(mail), 1)
            self.assertIn(phrase, mail.subject)

    def test_every_email_in_the_recipients_language(self):
        for xmlid, (english, french) in SUBJECTS.items():
            template = self.env.ref(f"marketplace_crm.{xmlid}")
            for lang, phrase in (("en_US", english), ("fr_FR", french)):
                with self.subTest(template=xmlid, lang=lang):
                    mail = self._send(xmlid, lang)
                    self.assertTrue(mail, "no e-mail was generated")
                    role = RECIPIENTS.get(xmlid, "seller")
                    self.assertEqual(
                        mail.recipient_ids,
                        self.people[lang][role].partner_id
                        if role == "manager"
                        else self.people[lang][role],
                    )
                    if lang == "fr_FR" and not self._translated(template, "subject"):
                        # A new text: its French arrives with i18n/fr.po.
                        self.skipTest(f"{xmlid}: no French in i18n/fr.po yet")
                    self.assertIn(phrase, mail.subject)
                    body = mail.body_html
                    self.assertFalse(RECORD_REFERENCE.search(body), body)
                    if lang == "fr_FR" and self._translated(template, "body_html"):
                        self.assertNotIn("Hello", body)
                        self.assertIn("Bonjour", body)
                    if lang == "en_US":
                        self.assertNotIn("Bonjour", body)

    def test_one_batch_of_a_job_in_each_sellers_language(self):
        """A job queues a batch's e-mails together: each still in its
        recipient's language, one e-mail per seller."""
        english, french = self.people["en_US"]["seller"], self.people["fr_FR"]["seller"]
        Event = self.env["marketplace.seller.event"].with_env(self._job_env("en_US"))
        before = self.env["mail.mail"].search([], order="id desc", limit=1).id
        Event._job_inactivity_followups(english | french)
        Event._job_inactivity_followups(english | french)  # claimed: nothing more
        for seller, lang in ((english, "en_US"), (french, "fr_FR")):
            mail = self.env["mail.mail"].search(
                [
                    ("id", ">", before),
                    ("model", "=", "res.partner"),
                    ("res_id", "=", seller.id),
                ]
            )
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.recipient_ids, seller)
            phrase = SUBJECTS["mail_template_inactivity_guide"][lang == "fr_FR"]
            self.assertIn(phrase, mail.subject)

    def test_monthly_review_counts_orders_in_the_singular(self):
        mail = self._send("mail_template_monthly_review", "en_US")
        self.assertIn("(1 order)", mail.body_html)
        self.assertIn("(11 orders)", mail.body_html)
        self.assertNotIn("(1 orders)", mail.body_html)

    def test_seller_invitation(self):
        people = self.people["en_US"]
        user = self._record_for("mail_template_seller_invitation", "en_US")
        user._marketplace_send_seller_invitation()
        mail = self.env["mail.mail"].search(
            [("model", "=", "res.users"), ("res_id", "=", user.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, people["seller"])
        self.assertIn("Emily Potter Studio shop", mail.subject)
        self.assertNotIn("Your account at", mail.subject)
        # The sign-up link: Odoo's token, landing on "My shop".
        self.assertIn("/web/signup?", mail.body_html)
        self.assertIn("token=", mail.body_html)
        self.assertIn("redirect=%2Fmy%2Fseller", mail.body_html)
        self.assertIn(user.login, mail.body_html)
        self.assertEqual(user.partner_id.signup_type, "signup")

    def test_submission_confirmation(self):
        seller = self._create_seller("Submitted Studio", email="sub@example.com")
        customer = self.Partner.create({"name": "Not a seller", "email": "n@ex.com"})
        (seller | customer)._marketplace_send_submission_confirmation()
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", (seller | customer).ids),
                ("subject", "ilike", "for verification"),
            ]
        )
        self.assertEqual(mails.recipient_ids, seller)

    def test_ticket_acknowledgement_on_creation(self):
        Ticket = self.env["helpdesk.ticket"]
        buyer = self.people["fr_FR"]["buyer"]
        ticket = Ticket.with_env(self._job_env("fr_FR")).create(
            {
                "name": "Colis abîmé",
                "description": "<p>Cassé.</p>",
                "partner_id": buyer.id,
            }
        )
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("recipient_ids", "in", buyer.ids),
            ]
        )
        self.assertEqual(len(mails), 1)
        # The job ran in English; the French buyer reads the French subject
        # once i18n/fr.po has it.
        self.assertIn(
            "Nous avons bien reçu votre demande"
            if self._translated(
                self.env.ref("marketplace_crm.mail_template_ticket_acknowledgement"),
                "subject",
            )
            else "We received your request",
            mails.subject,
        )
        self.assertEqual(mails.recipient_ids, buyer)
        self.assertIn(ticket.number, mails.subject)
        # No acknowledgement to a logistics partner the team opens an
        # incident about.
        logistics = self.Partner.create(
            {
                "name": "Late Parcels",
                "email": "late@example.com",
                "is_logistics_partner": True,
            }
        )
        incident = Ticket.create(
            {
                "name": "Parcels lost",
                "description": "<p>Lost.</p>",
                "partner_id": logistics.id,
                "type_id": self.env.ref("marketplace_crm.helpdesk_type_incident").id,
            }
        )
        self.assertFalse(
            self.env["mail.mail"].search(
                [
                    ("model", "=", "helpdesk.ticket"),
                    ("res_id", "=", incident.id),
                    ("recipient_ids", "in", logistics.ids),
                    ("subject", "ilike", "received your request"),
                ]
            )
        )

    # ------------------------------------------------------------ job texts
    def test_monthly_review_advice_in_the_sellers_language(self):
        buyer = self.people["en_US"]["buyer"]
        with freeze_time("2026-04-12 10:00:00"):
            for lang in ("en_US", "fr_FR"):
                self._create_order(buyer, [(self.people[lang]["product"], 10, 40.0)])
        with freeze_time("2026-05-12 10:00:00"):
            for lang in ("en_US", "fr_FR"):
                self._create_order(buyer, [(self.people[lang]["product"], 1, 40.0)])
        Review = self.env["marketplace.seller.review"]
        french, english = self.people["fr_FR"]["seller"], self.people["en_US"]["seller"]
        # The job runs in English: the French seller's advice is in French.
        with freeze_time("2026-06-01 06:00:00"), cron_batches_without_commit(self.env):
            Review.with_env(self._job_env("fr_FR"))._cron_monthly_reviews()
        review = Review.search([("seller_id", "=", french.id)])
        self.assertTrue(review.declined)
        self.assertIn("De meilleures photos", review.recommendations)
        self.assertNotIn("Better photos", review.recommendations)
        mail = self.env["mail.mail"].search(
            [("model", "=", review._name), ("res_id", "=", review.id)]
        )
        self.assertIn("De meilleures photos", mail.body_html)
        self.assertIn("Votre mois sur la place de marché", mail.subject)
        # The English seller's, reviewed by the same job, in English.
        review = Review.search([("seller_id", "=", english.id)])
        self.assertIn("Better photos", review.recommendations)
        self.assertNotIn("De meilleures photos", review.recommendations)
        # And the same job running in French writes English advice for them.
        with freeze_time("2026-06-01 06:00:00"):
            vals = next(
                Review.with_env(self._job_env("en_US"))._review_values(
                    english, review.month
                )
            )
        self.assertIn("Better photos", vals["recommendations"])

    def test_coaching_meeting_and_activity_languages(self):
        Event = self.env["marketplace.seller.event"]
        for seller_lang in ("fr_FR", "en_US"):
            manager_lang = self._other(seller_lang)
            with self.subTest(seller=seller_lang, manager=manager_lang):
                seller = self.people[seller_lang]["seller"]
                manager = self.people[manager_lang]["manager"]
                seller.user_id = manager
                # The job runs in the manager's language.
                event = Event.with_env(self._job_env(seller_lang))._claim(
                    seller, "coaching", f"lang-{seller_lang}"
                )
                event._book_coaching()
                meeting = event.calendar_event_id
                activity = seller.activity_ids.filtered(
                    lambda a, manager=manager: a.user_id == manager
                )
                if seller_lang == "fr_FR":
                    self.assertIn("Séance d'accompagnement", meeting.name)
                    self.assertIn("Accompagnement en ligne", str(meeting.description))
                    self.assertIn("Coach ", activity.summary)
                    self.assertIn("No sale since the follow-up", str(activity.note))
                else:
                    self.assertIn("Coaching session", meeting.name)
                    self.assertIn("Online coaching", str(meeting.description))
                    self.assertIn("Accompagner ", activity.summary)
                    self.assertIn("Aucune vente depuis la relance", str(activity.note))

    def test_staff_activities_in_the_managers_language(self):
        for lang in ("fr_FR", "en_US"):
            with self.subTest(manager=lang):
                manager = self.people[lang]["manager"]
                contract = self._record_for("mail_template_contract_renewal", lang)
                contract.with_env(self._job_env(lang))._send_renewal_reminder(False)
                expected = (
                    "Renouveler le contrat" if lang == "fr_FR" else "Renew the contract"
                )
                self.assertIn(
                    expected, " ".join(contract.activity_ids.mapped("summary"))
                )
                team = self.env["helpdesk.ticket.team"].create(
                    {"name": f"Team {lang}", "user_id": manager.id}
                )
                ticket = self.env["helpdesk.ticket"].create(
                    {"name": "Late", "description": "<p>Late.</p>", "team_id": team.id}
                )
                ticket.with_env(self._job_env(lang))._escalate_sla_breach()
                expected = "SLA dépassé" if lang == "fr_FR" else "SLA breached"
                self.assertIn(expected, " ".join(ticket.activity_ids.mapped("summary")))
