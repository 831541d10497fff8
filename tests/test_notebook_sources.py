"""The committed notebooks are what their sources in notebooks/src/ build to (issue 13, §3).

No kernel is needed: the cells' kinds, sources and nbval tags are compared with what
``tools/build_notebooks.py``'s ``parse`` makes of each source; outputs are nbval's business
(tests/run_notebooks.sh).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "notebooks" / "src").glob("[0-9][0-9]_*.py"))


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", REPO / "tools" / "build_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILDER = _builder()


def _cells(notebook: nbformat.NotebookNode) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in notebook.cells]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_committed_notebook_matches_its_source(source: Path) -> None:
    committed = nbformat.read(REPO / "notebooks" / f"{source.stem}.ipynb", as_version=4)
    built = BUILDER.parse(source.read_text())
    assert _cells(committed) == _cells(built), (
        f"{source.stem}.ipynb is out of date: run tools/build_notebooks.py {source.stem[:2]}"
    )


def test_nbval_markers_become_tags_and_leave_the_cell() -> None:
    notebook = BUILDER.parse("# %%\n# NBVAL_IGNORE_OUTPUT\nprint(1)\n")
    (cell,) = notebook.cells
    assert cell.source == "print(1)"
    assert cell.metadata["tags"] == ["nbval-ignore-output"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_learners_see_no_test_markup(source: Path) -> None:
    committed = nbformat.read(REPO / "notebooks" / f"{source.stem}.ipynb", as_version=4)
    marked = [i for i, c in enumerate(committed.cells) if "NBVAL" in c.source]
    assert marked == []


# The frame every lesson shares (issue 13, §3): title with the article's Japanese section title,
# what you will do, the time, what you need; then the lesson; then what you did and what is next.
FRAME = (
    r"^# # \d\d · ",
    r"[\u3040-\u30ff\u4e00-\u9fff]",  # the article's Japanese section title
    r"\*\*You will\*\*",
    r"\*\*Time:\*\*",
    r"\*\*Before you start:?\*\*",
    r"^# ## What you did",
    r"\*\*Next:?\*\*",
)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_lessons_share_one_frame(source: Path) -> None:
    text = source.read_text()
    missing = [pattern for pattern in FRAME if not re.search(pattern, text, re.MULTILINE)]
    if source.name[:2] != "00":  # lessons 01-07 end with an exercise; 00 only sets up
        missing += [] if re.search(r"^# ## Your turn", text, re.MULTILINE) else ["Your turn"]
    assert missing == []


# Machine noise that differs between runs: ports, process ids, dates and times.
NOISE = {
    "port": re.compile(r"(localhost|127\.0\.0\.1):\d{2,5}"),
    "process id": re.compile(r"\b(pid|process id)\b[ :=]*\d+", re.IGNORECASE),
    "date": re.compile(r"\b20\d\d-\d\d-\d\d\b"),
    "clock time": re.compile(r"\b\d\d:\d\d UTC"),
}
EDITIONS = [REPO / "notebooks" / f"{s.stem}.ipynb" for s in SOURCES] + sorted(
    (REPO / "notebooks" / "ja").glob("[0-9][0-9]_*.ipynb")
)


@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: str(p.relative_to(REPO / "notebooks")))
def test_committed_outputs_carry_no_machine_noise(path: Path) -> None:
    committed = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(committed.cells):
        for output in cell.get("outputs", []):
            text = output.get("text", "") + "".join(
                value
                for key, value in output.get("data", {}).items()
                if key.startswith("text/") and isinstance(value, str)
            )
            found += [f"cell {index}: {name}" for name, rx in NOISE.items() if rx.search(text)]
    assert found == []
