from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestPublicationGateArchive(MarketplaceCase):
    """A listing archived while published never comes back on the shop once
    its seller is blocked: blocking unpublishes archived listings too, and
    unarchiving, activating a variant or copying never publishes a blocked
    seller's product."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_validated_seller("Archive Seller")
        cls.variant = cls._create_product(cls.seller, "Archived jug", 30)
        cls.product = cls.variant.product_tmpl_id
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Archive Manager",
                "login": "archive_manager",
                "group_ids": [
                    (6, 0, cls.env.ref("marketplace_crm.group_marketplace_manager").ids)
                ],
            }
        )

    def _publish_and_archive(self):
        self.product.is_published = True
        self.product.action_archive()
        self.assertFalse(self.product.active)
        self.assertTrue(self.product.is_published)

    def _on_shop(self):
        """What /shop offers: active published products."""
        return self.env["product.template"].search(
            [("id", "=", self.product.id), ("is_published", "=", True)]
        )

    def test_blocking_unpublishes_archived_listings(self):
        """Suspend, reject (after a reset) or reset: the archived listing is
        unpublished, and stays so when unarchived."""
        staff_seller = self.seller.with_user(self.verifier)
        blocks = {
            "suspend": staff_seller.action_suspend_seller,
            "reject": lambda: staff_seller.action_reject_seller("Blurred scan"),
            # Reset to draft is for managers.
            "reset": self.seller.with_user(self.manager).action_reset_verification,
        }
        for block, do_block in blocks.items():
            with self.subTest(block=block):
                self._publish_and_archive()
                do_block()
                self.assertFalse(
                    self.product.is_published, "Unpublished while archived"
                )
                self.product.action_unarchive()
                self.assertFalse(self._on_shop())
                # Back to a seller who may sell, for the next round.
                if block == "suspend":
                    self.seller.with_user(self.verifier).action_reinstate_seller()
                else:
                    self.seller.action_submit_verification()
                    self.seller.with_user(self.verifier).action_validate_seller()

    def test_unpublish_for_sellers_reaches_archived_listings(self):
        """The method the seller blocking calls (see res_partner.py)."""
        self._publish_and_archive()
        done = self.env["product.template"]._marketplace_unpublish_for_sellers(
            self.seller
        )
        self.assertEqual(done, self.product)
        self.assertFalse(self.product.is_published)

    def _block_leaving_archived_published(self):
        """A listing archived and still published of a blocked seller, as left
        by earlier versions (blocking skipped archived listings)."""
        self._publish_and_archive()
        self.seller.with_user(self.verifier).action_suspend_seller()
        self.env.cr.execute(
            "UPDATE product_template SET is_published = TRUE WHERE id = %s",
            [self.product.id],
        )
        self.product.invalidate_recordset(["is_published"])

    def test_unarchive_of_blocked_sellers_listing_is_offline(self):
        self._block_leaving_archived_published()
        self.product.action_unarchive()
        self.assertTrue(self.product.active)
        self.assertFalse(self.product.is_published)
        self.assertFalse(self._on_shop())

    def test_write_active_of_blocked_sellers_listing_is_offline(self):
        self._block_leaving_archived_published()
        self.product.write({"active": True})
        self.assertFalse(self.product.is_published)

    def test_unarchive_and_publish_together_is_refused(self):
        self._block_leaving_archived_published()
        with (
            self.assertRaisesRegex(ValidationError, "cannot be published"),
            self.env.cr.savepoint(),
        ):
            self.product.write({"active": True, "is_published": True})
        self.product.invalidate_recordset()
        self.assertFalse(self.product.active)

    def test_variant_activation_is_offline(self):
        self._block_leaving_archived_published()
        self.assertFalse(self.variant.active)
        self.variant.action_unarchive()
        self.assertTrue(self.variant.active)
        self.assertTrue(self.product.active, "The template comes back with it")
        self.assertFalse(self.product.is_published)
        self.assertFalse(self._on_shop())

    def test_copy_of_blocked_sellers_listing_is_offline(self):
        self.product.is_published = True
        self.seller.with_user(self.verifier).action_suspend_seller()
        self.env.cr.execute(
            "UPDATE product_template SET is_published = TRUE WHERE id = %s",
            [self.product.id],
        )
        self.product.invalidate_recordset(["is_published"])
        self.product.copy()
        self.variant.copy()  # copies the template
        published = (
            self.env["product.template"]
            .with_context(active_test=False)
            .search(
                [
                    ("marketplace_seller_id", "=", self.seller.id),
                    ("is_published", "=", True),
                ]
            )
        )
        self.assertFalse(published - self.product, "The copies are offline")
        self.assertEqual(
            self.env["product.template"].search_count(
                [("marketplace_seller_id", "=", self.seller.id)]
            ),
            3,
        )
        for record in (self.product, self.variant):
            with (
                self.subTest(model=record._name),
                self.assertRaisesRegex(ValidationError, "cannot be published"),
                self.env.cr.savepoint(),
            ):
                record.copy({"is_published": True})

    def test_copy_of_validated_sellers_listing_needs_publishing(self):
        """Copies start offline whoever the seller (a draft to review)."""
        self.product.is_published = True
        self.assertFalse(self.product.copy().is_published)
        self.assertFalse(self.variant.copy().is_published)
