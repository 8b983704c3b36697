import re

from odoo.tests import HttpCase, tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestSellerPublicPage(MarketplaceCase, HttpCase):
    """Buyers see who sells: the seller on the product page and the shop's
    public page, for validated sellers only, as a visitor and as a portal
    user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_validated_seller(
            "Poterie Claire",
            shop_name="Poterie Claire",
            shop_description="Stoneware thrown by hand in Dieulefit.",
            city="Dieulefit",
            email="claire@poterie-claire.example",
        )
        cls.seller.write({"seller_rating_avg": 4.5, "seller_rating_count": 12})
        cls.bowl = cls._create_product(
            cls.seller, "Speckled bowl", 36.0, is_published=True
        ).product_tmpl_id
        cls.draft = cls._create_product(cls.seller, "Unfinished jug", 50.0)
        cls.other = cls._create_validated_seller("Other Hands", shop_name="Other Hands")
        cls._create_product(cls.other, "Someone else's cup", 20.0, is_published=True)
        cls.pending = cls._create_seller("Pending Pots", shop_name="Pending Pots")
        cls.pending.action_submit_verification()
        cls.suspended = cls._create_validated_seller(
            "Suspended Studio", shop_name="Suspended Studio"
        )
        cls.suspended_product = cls._create_product(
            cls.suspended, "Banned vase", 80.0, is_published=True
        ).product_tmpl_id
        cls.suspended.action_suspend_seller()
        cls.rejected = cls._create_seller("Rejected Rugs", shop_name="Rejected Rugs")
        cls.rejected.action_submit_verification()
        cls.rejected.with_user(cls.verifier).action_reject_seller("Blurred documents.")
        cls.customer = cls.Partner.create({"name": "Plain Customer"})
        cls.env["res.users"].create(
            {
                "name": "Bea Buyer",
                "login": "bea_buyer",
                "password": "bea_buyer_pass",
                "email": "bea@example.com",
                "group_ids": [(6, 0, [cls.env.ref("base.group_portal").id])],
            }
        )

    def _url(self, partner):
        return f"/marketplace/seller/{partner._marketplace_shop_slug()}"

    def _assert_not_found(self, url):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 404, url)

    # ------------------------------------------------------------ product page
    def test_product_page_shows_the_seller(self):
        for login in (None, "bea_buyer"):
            with self.subTest(user=login or "public"):
                if login:
                    self.authenticate(login, f"{login}_pass")
                page = self.url_open(self.bowl.website_url)
                self.assertEqual(page.status_code, 200)
                self.assertIn("Sold by", page.text)
                self.assertIn(f'href="{self._url(self.seller)}"', page.text)
                self.assertIn("Poterie Claire", page.text)
                self.assertIn("12 ratings", page.text)

    def test_product_page_shows_what_the_seller_wrote(self):
        """The description a seller types in the portal is on the product
        page (and on the shop card), escaped, in paragraphs."""
        listing = self.bowl._marketplace_save_listing(
            self.seller,
            {
                "name": "Speckled bowl",
                "list_price": "36",
                "quantity": "3",
                "description_sale": "Thrown on the wheel & fired twice.\nFood safe.",
            },
        )
        page = self.url_open(listing.website_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Thrown on the wheel &amp; fired twice.", page.text)
        self.assertIn("Food safe.", page.text)
        listing._marketplace_save_listing(
            self.seller, {"name": "Speckled bowl", "list_price": "36", "quantity": "3"}
        )
        self.assertFalse(listing.description_ecommerce, "Emptied with the text")

    def test_product_without_seller_shows_no_seller(self):
        product = self.env["product.template"].create(
            {"name": "House brand mug", "is_published": True, "type": "consu"}
        )
        page = self.url_open(product.website_url)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Sold by", page.text)

    # ------------------------------------------------------------ seller page
    def test_seller_page_as_visitor_and_portal_user(self):
        for login in (None, "bea_buyer"):
            with self.subTest(user=login or "public"):
                if login:
                    self.authenticate(login, f"{login}_pass")
                page = self.url_open(self._url(self.seller))
                self.assertEqual(page.status_code, 200)
                self.assertIn("Poterie Claire", page.text)
                self.assertIn("Stoneware thrown by hand in Dieulefit.", page.text)
                self.assertIn("4.5 / 5", page.text)
                self.assertIn(f"/marketplace/seller/{self.seller.id}/logo", page.text)
                # Only this shop's published listings.
                self.assertIn("Speckled bowl", page.text)
                self.assertIn(self.bowl.website_url, page.text)
                self.assertNotIn("Unfinished jug", page.text)
                self.assertNotIn("Someone else&#39;s cup", page.text)
                self.assertNotIn("Someone else's cup", page.text)
                # Never the seller's private data.
                self.assertNotIn("claire@poterie-claire.example", page.text)
                self.assertNotIn("1 rue de la Paix", page.text)

    def test_product_page_links_to_the_seller_page(self):
        product_page = self.url_open(self.bowl.website_url).text
        link = re.search(
            r"<a [^>]*o_marketplace_product_seller_link[^>]*>", product_page
        )
        url = re.search(r'href="([^"]+)"', link.group(0)).group(1)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Stoneware thrown by hand in Dieulefit.", page.text)

    def test_seller_without_listing(self):
        page = self.url_open(self._url(self.other))
        self.assertIn("Someone else", page.text)
        self.bowl.is_published = False
        page = self.url_open(self._url(self.seller))
        self.assertEqual(page.status_code, 200)
        self.assertIn("no product on sale", page.text)
        self.assertNotIn("Speckled bowl", page.text)

    def test_logo_only_for_public_shops(self):
        response = self.url_open(f"/marketplace/seller/{self.seller.id}/logo")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        for partner in (self.pending, self.suspended, self.rejected, self.customer):
            with self.subTest(partner=partner.name):
                self._assert_not_found(f"/marketplace/seller/{partner.id}/logo")

    def test_hidden_shops_are_not_found(self):
        for partner in (self.pending, self.suspended, self.rejected, self.customer):
            with self.subTest(partner=partner.name):
                self._assert_not_found(self._url(partner))
                self._assert_not_found(f"/marketplace/seller/{partner.id}")

    def test_hidden_seller_not_on_product_page(self):
        # An employee still opens the (unpublished) product of a suspended
        # seller: the seller is not advertised on it.
        self.authenticate("admin", "admin")
        page = self.url_open(self.suspended_product.website_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Banned vase", page.text)
        self.assertNotIn("Sold by", page.text)

    def test_garbage_and_forged_slugs(self):
        for slug in (
            "garbage",
            "0",
            "-1",
            "poterie-claire-0",
            "99999999999999999999",
            f"poterie-claire-{self.seller.id}9999999",
            "%27%3B--",
        ):
            with self.subTest(slug=slug):
                self._assert_not_found(f"/marketplace/seller/{slug}")
        # A forged slug with a public shop's id but another name goes to the
        # shop's own address.
        response = self.url_open(
            f"/marketplace/seller/not-this-name-{self.seller.id}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response.headers["Location"].endswith(self._url(self.seller)))
