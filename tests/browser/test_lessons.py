"""The lessons in a real browser, as a learner goes through them: cell by cell (Shift+Enter) up
to a widget, then typing and clicking in it (02: the QR code, the phone and the two MFA codes;
03: the user name form); and every notebook in order on a new account, Run All in each, then
Kernel → Shut Down Kernel and its "Next:" link to the next one, ending at "Security status 5/5".

Each test starts from a new sandbox account and no virtual phone (it lives in the Lab's state
folder). The second MFA code is computed from the phone's file instead of waiting up to 30 s.

Screenshots land in test-artifacts/screenshots/ (QR codes covered: they hold the secret key).
With ``TUTORIAL_DOCS_SCREENSHOTS=1`` the three cropped ones are also copied to docs/screenshots/.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import boto3
import pytest
from playwright.sync_api import Locator, Page, expect

from helpers.authenticator import Account, AuthenticatorError, decode_qr, forget_phone, open_phone
from helpers.sandbox.constants import REGION
from helpers.sandbox.credentials import root_credentials
from helpers.sandbox.state import read_state
from tests.browser.lab import (
    LabServer,
    Notebook,
    button,
    cell,
    cell_index,
    click_button,
    element_screenshot,
    follow_link,
    image_natural_width,
    open_notebook,
    output_text,
    poll,
    publish_screenshot,
    read_text,
    reset_sandbox,
    run_all_cells,
    run_cells_until,
    screenshot,
    shut_down_kernel,
    text_input,
    tracebacks,
)

LESSONS = [
    "00_start_here.ipynb",
    "01_virtual_phone.ipynb",
    "02_root_mfa.ipynb",
    "03_iam_user.ipynb",
    "04_groups.ipynb",
    "05_password_policy.ipynb",
    "06_sign_in_link.ipynb",
    "07_wrap_up.ipynb",
]
QR_CAPTION = "QR code blurred: it holds the secret key"
GROUPED_CODE = re.compile(r"\b(\d{3}) (\d{3})\b")  # the phone shows "123 456"
WRONG_PAIRS = [("000000", "111111"), ("222222", "333333"), ("444444", "555555")]


def fresh_account(lab: LabServer) -> None:
    """A new sandbox account and no virtual phone (nor its backup): lesson 01 starts afresh."""
    reset_sandbox(lab)
    forget_phone(lab.state_dir / "phone.json", backup=True)


def sandbox_iam(lab: LabServer):
    """An IAM client of the Lab's sandbox, signed as root (its console session)."""
    state = read_state(lab.state_dir)
    assert state is not None, f"no sandbox state file in {lab.state_dir}"
    return boto3.client(
        "iam",
        endpoint_url=state.endpoint,
        region_name=REGION,
        aws_access_key_id=root_credentials(Path(lab.state_dir)).access_key_id,
        aws_secret_access_key=root_credentials(Path(lab.state_dir)).secret_access_key,
    )


def wait_for_text(locator: Locator, text: str, timeout_s: float = 30.0) -> str:
    """Wait until ``locator``'s text (whitespace collapsed) holds ``text``; that text."""

    seen = ""

    def shown() -> str | None:
        nonlocal seen
        seen = read_text(locator)
        return seen if text in seen else None

    try:
        return poll(shown, timeout_s, repr(text))
    except AssertionError as error:
        raise AssertionError(f"{error}; the element shows: {seen!r}") from None


def codes_around(account: Account, steps: int = 3) -> set[str]:
    """The account's codes from ``steps`` 30-s steps before now to ``steps`` after."""
    now = time.time()
    return {account.code(now + 30 * step) for step in range(-steps, steps + 1)}


def next_code(account: Account, code: str) -> str:
    """The code the phone shows after ``code`` (what a learner would wait up to 30 s for)."""
    now = time.time()
    for step in (0, -1, 1, -2):
        if account.code(now + 30 * step) == code:
            return account.code(now + 30 * (step + 1))
    raise AssertionError(f"{code} is not a recent code of the phone's account")


def wait_for_fresh_code_period(min_seconds_left: int = 8) -> None:
    """Poll until the phone's codes have at least ``min_seconds_left`` before they change, so
    two clicks on "Copy code" read the same code (at most a few seconds, checked every 0.2 s)."""
    poll(
        lambda: 30 - int(time.time()) % 30 >= min_seconds_left,
        min_seconds_left + 2,
        "a new 30-second code period",
        interval_s=0.2,
    )


# --- 02: root MFA ----------------------------------------------------------------------------


def test_02_root_mfa_qr_phone_and_two_codes(page: Page, lab: LabServer) -> None:
    fresh_account(lab)
    notebook = open_notebook(page, lab, "02_root_mfa.ipynb")
    # Cell by cell, up to the code entry; Run All would turn MFA on before the learner types.
    entry_cell = run_cells_until(notebook, "display(entry, checklist)")
    assert tracebacks(notebook) == []
    assert not sandbox_iam(lab).get_account_summary()["SummaryMap"]["AccountMFAEnabled"]

    qr = notebook.panel.locator("img.tut-qr")
    phone_panel = notebook.panel.locator(".mfa-phone")
    assert image_natural_width(qr) > 0  # the browser decoded the PNG
    # What the page shows is a real QR code: a photo of it holds the device's setup URI.
    assert decode_qr(qr.screenshot()).startswith("otpauth://totp/")
    box1, box2 = text_input(notebook, "MFA code 1"), text_input(notebook, "MFA code 2")
    assert box1.is_visible() and box2.is_visible()
    assert "No accounts yet" in read_text(phone_panel)

    # The phone scans the QR code on screen and shows a 6-digit code.
    click_button(notebook, "Scan QR code")
    code_element = phone_panel.locator(".mfa-code").first
    shown = poll(lambda: GROUPED_CODE.search(read_text(code_element)), 15, "a code on the phone")
    account = open_phone(lab.state_dir / "phone.json").find()
    assert account.issuer == "Amazon Web Services"
    assert "".join(shown.groups()) in codes_around(account, steps=1)
    screen = phone_panel.locator("xpath=..")  # the QR code and the phone side by side
    screen.scroll_into_view_if_needed()
    screenshot(page, "02-qr-and-phone", mask=(qr,))
    shot = element_screenshot(screen, "02-qr-and-phone-widget", blur=(qr,), caption=QR_CAPTION)
    with pytest.raises(AuthenticatorError):
        decode_qr(shot.read_bytes())  # blurred beyond reading
    publish_screenshot(shot, "qr-and-phone.png")

    entry_outputs = entry_cell.locator(".jp-Cell-outputArea")
    assert "Security status 1/5" in read_text(entry_outputs)

    # Two wrong codes (checked not to be real ones by chance): AWS refuses them.
    recent = codes_around(account)
    wrong1, wrong2 = next(pair for pair in WRONG_PAIRS if not recent & set(pair))
    box1.fill(wrong1)
    box2.fill(wrong2)
    click_button(notebook, "Assign MFA")
    refusal = wait_for_text(entry_outputs, "InvalidAuthenticationCode")
    assert "Traceback" not in refusal
    assert "Security status 1/5" in refusal
    assert not sandbox_iam(lab).get_account_summary()["SummaryMap"]["AccountMFAEnabled"]
    element_screenshot(entry_outputs, "02-wrong-codes-widget")

    # Clear; "Copy code" puts the phone's code in box 1 and will not paste the same code twice;
    # box 2 gets the next code (computed from the phone instead of waiting for it).
    click_button(notebook, "Clear")
    poll(lambda: box1.input_value() == box2.input_value() == "", 10, "Clear to empty the boxes")
    wait_for_fresh_code_period()
    copy = phone_panel.locator("button.jupyter-button", has_text="Copy code")
    copy.click()
    code1 = poll(box1.input_value, 10, "the copied code in box 1")
    assert code1 == "".join(GROUPED_CODE.search(read_text(code_element)).groups())
    copy.click()
    wait_for_text(phone_panel, "already in box 1: wait for the next code")
    assert box2.input_value() == ""
    box2.fill(next_code(account, code1))
    click_button(notebook, "Assign MFA")

    wait_for_text(entry_outputs, "MFA is on for root")
    wait_for_text(entry_outputs, "Security status 2/5")
    root_line = entry_outputs.locator(".widget-hbox").filter(
        has=page.locator("button", has_text="Activate MFA on your root account")
    )
    expect(root_line.locator('b[title="PASS"]')).to_have_count(1)  # ✓, was ✗
    # A code works once: the boxes are emptied for the next device.
    poll(lambda: box1.input_value() == box2.input_value() == "", 10, "the boxes to be emptied")
    assert sandbox_iam(lab).get_account_summary()["SummaryMap"]["AccountMFAEnabled"] == 1
    assert tracebacks(notebook) == []

    entry_outputs.scroll_into_view_if_needed()
    screenshot(page, "02-code-entry", mask=(qr,))
    publish_screenshot(element_screenshot(entry_outputs, "02-code-entry-widget"), "code-entry.png")


# --- 03: the IAM user ------------------------------------------------------------------------


def test_03_user_name_form_checks_and_creates(page: Page, lab: LabServer) -> None:
    fresh_account(lab)
    notebook = open_notebook(page, lab, "03_iam_user.ipynb")
    form_cell = run_cells_until(notebook, "user_form = lesson_03.user_form(aws)")
    assert tracebacks(notebook) == []
    form = form_cell.locator(".jp-Cell-outputArea")
    name_box = text_input(notebook, "User name")
    create = button(notebook, "Create user")
    expect(name_box).to_have_value("alice")
    expect(create).to_be_enabled()

    name_box.fill("alice smith")
    wait_for_text(form, "not: space")
    expect(create).to_be_disabled()

    name_box.fill("a" * 65)
    wait_for_text(form, "at most 64 characters (this one has 65)")
    expect(create).to_be_disabled()

    name_box.fill("bob")
    wait_for_text(form, "'bob' is a valid user name.")
    expect(create).to_be_enabled()
    create.click()
    wait_for_text(form, "Created the user bob.")
    assert tracebacks(notebook) == []
    user = sandbox_iam(lab).get_user(UserName="bob")["User"]
    assert user["Arn"].endswith(":user/bob")
    # Still on screen, the form now knows bob exists (a second click keeps it as it is).
    wait_for_text(form, "'bob' already exists")
    screenshot(page, "03-user-form")


# --- every lesson, in order ------------------------------------------------------------------


def test_all_lessons_in_order_run_all_to_five_of_five(page: Page, lab: LabServer) -> None:
    fresh_account(lab)
    notebook = open_notebook(page, lab, LESSONS[0])
    for following in [*LESSONS[1:], None]:
        run_all_cells(notebook, timeout_s=180)
        assert tracebacks(notebook) == [], f"{notebook.name}: {tracebacks(notebook)}"
        if following is not None:
            shut_down_kernel(notebook)  # done with it: Kernel → Shut Down Kernel
            notebook = follow_link(notebook, following)  # its "**Next:**" link, a new tab

    assert "Security status 5/5" in output_text(notebook)
    checklist = wrap_up_checklist(notebook)
    assert "Security status 5/5" in read_text(checklist)
    assert checklist.locator(".widget-hprogress").count() == 1
    assert checklist.locator('b[title="PASS"]').count() == 5
    checklist.scroll_into_view_if_needed()
    screenshot(page, "07-checklist")
    publish_screenshot(element_screenshot(checklist, "07-checklist-widget"), "checklist.png")


def wrap_up_checklist(notebook: Notebook) -> Locator:
    """The first checklist of 07_wrap_up (the console's five items), as a widget."""
    index = cell_index(notebook, "helpers.checklist(aws)")
    output = cell(notebook, index).locator(".jp-OutputArea-output .jupyter-widgets").first
    assert output.is_visible(), "the checklist of 07_wrap_up is not rendered as a widget"
    return output
