from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestFrenchTranslations(MarketplaceCase):
    """A French-speaking user sees the addon in French (i18n/fr.po)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["marketplace_crm"], ["fr_FR"], overwrite=True
        )
        cls.fr = cls.env(context=dict(cls.env.context, lang="fr_FR"))

    def test_publication_gate_error_in_french(self):
        seller = self._create_seller("Atelier Gate FR")
        product = self._create_product(seller, "Bol").product_tmpl_id
        with (
            self.assertRaisesRegex(ValidationError, "ne peut pas être publié"),
            self.env.cr.savepoint(),
        ):
            product.with_env(self.fr).write({"is_published": True})

    def test_menus_and_selections_in_french(self):
        menu = self.env.ref("marketplace_crm.menu_marketplace_root").with_env(self.fr)
        self.assertEqual(menu.name, "Place de marché")
        segments = dict(
            self.fr["res.partner"]
            ._fields["seller_segment"]
            ._description_selection(self.fr)
        )
        self.assertEqual(segments["high_performer"], "Vendeur performant")

    def test_contract_renewal_mail_in_french(self):
        template = self.env.ref("marketplace_crm.mail_template_contract_renewal")
        partner = self.Partner.create(
            {"name": "Colis FR", "is_logistics_partner": True}
        )
        contract = self.env["marketplace.partner.contract"].create(
            {"name": "Livraison", "partner_id": partner.id, "date_end": "2027-01-31"}
        )
        body = template.with_env(self.fr)._render_field("body_html", contract.ids)[
            contract.id
        ]
        self.assertIn("se termine le", body)
        subject = template.with_env(self.fr)._render_field("subject", contract.ids)[
            contract.id
        ]
        self.assertIn("Le contrat Livraison se termine le", subject)

    def test_automation_emails_in_each_sellers_language(self):
        french = self._create_seller("Atelier Français", lang="fr_FR")
        english = self._create_seller("English Workshop", lang="en_US")
        for xmlid, fr_text, en_text in (
            (
                "mail_template_inactivity_guide",
                "n'a rien vendu depuis un moment",
                "has had no sale for a while",
            ),
            (
                "mail_template_profile_reminder",
                "aucun produit n'est encore proposé",
                "no product is listed yet",
            ),
        ):
            template = self.env.ref(f"marketplace_crm.{xmlid}")
            bodies = template._render_field(
                "body_html", (french | english).ids, compute_lang=True
            )
            self.assertIn(fr_text, bodies[french.id].replace("&#39;", "'"))
            self.assertIn(en_text, bodies[english.id])
