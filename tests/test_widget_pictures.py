"""Each widget's static picture (helpers/forms/picture.py) shows the state its live view shows,
with secrets masked and no QR code; and the builder commits the picture, not the live view."""

from __future__ import annotations

import base64
import importlib.util
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest

from helpers.authenticator import PhonePanel, open_phone
from helpers.forms import CodeEntry, SignInForm
from helpers.forms.layout import screen_and_phone
from helpers.forms.picture import MASK, PICTURE_CLASS, QR_NOTE, picture_html, picture_text
from helpers.forms.qr_view import qr_image
from helpers.status import StatusPanel
from tests.test_authenticator_widget import ISSUER, LABEL, PIN, SECRET, T, aws_png
from tests.test_status_sandbox import add_console_user

REPO = Path(__file__).resolve().parents[1]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _builder() -> Any:
    path = REPO / "tools" / "build_notebooks.py"
    spec = importlib.util.spec_from_file_location("build_notebooks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TUTORIAL_STATE_DIR", str(tmp_path / "state"))
    return tmp_path / "state"


def bundle_of(shown: Any) -> dict[str, Any]:
    bundle = shown._repr_mimebundle_()
    assert WIDGET_MIME in bundle  # the live view stays in the output, next to the picture
    assert PICTURE_CLASS in bundle["text/html"]
    return bundle


def assert_static(markup: str) -> None:
    """What GitHub strips or must never see: style blocks, scripts, images."""
    for unwanted in ("<style", "<script", "<img", "base64,", 'class="tut-', 'class="mfa-'):
        assert unwanted not in markup


# ----- the checklist -----


def test_the_checklists_picture_says_its_score_and_failing_lines(iam: Any) -> None:
    add_console_user(iam)
    panel = StatusPanel(SimpleNamespace(iam=iam))
    bundle = bundle_of(panel)
    text = picture_text(panel.widget)
    assert text.splitlines()[0] == "Security status 2/5 ▰▰▰▰▱▱▱▱▱▱ Refresh"
    assert panel.report is not None
    findings = panel.report.findings(panel.view)
    failing = [f.title for f in findings if f.status == "FAIL"]
    assert len(failing) == 3
    for finding in findings:
        mark = {"PASS": "✓", "FAIL": "✗"}[finding.status]
        assert f"{mark} {finding.title}" in text
    assert "<b>Console (5 items)</b>" in bundle["text/html"]  # the chosen view
    assert bundle["text/plain"] == panel.as_text()
    assert_static(bundle["text/html"])

    panel.view_switch.value = "cis"  # the picture follows what the panel shows
    assert picture_text(panel.widget).startswith(panel.as_text().splitlines()[0])
    assert "<b>CIS v5.0 §1</b>" in picture_html(panel.widget)


def test_an_opened_line_shows_its_reason_in_the_picture(iam: Any) -> None:
    panel = StatusPanel(iam)
    row = panel.row("console.root_mfa")
    assert "The root user has no MFA device." not in picture_text(panel.widget)
    row.toggle.click()
    assert "The root user has no MFA device." in picture_text(panel.widget)


# ----- the code boxes -----


def test_the_code_boxes_picture_shows_their_masked_state() -> None:
    entry = CodeEntry()
    empty = bundle_of(entry)["text/html"]
    assert MASK not in empty
    assert empty.count("6 digits</i>") == 2  # both placeholders
    assert 'opacity:0.5">Assign MFA' in empty  # the button is disabled until both are typed

    entry.fill("123456")
    entry.fill("654321")
    filled = bundle_of(entry)["text/html"]
    assert filled.count(MASK) == 2
    assert "123456" not in filled and "654321" not in filled
    assert 'opacity:0.5">Assign MFA' not in filled
    assert_static(filled)


# ----- the phone and the QR code -----


def test_the_phones_picture_shows_its_accounts_with_masked_codes(state: Path) -> None:
    phone = open_phone()
    panel = PhonePanel(phone)
    assert "No accounts yet" in picture_text(panel)
    panel.scan_from(aws_png())
    code = phone.find(f"{ISSUER}:{LABEL}").code(T)
    bundle = bundle_of(panel)
    text = picture_text(panel)
    assert ISSUER in text and LABEL in text
    assert "••• •••" in text
    assert code not in bundle["text/html"] and SECRET not in bundle["text/html"]
    assert bundle["text/plain"] == text  # not the repr: it names the phone's file
    assert str(state) not in bundle["text/plain"] + bundle["text/html"]
    assert_static(bundle["text/html"])

    panel.set_pin(PIN)
    panel.lock()
    locked = picture_text(panel)
    assert "Locked" in locked and LABEL not in locked and PIN not in picture_html(panel)


def test_the_qr_panels_picture_has_no_qr_code(state: Path) -> None:
    png = aws_png()
    shown = screen_and_phone(qr_image(png), PhonePanel(open_phone()))
    markup = bundle_of(shown)["text/html"]
    assert QR_NOTE in markup
    assert base64.b64encode(png).decode()[:40] not in markup
    assert "Scan this QR code" in markup and "Authenticator" in markup  # both sides
    assert "<table" in markup  # side by side even where styles are stripped
    assert_static(markup)


def test_password_boxes_show_bullets() -> None:
    password = "Correct-Horse-42!"
    form = SignInForm(password=password, user_name="alice")
    markup = bundle_of(form)["text/html"]
    assert password not in markup
    assert "••••••••" in markup and "alice" in markup


# ----- the builder -----


def test_the_builder_commits_the_picture_not_the_live_view() -> None:
    builder = _builder()
    data = CodeEntry()._repr_mimebundle_()
    output = nbformat.v4.new_output("display_data", data=dict(data))
    builder.without_live_widget(output)
    assert WIDGET_MIME not in output["data"]
    assert output["data"]["text/html"] == data["text/html"]
    assert output["data"]["text/plain"] == data["text/plain"]

    bare = nbformat.v4.new_output(
        "display_data", data={"text/plain": "VBox(children=(...))", WIDGET_MIME: {}}
    )
    builder.without_live_widget(bare)  # a widget with no picture keeps the placeholder
    assert bare["data"] == {"text/plain": builder.WIDGET_TEXT["en"]}


COMMITTED = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", COMMITTED, ids=lambda path: path.name)
def test_committed_widgets_show_their_picture(path: Path) -> None:
    """Every widget a committed notebook shows carries its picture, but the widget check of
    00 (its point is to show text where widgets do not work), and no live view."""
    builder = _builder()
    pictures, placeholders = 0, []
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            assert WIDGET_MIME not in data
            pictures += PICTURE_CLASS in data.get("text/html", "")
            if data.get("text/plain") == builder.WIDGET_TEXT["en"]:
                placeholders.append(cell.source)
            if PICTURE_CLASS in data.get("text/html", ""):
                assert_static(data["text/html"])
    assert pictures > 0
    assert all("WidgetCheck()" in source for source in placeholders), placeholders
