# fluorohip: two commands for a new user.
#   make lab    set up .venv and open the course in JupyterLab on the start notebook
#   make test   set up .venv with the test extra and run every test (unit, content, nbval, browser)
# Both work from any state and when run twice; as root, JupyterLab gets --allow-root.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# A stamp per dependency set: the venv is refreshed only when pyproject.toml changes.
RUN_STAMP  := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
ALLOW_ROOT := $(shell [ "$$(id -u)" = "0" ] && echo --allow-root)
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
HUB_STAMP := $(VENV)/.stamp-hub
LINT_STAMP := $(VENV)/.stamp-lint
SITE_STAMP := $(VENV)/.stamp-site
MATHJAX   := site/node_modules/mathjax/es5/tex-chtml.js
CHP       := deploy/hub/node_modules/.bin/configurable-http-proxy
LEARNERS  ?= 20
HUB_ARGS  ?=
# pip shows what it collects and installs (a line per package, progress bars on a terminal): a
# first install takes a minute or two and should never look like a hang. PIP_FLAGS=--quiet hushes it.
PIP_FLAGS ?= --disable-pip-version-check
# The course's small front-end extension (src/fluorohip/labextension: accessible names for
# widget sliders and images, underlined links), linked into the venv where Lab and Voila look.
LABEXT    := $(VENV)/share/jupyter/labextensions/fluorohip-a11y
# axe-core for the accessibility test, from npm into tests/browser/axe (never globally).
AXE_JS    := tests/browser/axe/node_modules/axe-core/axe.min.js
# make lab: the URL the server prints opens the start notebook; Jupyter's info chatter is kept out
# of the way (LAB_LOG=INFO shows it again, README "Troubleshooting").
LAB_LOG   ?= WARN
LAB_FLAGS := --port=$(PORT) --ServerApp.root_dir=notebooks \
             --LabApp.default_url=/lab/tree/00_start_here.ipynb \
             --ServerApp.log_level=$(LAB_LOG) --LabApp.log_level=$(LAB_LOG)
NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
               --nbval-cell-timeout=300 -p no:cacheprovider

.PHONY: lint axe lab test unit nbval browser validate notebooks bench site hub hub-loadtest hub-proxy clean help python-matrix site-assets

help:
	@echo "make lab     - set up and open the course in JupyterLab"
	@echo "make test    - set up and run every test"
	@echo "make lint    - format check, lint, spelling and type check (first step of CI)"
	@echo "make bench   - speed and memory benchmarks"
	@echo "make hub     - a workshop JupyterHub for a class (make hub-loadtest: 20 simulated learners)"
	@echo "make notebooks - (authors) re-execute notebooks and regenerate references"
	@echo "make site    - the course website, built offline, in build/site"
	@echo "make python-matrix - unit and content tests on Python 3.10 and 3.13"
	@echo "make clean   - remove .venv and build leftovers"

$(VENV)/bin/python:
	@echo "==> [1/4] creating the course's own Python environment in $(VENV)/"
	$(PYTHON) -m venv $(VENV)
	@echo "==> [2/4] updating pip"
	$(BIN)/python -m pip install $(PIP_FLAGS) --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	@echo "==> [3/4] installing the course, JupyterLab, ipywidgets and matplotlib (a minute or two the first time)"
	$(BIN)/python -m pip install $(PIP_FLAGS) -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	@echo "==> [3/4] installing the course with its test tools (a minute or two the first time)"
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[test,hub]'
	@touch $(RUN_STAMP) $(HUB_STAMP) $@

$(LINT_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install $(PIP_FLAGS) --quiet -e '.[lint]'
	@touch $@

# make lint: the first CI step (also what .pre-commit-config.yaml runs). Formatting, lint rules
# and spelling from pyproject.toml's [tool.ruff] and [tool.codespell]; types from [tool.mypy].
lint: $(LINT_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/codespell src tests notebooks benchmarks
	$(BIN)/mypy

$(SITE_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[site]'
	@touch $@

# MathJax for the website comes from npm into the project (site/node_modules), copied into the site.
$(MATHJAX): site/package.json site/package-lock.json
	npm ci --prefix site --no-audit --no-fund
	@touch $@

# make test: fetch MathJax if npm exists; otherwise the site test builds without it and says why.
site-assets:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(MATHJAX); \
	 else echo "npm not found: the site is built without MathJax (maths shown as TeX)"; fi

$(HUB_STAMP): pyproject.toml | $(VENV)/bin/python
	@echo "==> [3/4] installing the course with the workshop hub"
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[hub]'
	@touch $(RUN_STAMP) $@

# An editable install does not place data files, so copy the extension in (pyproject's
# data-files cover wheel installs). A copy, not a link: the servers refuse to serve a file whose
# real path lies outside their labextensions folder. Re-copied whenever its files change.
LABEXT_SRC := $(wildcard src/fluorohip/labextension/*.json src/fluorohip/labextension/static/*)
$(LABEXT): $(LABEXT_SRC) | $(VENV)/bin/python
	@rm -rf $@ && mkdir -p $(dir $@)
	@cp -R src/fluorohip/labextension $@
	@touch $@

$(AXE_JS): tests/browser/axe/package.json tests/browser/axe/package-lock.json
	npm ci --prefix tests/browser/axe --no-audit --no-fund
	@touch $@

# make test: axe-core from npm if npm exists; without it the accessibility scan skips (or, with
# FLUOROHIP_REQUIRE_BROWSER=1 as .ci/run sets, fails) and says why.
axe:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(AXE_JS); \
	 else echo "npm not found: the accessibility scan in tests/browser will skip"; fi

# The hub's proxy comes from npm into the project (deploy/hub/node_modules), never globally.
$(CHP): deploy/hub/package.json deploy/hub/package-lock.json
	npm ci --prefix deploy/hub --no-audit --no-fund
	@touch $@

# make test: install the proxy if npm exists; otherwise the hub test skips and says why.
hub-proxy:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(CHP); \
	 else echo "npm not found: tests/hub will skip the 3-learner hub test"; fi

# Turn off JupyterLab's news toast: it covers the course on first start and in screenshots.
$(LAB_SETTINGS): | $(VENV)/bin/python
	@mkdir -p $(dir $@)
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' > $@

lab: $(RUN_STAMP) $(LAB_SETTINGS) $(LABEXT)
	@echo "==> [4/4] starting JupyterLab: open the http://127.0.0.1:$(PORT)/lab/tree/00_start_here.ipynb?token=... line below (Ctrl+C twice stops it)"
	$(BIN)/jupyter lab $(ALLOW_ROOT) $(LAB_FLAGS)

validate: $(RUN_STAMP)
	$(BIN)/fluorohip validate

# Every test. Each step runs with a throw-away progress store so a learner's own answers
# never change a test result, and a learner's store is never touched by tests.
test: $(TEST_STAMP) $(SITE_STAMP) $(LAB_SETTINGS) $(LABEXT) hub-proxy axe site-assets
	$(BIN)/python -c "import matplotlib.pyplot"
	$(BIN)/fluorohip validate
	$(MAKE) --no-print-directory unit nbval

unit: $(TEST_STAMP)
	FLUOROHIP_HOME=$$(mktemp -d) $(BIN)/python -m pytest tests -q

nbval: $(TEST_STAMP)
	FLUOROHIP_HOME=$$(mktemp -d) $(BIN)/python -m pytest $(NBVAL_FLAGS) notebooks -q

browser: $(TEST_STAMP) $(LAB_SETTINGS) $(LABEXT) axe
	FLUOROHIP_HOME=$$(mktemp -d) $(BIN)/python -m pytest tests/browser -q

notebooks: $(TEST_STAMP)
	$(BIN)/fluorohip notebooks

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run_all.py

# The course website (Sphinx + MyST-NB, offline): build/site/index.html. The one-folder static copy
# without a theme is still `python -m fluorohip.instructor.site --out DIR`.
site: $(SITE_STAMP) $(MATHJAX)
	$(BIN)/python -m fluorohip.instructor.book --out build/site

# A workshop JupyterHub on this machine (deploy/hub/README.md); asks for the workshop password.
hub: $(HUB_STAMP) $(CHP) $(LAB_SETTINGS) $(LABEXT)
	$(BIN)/python deploy/hub/launch.py $(HUB_ARGS)

hub-loadtest: $(HUB_STAMP) $(CHP) $(LAB_SETTINGS)
	$(BIN)/python -m tools.hub_loadtest -n $(LEARNERS) --kill-one --restart-hub --out benchmarks/hub.json \
	  --note "$(shell nproc) cores; machine may be shared with other jobs"

# Unit and content tests on the oldest and newest supported Pythons (.ci/run runs it after `make test`).
python-matrix:
	bash .ci/python-matrix

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
