"""One runner for a lesson step that writes: what the notebooks' code cells call.

    print(helpers.apply_or_plan(aws, lambda: lesson_05.apply_policy(aws.iam, POLICY)))

In the sandbox it runs the step and returns its answer. On a real account (aws mode) it runs
the same step under ``plan_only`` first: reads go to the account, writes are collected with
what they would replace, and a write AWS would refuse or that would change nothing says so.
When the step would change something, the plan is shown with an "Apply" button (the same step,
for real) and nothing is sent: Run All applies nothing on a real account. The cell then gets
``NotApplied``, which later cells test with ``applied()`` to say "not applied yet" instead of
reading what is not there. A step that would change nothing returns its own answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from helpers.lessons.outcome import Outcome

T = TypeVar("T")

NOT_APPLIED = (
    "Not applied yet: on a real account a step changes the account only when you click Apply."
)


class NotApplied(Outcome):
    """What a step's cell gets on a real account when the step is shown, not applied."""

    def __new__(cls, text: str = NOT_APPLIED) -> NotApplied:
        return super().__new__(cls, text, changed=False)


def applied(result: Any) -> bool:
    """False for the answer of a step that was only planned (``NotApplied``)."""
    return not isinstance(result, NotApplied)


def apply_or_plan(
    aws: Any,
    step: Callable[[], T],
    title: str = "What this step changes",
    show: Callable[[Any], Any] | None = None,
) -> T | NotApplied:
    """``step()`` in the sandbox; on a real account its plan and an Apply button (shown with
    ``show``, IPython's ``display`` by default), or its answer when it would change nothing."""
    if getattr(aws, "gate", None) is None:
        return step()
    from helpers.forms.plan_form import PlanForm, try_plan

    planned = try_plan(aws, step)
    plan, answer, stopped = planned
    if stopped is None and not plan.changes:
        return answer  # reads only, or writes that change nothing: this is the true answer
    form = PlanForm(aws, step, title, planned)
    if show is None:
        from IPython.display import display as show
    show(form)
    return NotApplied()
