#!/usr/bin/env bash
# nbval on every notebook, the three ways a learner runs them (Run All):
#   1. all in order on one fresh sandbox, 2. again on that same sandbox (re-run),
#   3. each notebook alone on a fresh sandbox (a learner who joins late).
# Each pytest run gets its own private sandbox and virtual phone (see conftest.py).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
NBVAL=(-m pytest -q -p no:cacheprovider --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg)
mapfile -t notebooks < <(ls notebooks/[0-9][0-9]_*.ipynb)

shared=$(mktemp -d -t tutorial-nbval-XXXXXX)
trap 'TUTORIAL_STATE_DIR=$shared $PY -m helpers.sandbox stop >/dev/null 2>&1 || true; rm -rf "$shared"' EXIT
echo "== nbval: all notebooks in order, on one sandbox"
TUTORIAL_STATE_DIR=$shared TUTORIAL_DOWNLOADS_DIR=$shared/downloads "$PY" "${NBVAL[@]}" "${notebooks[@]}"
echo "== nbval: all notebooks again, on the same sandbox"
TUTORIAL_STATE_DIR=$shared TUTORIAL_DOWNLOADS_DIR=$shared/downloads "$PY" "${NBVAL[@]}" "${notebooks[@]}"
for notebook in "${notebooks[@]}"; do
  echo "== nbval: $notebook alone, on a fresh sandbox"
  env -u TUTORIAL_STATE_DIR -u TUTORIAL_DOWNLOADS_DIR "$PY" "${NBVAL[@]}" "$notebook"
done
