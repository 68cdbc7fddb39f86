# Two commands on a fresh clone: `make demo` and `make test`. Both create .venv and install
# what they need; nothing but Python 3.11+ and make is assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OLDEST := .venv-oldest
OLDEST_STAMP := $(OLDEST)/.installed
DEMO_AS_OF := 2025-06-30

.PHONY: demo test test-oldest lint typecheck pytest bench hostile fuzz mutation clean

# The newest versions pyproject.toml allows (--upgrade: an older one already installed in .venv
# is not kept), so that `make test` proves the upper bounds.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[dev]'
	touch $(STAMP)

# The oldest versions pyproject.toml allows: each runtime dependency pinned to its floor (the
# constraints tests/support/oldest.py writes), the development tools at their newest.
$(OLDEST_STAMP): pyproject.toml tests/support/oldest.py
	rm -rf $(OLDEST)
	$(PYTHON) -m venv $(OLDEST)
	$(PYTHON) -m tests.support.oldest > $(OLDEST)/constraints.txt
	$(OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST)/bin/python -m pip install --quiet -c $(OLDEST)/constraints.txt -e '.[dev]'
	touch $(OLDEST_STAMP)

demo: $(STAMP)
	$(BIN)/twincli --data examples/programme --as-of $(DEMO_AS_OF) validate
	$(BIN)/twincli --data examples/programme --as-of $(DEMO_AS_OF) status

test: lint typecheck pytest

# The tests again, with the oldest dependency versions pyproject.toml allows (.ci/run runs both).
test-oldest: $(OLDEST_STAMP)
	$(OLDEST)/bin/pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

pytest: $(STAMP)
	$(BIN)/pytest -n auto

# Every command on generated programmes of 100, 1,000 and 10,000 cities, against the YAML
# floor, with start-up and peak memory; a few minutes (BENCH_ARGS=--quick: under a minute).
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Each hostile template of tests/hostile.py under `render --check` on a copy of the example, in a
# process of its own: its peak memory and time, failing over 300 MB or over the render budget
# (HOSTILE_SECONDS, given as $TWINCLI_RENDER_SECONDS) plus start-up; a few minutes.
HOSTILE_SECONDS ?= 20
hostile: $(STAMP)
	$(BIN)/python -m benchmarks.hostile --seconds $(HOSTILE_SECONDS) --max-mb 300

# Open-ended exploration, which `make test` leaves out so that it is deterministic: the property
# tests with fresh random examples (profile "explore", tests/conftest.py), then the reader and
# the loader under hypothesis for FUZZ_SECONDS (default 120): see tests/fuzz.py. A failure found
# here becomes an explicit @example or a FUZZ_FINDINGS entry.
FUZZ_SECONDS ?= 120
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(BIN)/pytest -n auto tests/test_properties.py tests/test_record_properties.py tests/test_editing.py
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/python -m tests.fuzz

# Mutation testing of the reader, the rules and the progress figures ([tool.mutmut] in
# pyproject.toml); 10-20 minutes. mutmut is installed on first use, not with the project.
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet 'mutmut>=3.3'
	$(BIN)/mutmut run
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) $(OLDEST) .mypy_cache .pytest_cache .ruff_cache benchmarks/.data mutants .fuzz
