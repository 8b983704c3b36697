#!/usr/bin/env python3
"""Odoo's command line, as ``odoo-bin`` runs it, from an importable ``odoo``.

``python -m odoo`` cannot serve with ``--workers``: the multi-process server
starts its websocket (gevent) process as ``python <sys.argv[0]> gevent``,
which must be a runnable script; under ``-m`` it is the package's
``__main__.py``, whose imports then fail. This file is such a script.
"""

import odoo.cli

if __name__ == "__main__":
    odoo.cli.main()
