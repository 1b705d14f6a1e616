# Two commands do everything on a fresh clone; only python3 (3.10+) is needed:
#
#   make demo   run the examples: the AWS guide's procedures played against the mock
#   make test   run pytest, mypy, ruff check and ruff format --check
#
# Both build the virtual environment $(VENV) on first use (python3 -m venv, so without
# system site-packages) and reuse it afterwards. A stamp file per extra records what pip
# installed; pip runs again only when setup.cfg or pyproject.toml change.
# aiobotocore pins its own botocore, so its tests run in a second environment,
# $(AIO_VENV), built the same way.
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
AIO_VENV ?= $(VENV)-aio
AIO_STAMP := $(AIO_VENV)/.smmock-aio-installed

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
test: $(TEST_STAMP) $(AIO_STAMP)
	@status=0; \
	echo "=== pytest"; $(PYTEST) -n auto || status=1; \
	echo "=== pytest tests/aio (aiobotocore and the botocore it pins)"; \
	$(AIO_VENV)/bin/python -m pytest -p no:cacheprovider tests/aio || status=1; \
	echo "=== mypy"; $(BIN)/mypy || status=1; \
	echo "=== ruff check"; $(BIN)/ruff check . || status=1; \
	echo "=== ruff format --check"; $(BIN)/ruff format --check . || status=1; \
	exit $$status

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(AIO_VENV)/bin/python:
	$(PYTHON) -m venv $(AIO_VENV)

# aiobotocore first, then smmock with the boto3 released with the botocore aiobotocore
# chose (boto3 and botocore share version numbers): pip would otherwise backtrack
# through every boto3 and aiobotocore release, for minutes.
$(AIO_STAMP): setup.cfg pyproject.toml | $(AIO_VENV)/bin/python
	$(AIO_VENV)/bin/python -m pip --disable-pip-version-check --quiet install aiobotocore
	version=$$($(AIO_VENV)/bin/python -c 'import botocore; print(botocore.__version__)'); \
	$(AIO_VENV)/bin/python -m pip --disable-pip-version-check --quiet install \
		-e '.[aiotest]' "boto3==$$version" "botocore==$$version"
	touch $@

$(DEMO_STAMP): setup.cfg pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	touch $@

# The dev extra includes the test extra, so it satisfies the demo's stamp as well.
$(TEST_STAMP): setup.cfg pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	touch $@ $(DEMO_STAMP)
