"""A real SMTP server on 127.0.0.1 for tests that read the raw e-mails the
marketplace sends (aiosmtpd, in a thread of its own)."""

import socket
from contextlib import contextmanager
from unittest.mock import patch

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "raw": envelope.original_content or envelope.content,
            }
        )
        return "250 Message accepted"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_sink(env):
    """An SMTP server listening on a free local port, an outgoing mail server
    of the database pointing at it, and Odoo's test-mode block on sending
    lifted: yields the list the raw messages received are added to."""
    handler = _Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        env["ir.mail_server"].create(
            {
                "name": "Local capture",
                "smtp_host": "127.0.0.1",
                "smtp_port": controller.port,
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )
        IrMailServer = type(env["ir.mail_server"])
        with patch.object(
            IrMailServer, "_disable_send", classmethod(lambda cls: False)
        ):
            yield handler.messages
    finally:
        controller.stop()
