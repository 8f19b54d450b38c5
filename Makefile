PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test bench lint

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed

## make run: set everything up on the embedded SQLite, load the seed, print tokens, serve on :8000
run: install
	$(BIN)/roviec bootstrap
	$(BIN)/roviec serve

## make test: ruff, then the whole pytest suite on SQLite and PostgreSQL (one xdist worker per database)
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 --dist loadgroup

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/api.py
