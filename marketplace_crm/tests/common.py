import base64
from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import TransactionCase

PDF = base64.b64encode(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
# A 1x1 PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
)


class MarketplaceCase(TransactionCase):
    """Common fixtures: sellers with complete profiles, buyers, products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.Partner = cls.env["res.partner"]
        cls.doc_type_identity = cls.env.ref(
            "marketplace_crm.marketplace_document_type_identity"
        )
        cls.doc_type_business = cls.env.ref(
            "marketplace_crm.marketplace_document_type_business"
        )
        cls.staff = cls.env["res.users"].create(
            {
                "name": "Marketplace Staff",
                "login": "mp_staff_test",
                "email": "staff@example.com",
                "group_ids": [
                    (6, 0, [cls.env.ref("marketplace_crm.group_marketplace_user").id])
                ],
            }
        )
        # The seller verification team: decides on sellers, documents, appeals.
        cls.verifier = cls.env["res.users"].create(
            {
                "name": "Seller Verifier",
                "login": "mp_verifier_test",
                "email": "verifier@example.com",
                "group_ids": [
                    (
                        6,
                        0,
                        [cls.env.ref("marketplace_crm.group_marketplace_verifier").id],
                    )
                ],
            }
        )

    @classmethod
    def _create_seller(cls, name="Atelier", complete=True, **vals):
        values = {"name": name, "is_seller": True, "is_company": True}
        if complete:
            values.update(
                shop_name=f"{name} shop",
                shop_description="Handmade goods.",
                shop_logo=PNG,
                street="1 rue de la Paix",
                city="Paris",
                country_id=cls.env.ref("base.fr").id,
                bank_ids=[
                    (0, 0, {"acc_number": f"FR76{abs(hash(name)) % 10**12:012d}"})
                ],
                seller_document_ids=[
                    (
                        0,
                        0,
                        {
                            "document_type_id": cls.doc_type_business.id,
                            "file": PDF,
                            "file_name": "kbis.pdf",
                        },
                    )
                ],
            )
        values.update(vals)
        return cls.env["res.partner"].create(values)

    @classmethod
    def _create_validated_seller(cls, name="Validated Atelier", **vals):
        seller = cls._create_seller(name, **vals)
        seller.action_submit_verification()
        seller.with_user(cls.verifier).action_validate_seller()
        return seller

    @classmethod
    def _create_product(cls, seller, name="Handmade bowl", price=100.0, **vals):
        return cls.env["product.product"].create(
            {
                "name": name,
                "list_price": price,
                "type": "consu",
                "marketplace_seller_id": seller.id,
                **vals,
            }
        )

    @classmethod
    def _create_order(cls, buyer, lines, confirm=True, **vals):
        """``lines``: list of (product, qty, unit price)."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": buyer.id,
                "order_line": [
                    (0, 0, {"product_id": p.id, "product_uom_qty": q, "price_unit": u})
                    for p, q, u in lines
                ],
                **vals,
            }
        )
        if confirm:
            order.action_confirm()
        return order


@contextmanager
def cron_batches_without_commit(env):
    """Run a cron method inside a test: its per-batch commits only flush."""

    def _commit_progress(self, processed=0, *, remaining=None, deactivate=False):
        self.env.flush_all()
        return float("inf")

    with patch.object(type(env["ir.cron"]), "_commit_progress", _commit_progress):
        yield


def register_seller(env, values):
    """Register a seller as the website form does, then let the
    registration job handle the request. Returns the new seller, or an empty
    recordset when the address was known (nothing is created then)."""
    Registration = env["marketplace.seller.registration"].sudo()
    registration = Registration._submit(Registration._check_form(values))
    run_registration_job(env)
    return registration.partner_id


def run_registration_job(env):
    """Handle the pending registration requests, as the scheduled job does."""
    with cron_batches_without_commit(env):
        env["marketplace.seller.registration"].sudo()._cron_process_registrations()
