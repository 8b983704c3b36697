from odoo import api, fields, models


class FastapiEndpoint(models.Model):
    """The marketplace REST API as an OCA ``fastapi`` application."""

    _inherit = "fastapi.endpoint"

    app = fields.Selection(
        selection_add=[("marketplace", "Marketplace API")],
        ondelete={"marketplace": "cascade"},
    )

    def _get_fastapi_routers(self):
        if self.app == "marketplace":
            from ..routers.marketplace_api import router

            return [router]
        return super()._get_fastapi_routers()

    def _prepare_fastapi_app_params(self):
        params = super()._prepare_fastapi_app_params()
        if self.app == "marketplace":
            from ..routers.marketplace_api import API_VERSION, OPENAPI_TAGS

            params.update(version=API_VERSION, openapi_tags=OPENAPI_TAGS)
        return params

    def _get_fastapi_app_middlewares(self):
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app == "marketplace":
            from starlette.middleware import Middleware

            from ..routers.api_errors import ClientErrorMiddleware

            middlewares = [*middlewares, Middleware(ClientErrorMiddleware)]
        return middlewares

    @api.model
    def _marketplace_sync_routes(self):
        """Register the routes of the marketplace endpoints (on install)."""
        endpoints = self.search([("app", "=", "marketplace")])
        endpoints._handle_registry_sync()
        endpoints.registry_sync = True
        return True
