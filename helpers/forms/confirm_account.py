"""Confirm the real account before the tutorial changes anything on it (aws mode).

The learner types the account id they mean; the gate (``helpers/guard.py``) lets writes
through only once it matches the session's account, and never for a forbidden account. The
logic is in plain functions (``account_id_problems``, ``confirm_account``); the form only
collects the id and shows the answer.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from helpers.guard import WriteRefused, gate_of
from helpers.i18n import _

from . import style
from .base import Form

DIGITS = 12


def normalize_account_id(typed: str) -> str:
    """The id without spaces or hyphens: the console shows ``1234-5678-9012``."""
    return "".join(ch for ch in typed if ch not in " -")


def account_id_problems(typed: str) -> list[str]:
    account_id = normalize_account_id(typed)
    if not account_id:
        return [_("Type the account id (12 digits, shown above).")]
    if not account_id.isdigit() or len(account_id) != DIGITS:
        return [_("An AWS account id is {digits} digits.").format(digits=DIGITS)]
    return []


def confirm_account(aws: Any, typed: str) -> str:
    """Confirm ``aws``'s account by the id the learner typed; the answer to show. Raises
    ``ValueError`` for another id and ``WriteRefused`` for a forbidden account."""
    gate = gate_of(aws)
    gate.confirm(normalize_account_id(typed))
    return _(
        "Account {account} confirmed for this kernel: the changes you apply are made now, each "
        "one journaled so that python -m helpers.undo can take it back."
    ).format(account=gate.account_id)


def who_and_where(aws: Any) -> str:
    """The account, its alias and the caller's ARN, as HTML."""
    gate = gate_of(aws)
    alias = html.escape(gate.alias) if gate.alias else html.escape(_("no alias"))
    account = _("AWS account {account} ({alias})").format(
        account=f"<b>{html.escape(aws.account_id)}</b>", alias=alias
    )
    caller = _("signed in as {arn}").format(arn=f"<code>{html.escape(aws.arn)}</code>")
    return f"{account}<br>{caller}"


class ConfirmAccountForm(Form):
    """A text box for the account id and a "Confirm account" button."""

    def __init__(self, aws: Any) -> None:
        super().__init__(
            _("Is this the account you mean?"),
            _("Confirm account"),
            _("Nothing is changed on a real account until you type its id here."),
        )
        self.aws = aws
        self.account_id = widgets.Text(
            description=_("Account id"),
            placeholder="123456789012",
            continuous_update=True,
            style=style.field_style(),
            layout=style.field_layout(),
        )
        self.finish(
            [
                widgets.HTML(who_and_where(aws)),
                self.field(
                    self.account_id,
                    _("The 12 digits above: the account the tutorial will change."),
                    lambda: account_id_problems(self.account_id.value),
                ),
            ]
        )

    def run(self) -> str:
        try:
            return style.ok(confirm_account(self.aws, self.account_id.value))
        except (ValueError, WriteRefused) as refusal:
            return style.fail(str(refusal))


def confirm_account_form(aws: Any) -> ConfirmAccountForm:
    return ConfirmAccountForm(aws)
