# Two commands matter on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install messages catalogues run serve test lint format migrations-check check-deploy bench backup restore anonymise-recipients clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the pinned dependencies change.
$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

# Compiled catalogues are built from the committed .po files, never committed:
# a translator edits a .po file and the next `make run` or `make test` compiles it.
# msgfmt --check refuses a broken entry (a %(name)s missing from a translation).
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po locale/django/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
%.mo: %.po
	msgfmt --check --output-file=$@ $<

messages: $(MO_FILES) ## Compile the translation catalogues (locale/*/LC_MESSAGES/*.po, locale/django/…)

# Every marked string of the code into the project's catalogues (new ones empty, for
# a translator); the tests fail until each is translated.
catalogues: $(INSTALLED) ## Update locale/vi and locale/lo with the code's marked strings
	$(BIN)/python manage.py makemessages --locale=vi --locale=lo --no-obsolete \
		--ignore='tests/*' --ignore='var/*' --ignore='docs/*'

install: $(INSTALLED) $(MO_FILES) ## Create .venv, install the pinned dependencies, compile catalogues

run: $(INSTALLED) $(MO_FILES) ## Migrate, load the demo agreement and serve http://127.0.0.1:8000/
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --examples
	$(BIN)/python manage.py ensure_demo_login
	@echo ""
	@echo "  Open http://$(HOST):$(PORT)/        (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  Demo staff login: user 'demo', password 'demo-cooperation' (development only)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production settings throughout, so a missing SECRET_KEY or ALLOWED_HOSTS (in the
# environment or .env) stops it before anything changes. gunicorn's settings, and the
# variables that change them, are in config/gunicorn.py.
serve: export DJANGO_SETTINGS_MODULE := config.settings.production
serve: $(INSTALLED) $(MO_FILES) ## Production: migrate, collect static files, serve with gunicorn
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput
	exec $(BIN)/gunicorn --config config/gunicorn.py config.wsgi

# pytest-xdist: one worker per core, each with its own test database. --dist loadfile
# keeps a test file on one worker, so its module-scoped fixtures are made once: one
# chromium and live server for the browser tests, one demo load and one render per
# shared PDF in test_pdf.py. (--dist loadgroup would be finer, but pytest-xdist 3.8
# silently ignores xdist_group under pytest 9.2: pytest-dev/pytest-xdist#1386.)
# `make test TEST_WORKERS=0` runs in one process, as a plain `pytest` does.
TEST_WORKERS ?= auto
test: $(INSTALLED) $(MO_FILES) ## Run the whole test suite (SQLite, or DATABASE_URL when set)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(INSTALLED) ## ruff check, ruff format --check and makemigrations --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(INSTALLED) ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The retention rule for recipient lists (README, "Recipients and their privacy"):
# idempotent, so a daily timer may run it; DRY_RUN=1 only counts.
anonymise-recipients: $(INSTALLED) ## Erase recipients' personal details past RECIPIENT_RETENTION_YEARS (DRY_RUN=1: count only)
	$(BIN)/python manage.py anonymise_recipients $(if $(DRY_RUN),--dry-run)

check-deploy: $(INSTALLED) ## Django's deployment checks with production settings
	DJANGO_SETTINGS_MODULE=config.settings.production DEBUG=false \
	SECRET_KEY=check-deploy-only-$$(date +%s)-not-a-real-secret-key-abcdefghijklmnop \
	ALLOWED_HOSTS=example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: $(INSTALLED) ## Benchmark the public pages at volume (in-process and under load)
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } || echo "wrk not installed: load figures will be skipped"
	$(BIN)/python tests/bench.py

# DATABASE_URL and MEDIA_ROOT say what is backed up (the settings' defaults: SQLite in
# var/ and var/media). See reporting/backup.py and the README.
backup: $(INSTALLED) ## Write the database and uploaded files to var/backups/cooperation-<UTC time>.tar
	$(BIN)/python manage.py backup

restore: $(INSTALLED) ## Replace the database and uploaded files with FROM=var/backups/….tar
	@test -n "$(FROM)" || { echo "Usage: make restore FROM=var/backups/cooperation-….tar"; exit 2; }
	$(BIN)/python manage.py restore "$(FROM)"
	$(BIN)/python manage.py migrate --noinput

clean: ## Remove the virtual environment and local data (var/backups is kept)
	rm -rf $(VENV)
	[ ! -d var ] || find var -mindepth 1 -maxdepth 1 ! -name backups -exec rm -rf {} +
