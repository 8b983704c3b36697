from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PDF, MarketplaceCase


@tagged("post_install", "-at_install")
class TestProfileCompleteness(MarketplaceCase):
    def test_complete_profile(self):
        seller = self._create_seller("Complete")
        self.assertEqual(seller.profile_completeness, 100)
        self.assertFalse(seller.profile_missing_items)

    def test_each_missing_item_is_named(self):
        seller = self._create_seller("Empty", complete=False)
        self.assertEqual(seller.profile_completeness, 0)
        for item in (
            "Shop name",
            "Shop description",
            "Logo",
            "Address",
            "Payout bank account",
            "Valid verification document",
        ):
            self.assertIn(item, seller.profile_missing_items)
        seller.shop_name = "Shop"
        self.assertEqual(seller.profile_completeness, 17)
        self.assertNotIn("Shop name", seller.profile_missing_items)

    def test_address_needs_street_city_and_country(self):
        seller = self._create_seller("No Country")
        seller.country_id = False
        self.assertEqual(seller.profile_completeness, 83)
        self.assertEqual(seller.profile_missing_items, "Address")

    def test_expired_document_does_not_count(self):
        with freeze_time("2026-03-01"):
            seller = self._create_seller("Expiring")
            seller.seller_document_ids.unlink()
            doc = self.env["marketplace.seller.document"].create(
                {
                    "partner_id": seller.id,
                    "document_type_id": self.doc_type_identity.id,
                    "file": PDF,
                    "file_name": "id.pdf",
                    "expiry_date": "2026-02-28",
                }
            )
            self.assertTrue(doc.is_expired)
            self.assertTrue(seller.has_expired_document)
            self.assertIn(
                seller, self.Partner.search([("has_expired_document", "=", True)])
            )
            self.assertEqual(
                seller.profile_missing_items, "Valid verification document"
            )
            doc.expiry_date = "2027-02-28"
            self.assertFalse(doc.is_expired)
            self.assertEqual(seller.profile_completeness, 100)
            self.assertNotIn(
                seller, self.Partner.search([("has_expired_document", "=", True)])
            )

    def test_identity_document_requires_expiry_date(self):
        seller = self._create_seller("Identity")
        with self.assertRaisesRegex(ValidationError, "needs an expiry date"):
            self.env["marketplace.seller.document"].create(
                {
                    "partner_id": seller.id,
                    "document_type_id": self.doc_type_identity.id,
                    "file": PDF,
                    "file_name": "id.pdf",
                }
            )

    def test_completeness_is_searchable(self):
        complete = self._create_seller("Searchable Complete")
        incomplete = self._create_seller("Searchable Incomplete", complete=False)
        found = self.Partner.search(
            [("profile_completeness", "=", 100), ("is_seller", "=", True)]
        )
        self.assertIn(complete, found)
        self.assertNotIn(incomplete, found)
