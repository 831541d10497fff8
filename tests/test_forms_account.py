"""AliasForm and SignInForm: the sign-in link, and signing in as the IAM user."""

from __future__ import annotations

import time

import pyotp

from helpers import defaults
from helpers.forms import AliasForm, SignInForm
from helpers.iam import account, mfa, users
from helpers.rules.alias import sign_in_url
from helpers.sandbox.console import SandboxConsole
from helpers.sandbox.constants import ACCOUNT_ID

from .test_forms_support import Recorder, client_error, shown_text

PASSWORD = "Tr1cky-Horse!"
NEW_PASSWORD = "Another-Horse-2"

# --- AliasForm ----------------------------------------------------------------------------------


def test_alias_default_shows_the_link_it_will_give() -> None:
    form = AliasForm()
    assert form.value == defaults.ACCOUNT_ALIAS
    assert not form.button.disabled
    assert sign_in_url(defaults.ACCOUNT_ALIAS) in form.preview.value


def test_bad_alias_is_explained_and_blocked() -> None:
    form = AliasForm()
    form.value = "My--Alias-"
    assert form.button.disabled
    text = form.check_text
    assert "✗ Use lower-case letters only (no capitals)." in text
    assert "✗ Two hyphens in a row are not allowed." in text
    assert "start and end with a letter or a digit" in text
    assert form.preview.value == ""
    form.value = "ab"
    assert "3 to 63 characters" in form.check_text
    form.value = "my-alias"
    assert not form.button.disabled
    assert "https://my-alias.signin.aws.amazon.com/console" in form.preview.value


def test_alias_click_and_current_link_read_again() -> None:
    links = [sign_in_url(ACCOUNT_ID)]
    action = Recorder()

    def set_alias(alias: str) -> str:
        action(alias)
        links.append(sign_in_url(alias))
        return links[-1]

    form = AliasForm(action=set_alias, current_link=lambda: links[-1])
    assert sign_in_url(ACCOUNT_ID) in shown_text(form)
    form.button.click()
    assert action.calls == [(defaults.ACCOUNT_ALIAS,)]
    assert form.status_text == (
        f"✓ The alias is {defaults.ACCOUNT_ALIAS}. IAM users now sign in at: "
        f"{sign_in_url(defaults.ACCOUNT_ALIAS)}"
    )
    assert form.current_link == sign_in_url(defaults.ACCOUNT_ALIAS)


def test_alias_refused_keeps_the_value() -> None:
    error = client_error("EntityAlreadyExists", "The account alias is already taken.", 409)
    form = AliasForm(action=Recorder(error=error))
    form.value = "taken-name"
    assert form.submit() is False
    assert "AWS refused: EntityAlreadyExists" in form.status.value
    assert form.value == "taken-name"


def test_real_alias(iam) -> None:
    form = AliasForm(
        action=lambda alias: account.set_alias(iam, alias),
        current_link=lambda: account.sign_in_link(iam, ACCOUNT_ID),
    )
    assert form.current_link == sign_in_url(ACCOUNT_ID)
    assert form.submit(), form.status_text
    assert account.get_alias(iam) == defaults.ACCOUNT_ALIAS
    assert form.current_link == sign_in_url(defaults.ACCOUNT_ALIAS)
    assert sign_in_url(defaults.ACCOUNT_ALIAS) in form.status_text


# --- SignInForm ---------------------------------------------------------------------------------


def test_sign_in_waits_for_a_password_without_red_marks() -> None:
    form = SignInForm()
    assert form.account.value == defaults.ACCOUNT_ALIAS
    assert form.user_name.value == defaults.USER_NAME
    assert form.button.disabled
    assert form.check_text == ""
    assert sign_in_url(defaults.ACCOUNT_ALIAS) in form.address.value
    assert not form.needs_new_password


def test_sign_in_fields_are_checked() -> None:
    form = SignInForm(password=PASSWORD)
    assert not form.button.disabled
    form.account.value = "12345"
    assert "✗ An account ID has 12 digits (this one has 5)." in form.check_text
    assert form.button.disabled
    form.account.value = ACCOUNT_ID
    assert sign_in_url(ACCOUNT_ID) in form.address.value
    form.user_name.value = "al ice"
    assert "not: space" in form.check_text
    form.user_name.value = "alice"
    form.mfa_code.value = "12"
    assert "Exactly 6 digits" in form.check_text
    form.mfa_code.value = ""
    assert not form.button.disabled


def test_sign_in_passes_none_for_empty_boxes() -> None:
    action = Recorder({"UserName": "alice", "MFAUsed": False})
    form = SignInForm(action=action, account=ACCOUNT_ID, password=PASSWORD)
    form.button.click()
    assert action.calls == [(ACCOUNT_ID, "alice", PASSWORD, None, None)]
    assert form.status_text == "✓ Signed in as alice — without MFA."
    assert form.password.value == ""  # signed in: the box forgets it


def test_sign_in_with_mfa_and_the_phones_code() -> None:
    action = Recorder({"UserName": "alice", "MFAUsed": True})
    form = SignInForm(action=action, password=PASSWORD)
    assert form.fill("123 456") == 0
    form.submit()
    assert action.calls[0][3] == "123456"
    assert form.status_text == "✓ Signed in as alice — MFA used."


def test_reset_required_asks_for_a_new_password() -> None:
    answers = [client_error("PasswordResetRequired", "Choose a new password.", 401)]

    def sign_in(*args: str | None) -> dict:
        action(*args)
        if answers:
            raise answers.pop()
        return {"UserName": "alice", "MFAUsed": False, "PasswordChanged": True}

    action = Recorder()
    form = SignInForm(action=sign_in, password=PASSWORD)
    assert form.submit() is False
    assert "AWS refused: PasswordResetRequired" in form.status.value
    assert form.needs_new_password
    assert form.password.value == PASSWORD  # nothing lost
    assert form.button.disabled  # until the new password is typed
    form.new_password.value = PASSWORD
    assert "must differ" in form.check_text
    form.new_password.value = NEW_PASSWORD
    assert form.submit()
    assert action.calls[-1] == (defaults.ACCOUNT_ALIAS, "alice", PASSWORD, None, NEW_PASSWORD)
    assert form.status_text == "✓ Signed in as alice — without MFA; the new password is set."
    assert not form.needs_new_password
    assert form.new_password.value == form.password.value == ""
    assert PASSWORD not in shown_text(form) and NEW_PASSWORD not in shown_text(form)


def test_real_sign_in_with_reset_and_mfa(sandbox, iam) -> None:
    users.create_user(iam, "alice")
    iam.create_login_profile(UserName="alice", Password=PASSWORD, PasswordResetRequired=True)
    console = SandboxConsole(sandbox.endpoint)
    form = SignInForm(action=console.sign_in, account=ACCOUNT_ID, password=PASSWORD)
    assert form.submit() is False
    assert "PasswordResetRequired" in form.status.value
    form.new_password.value = NEW_PASSWORD
    assert form.submit(), form.status_text
    assert form.status_text == "✓ Signed in as alice — without MFA; the new password is set."

    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    totp = pyotp.TOTP(device["Base32StringSeed"].decode())
    now = time.time()
    mfa.enable_mfa_device(iam, "alice", device["SerialNumber"], totp.at(now - 30), totp.at(now))
    form.password.value = NEW_PASSWORD
    assert form.submit() is False
    assert "AWS refused: MFARequired" in form.status.value
    assert form.password.value == NEW_PASSWORD
    form.fill(totp.now())
    assert form.submit(), form.status_text
    assert form.status_text == "✓ Signed in as alice — MFA used."
