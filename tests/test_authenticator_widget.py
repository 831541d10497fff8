"""The phone panel: buttons driven with .click(), and no secret ever reaches the screen."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as widgets
import pyotp
import pytest
import qrcode

from helpers.authenticator import (
    AuthenticatorError,
    PhonePanel,
    fill_first_empty,
    format_code,
    open_phone,
    read_qr_source,
)

ISSUER = "Amazon Web Services"
LABEL = "root-account-mfa-device@123456789012"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
OTHER_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
PIN = "918273"
T = 1_700_000_000


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(text).save(buffer, format="PNG")
    return buffer.getvalue()


def aws_png(secret: str = SECRET) -> bytes:
    issuer = "Amazon%20Web%20Services"
    return qr_png(f"otpauth://totp/{issuer}:{LABEL}?secret={secret}&issuer={issuer}")


@pytest.fixture(autouse=True)
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv("TUTORIAL_STATE_DIR", str(folder))
    return folder


def walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def screen_text(panel: PhonePanel) -> str:
    """Everything the panel sends to the browser, as one string."""
    return "\n".join(str(w.get_state()) for w in walk(panel))


def shown(panel: PhonePanel, widget: widgets.Widget) -> bool:
    return any(w is widget for w in walk(panel.screen))


def find_button(panel: PhonePanel, description: str) -> widgets.Button:
    [button] = [w for w in walk(panel) if getattr(w, "description", None) == description]
    return button


def assert_no_secrets(panel: PhonePanel) -> None:
    text = screen_text(panel) + repr(panel)
    for secret in (SECRET, OTHER_SECRET):
        for variant in (secret, secret.lower(), secret[:8], secret[4:12]):
            assert variant not in text
    assert PIN not in text


def test_panel_shows_each_account_with_its_code_and_countdown() -> None:
    phone = open_phone()
    phone.enter_key(ISSUER, LABEL, SECRET)
    panel = PhonePanel(phone)
    panel.refresh(now=T)
    text = screen_text(panel)
    assert format_code(pyotp.TOTP(SECRET).at(T)) in text
    assert ISSUER in text and LABEL in text
    [progress] = [w for w in walk(panel) if isinstance(w, widgets.IntProgress)]
    assert (progress.value, progress.max) == (10, 30)  # T is 20 s into its 30 s step
    assert "10 s" in text
    panel.refresh(now=T + 30)
    assert format_code(pyotp.TOTP(SECRET).at(T + 30)) in screen_text(panel)
    assert_no_secrets(panel)


def test_empty_phone_invites_a_scan() -> None:
    assert "No accounts yet" in screen_text(PhonePanel(open_phone()))


@pytest.mark.parametrize("kind", ["bytes", "callable", "image widget"])
def test_scan_button_reads_the_qr_on_screen(kind: str) -> None:
    png = aws_png()
    source = {"bytes": png, "callable": lambda: png, "image widget": widgets.Image(value=png)}
    panel = PhonePanel(open_phone(), qr_source=source[kind])
    panel.scan_button.click()
    assert f"Added {ISSUER} ({LABEL})." in panel.message.value
    assert open_phone().code(now=T) == pyotp.TOTP(SECRET).at(T)
    assert len(panel._rows) == 1
    assert_no_secrets(panel)


def test_scan_again_says_replaced() -> None:
    panel = PhonePanel(open_phone(), qr_source=aws_png(OTHER_SECRET))
    panel.scan_button.click()
    panel.qr_source = aws_png(SECRET)  # after a sandbox reset the console shows a new code
    panel.scan_button.click()
    assert "Replaced the existing entry" in panel.message.value
    assert open_phone().code(now=T) == pyotp.TOTP(SECRET).at(T)
    assert len(panel._rows) == 1


def test_scan_from_an_explicit_source() -> None:
    panel = PhonePanel(open_phone())
    assert panel.scan_from(aws_png()).startswith("Added")


@pytest.mark.parametrize(
    ("source", "hint"),
    [
        (None, "no QR code on screen"),
        (b"", "no QR code on screen"),
        (b"not a png", "not an image"),
        (qr_png("https://aws.amazon.com/"), "not an authenticator setup code"),
    ],
)
def test_scan_problems_show_in_the_panel(source: bytes | None, hint: str) -> None:
    panel = PhonePanel(open_phone(), qr_source=source)
    panel.scan_button.click()
    assert hint in panel.message.value
    assert open_phone().accounts() == []


def test_manual_entry_form() -> None:
    panel = PhonePanel(open_phone())
    assert panel.form.layout.display == "none"
    panel.manual_button.click()
    assert panel.form.layout.display != "none"
    assert isinstance(panel.key_field, widgets.Password)
    panel.issuer_field.value = "GitHub"
    panel.label_field.value = "alice"
    panel.key_field.value = " ".join(OTHER_SECRET[i : i + 4] for i in range(0, 32, 4)).lower()
    panel.add_button.click()
    assert "Added GitHub (alice)." in panel.message.value
    assert open_phone().code("GitHub", now=T) == pyotp.TOTP(OTHER_SECRET).at(T)
    assert panel.key_field.value == ""
    assert panel.form.layout.display == "none"
    assert_no_secrets(panel)


def test_manual_entry_with_a_bad_key() -> None:
    panel = PhonePanel(open_phone())
    panel.manual_button.click()
    panel.issuer_field.value, panel.label_field.value = "GitHub", "alice"
    panel.key_field.value = "0OI1-not-a-key"
    panel.add_button.click()
    assert "base32" in panel.message.value
    assert "0OI1" not in panel.message.value
    assert open_phone().accounts() == []
    assert panel.form.layout.display != "none"  # still open, to try again


def test_copy_code_fills_the_first_empty_box() -> None:
    phone = open_phone()
    phone.enter_key(ISSUER, LABEL, SECRET)
    boxes = [widgets.Text(), widgets.Text()]
    copied: list[str] = []
    panel = PhonePanel(phone, copy_target=boxes, on_copy=copied.append)
    first, second = pyotp.TOTP(SECRET).at(T), pyotp.TOTP(SECRET).at(T + 30)

    assert "into code box 1" in panel.copy_code(ISSUER, LABEL, now=T)
    assert "already in box 1" in panel.copy_code(ISSUER, LABEL, now=T + 1)
    assert "into code box 2" in panel.copy_code(ISSUER, LABEL, now=T + 30)
    assert [box.value for box in boxes] == [first, second]
    assert copied == [first, first, second]
    assert "already filled" in panel.copy_code(ISSUER, LABEL, now=T + 60)


def test_copy_button_click() -> None:
    phone = open_phone()
    phone.enter_key(ISSUER, LABEL, SECRET)
    box = widgets.Text()
    panel = PhonePanel(phone, copy_target=box)
    totp = pyotp.TOTP(SECRET)
    before = totp.now()
    find_button(panel, "Copy code").click()
    assert box.value in {before, totp.now()}
    assert "Copied" in panel.message.value


def test_copy_without_a_target_shows_the_code() -> None:
    phone = open_phone()
    phone.enter_key(ISSUER, LABEL, SECRET)
    text = PhonePanel(phone).copy_code(ISSUER, LABEL, now=T)
    assert format_code(pyotp.TOTP(SECRET).at(T)) in text


def test_fill_first_empty_on_its_own() -> None:
    boxes = [widgets.Text(value="123 456"), widgets.Text()]
    assert fill_first_empty(boxes, "654321") == 1
    with pytest.raises(AuthenticatorError, match="already in box 1"):
        fill_first_empty([widgets.Text(value="123 456"), widgets.Text()], "123456")
    with pytest.raises(AuthenticatorError, match="already filled"):
        fill_first_empty(widgets.Text(value="111111"), "222222")


def test_read_qr_source() -> None:
    png = aws_png()
    assert read_qr_source(png) is png
    assert read_qr_source(lambda: widgets.Image(value=png)) == png
    with pytest.raises(AuthenticatorError, match="PNG bytes or an image"):
        read_qr_source("a path?")  # type: ignore[arg-type]


def test_pin_lock_and_unlock_with_buttons() -> None:
    phone = open_phone()
    phone.enter_key(ISSUER, LABEL, SECRET)
    panel = PhonePanel(phone)
    panel.pin_field.value = "12"
    panel.set_pin_button.click()
    assert "4 to 8 digits" in panel.message.value
    panel.pin_field.value = PIN
    panel.set_pin_button.click()
    assert "PIN set" in panel.message.value and panel.pin_field.value == ""

    panel.lock_button.click()
    assert phone.is_locked and shown(panel, panel.lock_screen)
    assert not shown(panel, panel.home)
    assert format_code(pyotp.TOTP(SECRET).now()) not in screen_text(panel)

    panel.unlock_field.value = "000000"
    panel.unlock_button.click()
    assert "Wrong PIN" in panel.message.value
    assert phone.is_locked and shown(panel, panel.lock_screen)

    panel.unlock_field.value = PIN
    panel.unlock_button.click()
    assert not phone.is_locked and shown(panel, panel.home)
    assert panel.unlock_field.value == ""
    assert_no_secrets(panel)


def test_lock_without_pin_is_explained() -> None:
    panel = PhonePanel(open_phone())
    panel.lock_button.click()
    assert "Set a PIN first" in panel.message.value


def test_ticks_from_the_front_end_refresh_the_screen() -> None:
    panel = PhonePanel(open_phone())
    ticker = panel.ticker
    assert isinstance(ticker, widgets.Play)
    assert (ticker.interval, ticker.repeat, ticker.playing) == (1000, True, True)
    assert ticker.layout.display == "none"
    open_phone().enter_key(ISSUER, LABEL, SECRET)  # e.g. from another kernel
    assert LABEL not in screen_text(panel)
    ticker.value += 1  # what the browser does every second
    assert LABEL in screen_text(panel)
    open_phone().set_pin(PIN)
    open_phone().lock()
    ticker.value += 1
    assert shown(panel, panel.lock_screen)


def test_panel_repr_hides_secrets() -> None:
    phone = open_phone()
    phone.enter_key(ISSUER, LABEL, SECRET)
    panel = PhonePanel(phone)
    assert SECRET not in repr(panel) and SECRET[:8] not in repr(panel)
    assert_no_secrets(panel)


def test_making_the_panel_schedules_the_ticker_start(monkeypatch: pytest.MonkeyPatch) -> None:
    # ipywidgets' Play only starts its browser timer when `playing` changes after the view
    # exists, so a new panel flips it a few times shortly afterwards, whether it is displayed
    # on its own or inside another box.
    calls: list[tuple[float, object]] = []

    async def make() -> PhonePanel:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(loop, "call_later", lambda delay, fn: calls.append((delay, fn)))
        return PhonePanel(open_phone())

    made: list[PhonePanel] = []
    # A thread of its own: another test's tool (Playwright) may already run a loop in this one.
    worker = threading.Thread(target=lambda: made.append(asyncio.run(make())))
    worker.start()
    worker.join()
    panel = made[0]
    assert calls and all(fn == panel._restart_stalled_ticker for _, fn in calls)
    assert panel.layout.flex == "0 0 auto"
    scheduled = len(calls)
    quiet = PhonePanel(open_phone())  # no event loop here: nothing scheduled, no error
    assert len(calls) == scheduled and quiet.layout.flex == "0 0 auto"


def test_a_click_restarts_a_stalled_ticker() -> None:
    panel = PhonePanel(open_phone())
    changes: list[bool] = []
    panel.ticker.observe(lambda change: changes.append(change.new), names="playing")
    panel.refresh_button.click()
    assert changes == [False, True]
    panel.ticker.value += 1  # ticking again: the next click leaves the ticker alone
    panel.refresh_button.click()
    assert changes == [False, True]
