"""Lessons 00-03's glue (helpers/lessons/lesson_00..03): the buttons' paths, driven with
``.click()``, do what the notebooks' code cells do, and say so when there is nothing to do."""

from __future__ import annotations

import stat
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from botocore.exceptions import ClientError

from helpers import defaults
from helpers.authenticator import Phone, PhonePanel, enable_backups, restore
from helpers.connect import connect
from helpers.forms import CodeEntry, layout
from helpers.iam import login, mfa
from helpers.lessons import lesson_00, lesson_01, lesson_02, lesson_03
from helpers.rules.passwords import password_problems
from helpers.status import check_account

from .test_forms_support import shown_text

FAST_N = 2**4  # scrypt cost for the tests' own phones (the lessons use the real cost)


@pytest.fixture
def phone(tmp_path: Path) -> Phone:
    return Phone(tmp_path / "phone" / "phone.json")


@pytest.fixture
def aws(sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TUTORIAL_DOWNLOADS_DIR", str(tmp_path / "downloads"))
    return connect(quiet=True)


def score(aws) -> str:
    return check_account(aws.iam).console_summary()


def copy_two_codes(panel: PhonePanel, entry: CodeEntry) -> None:
    """The learner's two "Copy code" clicks, 30 seconds apart (without waiting)."""
    account = panel.phone.accounts()[-1]
    now = time.time()
    panel.copy_code(account.issuer, account.label, now=now - 30)
    panel.copy_code(account.issuer, account.label, now=now)
    assert all(entry.codes)


# --- lesson 00 ------------------------------------------------------------------------------


def test_setup_report_names_versions_and_the_sandbox(aws) -> None:
    report = lesson_00.setup_report(aws)
    for name in ("python", "boto3", "ipywidgets", "jupyterlab_widgets"):
        assert name in report
    assert "the sandbox, running on this machine" in report
    assert "127.0.0.1" not in report  # no port, process id or date in a committed output


def test_setup_report_on_a_real_account() -> None:
    real = SimpleNamespace(is_sandbox=False, account_id="111122223333")
    assert lesson_00.where(real).startswith("a real AWS account (111122223333)")


def test_widget_check_falls_back_to_advice_in_plain_text() -> None:
    bundle = lesson_00.WidgetCheck()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == lesson_00.WIDGETS_MISSING
    assert "jupyterlab_widgets" in bundle["text/plain"]


def test_lesson_items_are_pass_fail_lines(aws) -> None:
    assert lesson_00.items(check_account(aws.iam)) == (
        "[PASS] Delete your root access keys\n"
        "[PASS] CIS 1.3 Ensure no 'root' user account access key exists"
    )


# --- lesson 01 ------------------------------------------------------------------------------


def test_setup_form_starts_with_the_practice_values(phone: Phone) -> None:
    form = lesson_01.PhoneSetupForm(phone)
    assert (form.pin, form.backup_password) == (defaults.PHONE_PIN, defaults.PHONE_BACKUP_PASSWORD)
    assert not form.button.disabled
    assert defaults.PHONE_BACKUP_PASSWORD not in shown_text(form)


def test_setup_form_checks_as_typed(phone: Phone) -> None:
    form = lesson_01.PhoneSetupForm(phone)
    form.pin_box.value = "12a"
    assert "A PIN is 4 to 8 digits" in form.check_text
    assert form.button.disabled
    form.pin_box.value = "1357"
    form.password_box.value = "short"
    assert "At least 8 characters (this one has 5)." in form.check_text
    assert form.button.disabled


def test_setup_button_then_code_path_is_a_no_op(phone: Phone) -> None:
    form = lesson_01.PhoneSetupForm(phone)
    form.button.click()
    assert "Set the phone's PIN." in form.status_text
    assert "Turned on encrypted backups" in form.status_text
    assert phone.has_pin and phone.backups_enabled
    again = lesson_01.set_up_phone(phone, form.pin, form.backup_password)
    assert again == [
        "The phone already has this PIN: nothing to do.",
        "Encrypted backups are already on with this password: nothing to do.",
    ]


def test_setup_changes_what_differs_and_unlocks(phone: Phone) -> None:
    lesson_01.set_up_phone(phone, "2468", "first backup password")
    phone.lock()
    done = lesson_01.set_up_phone(phone, "2468", "second backup password")
    assert done[0] == "Unlocked the phone."
    assert "Changed the backup password." in done
    assert lesson_01.backup_password_matches(phone, "second backup password")
    assert lesson_01.set_up_phone(phone, "1357", "second backup password")[0] == (
        "Changed the phone's PIN."
    )
    assert lesson_01.pin_matches(phone, "1357") and not lesson_01.pin_matches(phone, "2468")


def test_setup_button_with_a_wrong_pin_on_a_locked_phone(phone: Phone) -> None:
    phone.set_pin("2468")
    phone.lock()
    form = lesson_01.PhoneSetupForm(phone)
    form.pin_box.value = "1111"
    form.button.click()
    assert "Wrong PIN" in form.status_text
    assert phone.is_locked


def test_practice_account_backup_and_restore(phone: Phone, tmp_path: Path) -> None:
    phone.set_pin("2468")
    enable_backups(phone, "a long backup password", n=FAST_N)
    assert "Added Practice (first-steps)." == str(lesson_01.add_practice_account(phone))
    described = lesson_01.describe_backup(phone.backup_path, phone)
    assert "AES-256-GCM" in described and "readable only by you: 0o600" in described
    assert "Any setup key readable in the file? no" in described
    assert phone.accounts()[0].secret not in phone.backup_path.read_text()

    new = lesson_01.new_phone()
    assert new.path.parent != phone.path.parent and new.accounts() == []
    restore(phone.backup_path, "a long backup password", new)
    assert lesson_01.compare_codes(phone, new) == (
        "The practice account shows the same code on both phones: True\n"
        "Every account of the old phone is on the new one, with the same code: True"
    )
    assert lesson_01.remove_practice_account(phone) == "Removed Practice (first-steps)."
    assert lesson_01.remove_practice_account(phone) == "There is no practice entry on the phone."
    lesson_01.add_practice_account(phone)
    assert lesson_01.compare_codes(phone, Phone(tmp_path / "empty.json")) == (
        "The practice account shows the same code on both phones: False\n"
        "Every account of the old phone is on the new one, with the same code: False"
    )


def test_side_by_side_keeps_each_width_and_starts_the_phones_ticking(phone: Phone) -> None:
    panel = PhonePanel(phone)
    row = layout.side_by_side(panel, PhonePanel(phone), captions=("Yours", "New"))
    assert len(row.children) == 2
    assert all(column.layout.flex == "0 0 auto" for column in row.children)
    assert panel.layout.flex == "0 0 auto"
    assert "Yours" in shown_text(row.children[0]) and "New" in shown_text(row.children[1])


def test_new_phone_folders_are_removed_at_exit() -> None:
    new = lesson_01.new_phone()
    new.set_pin("2468")
    assert new.path.exists()
    lesson_01._clean_up()
    assert not new.path.parent.exists()


# --- lesson 02 ------------------------------------------------------------------------------


def test_root_mfa_by_clicks_wrong_codes_then_the_phones(aws, phone: Phone, capsys) -> None:
    device, message = lesson_02.start_root_mfa(aws, phone)
    assert message == f"A new MFA device waits for two codes: {device['SerialNumber']}"
    assert "Base32StringSeed" not in device
    refreshed = []
    entry = CodeEntry(action=lesson_02.enable_action(aws, device, then=lambda: refreshed.append(1)))
    qr = layout.qr_or_note(device)
    panel = PhonePanel(phone, qr_source=qr.image, copy_target=entry.boxes)

    entry.fill("123456")
    entry.fill("654321")
    entry.button.click()
    assert "AWS refused: InvalidAuthenticationCode" in entry.status.value
    assert refreshed == [] and score(aws) == "Security status 1/5"

    entry.clear()
    panel.scan_button.click()
    assert "Added Amazon Web Services" in panel.message.value
    assert lesson_02.waiting(aws, device)
    copy_two_codes(panel, entry)
    entry.button.click()
    assert "MFA is on for root" in entry.status_text
    assert not lesson_02.waiting(aws, device) and not lesson_02.waiting(aws, None)
    assert refreshed == [1] and score(aws) == "Security status 2/5"

    entry.fill("111111")
    entry.fill("222222")
    entry.button.click()  # a second click: nothing to do, said so
    assert "Root already has MFA" in entry.status_text
    again, message = lesson_02.start_root_mfa(aws, phone)
    assert again is None and message.startswith("Root already has an MFA device")


def test_wrong_codes_are_refused_on_a_first_run_and_a_re_run(aws, phone: Phone) -> None:
    from helpers.mfa_setup import scan_and_read

    device, _ = lesson_02.start_root_mfa(aws, phone)
    assert lesson_02.root_mfa_line(aws) == "Root has no MFA yet (AccountMFAEnabled is 0)."
    refusal = lesson_02.try_wrong_codes(aws, device)  # the device that waits for codes
    assert refusal.response["Error"]["Code"] == "InvalidAuthenticationCode"
    assert lesson_02.waiting(aws, device)
    _, code1, code2 = scan_and_read(phone, device["QRCodePNG"])
    lesson_02.enable_root_mfa(aws, device, code1, code2)
    on = "MFA is on for root (AccountMFAEnabled is 1): signing in as root asks for a code."
    assert lesson_02.root_mfa_line(aws) == on

    again, _ = lesson_02.start_root_mfa(aws, phone)  # a re-run: nothing waits for codes
    refusal = lesson_02.try_wrong_codes(aws, again)  # on a practice device, then cancelled
    assert refusal.response["Error"]["Code"] == "InvalidAuthenticationCode"
    assert aws.console.root_status()["MFADevices"] == [device["SerialNumber"]]
    with pytest.raises(ClientError) as nothing_waits:
        aws.console.cancel_root_mfa()
    assert nothing_waits.value.response["Error"]["Code"] == "NoSuchEntity"
    assert lesson_02.try_wrong_codes(aws, None).response["Error"]["Code"] == (
        "InvalidAuthenticationCode"  # and again: the practice device's name was freed
    )
    assert lesson_02.root_mfa_line(aws) == on


def test_a_wrong_code_demonstration_on_a_real_account_is_a_note() -> None:
    message = lesson_02.try_wrong_codes(SimpleNamespace(console=None), None)
    assert "real account" in message


def test_root_mfa_lost_from_the_phone_is_enrolled_again(aws, phone: Phone) -> None:
    from helpers.mfa_setup import scan_and_read

    device, _ = lesson_02.start_root_mfa(aws, phone)
    _, code1, code2 = scan_and_read(phone, device["QRCodePNG"])
    lesson_02.enable_root_mfa(aws, device, code1, code2)
    phone.remove(phone.accounts()[0].name)
    new, message = lesson_02.start_root_mfa(aws, phone)
    assert new is not None and "the phone no longer knows" in message
    assert lesson_02.waiting(aws, new)


def test_without_a_device_there_is_a_note_and_nothing_to_enable(aws) -> None:
    note = layout.qr_or_note(None)
    assert note.image is None
    assert "No QR code" in shown_text(note)
    entry = CodeEntry(action=lesson_02.enable_action(aws, None))
    entry.fill("123456")
    entry.fill("654321")
    assert entry.submit()
    assert "No device is waiting" in entry.status_text
    assert "✓" not in entry.status_text


def test_root_mfa_on_a_real_account_points_to_the_console(phone: Phone) -> None:
    real = SimpleNamespace(console=None)
    device, message = lesson_02.start_root_mfa(real, phone)
    assert device is None and "only in the AWS console" in message
    assert lesson_02.ROOT_MFA_PAGE in message


def _real_account(mfa_after_reads: int) -> SimpleNamespace:
    """A real account (no console actions) whose root gets MFA after some summary reads."""
    reads = []

    def get_account_summary() -> dict:
        reads.append(1)
        return {"SummaryMap": {"AccountMFAEnabled": int(len(reads) > mfa_after_reads)}}

    return SimpleNamespace(
        console=None, iam=SimpleNamespace(get_account_summary=get_account_summary)
    )


def test_on_a_real_account_lesson_02_waits_for_the_console_step() -> None:
    slept = []
    real = _real_account(mfa_after_reads=2)
    assert not lesson_02.waiting(real, None)
    message = lesson_02.wait_for_root_mfa(real, every=10, sleep=slept.append)
    assert message.startswith("MFA is on for root (AccountMFAEnabled is 1)")
    assert slept == [10, 10]


def test_on_a_real_account_lesson_02_gives_up_after_its_timeout() -> None:
    real = _real_account(mfa_after_reads=99)
    message = lesson_02.wait_for_root_mfa(real, timeout=30, every=10, sleep=lambda _: None)
    assert "Root has no MFA yet" in message


# --- lesson 03 ------------------------------------------------------------------------------


def test_user_form_creates_then_keeps(aws) -> None:
    form = lesson_03.user_form(aws)
    assert form.value == defaults.USER_NAME
    form.button.click()
    assert form.status_text == "✓ Created the user alice."
    form.button.click()
    assert "already exists" in form.status_text
    assert lesson_03.user_names(aws.iam) == ["alice"]


def test_admin_rights_directly_then_through_a_group(aws) -> None:
    iam = aws.iam
    iam.create_user(UserName="alice")
    assert lesson_03.admin_rights(iam, "alice") == "alice has AdministratorAccess: False"
    iam.attach_user_policy(UserName="alice", PolicyArn=lesson_03.ADMIN_POLICY_ARN)
    assert lesson_03.admin_group(iam, "alice") is None
    assert lesson_03.admin_rights(iam, "alice") == "alice has AdministratorAccess: True"
    iam.create_group(GroupName="Admins")
    iam.attach_group_policy(GroupName="Admins", PolicyArn=lesson_03.ADMIN_POLICY_ARN)
    iam.add_user_to_group(GroupName="Admins", UserName="alice")
    iam.detach_user_policy(UserName="alice", PolicyArn=lesson_03.ADMIN_POLICY_ARN)
    assert lesson_03.admin_group(iam, "alice") == "Admins"
    assert lesson_03.admin_rights(iam, "alice") == "alice has AdministratorAccess: True"


def test_password_button_sets_it_and_saves_the_csv(aws, tmp_path: Path) -> None:
    aws.iam.create_user(UserName="alice")
    form = lesson_03.password_form(aws, "alice")
    assert form.generated
    form.button.click()
    assert "Set the password of alice; saved to alice_credentials.csv" in form.status_text
    assert login.has_console_password(aws.iam, "alice")
    saved = tmp_path / "downloads" / "alice_credentials.csv"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    password = login.load_credentials_csv("alice")["Password"]
    assert password not in shown_text(form)
    assert aws.console.sign_in(aws.account_id, "alice", password)["SignedIn"]


def test_password_generated_or_typed(aws) -> None:
    aws.iam.update_account_password_policy(**defaults.CIS_PASSWORD_POLICY)
    aws.iam.create_user(UserName="alice")
    form = lesson_03.password_form(aws, "alice")
    assert lesson_03.typed_password(form) is None
    assert lesson_03.set_console_password(aws, "alice", None).startswith("Set the password")
    generated = login.load_credentials_csv("alice")["Password"]
    policy = aws.iam.get_account_password_policy()["PasswordPolicy"]
    assert password_problems(generated, policy) == []
    form.choice.value = "Custom password"
    form.password.value = "My own Passw0rd!"
    assert lesson_03.typed_password(form) == "My own Passw0rd!"


def test_user_mfa_by_clicks(aws, phone: Phone) -> None:
    iam = aws.iam
    iam.create_user(UserName="alice")
    device, message = lesson_03.start_user_mfa(iam, phone, "alice")
    assert message == f"A new MFA device waits for two codes: {device['SerialNumber']}"
    refreshed = []
    entry = CodeEntry(
        action=lesson_03.enable_action(iam, "alice", device, then=lambda: refreshed.append(1))
    )
    panel = PhonePanel(phone, qr_source=device["QRCodePNG"], copy_target=entry.boxes)
    entry.fill("123456")
    entry.fill("654321")
    entry.button.click()
    assert "InvalidAuthenticationCode" in entry.status.value and refreshed == []
    entry.clear()
    panel.scan_button.click()
    assert lesson_03.waiting(iam, "alice", device)
    copy_two_codes(panel, entry)
    entry.button.click()
    assert entry.status_text == "✓ MFA is on for alice: signing in as alice now asks for a code."
    assert not lesson_03.waiting(iam, "alice", device)
    assert not lesson_03.waiting(iam, "alice", None)
    assert refreshed == [1]
    assert mfa.mfa_serials(iam, "alice") == [device["SerialNumber"]]
    entry.fill("111111")
    entry.fill("222222")
    entry.button.click()
    assert "already has this MFA device" in entry.status_text
    again, message = lesson_03.start_user_mfa(iam, phone, "alice")
    assert again is None and message.startswith("alice already has an MFA device")


def test_user_mfa_lost_from_the_phone_is_removed(aws, phone: Phone) -> None:
    from helpers.mfa_setup import scan_and_read

    aws.iam.create_user(UserName="alice")
    device, _ = lesson_03.start_user_mfa(aws.iam, phone, "alice")
    _, code1, code2 = scan_and_read(phone, device["QRCodePNG"])
    lesson_03.enable_user_mfa(aws.iam, "alice", device, code1, code2)
    phone.remove(phone.accounts()[0].name)
    new, message = lesson_03.start_user_mfa(aws.iam, phone, "alice")
    assert "the phone no longer knows" in message
    assert mfa.mfa_serials(aws.iam, "alice") == []
    assert lesson_03.waiting(aws.iam, "alice", new)


def test_user_wrong_codes_are_refused_on_a_first_run_and_a_re_run(aws, phone: Phone) -> None:
    from helpers.mfa_setup import scan_and_read

    iam = aws.iam
    iam.create_user(UserName="alice")
    device, _ = lesson_03.start_user_mfa(iam, phone, "alice")
    assert lesson_03.user_mfa_line(iam, "alice") == "alice has no MFA device yet."
    refusal = lesson_03.try_wrong_codes(iam, "alice", device)  # the device that waits
    assert refusal.response["Error"]["Code"] == "InvalidAuthenticationCode"
    assert lesson_03.waiting(iam, "alice", device)
    _, code1, code2 = scan_and_read(phone, device["QRCodePNG"])
    lesson_03.enable_user_mfa(iam, "alice", device, code1, code2)
    on = "MFA is on for alice: signing in as alice now asks for a code."
    assert lesson_03.user_mfa_line(iam, "alice") == on

    again, _ = lesson_03.start_user_mfa(iam, phone, "alice")  # a re-run: nothing waits
    for _ in range(2):  # on a practice device, deleted afterwards (and its name freed)
        refusal = lesson_03.try_wrong_codes(iam, "alice", again)
        assert refusal.response["Error"]["Code"] == "InvalidAuthenticationCode"
    assert mfa.mfa_serials(iam, "alice") == [device["SerialNumber"]]
    devices = iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in devices] == [device["SerialNumber"]]
    assert lesson_03.user_mfa_line(iam, "alice") == on


def test_an_unfinished_device_is_replaced(aws, phone: Phone) -> None:
    iam = aws.iam
    iam.create_user(UserName="alice")
    old = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    device, _ = lesson_03.start_user_mfa(iam, phone, "alice")
    assert device["SerialNumber"] == old["SerialNumber"]  # the same name, made again
    unassigned = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert len(unassigned) == 1


def test_lesson_items_after_each_lesson(aws) -> None:
    from helpers.authenticator import forget_phone
    from helpers.catchup import replay

    forget_phone(backup=True)  # replay uses the learner's phone: start it afresh
    assert "[FAIL] Activate MFA" in lesson_02.items(check_account(aws.iam))
    replay(aws, 4)
    assert lesson_02.items(check_account(aws.iam)) == (
        "[PASS] Activate MFA on your root account\n"
        "[PASS] CIS 1.4 Ensure MFA is enabled for the 'root' user account"
    )
    assert lesson_03.items(check_account(aws.iam)) == (
        "[PASS] Create individual IAM users\n"
        "[PASS] CIS 1.9 Ensure MFA is enabled for all IAM users that have a console password\n"
        # the catch-up made alice's key and has not used it yet (the lesson's own cells do)
        "[FAIL] CIS 1.10 Do not create access keys during initial setup for IAM users with a "
        "console password"
    )
    assert lesson_01.items(check_account(aws.iam)) == lesson_00.items(check_account(aws.iam))


def test_on_a_real_account_the_user_mfa_step_leaves_the_device_to_apply(aws, phone: Phone) -> None:
    from helpers.steps import applied

    aws.iam.create_user(UserName="alice")
    device, message = lesson_03.start_user_mfa(aws.iam, None, "alice")
    assert not applied(device)  # the device is made by the step's Apply (real_phone_step)
    assert "click Apply" in message and "own phone" in message and "not stored" in message
    assert aws.iam.list_virtual_mfa_devices()["VirtualMFADevices"] == []
    assert phone.accounts() == []  # the virtual phone was not touched
    codes = iter(["123456", "654321"])
    assert lesson_03.typed_codes(ask=lambda _: next(codes)) == ("123456", "654321")


def test_on_a_real_account_an_existing_device_is_never_removed(aws, phone: Phone) -> None:
    from helpers.mfa_setup import scan_and_read

    aws.iam.create_user(UserName="alice")
    device, _ = lesson_03.start_user_mfa(aws.iam, phone, "alice")
    _, code1, code2 = scan_and_read(phone, device["QRCodePNG"])
    lesson_03.enable_user_mfa(aws.iam, "alice", device, code1, code2)
    phone.remove(phone.accounts()[0].name)  # the sandbox path would now remove the device
    again, message = lesson_03.start_user_mfa(aws.iam, None, "alice")
    assert again is None and "already has an MFA device" in message
    assert mfa.mfa_serials(aws.iam, "alice") == [device["SerialNumber"]]
