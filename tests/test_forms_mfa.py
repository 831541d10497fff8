"""CodeEntry and qr_image: two consecutive codes, the phone's "Copy code", the QR code."""

from __future__ import annotations

import time

import ipywidgets as widgets
import pyotp

from helpers.forms import CodeEntry, qr_image
from helpers.iam import mfa, users

from .test_forms_support import Recorder, client_error, shown_text


def test_starts_empty_without_red_marks() -> None:
    entry = CodeEntry()
    assert entry.button.disabled
    assert entry.button.description == "Assign MFA"
    assert entry.check_text == ""
    assert [box.placeholder for box in entry.boxes] == ["6 digits", "6 digits"]
    assert all("tut-code" in box._dom_classes for box in entry.boxes)  # monospace
    assert "wait until the phone shows the next code" in shown_text(entry)


def test_codes_are_checked_as_typed() -> None:
    entry = CodeEntry()
    entry.boxes[0].value = "12345"
    assert "✗ Exactly 6 digits (this has 5 characters)." in entry.check_text
    entry.boxes[0].value = "12a456"
    assert "✗ Digits only." in entry.check_text
    entry.boxes[0].value = "123 456"  # as the phone shows it
    assert "✗" not in entry.check_text
    assert entry.button.disabled  # the second box is still empty
    entry.boxes[1].value = "123456"
    assert "two consecutive codes" in entry.check_text
    assert entry.button.disabled
    entry.boxes[1].value = "654321"
    assert not entry.button.disabled
    assert entry.codes == ("123456", "654321")


def test_fill_puts_codes_into_the_first_empty_box() -> None:
    entry = CodeEntry()
    assert entry.fill("111 111") == 0
    assert entry.fill("111111") is None
    assert "already in box 1" in entry.status_text
    assert entry.fill("222222") == 1
    assert entry.fill("333333") is None
    assert "Both boxes are filled" in entry.status_text
    assert entry.codes == ("111111", "222222")
    entry.clear()
    assert entry.codes == ("", "")
    assert entry.status_text == ""
    entry.boxes[1].value = "444444"
    assert entry.fill("555555") == 0


def test_click_sends_both_codes() -> None:
    action = Recorder("MFA device assigned.")
    entry = CodeEntry(action=action, labels=("Code 1", "Code 2"), button="Assign")
    assert [box.description for box in entry.boxes] == ["Code 1", "Code 2"]
    entry.fill("123456")
    entry.fill("654321")
    entry.button.click()
    assert action.calls == [("123456", "654321")]
    assert entry.status_text == "✓ MFA device assigned."
    assert entry.codes == ("", "")  # a code works once


def test_wrong_codes_show_the_friendly_box_and_stay() -> None:
    error = client_error(
        "InvalidAuthenticationCode", "Authentication code for device is not valid."
    )
    entry = CodeEntry(action=Recorder(error=error))
    entry.fill("123456")
    entry.fill("654321")
    assert entry.submit() is False
    assert "AWS refused: InvalidAuthenticationCode" in entry.status.value
    assert "the current one, then the next one" in entry.status_text
    assert entry.codes == ("123456", "654321")


def test_real_mfa_device_with_two_consecutive_codes(iam) -> None:
    users.create_user(iam, "alice")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    totp = pyotp.TOTP(device["Base32StringSeed"].decode())
    serial = device["SerialNumber"]
    entry = CodeEntry(action=lambda c1, c2: mfa.enable_mfa_device(iam, "alice", serial, c1, c2))
    entry.fill("000000")
    entry.fill("111111")
    assert entry.submit() is False
    assert "InvalidAuthenticationCode" in entry.status.value
    entry.clear()
    now = time.time()
    entry.fill(totp.at(now - 30))
    entry.fill(totp.at(now))
    assert entry.submit(), entry.status_text
    assert mfa.mfa_serials(iam, "alice") == [serial]


def test_qr_image_shows_the_png_but_never_the_key(iam) -> None:
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob")["VirtualMFADevice"]
    view = qr_image(device["QRCodePNG"], caption="Scan me")
    assert isinstance(view.image, widgets.Image)
    assert view.image.value == device["QRCodePNG"]
    assert view.image.format == "png"
    assert view.image.layout.width == "200px"
    text = shown_text(view)
    assert "Scan me" in text
    assert "phone.enter_key" in text
    assert device["Base32StringSeed"].decode() not in text
    assert not [w for w in view.children if isinstance(w, widgets.Button)]
