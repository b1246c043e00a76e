# The README's two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WAREHOUSE ?= data/tamas.duckdb
SHARED ?= ../shared
DIR ?= $(SHARED)/eval/dev

.PHONY: setup run test eval textstats bench clean

# Re-install only when the project's dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/tamas ingest seeds/articles --warehouse $(WAREHOUSE)

test: setup
	$(BIN)/python -m pytest -q

# Extraction score on the annotated dev set, per outlet and overall (needs ../shared; not
# part of `make test`).
eval: setup
	rm -f data/dev.duckdb data/seeds-eval.duckdb
	$(BIN)/tamas ingest $(SHARED)/eval/dev --warehouse data/dev.duckdb
	$(BIN)/python $(SHARED)/eval/score.py --warehouse data/dev.duckdb --gold $(SHARED)/eval/dev.gold.jsonl --by-source
	$(BIN)/tamas ingest seeds/articles --warehouse data/seeds-eval.duckdb
	$(BIN)/python $(SHARED)/eval/score.py --warehouse data/seeds-eval.duckdb --gold $(SHARED)/eval/seeds.gold.jsonl
	$(BIN)/python scripts/check_evidence.py data/dev.duckdb

# End-to-end benchmark (issue 7): corpus of N generated articles in data/bench/, cold ingest,
# re-run, hazm baseline; PROFILE=1 adds a py-spy profile. See docs/scaling.md.
N ?= 2000
bench: setup
	$(BIN)/python scripts/bench.py --n $(N) $(if $(PROFILE),--profile)

# Glued-token report of the cleaning stage (issue 3).
textstats: setup
	$(BIN)/python scripts/textstats.py $(DIR)

clean:
	rm -rf data .pytest_cache
