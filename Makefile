PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test ui install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/budget run

test: $(STAMP)
	$(BIN)/python -m pytest -q

ui: $(STAMP)
	home=$${DAGSTER_HOME:-$(CURDIR)/.dagster_home}; mkdir -p $$home; touch $$home/dagster.yaml; \
	DAGSTER_HOME=$$home VIRTUAL_ENV=$(abspath $(VENV)) $(BIN)/dg dev

clean:
	rm -rf $(VENV) data/warehouse/*.duckdb data/warehouse/reports .dagster_home
