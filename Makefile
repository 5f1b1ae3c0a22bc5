# One command sets everything up and runs the main job; one runs the tests.
#   make quickstart   make .venv, install ldngraph in it, build the graph, show the verdict on fibromyalgia
#   make test         make .venv, install ldngraph with the test tools (and Debian's Chromium), run every test
# Everything goes into the project's virtual environment .venv (made with `python3 -m venv`), so a stock
# Debian/Ubuntu Python (PEP 668, externally managed) works; only the Debian packages the tests use need root.
# Afterwards: .venv/bin/ldngraph ...  or  source .venv/bin/activate
PYTHON ?= python3
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
# The tests look for `oxigraph` and run `ldngraph`: the venv's bin comes first on their PATH.
IN_VENV := PATH="$(BIN):$$PATH" VIRTUAL_ENV="$(CURDIR)/$(VENV)"
PYTEST_ARGS ?=

export PYTHON VENV

.PHONY: help venv install install-test quickstart test system-deps lint check

help:
	@echo "make quickstart  - make .venv, install ldngraph, build the graph, query it"
	@echo "make test        - make .venv, install test tools and Chromium, run all tests"
	@echo "make check       - ruff and ldngraph lint --check"
	@echo "then: .venv/bin/ldngraph --help   (or: source .venv/bin/activate)"

venv install:
	bash scripts/setup-venv.sh

install-test:
	bash scripts/setup-venv.sh --extras test --apt-if-root

system-deps:
	bash scripts/install-system-deps.sh

quickstart: install
	$(VENV)/bin/ldngraph build
	$(VENV)/bin/ldngraph verdict fibromyalgia
	@echo
	@echo "Next: .venv/bin/ldngraph --help   (or: source .venv/bin/activate, then ldngraph ...)"

# pytest's exit code is make's: 1 failed tests, 5 no tests collected; both fail `make test`.
test: install-test system-deps
	@$(IN_VENV) $(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; exit $$status

check: install-test
	$(IN_VENV) ruff check src tests benchmarks notebooks
	$(IN_VENV) ldngraph lint --check
