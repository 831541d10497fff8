"""The exercise checker's own behaviour, with a made-up exercise (each lesson's real exercises
are tested in tests/test_exercises_NN.py)."""

from __future__ import annotations

import pytest

from helpers import exercises, progress
from helpers.exercises import Attempt, Exercise


@pytest.fixture
def fake(monkeypatch, tmp_path):
    monkeypatch.setenv("TUTORIAL_STATE_DIR", str(tmp_path))
    state = {"stage": "start"}

    def inspect(aws):
        return Attempt(passed=state["stage"] == "done", stage=state["stage"], detail="")

    exercise = Exercise(
        key="09-fake",
        lesson=9,
        title="a made-up task",
        inspect=inspect,
        hints={"start": ("general", "specific", "the answer"), "half": ("almost",)},
        done="the fake task is done.",
    )
    monkeypatch.setattr(exercises, "exercises", lambda lesson: (exercise,) if lesson == 9 else ())
    monkeypatch.setattr(exercises, "_asked", {})
    return state


def test_not_yet_gives_more_specific_hints_when_asked_again(fake) -> None:
    answers = [exercises.check(None, "09-fake") for _ in range(4)]
    assert [a.passed for a in answers] == [False] * 4
    assert answers[0] == "Not yet: general (Run the check again for a more specific hint.)"
    assert answers[1].startswith("Not yet: specific")
    assert answers[2] == "Not yet: the answer"
    assert answers[3] == "Not yet: the answer"


def test_each_stage_has_its_own_hints(fake) -> None:
    fake["stage"] = "half"
    answer = exercises.check(None, "09-fake")
    assert (answer, answer.stage) == ("Not yet: almost", "half")


def test_a_pass_is_one_line_and_is_remembered_for_the_tally(fake) -> None:
    assert exercises.tally(None, 9) == "Your turn, lesson 09: 0 of 1 done"
    fake["stage"] = "done"
    answer = exercises.check(None, "09-fake")
    assert answer.passed and answer == "✅ Passed: the fake task is done."
    assert progress.read()["exercises"] == ["09-fake"]
    assert exercises.tally(None, 9) == "Your turn, lesson 09: 1 of 1 done"


def test_an_unknown_key_names_the_lesson_s_exercises(fake) -> None:
    with pytest.raises(KeyError, match="No exercise '09-nope'. Lesson 09 has: 09-fake."):
        exercises.check(None, "09-nope")


def test_the_answer_shows_without_quotes(fake) -> None:
    assert repr(exercises.Answer("Not yet: x", False, "start")) == "Not yet: x"
    assert repr(exercises.tally(None, 9)) == "Your turn, lesson 09: 0 of 1 done"
