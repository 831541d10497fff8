"""Run All time of each lesson, against an empty notebook run the same way (the kernel's start
is the floor). A lesson's own time is its Run All minus the empty notebook's. Target: the
lessons' own time at most 1.0 s per notebook on average.

    .venv/bin/python benchmarks/bench_notebooks.py [--runs 3]

Each run executes the lessons in order on a fresh sandbox and phone (as a learner's first
Run All), each lesson in a new kernel, and an empty notebook in a new kernel after each lesson.
Figures are medians over the runs. The machine's load moves them a lot (the README's "Speed"
gives 0.87-0.90 s per notebook on a quiet 2-core machine, 1.9-4.4 s on the same machine with
other suites beside it): compare changes back to back, and say what the load was.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from helpers.sandbox import control

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run(notebook: nbformat.NotebookNode) -> float:
    begin = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        store_widget_state=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    return time.perf_counter() - begin


def one_pass(paths: list[Path]) -> tuple[dict[str, float], list[float]]:
    lessons: dict[str, float] = {}
    empties: list[float] = []
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    with tempfile.TemporaryDirectory(prefix="bench-notebooks-") as state:
        os.environ["TUTORIAL_STATE_DIR"] = state
        os.environ["TUTORIAL_DOWNLOADS_DIR"] = str(Path(state) / "downloads")
        control.start(Path(state))
        try:
            for path in paths:
                lessons[path.stem] = run(nbformat.read(path, as_version=4))
                empties.append(run(nbformat.v4.new_notebook(cells=list(empty.cells))))
        finally:
            control.stop(Path(state))
    return lessons, empties


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    passes = [one_pass(paths) for _ in range(runs)]
    empty = statistics.median(t for _, empties in passes for t in empties)
    print(f"{'notebook':<24} {'Run All':>9} {'own time':>9} {'x empty':>8}")
    total = 0.0
    for path in paths:
        median = statistics.median(lessons[path.stem] for lessons, _ in passes)
        total += median
        print(f"{path.stem:<24} {median:>8.2f}s {median - empty:>8.2f}s {median / empty:>7.2f}x")
    print(f"{'empty notebook':<24} {empty:>8.2f}s {0:>8.2f}s {1:>7.2f}x")
    floor = empty * len(paths)
    own = (total - floor) / len(paths)
    print(
        f"whole tutorial: {total:.1f} s = {total / floor:.2f}x {len(paths)} empty notebooks "
        f"({floor:.1f} s)"
    )
    print(f"lessons' own time: {total - floor:.1f} s, {own:.2f} s per notebook (target 1.0 s)")

if __name__ == "__main__":
    main()
