"""Lessons 04 to 07's "Your turn", done on a fresh sandbox caught up to the lesson: untouched,
the check says "Not yet" with its first hint; a typical wrong attempt gets that attempt's hint;
the folded solution a learner sees passes. The catch-up never passes an exercise, and doing
them all leaves the later lessons, the catch-up and the 5/5 checklist as they were."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from helpers import defaults, exercises
from helpers.authenticator import forget_phone, open_phone
from helpers.catchup import replay
from helpers.connect import connect, sign_in_as
from helpers.exercises import lesson_04, lesson_05, lesson_07
from helpers.iam import login, users
from helpers.lessons import lesson_04 as steps_04
from helpers.mfa_setup import give_user_mfa
from helpers.rules import passwords
from helpers.status import check_account
from tests.exercise_support import run_solution

KEYS = {4: "04-auditors", 5: "05-length", 6: "06-second-person", 7: "07-support-role"}
MORE = " (Run the check again for a more specific hint.)"


@pytest.fixture
def caught_up(sandbox, monkeypatch):
    """``caught_up(N)``: a new learner's sandbox with lessons up to N done by the catch-up (the
    state in which lesson N's "Your turn" starts); alice's MFA session, as the notebooks use."""
    forget_phone(backup=True)
    monkeypatch.setattr(exercises, "_asked", {})

    def through(lesson: int):
        replay(None, lesson + 1 if lesson < 7 else 7)
        return sign_in_as(quiet=True)

    return through


def first_hint(key: str) -> str:
    exercise = exercises.find(key)
    hints = exercise.hints["start"]
    return f"Not yet: {exercise.shown(hints[0])}{MORE if len(hints) > 1 else ''}"


def hint_of(key: str, stage: str, answer: str) -> None:
    exercise = exercises.find(key)
    assert answer.stage == stage and not answer.passed
    assert answer.endswith(exercise.shown(exercise.hints[stage][0]) + MORE), answer


@pytest.mark.parametrize("lesson", sorted(KEYS))
def test_untouched_says_not_yet_with_the_first_hint(caught_up, lesson) -> None:
    alice = caught_up(lesson)
    answer = exercises.check(alice, KEYS[lesson])
    assert (answer, answer.passed, answer.stage) == (first_hint(KEYS[lesson]), False, "start")
    assert exercises.tally(alice, lesson) == f"Your turn, lesson {lesson:02d}: 0 of 1 done"


def test_the_catch_up_through_lesson_07_passes_no_exercise(caught_up) -> None:
    alice = caught_up(7)
    assert [exercises.check(alice, key).passed for key in KEYS.values()] == [False] * 4
    assert [exercises.tally(alice, lesson)[-11:] for lesson in KEYS] == ["0 of 1 done"] * 4


# --- 04: auditors -----------------------------------------------------------------------------


def test_04_alice_in_a_read_only_group_can_still_create_users(caught_up) -> None:
    alice = caught_up(4)
    key = KEYS[4]
    steps_04.create_group_with_policy(
        alice.iam, "Auditors", lesson_04.READ_ONLY_POLICIES["ReadOnlyAccess"]
    )
    hint_of(key, "no-member", exercises.check(alice, key))
    steps_04.add_to_group(alice.iam, "Auditors", defaults.USER_NAME)
    answer = exercises.check(alice, key)
    hint_of(key, "not-read-only", answer)
    assert "alice (in Auditors) may still call iam:CreateUser." in answer
    steps_04.add_to_group(alice.iam, "Auditors", defaults.POWER_USER_NAME)  # bob: S3 writes
    assert exercises.check(alice, key).stage == "not-read-only"


def test_04_a_read_only_policy_on_the_person_is_not_a_group(caught_up) -> None:
    alice = caught_up(4)
    users.create_user(alice.iam, "dave")
    users.attach_user_policy(alice.iam, "dave", lesson_04.READ_ONLY_POLICIES["SecurityAudit"])
    answer = exercises.check(alice, KEYS[4])
    hint_of(KEYS[4], "on-user", answer)
    assert answer.startswith("Not yet: dave holds a read-only policy personally.")


def test_04_the_solution_passes_and_its_member_is_refused(caught_up, capsys) -> None:
    alice = caught_up(4)
    run_solution(KEYS[4], aws=alice)
    assert "dave may not create a user: AccessDenied" in capsys.readouterr().out
    answer = exercises.check(alice, KEYS[4])
    assert answer.passed and answer.startswith("✅ Passed: ")
    assert exercises.tally(alice, 4) == "Your turn, lesson 04: 1 of 1 done"


# --- 05: length over complexity ---------------------------------------------------------------


def test_05_only_the_length_sent_drops_the_other_settings(caught_up) -> None:
    alice = caught_up(5)
    key = KEYS[5]
    # aws iam update-account-password-policy --minimum-password-length 20: the rest goes off
    alice.iam.update_account_password_policy(MinimumPasswordLength=20)
    answer = exercises.check(alice, key)
    hint_of(key, "cis-broken", answer)
    assert "prevent reuse of the last 24 (now off) fails" in answer


def test_05_a_longer_minimum_with_every_kind_refuses_the_passphrase(caught_up) -> None:
    alice = caught_up(5)
    key = KEYS[5]
    alice.iam.update_account_password_policy(
        **{**defaults.CIS_PASSWORD_POLICY, "MinimumPasswordLength": 20}
    )
    answer = exercises.check(alice, key)
    hint_of(key, "passphrase-refused", answer)
    assert "At least one upper-case letter (A-Z)." in answer
    no_kinds = dict.fromkeys(passwords.CLASSES, False)
    alice.iam.update_account_password_policy(**{**defaults.CIS_PASSWORD_POLICY, **no_kinds})
    answer = exercises.check(alice, key)
    hint_of(key, "too-short", answer)
    alice.iam.delete_account_password_policy()
    assert exercises.check(alice, key).stage == "no-policy"


def test_05_the_solution_passes_and_aws_agrees(caught_up) -> None:
    alice = caught_up(5)
    run_solution(KEYS[5], aws=alice)
    assert exercises.check(alice, KEYS[5]).passed
    # The sandbox's own password check says the same as the exercise's judge.
    refused = pytest.raises(
        ClientError, alice.iam.create_login_profile, UserName="bob", Password=lesson_05.REFUSE
    ).value
    assert refused.response["Error"]["Code"] == "PasswordPolicyViolation"
    alice.iam.create_login_profile(UserName="bob", Password=lesson_05.ACCEPT)


# --- 06: a second person signs in with MFA ----------------------------------------------------


def test_06_a_password_without_mfa_then_no_sign_in_yet(caught_up) -> None:
    alice = caught_up(6)
    key = KEYS[6]
    policy = alice.iam.get_account_password_policy()["PasswordPolicy"]
    password = "Carol-" + "x" * policy["MinimumPasswordLength"] + "-7Q!"
    users.create_user(alice.iam, "carol")
    login.set_console_password(alice.iam, "carol", password)
    answer = exercises.check(alice, key)
    hint_of(key, "no-mfa", answer)
    assert "carol has a console password but no MFA device." in answer
    # a sign-in before the device existed asked for no code: it does not count
    alice.console.sign_in(alice.account_id, "carol", password)
    give_user_mfa(alice.iam, open_phone(), "carol")
    hint_of(key, "not-signed-in", exercises.check(alice, key))


def test_06_the_solution_passes(caught_up, capsys) -> None:
    alice = caught_up(6)
    run_solution(KEYS[6], aws=alice)
    assert "Signed in as carol, MFA used: True" in capsys.readouterr().out
    assert exercises.check(alice, KEYS[6]).passed


# --- 07: a support role -----------------------------------------------------------------------


def test_07_support_access_on_a_group_or_a_role_without_it(caught_up) -> None:
    alice = caught_up(7)
    key = KEYS[7]
    alice.iam.attach_group_policy(GroupName="Admins", PolicyArn=lesson_07.SUPPORT_POLICY_ARN)
    answer = exercises.check(alice, key)
    hint_of(key, "not-a-role", answer)
    assert "AWSSupportAccess is attached to Admins." in answer
    alice.iam.detach_group_policy(GroupName="Admins", PolicyArn=lesson_07.SUPPORT_POLICY_ARN)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{alice.account_id}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    alice.iam.create_role(RoleName="Helpdesk", AssumeRolePolicyDocument=json.dumps(trust))
    answer = exercises.check(alice, key)
    hint_of(key, "no-policy", answer)
    assert "The role Helpdesk does not carry AWSSupportAccess." in answer


def test_07_the_solution_passes(caught_up) -> None:
    alice = caught_up(7)
    run_solution(KEYS[7], aws=alice)
    assert exercises.check(alice, KEYS[7]).passed
    assert check_account(alice.iam).status_of("cis.1.16") == "PASS"


# --- all of them, then the rest of the tutorial -----------------------------------------------


def test_all_four_done_leave_the_tutorial_as_it_was(caught_up) -> None:
    alice = caught_up(4)
    for lesson, key in KEYS.items():
        alice = caught_up(lesson)
        run_solution(key, aws=alice)
    assert [exercises.check(alice, key).passed for key in KEYS.values()] == [True] * 4
    assert replay(None, 7) == []  # the catch-up finds every lesson done
    root = connect(quiet=True)
    assert check_account(root.iam).console_summary() == "Security status 5/5"
    alice = sign_in_as(quiet=True)  # alice still signs in with her key and the phone
    assert "Users" in alice.iam.list_users()
    assert sign_in_as(defaults.POWER_USER_NAME, quiet=True).client("s3").list_buckets()
