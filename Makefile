# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DATABASE_URL ?= sqlite:///data/gesprekskaarten.db

.PHONY: run test install install-run lint types pytest bench bench-live decks-check clean messages catalogs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Two stamps, so switching between `make run` (runtime dependencies only) and `make test` (plus
# the dev set) installs what is missing; a dev install holds everything a run needs.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

install-run: $(VENV)/.installed-run
install: $(VENV)/.installed-dev

# Per-message deflate off: it costs fan-out latency far more than it saves on small fragments.
run: install-run catalogs
	$(BIN)/gesprekskaarten decks check
	$(BIN)/gesprekskaarten migrate
	$(BIN)/uvicorn app.asgi:app --host $(HOST) --port $(PORT) --ws-per-message-deflate false --ws-max-size 65536 --proxy-headers

lint: install
	$(BIN)/ruff check app tests migrations scripts
	$(BIN)/ruff format --check app tests migrations scripts

types: install
	$(BIN)/mypy app

# The whole suite on SQLite, then everything but the browser tests again on PostgreSQL, each
# on two workers (pytest-xdist), a test module on one of them (its module fixtures, such as
# a browser test's room, carry state from test to test).
# Each run is cut off after 20 minutes: a hang fails CI with the stacks faulthandler printed.
# The schemathesis module runs in one process: its tests share one node id, which xdist
# would run once (tests/conftest.py refuses such tests under xdist).
SUITE_LIMIT := timeout --kill-after=30 1200
WORKERS ?= 2
SCHEMA_TESTS := tests/security/test_schemathesis.py
pytest: install catalogs
	$(SUITE_LIMIT) $(BIN)/pytest -n $(WORKERS) --dist loadfile --ignore=$(SCHEMA_TESTS)
	$(SUITE_LIMIT) $(BIN)/pytest -q $(SCHEMA_TESTS)
	TEST_DATABASE=postgresql $(SUITE_LIMIT) $(BIN)/pytest -n $(WORKERS) --dist loadfile \
		-m "not browser" -q --ignore=$(SCHEMA_TESTS)
	TEST_DATABASE=postgresql $(SUITE_LIMIT) $(BIN)/pytest -q $(SCHEMA_TESTS)

test: lint types pytest

# Languages (docs/i18n.md). `messages`: extract every UI string and merge it into each
# language's .po (translate the new entries, then `make catalogs`). `catalogs`: compile .po
# to .mo; the .mo files are build output, not committed.
TRANSLATIONS := app/translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

messages: install
	$(BIN)/python -m scripts.messages $(TRANSLATIONS)/messages.pot
	$(BIN)/pybabel update --input-file $(TRANSLATIONS)/messages.pot --output-dir $(TRANSLATIONS) \
		--domain messages --ignore-obsolete --no-wrap
	@echo "Now translate each empty or fuzzy entry; pytest tests/test_i18n.py lists the missing ones."

catalogs: $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(VENV)/.installed-run
	$(BIN)/pybabel compile --input-file $< --output-file $@ --statistics

# Not part of `make test`: starts real servers and prints figures (BENCH_ARGS=--quick is shorter).
# The live path against the fair floor: rate50, rate100, n1000, workers2 (about 10-12 min).
# BENCH_ARGS="--quick" for a few minutes; "--scenario rate50 --seconds 30" for one of them.
bench-live: install
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)

bench: bench-live
	$(BIN)/python -m tests.bench.exports
	$(BIN)/python -m tests.bench.grouping
	$(BIN)/python -m tests.bench.pii
	$(BIN)/python -m tests.bench.console

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
