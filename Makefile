# The README's two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WAREHOUSE ?= data/tamas.duckdb
SHARED ?= ../shared
DIR ?= $(SHARED)/eval/dev

LOCK := requirements.lock
PIP := $(BIN)/python -m pip --disable-pip-version-check
# pip-compile runs from its own venv: relocking needs it, the project does not.
LOCK_TOOLS := data/lock-tools
PIP_TOOLS := pip-tools==7.7.0

.PHONY: setup compiled prepared run test system-deps lock eval textstats bench clean

# The venv is requirements.lock (every package pinned and hash-checked) plus this project,
# editable; redone only when pyproject.toml or the lock changes. The locked setuptools and
# wheel go in first and build the lock's sdists (langdetect) and the project, so no unpinned
# build tool is fetched. --no-deps: the lock is the whole set (pip 23.2's resolver refuses
# prefect's `sqlalchemy[asyncio]` beside a hash-checked `sqlalchemy` pin); the lock check and
# `pip check` then fail on a pyproject.toml edited without `make lock` or a missing package.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	awk '/^[a-z0-9]/{p = /^(setuptools|wheel)==/} p' $(LOCK) > $(VENV)/build-tools.txt
	$(PIP) install --quiet --require-hashes --no-deps -r $(VENV)/build-tools.txt
	$(PIP) install --quiet --require-hashes --no-deps --no-build-isolation -r $(LOCK)
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python scripts/check_lock.py --installed
	$(PIP) check
	touch $(STAMP)

setup: $(STAMP)

# The transforms modules compiled by Cython for the pool workers, into data/compiled
# (core/compiled.py): only modules changed since their last build are compiled; a module
# that cannot be compiled runs as Python, slower, with the same results.
compiled: setup
	$(BIN)/python scripts/compile_transforms.py

# A checkout's data folder made ready for its first run (flows/prepare.py): Prefect's
# database migrated and the transforms' tables built, so that the first run's server and
# workers are the lean ones of every later run; again when the venv or that code changes.
PREPARED := data/.prepared
$(PREPARED): $(STAMP) $(shell find core transforms -name '*.py')
	$(BIN)/python -m flows.prepare
	touch $(PREPARED)

prepared: $(PREPARED)

# Most of a small run would be the start of Prefect's server (its imports): the server
# `make run` starts stays up for the next runs until none has used it for KEEP_SERVER
# seconds (0: a server of its own for each run, ended with it, as `tamas ingest` does).
KEEP_SERVER ?= $(or $(TAMAS_PREFECT_SERVER_KEEP),300)

run: setup compiled prepared
	TAMAS_PREFECT_SERVER_KEEP=$(KEEP_SERVER) $(BIN)/tamas ingest seeds/articles --warehouse $(WAREHOUSE)

# The whole suite, nothing skipped: first the Debian packages the tests drive (chromium,
# fonts, PostgreSQL), installed when missing if we may, else a stop with the command.
test: system-deps setup compiled
	$(BIN)/python -m pytest -q

# Extraction score on the annotated dev set, per outlet and overall (needs ../shared; not
# part of `make test`).
eval: setup compiled prepared
	rm -f data/dev.duckdb data/seeds-eval.duckdb
	$(BIN)/tamas ingest $(SHARED)/eval/dev --warehouse data/dev.duckdb
	$(BIN)/python $(SHARED)/eval/score.py --warehouse data/dev.duckdb --gold $(SHARED)/eval/dev.gold.jsonl --by-source
	$(BIN)/tamas ingest seeds/articles --warehouse data/seeds-eval.duckdb
	$(BIN)/python $(SHARED)/eval/score.py --warehouse data/seeds-eval.duckdb --gold $(SHARED)/eval/seeds.gold.jsonl
	$(BIN)/python scripts/check_evidence.py data/dev.duckdb
	$(BIN)/python scripts/check_prepass.py

# End-to-end benchmark (issues 7, 17): for each MIX, a corpus of N articles in data/bench/
# (stream: ~95 % ordinary news recombined from $(SHARED)/corpus, 5 % call reports; calls:
# call reports only), cold ingest, no-change re-runs, hazm baseline; then the two-file
# and `make run` timings. PROFILE=1 adds a py-spy profile. See docs/scaling.md.
N ?= 2000
MIX ?= stream,calls
bench: setup compiled prepared
	$(BIN)/python scripts/bench.py --n $(N) --mix "$(MIX)" $(if $(PROFILE),--profile)

# Glued-token report of the cleaning stage (issue 3).
textstats: setup
	$(BIN)/python scripts/textstats.py $(DIR)

clean:
	rm -rf data .pytest_cache

# What `make test` installs from Debian when missing (scripts/system_deps.sh says what and why).
system-deps:
	@bash scripts/system_deps.sh

# Re-resolve requirements.lock from pyproject.toml against PyPI alone (this machine's pip
# configuration ignored); existing pins are kept unless UPGRADE=1. Needs the network.
lock:
	test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/pip install --quiet '$(PIP_TOOLS)'; }
	env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null \
	  $(LOCK_TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --extra dev --build-deps-for editable --no-emit-index-url --no-emit-find-links \
	  $(if $(UPGRADE),--upgrade) --output-file $(LOCK) pyproject.toml
