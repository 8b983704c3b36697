"""Group checks of the public methods that do work.

Any public method of a model can be called over RPC by any logged-in user,
whatever the buttons a view shows: the ORM checks access rights on the
records it reads and writes, not on the method. Methods that change state
or run heavy queries with elevated rights call these helpers first.
"""

from odoo.exceptions import AccessError

MARKETPLACE_USER = "marketplace_crm.group_marketplace_user"
MARKETPLACE_MANAGER = "marketplace_crm.group_marketplace_manager"


def check_group(env, group=MARKETPLACE_USER):
    """Raise an AccessError unless the environment is superuser or its user
    belongs to ``group`` (an xmlid)."""
    if env.su or env.user.has_group(group):
        return
    raise AccessError(
        env._(
            "Only the marketplace team can do this (required group: %(group)s).",
            group=env.ref(group).sudo().full_name,
        )
    )
