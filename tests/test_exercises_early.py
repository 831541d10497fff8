"""Lessons 01-03's "Your turn", each on a fresh sandbox caught up to the end of its lesson:
untouched it answers "Not yet" with the first hint, a typical wrong attempt gets that stage's
hint, and the folded solution a learner sees passes. Run All's state passes none of them."""

from __future__ import annotations

import pytest

from helpers import exercises
from helpers.authenticator import AuthenticatorError, enable_backups, forget_phone, open_phone
from helpers.catchup import catch_up, ensure_user, replay
from helpers.connect import connect
from helpers.lessons import lesson_03
from helpers.mfa_setup import give_user_mfa, scan_and_read
from helpers.status import check_account
from tests.exercise_support import SOURCES, run_solution, solution_code

AGAIN = " (Run the check again for a more specific hint.)"


@pytest.fixture
def aws(sandbox, monkeypatch):
    forget_phone(backup=True)  # a new learner: a fresh phone as well as a fresh account
    monkeypatch.setattr(exercises, "_asked", {})  # a new kernel: hints start general
    return connect(quiet=True)


def after_lesson(aws, lesson: int):
    catch_up(aws, lesson + 1)
    return aws


def first_hint(key: str, stage: str) -> str:
    hints = exercises.find(key).hints[stage]
    return f"Not yet: {hints[0]}" + (AGAIN if len(hints) > 1 else "")


# --- 01: a PIN and a backup password of your own ---


def test_01_untouched_says_not_yet_with_the_first_hint(aws) -> None:
    after_lesson(aws, 1)
    answer = exercises.check(aws, "01-own-pin")
    assert (answer.passed, answer.stage) == (False, "start")
    assert answer == first_hint("01-own-pin", "start")


def test_01_a_common_pin_is_named_and_refused(aws) -> None:
    after_lesson(aws, 1)
    phone = open_phone()
    phone.set_pin("1234")
    enable_backups(phone, "my own backup sentence")
    answer = exercises.check(aws, "01-own-pin")
    assert (answer.passed, answer.stage) == (False, "common-pin")
    assert answer.startswith("Not yet: Your PIN is 1234. That is one of the 20 most common PINs")


def test_01_a_new_pin_with_the_practice_backup_password_is_not_yet(aws) -> None:
    after_lesson(aws, 1)
    open_phone().set_pin("583091")
    answer = exercises.check(aws, "01-own-pin")
    assert (answer.passed, answer.stage) == (False, "practice-password")


def test_01_a_locked_phone_is_not_done_yet(aws) -> None:
    after_lesson(aws, 1)
    run_solution("01-own-pin", aws=aws)
    open_phone().lock()
    assert exercises.check(aws, "01-own-pin").stage == "locked"


def test_01_a_phone_locked_with_the_learner_s_pin_stops_the_catch_up_with_a_way_out(aws) -> None:
    after_lesson(aws, 1)
    run_solution("01-own-pin", aws=aws)
    open_phone().lock()
    with pytest.raises(AuthenticatorError, match="locked with a PIN of your own"):
        catch_up(aws, 3)
    open_phone().unlock("58301")  # the solution's PIN
    catch_up(aws, 3)
    assert aws.iam.get_account_summary()["SummaryMap"]["AccountMFAEnabled"] == 1


def test_01_the_solution_passes_and_later_lessons_still_catch_up(aws) -> None:
    after_lesson(aws, 1)
    run_solution("01-own-pin", aws=aws)
    answer = exercises.check(aws, "01-own-pin")
    assert answer.passed, answer
    assert exercises.tally(aws, 1) == "Your turn, lesson 01: 1 of 1 done"
    catch_up(aws, 4)  # lessons 02 and 03 read codes from the phone with the learner's PIN
    assert exercises.check(aws, "01-own-pin").passed


# --- 02: a spare MFA device for root, on another phone ---
# The wrong attempt and the solution need a sandbox that, as AWS does, lets root register a
# second MFA device while it has one (up to 8).


def test_02_untouched_says_not_yet_with_the_first_hint(aws) -> None:
    after_lesson(aws, 2)
    answer = exercises.check(aws, "02-spare-device")
    assert (answer.passed, answer.stage) == (False, "start")
    assert answer == first_hint("02-spare-device", "start")


def test_02_a_spare_on_the_same_phone_is_not_a_spare(aws) -> None:
    after_lesson(aws, 2)
    spare = aws.console.start_root_mfa("root-spare")
    _, code1, code2 = scan_and_read(open_phone(), spare["QRCodePNG"])
    aws.console.enable_root_mfa(spare["SerialNumber"], code1, code2)
    answer = exercises.check(aws, "02-spare-device")
    assert (answer.passed, answer.stage) == (False, "same-phone")
    assert "root-spare" in answer and "lost together with it" in answer


def test_02_the_solution_passes_and_the_checklist_is_unchanged(aws) -> None:
    after_lesson(aws, 2)
    run_solution("02-spare-device", aws=aws)
    assert exercises.check(aws, "02-spare-device").passed
    assert aws.iam.get_account_summary()["SummaryMap"]["AccountMFAEnabled"] == 1
    catch_up(aws, 7)  # the later lessons still catch up, with root's first device kept
    assert exercises.check(aws, "02-spare-device").passed
    report = check_account(aws.iam)
    assert report.console_summary() == "Security status 5/5"
    assert report.status_of("cis.1.4") == "PASS"


# --- 03: a second person with console access and MFA, no access key ---


def test_03_untouched_says_not_yet_with_the_first_hint(aws) -> None:
    after_lesson(aws, 3)
    answer = exercises.check(aws, "03-second-person")
    assert (answer.passed, answer.stage) == (False, "start")
    assert answer == first_hint("03-second-person", "start")


def test_03_the_lesson_s_user_under_another_name_is_not_the_second_person(aws) -> None:
    after_lesson(aws, 2)
    ensure_user(aws, "me")  # lesson 03 done with a name of the learner's choice
    answer = exercises.check(aws, "03-second-person")
    assert (answer.passed, answer.stage) == (False, "start")


def test_03_a_person_made_like_alice_has_an_access_key(aws) -> None:
    after_lesson(aws, 3)
    aws.iam.create_user(UserName="carol")
    lesson_03.set_console_password(aws, "carol", None)
    key_id = aws.iam.create_access_key(UserName="carol")["AccessKey"]["AccessKeyId"]
    answer = exercises.check(aws, "03-second-person")
    assert (answer.passed, answer.stage) == (False, "access-key")
    assert answer.startswith(f"Not yet: carol has an access key ({key_id}). Someone who works")


def test_03_a_password_without_mfa_gets_the_mfa_hints_in_turn(aws) -> None:
    after_lesson(aws, 3)
    aws.iam.create_user(UserName="carol")
    lesson_03.set_console_password(aws, "carol", None)
    answers = [exercises.check(aws, "03-second-person") for _ in range(3)]
    assert {a.stage for a in answers} == {"no-mfa"}
    hints = exercises.find("03-second-person").hints["no-mfa"]
    assert [a.removeprefix("Not yet: carol has no MFA device. ") for a in answers] == [
        hints[0] + AGAIN,
        hints[1] + AGAIN,
        hints[2],
    ]


def test_03_a_policy_of_their_own_is_not_yet(aws) -> None:
    after_lesson(aws, 3)
    aws.iam.create_user(UserName="carol")
    lesson_03.set_console_password(aws, "carol", None)
    give_user_mfa(aws.iam, open_phone(), "carol")
    arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    aws.iam.attach_user_policy(UserName="carol", PolicyArn=arn)
    assert exercises.check(aws, "03-second-person").stage == "own-policy"
    aws.iam.detach_user_policy(UserName="carol", PolicyArn=arn)
    assert exercises.check(aws, "03-second-person").passed


def test_03_the_solution_passes_and_the_later_lessons_stay_green(aws) -> None:
    after_lesson(aws, 3)
    run_solution("03-second-person", aws=aws)
    assert exercises.check(aws, "03-second-person").passed
    catch_up(aws, 7)
    report = check_account(aws.iam)
    assert report.console_summary() == "Security status 5/5"
    assert [report.status_of(f"cis.{n}") for n in ("1.9", "1.10", "1.14")] == ["PASS"] * 3
    assert exercises.check(aws, "03-second-person").passed


# --- the notebooks: a check cell and a folded solution for each, and Run All does none ---


@pytest.mark.parametrize("lesson", [1, 2, 3])
def test_each_exercise_has_a_check_cell_and_a_folded_solution_in_markdown(lesson: int) -> None:
    (source,) = SOURCES.glob(f"{lesson:02d}_*.py")
    cells = source.read_text().split("# %%")
    turn = next(i for i, cell in enumerate(cells) if "## Your turn" in cell)
    assert "## What you did" in "".join(cells[turn:])
    for exercise in exercises.exercises(lesson):
        check = f'helpers.exercises.check(aws, "{exercise.key}")'
        (solution,) = [c for c in cells if f"<!-- solution: {exercise.key} -->" in c]
        assert solution.startswith(" [markdown]")  # Run All never runs it
        assert any(check in cell and not cell.startswith(" [markdown]") for cell in cells)
        assert solution_code(exercise.key).strip()
    assert any(f"helpers.exercises.tally(aws, {lesson})" in cell for cell in cells[turn:])


def test_run_all_passes_none_of_lessons_01_to_03_exercises(aws) -> None:
    replay(aws, 7)  # every lesson's Run All, as the catch-up does them
    for lesson in (1, 2, 3):
        for exercise in exercises.exercises(lesson):
            assert not exercises.check(aws, exercise.key).passed, exercise.key
        assert exercises.tally(aws, lesson) == f"Your turn, lesson {lesson:02d}: 0 of 1 done"
