# Two commands do everything on a fresh clone; only python3 (3.10+) is needed:
#
#   make demo   run the examples: the AWS guide's procedures played against the mock
#   make test   run pytest, mypy, ruff check and ruff format --check
#
# Both build the virtual environment $(VENV) on first use (python3 -m venv, so without
# system site-packages) and reuse it afterwards. A stamp file per extra records what pip
# installed; pip runs again only when setup.cfg or pyproject.toml change.
# Override with e.g. `make test VENV=/tmp/venv PYTHON=python3.12`.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider

# The demo needs the runtime dependencies plus freezegun and pytest (the `test` extra);
# the checks need the type stubs, mypy and ruff as well (the `dev` extra, a superset).
DEMO_STAMP := $(VENV)/.smmock-test-installed
TEST_STAMP := $(VENV)/.smmock-dev-installed

EXAMPLES := $(sort $(filter-out examples/__init__.py examples/test_%.py,$(wildcard examples/*.py)))

.DEFAULT_GOAL := test
.PHONY: demo test

demo: $(DEMO_STAMP)
	@for script in $(EXAMPLES); do \
		echo "=== python $$script"; \
		$(BIN)/python "$$script" || exit 1; \
		echo; \
	done
	@echo "=== pytest examples/test_example_usage.py"
	$(PYTEST) -v examples/test_example_usage.py

# Every check runs even if an earlier one failed, so one run shows every problem; the
# target still fails if any of them did.
test: $(TEST_STAMP)
	@status=0; \
	echo "=== pytest"; $(PYTEST) -n auto || status=1; \
	echo "=== mypy"; $(BIN)/mypy || status=1; \
	echo "=== ruff check"; $(BIN)/ruff check . || status=1; \
	echo "=== ruff format --check"; $(BIN)/ruff format --check . || status=1; \
	exit $$status

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(DEMO_STAMP): setup.cfg pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	touch $@

# The dev extra includes the test extra, so it satisfies the demo's stamp as well.
$(TEST_STAMP): setup.cfg pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	touch $@ $(DEMO_STAMP)
