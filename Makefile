# Set-up and everyday tasks for the course.
#
#   make            create .venv with what the notebooks and JupyterLab need, pinned (same as `make install`)
#   make lab        open JupyterLab on notebooks/00_start_here.ipynb
#   make present    the same, for a projector: Simple Interface, file browser closed, larger text
#   make test       add the test tools (requirements-test-lock.txt), run tests/ and check the notebooks with nbval
#                   (each run once: its committed outputs, its student version and its solutions)
#   make lint       check the code's style (ruff; also part of make test)
#   make bench      run the benchmarks
#   make figures    regenerate the figures
#   make html       render the executed notebooks and an index page to site/ (a static site for readers, which
#                   reads offline: it carries its own MathJax)
#   make slides     the notebooks' slide decks as static pages in site/ (make html makes them too)
#   make app        serve the main explorers as one page without code (Voilà), for workshops
#   make web        reveal.js and axe-core from the npm registry (tools/web/package-lock.json), for the site's
#                   slides and the browser tests' accessibility scan; make html and make test call it
#   make clean      remove .venv and tools/web/node_modules
#
# What each installs, always pinned: `make`/`make lab` the notebooks' packages, JupyterLab and its slide show
# (requirements-lock.txt); `make test`, `make app`, `make html` and the cluster extra add theirs at the versions of
# requirements-test-lock.txt, which pins everything (the same versions for the packages both lock).
#
# Use another interpreter with e.g. `make PYTHON=python3.12`.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
APP_STAMP  := $(VENV)/.installed-app
WEB_STAMP  := tools/web/node_modules/.installed

# nbval runs each notebook once, as its copy in build/nbval (tests/notebook_copies.py): the student version with
# the committed outputs, and after each exercise a run of its solution. It runs only when there are notebooks, so
# `make test` also works before the first notebook is written.
NOTEBOOKS  := $(wildcard notebooks/*.ipynb)
NBVAL_COPIES := build/nbval
NBVAL_OPTS := --nbval --nbval-current-env \
              --nbval-sanitize-with tests/nbval_sanitize.cfg \
              --nbval-cell-timeout=300
PYTEST_OPTS ?= -p no:cacheprovider
# One test process per core (pytest-xdist), each taking a whole test file or notebook at a time, in the order they
# are collected, so that the long browser tests start first: they spend much of their time waiting for a page, so
# two processes on two cores take about half as long. The notebooks come last, the later (longer) ones first, so
# that the two processes end together.
XDIST_OPTS ?= -n auto --dist loadscope --no-loadscope-reorder
# JupyterLab refuses to start as root unless told to (containers, CI boxes).
LAB_OPTS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

.DEFAULT_GOAL := install
.PHONY: install lab present test lint bench figures html slides app web clean

install: $(STAMP)

$(STAMP): requirements-lock.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements-lock.txt
	$(PY) -m pip install --no-deps -e .
	# compile the engine once, so that its first use in a notebook or a test loads it from the cache
	$(PY) -c "import hebb_core; hebb_core.compile_engine()"
	touch $@

# The test tools, Voilà and dask, at the versions of the full lock (over the lab's, which it pins the same).
$(TEST_STAMP): $(STAMP) requirements-test-lock.txt
	$(PY) -m pip install -r requirements-test-lock.txt
	touch $@

# Voilà alone (pyproject.toml's `app` extra), at the full lock's versions.
$(APP_STAMP): $(STAMP) requirements-test-lock.txt
	$(PY) -m pip install -c requirements-test-lock.txt -e ".[app]"
	touch $@

$(WEB_STAMP): tools/web/package.json tools/web/package-lock.json
	npm ci --prefix tools/web --no-audit --no-fund --ignore-scripts
	touch $@

web: $(WEB_STAMP)

# JupyterLab's own address (the one it prints, and / on its port) opens notebook 00 too, not only the browser it starts.
# Its settings (config/lab/overrides.json): no pop-up asking about Jupyter's news, and the widgets' messages handled
# by the kernel's main shell, one at a time (JupyterLab would hand them to a subshell, a thread beside it).
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --LabApp.default_url=/lab/tree/00_start_here.ipynb $(LAB_OPTS) \
	    --LabApp.app_settings_dir=$(CURDIR)/config/lab notebooks/00_start_here.ipynb

# For a projector (docs/teaching_guide.md, "At the projector"): notebook 00 in JupyterLab's Simple Interface (one
# document, no file browser), no news pop-up, and larger text: user settings copied afresh from config/present at
# each start (what is changed during a session is forgotten at the next).
present: $(STAMP)
	rm -rf $(VENV)/present-settings && cp -r config/present $(VENV)/present-settings
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --LabApp.default_url=/doc/tree/00_start_here.ipynb $(LAB_OPTS) \
	    --LabApp.app_settings_dir=$(CURDIR)/config/lab --LabApp.user_settings_dir=$(CURDIR)/$(VENV)/present-settings

test: $(TEST_STAMP) $(WEB_STAMP)
	rm -rf $(NBVAL_COPIES)
	$(if $(NOTEBOOKS),$(PY) tests/notebook_copies.py notebooks $(NBVAL_COPIES))
	$(PY) -m pytest $(PYTEST_OPTS) $(XDIST_OPTS) tests $(if $(NOTEBOOKS),$(NBVAL_OPTS) $$(ls -r $(NBVAL_COPIES)/*.ipynb))

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .

bench: $(TEST_STAMP)
	$(PY) benchmarks/run_all.py

figures: $(STAMP)
	$(PY) -m hebb_core figures

html: $(TEST_STAMP) $(WEB_STAMP)
	$(PY) tools/build_site.py --out site

slides: html

# Voilà prints the address to open, with a fresh token that keeps other users of the machine out of its kernels
# (http://127.0.0.1:8866/?token=…, unless that port is taken); Ctrl-C stops it. Its settings (kernels that end with
# their page) are in app/config/voila.py.
APP_OPTS ?=
app: $(APP_STAMP)
	$(VENV)/bin/voila app/explorers.ipynb --no-browser --token --Voila.ip=127.0.0.1 --Voila.config_file_paths=app/config \
	    $(APP_OPTS)

clean:
	rm -rf $(VENV) tools/web/node_modules
