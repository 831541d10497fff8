"""Lesson 03 (an IAM user): what the forms' buttons run (the same calls as the notebook's code
cells), and short read-outs the notebook prints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from botocore.exceptions import ClientError

from helpers import defaults
from helpers.authenticator import Phone
from helpers.forms import NameForm, PasswordForm, console_password_action
from helpers.forms.layout import note
from helpers.guard import on_real_account
from helpers.i18n import N_, _
from helpers.iam import access_keys, account, groups, mfa, password_policy, users
from helpers.iam.access_keys import AccessKey
from helpers.iam.policies import policy_name
from helpers.lessons.outcome import Outcome, kept
from helpers.mfa_setup import phone_account_for, remove_user_mfa
from helpers.steps import NotApplied

if TYPE_CHECKING:
    from helpers.status import Report

ADMIN_POLICY_ARN = defaults.GROUP_POLICY_ARN  # AdministratorAccess
ITEMS = ("console.iam_users", "cis.1.9", "cis.1.10")
SCORE = 3  # console items green after this lesson (more when later lessons are done)
WRONG_CODES = ("123456", "654321")  # a typo, or two codes that are not consecutive
MFA_ON = N_("MFA is on for {user}: signing in as {user} now asks for a code.")
REAL_ACCOUNT_OWN_PASSWORD = N_(
    "On a real account, choose the password yourself (the form's own-password box): a generated "
    "one would be neither shown nor saved, so nobody could sign in with it. Nothing was changed."
)


def user_names(iam: Any) -> list[str]:
    return [user["UserName"] for user in iam.list_users()["Users"]]


def user_form(aws: Any) -> NameForm:
    """The name box and "Create user" (default ``alice``); an existing user is kept."""
    return NameForm(
        "user",
        action=lambda name: users.create_user(aws.iam, name),
        existing=lambda: user_names(aws.iam),
    ).plan_first(aws)


def create_user(iam: Any, user_name: str) -> Outcome:
    """What the code cell does (the button runs ``users.create_user`` too): the user, kept if
    it exists."""
    created = users.create_user(iam, user_name)[1]
    if created:
        return Outcome(_("Created the IAM user {user}.").format(user=user_name))
    return kept(
        _("The IAM user {user} already exists (the button or an earlier run made it).").format(
            user=user_name
        )
    )


def new_access_key(iam: Any, user_name: str) -> tuple[AccessKey, Path | None, list[str]]:
    """A new access key, saved like the console's download (``<user>_accessKeys.csv``, 0600).
    The secret can't be read back, so the keys of earlier runs are deleted (their ids are
    returned): the code cell and the catch-up call this. On a real account no file is
    written here (None): the plan form's "Save the key file" asks first."""
    earlier = access_keys.list_access_key_ids(iam, user_name)
    key = access_keys.rotate_access_key(iam, user_name)
    if on_real_account(iam):  # Apply made it: its form offers the file (forms/key_file.py)
        return key, None, earlier
    return key, access_keys.save_access_key_csv(key), earlier


def admin_group(iam: Any, user_name: str, policy_arn: str = ADMIN_POLICY_ARN) -> str | None:
    """The group through which the user gets ``policy_arn`` (lesson 04 moves it there)."""
    for group in iam.list_groups_for_user(UserName=user_name)["Groups"]:
        if policy_name(policy_arn) in groups.group_policy_names(iam, group["GroupName"]):
            return group["GroupName"]
    return None


def give_admin(iam: Any, user_name: str, policy_arn: str = ADMIN_POLICY_ARN) -> Outcome:
    """Attach AdministratorAccess to the user, as the article does; not when the user already
    gets it through a group (lesson 04 moved it there)."""
    group = admin_group(iam, user_name, policy_arn)
    policy = policy_name(policy_arn)
    if group:
        return kept(
            _(
                "{user} already gets {policy} through the group {group} "
                "(lesson 04):\nnot attaching it to the user again."
            ).format(user=user_name, policy=policy, group=group)
        )
    if policy in users.attached_policy_names(iam, user_name):
        return kept(
            _("{user} already has {policy}: nothing to do.").format(user=user_name, policy=policy)
        )
    # aws iam attach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/...
    users.attach_user_policy(iam, user_name, policy_arn)
    return Outcome(_("Attached {policy} to {user}.").format(policy=policy, user=user_name))


def admin_rights(iam: Any, user_name: str, policy_arn: str = ADMIN_POLICY_ARN) -> str:
    """Whether the user has the policy, directly or through a group; one line."""
    own = policy_name(policy_arn) in users.attached_policy_names(iam, user_name)
    has = own or admin_group(iam, user_name, policy_arn) is not None
    return _("{user} has {policy}: {has}").format(
        user=user_name, policy=policy_name(policy_arn), has=has
    )


def set_console_password(
    aws: Any, user_name: str, password: str | None, reset_required: bool = False
) -> str:
    """What "Set password" runs, the code cell and the catch-up: set the user's console
    password (None: a random one that meets the account's policy) and save it with the
    sign-in link to ``<user>_credentials.csv`` (0600). On a real account nothing is saved, so
    a generated password (known to nobody) is not set: type one in the form."""
    if password is None and not aws.is_sandbox:
        return kept(_(REAL_ACCOUNT_OWN_PASSWORD))
    link = account.sign_in_link(aws.iam, aws.account_id)
    action = console_password_action(aws.iam, user_name, link, real_account=not aws.is_sandbox)
    return action(password, password is None, reset_required)


def password_form(aws: Any, user_name: str) -> PasswordForm:
    """Autogenerated or own password, checked against the account's policy as it is typed;
    the button runs ``set_console_password``."""
    return PasswordForm(
        action=lambda password, _generated, reset=False: set_console_password(
            aws, user_name, password, reset
        ),
        policy=lambda: password_policy.get_password_policy(aws.iam),
        user_name=user_name,
    ).plan_first(aws)


def typed_password(form: PasswordForm) -> str | None:
    """The password typed in the form, or None for "Autogenerated password"."""
    return None if form.generated else form.password.value


def start_user_mfa(iam: Any, phone: Phone | None, user_name: str) -> tuple[dict | None, str]:
    """The MFA step's first half (the code cell and the catch-up): a new virtual device named
    after the user, waiting for two codes, and what happened. None when the user already has
    a device the phone knows; a device whose phone entry is gone is removed first, as an
    administrator does for a lost phone (and an unfinished one from a stopped run too).

    ``phone`` None: a real account, where the learner's own phone scans the QR code. Nothing
    is kept here (the virtual phone stores no real secret), and a device the user already has
    is never removed."""
    serials = mfa.mfa_serials(iam, user_name)
    has_one = _("{user} already has an MFA device ({serial}): nothing to start.")
    if phone is None:
        if serials:
            return None, has_one.format(user=user_name, serial=serials[0])
        return NotApplied(), _(
            "{user} has no MFA device yet. On a real account the step below makes it when "
            "you click Apply, then shows its QR code for the authenticator app on your own "
            "phone. The setup key is not stored anywhere by this notebook."
        ).format(user=user_name)
    removed = ""
    if serials:
        if phone_account_for(phone, user_name) is not None:
            return None, has_one.format(user=user_name, serial=serials[0])
        remove_user_mfa(iam, user_name)
        removed = _(
            "{user} had an MFA device the phone no longer knows: removed it, as an "
            "administrator does for a lost phone. Now a new one."
        ).format(user=user_name)
        removed += "\n"
    # aws iam create-virtual-mfa-device --virtual-mfa-device-name alice
    #     --outfile alice-qr.png --bootstrap-method QRCodePNG
    device = mfa.create_virtual_mfa_device(iam, user_name)
    waits = _("A new MFA device waits for two codes: {serial}").format(
        serial=device["SerialNumber"]
    )
    return device, removed + waits


def real_phone_step(aws: Any, user_name: str, show: Callable[[Any], Any] | None = None) -> Any:
    """On a real account: the plan of the user's MFA device; Apply makes it and shows its QR
    code and two code boxes for the learner's own phone (``helpers.real_mfa``)."""
    from helpers.real_mfa import real_mfa_widget
    from helpers.steps import apply_or_plan

    return apply_or_plan(
        aws,
        lambda: real_mfa_widget(aws, user_name),
        _("An MFA device for {user}").format(user=user_name),
        show,
    )


def typed_codes(ask: Callable[[str], str] = input) -> tuple[str, str]:
    """On a real account: two consecutive codes typed from the learner's own phone."""
    code1 = ask(_("Code 1 (the code your app shows now): ")).strip()
    code2 = ask(_("Code 2 (the next code, after it changes): ")).strip()
    return code1, code2


def waiting(iam: Any, user_name: str, device: dict | None) -> bool:
    """Whether ``device`` still waits for its two codes (not yet assigned to the user)."""
    return device is not None and device["SerialNumber"] not in mfa.mfa_serials(iam, user_name)


def enable_user_mfa(
    iam: Any,
    user_name: str,
    device: dict,
    code1: str,
    code2: str,
    then: Callable[[], Any] | None = None,
) -> str:
    """Turn the waiting device on with two consecutive codes, then ``then()`` (the checklist's
    refresh). The button, the code cell and the catch-up call this."""
    # aws iam enable-mfa-device --user-name alice --serial-number arn:aws:iam::…:mfa/alice
    #     --authentication-code1 CODE1 --authentication-code2 CODE2
    mfa.enable_mfa_device(iam, user_name, device["SerialNumber"], code1, code2)
    if then is not None:
        then()
    return _(MFA_ON).format(user=user_name)


def user_mfa_line(iam: Any, user_name: str) -> str:
    """The user's MFA as ``list_mfa_devices`` says it, in one line that is the same whether this
    run turned it on or an earlier one did."""
    if mfa.mfa_serials(iam, user_name):
        return _(MFA_ON).format(user=user_name)
    return _("{user} has no MFA device yet.").format(user=user_name)


def try_wrong_codes(iam: Any, user_name: str, device: dict | None) -> ClientError | str:
    """Send two made-up codes with ``enable_mfa_device`` and return AWS's refusal. They go to
    ``device`` while it waits for codes; when the user has MFA already (a re-run), to a second
    device made for the purpose (AWS allows up to 8 per user) and deleted afterwards, so that
    nothing half-made stays."""
    practice = None
    if waiting(iam, user_name, device):
        serial = device["SerialNumber"]  # type: ignore[index]
    else:
        practice = mfa.create_virtual_mfa_device(iam, f"{user_name}-practice")["SerialNumber"]
        serial = practice
    try:
        # aws iam enable-mfa-device --user-name alice --serial-number arn:aws:iam::…:mfa/alice
        #     --authentication-code1 123456 --authentication-code2 654321
        iam.enable_mfa_device(
            UserName=user_name,
            SerialNumber=serial,
            AuthenticationCode1=WRONG_CODES[0],
            AuthenticationCode2=WRONG_CODES[1],
        )
    except iam.exceptions.InvalidAuthenticationCodeException as refusal:
        return refusal
    finally:
        if practice is not None and practice not in mfa.mfa_serials(iam, user_name):
            # aws iam delete-virtual-mfa-device --serial-number arn:aws:iam::…:mfa/alice-practice
            iam.delete_virtual_mfa_device(SerialNumber=practice)
    return _("AWS accepted the codes {first} and {second}: {serial} is now {user}'s.").format(
        first=WRONG_CODES[0], second=WRONG_CODES[1], serial=serial, user=user_name
    )


def enable_action(
    iam: Any, user_name: str, device: dict | None, then: Callable[[], Any] | None = None
) -> Callable[[str, str], str | widgets.HTML]:
    """What the CodeEntry's "Assign MFA" runs: ``enable_user_mfa`` with the typed codes."""

    def enable(code1: str, code2: str) -> str | widgets.HTML:
        if device is None:
            return note(
                _("No device is waiting for codes: {user} already has MFA.").format(user=user_name)
            )
        if not waiting(iam, user_name, device):
            return note(
                _("{user} already has this MFA device (an earlier click or Run All).").format(
                    user=user_name
                )
            )
        return enable_user_mfa(iam, user_name, device, code1, code2, then)

    return enable


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
