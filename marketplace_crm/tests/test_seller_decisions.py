"""Who decides on sellers: the *Seller verification* role, on every path.

Every decision method and every decision field is enumerated (the methods
from the source: each public method that checks the role; the fields from
the files that define the verification, the quality rules, the document
check and the appeal). A marketplace user (a support agent) is refused each
of them through the method (ORM and JSON-RPC), through ``write``,
``create`` and an import (``load``), and the API has no way to them; a
verifier takes each decision and is recorded as the one who decided. The
buttons are not in the views an agent gets.
"""

import inspect
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.models import MAGIC_COLUMNS
from odoo.tests import HttpCase, tagged

from ..models.marketplace_quality_appeal import APPEAL_DECISION_FIELDS
from ..models.marketplace_seller_document_kyc import DOCUMENT_DECISION_FIELDS
from ..models.res_partner_decision import SELLER_DECISION_FIELDS
from .common import PDF, MarketplaceCase

REFUSED = "Only the seller verification team"
ADDON = "odoo.addons.marketplace_crm."
# The files whose fields are all decisions on the seller, the document or
# the appeal, but for these (what the seller sends, history lists).
DECISION_FILES = {
    "res.partner": (
        "models.res_partner_verification",
        "models.res_partner_quality_rules",
        "models.res_partner_decision",
    ),
    "marketplace.seller.document": ("models.marketplace_seller_document_kyc",),
    "marketplace.quality.appeal": ("models.marketplace_quality_appeal",),
}
NOT_DECISIONS = {
    # the seller's lists of crossings and appeals (read-only one2many)
    "quality_crossing_ids",
    "quality_appeal_ids",
    # the appeal as the seller sent it
    "name",
    "seller_id",
    "explanation",
    "attachment_ids",
    # the company the appeal belongs to (the seller's figures company)
    "company_id",
    "suspension_reason",
    "submit_token",
}
GUARDED = {
    "res.partner": SELLER_DECISION_FIELDS,
    "marketplace.seller.document": DOCUMENT_DECISION_FIELDS,
    "marketplace.quality.appeal": APPEAL_DECISION_FIELDS,
}


class DecisionCase(MarketplaceCase):
    """Fresh records in each state a decision starts from, and the table of
    the decisions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls.staff  # a marketplace user: answers tickets
        cls.product = cls._create_product(
            cls._create_validated_seller("Listing Owner"), "Withheld cup", 10
        )

    # ------------------------------------------------------------ records
    def _pending(self):
        seller = self._create_seller("Pending Shop")
        seller.action_submit_verification()
        return seller

    def _validated(self):
        return self._create_validated_seller("Validated Shop")

    def _suspended(self):
        seller = self._validated()
        seller.action_suspend_seller()
        return seller

    def _document_to_check(self):
        return self.env["marketplace.seller.document"].create(
            {
                "partner_id": self._validated().id,
                "document_type_id": self.doc_type_identity.id,
                "file": PDF,
                "file_name": "new-id.pdf",
                "expiry_date": fields.Date.today() + timedelta(days=3650),
            }
        )

    def _appeal(self):
        """A seller suspended by the quality programme, appealing."""
        seller = self._validated()
        crossing = self.env["marketplace.quality.crossing"].create(
            {
                "seller_id": seller.id,
                "metric": "late",
                "level": "limit",
                "value": 30.0,
                "threshold": 15.0,
                "grace_until": fields.Date.today(),
            }
        )
        seller._quality_suspend(crossing)
        appeal, __ = self.env["marketplace.quality.appeal"]._submit_for_seller(
            seller, "The carrier was on strike.", [], "token-1"
        )
        # What the seller reads with the decision (required to decide).
        appeal.decision_note = "Reviewed with the carrier."
        return appeal

    def _wizard(self, user):
        return (
            self.env["marketplace.seller.reject"]
            .with_user(user)
            .create({"partner_ids": [(6, 0, self._pending().ids)], "reason": "Blur"})
        )

    def _snapshot(self, record):
        """The decision fields of ``record`` (of the sellers of a wizard)."""
        if record._name == "marketplace.seller.reject":
            record = record.partner_ids
        record.invalidate_recordset()
        return record.read(sorted(GUARDED[record._name]))

    # ------------------------------------------------------------ decisions
    def _decisions(self):
        """(model.method, make(user) -> record, call(record), decided(record),
        who(record) -> (user, date) or None)."""
        seller_verif = lambda r: (r.verification_user_id, r.verification_date)
        seller_susp = lambda r: (r.suspension_user_id, r.suspension_date)
        appeal_who = lambda r: (r.decided_by_id, r.decided_on)
        return [
            (
                "res.partner.action_validate_seller",
                lambda u: self._pending(),
                lambda r: r.action_validate_seller(),
                lambda r: r.verification_state == "validated",
                seller_verif,
            ),
            (
                "res.partner.action_reject_seller",
                lambda u: self._pending(),
                lambda r: r.action_reject_seller("Blurred scan"),
                lambda r: r.verification_state == "rejected",
                seller_verif,
            ),
            (
                "res.partner.action_open_reject_wizard",
                lambda u: self._pending(),
                lambda r: r.action_open_reject_wizard(),
                lambda r: True,  # opens the rejection, decides nothing yet
                None,
            ),
            (
                "marketplace.seller.reject.action_reject",
                self._wizard,
                lambda r: r.action_reject(),
                lambda r: r.partner_ids.verification_state == "rejected",
                lambda r: seller_verif(r.partner_ids),
            ),
            (
                "res.partner.action_reset_verification",
                lambda u: self._validated(),
                lambda r: r.action_reset_verification(),
                lambda r: r.verification_state == "draft",
                seller_verif,
            ),
            (
                "res.partner.action_suspend_seller",
                lambda u: self._validated(),
                lambda r: r.action_suspend_seller(),
                lambda r: r.seller_suspended,
                seller_susp,
            ),
            (
                "res.partner.action_reinstate_seller",
                lambda u: self._suspended(),
                lambda r: r.action_reinstate_seller(),
                lambda r: not r.seller_suspended,
                seller_susp,
            ),
            (
                "marketplace.seller.document.action_kyc_approve",
                lambda u: self._document_to_check(),
                lambda r: r.action_kyc_approve(),
                lambda r: r.kyc_state == "approved",
                lambda r: (r.kyc_approved_by_id, r.kyc_approved_on),
            ),
            (
                "marketplace.quality.appeal.action_reinstate",
                lambda u: self._appeal(),
                lambda r: r.action_reinstate(),
                lambda r: r.state == "reinstated" and not r.seller_id.seller_suspended,
                appeal_who,
            ),
            (
                "marketplace.quality.appeal.action_confirm_suspension",
                lambda u: self._appeal(),
                lambda r: r.action_confirm_suspension(),
                lambda r: r.state == "confirmed",
                appeal_who,
            ),
        ]


def _decision_methods(env):
    """The public methods of the addon that check the seller verification
    role: (model, method)."""
    found = set()
    for model in env.registry.values():
        for cls in type(env[model._name]).mro():
            if not cls.__module__.startswith(ADDON):
                continue
            for name, member in vars(cls).items():
                if name.startswith("_") or not inspect.isfunction(member):
                    continue
                if "check_group(self.env, VERIFIER)" in inspect.getsource(member):
                    found.add((model._name, name))
    return found


def _decision_fields(env, model):
    """The fields defined by the decision files of ``model``."""
    names = set()
    for cls in type(env[model]).mro():
        module = cls.__module__.removeprefix(ADDON)
        if module in DECISION_FILES[model]:
            names |= {
                name
                for name, value in vars(cls).items()
                if isinstance(value, fields.Field) and name not in MAGIC_COLUMNS
            }
    return names - NOT_DECISIONS


@tagged("post_install", "-at_install")
class TestSellerDecisions(DecisionCase):
    def test_every_decision_method_is_enumerated(self):
        """The table holds every method that checks the role: a new decision
        method must be added to it (and so be tried by an agent)."""
        listed = {tuple(label.rsplit(".", 1)) for label, *__ in self._decisions()}
        self.assertEqual(_decision_methods(self.env), listed)

    def test_every_decision_field_is_guarded(self):
        for model, guarded in GUARDED.items():
            with self.subTest(model=model):
                self.assertEqual(_decision_fields(self.env, model), set(guarded))

    def test_agents_are_refused_every_decision(self):
        for label, make, call, *__ in self._decisions():
            with self.subTest(decision=label):
                record = make(self.agent)
                before = self._snapshot(record)
                with self.assertRaisesRegex(AccessError, REFUSED):
                    call(record.with_user(self.agent))
                self.assertEqual(self._snapshot(record), before)

    def test_verifiers_take_every_decision_and_are_recorded(self):
        for label, make, call, decided, who in self._decisions():
            with self.subTest(decision=label):
                record = make(self.verifier)
                start = fields.Datetime.now()
                call(record.with_user(self.verifier))
                record.invalidate_recordset()
                self.assertTrue(decided(record))
                if who:
                    user, date = who(record)
                    self.assertEqual(user, self.verifier)
                    self.assertGreaterEqual(date, start)

    def test_managers_hold_the_role_and_agents_do_not(self):
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "marketplace_crm.group_marketplace_verifier"
            )
        )
        self.assertFalse(
            self.env.ref("marketplace_crm.user_mp_agent").has_group(
                "marketplace_crm.group_marketplace_verifier"
            )
        )
        verifier = self.env.ref("marketplace_crm.user_mp_verifier")
        self.assertTrue(verifier.has_group("marketplace_crm.group_marketplace_user"))
        self.assertFalse(
            verifier.has_group("marketplace_crm.group_marketplace_manager")
        )

    def test_agents_still_prepare_and_submit_a_seller(self):
        """Submitting a complete profile is the agents' (not a decision): the
        seller waits for the team, nobody is recorded as having decided."""
        seller = self._create_seller("Prepared")
        seller.with_user(self.agent).action_submit_verification()
        self.assertEqual(seller.verification_state, "pending")
        self.assertFalse(seller.verification_user_id)


@tagged("post_install", "-at_install")
class TestDecisionFields(DecisionCase):
    """Every decision field, written or imported by an agent: refused."""

    def _record(self, model):
        return {
            "res.partner": self._validated,
            "marketplace.seller.document": self._document_to_check,
            "marketplace.quality.appeal": self._appeal,
        }[model]()

    def _value(self, record, fname):
        """A value for ``fname`` other than the current one: (for write,
        for import)."""
        field = record._fields[fname]
        if field.type == "selection":
            value = next(
                key
                for key in field.get_values(self.env)
                if key != record[fname] and key not in ("draft", "pending")
            )
            return value, value
        if field.type == "boolean":
            return not record[fname], "0" if record[fname] else "1"
        if field.type in ("char", "text"):
            return "Forged", "Forged"
        if field.type == "date":
            return "2030-01-01", "2030-01-01"
        if field.type == "datetime":
            return "2030-01-01 10:00:00", "2030-01-01 10:00:00"
        if field.type == "many2one":
            return self.agent.id, str(self.agent.id)
        if field.type == "many2many":
            return [(4, self.product.product_tmpl_id.id)], str(
                self.product.product_tmpl_id.id
            )
        raise AssertionError(f"No sample value for {fname} ({field.type})")

    def test_write_and_import_refused_to_agents(self):
        for model, guarded in GUARDED.items():
            for fname in sorted(guarded):
                with self.subTest(model=model, field=fname):
                    record = self._record(model)
                    value, imported = self._value(record, fname)
                    before = record.read([fname])
                    with self.assertRaisesRegex(AccessError, REFUSED):
                        record.with_user(self.agent).write({fname: value})
                    column = (
                        f"{fname}/.id"
                        if record._fields[fname].type in ("many2one", "many2many")
                        else fname
                    )
                    result = (
                        self.env[model]
                        .with_user(self.agent)
                        .load([".id", column], [[str(record.id), imported]])
                    )
                    self.assertFalse(result["ids"])
                    self.assertIn(REFUSED, result["messages"][0]["message"])
                    record.invalidate_recordset()
                    self.assertEqual(record.read([fname]), before)

    def test_agents_cannot_create_a_decided_seller_or_document(self):
        Partner = self.Partner.with_user(self.agent)
        for vals in (
            {"verification_state": "validated"},
            {"verification_state": "rejected", "verification_rejection_reason": "x"},
            {"seller_suspended": True},
            {"quality_exempt_until": "2030-01-01", "quality_exempt_reason": "x"},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, REFUSED):
                Partner.create({"name": "Forged", "is_seller": True, **vals})
        result = Partner.load(
            ["name", "is_seller", "verification_state"],
            [["Imported", "1", "validated"]],
        )
        self.assertIn(REFUSED, result["messages"][0]["message"])
        self.assertFalse(self.Partner.search([("name", "=", "Imported")]))
        # A document: added for the team to check, never approved by an agent.
        seller = self._validated()
        Document = self.env["marketplace.seller.document"].with_user(self.agent)
        vals = {
            "partner_id": seller.id,
            "document_type_id": self.doc_type_identity.id,
            "file": PDF,
            "expiry_date": "2036-01-01",
        }
        with self.assertRaisesRegex(AccessError, REFUSED):
            Document.create(dict(vals, kyc_state="approved"))
        self.assertEqual(Document.create(vals).kyc_state, "to_check")

    def test_verifiers_write_decisions_and_are_recorded(self):
        """Through ``write`` or an import too, who decided is recorded."""
        seller = self._validated()
        seller.with_user(self.verifier).write({"seller_suspended": True})
        self.assertEqual(seller.suspension_user_id, self.verifier)
        result = self.Partner.with_user(self.verifier).load(
            [".id", "quality_exempt_until", "quality_exempt_reason"],
            [[str(seller.id), "2030-01-01", "Launch"]],
        )
        self.assertEqual(result["ids"], seller.ids, result["messages"])
        self.assertEqual(seller.quality_exempt_user_id, self.verifier)
        self.assertTrue(seller.quality_exempt_date)

    def test_a_change_by_an_agent_sends_an_approved_document_back_to_check(self):
        """An agent replacing the file or moving the expiry date of an
        approved document does not keep the team's approval."""
        doc = self._document_to_check()
        doc.with_user(self.verifier).action_kyc_approve()
        doc.with_user(self.verifier).write({"expiry_date": "2037-01-01"})
        self.assertEqual(doc.kyc_state, "approved")
        doc.with_user(self.agent).write({"expiry_date": "2040-01-01"})
        self.assertEqual(doc.kyc_state, "to_check")
        self.assertFalse(doc.kyc_approved_by_id)
        self.assertIn("checked again", "".join(doc.message_ids.mapped("body")))


@tagged("post_install", "-at_install")
class TestAppealDecisions(DecisionCase):
    def test_reinstating_the_seller_decides_the_appeal_under_review(self):
        """No appeal stays under review on a reinstated seller: reinstating
        from the seller form decides it, by the same verifier, and the seller
        is told."""
        appeal = self._appeal()
        seller = appeal.seller_id
        self.assertTrue(seller.quality_suspended)
        seller.with_user(self.verifier).action_reinstate_seller()
        self.assertFalse(seller.seller_suspended)
        self.assertEqual(appeal.state, "reinstated")
        self.assertEqual(appeal.decided_by_id, self.verifier)
        self.assertEqual(seller.suspension_user_id, self.verifier)
        self.assertFalse(appeal.activity_ids)
        self.assertTrue(
            self.env["mail.mail"].search(
                [
                    ("subject", "ilike", "Your appeal"),
                    ("recipient_ids", "in", seller.ids),
                ]
            )
        )
        # Decided once: one decision in the seller's lifecycle.
        self.assertEqual(
            seller.seller_event_ids.mapped("event_type").count(
                "quality_appeal_decision"
            ),
            1,
        )

    def test_appeal_decided_through_the_appeal_is_recorded_and_tracked(self):
        appeal = self._appeal()
        self.cr.flush()
        appeal.with_user(self.verifier).write({"decision_note": "Strike confirmed."})
        appeal.with_user(self.verifier).action_reinstate()
        self.cr.flush()
        self.assertEqual(appeal.decided_by_id, self.verifier)
        self.assertTrue(appeal.decided_on)
        self.assertFalse(appeal.seller_id.seller_suspended)
        self.assertEqual(appeal.seller_id.suspension_user_id, self.verifier)
        tracked = appeal.message_ids.tracking_value_ids.mapped("field_id.name")
        for fname in ("state", "decided_by_id", "decided_on"):
            self.assertIn(fname, tracked)

    def test_the_quality_job_is_recorded_as_deciding_its_suspensions(self):
        """The daily job's suspension is the system user's decision."""
        seller = self._validated()
        seller.suspension_user_id = self.verifier  # an earlier decision
        self.env["marketplace.quality.crossing"].create(
            {
                "seller_id": seller.id,
                "metric": "late",
                "level": "limit",
                "value": 30.0,
                "threshold": 15.0,
                "grace_until": fields.Date.today(),
            }
        )
        self.Partner._quality_apply_grace_ends()
        self.assertTrue(seller.quality_suspended)
        self.assertEqual(seller.suspension_user_id, self.env.ref("base.user_root"))


@tagged("post_install", "-at_install")
class TestDecisionButtons(DecisionCase):
    """The views an agent gets have no decision button; a verifier's do."""

    VIEWS = (
        (
            "res.partner",
            "marketplace_crm.view_partner_form_seller",
            {
                "action_validate_seller",
                "action_open_reject_wizard",
                "action_suspend_seller",
                "action_reinstate_seller",
                "action_reset_verification",
            },
        ),
        (
            "marketplace.seller.document",
            "marketplace_crm.marketplace_seller_document_view_form",
            {"action_kyc_approve"},
        ),
        (
            "marketplace.quality.appeal",
            "marketplace_crm.view_marketplace_quality_appeal_form",
            {"action_reinstate", "action_confirm_suspension"},
        ),
        (
            "marketplace.seller.reject",
            "marketplace_crm.marketplace_seller_reject_view_form",
            {"action_reject"},
        ),
    )

    def _arch(self, user, model, xmlid):
        view = self.env.ref(xmlid)
        return (
            self.env[model]
            .with_user(user)
            .get_views([(view.id, "form")])["views"]["form"]["arch"]
        )

    def test_buttons_hidden_for_agents(self):
        for model, xmlid, buttons in self.VIEWS:
            agent_arch = self._arch(self.agent, model, xmlid)
            verifier_arch = self._arch(self.verifier, model, xmlid)
            for button in buttons:
                with self.subTest(view=xmlid, button=button):
                    self.assertNotIn(f'name="{button}"', agent_arch)
                    self.assertIn(f'name="{button}"', verifier_arch)
        # The submission stays the agents'.
        self.assertIn(
            'name="action_submit_verification"',
            self._arch(
                self.agent, "res.partner", "marketplace_crm.view_partner_form_seller"
            ),
        )

    def test_agents_read_the_decisions_but_do_not_edit_them(self):
        partner_arch = self._arch(
            self.agent, "res.partner", "marketplace_crm.view_partner_form_seller"
        )
        for fname in ("suspension_user_id", "verification_user_id"):
            self.assertIn(f'name="{fname}"', partner_arch)
        # The exemption: read-only for agents, editable for the team.
        exempt = r'<field name="quality_exempt_until"[^>]*readonly="1"'
        self.assertRegex(partner_arch, exempt)
        verifier_arch = self._arch(
            self.verifier, "res.partner", "marketplace_crm.view_partner_form_seller"
        )
        self.assertIn('name="quality_exempt_until"', verifier_arch)
        self.assertNotRegex(verifier_arch, exempt)
        appeal_arch = self._arch(
            self.agent,
            "marketplace.quality.appeal",
            "marketplace_crm.view_marketplace_quality_appeal_form",
        )
        self.assertRegex(appeal_arch, r'<field name="decision_note"[^>]*readonly="1"')
        self.assertIn('name="decided_by_id"', appeal_arch)


@tagged("post_install", "-at_install")
class TestDecisionsOverRpc(HttpCase, DecisionCase):
    """The same refusals over JSON-RPC, as a browser or a script sends them."""

    def setUp(self):
        super().setUp()
        self.agent.password = "agent-pass"
        self.verifier.password = "verifier-pass"

    def _call_kw(self, model, method, args, kwargs=None):
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            },
        )
        return response.json()

    def _refused(self, reply):
        self.assertIn("error", reply, reply.get("result"))
        self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertIn(REFUSED, reply["error"]["data"]["message"])

    def test_agent_refused_every_decision_over_rpc(self):
        self.authenticate(self.agent.login, "agent-pass")
        for label, make, *__ in self._decisions():
            model, method = label.rsplit(".", 1)
            with self.subTest(decision=label):
                record = make(self.agent)
                before = self._snapshot(record)
                args = [record.ids]
                if method == "action_reject_seller":
                    args.append("Blurred scan")
                self._refused(self._call_kw(model, method, args))
                self.assertEqual(self._snapshot(record), before)
        seller = self._validated()
        for vals in (
            {"seller_suspended": True},
            {"verification_state": "draft"},
            {"quality_exempt_until": "2030-01-01", "quality_exempt_reason": "x"},
        ):
            with self.subTest(vals=vals):
                self._refused(self._call_kw("res.partner", "write", [seller.ids, vals]))
        seller.invalidate_recordset()
        self.assertEqual(
            (seller.verification_state, seller.seller_suspended), ("validated", False)
        )

    def test_verifier_decides_over_rpc(self):
        self.authenticate(self.verifier.login, "verifier-pass")
        seller = self._pending()
        reply = self._call_kw("res.partner", "action_validate_seller", [seller.ids])
        self.assertTrue(reply.get("result"), reply)
        seller.invalidate_recordset()
        self.assertEqual(seller.verification_state, "validated")
        self.assertEqual(seller.verification_user_id, self.verifier)


@tagged("post_install", "-at_install")
class TestDecisionsOverTheApi(HttpCase, DecisionCase):
    """The API takes no decision: no endpoint accepts a decision field, and
    the seller's own submission stays a submission."""

    API = "/marketplace/api"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("marketplace_crm.api_rate_limit", 1000)
        cls.seller = cls._create_validated_seller("Api Shop")
        cls.seller_user = cls.env["res.users"].create(
            {
                "name": "Api Shop",
                "login": "decide_api_shop",
                "partner_id": cls.seller.id,
                "group_ids": [(6, 0, [cls.env.ref("base.group_portal").id])],
            }
        )
        cls.key_seller = cls._key(cls.seller_user)
        cls.key_agent = cls._key(cls.agent)

    @classmethod
    def _key(cls, user):
        client = cls.env["marketplace.api.client"].create(
            {"name": f"Integration of {user.login}", "user_id": user.id}
        )
        return client.action_generate_key()["context"]["default_key"]

    def _api(self, method, path, key, body=None):
        return self.url_open(
            self.API + path,
            method=method,
            json=body,
            headers={"Authorization": f"Bearer {key}"},
        )

    def test_no_endpoint_accepts_a_decision_field(self):
        spec = self.url_open(f"{self.API}/openapi.json").json()
        schemas = spec["components"]["schemas"]
        decision = SELLER_DECISION_FIELDS | DOCUMENT_DECISION_FIELDS | {"suspended"}
        for path, operations in spec["paths"].items():
            for verb, operation in operations.items():
                content = operation.get("requestBody", {}).get("content", {})
                for media in content.values():
                    ref = media["schema"].get("$ref", "")
                    schema = schemas.get(ref.rsplit("/", 1)[-1], media["schema"])
                    with self.subTest(operation=f"{verb} {path}"):
                        self.assertFalse(decision & set(schema.get("properties", {})))

    def test_decision_fields_sent_anyway_change_nothing(self):
        for key, method, path, body in (
            (self.key_seller, "PATCH", "/sellers/me", {"seller_suspended": True}),
            (self.key_seller, "PATCH", "/sellers/me", {"verification_state": "draft"}),
            (
                self.key_agent,
                "POST",
                "/sellers",
                {
                    "name": "Forged",
                    "email": "forged@example.com",
                    "shop_name": "Forged",
                    "verification_state": "validated",
                },
            ),
        ):
            with self.subTest(method=method, body=body):
                response = self._api(method, path, key, body)
                self.assertGreaterEqual(response.status_code, 400)
                self.assertLess(response.status_code, 500)
        self.seller.invalidate_recordset()
        self.assertEqual(
            (self.seller.verification_state, self.seller.seller_suspended),
            ("validated", False),
        )
        self.assertFalse(self.Partner.search([("email", "=", "forged@example.com")]))

    def test_submission_endpoint_is_no_decision(self):
        """A validated seller cannot submit again (nothing reset), and an
        agent's key is no seller's."""
        response = self._api("POST", "/sellers/me/verification", self.key_seller)
        self.assertEqual(response.status_code, 409)
        response = self._api("POST", "/sellers/me/verification", self.key_agent)
        self.assertIn(response.status_code, (403, 404))
        self.seller.invalidate_recordset()
        self.assertEqual(self.seller.verification_state, "validated")


@tagged("post_install", "-at_install")
class TestDecisionsInFrench(DecisionCase):
    """A French-speaking agent is refused in French (i18n/fr.po)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["marketplace_crm"], ["fr_FR"], overwrite=True
        )

    def test_refusals_in_french(self):
        seller = self._pending().with_user(self.agent).with_context(lang="fr_FR")
        with self.assertRaisesRegex(
            AccessError, "Seule l'équipe de vérification des vendeurs peut prendre"
        ):
            seller.action_validate_seller()
        with self.assertRaisesRegex(
            AccessError,
            "Seule l'équipe de vérification des vendeurs peut modifier .*"
            "Vérification des vendeurs",
        ):
            seller.write({"seller_suspended": True})
        self.assertEqual(seller.verification_state, "pending")
