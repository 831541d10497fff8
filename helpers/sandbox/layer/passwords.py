"""Console passwords of IAM users, checked as AWS checks them.

AWS (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html):
every password set with ``CreateLoginProfile``, ``UpdateLoginProfile`` or ``ChangePassword`` must
satisfy the account password policy, or when none is set AWS's default one (8-128 characters, at
least three of upper case, lower case, digits and symbols, not identical to the account name);
otherwise ``PasswordPolicyViolation`` (400). moto checks nothing, drops ``PasswordResetRequired``
on create, clears the login profile when ``UpdateLoginProfile`` leaves out the password, and has
no ``ChangePassword`` at all. This module does all of that, and keeps each user's password
history for the policy's ``PasswordReusePrevention``.

The console sign-in (``layer/console.py``) uses ``check_password``, ``require_password`` and
``change_password`` from here, so the console and the API apply the same rules.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from dataclasses import dataclass

from helpers.rules import passwords as password_rules
from helpers.rules.passwords import DEFAULT_MIN_LENGTH, MAX_LENGTH, SYMBOLS
from helpers.sandbox.layer import moto_state
from helpers.sandbox.layer.names import constraint, no_such_user, validation_error
from helpers.sandbox.layer.registry import Call, after, before, on_reset
from helpers.sandbox.layer.wire import AwsError, Response, xml_response

_PASSWORD_CHARS = password_rules.PASSWORD_CHARS
_PASSWORD_PATTERN_TEXT = password_rules.PASSWORD_CHARS_TEXT

# (MinimumPasswordLength 6-128, MaxPasswordAge 1-1095, PasswordReusePrevention 1-24)
POLICY_BOUNDS = {
    "MinimumPasswordLength": (6, 128),
    "MaxPasswordAge": (1, 1095),
    "PasswordReusePrevention": (1, 24),
}


@dataclass
class UsedPassword:
    password: str
    set_at: dt.datetime


# user name -> the passwords the user has had, oldest first (the last one is the current one).
HISTORY: dict[str, list[UsedPassword]] = {}


@on_reset
def forget_all() -> None:
    HISTORY.clear()


def forget_user(user_name: str) -> None:
    """Forget a user's password history (the user was deleted)."""
    HISTORY.pop(user_name, None)


def remember_password(user_name: str, password: str) -> None:
    HISTORY.setdefault(user_name, []).append(
        UsedPassword(password, dt.datetime.now(dt.UTC).replace(microsecond=0))
    )


def password_last_changed(user_name: str) -> dt.datetime | None:
    """When the user's current password was set (through the sandbox), or None."""
    used = HISTORY.get(user_name)
    return used[-1].set_at if used else None


# --- the rules -----------------------------------------------------------------------------


def _kinds(password: str) -> dict[str, bool]:
    return {
        "uppercase": any("A" <= c <= "Z" for c in password),
        "lowercase": any("a" <= c <= "z" for c in password),
        "number": any(c.isascii() and c.isdigit() for c in password),
        "symbol": any(c in SYMBOLS for c in password),
    }


_SYMBOLS_SHOWN = " ".join(SYMBOLS)


def check_password(password: str, user_name: str | None = None) -> list[str]:
    """The rules of the account's password policy that ``password`` breaks (empty when none).

    With no account password policy, AWS's default policy applies: 8 to 128 characters, at
    least three of upper case letters, lower case letters, numbers and symbols, and not the
    same as the account (user) name; a custom policy has no name rule.
    """
    policy = moto_state.password_policy()
    kinds = _kinds(password)
    broken: list[str] = []
    if policy is None:
        if len(password) < DEFAULT_MIN_LENGTH:
            broken.append(f"Password should have a minimum length of {DEFAULT_MIN_LENGTH}")
        if sum(kinds.values()) < 3:
            broken.append(
                "Password should have at least three of these four kinds of characters: "
                f"uppercase letters, lowercase letters, numbers and symbols ({_SYMBOLS_SHOWN})"
            )
    else:
        minimum = int(policy.minimum_password_length or 6)
        if len(password) < minimum:
            broken.append(f"Password should have a minimum length of {minimum}")
        if policy.require_uppercase_characters and not kinds["uppercase"]:
            broken.append("Password should have at least one uppercase letter")
        if policy.require_lowercase_characters and not kinds["lowercase"]:
            broken.append("Password should have at least one lowercase letter")
        if policy.require_numbers and not kinds["number"]:
            broken.append("Password should have at least one number")
        if policy.require_symbols and not kinds["symbol"]:
            broken.append(f"Password should have at least one symbol ({_SYMBOLS_SHOWN})")
    # Only AWS's default policy has the name rule (helpers/rules/passwords.py says why).
    if password_rules.is_identical_to_name(password, user_name, policy):
        broken.append("Password should not be identical to the user name")
    if len(password) > MAX_LENGTH:
        broken.append(f"Password should have a maximum length of {MAX_LENGTH}")
    return broken


def require_password(password: str, user_name: str | None = None) -> None:
    """Raise ``PasswordPolicyViolation`` (400) unless ``password`` satisfies the policy."""
    broken = check_password(password, user_name)
    if broken:
        raise AwsError("PasswordPolicyViolation", "; ".join(broken) + ".")


def require_not_reused(user_name: str, password: str) -> None:
    """Raise ``PasswordPolicyViolation`` if the policy forbids reusing ``password`` yet."""
    policy = moto_state.password_policy()
    remembered = int(getattr(policy, "password_reuse_prevention", 0) or 0)
    if not remembered:
        return
    recent = [used.password for used in HISTORY.get(user_name, [])[-remembered:]]
    if password in recent:
        raise AwsError(
            "PasswordPolicyViolation",
            f"Password should not be one of your last {remembered} passwords "
            "(the account password policy prevents password reuse).",
        )


def change_password(user_name: str, old_password: str, new_password: str) -> None:
    """Change a user's own password as ``ChangePassword`` does (without the permission check):
    the old password must match, the new one must satisfy the policy and not be a recent one.
    Clears the user's "must reset password" flag."""
    user = moto_state.user(user_name)
    if user is None:
        raise no_such_user(user_name)
    if not user.password:
        raise _no_login_profile(user_name)
    if not hmac.compare_digest(old_password.encode(), user.password.encode()):
        # The API reference names no error for a wrong old password; AWS refuses the call.
        raise AwsError("AccessDenied", "The old password is incorrect.")
    require_password(new_password, user_name)
    require_not_reused(user_name, new_password)
    moto_state.set_user_password(user, new_password)
    moto_state.set_password_reset_required(user, False)
    remember_password(user_name, new_password)


# --- the API calls -------------------------------------------------------------------------


def _no_login_profile(user_name: str) -> AwsError:
    return AwsError("NoSuchEntity", f"Login Profile for User {user_name} cannot be found.")


def _require_well_formed(member: str, password: str | None) -> str:
    """The API's own constraints on a password parameter (``ValidationError``, 400)."""
    value = password or ""
    problems = []
    if not value:
        problems.append(constraint(member, None, "have length greater than or equal to 1"))
    elif len(value) > MAX_LENGTH:
        problems.append(constraint(member, None, f"have length less than or equal to {MAX_LENGTH}"))
    if value and not _PASSWORD_CHARS.fullmatch(value):
        pattern = f"satisfy regular expression pattern: {_PASSWORD_PATTERN_TEXT}"
        problems.append(constraint(member, None, pattern))
    if problems:
        raise validation_error(problems)
    return value


def _flag(value: str | None) -> bool | None:
    return None if value is None else value.strip().lower() == "true"


def _target_user(call: Call) -> str:
    # UserName may be left out by an IAM user acting on themselves.
    return call.param("UserName") or call.caller.user_name or ""


@before("iam", "CreateLoginProfile")
def create_login_profile(call: Call) -> None:
    password = _require_well_formed("password", call.param("Password"))
    name = _target_user(call)
    user = moto_state.user(name)
    if user is None:
        raise no_such_user(name)
    if user.password:
        raise AwsError("EntityAlreadyExists", f"Login Profile for user {name} already exists.")
    require_password(password, name)


@after("iam", "CreateLoginProfile")
def keep_reset_flag(call: Call, response: Response) -> Response:
    name = _target_user(call)
    required = bool(_flag(call.param("PasswordResetRequired")))
    moto_state.set_password_reset_required(moto_state.user(name), required)
    remember_password(name, call.param("Password") or "")
    text = re.sub(
        r"<PasswordResetRequired>\w*</PasswordResetRequired>",
        f"<PasswordResetRequired>{str(required).lower()}</PasswordResetRequired>",
        response.text,
    )
    return response.with_text(text)


@before("iam", "UpdateLoginProfile")
def update_login_profile(call: Call) -> Response:
    password = call.param("Password")
    if password is not None:
        password = _require_well_formed("password", password)
    name = _target_user(call)
    user = moto_state.user(name)
    if user is None:
        raise no_such_user(name)
    if not user.password:
        raise _no_login_profile(name)
    if password is not None:
        require_password(password, name)
    # Answered here: moto would delete the password when it is left out, and store the flag
    # as text.
    if password is not None:
        moto_state.set_user_password(user, password)
        remember_password(name, password)
    required = _flag(call.param("PasswordResetRequired"))
    if required is not None:
        moto_state.set_password_reset_required(user, required)
    return xml_response("iam", "UpdateLoginProfile")


@before("iam", "ChangePassword")
def change_own_password(call: Call) -> Response:
    old = _require_well_formed("oldPassword", call.param("OldPassword"))
    new = _require_well_formed("newPassword", call.param("NewPassword"))
    caller = call.caller
    if caller.kind == "root" or not caller.user_name:
        raise AwsError(
            "InvalidUserType",
            "ChangePassword changes the password of the IAM user who calls it; the root user "
            "cannot use it (change the root user's password on the console's Security "
            "credentials page).",
        )
    name = caller.user_name
    user = moto_state.user(name)
    if user is None or not user.password:
        raise _no_login_profile(name)
    change_password(name, old, new)
    return xml_response("iam", "ChangePassword")


@after("iam", "UpdateUser")
def follow_rename(call: Call, response: Response) -> Response:
    old, new = call.param("UserName"), call.param("NewUserName")
    if old and new and old != new and old in HISTORY:
        HISTORY[new] = HISTORY.pop(old)
    return response


@before("iam", "UpdateAccountPasswordPolicy")
def update_account_password_policy(call: Call) -> None:
    problems = []
    for name, (low, high) in POLICY_BOUNDS.items():
        raw = call.param(name)
        if raw is None:
            continue
        member = name[0].lower() + name[1:]
        try:
            value = int(raw)
        except ValueError:
            problems.append(constraint(member, raw, "be an integer"))
            continue
        if value < low:
            problems.append(constraint(member, raw, f"have value greater than or equal to {low}"))
        elif value > high:
            problems.append(constraint(member, raw, f"have value less than or equal to {high}"))
    if problems:
        raise validation_error(problems)


@before("iam", "GetLoginProfile")
def get_login_profile(call: Call) -> None:
    """A user without a console password: AWS's wording, "Login Profile for User NAME cannot be
    found." (moto: "Login profile for NAME not found"). An unknown user stays moto's answer."""
    name = call.param("UserName") or call.caller.user_name or ""
    found = moto_state.user(name)
    if found is not None and moto_state.user_password(found) is None:
        raise _no_login_profile(name)


@after("iam", "GetAccountPasswordPolicy")
def leave_out_unset_expiry(call: Call, response: Response) -> Response:
    """A policy without expiry has no MaxPasswordAge: AWS leaves the member out (its range is
    1-1095, https://docs.aws.amazon.com/IAM/latest/APIReference/API_PasswordPolicy.html);
    moto answers 0."""
    return response.with_text(response.text.replace("<MaxPasswordAge>0</MaxPasswordAge>", ""))
