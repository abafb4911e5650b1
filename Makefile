# Quick start: `make run` opens the tutor, `make test` runs the whole suite.
# Both set everything up first (venv, dependencies, default model, translations, content) and are
# fast on a second run: each step leaves a stamp and is redone only when its inputs change.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamps
MODEL := models/SmolLM2-135M-Instruct.Q4_1.gguf
# The shipped languages are listed once, in tutor/core/i18n.py (SUPPORTED); `make messages` creates
# a catalog for a newly listed language and updates the others.
LANGUAGES := $(shell sed -n 's/^SUPPORTED = (\(.*\))/\1/p' tutor/core/i18n.py | tr -d '",')
MO_FILES := $(foreach lang,$(LANGUAGES),tutor/_locale/$(lang)/LC_MESSAGES/tutor.mo)
# llama-cpp-python compiles from source (about 11 minutes on 2 cores, once: pip caches the wheel).
export CMAKE_BUILD_PARALLEL_LEVEL ?= $(shell nproc 2>/dev/null || echo 2)

CASES := $(wildcard content/cases/*.yaml content/cases/*.yml content/cases/*.json)
PACK := content/build/tutor-cases.zip

.PHONY: run test setup browser lint typecheck pytest clean screenshot messages untranslated content bundle

run: setup
	$(BIN)/tutor

test: setup browser lint typecheck pytest

setup: $(STAMP)/install $(MODEL) $(MO_FILES) content

# The bundled case pack, signed with a local key made on first use (both git-ignored). The app
# installs it on start when its version (the build time) is newer than the installed one.
ifeq ($(CASES),)
content:
	@echo "content/cases/ is empty: no case pack to build"
else
content: $(PACK)
endif

.make/publisher.key: | $(STAMP)/install
	$(BIN)/tutor content keygen $@

tutor/keys/local-build.pub: .make/publisher.key
	cp .make/publisher.key.pub $@

$(PACK): $(CASES) content/cases tutor/keys/local-build.pub
	$(BIN)/tutor content build content/cases $@ --key .make/publisher.key --id tutor-cases \
		--version $$(date -u +%Y%m%d%H%M%S) --title "Offline clinical tutor cases" \
		--publisher "Offline clinical tutor (local build)"

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
	$(BIN)/pybabel -q compile -D tutor -i $< -o $@

# Extract every _() / ngettext() string from tutor/ into locales/tutor.pot, then merge it into each
# language's catalog (new strings arrive untranslated; `make untranslated` lists them).
# Locations name the file only: line numbers would change with every edit and conflict in merges.
messages: $(STAMP)/install
	$(BIN)/pybabel -q extract -F babel.cfg --no-default-keywords -k _ -k ngettext:1,2 \
		--sort-by-file --add-location=file --no-wrap --project tutor \
		--copyright-holder "tutor contributors" --msgid-bugs-address "" -o locales/tutor.pot tutor
	@for lang in $(LANGUAGES); do \
		po=locales/$$lang/LC_MESSAGES/tutor.po; \
		if [ -f $$po ]; then \
			$(BIN)/pybabel -q update --no-wrap --ignore-obsolete -D tutor -l $$lang \
				-i locales/tutor.pot -o $$po || exit 1; \
		else \
			$(BIN)/pybabel -q init --no-wrap -D tutor -l $$lang -i locales/tutor.pot -o $$po || exit 1; \
		fi; \
	done

untranslated: $(STAMP)/install
	$(BIN)/python locales/untranslated.py

# The dashboard test drives the system Chromium (Debian packages; nothing downloads a browser).
# Installed when we are root (CI, the dev machine); otherwise that one test skips with a reason.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; } \
				|| echo "could not install chromium: the dashboard browser test will skip"; \
		else echo "chromium/chromium-driver missing and not root: the dashboard browser test will skip"; fi; \
	fi

lint: $(STAMP)/install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)/install
	$(BIN)/mypy

pytest: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

screenshot: setup
	TUTOR_HOME=$$(mktemp -d) xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python docs/make_screenshots.py docs/screenshots $(or $(LANGS),$(LANGUAGES))

bundle: setup
	$(BIN)/python packaging/build_bundle.py bundle

clean:
	rm -rf $(VENV) tutor/_locale tutor/_data build dist bundle *.egg-info
