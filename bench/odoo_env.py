"""Open an Odoo environment on a database from a plain Python script.

The benchmark scripts take Odoo's own command-line options (``-d``,
``--addons-path``, ``--db_host``...), as ``odoo shell`` does, then work
through ``Registry`` and ``api.Environment``.
"""

import logging
from contextlib import contextmanager

from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import config

SUPERUSER_ID = api.SUPERUSER_ID


def load_registry(odoo_args):
    """Parse Odoo's options and return the registry of the ``-d`` database."""
    config.parse_config(odoo_args, setup_logging=True)
    logging.getLogger("odoo").setLevel(logging.WARNING)
    dbname = config["db_name"]
    if isinstance(dbname, list):
        dbname = dbname[0]
    if not dbname:
        raise SystemExit("give the database with -d")
    return Registry(dbname)


@contextmanager
def environment(registry, context=None):
    """An environment (superuser) on a new cursor, committed on success."""
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, context or {})
