# Quick start: `make run` opens the tutor, `make test` runs the whole suite.
# Both set everything up first (venv, dependencies, default model, translations, content) and are
# fast on a second run: each step leaves a stamp and is redone only when its inputs change.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamps
MODEL := models/SmolLM2-135M-Instruct.Q4_1.gguf
PO_FILES := $(wildcard locales/*/LC_MESSAGES/tutor.po)
MO_FILES := $(patsubst locales/%/LC_MESSAGES/tutor.po,tutor/_locale/%/LC_MESSAGES/tutor.mo,$(PO_FILES))
# llama-cpp-python compiles from source (about 11 minutes on 2 cores, once: pip caches the wheel).
export CMAKE_BUILD_PARALLEL_LEVEL ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run test setup lint typecheck pytest clean screenshot bundle

run: setup
	$(BIN)/tutor

test: setup lint typecheck pytest

setup: $(STAMP)/install $(MODEL) $(MO_FILES)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP)/install: pyproject.toml | $(BIN)/python
	@echo "Installing the tutor and its dependencies (first time: llama-cpp-python compiles, ~11 min on 2 cores)…"
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@mkdir -p $(STAMP) && touch $@

$(MODEL): models/catalog.toml packaging/fetch_model.py | $(BIN)/python
	$(BIN)/python packaging/fetch_model.py models

tutor/_locale/%/LC_MESSAGES/tutor.mo: locales/%/LC_MESSAGES/tutor.po $(STAMP)/install
	@mkdir -p $(dir $@)
	$(BIN)/pybabel compile -q -D tutor -i $< -o $@

lint: $(STAMP)/install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)/install
	$(BIN)/mypy

pytest: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

screenshot: setup
	TUTOR_HOME=$$(mktemp -d) xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python docs/make_screenshots.py docs/screenshots

bundle: setup
	$(BIN)/python packaging/build_bundle.py bundle

clean:
	rm -rf $(VENV) tutor/_locale tutor/_data build dist bundle *.egg-info
