# sscguard developer entry points. `make demo` and `make test` do all set-up themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SARIF_SCHEMA := .cache/sarif-2.1.0.json
# The official SARIF 2.1.0 schema, taken at install time from an npm package that ships it.
SARIF_PKG := @microsoft/jest-sarif@1.0.0-beta.0
DEMO_DIR ?= demo-out

.PHONY: setup demo test lint format docs bench clean

setup: $(STAMP) $(SARIF_SCHEMA)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

$(SARIF_SCHEMA):
	mkdir -p .cache/npm
	cd .cache/npm && npm pack --silent $(SARIF_PKG) >/dev/null && \
	  tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json
	cp .cache/npm/package/lib/schemas/sarif-2.1.0-rtm.5.json $@

demo: setup
	rm -rf $(DEMO_DIR)
	$(BIN)/python examples/build_demo.py $(DEMO_DIR)
	$(BIN)/sscguard hunt --no-progress --root $(DEMO_DIR)/lab --baseline $(DEMO_DIR)/baseline.db \
	  --sql-catalog $(DEMO_DIR)/lab/collected/sql/mariadb-web1.jsonl; rc=$$?; \
	  if [ $$rc -ne 1 ]; then echo "demo: expected exit 1 (findings), got $$rc"; exit 1; fi
	$(BIN)/sscguard hunt --no-progress -q --root $(DEMO_DIR)/lab --baseline $(DEMO_DIR)/baseline.db \
	  --sql-catalog $(DEMO_DIR)/lab/collected/sql/mariadb-web1.jsonl \
	  --format json -o $(DEMO_DIR)/result.json || test $$? -eq 1
	$(BIN)/sscguard report $(DEMO_DIR)/result.json --format html -o $(DEMO_DIR)/report.html || test $$? -eq 1
	$(BIN)/sscguard report $(DEMO_DIR)/result.json --format sarif -o $(DEMO_DIR)/result.sarif || test $$? -eq 1
	@echo "demo: reports in $(DEMO_DIR)/report.html, result.json and result.sarif"

lint: setup
	$(BIN)/ruff check src tests tools examples bench
	$(BIN)/ruff format --check src tests tools examples bench
	$(BIN)/mypy
	$(BIN)/python tools/gen_rule_docs.py --check

format: setup
	$(BIN)/ruff format src tests tools examples bench
	$(BIN)/ruff check --fix src tests tools examples bench

docs: setup
	$(BIN)/python tools/gen_rule_docs.py

test: setup lint
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python bench/webshell.py

clean:
	rm -rf $(VENV) .cache $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
