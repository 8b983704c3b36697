import json
import os
from collections import defaultdict

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.bus.models.bus import channel_with_db, json_dump

from .common import MarketplaceCase
from .portal_form import portal_user

NAME = "Zofia Quillbrook"
FIRST_NAME = "Zofia"
SURNAME = "Quillbrook"
EMAIL = "zofia.quillbrook@quillmail.example"
PHONE = "+44 7700 914382"
STREET = "17 Vortigern Mews"
PDF_WITH_HER = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    b"2 0 obj << /Length 90 >> stream\nBT /F1 12 Tf 72 712 Td "
    b"(Parcel received by Zofia Quillbrook, zofia.quillbrook@quillmail.example) "
    b"Tj ET\nendstream endobj\n%%EOF\n"
)


@tagged("post_install", "-at_install")
class TestErasure(MarketplaceCase):
    """A buyer's name, e-mail, phone and street planted in every place Odoo
    and the addon keep personal data; after the anonymisation, neither any
    text column of any table of the database nor any file of the database's
    filestore holds one of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Erasure Manager",
                "login": "erasure_manager",
                "group_ids": [
                    (6, 0, cls.env.ref("marketplace_crm.group_marketplace_manager").ids)
                ],
            }
        )
        cls.seller = cls._create_validated_seller("Hartwell Ceramics")
        cls.buyer = cls.Partner.create(
            {
                "name": NAME,
                "email": EMAIL,
                "phone": PHONE,
                "street": STREET,
                "city": "Bristol",
                "country_id": cls.env.ref("base.uk").id,
            }
        )
        cls.buyer_user = portal_user(
            cls.env, EMAIL, partner=cls.buyer, name=NAME, email=EMAIL
        )
        product = cls._create_product(cls.seller, "Hartwell vase", 60.0)
        cls.order = cls._create_order(cls.buyer, [(product, 1, 60.0)])
        cls.part = cls.order.marketplace_order_seller_ids

    def _plant(self):
        """Her data in every place the anonymisation must reach."""
        env = self.env
        buyer, seller = self.buyer, self.seller
        self.part.rating_apply(4, feedback=f"{NAME} liked it, call {PHONE}")
        self.ticket = env["helpdesk.ticket"].create(
            {
                "name": f"Parcel of {NAME}",
                "description": f"<p>Mme {SURNAME} called twice.</p>",
                "partner_id": buyer.id,
                "partner_name": NAME,
                "partner_email": EMAIL,
                "sale_order_id": self.order.id,
            }
        )
        # A ticket of hers in a second company.
        company_b = env["res.company"].create({"name": "Erasure Company B"})
        self.ticket_b = (
            env["helpdesk.ticket"]
            .with_company(company_b)
            .create(
                {
                    "name": "Second parcel",
                    "description": f"<p>{FIRST_NAME} again, at {STREET}</p>",
                    "partner_id": buyer.id,
                    "company_id": company_b.id,
                }
            )
        )
        self.dispute = env["marketplace.dispute"].create(
            {
                "buyer_id": buyer.id,
                "seller_id": seller.id,
                "order_id": self.order.id,
                "dispute_type": "damaged",
                "amount": 60,
                "description": f"<p>{NAME} ({EMAIL}) got a broken vase</p>",
            }
        )
        self.dispute.write(
            {
                "state": "closed",
                "outcome": "withdrawn",
                "resolution_notes": f"{FIRST_NAME} withdrew it by phone",
            }
        )
        lead = env["crm.lead"].create(
            {
                "name": f"{NAME} asks for a discount",
                "partner_id": buyer.id,
                "contact_name": NAME,
                "email_from": EMAIL,
                "phone": PHONE,
                "street": STREET,
                "description": f"<p>{FIRST_NAME} lives at {STREET}</p>",
            }
        )
        # Tracked changes (tracking values are written before each commit).
        lead.email_from = "other.address@quillmail.example"
        env.cr.precommit.run()
        lead.email_from = EMAIL
        env.cr.precommit.run()
        # An e-mail from her on the ticket, with her addresses in its headers.
        Message = env["mail.message"]
        Message.create(
            {
                "model": "helpdesk.ticket",
                "res_id": self.ticket.id,
                "message_type": "email",
                "author_id": buyer.id,
                "email_from": f'"{NAME}" <{EMAIL}>',
                "reply_to": f'"{NAME}" <{EMAIL}>',
                "incoming_email_to": f"support@example.com, {EMAIL}",
                "subject": f"Re: parcel of {NAME}",
                "body": f"<p>{SURNAME} here, {STREET}, {PHONE}</p>",
            }
        )
        # A note of the team about her, on the seller (not her record).
        seller.message_post(
            body=f"{NAME} ({EMAIL}) asked for the invoice",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        # A queued e-mail to her, a failed one copied to her, a queued one
        # to someone else mentioning her in its headers.
        Mail = env["mail.mail"]
        headers = json.dumps({"Reply-To": f'"{NAME}" <{EMAIL}>', "X-Phone": PHONE})
        self.mail_to_her = Mail.create(
            {
                "subject": "Your parcel",
                "body_html": f"<p>Dear {NAME}</p>",
                "email_to": f'"{NAME}" <{EMAIL}>',
                "recipient_ids": [(6, 0, buyer.ids)],
                "headers": headers,
                "state": "outgoing",
            }
        )
        self.mail_failed = Mail.create(
            {
                "subject": "Dispute closed",
                "body_html": f"<p>Closed for {NAME}</p>",
                "email_to": "seller@example.com",
                "email_cc": EMAIL,
                "reply_to": f'"{NAME}" <{EMAIL}>',
                "headers": headers,
                "state": "exception",
                "failure_reason": f"550 unknown mailbox {EMAIL}",
            }
        )
        self.mail_other = Mail.create(
            {
                "subject": "Ticket update",
                "body_html": "<p>Hello</p>",
                "email_to": "staff@example.com",
                "headers": json.dumps({"X-Customer": f"{NAME}, {STREET}"}),
                "state": "outgoing",
            }
        )
        # Attachments: her photo on her ticket (named after her, naming her
        # inside), one she uploaded on the dispute, a staff note naming her
        # phone and street on the seller, an image named after her there.
        Attachment = env["ir.attachment"]
        self.photo = Attachment.create(
            {
                "name": f"{NAME} - photo of the parcel.pdf",
                "raw": PDF_WITH_HER,
                "res_model": "helpdesk.ticket",
                "res_id": self.ticket.id,
            }
        )
        self.uploaded = (
            Attachment.with_user(self.buyer_user)
            .sudo()
            .create(
                {
                    "name": "broken-vase.txt",
                    "raw": f"Sent by {NAME}, {PHONE}".encode(),
                    "res_model": "marketplace.dispute",
                    "res_id": self.dispute.id,
                }
            )
        )
        self.note_file = Attachment.with_user(self.staff).create(
            {
                "name": "call-notes.txt",
                "raw": f"Called back {PHONE} about {STREET}".encode(),
                "res_model": "res.partner",
                "res_id": seller.id,
            }
        )
        self.card = Attachment.create(
            {
                "name": f"{NAME} - thank you card.txt",
                "raw": b"Thank you for the vase!",
                "res_model": "res.partner",
                "res_id": seller.id,
            }
        )
        # A composer left open on the ticket, addressed to her.
        env["mail.compose.message"].with_context(
            default_model="helpdesk.ticket", default_res_ids=self.ticket.ids
        ).create(
            {
                "subject": f"Your parcel, {NAME}",
                "body": f"<p>Dear {NAME}, {STREET}</p>",
                "partner_ids": [(6, 0, buyer.ids)],
            }
        )
        # Bus notifications: to her, and to the team naming her.
        dbname = env.cr.dbname
        env["bus.bus"].sudo().create(
            [
                {
                    "channel": json_dump(channel_with_db(dbname, buyer)),
                    "message": json_dump({"type": "ping", "payload": {"id": 1}}),
                },
                {
                    "channel": json_dump(
                        channel_with_db(dbname, self.staff.partner_id)
                    ),
                    "message": json_dump(
                        {"type": "mail.record/insert", "payload": {"name": NAME}}
                    ),
                },
            ]
        )
        env.cr.precommit.run()  # tracking values
        env.flush_all()
        # One more to her, still to be inserted when the transaction commits.
        env["bus.bus"]._sendone(buyer, "ping", {"to": NAME})

    # ------------------------------------------------------------ the search
    def _database_hits(self, values):
        """``{(table, column): [values found]}`` over every text, varchar and
        jsonb column of every table of the database (case-insensitive)."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT c.table_name, array_agg(c.column_name::text ORDER BY c.column_name)
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('text', 'character varying', 'jsonb')
             GROUP BY c.table_name
            """
        )
        tables = cr.fetchall()
        self.assertGreater(len(tables), 300, "The whole database is searched")
        patterns = [f"%{value}%" for value in values]
        hits = defaultdict(list)
        for table, columns in tables:
            cr.execute(
                SQL(
                    "SELECT %s FROM %s",
                    SQL(", ").join(
                        SQL(
                            "bool_or(%s::text ILIKE ANY(%s))",
                            SQL.identifier(c),
                            patterns,
                        )
                        for c in columns
                    ),
                    SQL.identifier(table),
                )
            )
            for column, found in zip(columns, cr.fetchone(), strict=True):
                if not found:
                    continue
                for value in values:
                    cr.execute(
                        SQL(
                            "SELECT 1 FROM %s WHERE %s::text ILIKE %s LIMIT 1",
                            SQL.identifier(table),
                            SQL.identifier(column),
                            f"%{value}%",
                        )
                    )
                    if cr.fetchone():
                        hits[table, column].append(value)
        return dict(hits)

    def _filestore_hits(self, values):
        """``{file: [values found]}`` in the raw files of the database's
        attachments."""
        Attachment = self.env["ir.attachment"]
        self.env.cr.execute(
            "SELECT DISTINCT store_fname FROM ir_attachment "
            "WHERE store_fname IS NOT NULL"
        )
        files = [row[0] for row in self.env.cr.fetchall()]
        self.assertGreater(len(files), 10)
        needles = [(value, value.lower().encode()) for value in values]
        hits = {}
        for fname in files:
            path = Attachment._full_path(fname)
            if not os.path.isfile(path):
                continue
            with open(path, "rb") as handle:
                content = handle.read().lower()
            found = [value for value, needle in needles if needle in content]
            if found:
                hits[fname] = found
        return hits

    # ------------------------------------------------------------ the test
    def test_anonymised_buyer_is_nowhere(self):
        values = (NAME, FIRST_NAME, SURNAME, EMAIL, PHONE, STREET)
        self._plant()
        planted = self._database_hits(values)
        for place in (
            ("mail_message", "reply_to"),
            ("mail_message", "email_from"),
            ("mail_message", "body"),
            ("mail_mail", "headers"),
            ("mail_mail", "email_to"),
            ("mail_mail", "email_cc"),
            ("ir_attachment", "name"),
            ("helpdesk_ticket", "description"),
            ("mail_compose_message", "body"),
            ("bus_bus", "message"),
            ("crm_lead", "name"),
            ("rating_rating", "feedback"),
            ("marketplace_dispute", "description"),
            ("mail_tracking_value", "new_value_char"),
            ("res_partner", "name"),
        ):
            self.assertIn(place, planted, "Planted")
        self.assertTrue(self._filestore_hits(values), "Planted in the filestore")
        bus_to_her = self.env["bus.bus"].sudo().search_count([])
        amount = self.order.amount_total

        self.buyer.with_user(self.manager).action_marketplace_anonymise()
        self.env.cr.precommit.run()
        self.env.flush_all()

        self.assertEqual(self._database_hits(values), {}, "Left in the database")
        self.assertEqual(self._filestore_hits(values), {}, "Left in the filestore")

        label = f"Anonymised #{self.buyer.id}"
        # What stays, without her.
        self.assertEqual(self.order.partner_id, self.buyer)
        self.assertEqual(self.order.amount_total, amount)
        self.assertEqual(self.seller.seller_rating_count, 1)
        self.assertEqual(
            str(self.ticket.description), f"<p>Mme {label} called twice.</p>"
        )
        self.assertEqual(self.dispute.state, "closed")
        self.assertEqual(
            str(self.ticket_b.description), f"<p>{label} again, at {label}</p>"
        )
        self.assertFalse(self.mail_to_her.exists(), "Queued only for her: deleted")
        self.assertEqual(self.mail_failed.email_to, "seller@example.com")
        self.assertFalse(self.mail_failed.email_cc)
        self.assertIn(label, self.mail_failed.headers)
        self.assertIn(label, self.mail_other.headers)
        self.assertEqual(self.mail_other.state, "outgoing", "Still to be sent")
        self.assertFalse(self.photo.exists(), "On her ticket: deleted")
        self.assertFalse(self.uploaded.exists(), "Uploaded by her: deleted")
        self.assertFalse(self.note_file.exists(), "Naming her inside: deleted")
        self.assertEqual(self.card.name, f"{label} - thank you card.txt")
        self.assertEqual(self.card.raw, b"Thank you for the vase!")
        self.assertFalse(
            self.env["mail.compose.message"].search(
                [("partner_ids", "in", self.buyer.ids)]
            )
        )
        self.assertLess(self.env["bus.bus"].sudo().search_count([]), bus_to_her)

    def test_other_people_keep_their_texts(self):
        """Another buyer's ticket mentioning a first name like hers keeps it:
        name parts are replaced only in her own records."""
        other = self.Partner.create({"name": "Zofia Brenner"})
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Zofia's lamp",
                "description": "<p>Zofia Brenner called</p>",
                "partner_id": other.id,
            }
        )
        self.buyer.with_user(self.manager).action_marketplace_anonymise()
        self.assertEqual(str(ticket.description), "<p>Zofia Brenner called</p>")
        self.assertEqual(other.name, "Zofia Brenner")

    def test_anonymised_seller_is_nowhere(self):
        """The same search for a seller (a company) and the person who runs
        its shop: profile, shop name, portal user and API key, lead, notes,
        tickets by and about the seller, an upload and a queued e-mail."""
        values = (
            "Brackwater",
            "Ottoline",
            "hello@brackwater-kilns.example",
            "+44 7700 655210",
            "3 Quernstone Yard",
        )
        seller = self._create_validated_seller(
            "Brackwater Kilns",
            email="hello@brackwater-kilns.example",
            phone="+44 7700 655210",
            street="3 Quernstone Yard",
        )
        keeper = self.Partner.create(
            {
                "name": "Ottoline Brackwater",
                "parent_id": seller.id,
                "email": "ottoline@brackwater-kilns.example",
            }
        )
        user = portal_user(
            self.env,
            "ottoline@brackwater-kilns.example",
            partner=keeper,
            name="Ottoline Brackwater",
            email="ottoline@brackwater-kilns.example",
        )
        client = self.env["marketplace.api.client"].create(
            {"name": "Kiln tool", "user_id": user.id}
        )
        client.action_generate_key()
        seller.message_post(
            body="Ottoline Brackwater asked to call +44 7700 655210",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        own = self.env["helpdesk.ticket"].create(
            {
                "name": "Payout of Brackwater Kilns",
                "description": "<p>Ottoline called from 3 Quernstone Yard</p>",
                "partner_id": seller.id,
            }
        )
        self.env["helpdesk.ticket"].create(
            {
                "name": "Late parcel",
                "description": "<p>Brackwater Kilns never answers, says Brackwater's "
                "buyer</p>",
                "partner_id": self.buyer.id,
                "seller_id": seller.id,
            }
        )
        self.env["ir.attachment"].with_user(user).sudo().create(
            {
                "name": "statement.txt",
                "raw": b"Brackwater Kilns, 3 Quernstone Yard",
                "res_model": "helpdesk.ticket",
                "res_id": own.id,
            }
        )
        self.env["mail.mail"].create(
            {
                "subject": "Your payout",
                "body_html": "<p>Dear Ottoline</p>",
                "email_to": "hello@brackwater-kilns.example",
                "state": "outgoing",
            }
        )
        self.env.flush_all()
        self.assertIn(("helpdesk_ticket", "description"), self._database_hits(values))

        seller.with_user(self.manager).action_marketplace_anonymise()
        self.env.cr.precommit.run()
        self.env.flush_all()

        self.assertEqual(self._database_hits(values), {}, "Left in the database")
        self.assertEqual(self._filestore_hits(values), {}, "Left in the filestore")
        self.assertFalse(client.apikey_id)
        self.assertFalse(user.active)
        self.assertEqual(seller.shop_name, f"Anonymised #{seller.id}")
