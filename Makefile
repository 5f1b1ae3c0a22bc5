# One command sets everything up and runs the main job; one runs the tests.
#   make quickstart   install, build the graph, show the evidence for fibromyalgia
#   make test         install (with test tools and Chromium), run the whole test suite
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip

.PHONY: help install quickstart test system-deps lint check

help:
	@echo "make quickstart  - install ldngraph, build the graph, query it"
	@echo "make test        - install test tools and Chromium, run all tests"
	@echo "make check       - ruff and ldngraph lint --check"

install:
	$(PIP) install --quiet --disable-pip-version-check -e '.[test]'

system-deps:
	bash scripts/install-system-deps.sh

quickstart: install
	ldngraph build
	ldngraph evidence fibromyalgia

test: install system-deps
	$(PYTHON) -m pytest

check: install
	ruff check src tests benchmarks
	ldngraph lint --check
