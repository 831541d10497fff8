"""Lesson 06 (sign-in link): the alias form, the sign-in page next to the phone, and the small
pieces of the access-key part (which phone entry, a code that is surely wrong, how long the
temporary credentials last)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers import defaults
from helpers.authenticator import Phone, PhonePanel
from helpers.connect import session_for
from helpers.forms import AliasForm, SignInForm
from helpers.forms.picture import Pictured
from helpers.i18n import _, ngettext
from helpers.iam import account, groups, mfa
from helpers.iam.access_keys import AccessKey
from helpers.iam.policies import FORCE_MFA_NAME, force_mfa_document
from helpers.lessons.outcome import Outcome, kept
from helpers.mfa_setup import device_name_of, phone_account_for

if TYPE_CHECKING:
    from helpers.status import Report

ITEMS = ("cis.1.6",)

WINDOW_STEPS = 1  # AWS (and the sandbox) accept the code of one 30-second step either way


def alias_form(aws: Any) -> AliasForm:
    """The lesson's form: the alias (default ``my-first-aws-account``) and today's link."""
    return AliasForm(
        action=lambda alias: account.set_alias(aws.iam, alias),
        current_link=lambda: account.sign_in_link(aws.iam, aws.account_id),
    ).plan_first(aws)


def set_alias(iam: Any, alias: str) -> Outcome:
    """What the code cell does (the button runs ``account.set_alias`` too): the account alias,
    kept when it already is this one."""
    if account.get_alias(iam) == alias:
        return kept(
            _("The account alias already is {alias} (the button or an earlier run): kept.").format(
                alias=alias
            )
        )
    # aws iam create-account-alias --account-alias my-first-aws-account   (as the button does)
    account.set_alias(iam, alias)
    return Outcome(_("The account alias is now {alias}.").format(alias=alias))


def phone_entry(aws: Any, phone: Phone, user_name: str = defaults.USER_NAME) -> str:
    """The name of the phone's entry for the user's MFA device (``issuer:label``), for
    ``phone.code(...)``. Its label is ``DEVICE@ALIAS_OR_ACCOUNT`` as it was when scanned."""
    for serial in mfa.mfa_serials(aws.iam, user_name):
        entry = phone_account_for(phone, device_name_of(serial))
        if entry is not None:
            return entry.name
    raise LookupError(
        _(
            "The phone has no entry for {user}'s MFA device: run lesson 03 (or its catch-up)."
        ).format(user=user_name)
    )


def sts_for_key(aws: Any, key: AccessKey) -> Any:
    """An STS client that signs with the user's access key (``<user>_accessKeys.csv``)."""
    return session_for(key.access_key_id, key.secret_access_key).client(
        "sts", endpoint_url=aws.endpoint
    )


def key_identity(sts: Any) -> str:
    """Who the key's client is (``get_caller_identity``): using the key, as the code cell and
    the catch-up do, is what the CIS check of keys never used reads."""
    # AWS_ACCESS_KEY_ID=AKIA… AWS_SECRET_ACCESS_KEY=… aws sts get-caller-identity
    return sts.get_caller_identity()["Arn"]


def wrong_code(phone: Phone, entry: str) -> str:
    """A six-digit code the device does not show now, nor one step before or after."""
    account = phone.find(entry)
    now = dt.datetime.now(dt.UTC).timestamp()
    valid = {account.code(now + 30 * step) for step in range(-WINDOW_STEPS, WINDOW_STEPS + 1)}
    candidate = 0
    while f"{candidate:06d}" in valid:
        candidate += 111111
    return f"{candidate:06d}"


def sign_in_page(
    aws: Any, phone: Phone, password: str, user_name: str = defaults.USER_NAME
) -> tuple[SignInForm, PhonePanel, SignInPage]:
    """The sign-in form (filled in but the MFA code) beside the phone, whose "Copy code" puts
    the code into the form's MFA box. On a real account the form has no action: sign in with
    the link in a browser instead."""
    form = SignInForm(
        action=aws.console.sign_in if aws.is_sandbox else None,
        account=account.get_alias(aws.iam) or aws.account_id,
        user_name=user_name,
        password=password,
    )
    form.layout.margin = "0 24px 12px 0"
    panel = PhonePanel(phone, on_copy=form.fill)
    page = SignInPage(
        [form, panel],
        layout=widgets.Layout(align_items="flex-start", flex_flow="row wrap"),
    )
    return form, panel, page


class SignInPage(Pictured, widgets.HBox):
    """The sign-in form beside the phone. Its text form names it only: the default widget repr
    would spell out the children, the password box's value among them."""

    def __repr__(self) -> str:
        return _("<the sign-in page beside the virtual phone>")

    def picture_plain(self) -> str:
        return repr(self)


def expires_in(expiration: dt.datetime, now: dt.datetime | None = None) -> str:
    """``12 hours`` (rounded to the nearest quarter hour)."""
    now = now or dt.datetime.now(dt.UTC)
    hours = round((expiration - now).total_seconds() / 900) / 4
    # ngettext needs a whole number: 1 is the only singular (0.5 hours, 1.5 hours).
    return ngettext("{hours} hour", "{hours} hours", 1 if hours == 1 else 2).format(
        hours=f"{hours:g}"
    )


def force_mfa_policy_arn(iam: Any) -> str:
    """The account's ForceMFA policy (AWS's example policy), made on first use."""
    try:
        # aws iam create-policy --policy-name ForceMFA --policy-document file://force-mfa.json
        return iam.create_policy(
            PolicyName=FORCE_MFA_NAME,
            PolicyDocument=force_mfa_document(),
            Description="Deny almost everything unless signed in with MFA (AWS's example).",
        )["Policy"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        local = iam.list_policies(Scope="Local")["Policies"]
        return next(p["Arn"] for p in local if p["PolicyName"] == FORCE_MFA_NAME)


def require_mfa(
    iam: Any, group_names: tuple[str, ...] = defaults.FORCE_MFA_GROUPS
) -> list[Outcome]:
    """Attach ForceMFA to every group of people that exists: their members' long-term keys can
    then only set up MFA; an MFA session can do their job. What the code cell and the catch-up
    do."""
    arn = force_mfa_policy_arn(iam)
    existing = {g["GroupName"] for g in iam.list_groups()["Groups"]}
    done = []
    for name in group_names:
        if name not in existing:
            continue
        if FORCE_MFA_NAME in groups.group_policy_names(iam, name):
            done.append(kept(_("{group} already requires MFA: nothing to do.").format(group=name)))
            continue
        # aws iam attach-group-policy --group-name Admins --policy-arn ARN_OF_ForceMFA
        groups.attach_group_policy(iam, name, arn)
        done.append(
            Outcome(
                _("{group} now requires MFA ({policy} attached).").format(
                    group=name, policy=FORCE_MFA_NAME
                )
            )
        )
    return done


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
