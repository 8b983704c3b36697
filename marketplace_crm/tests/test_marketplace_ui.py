from odoo.tests import HttpCase, tagged


class MarketplaceUiCase(HttpCase):
    """Browser tests as the demo's manager (admin) and Marketplace user
    (mp_agent), with the asset bundles built once for the class."""

    # The first page of a fresh database builds the asset bundles, which can
    # hold the test cursor longer than the default 20 s on a busy machine.
    test_cursor_lock_timeout = 120

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls.env.ref("marketplace_crm.user_mp_agent")
        cls.admin = cls.env.ref("base.user_admin")
        (cls.agent | cls.admin).write({"tour_enabled": False})
        cls._build_asset_bundles()

    @classmethod
    def _build_asset_bundles(cls):
        """Build the bundles the pages load once for the whole class: built
        by the first request of each test, they would hold the test cursor
        for a minute on a busy machine and time the browser out."""
        for name in ("web.assets_web", "web.assets_tests", "spreadsheet.o_spreadsheet"):
            bundle = cls.env["ir.qweb"]._get_asset_bundle(name)
            bundle.js()
            bundle.css()


@tagged("post_install", "-at_install")
class TestMarketplaceScreens(MarketplaceUiCase):
    """Every screen of the Marketplace app opens without an error, for a
    manager and for a Marketplace user: every menu, in every view of its
    action (list, kanban, form, pivot, graph, activity...); the dashboard
    shows no error value."""

    def test_every_screen_as_manager(self):
        self.assertTrue(
            self.admin.has_group("marketplace_crm.group_marketplace_manager")
        )
        self.start_tour(
            "/odoo", "marketplace_every_screen", login=self.admin.login, timeout=600
        )

    def test_every_screen_as_marketplace_user(self):
        self.assertFalse(
            self.agent.has_group("marketplace_crm.group_marketplace_manager")
        )
        self.start_tour(
            "/odoo", "marketplace_every_screen", login=self.agent.login, timeout=600
        )

    def test_dashboard_shows_no_error(self):
        dashboard = self.env.ref("marketplace_crm.spreadsheet_dashboard_marketplace")
        self.start_tour(
            f"/odoo/dashboards?dashboard_id={dashboard.id}",
            "marketplace_dashboard",
            login=self.agent.login,
            timeout=600,
        )


@tagged("post_install", "-at_install")
class TestMarketplaceClickEverywhere(MarketplaceUiCase):
    """Odoo's own click-everywhere bot over the Marketplace app: every menu,
    every view type of its action and every filter of each view, as a
    manager and as a Marketplace user. The bot fails on an error dialog, a
    failed request or a screen that does not finish loading."""

    clickbot_script = (
        "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
        ".startClickEverywhere('marketplace_crm.menu_marketplace_root');"
    )

    def _click_everywhere(self, user):
        self.browser_js(
            "/odoo",
            self.clickbot_script,
            "odoo.isReady === true",
            login=user.login,
            timeout=900,
            success_signal="clickbot test succeeded",
        )

    def test_click_everywhere_as_manager(self):
        self.assertTrue(
            self.admin.has_group("marketplace_crm.group_marketplace_manager")
        )
        self._click_everywhere(self.admin)

    def test_click_everywhere_as_marketplace_user(self):
        self.assertFalse(
            self.agent.has_group("marketplace_crm.group_marketplace_manager")
        )
        self._click_everywhere(self.agent)
