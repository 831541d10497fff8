"""A phone-shaped panel showing the virtual phone's authenticator app in a notebook.

The panel only shows things and forwards clicks; the work is done by ``Phone`` and the plain
functions here. Codes tick from the browser: a hidden ``Play`` widget counts seconds in the
front end, and each tick refreshes the codes. With no browser (a headless run), nothing ticks.
After the page is reloaded, ticking resumes on the next click in the panel (or its ↻ button).
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
from PIL import Image

from helpers.forms.picture import Pictured, draw_as
from helpers.i18n import _

from .errors import AuthenticatorError, PhoneLockedError
from .phone import Added, Phone, Reading, open_phone
from .qr import QrImage
from .totp import PERIOD, format_code

QrSource = QrImage | widgets.Image | Callable[[], Any]
CopyTarget = widgets.Text | Sequence[widgets.Text]

_STYLE = """<style>
.mfa-phone { background: #1c1c1e; border: 10px solid #1c1c1e; border-radius: 34px;
  padding: 6px 6px 14px 6px; width: 360px; box-shadow: 0 4px 14px rgba(0,0,0,.35); }
.mfa-phone .widget-html-content { color: #f2f2f7; }
.mfa-screen { background: #0b0b0d; border-radius: 20px; padding: 10px; min-height: 320px; }
.mfa-row { border-bottom: 1px solid #2c2c2e; padding-bottom: 6px; }
.mfa-code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 30px;
  letter-spacing: 2px; color: #7ee787; line-height: 1.1; }
</style>"""

_MASKED_CODE = "font-family:ui-monospace,monospace;font-size:26px;color:#7ee787"
_COLOURS = {"ok": "#7ee787", "warn": "#f2cc60", "error": "#ff7b72", "info": "#c9d1d9"}


def read_qr_source(source: QrSource | None) -> QrImage:
    """The QR image a source holds: PNG bytes, a PIL image, an ``ipywidgets.Image``,
    or a callable returning one of those."""
    if callable(source) and not isinstance(source, widgets.Widget):
        source = source()
    if isinstance(source, widgets.Image):
        source = source.value
    if source is None or (isinstance(source, bytes | bytearray | memoryview) and not source):
        raise AuthenticatorError(
            _(
                "There is no QR code on screen to scan: start setting up the virtual MFA device "
                "in the console first."
            )
        )
    if not isinstance(source, bytes | bytearray | memoryview | Image.Image):
        raise AuthenticatorError(
            _("Cannot scan a {kind}: the QR source must give PNG bytes or an image.").format(
                kind=type(source).__name__
            )
        )
    return source


def fill_first_empty(targets: CopyTarget, code: str) -> int:
    """Put ``code`` into the first empty Text widget of ``targets``; returns its index.

    Refuses (AuthenticatorError) when every box is filled, or when the code is already in one:
    AWS wants two *consecutive* codes, so the second must wait for the next code.
    """
    boxes = [targets] if isinstance(targets, widgets.Text) else list(targets)
    filled = ["".join(box.value.split()) for box in boxes]
    if code in filled:
        raise AuthenticatorError(
            _("That code is already in box {box}: wait for the next code, then copy again.").format(
                box=filled.index(code) + 1
            )
        )
    for index, value in enumerate(filled):
        if not value:
            boxes[index].value = code
            return index
    raise AuthenticatorError(_("Every code box is already filled: clear one to paste a new code."))


def _html(text: str, colour: str = "info", size: str = "13px", bold: bool = False) -> str:
    weight = "600" if bold else "400"
    return (
        f'<span style="color:{_COLOURS[colour]};font-size:{size};font-weight:{weight}">'
        f"{html.escape(text)}</span>"
    )


def _outcome(added: Added) -> tuple[str, str]:
    return added.message, "warn" if added.replaced else "ok"


class _AccountRow:
    """The widgets showing one account: name, big code, countdown, "Copy code"."""

    def __init__(self, reading: Reading, on_copy: Callable[[str, str], None]) -> None:
        self.key = (reading.issuer, reading.label)
        title = _html(reading.issuer or reading.label, bold=True, size="15px")
        subtitle = _html(reading.label, size="12px") if reading.issuer else ""
        self.name = widgets.HTML(f"{title}<br>{subtitle}")
        self.code = widgets.HTML()
        self.countdown = widgets.IntProgress(
            min=0, max=PERIOD, layout=widgets.Layout(width="200px", height="10px")
        )
        self.seconds = widgets.HTML()
        self.copy_button = widgets.Button(description=_("Copy code"), icon="copy")
        # Auto width, never narrower than English's: longer labels (Japanese) are not clipped.
        self.copy_button.layout.width, self.copy_button.layout.min_width = "auto", "110px"
        self.copy_button.on_click(lambda _: on_copy(*self.key))
        self.box = widgets.VBox(
            [
                self.name,
                widgets.HBox([self.code, self.copy_button], layout={"align_items": "center"}),
                widgets.HBox([self.countdown, self.seconds], layout={"align_items": "center"}),
            ]
        )
        self.box.add_class("mfa-row")
        # In the static picture: no code (it changes every 30 s and signs in), no countdown.
        draw_as(self.code, lambda: f'<div style="{_MASKED_CODE}">••• •••</div>')
        draw_as(self.countdown, str)
        draw_as(self.seconds, str)
        self.show(reading)

    def close(self) -> None:
        stack: list[widgets.Widget] = [self.box]
        while stack:
            widget = stack.pop()
            stack.extend(getattr(widget, "children", ()))
            widget.close()

    def show(self, reading: Reading) -> None:
        self.code.value = f'<div class="mfa-code">{format_code(reading.code)}</div>'
        self.countdown.value = reading.seconds_left
        self.countdown.bar_style = "danger" if reading.seconds_left <= 5 else "success"
        self.seconds.value = _html(
            _("{seconds} s").format(seconds=reading.seconds_left), size="12px"
        )


class PhonePanel(Pictured, widgets.VBox):
    """The virtual phone on screen: accounts with live codes, adding accounts, PIN lock.

    ``qr_source`` is where "Scan QR code" looks (PNG bytes, a PIL image, an ``ipywidgets.Image``
    or a callable). A "Copy code" click calls ``on_copy(code)`` and fills the first empty box of
    ``copy_target`` (a Text widget or a list of them). The setup key is never shown.
    """

    def __init__(
        self,
        phone: Phone | None = None,
        *,
        qr_source: QrSource | None = None,
        on_copy: Callable[[str], Any] | None = None,
        copy_target: CopyTarget | None = None,
    ) -> None:
        self.phone = phone if phone is not None else open_phone()
        self.qr_source = qr_source
        self.on_copy = on_copy
        self.copy_target = copy_target
        self._rows: dict[tuple[str, str], _AccountRow] | None = None  # None: not drawn yet

        self.message = widgets.HTML()
        self.accounts_box = widgets.VBox()
        self.scan_button = widgets.Button(
            description=_("Scan QR code"),
            icon="qrcode",
            layout={"width": "auto", "min_width": "130px"},
        )
        self.manual_button = widgets.Button(
            description=_("Enter key manually"),
            icon="keyboard",
            layout={"width": "auto", "min_width": "170px"},
        )
        self.scan_button.on_click(lambda _: self.scan_from())
        self.manual_button.on_click(lambda _: self._toggle_form())

        self.issuer_field = widgets.Text(placeholder=_("Issuer, e.g. Amazon Web Services"))
        self.label_field = widgets.Text(placeholder=_("Account name, e.g. alice@123456789012"))
        self.key_field = widgets.Password(placeholder=_("Setup key (hidden as you type)"))
        self.add_button = widgets.Button(description=_("Add account"), button_style="primary")
        self.add_button.on_click(lambda _: self._add_from_form())
        self.form = widgets.VBox(
            [self.issuer_field, self.label_field, self.key_field, self.add_button],
            layout={"display": "none"},
        )

        self.pin_field = widgets.Password(placeholder=_("New PIN"), layout={"width": "110px"})
        self.set_pin_button = widgets.Button(
            description=_("Set PIN"), layout={"width": "auto", "min_width": "80px"}
        )
        self.lock_button = widgets.Button(
            description=_("Lock"), icon="lock", layout={"width": "80px"}
        )
        self.set_pin_button.on_click(lambda _: self.set_pin(self.pin_field.value))
        self.lock_button.on_click(lambda _: self.lock())

        self.home = widgets.VBox(
            [
                self.accounts_box,
                widgets.HBox(
                    [self.scan_button, self.manual_button], layout={"flex_flow": "row wrap"}
                ),
                self.form,
                widgets.HBox([self.pin_field, self.set_pin_button, self.lock_button]),
            ]
        )
        self.unlock_field = widgets.Password(placeholder=_("PIN"), layout={"width": "120px"})
        self.unlock_button = widgets.Button(description=_("Unlock"), icon="unlock")
        self.unlock_button.on_click(lambda _: self.unlock(self.unlock_field.value))
        self.lock_screen = widgets.VBox(
            [
                widgets.HTML(
                    '<i class="fa fa-lock" style="color:#c9d1d9;font-size:22px"></i> '
                    + _html(_("Locked"), bold=True, size="22px")
                ),
                widgets.HTML(_html(_("Enter your PIN to see your codes."))),
                widgets.HBox([self.unlock_field, self.unlock_button]),
            ],
            layout={"align_items": "center", "padding": "60px 0"},
        )
        self.screen = widgets.VBox()
        self.screen.add_class("mfa-screen")

        # Ticks come from the browser; see the module docstring.
        self.ticker = widgets.Play(
            value=0, min=0, max=PERIOD, interval=1000, repeat=True, playing=True,
            show_repeat=False, layout={"display": "none"},
        )  # fmt: skip
        self.ticker.observe(lambda _: self._tick(), names="value")
        self._last_tick = 0.0

        title = widgets.HTML(
            _STYLE + _html(_("Authenticator"), bold=True, size="17px") + "<br>"
            + _html(_("virtual phone · codes refresh every 30 s"), size="11px")
        )  # fmt: skip
        self.refresh_button = widgets.Button(
            icon="refresh", tooltip=_("Refresh the codes"), layout={"width": "40px"}
        )
        self.refresh_button.on_click(lambda _: self._act(lambda: ("", "info")))
        header = widgets.HBox(
            [title, self.refresh_button], layout={"justify_content": "space-between"}
        )
        super().__init__([header, self.screen, self.message, self.ticker])
        self.add_class("mfa-phone")
        self.layout.flex = "0 0 auto"  # a phone keeps its width in a row of widgets
        self.refresh()
        # Displayed on its own or inside a box, the view exists soon after: start ticking then.
        self._nudge_ticker()

    def __repr__(self) -> str:
        return f"PhonePanel({self.phone!r})"

    def _nudge_ticker(self) -> None:
        # A Play widget created with playing=True shows "pause" but does not start its timer
        # (ipywidgets 8 starts it on a change of `playing`), so flip it once the view exists.
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for delay in (1.0, 3.0, 8.0):
            loop.call_later(delay, self._restart_stalled_ticker)

    def _tick(self) -> None:
        self._last_tick = time.monotonic()
        self.refresh()

    def _restart_stalled_ticker(self) -> None:
        if time.monotonic() - self._last_tick > 2.5:
            self.ticker.playing = False
            self.ticker.playing = True

    # --- what the screen shows --------------------------------------------------------------

    def show_message(self, text: str, kind: str = "info") -> str:
        """Show ``text`` under the screen (kind: ok, warn, error, info); returns it."""
        self.message.value = _html(text, kind)
        return text

    def refresh(self, now: float | None = None) -> None:
        """Redraw the screen: the lock screen, or every account's code and countdown."""
        try:
            readings = self.phone.read(now)
        except PhoneLockedError:
            self.screen.children = (self.lock_screen,)
            return
        except AuthenticatorError as error:
            self.screen.children = (self.home,)
            self.show_message(str(error), "error")
            return
        if self._rows is None or [(r.issuer, r.label) for r in readings] != list(self._rows):
            for row in (self._rows or {}).values():
                row.close()  # free the old widgets in the browser too
            self._rows = {(r.issuer, r.label): _AccountRow(r, self.copy_code) for r in readings}
            empty = widgets.HTML(_html(_("No accounts yet: scan a QR code to add one.")))
            rows = [row.box for row in self._rows.values()] or [empty]
            self.accounts_box.children = tuple(rows)
        for reading in readings:
            self._rows[(reading.issuer, reading.label)].show(reading)
        self.screen.children = (self.home,)

    def _act(self, action: Callable[[], tuple[str, str]]) -> tuple[str, bool]:
        """Run a button's action, show its message, redraw; returns (message, succeeded)."""
        # A click proves the panel is on screen: if it is not ticking (say the page was
        # reloaded), start the ticker again.
        self._restart_stalled_ticker()
        try:
            text, kind = action()
        except AuthenticatorError as error:
            text, kind = str(error), "error"
        self.refresh()
        self.show_message(text, kind)
        return text, kind != "error"

    # --- what the buttons do ----------------------------------------------------------------

    def scan_from(self, source: QrSource | None = None) -> str:
        """Scan the QR code in ``source`` (default: ``qr_source``) and add its account."""
        source = source if source is not None else self.qr_source
        return self._act(lambda: _outcome(self.phone.scan_qr(read_qr_source(source))))[0]

    def add_manually(self, issuer: str, label: str, key: str) -> str:
        """Add an account from a typed setup key; returns the message shown."""
        return self._act(lambda: _outcome(self.phone.enter_key(issuer, label, key)))[0]

    def _add_from_form(self) -> None:
        fields = self.issuer_field, self.label_field, self.key_field
        _text, ok = self._act(lambda: _outcome(self.phone.enter_key(*(f.value for f in fields))))
        if ok:
            for field in fields:
                field.value = ""  # the key is on the phone now; don't keep it on screen
            self.form.layout.display = "none"

    def _toggle_form(self) -> None:
        self.form.layout.display = None if self.form.layout.display == "none" else "none"

    def copy_code(self, issuer: str, label: str, now: float | None = None) -> str:
        """Copy an account's current code to ``on_copy`` and ``copy_target``."""

        def copy() -> tuple[str, str]:
            code = self.phone.find(f"{issuer}:{label}").code(now)
            if self.on_copy is not None:
                self.on_copy(code)
            if self.copy_target is not None:
                box = fill_first_empty(self.copy_target, code)
                return _("Copied {code} into code box {box}.").format(
                    code=format_code(code), box=box + 1
                ), "ok"
            return _("Code {code}: type it where the console asks for it.").format(
                code=format_code(code)
            ), "ok"

        return self._act(copy)[0]

    def set_pin(self, pin: str) -> str:
        """Set the phone's PIN from the panel."""

        def set_it() -> tuple[str, str]:
            self.phone.set_pin(pin)
            return _("PIN set. 'Lock' locks the phone; the PIN unlocks it."), "ok"

        text, _ok = self._act(set_it)
        self.pin_field.value = ""
        return text

    def lock(self) -> str:
        """Lock the phone."""

        def lock_it() -> tuple[str, str]:
            self.phone.lock()
            return _("Locked."), "info"

        return self._act(lock_it)[0]

    def unlock(self, pin: str) -> str:
        """Unlock the phone with its PIN."""

        def unlock_it() -> tuple[str, str]:
            self.phone.unlock(pin)
            return _("Unlocked."), "ok"

        text, _ok = self._act(unlock_it)
        self.unlock_field.value = ""
        return text
