"""JupyterLab in a real browser: the first notebook opens without a dialog or the news prompt,
runs and shows its outputs; ipywidgets render (the widget extension is installed), answer
clicks and show images; the error boxes the lesson tests look for are found.

Screenshots land in test-artifacts/screenshots/.
"""

from __future__ import annotations

from playwright.sync_api import Page

from helpers.sandbox.constants import ACCOUNT_ID
from tests.browser.lab import (
    LabServer,
    button,
    cell,
    cell_prompts,
    click_button,
    dialogs,
    error_boxes,
    fill_text,
    image_natural_width,
    open_notebook,
    output_text,
    read_text,
    run_all_cells,
    screenshot,
    toasts,
    tracebacks,
    wait_for_output_text,
    widget_images,
    widgets,
    write_notebook,
)

START_HERE = "00_start_here.ipynb"

WIDGETS_NOTEBOOK = [
    # Two text boxes (one found by its label, one by its placeholder), a button, an answer.
    """\
import ipywidgets as w

name = w.Text(description="Name")
city = w.Text(placeholder="your city")
answer = w.Label()
click_me = w.Button(description="Click me")
click_me.on_click(lambda _: setattr(answer, "value", f"Hello, {name.value} from {city.value}!"))
w.VBox([name, city, click_me, answer])""",
    # A picture made in the kernel, the way the lessons show a QR code.
    """\
import io

import qrcode

png = io.BytesIO()
qrcode.make("hello from the browser test").save(png)
w.Image(value=png.getvalue(), format="png", width=160)""",
    # AWS's refusal as the friendly box, and a form whose action fails: what `error_boxes()`
    # finds, so the lesson tests' "no unexpected box" means it.
    """\
from botocore.exceptions import ClientError
from helpers.errors import FriendlyError
from helpers.forms import Form

refused = {"Code": "AccessDenied", "Message": "a deliberate refusal"}
refusal = ClientError({"Error": refused, "ResponseMetadata": {"HTTPStatusCode": 403}}, "GetUser")
display(FriendlyError(refusal))


class Broken(Form):
    def run(self):
        raise ValueError("a deliberate form error")


broken = Broken("A broken form", "Break")
broken.finish([])
broken""",
    # Last, a deliberate error: what `tracebacks()` finds, so "no tracebacks" elsewhere means it.
    'raise RuntimeError("a deliberate error")',
]


def test_start_here_opens_cleanly_and_runs_all_cells(page: Page, lab: LabServer) -> None:
    # helpers.lab's overrides.json is what the page gets: never ask about news ("none" asks)
    setting = lab.api("GET", "lab/api/settings/@jupyterlab/apputils-extension:notification")
    assert setting["schema"]["properties"]["fetchNews"]["default"] == "false"

    notebook = open_notebook(page, lab, START_HERE)  # fails on any dialog but "Select Kernel"
    run_all_cells(notebook)
    screenshot(page, "00_start_here")
    text = output_text(notebook)
    assert f"Sandbox account {ACCOUNT_ID} — signed in as root" in text
    assert f"arn:aws:iam::{ACCOUNT_ID}:root" in text
    assert tracebacks(notebook) == []
    assert all(prompt[1:-2].isdigit() for prompt in cell_prompts(notebook)), cell_prompts(notebook)

    # Seconds after Lab started: the news question (a toast, bottom right) would be up by now.
    assert not [toast for toast in toasts(page) if "news" in toast.lower()], toasts(page)
    assert dialogs(page) == []


def test_widgets_render_answer_clicks_and_show_images(page: Page, lab: LabServer) -> None:
    write_notebook(lab.notebook_dir / "scratch_widgets.ipynb", WIDGETS_NOTEBOOK)
    notebook = open_notebook(page, lab, "scratch_widgets.ipynb")
    run_all_cells(notebook)

    # Without the JupyterLab widget extension these would be plain text, "VBox(children=...".
    assert button(notebook, "Click me").is_visible()
    assert widgets(notebook).count() >= 2
    assert image_natural_width(widget_images(notebook).first) > 0

    fill_text(notebook, "Name", "Alice")
    fill_text(notebook, "your city", "Osaka")
    click_button(notebook, "Click me")
    wait_for_output_text(notebook, "Hello, Alice from Osaka!")
    answer = cell(notebook, 0).locator(".widget-label").last
    assert read_text(answer) == "Hello, Alice from Osaka!"
    [error] = tracebacks(notebook)
    assert "RuntimeError" in error and "a deliberate error" in error

    [refusal] = error_boxes(notebook)  # the form has not failed yet: one box
    assert refusal["kind"] == "refusal" and refusal["cell"] == 2
    assert refusal["text"].startswith("AWS refused: AccessDenied (HTTP 403)")
    assert "a deliberate refusal" in refusal["text"]
    click_button(notebook, "Break")
    wait_for_output_text(notebook, "ValueError: a deliberate form error")
    assert [(box["cell"], box["kind"]) for box in error_boxes(notebook)] == [
        (2, "refusal"),
        (2, "exception"),
    ]
    assert error_boxes(notebook)[1]["text"] == "✗ ValueError: a deliberate form error"
    screenshot(page, "scratch_widgets")
