"""Build the lesson notebooks from their sources and run them to store their outputs.

    .venv/bin/python tools/build_notebooks.py            # all lessons
    .venv/bin/python tools/build_notebooks.py 02 03      # some (still run after a catch-up)

Sources are ``notebooks/src/NN_name.py`` in the "percent" format: cells start with
``# %%`` (code) or ``# %% [markdown]`` (markdown; each line starts with ``# ``). The notebooks
are run in order on a fresh sandbox with a fresh virtual phone, so the committed outputs are
what a learner sees on a first Run All. Widget state is not stored (it would hold QR codes).

Test markup stays out of the learner's sight: a line ``# NBVAL_IGNORE_OUTPUT`` (or another of
nbval's comment markers) in a source cell becomes the cell's nbval tag (``nbval-ignore-output``)
and is left out of the cell the learner sees. ``tests/test_notebook_sources.py`` checks that
the committed notebooks' cells are what ``parse`` makes of their sources.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "notebooks" / "src"
NOTEBOOKS = REPO / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_TEXT = "[an interactive widget: run this notebook in JupyterLab to use it]"
_CELL = re.compile(r"^# %%( \[markdown\])?[^\n]*$", re.MULTILINE)
# nbval's comment markers, and the cell tags that do the same
# (https://nbval.readthedocs.io/, "Using tags instead of comments").
NBVAL_MARKERS = (
    "NBVAL_IGNORE_OUTPUT",
    "NBVAL_CHECK_OUTPUT",
    "NBVAL_RAISES_EXCEPTION",
    "NBVAL_SKIP",
)


def nbval_tag(marker: str) -> str:
    """``NBVAL_IGNORE_OUTPUT`` -> ``nbval-ignore-output``."""
    return marker.lower().replace("_", "-")


def code_cell(body: str) -> nbformat.NotebookNode:
    """A code cell whose nbval marker lines are turned into tags."""
    lines = body.splitlines()
    markers = [line.strip().lstrip("#").strip() for line in lines]
    tags = [nbval_tag(m) for m in markers if m in NBVAL_MARKERS]
    kept = [line for line, m in zip(lines, markers, strict=True) if m not in NBVAL_MARKERS]
    cell = nbformat.v4.new_code_cell("\n".join(kept))
    if tags:
        cell.metadata["tags"] = tags
    return cell


def parse(source: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    marks = list(_CELL.finditer(source))
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        body = source[mark.end() : following.start() if following else len(source)].strip("\n")
        if mark.group(1):
            text = "\n".join(re.sub(r"^# ?", "", line) for line in body.splitlines())
            notebook.cells.append(nbformat.v4.new_markdown_cell(text))
        elif body.strip():
            notebook.cells.append(code_cell(body))
    notebook.metadata["kernelspec"] = KERNELSPEC
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def build(names: list[str]) -> None:
    sources = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    chosen = [s for s in sources if not names or s.name[:2] in names]
    with tempfile.TemporaryDirectory(prefix="build-notebooks-") as state:
        os.environ["TUTORIAL_STATE_DIR"] = state
        os.environ["TUTORIAL_DOWNLOADS_DIR"] = str(Path(state) / "downloads")
        try:
            for source in chosen:
                notebook = parse(source.read_text())
                target = NOTEBOOKS / f"{source.stem}.ipynb"
                print(f"running {target.name} ...", flush=True)
                NotebookClient(
                    notebook,
                    timeout=120,
                    kernel_name="python3",
                    store_widget_state=False,
                    resources={"metadata": {"path": str(NOTEBOOKS)}},
                ).execute()
                for index, cell in enumerate(notebook.cells):
                    cell["id"] = f"{source.stem[:2]}-{index:02d}"
                    cell.metadata.pop("execution", None)  # timestamps: noise in every diff
                    for output in cell.get("outputs", []):
                        # Where widgets can't render (GitHub, a saved file), say what was there
                        # instead of ipywidgets' long repr of the widget tree.
                        if WIDGET_MIME in output.get("data", {}):
                            output["data"]["text/plain"] = WIDGET_TEXT
                nbformat.write(notebook, target)
        finally:
            from helpers.sandbox import control

            control.stop(Path(state))


if __name__ == "__main__":
    build(sys.argv[1:])
