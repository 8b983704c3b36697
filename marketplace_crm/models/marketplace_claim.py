"""Claims of the scheduled jobs: which worker does a piece of work.

Every job marks what it is about to do (a flag, a counter, a row under a
unique key) in the same transaction as the work, so that each piece is done
once whatever the number of runs or workers. A claim must lose quietly:

- rows another worker holds right now are skipped (``FOR UPDATE SKIP
  LOCKED``) instead of waited for;
- rows another worker claimed and committed after this transaction started
  raise a serialization failure under Odoo's repeatable-read isolation: the
  claim runs in a savepoint without logging the query, and such a failure
  means "already done".
"""

from psycopg2.errors import LockNotAvailable, SerializationFailure


def claim_ids(env, query):
    """Run ``query`` (an ``SQL`` claiming rows and returning their ids) and
    return the ids this transaction claimed: none when a concurrent worker
    holds or already claimed them. Never logs an error for a lost claim."""
    try:
        with env.cr.savepoint(flush=False):
            env.cr.execute(query, log_exceptions=False)
            return [row[0] for row in env.cr.fetchall()]
    except (SerializationFailure, LockNotAvailable):
        return []
