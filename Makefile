# ckanext-smartcity — the two commands of the quick start are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?= -ra --timeout=900

.PHONY: venv demo test services-test services-demo stop stop-test stop-demo reset bench help

help:
	@echo "make demo   set up and serve the portal at http://127.0.0.1:5000 (Ctrl-C stops it)"
	@echo "make test   set up the test services and run the test suite"
	@echo "make stop   stop everything the demo and the tests started"
	@echo "make reset  stop, then delete .demo/ and .test/ (databases, index, uploads)"
	@echo "make bench  run the benchmarks in bench/"

$(VENV)/.installed: setup.py pyproject.toml requirements/pinned.txt
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "python3 -m venv failed: install the Debian package python3-venv"; exit 1; fi; }
	$(VENV)/bin/pip install -q --upgrade pip wheel setuptools
	$(VENV)/bin/pip install -q -r requirements/pinned.txt -e '.[test,mysql]'
	@touch $@

venv: $(VENV)/.installed

services-test: venv
	$(PYTHON) scripts/services.py up --profile test

services-demo: venv
	$(PYTHON) scripts/services.py up --profile demo --no-init-db

test: services-test
	@set -a; . .test/services.env; set +a; \
	$(PY) -m pytest --ckan-ini=test.ini $(PYTEST_ARGS)

demo: services-demo
	$(PY) scripts/demo.py

bench: services-test
	@set -a; . .test/services.env; set +a; $(PY) bench/run.py $(BENCH_ARGS)

stop-test:
	$(PYTHON) scripts/services.py down --profile test

stop-demo:
	-$(PY) scripts/demo.py stop
	$(PYTHON) scripts/services.py down --profile demo

stop: stop-demo stop-test

reset: stop
	rm -rf .demo .test
