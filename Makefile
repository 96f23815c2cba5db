# Two commands for a fresh machine: `make serve` and `make test`.
# Each bootstraps what it needs on first use: a local .venv from the hashed lock files
# and node_modules from package-lock.json (the build-time math and diagram renderers).

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
# The same site built with ProperDocs instead of MkDocs (tests/test_engine.py compares them).
PROPERDOCS_VENV := .venv-properdocs
SITE_URL ?= http://127.0.0.1:8000/
export NO_MKDOCS_2_WARNING := 1
# Reproducible output: dates in the sitemap come from the last commit, not the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: serve build test check sync pdf bench lock clean

# --- environments -----------------------------------------------------------------------
$(VENV)/.site: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock $(VENV)/.site
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $@

$(PROPERDOCS_VENV)/.site: requirements-properdocs.lock
	test -x $(PROPERDOCS_VENV)/bin/python || $(PYTHON) -m venv $(PROPERDOCS_VENV)
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-properdocs.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# --- developer commands -----------------------------------------------------------------
serve: $(VENV)/.site node_modules/.installed
	SITE_URL=$(SITE_URL) $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.site node_modules/.installed
	SITE_URL=$(SITE_URL) $(BIN)/mkdocs build --strict

# One PDF book per language into site/pdf/ (needs Chromium and a CJK font).
pdf: build $(VENV)/.dev
	$(BIN)/python tools/pdf_book.py

# Speed and weight, measured (not asserted): writes bench/results.md and bench/results.json.
bench: $(VENV)/.dev node_modules/.installed
	$(BIN)/python tools/bench.py

# The content checks alone, without a build (also usable as a pre-commit check).
check: $(VENV)/.site
	PYTHONPATH=hooks $(BIN)/python -m r1docs .

# Record every section as in step across languages (docs/.sync-record); refuses while the
# checks have findings. Run it after updating both languages of a section, and commit the record.
sync: $(VENV)/.site
	PYTHONPATH=hooks $(BIN)/python -m r1docs --sync .

test: $(VENV)/.dev $(PROPERDOCS_VENV)/.site node_modules/.installed
	$(BIN)/python -m pytest

lock:
	uv pip compile requirements.in --generate-hashes --python-version 3.11.7 --python-platform x86_64-unknown-linux-gnu -o requirements.lock
	uv pip compile requirements-dev.in --generate-hashes --python-version 3.11.7 --python-platform x86_64-unknown-linux-gnu -o requirements-dev.lock
	uv pip compile requirements-properdocs.in --generate-hashes --python-version 3.11.7 --python-platform x86_64-unknown-linux-gnu --no-emit-package mkdocs --no-emit-package mkdocs-get-deps -o requirements-properdocs.lock

clean:
	rm -rf site .pytest_cache
