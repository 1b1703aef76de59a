# Dichtbij — developer commands (DESIGN.md §6).
#
#   make run         set up (once) and serve http://127.0.0.1:8000 (PORT=8001 make run for another port)
#   make serve-prod  collectstatic, then gunicorn with 2 workers per core on $(BIND) (production settings
#                    come from the environment: README "Production server")
#   make test        the whole test suite, browser tests included; extra pytest arguments via PYTEST_ARGS="..."
#                    (SQLite unless DATABASE_URL is set; the Elasticsearch leg when ELASTICSEARCH_URL is set)
#   make lint        ruff, Django's system checks, missing migrations
#   make format      ruff format + ruff --fix
#   make clean       remove .venv, var/ and db.sqlite3

SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON_CANDIDATES := python3.13 python3.12 python3.11 python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
CHROMIUM := /usr/bin/chromium

INSTALLED_STAMP := $(VENV)/.installed
REFERENCE_STAMP := var/.reference-loaded
DEMO_STAMP := var/.demo-seeded
REFERENCE_FILES := $(wildcard marketplace/reference/*)

PYTEST_ARGS ?=
# gunicorn for serve-prod: behind a proxy on this machine by default; workers = 2 x cores.
PORT ?= 8000
BIND ?= 127.0.0.1:$(PORT)
WORKERS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) )))

.PHONY: run serve-prod test lint format clean setup check-chromium

# ---------------------------------------------------------------- environment

# Only runs when .venv is missing: pick the first Python >= 3.11.
$(PY):
	@py=""; \
	for c in $(PYTHON_CANDIDATES); do \
		if command -v $$c >/dev/null 2>&1 && \
		   $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; then \
			py=$$c; break; \
		fi; \
	done; \
	if [ -z "$$py" ]; then \
		echo "error: Dichtbij needs Python 3.11 or newer; none of '$(PYTHON_CANDIDATES)' is one." >&2; \
		echo "       Install one (e.g. apt-get install -y python3.11 python3.11-venv) and run make again." >&2; \
		exit 1; \
	fi; \
	echo "== creating $(VENV) with $$py ($$($$py --version 2>&1))"; \
	$$py -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

# Reinstall only when pyproject.toml changed since the last install.
$(INSTALLED_STAMP): pyproject.toml | $(PY)
	@echo "== installing dependencies into $(VENV)"
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

setup: $(INSTALLED_STAMP)

# ---------------------------------------------------------------- run

# Reference data: reloaded when a file in marketplace/reference/ is newer than the stamp.
$(REFERENCE_STAMP): $(REFERENCE_FILES) | $(INSTALLED_STAMP)
	@mkdir -p $(@D)
	$(MANAGE) load_reference_data
	@touch $@

$(DEMO_STAMP): | $(REFERENCE_STAMP)
	@mkdir -p $(@D)
	$(MANAGE) seed_demo
	@touch $@

# The data stamps describe the default SQLite database: they are forgotten when that file is gone.
run: $(INSTALLED_STAMP)
	@mkdir -p var
	@if [ -z "$$DATABASE_URL" ] && [ ! -f db.sqlite3 ]; then rm -f $(REFERENCE_STAMP) $(DEMO_STAMP); fi
	$(MANAGE) migrate --noinput
	@$(MAKE) --no-print-directory $(REFERENCE_STAMP) $(DEMO_STAMP)
	@echo ""
	@echo "Dichtbij runs at http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "E-mail is not sent in development: every message is printed in this terminal."
	@echo "Demo logins, all with password: dichtbij-demo"
	@echo "  inkoper@dordrecht.example      buyer, Dordrecht"
	@echo "  inkoper2@dordrecht.example     second buyer, Dordrecht (four-eyes opening)"
	@echo "  inkoper@zwijndrecht.example    buyer, Zwijndrecht"
	@echo "  inkoper@papendrecht.example    buyer, Papendrecht"
	@echo "  inkoper@sliedrecht.example     buyer, Sliedrecht"
	@echo "  schilder@firma.example         supplier, a painter in Dordrecht (invited to an open tender)"
	@echo "  bouw@firma.example             supplier, a firm in Rotterdam"
	@echo "  redacteur@dichtbij.example     Wagtail editor"
	@echo "  moderator@dichtbij.example     Wagtail moderator (approves what editors submit)"
	@echo "  beheer@dichtbij.example        superuser"
	@echo ""
	exec $(MANAGE) runserver 127.0.0.1:$(PORT)

# Production: the settings (DEBUG=false, SECRET_KEY, VAULT_KEY, ALLOWED_HOSTS, SITE_URL, DATABASE_URL,
# CACHE_URL, ...) come from the environment; migrations are a deploy step of their own.
serve-prod: $(INSTALLED_STAMP)
	$(MANAGE) collectstatic --noinput --verbosity 0
	exec $(VENV)/bin/gunicorn marketplace.wsgi:application --bind $(BIND) --workers $(WORKERS) \
		--access-logfile -

# ---------------------------------------------------------------- test

# The browser tests use Debian's Chromium where it is installed, else Playwright's own, which
# `playwright install` downloads (an ordinary machine can; a machine without the internet cannot).
# axe-core comes with the Python package axe-playwright-python: no Node.js needed.
check-chromium: $(INSTALLED_STAMP)
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "== $(CHROMIUM) not found: fetching Playwright's own Chromium (playwright install chromium)"; \
		$(PY) -m playwright install chromium || { \
			echo "error: the browser tests need Chromium: $(CHROMIUM) is missing and Playwright could not fetch its own." >&2; \
			echo "       Install it with:  apt-get install -y chromium" >&2; \
			exit 1; \
		}; \
	fi

test: $(INSTALLED_STAMP) check-chromium
	$(PY) -m pytest $(PYTEST_ARGS)

# ---------------------------------------------------------------- quality

lint: $(INSTALLED_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

format: $(INSTALLED_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var db.sqlite3
