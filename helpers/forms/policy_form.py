"""The account's password policy for IAM users, with the CIS and AWS-default presets and a box
to try a password against the settings before applying them (lesson 05)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from helpers import defaults
from helpers.rules.passwords import (
    DEFAULT_MIN_LENGTH,
    POLICY_BOUNDS,
    SYMBOLS,
    cis_checks,
    password_problems,
)

from . import style
from .base import NO_ACTION, Form
from .password_form import password_checklist

# https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
DEFAULT_POLICY_TEXT = (
    "No custom policy: AWS's default password policy applies (8-128 characters, at least three "
    "of upper case, lower case, digits and symbols, not the account name or email address)."
)
# AWS's limits (UpdateAccountPasswordPolicy); the widgets refuse values outside them.
BOUNDS = POLICY_BOUNDS
CLASS_LABELS = {
    "RequireUppercaseCharacters": "upper-case letters",
    "RequireLowercaseCharacters": "lower-case letters",
    "RequireNumbers": "digits",
    "RequireSymbols": "symbols",
}
CLASS_TICKS = {
    "RequireUppercaseCharacters": "an upper-case letter (A-Z)",
    "RequireLowercaseCharacters": "a lower-case letter (a-z)",
    "RequireNumbers": "a digit (0-9)",
    "RequireSymbols": f"a symbol ({' '.join(SYMBOLS)})",
}


def _number(key: str, value: int, description: str = "") -> widgets.BoundedIntText:
    low, high = BOUNDS[key]
    if description:
        layout = style.field_layout(style.SHORT_FIELD_WIDTH)
    else:
        layout = widgets.Layout(width="80px")
    return widgets.BoundedIntText(
        value=value,
        min=low,
        max=high,
        description=description,
        style=style.field_style(),
        layout=layout,
    )


def _tick(description: str, indent: bool = True, width: str = "460px") -> widgets.Checkbox:
    margin = f"0 0 0 {style.INDENT}" if indent else "0"
    return widgets.Checkbox(
        description=description,
        indent=False,
        layout=widgets.Layout(width=width, margin=margin),
    )


def _inline(*parts: widgets.Widget | str) -> widgets.HBox:
    """A sentence of widgets: "Passwords expire after [90] days"."""
    children = [
        widgets.HTML(f'<span style="font-size:13px">{part}</span>')
        if isinstance(part, str)
        else part
        for part in parts
    ]
    return widgets.HBox(
        children,
        layout=widgets.Layout(align_items="center", margin=f"0 0 0 {style.INDENT}"),
    )


def summarize(policy: dict) -> list[str]:
    """The policy in a few plain sentences."""
    classes = [label for key, label in CLASS_LABELS.items() if policy.get(key)]
    needs = f"at least {policy.get('MinimumPasswordLength', DEFAULT_MIN_LENGTH)} characters"
    if classes:
        needs += " with " + (
            ", ".join(classes[:-1]) + " and " + classes[-1] if len(classes) > 1 else classes[0]
        )
    lines = [f"Passwords need {needs}."]
    if "MaxPasswordAge" in policy:
        after = (
            "only an administrator can then set a new one"
            if policy.get("HardExpiry")
            else "users then choose a new one at sign-in"
        )
        lines.append(f"They expire after {policy['MaxPasswordAge']} days; {after}.")
    else:
        lines.append("They never expire.")
    if "PasswordReusePrevention" in policy:
        lines.append(f"The last {policy['PasswordReusePrevention']} passwords can't be reused.")
    lines.append(
        "Users may change their own password."
        if policy.get("AllowUsersToChangePassword")
        else "Only an administrator can change users' passwords."
    )
    return lines


class PolicyForm(Form):
    """The password policy's settings; ``action(**policy)`` applies them, e.g.
    ``lambda **p: helpers.iam.password_policy.update_password_policy(iam, **p)``.

    Starts from ``initial`` (update_account_password_policy keyword arguments), by default the
    CIS benchmark preset.
    """

    def __init__(
        self,
        action: Callable[..., Any] | None = None,
        initial: dict | None = None,
        *,
        button: str = "Apply password policy",
    ) -> None:
        super().__init__(
            "Password policy for IAM users",
            button,
            "It applies to IAM users' console passwords, not to the root user. Numbers stay "
            "within AWS's limits: a value outside them moves to the nearest limit.",
        )
        self.action = action
        cis = defaults.CIS_PASSWORD_POLICY
        self.min_length = _number(
            "MinimumPasswordLength", cis["MinimumPasswordLength"], "Minimum length"
        )
        self.classes = {key: _tick(text) for key, text in CLASS_TICKS.items()}
        self.allow_change = _tick("Allow users to change their own password")
        self.expire = _tick("Passwords expire after", indent=False, width="auto")
        self.max_age = _number("MaxPasswordAge", cis.get("MaxPasswordAge", 90))
        self.hard_expiry = _tick("Expired passwords need an administrator to reset them")
        self.reuse = _tick("Prevent reuse of the last", indent=False, width="auto")
        self.reuse_count = _number("PasswordReusePrevention", cis["PasswordReusePrevention"])
        self.cis_button = widgets.Button(description="CIS benchmark", icon="shield")
        self.default_button = widgets.Button(
            description="AWS default",
            icon="undo",
            tooltip="No custom policy: AWS's default password policy applies",
        )
        self.aws_default = False  # True: apply no custom policy (AWS's default)
        self.cis_button.on_click(lambda _: self.use(defaults.CIS_PASSWORD_POLICY))
        self.default_button.on_click(lambda _: self.use_aws_default())
        self.summary = widgets.HTML(layout=widgets.Layout(margin=f"4px 0 0 {style.INDENT}"))
        self.trial = widgets.Password(
            description="Try a password",
            placeholder="checked against the settings above",
            continuous_update=True,
            style=style.field_style(),
            layout=style.field_layout(),
        )
        self.trial_result = style.message_area()
        self.watch(*self.classes.values(), self.trial, self.expire, self.max_age)
        self.watch(self.reuse, self.reuse_count)
        fields = [self.min_length, *self.classes.values(), self.allow_change, self.expire]
        for field in [*fields, self.max_age, self.hard_expiry, self.reuse, self.reuse_count]:
            field.observe(self._custom, names="value")

        low, high = BOUNDS["MinimumPasswordLength"]
        age_low, age_high = BOUNDS["MaxPasswordAge"]
        reuse_low, reuse_high = BOUNDS["PasswordReusePrevention"]
        self.finish(
            [
                widgets.HBox(
                    [self.cis_button, self.default_button],
                    layout=widgets.Layout(margin=f"2px 0 4px {style.INDENT}"),
                ),
                self.field(self.min_length, f"{low}-{high} characters (AWS's limits)."),
                _inline("Passwords must contain at least"),
                widgets.VBox(list(self.classes.values())),
                self.field(
                    self.allow_change, "Off: only an administrator can set their passwords."
                ),
                _inline(self.expire, self.max_age, "days"),
                style.hint(f"{age_low}-{age_high} days (AWS's limits)."),
                self.field(
                    self.hard_expiry,
                    "Off: a user whose password expired picks a new one at sign-in.",
                ),
                _inline(self.reuse, self.reuse_count, "passwords"),
                style.hint(f"{reuse_low}-{reuse_high} passwords (AWS's limits)."),
                self.summary,
                widgets.VBox(
                    [self.trial, self.trial_result], layout=widgets.Layout(margin="8px 0 0 0")
                ),
            ]
        )
        self.use(initial if initial is not None else cis)

    def _custom(self, _change: object = None) -> None:
        """A field changed: the form holds a custom policy again."""
        self.aws_default = False

    def use_aws_default(self) -> None:
        """AWS's default: no custom policy at all (8-128 characters, three of the four kinds,
        not the account name or email), which no custom policy can express. The fields show
        its length; applying removes the account's custom policy."""
        self.use({"MinimumPasswordLength": DEFAULT_MIN_LENGTH})
        self.aws_default = True
        self.refresh()

    @property
    def chosen(self) -> dict | None:
        """What applying sets: ``policy``, or None for AWS's default (no custom policy)."""
        return None if self.aws_default else self.policy

    def use(self, preset: dict) -> None:
        """Fill the fields from update_account_password_policy keyword arguments, or from
        get_account_password_policy's answer (what is left out is off, as in AWS)."""
        self.min_length.value = preset.get("MinimumPasswordLength", 6)
        for key, box in self.classes.items():
            box.value = bool(preset.get(key, False))
        self.allow_change.value = bool(preset.get("AllowUsersToChangePassword", False))
        # A policy read back from AWS may carry 0 (or ExpirePasswords False) for "off".
        self.expire.value = bool(preset.get("MaxPasswordAge")) and preset.get(
            "ExpirePasswords", True
        )
        if self.expire.value:
            self.max_age.value = preset["MaxPasswordAge"]
        self.hard_expiry.value = bool(preset.get("HardExpiry", False))
        self.reuse.value = bool(preset.get("PasswordReusePrevention"))
        if self.reuse.value:
            self.reuse_count.value = preset["PasswordReusePrevention"]
        self.refresh()

    @property
    def policy(self) -> dict:
        """The settings as update_account_password_policy keyword arguments."""
        policy: dict[str, Any] = {"MinimumPasswordLength": self.min_length.value}
        policy.update({key: box.value for key, box in self.classes.items()})
        policy["AllowUsersToChangePassword"] = self.allow_change.value
        if self.expire.value:
            policy["MaxPasswordAge"] = self.max_age.value
        if self.reuse.value:
            policy["PasswordReusePrevention"] = self.reuse_count.value
        policy["HardExpiry"] = self.expire.value and self.hard_expiry.value
        return policy

    def refresh(self) -> list[str]:
        self.max_age.disabled = self.hard_expiry.disabled = not self.expire.value
        self.reuse_count.disabled = not self.reuse.value
        policy = self.chosen
        lines = summarize(policy) if policy is not None else [DEFAULT_POLICY_TEXT]
        self.summary.value = "".join(style.note(line) for line in lines) + (
            style.checklist(cis_checks(policy or {}))
        )
        trial = self.trial.value
        style.show(
            self.trial_result,
            style.checklist(password_checklist(trial, policy)) if trial else "",
        )
        return super().refresh()

    def trial_problems(self, password: str | None = None) -> list[str]:
        """What the "Try a password" box (or ``password``) breaks under the current settings."""
        return password_problems(self.trial.value if password is None else password, self.chosen)

    def run(self) -> str:
        if self.action is None:
            return style.note(NO_ACTION)
        result = self.action(**(self.chosen or {}))  # none: AWS's default
        return style.result_html(result, style.ok("The password policy is applied."))
