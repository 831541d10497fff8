"""Your turn: each lesson's exercises, checked by reading the account.

A lesson's "Your turn" section states a task with no defaults; the learner does it with a form,
code or the AWS CLI. The check cell calls :func:`check`, which reads the account (never the
notebook's variables) and answers in one line: passed, or not yet with a hint that gets more
specific each time the learner asks again in the same kernel. Run All does not do the exercises:
solutions sit in folded markdown cells, so an untouched exercise answers "Not yet" without an
error.

Each lesson's exercises live in ``helpers/exercises/lesson_NN.py`` as :class:`Exercise`
values in a tuple ``EXERCISES``. Passed exercises are remembered in the learner's progress note
(:mod:`helpers.progress`), which gives each lesson its own tally, apart from the checklist's
five items.

    helpers.exercises.check(aws, "04-auditors")
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from helpers import progress
from helpers.i18n import N_, _

LESSONS = range(1, 8)


@dataclass(frozen=True)
class Attempt:
    """What an exercise's inspection found in the account.

    ``stage`` names how far the learner got (a key of the exercise's ``hints``); ``detail`` is
    an optional fact shown with the hint, e.g. "carol has an access key AKIA…".
    """

    passed: bool
    stage: str = "start"
    detail: str = ""


@dataclass(frozen=True)
class Exercise:
    """One task of a lesson's "Your turn".

    ``inspect`` reads the account through the connection (read-only calls only) and says how
    far the learner got; ``hints`` gives, per stage, hints from general to specific.
    ``done`` is the one line shown once the check passes. Titles, hints and ``done`` are
    English templates marked with ``N_()``, shown translated by :meth:`shown`, which fills their
    ``{name}`` placeholders from ``values``.
    """

    key: str
    lesson: int
    title: str
    inspect: Callable[[Any], Attempt]
    hints: Mapping[str, Sequence[str]]
    done: str
    tags: tuple[str, ...] = field(default=())
    values: Mapping[str, Any] = field(default_factory=dict)

    def shown(self, text: str) -> str:
        """One of this exercise's texts (title, hint, done line) as the learner reads it."""
        return _(text).format(**self.values)


class Answer(str):
    """The check's one line; ``.passed`` tells the tests and the tally what it found."""

    passed: bool
    stage: str

    def __new__(cls, text: str, passed: bool, stage: str) -> Answer:
        answer = super().__new__(cls, text)
        answer.passed = passed
        answer.stage = stage
        return answer

    def __repr__(self) -> str:  # a notebook shows the line itself, without quotes
        return str(self)


READ_AGAIN = N_("Read the task again.")

# How many times this kernel asked for each (exercise, stage): the next hint to give.
_asked: dict[tuple[str, str], int] = {}


def exercises(lesson: int) -> tuple[Exercise, ...]:
    """The exercises of one lesson, in the order the notebook shows them."""
    try:
        module = import_module(f"helpers.exercises.lesson_{lesson:02d}")
    except ModuleNotFoundError:
        return ()
    return tuple(module.EXERCISES)


def find(key: str) -> Exercise:
    """The exercise called ``key`` (``"04-auditors"``: its lesson comes first)."""
    lesson = int(key.split("-", 1)[0])
    for exercise in exercises(lesson):
        if exercise.key == key:
            return exercise
    known = ", ".join(e.key for e in exercises(lesson)) or "none"
    raise KeyError(f"No exercise {key!r}. Lesson {lesson:02d} has: {known}.")


def hint(exercise: Exercise, stage: str, asked: int) -> str:
    """The hint for the ``asked``-th try (0 first) at ``stage``; the last one repeats."""
    hints = exercise.hints.get(stage) or exercise.hints.get("start") or (READ_AGAIN,)
    return exercise.shown(hints[min(asked, len(hints) - 1)])


def check(aws: Any, key: str) -> Answer:
    """Read the account and answer in one line whether exercise ``key`` is done."""
    exercise = find(key)
    attempt = exercise.inspect(aws)
    if attempt.passed:
        progress.record(exercise=key)
        return Answer(
            _("✅ Passed: {done}").format(done=exercise.shown(exercise.done)), True, attempt.stage
        )
    asked = _asked.get((key, attempt.stage), 0)
    _asked[(key, attempt.stage)] = asked + 1
    text = " ".join(part for part in (attempt.detail, hint(exercise, attempt.stage, asked)) if part)
    if asked + 1 < len(exercise.hints.get(attempt.stage, ())):
        text += _(" (Run the check again for a more specific hint.)")
    return Answer(_("Not yet: {text}").format(text=text), False, attempt.stage)


def tally(aws: Any, lesson: int) -> Answer:
    """``Your turn, lesson 04: 1 of 2 done``, read from the account now (the checklist's N/5
    is a separate count, about the article's five items)."""
    found = [e.key for e in exercises(lesson) if e.inspect(aws).passed]
    for key in found:
        progress.record(exercise=key)
    total = len(exercises(lesson))
    text = _("Your turn, lesson {lesson}: {found} of {total} done").format(
        lesson=f"{lesson:02d}", found=len(found), total=total
    )
    return Answer(text, len(found) == total, "tally")  # shown without quotes, like check's
