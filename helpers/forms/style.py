"""The forms' shared look: a bold title, a one-line hint under each field, green ✓ / red ✗
messages, and AWS's refusals as the short friendly box. Colours suit JupyterLab's light theme.
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as widgets
from botocore.exceptions import ClientError

from helpers.errors import error_html

GREEN = "#1d8102"
RED = "#d13212"
GREY = "#5f6b7a"
BLUE = "#0972d3"

DESCRIPTION_WIDTH = "170px"
FIELD_WIDTH = "470px"
SHORT_FIELD_WIDTH = "290px"
# Hints and messages line up with the input boxes, after the descriptions.
INDENT = f"calc({DESCRIPTION_WIDTH} + 8px)"

# Injected once per form (an HTML widget's <style> applies to the whole page in JupyterLab).
CSS = """<style>
.tut-form { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
.tut-code input { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 16px;
  letter-spacing: 3px; }
.tut-code input::placeholder { letter-spacing: normal; font-size: 13px; }
.tut-card { border: 1px solid #d5dbdb; border-radius: 8px; padding: 10px 14px;
  background: #fafafa; }
</style>"""


def _span(text: str, colour: str, size: str = "13px") -> str:
    return f'<div style="color:{colour};font-size:{size};line-height:1.45">{text}</div>'


def ok(message: str) -> str:
    """A green ✓ line; ``message`` is plain text."""
    return _span(f"✓ {html.escape(message)}", GREEN)


def fail(message: str) -> str:
    """A red ✗ line; ``message`` is plain text."""
    return _span(f"✗ {html.escape(message)}", RED)


def note(message: str) -> str:
    """A grey ℹ line for neutral information."""
    return _span(f"ℹ {html.escape(message)}", GREY)


EXCEPTION_CLASS = "tut-exception"  # marks a caught exception's line (the browser tests look)


def exception_line(error: BaseException) -> str:
    """A caught exception as a red ✗ line, in an element of class ``EXCEPTION_CLASS``."""
    return f'<div class="{EXCEPTION_CLASS}">{fail(f"{type(error).__name__}: {error}")}</div>'


def error_box(error: ClientError) -> str:
    """AWS's refusal as the short friendly box (code, AWS's message, what to do)."""
    # Widget HTML inherits the 28px line height of an input row: wrapped lines drift apart.
    return f'<div style="line-height:1.45">{error_html(error)}</div>'


def problems_html(problems: list[str], good: str = "") -> str:
    """Each broken rule as a ✗ line, or ``good`` as a ✓ line when nothing is broken."""
    if problems:
        return "".join(fail(p) for p in problems)
    return ok(good) if good else ""


def checklist(items: list[tuple[str, bool]]) -> str:
    """Rules as a checklist: (text, kept) -> ✓ kept / ✗ broken."""
    return "".join(ok(text) if kept else fail(text) for text, kept in items)


def link(url: str) -> str:
    escaped = html.escape(url)
    return (
        f'<a href="{escaped}" target="_blank" style="color:{BLUE};white-space:nowrap">{escaped}</a>'
    )


def to_text(markup: str) -> str:
    """The plain text of some HTML (what tests compare against)."""
    text = re.sub(r"<style.*?</style>", "", markup, flags=re.S)
    text = re.sub(r"<br\s*/?>|</div>|</p>|</li>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def result_html(result: Any, default: str) -> str:
    """What an action answered, for the status line: a string is shown as a ✓ message, an HTML
    object (``ipywidgets.HTML``, ``IPython.display.HTML``) as it is; anything else as
    ``default`` (already HTML)."""
    if isinstance(result, str) and result:
        return ok(result)
    if isinstance(result, widgets.HTML):
        return result.value
    if hasattr(result, "_repr_html_"):
        return result._repr_html_() or default
    return default


def title(text: str) -> widgets.HTML:
    return widgets.HTML(
        f'<div style="font-size:15px;font-weight:600;margin:2px 0">{html.escape(text)}</div>'
    )


def hint(text: str) -> widgets.HTML:
    """The one-line grey hint under a field."""
    widget = widgets.HTML()
    set_hint(widget, text)
    widget.layout.margin = f"-4px 0 0 {INDENT}"
    return widget


def small(text: str) -> str:
    """A small grey line (plain text)."""
    return _span(html.escape(text), GREY, "12px")


def set_hint(widget: widgets.HTML, text: str) -> None:
    widget.value = small(text)


def message_area(indent: bool = True) -> widgets.HTML:
    """An HTML line that takes no room while empty (see ``show``)."""
    widget = widgets.HTML(layout=widgets.Layout(display="none"))
    if indent:
        widget.layout.margin = f"0 0 0 {INDENT}"
    return widget


def show(widget: widgets.HTML, markup: str) -> None:
    widget.value = markup
    widget.layout.display = None if markup else "none"


def field_style() -> dict:
    return {"description_width": DESCRIPTION_WIDTH}


def field_layout(width: str = FIELD_WIDTH) -> widgets.Layout:
    return widgets.Layout(width=width)
