# The two commands of this project (see README.md):
#   make lab   - set up on first use, start the sandbox and JupyterLab on notebooks/, open at
#                the edition of the learner's language: notebooks/ja/ when LANG=ja_JP.UTF-8
#                (or TUTORIAL_LANG=ja), else English; pick one with `make lab TUTORIAL_LANG=en|ja`
#   make test  - set up the same way and run every test (the workshop tests, tests/workshop,
#                create Unix users: they run as root, as in CI, and are skipped otherwise)
# Both create .venv on first use and reuse it afterwards.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready
PROXY := deploy/node_modules/.bin/configurable-http-proxy

.PHONY: lab test

$(READY): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,workshop]'
	@touch $(READY)

# The workshop hub's proxy (npm, local to deploy/; the workshop tests start a hub).
$(PROXY): deploy/package.json deploy/package-lock.json
	cd deploy && npm ci --no-audit --no-fund --loglevel=error
	@touch $(PROXY)

lab: $(READY)
	@TUTORIAL_LANG=$(TUTORIAL_LANG) $(PY) -m helpers.lab

test: $(READY) $(PROXY)
	$(PY) -m ruff check helpers tests benchmarks tools deploy
	$(PY) -m pytest tests --ignore=tests/browser
	PY=$(PY) tests/run_notebooks.sh
	$(PY) -m pytest tests/browser
