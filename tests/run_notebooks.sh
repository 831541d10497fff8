#!/usr/bin/env bash
# nbval on every notebook of every edition (English in notebooks/, Japanese in notebooks/ja/),
# the three ways a learner runs them (Run All):
#   1. all in order on one fresh sandbox, 2. again on that same sandbox (re-run),
#   3. each notebook alone on a fresh sandbox (a learner who joins late).
# Each pytest run gets its own private sandbox and virtual phone (see conftest.py). The kernels
# run in the notebook's folder, so the helpers speak that edition's language.
# EDITIONS="en" or "ja" runs one edition only.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
NBVAL=(-m pytest -q -p no:cacheprovider --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg)
EDITIONS=${EDITIONS:-"en ja"}

shared=""
trap 'if [ -n "$shared" ]; then TUTORIAL_STATE_DIR=$shared $PY -m helpers.sandbox stop >/dev/null 2>&1 || true; rm -rf "$shared"; fi' EXIT

for edition in $EDITIONS; do
  if [ "$edition" = en ]; then pattern='notebooks/[0-9][0-9]_*.ipynb'; else pattern="notebooks/$edition/[0-9][0-9]_*.ipynb"; fi
  mapfile -t notebooks < <(ls $pattern)
  shared=$(mktemp -d -t tutorial-nbval-XXXXXX)
  echo "== nbval [$edition]: all notebooks in order, on one sandbox"
  TUTORIAL_STATE_DIR=$shared TUTORIAL_DOWNLOADS_DIR=$shared/downloads "$PY" "${NBVAL[@]}" "${notebooks[@]}"
  echo "== nbval [$edition]: all notebooks again, on the same sandbox"
  TUTORIAL_STATE_DIR=$shared TUTORIAL_DOWNLOADS_DIR=$shared/downloads "$PY" "${NBVAL[@]}" "${notebooks[@]}"
  TUTORIAL_STATE_DIR=$shared "$PY" -m helpers.sandbox stop >/dev/null 2>&1 || true
  rm -rf "$shared"
  shared=""
  for notebook in "${notebooks[@]}"; do
    echo "== nbval [$edition]: $notebook alone, on a fresh sandbox"
    env -u TUTORIAL_STATE_DIR -u TUTORIAL_DOWNLOADS_DIR "$PY" "${NBVAL[@]}" "$notebook"
  done
done
