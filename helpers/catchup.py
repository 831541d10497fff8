"""Catch-up: replay earlier lessons with their default values when their results are missing,
so each notebook runs on its own on a fresh sandbox, after the others, and again when re-run.

Each step calls the very functions the lesson's buttons and code cells call (the lesson
modules and ``helpers.iam``); nothing here is a copy of a lesson. On a real account nothing is
changed: the catch-up only says what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from helpers import defaults, progress
from helpers.authenticator import AuthenticatorError, open_phone
from helpers.i18n import _
from helpers.iam import access_keys, account, login, password_policy, users
from helpers.lessons.outcome import Outcome
from helpers.mfa_setup import scan_and_read


def _changed(outcomes: list[Outcome]) -> list[str]:
    return [str(outcome) for outcome in outcomes if outcome.changed]


def ensure_phone() -> list[str]:
    """Lesson 01: the virtual phone has a PIN and a backup password, and is unlocked."""
    from helpers.lessons import lesson_01

    phone = open_phone()
    if lesson_01.phone_is_set_up(phone):
        return []
    if phone.is_locked and not lesson_01.pin_matches(phone, defaults.PHONE_PIN):
        # A PIN of the learner's own (lesson 01's "Your turn"): only they can unlock it.
        raise AuthenticatorError(
            _(
                "The phone is locked with a PIN of your own, which the catch-up does not know: "
                "unlock it first (the PIN box on the phone's panel, or "
                "helpers.open_phone().unlock(YOUR_PIN)), then run this cell again."
            )
        )
    return _changed(
        lesson_01.set_up_phone(phone, defaults.PHONE_PIN, defaults.PHONE_BACKUP_PASSWORD)
    )


def ensure_root_mfa(aws: Any) -> list[str]:
    """Lesson 02: root has MFA, and the phone holds its entry."""
    from helpers.lessons import lesson_02

    phone = open_phone()
    device = lesson_02.start_root_mfa(aws, phone)[0]
    if device is None:
        return []
    code1, code2 = scan_and_read(phone, device["QRCodePNG"])[1:]
    return [lesson_02.enable_root_mfa(aws, device, code1, code2)]


def ensure_user(aws: Any, user_name: str = defaults.USER_NAME) -> list[str]:
    """Lesson 03: the IAM user with an access key (CSV), AdministratorAccess (unless a group
    gives it), a console password (CSV) and an MFA device on the phone."""
    from helpers.lessons import lesson_03

    iam, done = aws.iam, []
    if users.get_user(iam, user_name) is None:  # one call when it exists, not a refused create
        users.create_user(iam, user_name)
        done.append(_("Created the IAM user {user}.").format(user=user_name))
    saved = access_keys.load_access_key_csv(user_name)
    if saved is None or saved.access_key_id not in access_keys.list_access_key_ids(iam, user_name):
        path = lesson_03.new_access_key(iam, user_name)[1]
        done.append(_("Made an access key (saved to {file}).").format(file=path.name))
    done += _changed([lesson_03.give_admin(iam, user_name)])
    if not login.has_console_password(iam, user_name) or not login.load_credentials_csv(user_name):
        done.append(lesson_03.set_console_password(aws, user_name, None))
    phone = open_phone()
    device = lesson_03.start_user_mfa(iam, phone, user_name)[0]
    if device is not None:
        code1, code2 = scan_and_read(phone, device["QRCodePNG"])[1:]
        done.append(lesson_03.enable_user_mfa(iam, user_name, device, code1, code2))
    return done


def ensure_group(
    aws: Any, user_name: str = defaults.USER_NAME, group_name: str = defaults.GROUP_NAME
) -> list[str]:
    """Lesson 04: the group with its policy and the user in it; no policy on the user itself."""
    from helpers.lessons import lesson_04

    iam, policy = aws.iam, defaults.GROUP_POLICY_ARN
    return _changed(
        [
            lesson_04.create_group_with_policy(iam, group_name, policy),
            lesson_04.add_to_group(iam, group_name, user_name),
            lesson_04.drop_own_policy(iam, user_name, policy),
        ]
    )


def ensure_password_policy(aws: Any) -> list[str]:
    """Lesson 05: the account has a password policy (the CIS one by default)."""
    from helpers.lessons import lesson_05

    if password_policy.get_password_policy(aws.iam) is not None:
        return []
    return _changed([lesson_05.apply_policy(aws.iam, defaults.CIS_PASSWORD_POLICY)])


def ensure_alias(aws: Any) -> list[str]:
    """Lesson 06: the account has an alias for its sign-in link."""
    if account.get_alias(aws.iam):
        return []
    account.set_alias(aws.iam, defaults.ACCOUNT_ALIAS)
    return [_("Set the account alias {alias}.").format(alias=defaults.ACCOUNT_ALIAS)]


def ensure_key_used(aws: Any, user_name: str = defaults.USER_NAME) -> list[str]:
    """Lesson 06: the user has worked with their access key (the CIS check of keys made at
    set-up and never used reads that)."""
    from helpers.lessons import lesson_06

    key = access_keys.load_access_key_csv(user_name)
    if key is None:
        return []
    used = aws.iam.get_access_key_last_used(AccessKeyId=key.access_key_id)["AccessKeyLastUsed"]
    if used.get("LastUsedDate"):
        return []
    lesson_06.key_identity(lesson_06.sts_for_key(aws, key))
    return [_("Used {user}'s access key, as lesson 06 does.").format(user=user_name)]


def ensure_power_user(aws: Any) -> list[str]:
    """Lesson 04: bob, in the PowerUsers group, with his access key and an MFA device."""
    from helpers.lessons import lesson_04

    return _changed(lesson_04.add_power_user(aws.iam, open_phone()))


def ensure_mfa_required(aws: Any) -> list[str]:
    """Lesson 06: the groups of people require MFA (AWS's ForceMFA example policy)."""
    from helpers.lessons import lesson_06

    return _changed(lesson_06.require_mfa(aws.iam))


# Lessons 01-03 are done as root (there is no IAM user before 03); from lesson 04 on the
# tutorial works as alice with an MFA session, and so does the catch-up.
STEPS: tuple[tuple[int, bool, Callable[[Any], list[str]]], ...] = (
    (1, False, lambda aws: ensure_phone()),
    (2, False, ensure_root_mfa),
    (3, False, ensure_user),
    (4, True, lambda aws: ensure_group(aws) + ensure_power_user(aws)),
    (5, True, ensure_password_policy),
    (6, True, lambda aws: ensure_alias(aws) + ensure_key_used(aws) + ensure_mfa_required(aws)),
)


def _as_alice() -> Any | None:
    from helpers.connect import sign_in_as

    try:
        return sign_in_as(defaults.USER_NAME, quiet=True)
    except (LookupError, ClientError):
        return None


def replay(aws: Any | None, lesson: int) -> list[str]:
    """Make sure lessons 01 .. ``lesson - 1`` are done, doing them with defaults if not.

    ``aws``: the connection lessons 00-03 work with (root); None from lesson 04 on, where the
    catch-up signs in as alice itself, and uses root only while alice cannot sign in yet.
    Returns what was done (empty when nothing was missing). Sandbox only.
    """
    if aws is not None and not aws.is_sandbox:
        return []
    alice = None if lesson <= 4 else _as_alice()
    root = aws
    done: list[str] = []
    for number, as_alice, step in STEPS:
        if number >= lesson:
            break
        if as_alice:
            alice = alice or _as_alice()
            acting = alice
        else:
            acting = alice if alice is not None and number > 1 else root
            if acting is None:
                from helpers.connect import connect

                acting = root = connect(quiet=True)
        done += [f"{number:02d}: {line}" for what in step(acting) for line in what.splitlines()]
    return done


def catch_up(aws: Any | None = None, lesson: int = 0) -> None:
    """The notebooks' catch-up cell: ``replay`` and say in a few lines what it did."""
    progress.record(lesson=lesson)
    if aws is not None and not aws.is_sandbox or aws is None and _target() == "aws":
        print(_("On a real account the catch-up changes nothing: do the earlier lessons first."))
        from helpers.steps import earlier_lessons_not_replayed

        earlier_lessons_not_replayed(lesson)
        return
    done = replay(aws, lesson)
    if done:
        print(_("Caught up on earlier lessons with their default values:"))
        print("\n".join(f"  • {what}" for what in done))
    else:
        print(_("Earlier lessons are done: nothing to catch up."))


def _target() -> str:
    import os

    return (os.environ.get("TUTORIAL_TARGET") or "sandbox").lower()
