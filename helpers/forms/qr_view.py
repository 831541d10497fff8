"""The QR code of a new virtual MFA device, as the console shows it.

There is no "Show secret key" here: the setup key is a secret (whoever has it can make the
codes), so this tutorial never prints it. A phone that can't scan takes the key by hand from
Python, where it is never displayed.
"""

from __future__ import annotations

import ipywidgets as widgets

from helpers.i18n import N_, _

from . import style

CAPTION = N_("Scan this QR code with the phone's authenticator app (+ Add account → Scan QR code).")
CANT_SCAN = N_(
    "Can't scan? On a real phone you would type the setup key by hand. Here, give it to the "
    "phone without printing it: phone.enter_key(issuer, label, key). The key stays a secret, "
    "so it is not shown."
)


def qr_image(png: bytes, caption: str = CAPTION, width: int = 200) -> widgets.VBox:
    """The QR code PNG (``QRCodePNG``) at ``width`` pixels, its caption and the can't-scan note.
    The image widget is the box's ``.image``. ``caption`` is translated when it has an entry
    (mark a constant caption with ``N_()``)."""
    image = widgets.Image(
        value=bytes(png), format="png", layout=widgets.Layout(width=f"{width}px", height="auto")
    )
    image.add_class("tut-qr")
    box = widgets.VBox(
        [
            widgets.HTML(style.CSS),
            image,
            widgets.HTML(style.note(_(caption))),
            widgets.HTML(style.small(_(CANT_SCAN))),
        ],
        layout=widgets.Layout(padding="4px 0"),
    )
    box.add_class("tut-form")
    box.image = image
    return box
