from odoo import fields, models

from .marketplace_params import DEFAULTS


class ResConfigSettings(models.TransientModel):
    """The rate limit of the public registration form (see
    marketplace_seller_registration.py)."""

    _inherit = "res.config.settings"

    marketplace_registration_window_minutes = fields.Integer(
        "Registration Window (minutes)",
        config_parameter="marketplace_crm.registration_window_minutes",
        default=DEFAULTS["registration_window_minutes"],
    )
    marketplace_registration_max_per_email = fields.Integer(
        "Registrations per Address",
        config_parameter="marketplace_crm.registration_max_per_email",
        default=DEFAULTS["registration_max_per_email"],
        help="Requests accepted for one e-mail address within the window "
        "(0: no limit).",
    )
    marketplace_registration_max_per_client = fields.Integer(
        "Registrations per Client",
        config_parameter="marketplace_crm.registration_max_per_client",
        default=DEFAULTS["registration_max_per_client"],
        help="Requests accepted from one client (IP address) within the window "
        "(0: no limit).",
    )
