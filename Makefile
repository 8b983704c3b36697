.PHONY: setup run test lint bench pot

setup:  ## install everything the addon, its tests and its tools need
	bash scripts/setup.sh

run:    ## serve Odoo with marketplace_crm and demo data on http://localhost:8069
	bash scripts/run.sh

test:   ## fresh database, addon with demo data, every test
	bash scripts/test.sh

lint:   ## ruff and pylint-odoo through pre-commit
	PATH="$(CURDIR)/.venv-lint/bin:$$PATH" pre-commit run --all-files

bench:  ## performance benchmark (see bench/README.md)
	bash bench/run.sh

pot:    ## regenerate i18n/marketplace_crm.pot from a database with the addon
	bash scripts/export_pot.sh
