"""How the lessons lay widgets out: side by side at their own widths, the console's QR code
beside the phone, and a grey ℹ note as a form's answer."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from helpers.i18n import N_, _

from . import style
from .picture import Pictured
from .qr_view import qr_image

NO_DEVICE_WAITING = N_("No QR code: no new MFA device is waiting (see the cell above).")


class SideBySide(Pictured, widgets.HBox):
    """Widgets in a row (``side_by_side``); shown, it carries its picture."""


def side_by_side(*children: widgets.Widget, captions: tuple[str, ...] = ()) -> widgets.HBox:
    """Widgets next to each other at their own width (a QR code and a phone, two phones),
    each with an optional caption above it.

    A flex row would squeeze fixed-width children such as the phone, so each keeps its width.
    """
    columns = []
    for index, child in enumerate(children):
        child.layout.flex = "0 0 auto"
        caption = captions[index] if index < len(captions) else ""
        if caption:
            child = widgets.VBox([widgets.HTML(f"<b>{caption}</b>"), child])
            child.layout.flex = "0 0 auto"
        child.layout.margin = "0 24px 12px 0"
        columns.append(child)
    return SideBySide(
        columns, layout=widgets.Layout(align_items="flex-start", flex_flow="row wrap")
    )


def note(text: str) -> widgets.HTML:
    """A grey ℹ line as a form's answer (a plain string would show as a green ✓)."""
    return widgets.HTML(style.note(text))


def qr_or_note(device: dict | None, **kwargs: Any) -> widgets.VBox:
    """The device's QR code (``qr_image``), or a note when no device is waiting for codes.
    Either way the box has an ``.image`` (None for the note) for ``PhonePanel(qr_source=...)``."""
    if device is not None:
        return qr_image(device["QRCodePNG"], **kwargs)
    box = widgets.VBox([widgets.HTML(style.CSS), note(_(NO_DEVICE_WAITING))])
    box.add_class("tut-form")
    box.image = None
    return box


def screen_and_phone(qr: widgets.VBox, panel: widgets.Widget) -> widgets.HBox:
    """The console's QR code on the left, the phone on the right, neither squeezed."""
    qr.layout.width = "420px"
    return side_by_side(qr, panel)
