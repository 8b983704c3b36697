from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestSettingsButtons(TransactionCase):
    """Every button of the Marketplace Settings opens a list the web client
    can load: object buttons return an action whose records can be read, and
    the search defaults of action buttons name a field or filter of the
    target's search view with a value of the field's type (a model's
    technical name given to a many2one crashed the page)."""

    def _marketplace_buttons(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        app = etree.fromstring(arch).xpath("//app[@name='marketplace_crm']")
        self.assertTrue(app, "The Marketplace section of Settings is missing")
        buttons = app[0].xpath(".//button[@type]")
        self.assertGreaterEqual(len(buttons), 9, "Every Settings button is tried")
        return buttons

    def _search_domain(self, model, search_arch, key, value):
        """The domain the web client builds for ``search_default_<key>``."""
        search = etree.fromstring(search_arch)
        node = search.xpath(f"//filter[@name='{key}']")
        if node:
            return safe_eval(node[0].get("domain") or "[]")
        node = search.xpath(f"//field[@name='{key}']")
        self.assertTrue(node, f"search_default_{key}: no such field or filter")
        field = self.env[model]._fields[key]
        if field.type == "many2one":
            self.assertIsInstance(
                value, int, f"search_default_{key} must be a record id, not {value!r}"
            )
        if node[0].get("filter_domain"):
            return safe_eval(
                node[0].get("filter_domain"), {"raw_value": value, "self": value}
            )
        return [(key, "=", value)]

    def _open(self, action, extra_context=None):
        """Load the first page of ``action`` as the web client does."""
        context = action.get("context") or {}
        if isinstance(context, str):
            context = safe_eval(context, {"uid": self.env.uid})
        context = dict(context)
        context.update(extra_context or {})
        model = action["res_model"]
        domain = action.get("domain") or []
        if isinstance(domain, str):
            domain = safe_eval(domain, {"uid": self.env.uid})
        views = self.env[model].get_views([(False, "list"), (False, "search")])
        for key, value in context.items():
            if key.startswith("search_default_") and value:
                domain = domain + self._search_domain(
                    model, views["views"]["search"]["arch"], key[15:], value
                )
        records = (
            self.env[model]
            .with_context(**context)
            .web_search_read(domain, {"display_name": {}}, limit=80)
        )
        return records["length"]

    def test_every_marketplace_settings_button_opens(self):
        settings = self.env["res.config.settings"].create({})
        opened = []
        for button in self._marketplace_buttons():
            label = button.get("string")
            if button.get("type") == "object":
                action = getattr(settings, button.get("name"))()
                self.assertIsInstance(action, dict, f"{label}: no action")
                extra = {}
            else:
                action_id = int(button.get("name"))
                action = self.env["ir.actions.act_window"].browse(action_id).read()[0]
                extra = safe_eval(button.get("context") or "{}")
            opened.append((label, self._open(action, extra)))
        templates = [
            count for label, count in opened if label == "Edit the e-mail templates"
        ]
        self.assertEqual(len(templates), 2)
        self.assertTrue(all(templates), "The template links show their templates")
