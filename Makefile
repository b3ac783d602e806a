# Set-up and everyday tasks for the course.
#
#   make            create .venv with the pinned packages (same as `make install`)
#   make lab        open JupyterLab on notebooks/00_start_here.ipynb
#   make test       run tests/ and, once notebooks exist, check them with nbval
#   make lint       check the code's style (ruff; also part of make test)
#   make bench      run the benchmarks
#   make figures    regenerate the figures
#   make html       render the executed notebooks and an index page to site/ (a static site for readers, which
#                   reads offline: it carries its own MathJax)
#   make app        serve the main explorers as one page without code (Voilà), for workshops
#   make clean      remove .venv
#
# Use another interpreter with e.g. `make PYTHON=python3.12`.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# nbval runs over notebooks/*.ipynb only when there are any, so `make test`
# also works before the first notebook is written.
NOTEBOOKS  := $(wildcard notebooks/*.ipynb)
NBVAL_OPTS := --nbval --nbval-current-env \
              --nbval-sanitize-with tests/nbval_sanitize.cfg \
              --nbval-cell-timeout=300
PYTEST_OPTS ?= -p no:cacheprovider
# JupyterLab refuses to start as root unless told to (containers, CI boxes).
LAB_OPTS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

.DEFAULT_GOAL := install
.PHONY: install lab test lint bench figures html app clean

install: $(STAMP)

$(STAMP): requirements-lock.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements-lock.txt
	$(PY) -m pip install --no-deps -e .
	# compile the engine once, so that its first use in a notebook or a test loads it from the cache
	$(PY) -c "import hebb_core; hebb_core.compile_engine()"
	touch $@

# JupyterLab's own address (the one it prints, and / on its port) opens notebook 00 too, not only the browser it starts.
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --LabApp.default_url=/lab/tree/00_start_here.ipynb $(LAB_OPTS) \
	    notebooks/00_start_here.ipynb

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_OPTS) tests $(if $(NOTEBOOKS),$(NBVAL_OPTS) $(NOTEBOOKS))

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

figures: $(STAMP)
	$(PY) -m hebb_core figures

html: $(STAMP)
	$(PY) tools/build_site.py --out site

# Voilà prints the address to open, with a fresh token that keeps other users of the machine out of its kernels
# (http://127.0.0.1:8866/?token=…, unless that port is taken); Ctrl-C stops it. Its settings (kernels that end with
# their page) are in app/config/voila.py.
APP_OPTS ?=
app: $(STAMP)
	$(VENV)/bin/voila app/explorers.ipynb --no-browser --token --Voila.ip=127.0.0.1 --Voila.config_file_paths=app/config \
	    $(APP_OPTS)

clean:
	rm -rf $(VENV)
