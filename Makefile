# Two commands matter: `make run` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint typecheck services unit demo bench contracts fuzz clean screenshots

$(STAMP): pyproject.toml
	@echo ">> creating $(VENV) and installing the gateway with its dev tools"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --progress-bar off -e '.[dev]'
	@touch $(STAMP)

# The native copy of the person comparisons "name" and "father_name" (native/: Rust, built by
# maturin, which pip fetches from PyPI), with a stamp of its own so that a change under native/
# rebuilds it alone. rustup puts cargo in ~/.cargo/bin, which a CI shell's PATH may lack.
NATIVE_STAMP := $(VENV)/.native-stamp
NATIVE_SOURCES := native/Cargo.toml native/Cargo.lock native/pyproject.toml native/src/lib.rs \
  native/icjs_native.pyi

$(NATIVE_STAMP): $(STAMP) $(NATIVE_SOURCES)
	@PATH="$(HOME)/.cargo/bin:$$PATH" command -v cargo >/dev/null || { \
	  echo "make: cargo not found: install Rust (https://rustup.rs) to build native/"; exit 1; }
	@echo ">> building the native person comparisons (native/)"
	PATH="$(HOME)/.cargo/bin:$$PATH" $(BIN)/python -m pip install --quiet ./native
	@touch $(NATIVE_STAMP)

# The JSON Schema of AsyncAPI 3.0 that tests/api/test_asyncapi.py checks /asyncapi.json against
# (npm package @asyncapi/specs, fetched with npm).
ASYNCAPI_SCHEMA := var/asyncapi/asyncapi-3.0.0.schema.json

$(ASYNCAPI_SCHEMA): scripts/asyncapi_schema.sh
	bash scripts/asyncapi_schema.sh $@

install: $(STAMP) $(NATIVE_STAMP) $(ASYNCAPI_SCHEMA)

run: install
	$(BIN)/icjs serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The packages (pyproject's [tool.mypy], strict), then the tests and benchmarks, strict too. A
# test imports its helpers as pytest puts them on sys.path (the folders of the test and of every
# conftest.py): served from tests/, contract_suite and feed_samples from tests/adapters/,
# production_harness and private_services from tests/production/. mypy knows a file by one name
# only, so each of those two folders (with a conftest.py of its own) is checked apart with itself
# as the base, and the rest of tests/ as the package tests (tests.conftest is imported so), with
# tests/ on the path for served.
typecheck: install
	$(BIN)/mypy
	MYPYPATH=tests $(BIN)/mypy -p tests -p bench \
	  --exclude '^tests/(adapters|production)/|^tests/served\.py$$'
	MYPYPATH=tests/adapters $(BIN)/mypy --explicit-package-bases \
	  --cache-dir .mypy_cache/tests-adapters tests/adapters
	MYPYPATH=tests/production $(BIN)/mypy --explicit-package-bases \
	  --cache-dir .mypy_cache/tests-production tests/production

# PostgreSQL (and Kafka) on loopback for the [postgresql] and production tests; servers named
# by an exported ICJS_DATABASE_URL / ICJS_KAFKA_BOOTSTRAP_SERVERS are used instead.
services: install
	bash scripts/services.sh up >/dev/null

# The suite on TEST_WORKERS processes (pytest-xdist), each test file kept on one process (its
# module fixtures, a served gateway or a browser, are made once); TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= 2

unit: services
	. var/services.env && $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

test: lint typecheck services unit

# The console's pictures in docs/screenshots (linked from the README), taken again by its
# browser tests; a plain test run writes them to var/screenshots instead.
screenshots: services
	. var/services.env && ICJS_TEST_SCREENSHOTS=docs/screenshots \
	  $(BIN)/pytest tests/console/test_console_browser.py

demo: install
	$(BIN)/icjs demo

bench: install
	$(BIN)/python bench/ingest.py

# schemathesis against the served gateway with every pillar's key, on a fixed seed; takes a
# quarter of an hour or so on two cores. The test suite runs a budgeted part (tests/test_fuzz.py).
fuzz: install
	$(BIN)/python scripts/fuzz.py --min-requests 10000

contracts: install
	$(BIN)/python -m contracts.generate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis icjs.db icjs.db-wal icjs.db-shm
