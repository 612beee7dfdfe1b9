# The two commands every new user runs: `make run` and `make test`. See README.md.
PYTHON ?= python3
PORT ?= 8000
# Links in mail (password reset, review notices, reminders) lead to the server `make run` starts,
# unless DJANGO_SITE_URL names another address.
DJANGO_SITE_URL ?= http://127.0.0.1:$(PORT)
VENV := .venv
# The Nu HTML checker the browser tests validate the pages with.
VNU_VERSION := 26.9.27
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint fixture bench backup restore loadtest clean

run: $(VENV)/.run-installed
	$(MANAGE) migrate --noinput
	$(MANAGE) load_workshop
	$(MANAGE) generate_demo_data --actors 12 --actions 300
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo "APC Tracker: http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/, review queue: http://127.0.0.1:$(PORT)/review/)"
	@echo "  Secretariat account:  $(MANAGE) createsuperuser"
	@echo "                        $(MANAGE) add_totp_device USERNAME   (the second factor the admin and review pages ask for)"
	@echo "  Focal point of an actor (THA = Thailand; codes are listed in the admin under Actors):"
	@echo "                        $(MANAGE) add_focal_point somchai THA --email somchai@example.org"
	@echo "  Mail (password reset, review notices, reminders) is printed here on the console."
	DJANGO_SITE_URL='$(DJANGO_SITE_URL)' $(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(VENV)/.test-installed $(VENV)/vnu
	$(BIN)/python -m pytest

# Save the database and uploaded files to backups/; restore one with make restore FILE=backups/….tar.gz
backup: $(VENV)/.run-installed
	$(MANAGE) backup --output backups

restore: $(VENV)/.run-installed
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/apc-tracker-….tar.gz"; exit 2; }
	$(MANAGE) restore "$(FILE)"

# The production server on PostgreSQL (DATABASE_URL, default: apc_tracker_load on the local
# server) under load from wrk: each page's requests per second, p95 and errors beside the
# /healthz floor, then signed-in mixed traffic. BEFORE=REF measures that git ref beside this
# checkout; LOADTEST_ARGS passes other options (see scripts/loadtest.py --help).
loadtest: $(VENV)/.run-installed
	$(BIN)/python scripts/loadtest.py $(if $(BEFORE),--before $(BEFORE)) $(LOADTEST_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Timings of every public page and export at 10,000 and 1,000,000 demo actions, on the database
# DATABASE_URL names (use PostgreSQL); it replaces that database's demo data. LEVELS=10000,100000 for others.
LEVELS ?= 10000,1000000
bench: $(VENV)/.run-installed
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) load_workshop
	DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=testserver DJANGO_SECRET_KEY=bench-only-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(BIN)/python scripts/bench.py --levels $(LEVELS)

# Rebuild fixtures/bangkok-2006.json from the workshop's source text and the reading in
# recommendations/documents/workshop.py, on a scratch database.
fixture: $(VENV)/.run-installed
	rm -f $(VENV)/fixture.sqlite3
	DATABASE_URL=sqlite:///$(CURDIR)/$(VENV)/fixture.sqlite3 $(MANAGE) migrate --noinput --verbosity 0
	DATABASE_URL=sqlite:///$(CURDIR)/$(VENV)/fixture.sqlite3 $(MANAGE) import_workshop
	DATABASE_URL=sqlite:///$(CURDIR)/$(VENV)/fixture.sqlite3 $(MANAGE) dumpdata \
		recommendations.Meeting recommendations.Theme recommendations.Paragraph \
		recommendations.Actor recommendations.Participation \
		--natural-foreign --natural-primary --indent 2 --output fixtures/bangkok-2006.json
	rm -f $(VENV)/fixture.sqlite3

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "APC Tracker needs Python 3.10 or newer; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.run-installed: requirements.txt $(VENV)/.created
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-dev.txt $(VENV)/.created
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

# The Nu HTML checker's jar: it runs on the system's Java, so npm's script that would download
# one is skipped. Without npm the markup test is skipped (and fails in CI, which installs npm).
$(VENV)/vnu: | $(VENV)/.created
	@command -v npm >/dev/null || { echo "npm not found: the HTML checker's test will be skipped"; exit 0; }; \
	rm -rf $@ $@.partial && \
	npm install --prefix $@.partial --ignore-scripts --no-audit --no-fund vnu-jar@$(VNU_VERSION) && \
	mv $@.partial $@

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
