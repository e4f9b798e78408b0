# Two commands on a fresh machine with Python 3.11 and make: `make generate`, `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: generate check diff lint typecheck test clean tools

# The revision `make diff` compares the specs against (a pipeline sets it to its base branch).
BASE ?= main

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

# The pinned TypeScript compiler (.tools/package.json), installed into .tools/node_modules, never globally;
# reinstalled only when the pin changes.
TSC := .tools/node_modules/.bin/tsc
$(TSC): .tools/package.json .tools/package-lock.json
	cd .tools && npm ci --no-audit --no-fund --loglevel=error
	@touch $(TSC)

tools: $(TSC)

generate: $(STAMP)
	$(PY) -m generator generate

# --full: render everything rather than trust the manifest, so a fresh machine proves determinism.
check: $(STAMP)
	$(PY) -m generator generate --check --full

diff: $(STAMP)
	$(PY) -m generator diff --base $(BASE)

lint: $(STAMP)
	$(PY) -m ruff check generator tests bench
	$(PY) -m ruff format --check generator tests bench

typecheck: $(STAMP)
	$(PY) -m mypy

test: $(STAMP) $(TSC) check lint typecheck
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .tools/node_modules
