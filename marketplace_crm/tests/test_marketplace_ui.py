from odoo.tests import HttpCase, tagged

CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere('marketplace_crm.menu_marketplace_root');"
)


@tagged("post_install", "-at_install")
class TestMarketplaceScreens(HttpCase):
    """Every screen of the Marketplace app opens without an error, for a
    manager and for a Marketplace user: Odoo's click-everywhere bot opens
    every menu, switches every view (list, kanban, pivot, graph...) and
    clicks every filter; the dashboard shows no error value."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls.env.ref("marketplace_crm.user_mp_agent")
        cls.admin = cls.env.ref("base.user_admin")
        (cls.agent | cls.admin).write({"tour_enabled": False})

    def _click_everywhere(self, login):
        self.browser_js(
            "/odoo",
            CLICKBOT,
            "odoo.isReady === true",
            login=login,
            timeout=300,
            success_signal="clickbot test succeeded",
        )

    def test_click_everywhere_as_manager(self):
        self.assertTrue(
            self.admin.has_group("marketplace_crm.group_marketplace_manager")
        )
        self._click_everywhere(self.admin.login)

    def test_click_everywhere_as_marketplace_user(self):
        self.assertFalse(
            self.agent.has_group("marketplace_crm.group_marketplace_manager")
        )
        self._click_everywhere(self.agent.login)

    def test_dashboard_shows_no_error(self):
        dashboard = self.env.ref("marketplace_crm.spreadsheet_dashboard_marketplace")
        self.start_tour(
            f"/odoo/dashboards?dashboard_id={dashboard.id}",
            "marketplace_dashboard",
            login=self.agent.login,
            timeout=180,
        )
