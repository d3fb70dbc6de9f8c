# Paliers — two commands on a fresh Debian or Ubuntu machine with Python 3.11+:
#   make demo   install, prepare a demonstration database, print the logins, serve
#   make test   everything CI runs: linters, SQLite, PostgreSQL and browser tests
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen
# The distribution's Python when it is 3.11 or newer: Debian and Ubuntu build it with PGO and
# LTO, which makes a PDF report 17 % faster than a plain source build such as pyenv's
# default (bench/README.md). A UV_PYTHON given by the caller wins; uv moves .venv over.
SYSTEM_PYTHON := $(shell /usr/bin/python3 -c 'import sys; print(sys.executable if sys.version_info >= (3, 11) else "")' 2>/dev/null)
ifneq ($(SYSTEM_PYTHON),)
export UV_PYTHON ?= $(SYSTEM_PYTHON)
endif
# Debian packages: the browser tests drive Chromium, the PostgreSQL run starts a
# throw-away server, npm installs axe-core. WeasyPrint (PDF reports) loads Pango and
# HarfBuzz's subsetter, with DejaVu as the fallback font; the report tests read PDFs back
# with poppler and open spreadsheets in LibreOffice; the catalogue test runs gettext's xgettext.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
TEST_PACKAGES := chromium postgresql nodejs npm gettext $(PDF_PACKAGES) poppler-utils libreoffice-calc-nogui
DEMO_PACKAGES := $(PDF_PACKAGES)
DEMO_ADDRESS ?= 127.0.0.1:8000
# Links printed by the demo commands, and sent in e-mails by the demo server, name the address
# served (0.0.0.0 listens everywhere; a browser on this machine reaches it as 127.0.0.1).
DEMO_SITE = $(subst 0.0.0.0,127.0.0.1,$(DEMO_ADDRESS))

.PHONY: help demo test install install-test uv lint test-sqlite test-postgres test-browser test-bench demo-data serve messages

help:
	@echo "make demo   installe, prépare la base de démonstration et sert http://$(DEMO_SITE)"
	@echo "make test   linters, tests SQLite, tests PostgreSQL et tests navigateur"

uv:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || scripts/install-uv.sh

# --inexact: the demo leaves the test tools in place if `make test` installed them.
install: uv
	@scripts/debian-packages.sh $(DEMO_PACKAGES)
	$(UV) sync --frozen --no-dev --inexact

install-test: uv
	@scripts/debian-packages.sh $(TEST_PACKAGES)
	$(UV) sync --frozen
	npm ci --no-audit --no-fund --loglevel=error

demo: install demo-data serve

demo-data serve: export SITE_DOMAIN ?= $(DEMO_SITE)
# runserver serves plain http (settings would otherwise say https for a given SITE_DOMAIN).
demo-data serve: export SITE_PROTOCOL ?= http

demo-data:
	$(RUN) --no-sync paliers migrate --no-input -v 0
	$(RUN) --no-sync paliers collectstatic --no-input -v 0
	$(RUN) --no-sync paliers load_frameworks
	$(RUN) --no-sync paliers demo_accounts
	$(RUN) --no-sync paliers demo_places
	$(RUN) --no-sync paliers demo_campaigns
	$(RUN) --no-sync paliers demo_objectives
	$(RUN) --no-sync paliers demo_accompaniment
	$(RUN) --no-sync paliers demo_surveys
	$(RUN) --no-sync paliers demo_roadmap

# The demo serves the site and runs one background worker beside it (the reports' ZIP,
# directory imports…), as a deployment does; both stop together (Ctrl-C). Ctrl-C reaches
# the worker from the terminal and again through uv: stopped twice, it gives its task back
# to the queue (it runs at the next start). The trap stops a worker still running after 15 s.
serve:
	@echo "Paliers : http://$$SITE_DOMAIN/ (avec un processus de travail de fond)"
	@$(RUN) --no-sync paliers db_worker --no-reload & worker=$$!; \
	trap 'for i in {1..30}; do kill -0 $$worker 2>/dev/null || break; sleep 0.5; done; \
	      kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(RUN) --no-sync paliers runserver --insecure $(DEMO_ADDRESS)

test: install-test lint test-sqlite test-postgres test-browser test-bench
	@echo "make test : toutes les étapes sont passées."

lint:
	@echo "=== Lint: ruff, djlint, migrations ==="
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) djlint --check paliers
	$(RUN) djlint --lint paliers
	$(RUN) paliers makemigrations --check --dry-run

# The suites run in parallel processes (pytest-xdist), one per core: each has its own test
# database. The one test that restarts the shared PostgreSQL server runs alone afterwards.
JOBS ?= $(shell nproc)

test-sqlite:
	@echo "=== Tests on SQLite ==="
	$(RUN) pytest -n $(JOBS) -m "not browser and not bench"

test-postgres:
	@echo "=== Tests on PostgreSQL (throw-away server) ==="
	scripts/with-postgres.sh bash -c '$(RUN) pytest -n $(JOBS) -m "not browser and not bench and not alone" \
	  && $(RUN) pytest -m alone'

test-browser:
	@echo "=== Browser tests (Chromium, axe-core) ==="
	$(RUN) pytest -n $(JOBS) -m browser

# The English catalogue: gather the French strings of the sources (new ones come in empty,
# tests/test_interface_language.py fails until they are translated), then compile it. The
# .mo is committed, so that installing needs no gettext tools.
messages:
	$(RUN) paliers makemessages -l en --no-obsolete --no-location -i node_modules -i var -i tests -i bench -i docs -i scripts
	msgfmt --check -o paliers/locale/en/LC_MESSAGES/django.mo paliers/locale/en/LC_MESSAGES/django.po

test-bench:
	@echo "=== Benchmark scripts at a tiny size (smoke runs; figures: bench/README.md) ==="
	$(RUN) pytest -n $(JOBS) -m bench
