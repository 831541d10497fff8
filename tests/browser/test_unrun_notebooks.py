"""Every committed notebook opened before it runs (issue 13, §3 and §4), as a learner who clones
the repository and opens a lesson: no widget error, and each widget's stored picture shows
where the widget will be.

Twice per notebook: as it opens (a notebook from a clone is not trusted, so JupyterLab renders
only "safe" output types), then trusted (Command Palette → "Trust Notebook", as a learner may,
and as JupyterLab treats a notebook it saved itself). Trusted, JupyterLab tries every output's
richest type: a live widget view without its model answers "Error displaying widget: model
not found". The builder (tools/build_notebooks.py) keeps no live view in committed outputs,
only each widget's static picture (helpers/forms/picture.py: ``text/html`` and a text line).

Screenshots land in test-artifacts/screenshots/unrun-NN*.png.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from helpers.forms.picture import PICTURE_CLASS
from helpers.forms.style import to_text
from helpers.lab import NOTEBOOKS, REPO
from tests.browser.lab import (
    LabServer,
    Notebook,
    dialogs,
    image_natural_width,
    open_notebook,
    poll,
    screenshot,
)

COMMITTED = sorted(path.name for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
# What ipywidgets' JupyterLab extension writes where a widget cannot show.
WIDGET_ERRORS = ("model not found", "Error displaying widget", "Failed to load model")
LOADING = "Loading widget..."  # what a live widget view says until its model is found


def _builder() -> Any:
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", REPO / "tools" / "build_notebooks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILDER = _builder()

# Per cell (by index, as in the .ipynb file): each output's type and what it shows.
_CELL_OUTPUTS = """(panel) => [...panel.querySelectorAll('.jp-Notebook .jp-Cell')].map((cell) =>
  [...cell.querySelectorAll('.jp-OutputArea-output')].map((output) => ({
    mime: output.dataset.mimeType || '',
    text: output.textContent,
    images: output.querySelectorAll('img').length,
    widget: output.matches('.jupyter-widgets') || output.querySelector('.jupyter-widgets') !== null,
  })))"""


def committed_outputs(name: str) -> list[list[dict[str, Any]]]:
    """Per cell, the outputs stored in the committed notebook ``name`` (texts joined)."""
    import nbformat  # slow to import (jsonschema): only when a test reads a notebook

    cells = nbformat.read(NOTEBOOKS / name, as_version=4).cells
    return [cell.get("outputs", []) for cell in cells]


def is_picture(data: dict[str, Any]) -> bool:
    """A widget's static picture (helpers/forms/picture.py)."""
    return PICTURE_CLASS in data.get("text/html", "")


def widget_pictures(name: str) -> list[tuple[int, dict[str, Any]]]:
    """(cell index, stored data) of every output that stands for a widget: its static
    picture, the builder's placeholder text (a widget with no picture), or a widget view the
    builder should not have kept."""
    return [
        (index, output["data"])
        for index, stored in enumerate(committed_outputs(name))
        for output in stored
        if is_picture(output.get("data", {}))
        or output.get("data", {}).get("text/plain") == BUILDER.WIDGET_TEXT["en"]
        or BUILDER.WIDGET_MIME in output.get("data", {})
    ]


def squeezed(text: str) -> str:
    return "".join(text.split())


def picture_on_show(data: dict[str, Any], shown: list[dict[str, Any]]) -> bool:
    """The stored picture is rendered as HTML in its cell: every line of its text is there."""
    lines = [squeezed(line) for line in to_text(data["text/html"]).splitlines()]
    return any(
        output["mime"] == "text/html" and all(line in squeezed(output["text"]) for line in lines)
        for output in shown
    )


def shown_outputs(notebook: Notebook) -> list[list[dict[str, Any]]]:
    return notebook.panel.evaluate(_CELL_OUTPUTS)


def panel_text(notebook: Notebook) -> str:
    return notebook.panel.evaluate("(panel) => panel.textContent")


def widget_errors(notebook: Notebook) -> list[str]:
    """Every widget error text on show in the notebook (outputs or anywhere in its tab)."""
    text = panel_text(notebook).lower()
    return [error for error in WIDGET_ERRORS if error.lower() in text]


def trust_notebook(notebook: Notebook) -> None:
    """Command Palette (Ctrl+Shift+C) → "Trust Notebook" → Trust, as a learner would."""
    page = notebook.page
    notebook.panel.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")  # command mode: the palette shortcut is not typed in a cell
    page.keyboard.press("Control+Shift+C")
    search = page.locator(".jp-ModalCommandPalette input, #command-palette input").first
    search.fill("Trust Notebook")
    page.locator(".lm-CommandPalette-item", has_text="Trust Notebook").first.click()
    poll(lambda: bool(dialogs(page)), 10, "the trust question")
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").first.click()
    poll(lambda: not dialogs(page), 10, "the trust question to close")


def check_as_committed(notebook: Notebook, label: str) -> None:
    """No widget error; every cell shows as many outputs as it stores, none as a live widget
    view; each widget's stored picture (its HTML, else its text) is on show in its cell."""
    # A live view says "Loading widget..." until the page has asked the kernel for its model,
    # then the error: wait for that answer.
    notebook.page.wait_for_timeout(1000)
    try:
        poll(lambda: LOADING not in panel_text(notebook), 20, "widgets to finish loading")
    finally:
        pictures = widget_pictures(notebook.name)
        if pictures:  # the first widget's place, mid-screen, in the screenshot
            first = notebook.panel.locator(".jp-Notebook .jp-Cell").nth(pictures[0][0])
            first.evaluate("(cell) => cell.scrollIntoView({block: 'center'})")
        screenshot(notebook.page, f"unrun-{notebook.name[:2]}-{label}")
    assert widget_errors(notebook) == [], label

    shown = shown_outputs(notebook)
    stored = committed_outputs(notebook.name)
    assert [len(outputs) for outputs in shown] == [len(outputs) for outputs in stored], label
    live = [
        (index, output["mime"])
        for index, outputs in enumerate(shown)
        for output in outputs
        if output["mime"] == BUILDER.WIDGET_MIME or output["widget"]
    ]
    assert live == [], label

    for index, data in widget_pictures(notebook.name):
        texts = [output["text"] for output in shown[index]]
        if is_picture(data):
            assert picture_on_show(data, shown[index]), (label, index, texts)
        elif "image/png" in data or "image/svg+xml" in data:
            image = notebook.panel.locator(".jp-Notebook .jp-Cell").nth(index).locator("img")
            assert image_natural_width(image.first) > 0, (label, index)
        else:
            expected = data.get("text/plain", "")
            assert any(expected.strip() in text for text in texts), (label, index, texts)


@pytest.mark.parametrize("name", COMMITTED)
def test_unrun_notebook_shows_its_widgets_pictures_not_errors(
    page: Page, lab: LabServer, name: str
) -> None:
    # A lesson with no widget picture would prove nothing here.
    assert any(is_picture(data) for _, data in widget_pictures(name)), f"{name}: no picture"
    notebook = open_notebook(page, lab, name)  # fails on any dialog but "Select Kernel"
    check_as_committed(notebook, "as-opened")
    trust_notebook(notebook)
    check_as_committed(notebook, "trusted")


def test_widget_errors_are_found(page: Page, lab: LabServer) -> None:
    """The check above can fail: a notebook keeping a live widget view, as the builder once
    did, shows JupyterLab's "model not found" once trusted, and ``widget_errors`` sees it."""
    source = json.loads((NOTEBOOKS / COMMITTED[0]).read_text())
    view = {"model_id": "0" * 32, "version_major": 2, "version_minor": 0}
    source["cells"].append(
        {
            "cell_type": "code",
            "execution_count": 1,
            "id": "live-view",
            "metadata": {},
            "outputs": [
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"text/plain": BUILDER.WIDGET_TEXT["en"], BUILDER.WIDGET_MIME: view},
                }
            ],
            "source": "a_widget",
        }
    )
    Path(lab.notebook_dir / "scratch_live_view.ipynb").write_text(json.dumps(source))
    notebook = open_notebook(page, lab, "scratch_live_view.ipynb")
    assert widget_errors(notebook) == []  # untrusted: only the text shows
    trust_notebook(notebook)
    poll(lambda: widget_errors(notebook), 30, "JupyterLab's widget error")
    notebook.panel.locator(".jp-Notebook .jp-Cell").last.scroll_into_view_if_needed()
    screenshot(page, "unrun-scratch-live-view-trusted")
