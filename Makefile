# The two commands of this project (see README.md):
#   make lab   - set up on first use, start the sandbox and JupyterLab on notebooks/
#   make test  - set up the same way and run every test
# Both create .venv on first use and reuse it afterwards.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready

.PHONY: lab test

$(READY): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(READY)

lab: $(READY)
	@$(PY) -m helpers.lab

test: $(READY)
	$(PY) -m ruff check helpers tests benchmarks tools
	$(PY) -m pytest tests --ignore=tests/browser
	PY=$(PY) tests/run_notebooks.sh
	$(PY) -m pytest tests/browser
