# The portal's two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
VENDOR := static/vendor

# The test suite runs on PostgreSQL and Redis, never on SQLite.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ccee_portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# Static files go through the production storage (hashed names from a manifest): the suite
# collects them into a temporary folder first (tests/conftest.py).
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=test-only-secret-key-not-for-production-use-0123456789 \
	DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0
RUN_ENV := DJANGO_DEBUG=1
PYTEST := $(VENV)/bin/pytest
# pytest-xdist processes for the tests that can share the machine (each gets its own database).
TEST_WORKERS ?= 2
# The real Celery worker (it purges its Redis queue) and Chromium run alone, in one process.
ALONE := browser or celery_worker_real
# A run narrowed by PYTEST_ARGS may select nothing in one of the steps (pytest's exit 5).
NARROWED_MAY_BE_EMPTY = $(if $(PYTEST_ARGS),|| [ $$? -eq 5 ])

.PHONY: install run test test-fast lint format bench browser clean

install: $(VENV)/.installed $(VENDOR)/.installed .env

# A checkout is a developer's machine: manage.py runs in DEBUG there. Production sets its own
# environment (docker-compose's env_file); .env is never copied into the image.
.env:
	@printf '# Local development settings (see .env.example for every key).\nDJANGO_DEBUG=1\n' > $@

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	@touch $@

# Bootstrap, htmx, Chart.js and axe-core come from the npm registry and are served from static/.
# vendor-assets.txt names the files; the Dockerfile copies the same list with the same script.
$(VENDOR)/.installed: package.json package-lock.json vendor-assets.txt tools/copy-vendor-assets
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR)
	sh tools/copy-vendor-assets node_modules $(VENDOR)
	@touch $@

# Embedded mode: SQLite under var/, mail as files under var/mail, Celery on a file-system broker.
run: install
	@mkdir -p "$$($(RUN_ENV) $(PY) -c 'from ccee_portal import settings; print(settings.VAR_DIR)')"
	@$(RUN_ENV) $(PY) manage.py migrate --noinput
	@$(RUN_ENV) $(PY) manage.py load_demo_data
	@$(RUN_ENV) $(PY) manage.py runportal

# Debian's Chromium drives the browser tests (Playwright uses it; it downloads no browser).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "The browser tests need Debian's Chromium: sudo apt-get install chromium"; exit 1; fi; \
	fi

# The whole suite: the tests that share the machine in parallel, then the browser and the real
# worker alone, then all but those again on a clock a year ahead (a test that mixes a frozen
# clock with the real one fails there today, not on some later date).
test: install browser
	@$(TEST_ENV) $(PY) manage.py check_services
	$(TEST_ENV) $(PYTEST) -n $(TEST_WORKERS) -m "not ($(ALONE))" $(PYTEST_ARGS) $(NARROWED_MAY_BE_EMPTY)
	$(TEST_ENV) $(PYTEST) -m "$(ALONE)" $(PYTEST_ARGS) $(NARROWED_MAY_BE_EMPTY)
	$(TEST_ENV) $(PYTEST) -n $(TEST_WORKERS) --clock-shift-days=365 $(PYTEST_ARGS) $(NARROWED_MAY_BE_EMPTY)

# The inner loop: no browser, no real worker, no shifted clock.
test-fast: install
	@$(TEST_ENV) $(PY) manage.py check_services
	$(TEST_ENV) $(PYTEST) -n $(TEST_WORKERS) -m "not ($(ALONE))" $(PYTEST_ARGS)

# The complexity ceiling: no function above radon's grade C (cyclomatic complexity 20). A
# module's grade is its functions' average, so it passes whenever its functions do; the whole
# project's average stays at A (1-5). Tests, migrations and benchmarks are not counted.
COMPLEXITY_EXCLUDE := .venv/*,node_modules/*,var/*,tests/*,*/migrations/*,bench/*

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/xenon --max-absolute C --max-modules C --max-average A --exclude "$(COMPLEXITY_EXCLUDE)" .
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	@$(TEST_ENV) $(PY) manage.py check_services
	@for b in bench/bench_*.py; do echo "== $$b"; $(TEST_ENV) $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
