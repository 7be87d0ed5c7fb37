# The two commands of the README: `make demo` and `make test`.
# Everything they need is installed into the project itself: a Python venv in
# .venv, JavaScript packages (configurable-http-proxy included) in
# node_modules and ui-tests/node_modules. Nothing is installed globally.

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
export PATH := $(BIN):$(CURDIR)/node_modules/.bin:$(PATH)
# jlpm (JupyterLab's yarn) comes with jupyter-builder in the venv.
JLPM := $(BIN)/jlpm
# The demo deployment's JupyterLab settings (what an admin ships as overrides.json).
OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: all setup build demo test test-js test-py test-e2e check-auth lint clean bench-hub bench-hub-profile bench-launcher bench-course

all: setup

setup: $(VENV)/.installed $(OVERRIDES) build

# The venv starts with what builds the package: jupyter-builder brings jlpm.
$(JLPM):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "jupyter-builder>=1.2.0,<2" "hatchling>=1.5.0" \
		"hatch-nodejs-version>=0.3.2" "hatch-jupyter-builder>=0.5" editables

node_modules/.installed: package.json yarn.lock | $(JLPM)
	$(JLPM) install
	touch $@

ui-tests/node_modules/.installed: ui-tests/package.json ui-tests/yarn.lock | $(JLPM)
	cd ui-tests && $(JLPM) install
	touch $@

# The package in editable mode, with JupyterHub and what the demo combines
# it with. The labextension is linked into the venv, so every server the
# demo hub spawns from this venv loads the current build.
$(VENV)/.installed: pyproject.toml node_modules/.installed
	$(JLPM) build
	$(BIN)/pip install --quiet --no-build-isolation -e ".[dev,test,demo]"
	$(BIN)/jupyter-builder develop --overwrite .
	$(BIN)/jupyter server extension enable --sys-prefix jupyterlab_hub_groups
	touch $@

$(OVERRIDES): demo/overrides.json $(VENV)/.installed
	mkdir -p $(dir $@) && cp demo/overrides.json $@

build: node_modules/.installed
	$(JLPM) build

demo: setup
	$(BIN)/python demo/run.py

test: setup ui-tests/node_modules/.installed
	$(MAKE) lint test-js test-py check-auth test-e2e

test-js:
	$(JLPM) test

# The wheel is built first, so that the tests can check what `pip install .` installs.
# Two workers, each taking whole files (a file's real hub stays in one worker).
test-py:
	rm -rf $(CURDIR)/.build && $(BIN)/pip wheel --quiet --no-deps -w $(CURDIR)/.build .
	HUB_GROUPS_WHEEL=$$(ls $(CURDIR)/.build/jupyterlab_hub_groups-*.whl) $(BIN)/python -m pytest -q -n 2 --dist loadfile

check-auth:
	$(BIN)/python .github/scripts/check_auth.py

# On the development build, whatever was built last (test-py's wheel leaves
# the production one in the tree): startpath.spec.ts reads module names.
test-e2e: node_modules/.installed
	$(JLPM) build
	cd ui-tests && $(JLPM) playwright test

# The end-to-end specs are type-checked too (Playwright runs them untyped).
lint: ui-tests/node_modules/.installed
	$(JLPM) lint:check
	tsc --noEmit -p ui-tests

# Benchmarks are not part of `make test` (see bench/README.md).
# First starts and restarts, 5 interleaved rounds (about 15 min on 2 cores).
bench-hub: setup
	$(BIN)/python bench/hub_start.py

# Where the helper's time goes at 1,000 projects, against the recipe (about 10 min).
bench-hub-profile: setup
	$(BIN)/python bench/hub_profile.py

# Measures the production build, then goes back to the development one
# (about 25 min on 2 cores; BENCH_RUNS etc.: see bench/README.md).
bench-launcher: setup ui-tests/node_modules/.installed
	$(JLPM) build:prod
	cd ui-tests && NODE_PATH=$(CURDIR)/ui-tests/node_modules $(JLPM) playwright test \
		--config ../bench/playwright.config.js; status=$$?; \
		cd .. && $(JLPM) build; exit $$status

# An instructor adds 500 students from the course panel: hub requests and time.
bench-course: setup
	$(BIN)/python bench/course_bulk.py

clean:
	$(JLPM) clean:all || true
	rm -rf $(VENV) node_modules ui-tests/node_modules
