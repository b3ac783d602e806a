#!/usr/bin/env bash
# The Colab-like check, run by .ci/run after `make test`: the course on Colab's versions, installed without make.
#
#   tools/colab_like_check.sh            # Python 3.13 from pyenv (or python3.13 on the PATH)
#   COLAB_PYTHON=/path/to/python3.13 tools/colab_like_check.sh
#
# 1. A fresh venv on Python 3.13 with requirements-colab-lock.txt: Colab's numpy, pandas, matplotlib, numba,
#    ipywidgets 7 ..., and what executes notebooks.
# 2. Colab's way in: the notebooks' own install cell, given this repository's address (file://, its commit HEAD),
#    must install the course and change no package that was there (no restart on Colab).
# 3. The way in without make (README, "Other ways in"): `pip install ".[lab]"`, which may add the slide show but
#    must change no package that was there.
# 4. Every notebook executed in that venv, a copy of each in a scratch folder, under nbval in lax mode: every cell
#    must run; outputs are not compared (they are for the main lock, under `make test`).
# It leaves nothing behind, and prints how long it took.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
START=$SECONDS

PYTHON=${COLAB_PYTHON:-}
if [ -z "$PYTHON" ] && command -v pyenv >/dev/null 2>&1; then
    PYTHON=$(ls -d "$(pyenv root)"/versions/3.13.*/bin/python3.13 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$PYTHON" ]; then
    PYTHON=$(command -v python3.13 || true)
fi
if [ -z "$PYTHON" ] || ! "$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
    echo "colab-like check: needs Python 3.13 (pyenv's, python3.13 on the PATH, or COLAB_PYTHON=...)" >&2
    exit 2
fi

SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
unset PYTHONPATH  # the course must come from what pip installed, not from this checkout
VENV=$SCRATCH/venv
PY=$VENV/bin/python

step() { printf '\n== colab-like check (%ss): %s\n' "$((SECONDS - START))" "$*"; }

unchanged_but_the_course() {  # the venv's packages are those of the Colab lock, and the course
    "$PY" -m pip freeze | grep -v -i '^hebb[-_]course' > "$SCRATCH/after.txt" || true
    if ! diff -u "$SCRATCH/before.txt" "$SCRATCH/after.txt"; then
        echo "colab-like check: $1 changed packages that were there (above)" >&2
        exit 1
    fi
    "$PY" -m pip show hebb-course >/dev/null
}

step "a venv on $("$PYTHON" --version) with requirements-colab-lock.txt"
"$PYTHON" -m venv "$VENV"
"$PY" -m pip install --quiet --disable-pip-version-check -r requirements-colab-lock.txt
"$PY" -m pip freeze > "$SCRATCH/before.txt"

step "Colab's way in: the install cell of notebook 00, from file://$ROOT"
"$PY" - "$ROOT" > "$SCRATCH/install_cell.py" <<'EOF'
import json, re, sys
root = sys.argv[1]
notebook = json.load(open(f"{root}/notebooks/00_start_here.ipynb", encoding="utf-8"))
cell = next(cell for cell in notebook["cells"] if cell["cell_type"] == "code")
source, count = re.subn(r'COURSE_REPOSITORY = ".*', f'COURSE_REPOSITORY = "file://{root}"', "".join(cell["source"]))
assert count == 1, "the install cell sets COURSE_REPOSITORY once"
print(source + "\nprint('installed:', hebb_core.__file__)")
EOF
(cd "$SCRATCH" && "$PY" install_cell.py)
unchanged_but_the_course "the install cell"
(cd "$SCRATCH" && "$PY" install_cell.py)  # once per runtime: the second run finds the course and does nothing
unchanged_but_the_course "the install cell, run again,"
"$PY" -m pip uninstall --quiet --yes hebb-course

step 'the way in without make: pip install ".[lab]"'
"$PY" -m pip install --quiet --disable-pip-version-check ".[lab]"
# it may add what Colab lacks (the slide show, jupyterlab-slideshow), but must change none of the packages there
"$PY" -m pip freeze > "$SCRATCH/after.txt"
if ! changed=$(grep -v -x -F -f "$SCRATCH/after.txt" "$SCRATCH/before.txt"); then changed=""; fi
if [ -n "$changed" ]; then
    echo "colab-like check: pip install \".[lab]\" changed packages that were there:" >&2
    echo "$changed" >&2
    exit 1
fi
"$PY" -m pip show hebb-course >/dev/null

step "every notebook, nbval in lax mode"
mkdir "$SCRATCH/notebooks"
cp notebooks/*.ipynb "$SCRATCH/notebooks/"
(cd "$SCRATCH" && "$PY" -m pytest -p no:cacheprovider -q --nbval-lax --nbval-current-env --nbval-cell-timeout=900 \
    --rootdir="$SCRATCH" notebooks)

echo
echo "colab-like check: passed in $((SECONDS - START)) s"
