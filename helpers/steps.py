"""One runner for a lesson step that writes: what the notebooks' code cells call.

    print(helpers.apply_or_plan(aws, lambda: lesson_05.apply_policy(aws.iam, POLICY)))

In the sandbox it runs the step and returns its answer. On a real account (aws mode) it runs
the same step under ``plan_only`` first: reads go to the account, writes are collected with
what they would replace, and a write AWS would refuse or that would change nothing says so.
When the step would change something, the plan is shown with an "Apply" button (the same step,
for real) and nothing is sent: Run All applies nothing on a real account. The cell then gets
``NotApplied`` (``applied()`` tells). A later cell that needs what the step would make says
"Not applied yet" instead of failing: ``connect("aws")`` installs, in a notebook only, an
IPython AST transformer that hands such a cell's error to ``cope`` while a plan is pending.
A step that would change nothing returns its own answer.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any, TypeVar

from helpers.i18n import N_, _
from helpers.lessons.outcome import Outcome

T = TypeVar("T")

NOT_APPLIED = N_(
    "Not applied yet: on a real account a step changes the account only when you click Apply."
)


class NotApplied(Outcome):
    """What a step's cell gets on a real account when the step is shown, not applied."""

    def __new__(cls, text: str | None = None) -> NotApplied:
        return super().__new__(cls, _(NOT_APPLIED) if text is None else text, changed=False)

    def __iter__(self) -> Any:
        # A step's answer is often unpacked or looped over: that stops, rather than going
        # through the letters of this message.
        raise TypeError(_("the step was not applied, so it has no answer to go through"))


def applied(result: Any) -> bool:
    """False for the answer of a step that was only planned (``NotApplied``)."""
    return not isinstance(result, NotApplied)


def apply_or_plan(
    aws: Any,
    step: Callable[[], T],
    title: str | None = None,
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
    form = PlanForm(aws, step, title or step_title(plan), planned)
    _pending.append(form)
    if show is None:
        from IPython.display import display as show
    show(form)
    return NotApplied()


def step_title(plan: Any) -> str:
    """``Plan: iam:CreateUser, iam:CreateAccessKey`` (each call once, in order)."""
    calls = list(dict.fromkeys(call.call for call in plan.calls))
    if not calls:
        return _("Plan of this step")
    return _("Plan: {calls}").format(calls=", ".join(calls))


# The plans shown in this kernel and not applied yet: while there are any, a later cell that
# needs what they would make says "not applied yet" instead of failing (``cope``).
_pending: list[Any] = []
_refused: list[str] = []  # writes a cell made that the gate did not send
_skipped_lessons: list[int] = []  # catch-ups that did nothing (a real account)


def pending() -> list[Any]:
    """The plan forms of this kernel whose Apply has not been clicked (successfully)."""
    _pending[:] = [form for form in _pending if not form.applied]
    return list(_pending)


def cope(error: BaseException) -> bool:
    """A cell's error on a real account: when a step above is shown but not applied, the cell
    most likely needs what that step makes, so say so and go on (False: the cell stopped);
    otherwise the error stands."""
    from helpers.guard import WriteRefused

    if isinstance(error, WriteRefused):  # nothing was sent: say why, and go on
        _refused.append(str(error))
        print(error)
        return False
    waiting = pending()
    if not waiting and not _refused and not _skipped_lessons:
        raise error
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    print(
        _(
            "Not applied yet: this cell needs what an earlier step makes (a plan shown above and "
            "not applied, a write not sent, or an earlier lesson not done on this account). Apply "
            "it, then run this cell again. ({error}: {reason})"
        ).format(error=type(error).__name__, reason=reason)
    )
    return False


def earlier_lessons_not_replayed(lesson: int) -> None:
    """The catch-up on a real account changes nothing: what lesson ``lesson`` reads may be
    missing, and its cells say so (``cope``)."""
    if lesson > 0:
        _skipped_lessons.append(lesson)


def last_value(expression: Callable[[], Any]) -> Any:
    """The value of a cell's last expression (shown by Jupyter), or None after ``cope``."""
    try:
        return expression()
    except Exception as error:
        cope(error)
        return None


class CopeWithStepsNotApplied(ast.NodeTransformer):
    """An IPython AST transformer (aws mode only): each cell runs inside ``try``, its errors go
    to ``cope``; its last expression stays last, so Jupyter still shows its value."""

    def visit_Module(self, node: ast.Module) -> ast.Module:
        body = list(node.body)
        if not body:
            return node
        last = body.pop() if isinstance(body[-1], ast.Expr) else None
        code = ["__tutorial_ok__ = True"]
        new: list[ast.stmt] = ast.parse("\n".join(code)).body
        if body:
            guarded = ast.parse(
                "try:\n    pass\nexcept Exception as __tutorial_error__:\n"
                "    __tutorial_ok__ = __import__('helpers.steps').steps.cope(__tutorial_error__)"
            ).body[0]
            guarded.body = body
            new.append(guarded)
        if last is not None:
            shown = ast.parse(
                "(__import__('helpers.steps').steps.last_value(lambda: None) "
                "if __tutorial_ok__ else None)",
                mode="eval",
            ).body
            shown.body.args[0].body = last.value
            new.append(ast.Expr(shown))
        node.body = new
        return ast.fix_missing_locations(node)


def install_cell_guard() -> bool:
    """In a notebook on a real account: cells that need a step not applied yet say so."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    if not any(isinstance(t, CopeWithStepsNotApplied) for t in shell.ast_transformers):
        shell.ast_transformers.append(CopeWithStepsNotApplied())
    return True
