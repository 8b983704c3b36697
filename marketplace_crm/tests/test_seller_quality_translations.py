from pathlib import Path

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.translate import TranslationImporter

from .quality_common import QualityCase

# The French of a branch not merged into i18n/fr.po yet (the integrator
# merges the fragments, then this file no longer exists).
FRAGMENT = Path(__file__).resolve().parents[3] / "i18n" / "h5.po"


@tagged("post_install", "-at_install")
class TestSellerQualityFrench(QualityCase):
    """The quality e-mails reach a French-speaking seller in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["marketplace_crm"], ["fr_FR"], overwrite=True
        )
        if FRAGMENT.exists():
            importer = TranslationImporter(cls.env.cr, verbose=False)
            # file_open only reads inside the addons paths: open it here.
            with FRAGMENT.open("rb") as fileobj:
                importer.load(fileobj, "po", "fr_FR")
            importer.save(overwrite=True, force_overwrite=True)
        cls.seller.lang = "fr_FR"

    def _render(self, xmlid, record, field="body_html"):
        template = self.env.ref(f"marketplace_crm.{xmlid}")
        return template._render_field(field, record.ids, compute_lang=True)[record.id]

    def test_quality_mails_in_french(self):
        self._set_params(quality_dispute_alert=10, quality_dispute_limit=20)
        self._dispute(self.orders[0])
        self.seller._refresh_seller_quality()
        crossing = self._open_crossings(level="limit")
        body = self._render("mail_template_seller_quality_limit", crossing)
        self.assertIn("taux de litiges", body.lower())
        self.assertIn("votre boutique sera suspendue", body.lower())
        self.assertIn("25.0 %", body)
        subject = self._render(
            "mail_template_seller_quality_limit", crossing, "subject"
        )
        self.assertIn("pour progresser : Taux de litiges", subject)
        alert = self.env["marketplace.quality.crossing"].create(
            {
                "seller_id": self.seller.id,
                "metric": "late",
                "level": "alert",
                "value": 5.0,
                "threshold": 4.0,
            }
        )
        body = self._render("mail_template_seller_quality_alert", alert)
        self.assertIn(
            "taux d'expédition en retard", str(body).replace("&#39;", "'").lower()
        )
        self.assertIn("seuil d'alerte", str(body).replace("&#39;", "'"))
        self.seller.write({"quality_suspension_reason": "x"})
        body = self._render("mail_template_seller_quality_suspended", crossing)
        self.assertIn("Votre boutique est suspendue", body)

    def test_document_and_appeal_mails_in_french(self):
        doc = self.seller.seller_document_ids[:1]
        doc.expiry_date = "2030-01-31"
        body = self._render("mail_template_seller_document_expiring", doc)
        self.assertIn("expire le", body)
        body = self._render("mail_template_seller_reverification", self.seller)
        self.assertIn("doit être vérifiée à nouveau", body)
        appeal = self.env["marketplace.quality.appeal"].create(
            {"seller_id": self.seller.id, "explanation": "Grève", "state": "reinstated"}
        )
        body = self._render("mail_template_seller_quality_appeal_decision", appeal)
        self.assertIn("a accepté votre appel", body)

    def test_suspension_reason_and_crossing_name_in_the_sellers_language(self):
        """The job runs in English; the French seller reads why they are
        suspended, and what the crossing is, in French."""
        self._set_params(quality_dispute_alert=10, quality_dispute_limit=20)
        self._dispute(self.orders[0])
        english = self.env(context=dict(self.env.context, lang="en_US"))
        self.seller.with_env(english)._refresh_seller_quality()
        crossing = self._open_crossings(level="limit")
        self.assertEqual(crossing.with_env(english).display_name, "Dispute rate: Limit")
        crossing.state = "suspended"
        self.seller.with_env(english)._quality_suspend(crossing)
        body = self._render("mail_template_seller_quality_suspended", crossing)
        self.assertIn("Taux de litiges", body)
        self.assertNotIn("Dispute rate", body)
        french = self.env(context=dict(self.env.context, lang="fr_FR"))
        self.assertEqual(
            crossing.with_env(french).display_name, "Taux de litiges : Limite"
        )

    def test_appeal_without_decision_note_refused_in_french(self):
        """The staff member working in French reads why the decision is
        refused in French; the onboarding lost reason reads in French too."""
        appeal = self.env["marketplace.quality.appeal"].create(
            {"seller_id": self.seller.id, "explanation": "Grève"}
        )
        french = appeal.with_context(lang="fr_FR")
        with self.assertRaisesRegex(UserError, "Rédigez la décision pour le vendeur"):
            french.action_confirm_suspension()
        self.assertEqual(appeal.state, "submitted")
        reason = self.env.ref("marketplace_crm.crm_lost_reason_seller_rejected")
        self.assertEqual(reason.with_context(lang="fr_FR").name, "Vendeur refusé")
