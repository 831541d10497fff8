"""A sign-in page like the console's "Sign in as IAM user" (lesson 06)."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets
from botocore.exceptions import ClientError

from helpers import defaults
from helpers.errors import error_code
from helpers.i18n import N_, _
from helpers.rules.alias import alias_problems, sign_in_url
from helpers.rules.names import name_problems

from . import style
from .base import NO_ACTION, Form
from .code_entry import code_box, code_problems, normalize_code

ACCOUNT_ID_DIGITS = 12


def account_problems(account: str) -> list[str]:
    """An account is named by its 12-digit ID or by its alias."""
    if account.isdigit():
        if len(account) != ACCOUNT_ID_DIGITS:
            return [
                _("An account ID has {digits} digits (this one has {count}).").format(
                    digits=ACCOUNT_ID_DIGITS, count=len(account)
                )
            ]
        return []
    return alias_problems(account, say=_)


class SignInForm(Form):
    """Account, user name, password, MFA code, "Sign in".

    ``action(account, user_name, password, mfa_code, new_password)`` signs in and returns a dict
    (``SandboxConsole.sign_in``); ``mfa_code`` and ``new_password`` are None when left empty.
    When AWS answers ``PasswordResetRequired``, a "New password" box appears: sign in again
    with it filled in.
    """

    def __init__(
        self,
        action: Callable[[str, str, str, str | None, str | None], dict] | None = None,
        account: str = defaults.ACCOUNT_ALIAS,
        user_name: str = defaults.USER_NAME,
        password: str = "",
        mfa_code: str = "",
        *,
        button: str = N_("Sign in"),
    ) -> None:
        super().__init__(_("Sign in as IAM user"), _(button))
        self.add_class("tut-card")
        self.layout.max_width = "560px"
        self.layout.padding = "6px 14px"
        self.action = action
        self.answer: dict | None = None
        self.signed_in = False
        text = {
            "continuous_update": True,
            "style": style.field_style(),
            "layout": style.field_layout(),
        }
        self.account = widgets.Text(
            value=account, description=_("Account ID or alias"), placeholder="123456789012", **text
        )
        self.user_name = widgets.Text(value=user_name, description=_("IAM user name"), **text)
        self.password = widgets.Password(value=password, description=_("Password"), **text)
        self.mfa_code = code_box(_("MFA code"))
        self.mfa_code.value = mfa_code
        self.new_password = widgets.Password(description=_("New password"), **text)
        self.address = widgets.HTML(layout=widgets.Layout(margin="0 0 4px 0"))
        self._new_password_row = self.field(
            self.new_password,
            _(
                "AWS asks for a new password at this first sign-in: it must meet the password "
                "policy."
            ),
            self._check_new_password,
        )
        self._new_password_row.layout.display = "none"
        self.finish(
            [
                self.address,
                self.field(
                    self.account,
                    _("The 12-digit account ID, or the alias set in lesson 06."),
                    lambda: account_problems(self.account.value.strip()),
                ),
                self.field(
                    self.user_name,
                    _("The IAM user's name, as created in lesson 03."),
                    lambda: name_problems(self.user_name.value, say=_),
                ),
                self.field(self.password, "", self._check_password),
                self.field(
                    self.mfa_code,
                    _("The code the phone shows now; empty if this user has no MFA device."),
                    self._check_mfa,
                ),
                self._new_password_row,
            ]
        )

    @property
    def needs_new_password(self) -> bool:
        return self._new_password_row.layout.display != "none"

    def _check_password(self) -> tuple[list[str], str]:
        # Empty is not an error yet: nothing red before the learner types.
        return ([], "") if self.password.value else ([_("Type the password.")], "")

    def _check_mfa(self) -> list[str]:
        return code_problems(self.mfa_code.value) if self.mfa_code.value.strip() else []

    def _check_new_password(self) -> tuple[list[str], str]:
        if not self.needs_new_password:
            return [], ""
        if not self.new_password.value:
            return [_("Choose a new password.")], ""
        if self.new_password.value == self.password.value:
            problems = [_("The new password must differ from the current one.")]
            return problems, style.problems_html(problems)
        return [], ""

    def refresh(self) -> list[str]:
        account = self.account.value.strip()
        url = sign_in_url(account) if account and not account_problems(account) else ""
        self.address.value = (
            f'<div style="font-family:ui-monospace,monospace;font-size:12px;color:{style.GREY};'
            f'border:1px solid #d5dbdb;border-radius:12px;padding:2px 10px;background:#fff">'
            f"{html.escape(url or 'https://…signin.aws.amazon.com/console')}</div>"
        )
        return super().refresh()

    def fill(self, code: str) -> int:
        """Put the phone's code into the MFA box (for the phone's "Copy code")."""
        self.mfa_code.value = normalize_code(code)
        return 0

    def ask_new_password(self) -> None:
        self._new_password_row.layout.display = None
        self.refresh()

    def run(self) -> str:
        if self.action is None:
            return style.note(_(NO_ACTION))
        self.signed_in = False
        user = self.user_name.value
        new_password = self.new_password.value if self.needs_new_password else ""
        try:
            answer = self.action(
                self.account.value.strip(),
                user,
                self.password.value,
                normalize_code(self.mfa_code.value) or None,
                new_password or None,
            )
        except ClientError as error:
            if error_code(error) == "PasswordResetRequired":
                self.ask_new_password()
            raise
        self.answer = answer = answer or {}
        signed_in_as = answer.get("UserName") or user
        mfa = answer.get("MFAUsed", bool(self.mfa_code.value.strip()))
        if answer.get("PasswordChanged", bool(new_password)):
            text = (
                _("Signed in as {user} — MFA used; the new password is set.")
                if mfa
                else _("Signed in as {user} — without MFA; the new password is set.")
            )
        else:
            text = (
                _("Signed in as {user} — MFA used.")
                if mfa
                else _("Signed in as {user} — without MFA.")
            )
        self.signed_in = True
        return style.ok(text.format(user=signed_in_as))

    def after_submit(self, succeeded: bool) -> None:
        if succeeded and self.signed_in:
            # The boxes need not keep the passwords now (saved widget state would hold them).
            self.password.value = self.new_password.value = self.mfa_code.value = ""
            self._new_password_row.layout.display = "none"
