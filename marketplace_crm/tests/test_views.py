from odoo.tests import HttpCase, tagged

from ..models.marketplace_params import DEFAULTS


@tagged("post_install", "-at_install")
class TestMarketplaceViews(HttpCase):
    def test_every_marketplace_action_loads_its_views(self):
        """Each menu action of the app renders all of its views for staff."""
        agent = self.env.ref("marketplace_crm.user_mp_agent")
        root = self.env.ref("marketplace_crm.menu_marketplace_root")
        Menu = self.env["ir.ui.menu"].with_user(agent)
        visible = Menu._visible_menu_ids()
        menus = Menu.search(
            [("id", "child_of", root.id), ("action", "!=", False)]
        ).filtered(lambda m: m.id in visible)
        self.assertGreaterEqual(len(menus), 6)
        self.assertFalse(
            menus.sudo().filtered(
                lambda m: m.action.res_model == "res.config.settings"
            ),
            "Settings are for marketplace managers only",
        )
        for menu in menus:
            action = menu.sudo().action
            if action._name != "ir.actions.act_window":
                continue
            model = self.env[action.res_model].with_user(agent)
            views = [(v.view_id.id, v.view_mode) for v in action.view_ids]
            modes = {mode for __, mode in views}
            views += [(False, m) for m in action.view_mode.split(",") if m not in modes]
            result = model.get_views(views + [(False, "search")])
            self.assertTrue(result["views"], menu.complete_name)

    def test_partner_form_has_marketplace_tab(self):
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('name="marketplace"', arch)
        self.assertIn("verification_state", arch)

    def test_settings_hold_every_threshold(self):
        by_param = {
            field.config_parameter: name
            for name, field in self.env["res.config.settings"]._fields.items()
            if getattr(field, "config_parameter", None)
        }
        settings_fields = []
        for key in DEFAULTS:
            self.assertIn(f"marketplace_crm.{key}", by_param, f"No setting for {key}")
            settings_fields.append(by_param[f"marketplace_crm.{key}"])
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        for name in settings_fields:
            self.assertIn(f'name="{name}"', arch, name)
        settings = self.env["res.config.settings"].create(
            {
                "marketplace_seller_inactive_days": 45,
                "marketplace_review_decline_percent": 35,
            }
        )
        settings.execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("marketplace_crm.seller_inactive_days"), "45")
        self.assertEqual(
            params.get_param("marketplace_crm.review_decline_percent"), "35.0"
        )

    def test_refresh_report_data_menu(self):
        action = self.env.ref("marketplace_crm.action_refresh_report_snapshots")
        result = action.with_context(active_model="marketplace.report.snapshot").run()
        self.assertEqual(result["tag"], "display_notification")
