from . import controllers
from . import models
from . import report
from . import wizards
from . import tools


def post_init_hook(env):
    """A marketplace that installs the addon already has sales: create the
    sellers' parts of its confirmed orders and flag its past customers as
    buyers, set-based."""
    env["marketplace.order.seller"]._marketplace_backfill()
