PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test test-moved-clock bench lint

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed

## make run: set everything up on the embedded SQLite, load the seed, print tokens, serve on :8000 (the log as
## readable lines for the terminal; production's default is one JSON object per line)
run: install
	$(BIN)/roviec bootstrap
	ROVIEC_LOG_FORMAT=$${ROVIEC_LOG_FORMAT:-text} $(BIN)/roviec serve

## make test: ruff, then the whole pytest suite on SQLite and PostgreSQL (one xdist worker per database)
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 --dist loadgroup

## make test-moved-clock: the tests whose dates follow the clock, run again with the clock moved ahead (Debian's
## faketime moves the tests, the servers they start, the CLI and Chromium; not PostgreSQL, which the app never asks the
## time). Each of CLOCK_OFFSETS is OFFSET:BACKENDS — every offset on one database and each database at one offset keeps
## the CI run within its 25 minutes (both databases at both offsets: CLOCK_OFFSETS="+400d:sqlite,postgresql
## +1500d:sqlite,postgresql"). CLOCK_TESTS=tests runs the whole suite so.
CLOCK_OFFSETS ?= +400d:sqlite +1500d:postgresql
# Within those folders, tests no date reaches (the bytes of evidence files, their limits and their downloads).
CLOCK_SKIPPED ?= --ignore=tests/tasks/test_evidence_files.py
CLOCK_TESTS ?= tests/alerts tests/tasks tests/reports/test_reports.py tests/webhooks/test_webhooks.py \
	tests/imports/test_api.py tests/system/test_edges.py tests/system/test_contract.py tests/auth/test_roles.py \
	tests/directives tests/test_dates.py tests/reports/test_report_days.py tests/imports/test_repeats.py \
	tests/test_calendar_and_accounts.py tests/indicators tests/reports/test_documents.py tests/system/test_openapi.py
test-moved-clock: install
	@command -v faketime >/dev/null || { echo "faketime is missing: apt-get install -y faketime" >&2; exit 1; }
	@for run in $(CLOCK_OFFSETS); do \
		offset=$${run%%:*}; backends=$${run#*:}; [ "$$backends" != "$$run" ] || backends=sqlite,postgresql; \
		echo "== clock moved $$offset ($$backends): $$(faketime -f "$$offset" date -u '+%Y-%m-%d %H:%M UTC')"; \
		ROVIEC_TEST_BACKENDS=$$backends faketime -f "$$offset" $(BIN)/pytest -n 2 --dist loadgroup -q \
			$(CLOCK_TESTS) $(CLOCK_SKIPPED) || exit 1; \
	done

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/api.py
