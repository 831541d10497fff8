"""The account's password policy for IAM users, with the CIS and AWS-default presets and a box
to try a password against the settings before applying them (lesson 05)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from helpers import defaults
from helpers.i18n import N_, _
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
DEFAULT_POLICY_TEXT = N_(
    "No custom policy: AWS's default password policy applies (8-128 characters, at least three "
    "of upper case, lower case, digits and symbols, not the account name or email address)."
)
# AWS's limits (UpdateAccountPasswordPolicy); the widgets refuse values outside them.
BOUNDS = POLICY_BOUNDS
CLASS_LABELS = {
    "RequireUppercaseCharacters": N_("upper-case letters"),
    "RequireLowercaseCharacters": N_("lower-case letters"),
    "RequireNumbers": N_("digits"),
    "RequireSymbols": N_("symbols"),
}
TICK_TEMPLATES = {
    "RequireUppercaseCharacters": N_("an upper-case letter (A-Z)"),
    "RequireLowercaseCharacters": N_("a lower-case letter (a-z)"),
    "RequireNumbers": N_("a digit (0-9)"),
    "RequireSymbols": N_("a symbol ({symbols})"),
}
SPACED_SYMBOLS = " ".join(SYMBOLS)
# The English labels of the character boxes (the browser test finds the boxes by them).
CLASS_TICKS = {key: text.format(symbols=SPACED_SYMBOLS) for key, text in TICK_TEMPLATES.items()}


def class_tick(key: str) -> str:
    """The label of a character box in the learner's language."""
    return _(TICK_TEMPLATES[key]).format(symbols=SPACED_SYMBOLS)


def and_list(items: list[str]) -> str:
    """``a, b and c`` in the learner's language."""
    if len(items) < 2:
        return "".join(items)
    joined = items[0]
    for item in items[1:-1]:
        joined = _("{list}, {item}").format(list=joined, item=item)
    return _("{list} and {last}").format(list=joined, last=items[-1])


def cis_words(policy: dict) -> list[tuple[str, bool]]:
    """``helpers.rules.passwords.cis_checks(policy)`` in the learner's language."""
    return cis_checks(policy, say=_)


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
    classes = [_(label) for key, label in CLASS_LABELS.items() if policy.get(key)]
    count = policy.get("MinimumPasswordLength", DEFAULT_MIN_LENGTH)
    lines = [
        _("Passwords need at least {count} characters with {kinds}.").format(
            count=count, kinds=and_list(classes)
        )
        if classes
        else _("Passwords need at least {count} characters.").format(count=count)
    ]
    if "MaxPasswordAge" in policy:
        expiry = (
            _("They expire after {days} days; only an administrator can then set a new one.")
            if policy.get("HardExpiry")
            else _("They expire after {days} days; users then choose a new one at sign-in.")
        )
        lines.append(expiry.format(days=policy["MaxPasswordAge"]))
    else:
        lines.append(_("They never expire."))
    if "PasswordReusePrevention" in policy:
        lines.append(
            _("The last {count} passwords can't be reused.").format(
                count=policy["PasswordReusePrevention"]
            )
        )
    lines.append(
        _("Users may change their own password.")
        if policy.get("AllowUsersToChangePassword")
        else _("Only an administrator can change users' passwords.")
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
        button: str = N_("Apply password policy"),
    ) -> None:
        super().__init__(
            _("Password policy for IAM users"),
            _(button),
            _(
                "It applies to IAM users' console passwords, not to the root user. Numbers stay "
                "within AWS's limits: a value outside them moves to the nearest limit."
            ),
        )
        self.action = action
        cis = defaults.CIS_PASSWORD_POLICY
        self.min_length = _number(
            "MinimumPasswordLength", cis["MinimumPasswordLength"], _("Minimum length")
        )
        self.classes = {key: _tick(class_tick(key)) for key in CLASS_TICKS}
        self.allow_change = _tick(_("Allow users to change their own password"))
        self.expire = _tick(_("Passwords expire after"), indent=False, width="auto")
        self.max_age = _number("MaxPasswordAge", cis.get("MaxPasswordAge", 90))
        self.hard_expiry = _tick(_("Expired passwords need an administrator to reset them"))
        self.reuse = _tick(_("Prevent reuse of the last"), indent=False, width="auto")
        self.reuse_count = _number("PasswordReusePrevention", cis["PasswordReusePrevention"])
        self.cis_button = widgets.Button(description=_("CIS benchmark"), icon="shield")
        self.default_button = widgets.Button(
            description=_("AWS default"),
            icon="undo",
            tooltip=_("No custom policy: AWS's default password policy applies"),
        )
        self.aws_default = False  # True: apply no custom policy (AWS's default)
        self.cis_button.on_click(lambda _: self.use(defaults.CIS_PASSWORD_POLICY))
        self.default_button.on_click(lambda _: self.use_aws_default())
        self.summary = widgets.HTML(layout=widgets.Layout(margin=f"4px 0 0 {style.INDENT}"))
        self.trial = widgets.Password(
            description=_("Try a password"),
            placeholder=_("checked against the settings above"),
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
                self.field(
                    self.min_length,
                    _("{low}-{high} characters (AWS's limits).").format(low=low, high=high),
                ),
                _inline(_("Passwords must contain at least")),
                widgets.VBox(list(self.classes.values())),
                self.field(
                    self.allow_change, _("Off: only an administrator can set their passwords.")
                ),
                _inline(self.expire, self.max_age, _("days")),
                style.hint(
                    _("{low}-{high} days (AWS's limits).").format(low=age_low, high=age_high)
                ),
                self.field(
                    self.hard_expiry,
                    _("Off: a user whose password expired picks a new one at sign-in."),
                ),
                _inline(self.reuse, self.reuse_count, _("passwords")),
                style.hint(
                    _("{low}-{high} passwords (AWS's limits).").format(
                        low=reuse_low, high=reuse_high
                    )
                ),
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
        lines = summarize(policy) if policy is not None else [_(DEFAULT_POLICY_TEXT)]
        self.summary.value = "".join(style.note(line) for line in lines) + (
            style.checklist(cis_words(policy or {}))
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
            return style.note(_(NO_ACTION))
        result = self.action(**(self.chosen or {}))  # none: AWS's default
        return style.result_html(result, style.ok(_("The password policy is applied.")))
