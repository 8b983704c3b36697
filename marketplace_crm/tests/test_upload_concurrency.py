import base64
import threading
import time
from functools import partial

from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

from .common import PDF
from .concurrency import Database, error_lines, factories, process_env

RAW_PDF = base64.b64decode(PDF)


@tagged("post_install", "-at_install")
class TestDocumentUploadedTwiceAtOnce(TransactionCase):
    """Two sessions of one seller send the same verification document at the
    same moment (a double click, two tabs), each request on its own real
    connection and run as Odoo runs a request (``retrying``): one document
    is stored, both requests answer with it, nothing is logged as an error.
    Runs on committed data, put back at the end."""

    def setUp(self):
        super().setUp()
        self.db = Database(self.registry)
        self.addCleanup(self.db.close)
        self.db.snapshot("pristine")
        self.addCleanup(self.db.restore, "pristine")
        with process_env(self.registry) as env:
            self.seller_id = (
                factories(env)
                ._create_seller(
                    "Upload Race", complete=False, email="upload.race@example.com"
                )
                .id
            )

    def _upload(self, env):
        """The upload of the portal's document form, run as Odoo runs the
        request: a concurrency error makes it run again."""
        seller = env["res.partner"].browse(self.seller_id)
        return retrying(partial(self._add, seller), env)

    @staticmethod
    def _add(seller):
        return seller._marketplace_add_document(
            seller.env.ref("marketplace_crm.marketplace_document_type_business").id,
            RAW_PDF,
            "kbis.pdf",
            None,
        ).id

    def _documents(self):
        with process_env(self.registry) as env:
            return (
                env["marketplace.seller.document"]
                .search([("partner_id", "=", self.seller_id)])
                .ids
            )

    def _in_thread(self, env, results, start=None):
        def upload():
            try:
                if start:
                    start.wait(timeout=20)
                results.append(self._upload(env))
            except Exception as error:  # noqa: BLE001
                results.append(error)

        thread = threading.Thread(target=upload)
        thread.start()
        return thread

    def test_same_document_at_the_same_moment(self):
        results = []
        start = threading.Barrier(2)
        with (
            error_lines() as errors,
            process_env(self.registry) as env1,
            process_env(self.registry) as env2,
        ):
            threads = []
            for env in (env1, env2):
                env.cr.execute("SELECT 1")  # each request has begun
                threads.append(self._in_thread(env, results, start))
            for thread in threads:
                thread.join(timeout=60)
        self.assertEqual(errors, [])
        documents = self._documents()
        self.assertEqual(len(documents), 1, "One document stored")
        self.assertEqual(results, documents * 2, "Both requests answer with it")

    def test_same_document_while_the_first_holds_it(self):
        results = []
        with (
            error_lines() as errors,
            process_env(self.registry) as env1,
            process_env(self.registry) as env2,
        ):
            env2.cr.execute("SELECT 1")
            first = self._upload_uncommitted(env1)
            second = self._in_thread(env2, results)
            time.sleep(0.5)
            self.assertTrue(second.is_alive(), "The second waits for the first")
            env1.cr.commit()  # pylint: disable=invalid-commit
            second.join(timeout=60)
        self.assertEqual(errors, [])
        self.assertEqual(self._documents(), [first])
        self.assertEqual(results, [first])

    def test_same_document_just_stored_by_the_first(self):
        """The second request began before the first committed: under
        repeatable read it does not see the stored document."""
        with (
            error_lines() as errors,
            process_env(self.registry) as env1,
            process_env(self.registry) as env2,
        ):
            env2.cr.execute("SELECT 1")
            first = self._upload_uncommitted(env1)
            env1.cr.commit()  # pylint: disable=invalid-commit
            second = self._upload(env2)
        self.assertEqual(errors, [])
        self.assertEqual(self._documents(), [first])
        self.assertEqual(second, first)

    def _upload_uncommitted(self, env):
        document_id = self._add(env["res.partner"].browse(self.seller_id))
        env.flush_all()
        return document_id
