import csv
import io
import json
import zipfile
from datetime import datetime

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tests.common import JsonRpcException

from .common import MarketplaceCase, cron_batches_without_commit
from .portal_form import portal_user


class DataRightsCase(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_validated_seller("Sophie Pottery")
        cls.seller.email = "sophie.pottery@example.com"
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "Bertrand Lemoine",
                "email": "bertrand.lemoine@example.com",
                "phone": "+33 6 12 34 56 78",
                "street": "12 rue des Lilas",
                "city": "Nantes",
            }
        )
        cls.buyer_user = cls.env["res.users"].create(
            {
                "name": "Bertrand Lemoine",
                "login": "bertrand.lemoine@example.com",
                "password": "bertrand-pass",
                "partner_id": cls.buyer.id,
                "group_ids": [(6, 0, [cls.env.ref("base.group_portal").id])],
            }
        )
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Data Rights Manager",
                "login": "mp_manager_test",
                "password": "manager-pass",
                "group_ids": [
                    (
                        6,
                        0,
                        cls.env.ref("marketplace_crm.group_marketplace_manager").ids,
                    )
                ],
            }
        )
        cls.product = cls._create_product(cls.seller, "Sophie cup", 40.0)
        cls.order = cls._create_order(cls.buyer, [(cls.product, 2, 40.0)])
        cls.part = cls.env["marketplace.order.seller"].search(
            [("order_id", "=", cls.order.id)]
        )
        cls.part.rating_apply(2, feedback="Chipped, says Bertrand Lemoine")
        cls.dispute = cls.env["marketplace.dispute"].create(
            {
                "buyer_id": cls.buyer.id,
                "seller_id": cls.seller.id,
                "order_id": cls.order.id,
                "dispute_type": "damaged",
                "amount": 40,
                "description": "<p>Bertrand Lemoine received a broken cup</p>",
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Broken cup",
                "description": "<p>Call me at +33 6 12 34 56 78</p>",
                "partner_id": cls.buyer.id,
                "partner_name": cls.buyer.name,
                "partner_email": cls.buyer.email,
                "sale_order_id": cls.order.id,
            }
        )


@tagged("post_install", "-at_install")
class TestDataExport(DataRightsCase):
    def _zip(self, partner):
        name, content = partner._marketplace_data_export()
        self.assertTrue(name.endswith(".zip"))
        return zipfile.ZipFile(io.BytesIO(content))

    def test_buyer_export_contents(self):
        archive = self._zip(self.buyer)
        names = set(archive.namelist())
        for section in (
            "documents",
            "orders",
            "sales",
            "ratings_given",
            "ratings_received",
            "disputes",
            "tickets",
            "lifecycle_events",
        ):
            self.assertIn(f"{section}.json", names)
            self.assertIn(f"{section}.csv", names)
        profile = json.loads(archive.read("profile.json"))
        self.assertEqual(profile["email"], "bertrand.lemoine@example.com")
        self.assertEqual(profile["portal_logins"], ["bertrand.lemoine@example.com"])
        orders = list(csv.DictReader(io.StringIO(archive.read("orders.csv").decode())))
        self.assertEqual([o["reference"] for o in orders], [self.order.name])
        self.assertEqual(float(orders[0]["amount_untaxed"]), 80.0)
        given = json.loads(archive.read("ratings_given.json"))
        self.assertEqual(given[0]["rating"], 2)
        self.assertEqual(given[0]["seller"], self.seller.shop_name)
        disputes = json.loads(archive.read("disputes.json"))
        self.assertEqual(disputes[0]["reference"], self.dispute.name)
        self.assertEqual(disputes[0]["role"], "Buyer")
        tickets = json.loads(archive.read("tickets.json"))
        self.assertEqual([t["title"] for t in tickets], ["Broken cup"])
        self.assertEqual(json.loads(archive.read("sales.json")), [])

    def test_seller_export_has_documents_metadata_and_ratings_received(self):
        archive = self._zip(self.seller)
        documents = json.loads(archive.read("documents.json"))
        self.assertEqual([d["file_name"] for d in documents], ["kbis.pdf"])
        self.assertNotIn("file", documents[0], "Metadata only, not the file")
        self.assertEqual(len(json.loads(archive.read("sales.json"))), 1)
        received = json.loads(archive.read("ratings_received.json"))
        self.assertEqual([r["rating"] for r in received], [2])
        self.assertNotIn(
            "bertrand.lemoine@example.com",
            archive.read("ratings_received.json").decode(),
            "Not the buyer's identity",
        )
        disputes = json.loads(archive.read("disputes.json"))
        self.assertEqual(disputes[0]["role"], "Seller")

    def test_seller_export_holds_what_the_seller_sees(self):
        """A buyer's ticket about the seller is not in the seller's export
        (the portal does not show it to them); their own ticket is. Each
        section holds the rows the seller's portal user reads."""
        seller_user = portal_user(
            self.env,
            "sophie_seller",
            partner=self.Partner.create(
                {"name": "Sophie Keeper", "parent_id": self.seller.id}
            ),
        )
        about_seller = self.env["helpdesk.ticket"].create(
            {
                "name": "Rude seller",
                "description": "<p>About Sophie Pottery</p>",
                "partner_id": self.buyer.id,
                "seller_id": self.seller.id,
            }
        )
        own = self.env["helpdesk.ticket"].create(
            {
                "name": "Payout question",
                "description": "<p>When?</p>",
                "partner_id": self.seller.id,
            }
        )
        archive = self._zip(self.seller)
        tickets = json.loads(archive.read("tickets.json"))
        self.assertEqual([t["number"] for t in tickets], [own.number])
        self.assertNotIn(about_seller.name, archive.read("tickets.csv").decode())
        # Exactly the rows the seller reads with their own rights and rules.
        as_seller = self.env(user=seller_user)
        for section, model, key, fname in (
            ("tickets", "helpdesk.ticket", "number", "number"),
            ("disputes", "marketplace.dispute", "reference", "name"),
            ("sales", "marketplace.order.seller", "order", "order_id"),
        ):
            with self.subTest(section=section):
                visible = as_seller[model].search([])
                values = visible.mapped(fname)
                if fname == "order_id":
                    values = values.mapped("name")
                rows = json.loads(archive.read(f"{section}.json"))
                self.assertEqual(sorted(r[key] for r in rows), sorted(values))
        self.assertIn(about_seller, self.env["helpdesk.ticket"].search([]))

    def test_labels_and_dates_as_the_person_reads_them(self):
        """Selection labels in the person's language, dates in their time
        zone and format, to the second."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["marketplace_crm"], ["fr_FR"], overwrite=True
        )
        self.seller.write({"lang": "fr_FR", "tz": "Europe/Paris"})
        when = datetime(2026, 1, 15, 9, 30, 12, 345678)
        self.env["marketplace.seller.event"].create(
            {
                "seller_id": self.seller.id,
                "event_type": "inactivity_followup",
                "episode": "2026-01",
                "date": when,
            }
        )
        self.dispute.write({"state": "closed", "outcome": "withdrawn"})
        archive = self._zip(self.seller)
        events = json.loads(archive.read("lifecycle_events.json"))
        followup = [e for e in events if e["date"] == "15/01/2026 10:30:12"]
        self.assertEqual(followup[0]["event"], "Relance d'inactivité", events)
        disputes = json.loads(archive.read("disputes.json"))
        self.assertEqual(disputes[0]["role"], "Vendeur")
        self.assertNotEqual(disputes[0]["state"], "closed")
        self.assertNotEqual(disputes[0]["outcome"], "withdrawn")
        for name in archive.namelist():
            content = archive.read(name).decode()
            with self.subTest(file=name):
                self.assertNotRegex(
                    content, r"\d{2}:\d{2}:\d{2}\.\d", "No microseconds"
                )
                self.assertNotIn("inactivity_followup", content)
        # The buyer (English, UTC) reads English labels.
        archive = self._zip(self.buyer)
        self.assertEqual(
            json.loads(archive.read("disputes.json"))[0]["outcome"], "Withdrawn"
        )

    def test_staff_only_for_someone_else(self):
        with self.assertRaises(AccessError):
            self.buyer.with_user(self.buyer_user).action_marketplace_export_data()
        action = self.buyer.with_user(self.staff).action_marketplace_export_data()
        self.assertEqual(action["url"], f"/marketplace/data_export/{self.buyer.id}")


@tagged("post_install", "-at_install")
class TestDataExportHttp(HttpCase, DataRightsCase):
    def test_portal_user_downloads_own_data(self):
        self.authenticate("bertrand.lemoine@example.com", "bertrand-pass")
        home = self.url_open("/my")
        self.assertIn("/my/data/export", home.text)
        response = self.url_open("/my/data/export")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        profile = json.loads(archive.read("profile.json"))
        self.assertEqual(profile["id"], self.buyer.id)
        self.assertIn("Personal data exported", self.buyer.message_ids[0].body)
        other = self.url_open(f"/marketplace/data_export/{self.seller.id}")
        self.assertEqual(other.status_code, 404, "Staff route refused to a portal user")

    def test_staff_downloads_for_the_person(self):
        self.staff.write({"password": "staff-pass"})
        self.authenticate("mp_staff_test", "staff-pass")
        response = self.url_open(f"/marketplace/data_export/{self.seller.id}")
        self.assertEqual(response.status_code, 200)
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        self.assertEqual(json.loads(archive.read("profile.json"))["id"], self.seller.id)
        events = self.seller.seller_event_ids.filtered(
            lambda e: e.event_type == "data_export"
        )
        self.assertEqual(len(events), 1)


@tagged("post_install", "-at_install")
class TestAnonymisation(DataRightsCase):
    IDENTIFIERS = (
        "Bertrand Lemoine",
        "bertrand.lemoine@example.com",
        "+33 6 12 34 56 78",
        "12 rue des Lilas",
    )

    def _report_figures(self):
        Report = self.env["marketplace.sales.report"]
        Report._refresh_snapshot()
        return {
            (buyer.id, seller.id): amount
            for buyer, seller, amount in Report._read_group(
                [("order_id", "=", self.order.id)],
                ["buyer_id", "seller_id"],
                ["amount:sum"],
            )
        }

    def test_anonymise_buyer(self):
        # An e-mail to the buyer and a note naming them, before the request.
        self.buyer.message_post(
            body="Welcome back Bertrand Lemoine",
            partner_ids=self.buyer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.dispute.with_user(self.staff).message_post(
            body="Bertrand Lemoine sent photos",
            author_id=self.buyer.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        figures = self._report_figures()
        amount = self.order.amount_total
        self.dispute.write({"state": "resolved", "outcome": "partial_refund"})
        self.buyer.with_user(self.manager).action_marketplace_anonymise()
        self.env.flush_all()

        self.assertTrue(self.buyer.marketplace_anonymised)
        self.assertEqual(self.buyer.name, f"Anonymised #{self.buyer.id}")
        self.assertFalse(self.buyer.email or self.buyer.phone or self.buyer.street)
        self.assertFalse(self.buyer_user.active)
        Partner = self.env["res.partner"].with_context(active_test=False)
        for identifier in self.IDENTIFIERS:
            self.assertFalse(Partner.search([("name", "ilike", identifier)]))
            self.assertFalse(Partner.search([("email", "ilike", identifier)]))
            self.assertFalse(Partner.name_search(identifier))
            self.assertFalse(
                self.env["res.users"]
                .with_context(active_test=False)
                .search([("login", "ilike", identifier)])
            )
            for model, fname in (
                ("mail.message", "body"),
                ("mail.message", "email_from"),
                ("mail.mail", "body_html"),
                ("mail.mail", "email_to"),
                ("helpdesk.ticket", "partner_email"),
                ("helpdesk.ticket", "description"),
                ("marketplace.dispute", "description"),
                ("rating.rating", "feedback"),
                ("mail.tracking.value", "old_value_char"),
            ):
                self.assertFalse(
                    self.env[model].sudo().search([(fname, "ilike", identifier)]),
                    f"{identifier} still in {model}.{fname}",
                )
        # Chatter authorship is kept, under the anonymised name.
        message = self.dispute.message_ids.filtered(
            lambda m: m.author_id == self.buyer and m.message_type == "comment"
        )
        self.assertEqual(message.author_id.name, f"Anonymised #{self.buyer.id}")
        self.assertIn("sent photos", message.body)
        # Orders, amounts and reports are unchanged.
        self.assertEqual(self.order.partner_id, self.buyer)
        self.assertEqual(self.order.amount_total, amount)
        self.assertEqual(self._report_figures(), figures)
        self.assertEqual(self.seller.seller_rating_count, 1)
        # Logged, without the personal data.
        self.assertIn("anonymised on request", self.buyer.message_ids[0].body)
        # Nothing more is e-mailed to them.
        self.assertFalse(self.buyer.email)
        # Running it again changes nothing.
        self.assertFalse(self.buyer._marketplace_anonymise())

    def test_anonymise_seller_deletes_documents_and_keeps_sales(self):
        documents = self.seller.seller_document_ids
        self.assertTrue(documents)
        sales = self.seller.seller_sale_amount_30d
        self.dispute.write({"state": "closed", "outcome": "withdrawn"})
        self.seller.with_user(self.manager).action_marketplace_anonymise()
        self.assertFalse(documents.exists())
        self.assertFalse(self.seller.bank_ids)
        self.assertEqual(self.seller.shop_name, f"Anonymised #{self.seller.id}")
        self.assertEqual(self.seller.seller_sale_amount_30d, sales)
        self.assertFalse(
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("name", "ilike", "Sophie Pottery")])
        )
        self.assertEqual(
            self.seller.seller_event_ids.mapped("event_type"), ["anonymised"]
        )

    def test_refused_while_a_dispute_is_open(self):
        with self.assertRaisesRegex(UserError, "dispute is open"):
            self.buyer.with_user(self.manager).action_marketplace_anonymise()
        self.assertEqual(self.buyer.name, "Bertrand Lemoine")
        self.assertTrue(self.buyer_user.active)
        self.dispute.write({"state": "under_review"})
        with self.assertRaises(UserError):
            self.seller.with_user(self.manager).action_marketplace_anonymise()

    def test_managers_only(self):
        self.dispute.write({"state": "closed", "outcome": "withdrawn"})
        for user in (self.buyer_user, self.staff):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.buyer.with_user(user).action_marketplace_anonymise()
        self.assertEqual(self.buyer.name, "Bertrand Lemoine")


@tagged("post_install", "-at_install")
class TestAnonymisationRpc(HttpCase, DataRightsCase):
    """``action_marketplace_anonymise`` called over JSON-RPC as the web client
    does: a marketplace user (agent) is refused and nothing changes, a
    manager anonymises."""

    def _call_kw(self, login, password):
        self.authenticate(login, password)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/action_marketplace_anonymise",
            {
                "model": "res.partner",
                "method": "action_marketplace_anonymise",
                "args": [self.buyer.ids],
                "kwargs": {},
            },
        )

    def test_agent_refused_manager_anonymises(self):
        self.dispute.write({"state": "closed", "outcome": "withdrawn"})
        self.staff.write({"password": "staff-pass"})
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._call_kw("mp_staff_test", "staff-pass")
        self.buyer.invalidate_recordset()
        self.assertEqual(self.buyer.name, "Bertrand Lemoine")
        self.assertEqual(self.buyer.email, "bertrand.lemoine@example.com")
        self.assertFalse(self.buyer.marketplace_anonymised)
        self.assertTrue(self.buyer_user.active)
        self.assertTrue(self._call_kw("mp_manager_test", "manager-pass"))
        self.buyer.invalidate_recordset()
        self.assertTrue(self.buyer.marketplace_anonymised)
        self.assertEqual(self.buyer.name, f"Anonymised #{self.buyer.id}")


@tagged("post_install", "-at_install")
class TestRetention(MarketplaceCase):
    def _rejected_seller(self, name, when):
        with freeze_time(when):
            seller = self._create_seller(name)
            seller.email = f"{name.split()[0].lower()}@example.com"
            seller.action_submit_verification()
            seller.with_user(self.verifier).action_reject_seller("Incomplete")
        return seller

    def test_rejected_registrations_removed_after_retention(self):
        old = self._rejected_seller("Oscar Old", datetime(2025, 1, 10))
        recent = self._rejected_seller("Rita Recent", datetime(2025, 9, 1))
        sold = self._rejected_seller("Sam Sold", datetime(2025, 1, 10))
        buyer = self.env["res.partner"].create({"name": "Retention Buyer"})
        sold.with_user(self.staff).write({"verification_state": "pending"})
        sold.with_user(self.verifier).action_validate_seller()
        self._create_order(buyer, [(self._create_product(sold, "Sam mug"), 1, 10.0)])
        sold.with_user(self.verifier).action_reject_seller("Fraud")
        sold.verification_date = datetime(2025, 1, 10)
        Partner = self.env["res.partner"]
        with freeze_time(datetime(2026, 2, 1)), cron_batches_without_commit(self.env):
            Partner._cron_marketplace_retention()
        self.assertTrue(old.marketplace_anonymised)
        self.assertFalse(old.seller_document_ids)
        self.assertFalse(Partner.search([("name", "=", "Oscar Old")]))
        self.assertFalse(recent.marketplace_anonymised, "Rejected 5 months ago")
        self.assertTrue(recent.seller_document_ids)
        self.assertFalse(sold.marketplace_anonymised, "Has sales: kept")
        self.assertFalse(sold.seller_document_ids, "Its documents go")
        # Idempotent: a second run changes nothing.
        with freeze_time(datetime(2026, 2, 1)), cron_batches_without_commit(self.env):
            Partner._cron_marketplace_retention()
        self.assertEqual(
            old.seller_event_ids.mapped("event_type"), ["anonymised"], "Logged once"
        )
        # Later, the recent one's turn comes; 0 months disables the job.
        self.env["ir.config_parameter"].set_param(
            "marketplace_crm.rejected_retention_months", 0
        )
        with freeze_time(datetime(2027, 1, 1)), cron_batches_without_commit(self.env):
            Partner._cron_marketplace_retention()
        self.assertFalse(recent.marketplace_anonymised)
        self.env["ir.config_parameter"].set_param(
            "marketplace_crm.rejected_retention_months", 12
        )
        with freeze_time(datetime(2027, 1, 1)), cron_batches_without_commit(self.env):
            Partner._cron_marketplace_retention()
        self.assertTrue(recent.marketplace_anonymised)


@tagged("post_install", "-at_install")
class TestDataRightsButtons(MarketplaceCase):
    """The data-rights buttons are in sight on the contact's Marketplace tab
    (not under the smart buttons' "More"); Anonymise only for managers."""

    def _arch(self, user):
        views = (
            self.env["res.partner"]
            .with_user(user)
            .get_views([(self.env.ref("base.view_partner_form").id, "form")])
        )
        return etree.fromstring(views["views"]["form"]["arch"])

    def test_buttons_in_the_marketplace_tab(self):
        manager = self.env.ref("base.user_admin")
        for user, anonymise in ((self.staff, False), (manager, True)):
            with self.subTest(user=user.login):
                arch = self._arch(user)
                tab = arch.xpath("//page[@name='marketplace']")[0]
                names = {b.get("name") for b in tab.xpath(".//button")}
                self.assertIn("action_marketplace_export_data", names)
                self.assertEqual("action_marketplace_anonymise" in names, anonymise)
                box = arch.xpath("//div[@name='button_box']//button/@name")
                self.assertNotIn("action_marketplace_export_data", box)
