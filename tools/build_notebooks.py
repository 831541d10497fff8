"""Build the lesson notebooks from their sources and run them to store their outputs.

    .venv/bin/python tools/build_notebooks.py            # all lessons, every edition
    .venv/bin/python tools/build_notebooks.py 02 03      # some (still run after a catch-up)
    .venv/bin/python tools/build_notebooks.py --lang ja  # one edition (en or ja)

Sources are ``notebooks/src/NN_name.py`` in the "percent" format: cells start with
``# %%`` (code) or ``# %% [markdown]`` (markdown; each line starts with ``# ``). The notebooks
are run in order on a fresh sandbox with a fresh virtual phone, so the committed outputs are
what a learner sees on a first Run All. Widget state is not stored (it would hold QR codes), so
widget outputs keep their static picture, not the live view (``without_live_widget``):
an un-run notebook shows no "model not found" error, and a rebuild changes no random model id.

Test markup stays out of the learner's sight: a line ``# NBVAL_IGNORE_OUTPUT`` (or another of
nbval's comment markers) in a source cell becomes the cell's nbval tag (``nbval-ignore-output``)
and is left out of the cell the learner sees. ``tests/test_notebook_sources.py`` checks that
the committed notebooks' cells are what ``parse`` makes of their sources.

Other editions (``notebooks/ja/``) are the English cells with each cell's text replaced by its
translation from ``notebooks/src/<lang>/NN_name.po`` (``translate``; tags and order stay the
English ones). A lesson is in an edition once its catalogue exists; the build refuses a
catalogue with a missing or stale cell (``tools/i18n.py todo`` lists them). Each edition runs
in order on its own fresh sandbox, in its own folder, so the helpers speak its language.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "notebooks" / "src"
NOTEBOOKS = REPO / "notebooks"
ENGLISH = "en"
TRANSLATIONS = ("ja",)
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_TEXT = {
    "en": "[an interactive widget: it shows here when this cell runs in JupyterLab]",
    "ja": "[対話型のウィジェット: JupyterLab でこのセルを実行するとここに表示されます]",
}
MASKED_KEY = re.compile(r"\b(AKIA|ASIA)(•{8})[A-Z0-9]{4}\b")  # helpers.masking.mask_access_key_id
# helpers.connect: an MFA session's end, in each edition ("until 20:45 UTC", "20:45 UTC まで")
SESSION_END = re.compile(r"\b\d\d:\d\d UTC\b")
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


def without_live_widget(output: nbformat.NotebookNode, language: str = "en") -> None:
    """A widget's output as it is committed: what it showed, without the live view.

    The live view (``WIDGET_MIME``) only points at a widget model by a random ``model_id``;
    the model lives in the kernel, and its state is not stored (it would hold QR codes). So in
    a notebook opened before it runs, JupyterLab could only answer "Error displaying widget:
    model not found" (once the notebook is trusted; an untrusted one falls back to text), and
    every build would change the ids. The kernel sends a new live view when the cell runs.
    The widget's static picture (``text/html`` and its ``text/plain`` line, from
    helpers/forms/picture.py) stays: GitHub, nbviewer and JupyterLab show it. A widget without
    a picture keeps a placeholder line instead of ipywidgets' long repr of its widget tree.
    """
    data = output.get("data", {})
    if WIDGET_MIME in data:
        del data[WIDGET_MIME]
        if "text/html" not in data:
            data["text/plain"] = WIDGET_TEXT[language]


def merged_streams(outputs: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """Consecutive prints to the same stream as one output, as JupyterLab shows them: where
    the kernel cut a stream depends on timing (it sends what it has every 0.2 s)."""
    merged: list[nbformat.NotebookNode] = []
    for output in outputs:
        before = merged[-1] if merged else None
        if (
            before is not None
            and output.get("output_type") == before.get("output_type") == "stream"
            and output.get("name") == before.get("name")
        ):
            before["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def relabel_run_values(notebook: nbformat.NotebookNode) -> None:
    """Values that differ in each run, as nbval already ignores them (tests/nbval_sanitize.cfg):
    the last four characters of masked access key ids (``AKIA••••••••WXYZ``) become ``0001``
    for the notebook's first key, ``0002`` for its second..., so a reader can still tell keys
    apart; the clock time a session ends (helpers.connect) becomes ``hh:mm``."""
    labels: dict[str, str] = {}

    def label(found: re.Match[str]) -> str:
        key = found.group(0)
        labels.setdefault(key, f"{found.group(1)}{found.group(2)}{len(labels) + 1:04d}")
        return labels[key]

    def relabel(text: Any) -> Any:
        if isinstance(text, str):
            return SESSION_END.sub("hh:mm UTC", MASKED_KEY.sub(label, text))
        if isinstance(text, list):
            return [relabel(part) for part in text]
        return text

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = relabel(output["text"])
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    output["data"][mime] = relabel(value)


def steady(notebook: nbformat.NotebookNode, prefix: str, language: str = "en") -> None:
    """What a run leaves that changes from build to build, made the same each time: cell ids,
    execution timestamps, widget model ids, where streams were cut, random key ids, clock times."""
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"{prefix}-{index:02d}"
        cell.metadata.pop("execution", None)  # timestamps
        if "outputs" in cell:
            cell["outputs"] = merged_streams(cell["outputs"])
            for output in cell["outputs"]:
                without_live_widget(output, language)
    relabel_run_values(notebook)


def catalogue_path(source: Path, language: str) -> Path:
    return SOURCES / language / f"{source.stem}.po"


def edition_sources(language: str) -> list[Path]:
    """The English sources of the lessons in ``language``'s edition."""
    sources = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    if language == ENGLISH:
        return sources
    return [s for s in sources if catalogue_path(s, language).exists()]


def target_path(source: Path, language: str) -> Path:
    folder = NOTEBOOKS if language == ENGLISH else NOTEBOOKS / language
    return folder / f"{source.stem}.ipynb"


class UntranslatedCell(LookupError):
    pass


def translate(notebook: nbformat.NotebookNode, catalogue_file: Path) -> nbformat.NotebookNode:
    """``notebook`` (English, from ``parse``) with each cell's text from the catalogue."""
    from babel.messages.pofile import read_po

    catalogue = read_po(io.BytesIO(catalogue_file.read_bytes()))
    translated = copy.deepcopy(notebook)
    problems = []
    for index, cell in enumerate(translated.cells):
        message = catalogue.get(cell.source)
        if message is None or message.fuzzy or not message.string:
            state = "missing" if message is None or not message.string else "stale"
            problems.append(f"{catalogue_file.name}: cell {index} ({cell.cell_type}) is {state}")
        else:
            cell.source = message.string
    if problems:
        raise UntranslatedCell(
            "\n".join(problems) + "\n(run tools/i18n.py update, then translate these cells)"
        )
    return translated


_LESSON_LINK = re.compile(r"\]\(((\d\d)_[a-z_]+\.ipynb)\)")


def link_to_english_where_untranslated(notebook: nbformat.NotebookNode, language: str) -> None:
    """A link to a lesson not yet in ``language``'s edition opens the English one
    (``../NN_name.ipynb``) instead of a notebook that does not exist."""
    present = {s.stem[:2] for s in edition_sources(language)}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = _LESSON_LINK.sub(
                lambda m: m.group(0) if m.group(2) in present else f"](../{m.group(1)})",
                cell.source,
            )


def build_notebook(source: Path, language: str) -> nbformat.NotebookNode:
    """The notebook of ``source`` in ``language``, not run."""
    notebook = parse(source.read_text())
    if language != ENGLISH:
        notebook = translate(notebook, catalogue_path(source, language))
        link_to_english_where_untranslated(notebook, language)
    return notebook


def run_edition(sources: list[Path], language: str) -> None:
    """Run the notebooks of one edition in order on a fresh sandbox and write them."""
    with tempfile.TemporaryDirectory(prefix="build-notebooks-") as state:
        os.environ["TUTORIAL_STATE_DIR"] = state
        os.environ["TUTORIAL_DOWNLOADS_DIR"] = str(Path(state) / "downloads")
        try:
            for source in sources:
                notebook = build_notebook(source, language)
                target = target_path(source, language)
                target.parent.mkdir(exist_ok=True)
                print(f"running {target.relative_to(NOTEBOOKS)} ...", flush=True)
                NotebookClient(
                    notebook,
                    timeout=120,
                    kernel_name="python3",
                    store_widget_state=False,
                    resources={"metadata": {"path": str(target.parent)}},
                ).execute()
                steady(notebook, source.stem[:2], language)
                nbformat.write(notebook, target)
        finally:
            from helpers.sandbox import control

            control.stop(Path(state))


def build(names: list[str], languages: tuple[str, ...] = (ENGLISH, *TRANSLATIONS)) -> None:
    for language in languages:
        chosen = [s for s in edition_sources(language) if not names or s.name[:2] in names]
        for source in chosen:  # refuse an incomplete translation before running anything
            build_notebook(source, language)
        if chosen:
            run_edition(chosen, language)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Build and run the lesson notebooks.")
    parser.add_argument("lessons", nargs="*", help="lesson numbers (default: all)")
    parser.add_argument("--lang", choices=(ENGLISH, *TRANSLATIONS), help="one edition only")
    args = parser.parse_args()
    build(args.lessons, (args.lang,) if args.lang else (ENGLISH, *TRANSLATIONS))
