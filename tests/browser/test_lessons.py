"""The lessons in a real browser, as a learner goes through them: cell by cell (Shift+Enter) up
to a widget, then typing and clicking in it (01: the phone's PIN, lock and backup, restored on a
new phone; 02: the QR code, the phone and the two MFA codes; 03: the user name form; 05: the
password policy form and a weak password refused; 06: signing in as alice with a code copied
from the phone, and a wrong code refused); and every notebook in order on a new account, Run
All in each, then Kernel → Shut Down Kernel and its "Next:" link to the next one, checking the
score after each lesson and ending at "Security status 5/5".

An AWS refusal shows as a friendly box, not a traceback; a form shows a caught exception as a
red line. Both fail a test, except the boxes a lesson shows on purpose (``EXPECTED_BOXES``).

Each test starts from a new sandbox account and no virtual phone (it lives in the Lab's state
folder). The second MFA code is computed from the phone's file instead of waiting up to 30 s.

Screenshots land in test-artifacts/screenshots/ (QR codes covered: they hold the secret key).
With ``TUTORIAL_DOCS_SCREENSHOTS=1`` the three cropped ones are also copied to docs/screenshots/.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import boto3
import pytest
from playwright.sync_api import Locator, Page, expect

from helpers import defaults
from helpers.authenticator import (
    Account,
    AuthenticatorError,
    Phone,
    decode_qr,
    forget_phone,
    open_phone,
    restore,
)
from helpers.exercises import lesson_05 as exercise_05
from helpers.forms.policy_form import CLASS_TICKS
from helpers.sandbox.constants import REGION
from helpers.sandbox.credentials import root_credentials
from helpers.sandbox.state import read_state
from tests.browser.lab import (
    LabServer,
    Notebook,
    button,
    cell,
    cell_index,
    cells,
    click_button,
    element_screenshot,
    error_boxes,
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
SCORE = re.compile(r"Security status (\d)/5")
# What the checklist shows after each lesson on a new account (the console's five items).
SCORE_AFTER = {
    "00_start_here.ipynb": 1,
    "01_virtual_phone.ipynb": 1,
    "02_root_mfa.ipynb": 2,
    "03_iam_user.ipynb": 3,
    "04_groups.ipynb": 4,
    "05_password_policy.ipynb": 5,
    "06_sign_in_link.ipynb": 5,
    "07_wrap_up.ipynb": 5,
}
# The friendly error boxes a lesson shows on purpose: (text of the cell's source, AWS's error
# code in the box). Any other box, or any exception a form caught, fails the tests.
EXPECTED_BOXES = {
    "02_root_mfa.ipynb": [
        ('enable_root_mfa(device["SerialNumber"], "123456", "654321")', "InvalidAuthenticationCode")
    ],
    "03_iam_user.ipynb": [('AuthenticationCode1="123456",', "InvalidAuthenticationCode")],
    "04_groups.ipynb": [('bob.iam.create_user(UserName="carol")', "AccessDenied")],
    "05_password_policy.ipynb": [
        ('update_login_profile(UserName=USER, Password="Summer2024!")', "PasswordPolicyViolation")
    ],
    "06_sign_in_link.ipynb": [
        ("TokenCode=lesson_06.wrong_code(phone, entry)", "AccessDenied"),
        ('alice_key_only = helpers.sign_in_as("alice", mfa=False)', "AccessDenied"),
        ('bob_key_only = helpers.sign_in_as("bob", mfa=False)', "AccessDenied"),
    ],
}


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


def cell_sources(lab: LabServer, name: str) -> list[str]:
    """The source of every cell of notebook ``name`` in the Lab's folder, by index."""
    cells = json.loads((lab.notebook_dir / name).read_text())["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]


def unexpected_boxes(
    lab: LabServer, notebook: Notebook, also: tuple[tuple[str, str], ...] = ()
) -> list[str]:
    """The error boxes and caught exceptions on show that the lesson does not show on purpose
    (``EXPECTED_BOXES``, and ``also``: those a test provokes): "cell N: text" for each."""
    sources = cell_sources(lab, notebook.name)
    allowed = [*EXPECTED_BOXES.get(notebook.name, []), *also]
    return [
        f"cell {box['cell']}: {box['text']}"
        for box in error_boxes(notebook)
        if box["kind"] == "exception"
        or not any(
            snippet in sources[box["cell"]] and box["text"].startswith(f"AWS refused: {code} ")
            for snippet, code in allowed
        )
    ]


def missing_boxes(lab: LabServer, notebook: Notebook) -> list[str]:
    """The lesson's expected boxes (``EXPECTED_BOXES``) missing from the page."""
    sources = cell_sources(lab, notebook.name)
    shown = error_boxes(notebook)
    return [
        f"{code} in the cell with {snippet!r}"
        for snippet, code in EXPECTED_BOXES.get(notebook.name, [])
        if not any(
            snippet in sources[box["cell"]] and box["text"].startswith(f"AWS refused: {code} ")
            for box in shown
        )
    ]


def scores(notebook: Notebook) -> set[int]:
    """Every "Security status N/5" the notebook's outputs show."""
    return {int(found) for found in SCORE.findall(output_text(notebook))}


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


# --- 01: the phone's PIN and backup -----------------------------------------------------------

MY_PIN = "8642"  # not the practice PIN: the lesson must use what the learner typed
MY_BACKUP_PASSWORD = "river phone spare key"
SETUP_CELL = "setup = lesson_01.PhoneSetupForm(phone)"
PHONES_CELL = "layout.side_by_side("


def test_01_phone_pin_lock_backup_and_restore(page: Page, lab: LabServer, tmp_path: Path) -> None:
    fresh_account(lab)
    notebook = open_notebook(page, lab, "01_virtual_phone.ipynb")
    form_cell = run_cells_until(notebook, SETUP_CELL)
    assert tracebacks(notebook) == []
    panel = cell(notebook, cell_index(notebook, "PhonePanel(phone)")).locator(".mfa-phone")
    wait_for_text(panel, "No accounts yet")
    phone_file = lab.state_dir / "phone.json"
    assert not open_phone(phone_file).has_pin

    # The phone's own PIN box; then Lock, a wrong PIN refused, the right one.
    panel.get_by_placeholder("New PIN", exact=True).fill(MY_PIN)
    panel.locator("button", has_text="Set PIN").click()
    wait_for_text(panel, "PIN set.")
    assert open_phone(phone_file).has_pin
    panel.locator("button", has_text="Lock").click()
    wait_for_text(panel, "Enter your PIN to see your codes.")
    assert open_phone(phone_file).is_locked
    unlock_box = panel.get_by_placeholder("PIN", exact=True)
    unlock_box.fill("1111")
    panel.locator("button", has_text="Unlock").click()
    wait_for_text(panel, "Wrong PIN: the phone stays locked.")
    assert open_phone(phone_file).is_locked
    unlock_box.fill(MY_PIN)
    panel.locator("button", has_text="Unlock").click()
    wait_for_text(panel, "Unlocked.")
    assert not open_phone(phone_file).is_locked

    # The set-up form: the same PIN (kept) and a backup password of the learner's.
    form = form_cell.locator(".jp-Cell-outputArea")
    form.get_by_label("PIN", exact=True).fill(MY_PIN)
    form.get_by_label("Backup password", exact=True).fill("short")
    wait_for_text(form, "At least 8 characters (this one has 5).")
    expect(button(notebook, "Set PIN and turn on backups")).to_be_disabled()
    form.get_by_label("Backup password", exact=True).fill(MY_BACKUP_PASSWORD)
    click_button(notebook, "Set PIN and turn on backups")
    wait_for_text(form, "The phone already has this PIN: nothing to do.")
    wait_for_text(form, "Turned on encrypted backups")
    phone = open_phone(phone_file)
    assert phone.backups_enabled and phone.backup_path.is_file()
    screenshot(page, "01-phone-and-setup")

    # The rest of the lesson, cell by cell: it uses what is in the boxes. Up to the two phones
    # side by side: the restored one shows the same practice code as the old one.
    phones_cell = run_cells_until(notebook, PHONES_CELL, start=cell_index(notebook, SETUP_CELL) + 1)
    phones = phones_cell.locator(".mfa-phone")
    expect(phones).to_have_count(2)
    poll(
        lambda: (
            "Practice" in read_text(phones.nth(1))
            and read_text(phones.nth(0).locator(".mfa-code"))
            == read_text(phones.nth(1).locator(".mfa-code"))
        ),
        15,
        "the same practice code on both phones",
    )
    element_screenshot(phones_cell.locator(".jp-Cell-outputArea"), "01-old-and-restored-phone")
    last, after_phones = cells(notebook).count() - 1, cell_index(notebook, PHONES_CELL) + 1
    run_cells_until(notebook, last, start=after_phones)
    assert tracebacks(notebook) == []
    assert unexpected_boxes(lab, notebook) == []
    shown = output_text(notebook)
    for line in (
        "PIN set: True",
        "Encrypted backups on: True",
        "Reading a code: ",
        "A wrong PIN:",
        "The practice account shows the same code on both phones: True",
        "Every account of the old phone is on the new one, with the same code: True",
    ):
        assert line in shown, line
    # The lesson restored with the learner's backup password: the practice one opens nothing.
    with pytest.raises(AuthenticatorError):
        restore(phone.backup_path, defaults.PHONE_BACKUP_PASSWORD, Phone(tmp_path / "p.json"))
    assert scores(notebook) == {SCORE_AFTER[notebook.name]}


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
    assert unexpected_boxes(lab, notebook) == []  # the wrong codes' box gave way to success

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
    assert unexpected_boxes(lab, notebook) == []
    screenshot(page, "03-user-form")


# --- 05: the password policy -----------------------------------------------------------------

POLICY_CELL = "policy_form = lesson_05.policy_form(aws)"
WEAK_PASSWORD = "Summer2024!"  # the lesson's example: 11 characters


def test_05_password_policy_form_and_a_weak_password_refused(page: Page, lab: LabServer) -> None:
    fresh_account(lab)
    notebook = open_notebook(page, lab, "05_password_policy.ipynb")
    form_cell = run_cells_until(notebook, POLICY_CELL)  # catch-up, alice's MFA session, form
    assert tracebacks(notebook) == []
    assert unexpected_boxes(lab, notebook) == []
    form = form_cell.locator(".jp-Cell-outputArea")
    length = form.get_by_label("Minimum length", exact=True)
    expect(length).to_have_value("14")  # the CIS preset
    wait_for_text(form, "Passwords need at least 14 characters")

    # AWS's default (no custom policy at all), then back to CIS, then a value of one's own.
    click_button(notebook, "AWS default")
    expect(length).to_have_value("8")
    wait_for_text(form, "No custom policy: AWS's default password policy applies")
    click_button(notebook, "CIS benchmark")
    expect(length).to_have_value("14")
    length.fill("16")
    length.press("Enter")  # a number box takes its value on Enter (or on leaving it)
    wait_for_text(form, "Passwords need at least 16 characters")

    # The trial box: the lesson's weak password breaks the length rule, a long one passes.
    trial = form.get_by_label("Try a password", exact=True)
    trial.fill(WEAK_PASSWORD)
    wait_for_text(form, "✗ At least 16 characters (this one has 11).")
    wait_for_text(form, "✓ At least one symbol")  # the rules it keeps, ticked
    trial.fill("Summer2024!-river-walk")
    wait_for_text(form, "✓ At least 16 characters.")
    assert "(this one has" not in read_text(form)
    trial.fill(WEAK_PASSWORD)
    wait_for_text(form, "(this one has 11)")
    screenshot(page, "05-policy-form-trial")

    click_button(notebook, "Apply password policy")
    wait_for_text(form, "The password policy is applied.")
    policy = sandbox_iam(lab).get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 16
    # CIS v5.0's preset: reuse of 24 prevented, no expiry (CIS v5.0 no longer asks for one)
    assert policy["PasswordReusePrevention"] == 24 and "MaxPasswordAge" not in policy

    # The rest of the lesson: the cell sees the policy in place; AWS refuses the weak password.
    last = cells(notebook).count() - 1
    run_cells_until(notebook, last, start=cell_index(notebook, POLICY_CELL) + 1)
    assert tracebacks(notebook) == []
    shown = output_text(notebook)
    assert "The account already has exactly this password policy: nothing changed." in shown
    assert "Passwords need at least 16 characters" in shown
    assert unexpected_boxes(lab, notebook) == []
    assert missing_boxes(lab, notebook) == []  # PasswordPolicyViolation, as a friendly box
    assert "PasswordPolicyViolation" in shown
    assert scores(notebook) == {5}
    refusal = cell(notebook, cell_index(notebook, "update_login_profile(UserName=USER"))
    element_screenshot(refusal.locator(".jp-Cell-outputArea"), "05-weak-password-refused")


# --- 05's "Your turn", through the form as a learner would -----------------------------------

EXERCISE_CHECK = 'helpers.exercises.check(aws, "05-length")'


def test_05_your_turn_done_in_the_form_passes_the_check(page: Page, lab: LabServer) -> None:
    fresh_account(lab)
    notebook = open_notebook(page, lab, "05_password_policy.ipynb")
    form_cell = run_cells_until(notebook, POLICY_CELL)
    form = form_cell.locator(".jp-Cell-outputArea")
    trial = form.get_by_label("Try a password", exact=True)

    # The learner tries both passwords of the task, then decides: longer, and no character
    # rules; reuse prevention stays at 24 (the CIS preset's).
    length = form.get_by_label("Minimum length", exact=True)
    length.fill("20")
    length.press("Enter")
    wait_for_text(form, "Passwords need at least 20 characters")
    for label in CLASS_TICKS.values():
        form.get_by_label(label, exact=True).uncheck()
    trial.fill(exercise_05.ACCEPT)
    wait_for_text(form, "✓ At least 20 characters.")
    trial.fill(exercise_05.REFUSE)
    wait_for_text(form, "(this one has 16)")
    click_button(notebook, "Apply password policy")
    wait_for_text(form, "The password policy is applied.")

    # The rest of the lesson keeps that policy; the check cell passes.
    check_cell = run_cells_until(
        notebook, EXERCISE_CHECK, start=cell_index(notebook, POLICY_CELL) + 1
    )
    assert tracebacks(notebook) == []
    answer = wait_for_text(check_cell.locator(".jp-Cell-outputArea"), "✅ Passed")
    assert exercise_05.REFUSE in answer
    shown = output_text(notebook)
    assert "The account already has exactly this password policy: nothing changed." in shown
    assert unexpected_boxes(lab, notebook) == []
    element_screenshot(form, "05-your-turn-form")
    tally = run_cells_until(
        notebook, "helpers.exercises.tally(aws, 5)", start=cell_index(notebook, EXERCISE_CHECK) + 1
    )
    wait_for_text(tally.locator(".jp-Cell-outputArea"), "Your turn, lesson 05: 1 of 1 done")
    check_cell.scroll_into_view_if_needed()
    screenshot(page, "05-your-turn-passed")


# --- 06: signing in with MFA ------------------------------------------------------------------

SIGN_IN_CELL = "sign_in, phone_panel, page = lesson_06.sign_in_page("


def test_06_sign_in_form_with_a_code_from_the_phone(page: Page, lab: LabServer) -> None:
    fresh_account(lab)
    notebook = open_notebook(page, lab, "06_sign_in_link.ipynb")
    page_cell = run_cells_until(notebook, SIGN_IN_CELL)  # catch-up, alias, the sign-in page
    assert tracebacks(notebook) == []
    assert unexpected_boxes(lab, notebook) == []
    output = page_cell.locator(".jp-Cell-outputArea")
    form = output.locator(".tut-form")
    mfa_box = form.get_by_label("MFA code", exact=True)
    expect(form.get_by_label("IAM user name", exact=True)).to_have_value("alice")
    alias = form.get_by_label("Account ID or alias", exact=True)
    expect(alias).to_have_value(defaults.ACCOUNT_ALIAS)  # set by the cells above
    expect(mfa_box).to_have_value("")
    alice_row = output.locator(".mfa-phone .mfa-row").filter(has_text="alice@")
    expect(alice_row).to_have_count(1)
    account = next(
        a for a in open_phone(lab.state_dir / "phone.json").accounts() if "alice@" in a.label
    )

    # A wrong code: AWS refuses, the friendly box in the form.
    wrong = next(code for code, _ in WRONG_PAIRS if code not in codes_around(account))
    mfa_box.fill(wrong)
    click_button(notebook, "Sign in")
    refusal = wait_for_text(form, "AWS refused:")
    assert "Signed in as" not in refusal
    # One box, in the form (the cells below still show the outputs saved in the notebook).
    here = [
        box for box in error_boxes(notebook) if box["cell"] == cell_index(notebook, SIGN_IN_CELL)
    ]
    assert [box["kind"] for box in here] == ["refusal"], here
    assert here[0]["text"].startswith("AWS refused: InvalidAuthenticationCode "), here
    element_screenshot(output, "06-wrong-code-refused")

    # "Copy code" on alice's entry puts the phone's code into the form; sign in.
    wait_for_fresh_code_period()
    alice_row.locator("button", has_text="Copy code").click()
    copied = poll(
        lambda: "".join(mfa_box.input_value().split()) != wrong and mfa_box.input_value(),
        10,
        "the copied code",
    )
    shown = "".join(GROUPED_CODE.search(read_text(alice_row.locator(".mfa-code"))).groups())
    assert "".join(copied.split()) == shown
    click_button(notebook, "Sign in")
    wait_for_text(form, "Signed in as alice — MFA used.")
    assert "AWS refused:" not in read_text(form)
    expect(mfa_box).to_have_value("")  # a code works once: the form forgets it
    element_screenshot(output, "06-signed-in")

    # The rest of the lesson: the same from code, a wrong code refused, ForceMFA.
    last = cells(notebook).count() - 1
    run_cells_until(notebook, last, start=cell_index(notebook, SIGN_IN_CELL) + 1)
    assert tracebacks(notebook) == []
    assert "Signed in as alice, MFA used: True" in output_text(notebook)
    assert unexpected_boxes(lab, notebook) == []
    assert missing_boxes(lab, notebook) == []
    assert scores(notebook) == {5}


# --- every lesson, in order ------------------------------------------------------------------


def test_all_lessons_in_order_run_all_to_five_of_five(page: Page, lab: LabServer) -> None:
    fresh_account(lab)
    notebook = open_notebook(page, lab, LESSONS[0])
    for following in [*LESSONS[1:], None]:
        run_all_cells(notebook, timeout_s=180)
        assert tracebacks(notebook) == [], f"{notebook.name}: {tracebacks(notebook)}"
        assert unexpected_boxes(lab, notebook) == [], notebook.name
        assert missing_boxes(lab, notebook) == [], notebook.name
        # Every checklist and summary of the lesson shows the same score.
        assert scores(notebook) == {SCORE_AFTER[notebook.name]}, notebook.name
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
