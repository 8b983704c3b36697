"""Bulk seller assignment alone: sellers given to existing products by
import and by write, on the benchmark database (see bench/README.md).

    BENCH_ONLY=import bash bench/run.sh    # 20,000 products by default
"""

import os

from measure import bench_setup, bulk_assignment

import odoo
from odoo import api


def main():
    args, registry, out, lines = bench_setup(__doc__)
    products = int(os.environ.get("BENCH_IMPORT_PRODUCTS", "20000"))
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        out(f"# Bulk seller assignment, {products:,} products by each path")
        out()
        bulk_assignment(env, out, products=products)
    with open(args.output, "w") as report:
        report.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
