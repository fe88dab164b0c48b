# Developer entry points. The logic lives in devtools/devstack.py.
PORT ?= 8000
ARGS ?=
PYTHON ?= python3
VENV := .venv
UV_VERSION := 0.13.9
PY := $(VENV)/bin/python
DEVSTACK := $(PY) -m devtools.devstack
WITH_ENV := . ./.run/env &&
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
apt_install = $(SUDO) apt-get install -y $(1) || { $(SUDO) apt-get update && $(SUDO) apt-get install -y $(1); }

.DEFAULT_GOAL := help
.PHONY: help install services run test mutate bench scan load lint clean

help: ## List the targets
	@echo "make <target> [PORT=8000] [ARGS='pytest or bench arguments']"
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-9s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## Create .venv with exactly the packages of uv.lock

$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ needed: make PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); { $(call apt_install,python3-venv); } && $(PYTHON) -m venv $(VENV); }
	$(VENV)/bin/pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv sync --frozen --all-extras
	touch $@

services: install ## Ensure PostgreSQL and Redis (writes .run/env)
	@$(DEVSTACK) env --port $(PORT) >/dev/null

run: services ## Migrate, seed demo data, run web + Celery worker + beat (PORT=8000)
	@$(WITH_ENV) exec $(DEVSTACK) run --port $(PORT)

test: lint services ## Lint, check migrations, then pytest (ARGS="-k jobs")
	$(WITH_ENV) $(PY) manage.py makemigrations --check --dry-run
	@$(DEVSTACK) chromium >/dev/null
	$(WITH_ENV) . ./.run/chromium.env && $(PY) -m pytest $(ARGS)

mutate: services ## Mutation testing of the rule-bearing functions, score per area (ARGS="--area Scopes")
	$(WITH_ENV) $(PY) -m tests.mutate $(ARGS)

bench: services ## Run the benchmarks (manage.py bench)
	$(WITH_ENV) $(PY) manage.py bench $(ARGS)

scan: services ## wapiti3 scans: anonymous, agency, recruiter (~15 min; .run/scan/report.md)
	$(WITH_ENV) $(PY) -m tests.security.scan $(ARGS)

load: services ## Load test with Locust, 120 users for 5 min (ARGS="--minutes 1 --users 12")
	$(WITH_ENV) $(PY) -m tests.load.run $(ARGS)

lint: install ## ruff check + ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# A plain script run, so no venv is needed.
clean: ## Stop the private PostgreSQL and Redis, remove .run/
	@[ ! -d .run ] || $(PYTHON) devtools/devstack.py stop
	rm -rf .run
