"""The account alias: the memorable name in the IAM users' sign-in link (lesson 06)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from helpers import defaults
from helpers.i18n import N_, _
from helpers.rules.alias import alias_problems, sign_in_url

from . import style
from .base import NO_ACTION, Form, fetch


class AliasForm(Form):
    """Alias + "Set alias"; ``action(alias)`` sets it (``helpers.iam.account.set_alias``
    returns the new sign-in link, which is shown as a link). ``current_link()`` gives today's
    sign-in link; it is read when the form is built and after each submit."""

    def __init__(
        self,
        action: Callable[[str], Any] | None = None,
        value: str = defaults.ACCOUNT_ALIAS,
        current_link: Callable[[], str | None] | None = None,
        *,
        button: str = N_("Set alias"),
    ) -> None:
        super().__init__(_("Account alias"), _(button))
        self.action = action
        self._current_source = current_link
        self.current_link: str | None = fetch(current_link, None, "the sign-in link")
        self.alias = widgets.Text(
            value=value,
            description=_("Alias"),
            placeholder=_("e.g. {example}").format(example="my-company"),
            continuous_update=True,
            style=style.field_style(),
            layout=style.field_layout(),
        )
        self.preview = widgets.HTML(layout=widgets.Layout(margin=f"0 0 0 {style.INDENT}"))
        self.current = widgets.HTML(layout=widgets.Layout(margin=f"0 0 0 {style.INDENT}"))
        self.finish(
            [
                self.field(
                    self.alias,
                    _(
                        "3-63 lower-case letters, digits and single hyphens; starts and ends with "
                        "a letter or digit. Unique across all of AWS."
                    ),
                    lambda: alias_problems(self.alias.value, say=_),
                ),
                self.preview,
                self.current,
            ]
        )

    @property
    def value(self) -> str:
        return self.alias.value

    @value.setter
    def value(self, new: str) -> None:
        self.alias.value = new

    def refresh(self) -> list[str]:
        problems = super().refresh()
        alias = self.alias.value
        self.preview.value = (
            "" if problems else _line(_("The sign-in link will be"), style.link(sign_in_url(alias)))
        )
        self.current.value = (
            _line(_("Today's sign-in link"), style.link(self.current_link))
            if self.current_link
            else ""
        )
        return problems

    def refresh_current(self) -> str | None:
        self.current_link = fetch(self._current_source, None, "the sign-in link")
        self.refresh()
        return self.current_link

    def after_submit(self, succeeded: bool) -> None:
        self.refresh_current()

    def run(self) -> str:
        if self.action is None:
            return style.note(_(NO_ACTION))
        alias = self.alias.value
        result = self.action(alias)
        if isinstance(result, str) and result.startswith("https://"):
            return _line(
                _("✓ The alias is {alias}. IAM users now sign in at").format(alias=alias),
                style.link(result),
                style.GREEN,
            )
        return style.result_html(
            result, style.ok(_("The account alias is now {alias}.").format(alias=alias))
        )


def _line(label: str, link_html: str, colour: str = style.GREY) -> str:
    return (
        f'<div style="color:{colour};font-size:13px;line-height:1.45">'
        f"{html.escape(label)}: {link_html}</div>"
    )
