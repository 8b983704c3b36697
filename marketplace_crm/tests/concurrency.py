"""Helpers of the tests that run two processes at once on two real
connections of the shared test database."""

import logging
from contextlib import closing, contextmanager

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

from .common import MarketplaceCase


class ErrorLines(logging.Handler):
    """Every ERROR (or worse) line logged, by any thread."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.lines = []

    def emit(self, record):
        self.lines.append(f"{record.name}: {record.getMessage()[:300]}")


@contextmanager
def error_lines():
    handler = ErrorLines()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)


class Database:
    """A copy of every table of the shared test database, kept in temporary
    tables of a connection of its own, to put back what the committed runs
    changed (``restore``)."""

    def __init__(self, registry):
        self.cr = registry.cursor()
        self.cr.execute(
            "SELECT c.oid, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'"
        )
        self.tables = dict(self.cr.fetchall())
        self.markers = {}

    def snapshot(self, name):
        """Copy every table (as ``<name>_<table oid>``)."""
        cr = self.cr
        for oid, table in self.tables.items():
            copy = SQL.identifier(f"{name}_{oid}")
            cr.execute(SQL("DROP TABLE IF EXISTS %s", copy))
            cr.execute(
                SQL(
                    "CREATE TEMP TABLE %s AS SELECT * FROM %s",
                    copy,
                    SQL.identifier(table),
                )
            )
        cr.execute("SELECT txid_current() % 4294967296")
        self.markers[name] = cr.fetchone()[0]
        # The test's own connection, not the test's transaction.
        cr.commit()  # pylint: disable=invalid-commit

    def changed(self, name):
        """The tables with rows written or removed since the snapshot."""
        cr = self.cr
        changed = []
        for oid, table in self.tables.items():
            cr.execute(
                SQL(
                    "SELECT (SELECT count(*) FROM %(table)s) "
                    "<> (SELECT count(*) FROM %(copy)s) "
                    "OR EXISTS (SELECT 1 FROM %(table)s "
                    "WHERE xmin::text::bigint >= %(marker)s)",
                    table=SQL.identifier(table),
                    copy=SQL.identifier(f"{name}_{oid}"),
                    marker=self.markers[name],
                )
            )
            if cr.fetchone()[0]:
                changed.append(oid)
        cr.rollback()
        return changed

    def restore(self, name):
        """Put back every table changed since the snapshot ``name``."""
        cr = self.cr
        changed = self.changed(name)
        cr.execute("SET LOCAL session_replication_role = replica")
        for oid in changed:
            table = SQL.identifier(self.tables[oid])
            cr.execute(SQL("DELETE FROM %s", table))
            cr.execute(
                SQL(
                    "INSERT INTO %s SELECT * FROM %s",
                    table,
                    SQL.identifier(f"{name}_{oid}"),
                )
            )
        # Materialized views (the report snapshots) a job refreshed from the
        # rows just put back are recomputed from them.
        if changed:
            cr.execute(
                "SELECT matviewname FROM pg_matviews "
                "WHERE schemaname = 'public' AND ispopulated"
            )
            for (view,) in cr.fetchall():
                cr.execute(SQL("REFRESH MATERIALIZED VIEW %s", SQL.identifier(view)))
        # The test's own connection, not the test's transaction.
        cr.commit()  # pylint: disable=invalid-commit

    def counts(self, since=None):
        """The number of rows of each table, and of those written by the
        transactions that started after the ``since`` marker (``mark``)."""
        cr = self.cr
        counts = {}
        for table in self.tables.values():
            cr.execute(
                f"SELECT count(*), count(*) FILTER (WHERE xmin::text::bigint >= %s) "
                f'FROM "{table}"',
                [since or 0],
            )
            counts[table] = cr.fetchone() if since else cr.fetchone()[:1]
        cr.rollback()
        return counts

    def mark(self):
        """A marker of the transactions to come."""
        self.cr.execute("SELECT txid_current() % 4294967296")
        marker = self.cr.fetchone()[0]
        self.cr.rollback()
        return marker

    def close(self):
        self.cr.rollback()
        self.cr.close()


@contextmanager
def process_env(registry, uid=SUPERUSER_ID):
    """A process of the test: a real connection of its own, committed when
    the block ends."""
    with closing(registry.cursor()) as cr:
        env = api.Environment(cr, uid, {})
        yield env
        env.flush_all()
        # A process of the test, on a connection of its own.
        cr.commit()  # pylint: disable=invalid-commit


def factories(env):
    """``MarketplaceCase``'s factories on ``env`` (a committed connection)."""
    return type(
        "Factories",
        (),
        {
            "env": env,
            "doc_type_business": env.ref(
                "marketplace_crm.marketplace_document_type_business"
            ),
            "staff": env.ref("base.user_admin"),
            "verifier": env.ref("base.user_admin"),
            **{
                name: classmethod(getattr(MarketplaceCase, name).__func__)
                for name in (
                    "_create_seller",
                    "_create_validated_seller",
                    "_create_product",
                    "_create_order",
                )
            },
        },
    )
