"""A new IAM group and the AWS managed policy it carries (lesson 04)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from helpers import defaults
from helpers.i18n import N_, _
from helpers.iam.policies import policy_name

from . import style
from .base import NO_ACTION
from .name_form import NameForm, describe_created

# One line on what each of defaults.GROUP_POLICIES lets the group's members do.
POLICY_HINTS = {
    "AdministratorAccess": N_("Full access to every AWS service and resource."),
    "PowerUserAccess": N_(
        "Everything except managing IAM users, groups and permissions, and Organizations."
    ),
    "ReadOnlyAccess": N_("Look at everything, change nothing."),
    "IAMUserChangePassword": N_("Only lets members change their own console password."),
}


class GroupForm(NameForm):
    """Group name + policy + "Create group"; ``action(name, policy_arn)`` does the work."""

    def __init__(
        self,
        value: str | None = None,
        policy_arn: str = defaults.GROUP_POLICY_ARN,
        action: Callable[[str, str], Any] | None = None,
        existing: Callable[[], list[str]] | None = None,
        button: str = N_("Create group"),
    ) -> None:
        # Read by extra_rows(), which the parent's __init__ calls.
        self._initial_policy = policy_arn
        super().__init__(
            "group", value, None, existing, _(button), title=_("Create a group with a policy")
        )
        self.action = action

    def extra_rows(self) -> list[widgets.Widget]:
        options = list(defaults.GROUP_POLICIES.items())
        if self._initial_policy not in defaults.GROUP_POLICIES.values():
            options.append((policy_name(self._initial_policy), self._initial_policy))
        self.policy = widgets.Dropdown(
            options=options,
            value=self._initial_policy,
            description=_("Policy"),
            style=style.field_style(),
            layout=style.field_layout(),
        )
        self._policy_hint = style.hint("")
        self.policy.observe(lambda _: self._describe_policy(), "value")
        self._describe_policy()
        return [self.field(self.policy, self._policy_hint)]

    def _describe_policy(self) -> None:
        name = self.policy.label
        text = _(POLICY_HINTS[name]) if name in POLICY_HINTS else _("An AWS managed policy.")
        style.set_hint(
            self._policy_hint, _("{policy} Every member of the group gets it.").format(policy=text)
        )

    @property
    def policy_arn(self) -> str:
        return self.policy.value

    def run(self) -> str:
        if self.action is None:
            return style.note(_(NO_ACTION))
        name = self.name.value
        result = self.action(name, self.policy.value)
        made = _("Created the group {name} with {policy}.").format(
            name=name, policy=self.policy.label
        )
        return describe_created(result, "group", name, made)
