"""A widget's static picture: HTML drawn from the same state its live view shows.

A displayed widget's output carries, next to its live view, ``text/html`` (this picture) and a
``text/plain`` line. JupyterLab shows the live view when it can; GitHub, nbviewer and an
untrusted JupyterLab show the picture, so a committed notebook shows a reader what a learner
saw. The live view is not committed (tools/build_notebooks.py): without the kernel it could
only show an error.

Readers strip much: GitHub drops ``<style>``, scripts and (at times) ``style`` attributes. So
the picture uses no script and no class-based CSS; inline styles only add polish to markup that
reads well without them (``<kbd>`` buttons, ``<code>`` fields, ☑/☐, a table for side-by-side).
What must not be read stays out: a QR code is never drawn (it holds the MFA secret), password
boxes show bullets, code boxes and the phone's codes show their masked state.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from helpers.i18n import N_, _

from . import style

PICTURE_CLASS = "widget-picture"  # the picture's outer element (tests find pictures by it)
LIVE_NOTE = N_("A picture of the widget: it works when this cell runs in JupyterLab.")
QR_NOTE = N_("QR code: hidden here (it holds the MFA secret). It shows when this cell runs.")
IMAGE_NOTE = N_("An image: it shows when this cell runs.")
MASK = "•" * 6
# The look of the classes the live view gets from its <style> block, as inline styles.
CLASS_STYLES = {
    "tut-card": "border:1px solid #d5dbdb;border-radius:8px;padding:10px 14px;background:#fafafa",
    "mfa-phone": (
        "background:#1c1c1e;color:#f2f2f7;border-radius:28px;padding:14px;width:340px;"
        "box-sizing:border-box"
    ),
    "mfa-screen": "background:#0b0b0d;border-radius:18px;padding:10px;min-height:200px",
    "mfa-row": "border-bottom:1px solid #2c2c2e;padding:4px 0 6px 0",
}
BUTTON_COLOURS = {"primary": "#0972d3", "success": "#1d8102", "danger": "#d13212"}
BAR_COLOURS = {"success": "#1d8102", "warning": "#f0ab00", "danger": "#d13212"}
_UNSHOWN = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)

Drawer = Callable[[], str]


def draw_as(widget: widgets.Widget, drawer: Drawer) -> widgets.Widget:
    """Let ``drawer()`` draw this widget's part of the picture (say, a masked code)."""
    widget.picture_drawer = drawer
    return widget


def _layout_style(widget: widgets.Widget) -> str:
    layout = getattr(widget, "layout", None)
    parts = [
        f"{name.replace('_', '-')}:{value}"
        for name in ("width", "min_width", "max_width", "margin", "padding")
        if layout is not None and (value := getattr(layout, name, None))
    ]
    parts += [CLASS_STYLES[name] for name in widget._dom_classes if name in CLASS_STYLES]
    return ";".join(parts)


def _description(widget: widgets.Widget) -> str:
    text = getattr(widget, "description", "")
    if not text:
        return ""
    return (
        f'<span style="display:inline-block;min-width:{style.DESCRIPTION_WIDTH}">'
        f"{html.escape(text)}</span> "
    )


def _field(widget: widgets.Widget, shown: str, placeholder: str = "") -> str:
    if shown:
        box = "border:1px solid #8d99a8;padding:1px 6px"
        value = f'<code style="{box}">{html.escape(shown)}</code>'
    else:
        empty = placeholder or _("(empty)")
        value = f'<i style="color:{style.GREY}">{html.escape(empty)}</i>'
    return f"<div>{_description(widget)}{value}</div>"


def _button(widget: widgets.Button) -> str:
    label = widget.description or {"refresh": "↻"}.get(widget.icon, widget.icon or _("button"))
    colour = BUTTON_COLOURS.get(widget.button_style, "")
    look = f"background:{colour};color:white" if colour else "background:#eef0f2;color:#16191f"
    look += ";padding:2px 8px;margin-right:6px" + (";opacity:0.5" if widget.disabled else "")
    return f'<kbd style="{look}">{html.escape(label)}</kbd>'


def _toggle(label: str, chosen: bool) -> str:
    look = "background:#0972d3;color:white" if chosen else "background:#eef0f2;color:#16191f"
    text = f"<b>{html.escape(label)}</b>" if chosen else html.escape(label)
    return f'<kbd style="{look};padding:2px 8px">{text}</kbd> '


def _bar(widget: widgets.IntProgress) -> str:
    share = (widget.value - widget.min) / max(widget.max - widget.min, 1)
    filled = round(share * 10)
    colour = BAR_COLOURS.get(widget.bar_style, "#0972d3")
    return (
        f'<span style="color:{colour};letter-spacing:-1px" title="{widget.value}/{widget.max}">'
        f"{'▰' * filled}{'▱' * (10 - filled)}</span>"
    )


def _box(widget: widgets.Box) -> str:
    """A column as blocks; a row as inline parts, or as a table when it holds boxes (a form
    beside a phone), which stays side by side where styles are stripped."""
    outer = _layout_style(widget)
    row = isinstance(widget, widgets.HBox)
    of_boxes = row and any(isinstance(child, widgets.Box) for child in widget.children)
    inline = row and not of_boxes
    parts = [part for child in widget.children if (part := draw(child, inline=inline))]
    if of_boxes:
        cells = "".join(
            f'<td align="left" valign="top" style="text-align:left;vertical-align:top">{part}</td>'
            for part in parts
        )
        return f'<table style="{outer}"><tr>{cells}</tr></table>'
    if inline:
        inner = " ".join(f'<span style="display:inline-block">{part}</span>' for part in parts)
        return f'<div style="{outer}">{inner}</div>'
    return f'<div style="{outer}">{"".join(parts)}</div>'


def draw(widget: widgets.Widget, inline: bool = False) -> str:
    """The HTML of ``widget`` as it shows now ("" when hidden); ``inline``: in a row, so
    a text is not a block of its own."""
    layout = getattr(widget, "layout", None)
    if layout is not None and layout.display == "none":
        return ""
    drawer = getattr(widget, "picture_drawer", None)
    if drawer is not None:
        return drawer()
    classes = widget._dom_classes if isinstance(widget, widgets.DOMWidget) else ()
    if isinstance(widget, widgets.Image):  # never its pixels: a QR code holds a secret
        what = QR_NOTE if "tut-qr" in classes else IMAGE_NOTE
        note = html.escape(_(what))
        return (
            f'<div style="border:2px dashed #8d99a8;background:#eef0f2;color:{style.GREY};'
            f'width:180px;padding:60px 10px;text-align:center"><i>{note}</i></div>'
        )
    # A text in a row stays in the row; one in a column keeps its place (a hint's indent).
    opening, closing = (
        ("<span>", "</span>") if inline else (f'<div style="{_layout_style(widget)}">', "</div>")
    )
    if isinstance(widget, widgets.HTML | widgets.HTMLMath):
        return f"{opening}{_UNSHOWN.sub('', widget.value)}{closing}" if widget.value else ""
    if isinstance(widget, widgets.Label):
        return f"{opening}{html.escape(widget.value)}{closing}"
    if isinstance(widget, widgets.Password):
        return _field(widget, "•" * 8 if widget.value else "", widget.placeholder)
    if isinstance(widget, widgets.Text):
        masked = "tut-code" in classes and widget.value
        return _field(widget, MASK if masked else widget.value, widget.placeholder)
    if isinstance(widget, widgets.IntText | widgets.BoundedIntText | widgets.FloatText):
        return _field(widget, str(widget.value))
    if isinstance(widget, widgets.Checkbox):
        return f"<div>{'☑' if widget.value else '☐'} {html.escape(widget.description)}</div>"
    if isinstance(widget, widgets.ToggleButtons):
        chosen = widget.get_state().get("index")
        labels = widget._options_labels
        buttons = "".join(_toggle(str(label), i == chosen) for i, label in enumerate(labels))
        return f"<div>{_description(widget)}{buttons}</div>"
    if isinstance(widget, widgets.RadioButtons):
        options = "".join(
            f"<div>{'◉' if label == widget.label else '○'} {html.escape(str(label))}</div>"
            for label in widget._options_labels
        )
        return f"<div>{_description(widget)}{options}</div>"
    if isinstance(widget, widgets.Dropdown):
        return _field(widget, str(widget.label or ""))
    if isinstance(widget, widgets.Button):
        return _button(widget)
    if isinstance(widget, widgets.IntProgress):
        return _bar(widget)
    if isinstance(widget, widgets.Box):
        return _box(widget)
    return ""  # Play and other invisible helpers


def picture_html(widget: widgets.Widget) -> str:
    """The whole picture: ``draw(widget)`` in a frame, with a line saying what it is."""
    note = html.escape(_(LIVE_NOTE))
    return (
        f'<div class="{PICTURE_CLASS}" style="font-family:system-ui,sans-serif;font-size:13px">'
        f"{draw(widget)}"
        f'<div style="color:{style.GREY};font-size:11px;margin-top:4px">'
        f"<i>{note}</i></div></div>"
    )


def picture_text(widget: widgets.Widget) -> str:
    """The picture as plain lines (what a front end without HTML shows)."""
    return style.to_text(draw(widget))


def with_picture(bundle: Any, widget: widgets.Widget, text: str | None = None) -> Any:
    """A widget's mime bundle with its picture beside the live view."""
    if isinstance(bundle, dict):
        bundle["text/html"] = picture_html(widget)
        bundle["text/plain"] = text if text is not None else picture_text(widget)
    return bundle


class Pictured:
    """Mixin for a widget class shown on its own: its output carries its picture."""

    def picture_plain(self) -> str | None:
        """The ``text/plain`` line (None: the picture's text)."""
        return None

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        return with_picture(bundle, self, self.picture_plain())  # type: ignore[arg-type]
