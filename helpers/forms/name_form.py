"""A name box for a new IAM user or group, checked against AWS's naming rules as it is typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from helpers import defaults
from helpers.i18n import N_, _
from helpers.rules.names import MAX_LENGTH, RULE, name_problems

from . import style
from .base import NO_ACTION, Form, fetch

DEFAULT_NAMES = {"user": defaults.USER_NAME, "group": defaults.GROUP_NAME}
# What the form says, by kind (whole sentences: a translation may order words its own way).
TITLES = {"user": N_("Create an IAM user"), "group": N_("Create an IAM group")}
BUTTONS = {"user": N_("Create user"), "group": N_("Create group")}
NAME_LABELS = {"user": N_("User name"), "group": N_("Group name")}
VALID = {"user": N_("{name} is a valid user name."), "group": N_("{name} is a valid group name.")}
KEPT = {
    "user": N_("The user {name} already exists; it is kept as it is."),
    "group": N_("The group {name} already exists; it is kept as it is."),
}
CREATED = {"user": N_("Created the user {name}."), "group": N_("Created the group {name}.")}


class NameForm(Form):
    """Name + "Create" button. ``action(name)`` does the work and may return a message (text or
    HTML), or ``(resource, created)`` as the ``helpers.iam`` create functions do.

    ``existing()`` lists the names already taken; it is read when the form is built and after
    each submit. The very same name is accepted (the tutorial's actions keep an existing user,
    so a lesson can run twice); the same name in other letter case is not, as in AWS.
    """

    def __init__(
        self,
        kind: str = "user",
        value: str | None = None,
        action: Callable[[str], Any] | None = None,
        existing: Callable[[], list[str]] | None = None,
        button: str | None = None,
        *,
        title: str | None = None,
    ) -> None:
        if kind not in MAX_LENGTH:
            raise ValueError(f"kind is 'user' or 'group', not {kind!r}")
        super().__init__(title or _(TITLES[kind]), button or _(BUTTONS[kind]))
        self.kind = kind
        self.action = action
        self._existing = existing
        self.existing_names: list[str] = fetch(existing, [], f"the existing {kind} names")
        self.name = widgets.Text(
            value=DEFAULT_NAMES[kind] if value is None else value,
            description=_(NAME_LABELS[kind]),
            placeholder=_("e.g. {example}").format(example=DEFAULT_NAMES[kind]),
            continuous_update=True,
            style=style.field_style(),
            layout=style.field_layout(),
        )
        self._rows = [
            self.field(
                self.name,
                _(
                    "1-{longest} characters: {rule} (no spaces). Unique in the account "
                    "regardless of upper/lower case."
                ).format(longest=MAX_LENGTH[kind], rule=_(RULE)),
                self._check_name,
            ),
            *self.extra_rows(),
        ]
        self.finish(self._rows)

    def extra_rows(self) -> list[widgets.Widget]:
        """More rows under the name (subclasses)."""
        return []

    @property
    def value(self) -> str:
        return self.name.value

    @value.setter
    def value(self, new: str) -> None:
        self.name.value = new

    def _check_name(self) -> tuple[list[str], str]:
        name = self.name.value
        same = name in self.existing_names
        others = [n for n in self.existing_names if n != name]
        problems = name_problems(name, self.kind, others, say=_)
        if problems:
            return problems, style.problems_html(problems)
        if same:
            return [], style.note(
                _(
                    "{name} already exists: the button keeps it as it is (a lesson can run twice)."
                ).format(name=repr(name))
            )
        return [], style.ok(_(VALID[self.kind]).format(name=repr(name)))

    def refresh_existing(self) -> list[str]:
        """Read the existing names again (``existing()``) and re-check."""
        self.existing_names = fetch(self._existing, [], f"the existing {self.kind} names")
        self.refresh()
        return self.existing_names

    def after_submit(self, succeeded: bool) -> None:
        self.refresh_existing()

    def run(self) -> str:
        if self.action is None:
            return style.note(_(NO_ACTION))
        name = self.name.value
        return describe_created(self.action(name), self.kind, name)


def describe_created(result: Any, kind: str, name: str, made: str = "") -> str:
    """The status for a create action's answer; ``(resource, created)`` tells whether it was
    made now or already existed. ``made`` is the message for "created" (plain text)."""
    if (
        isinstance(result, tuple)
        and len(result) == 2
        and isinstance(result[1], bool)
        and not result[1]
    ):
        return style.note(_(KEPT[kind]).format(name=name))
    return style.result_html(result, style.ok(made or _(CREATED[kind]).format(name=name)))
