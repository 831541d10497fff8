"""Plan, then apply (aws mode): a lesson step is first run in plan-only mode, its writes shown
with what they replace (or why they would change nothing); the "Apply" button then runs the
same step for real (the gate still asks for a confirmed account). The plan is made by a plain
function, ``plan_step``; ``helpers.steps.apply_or_plan`` is what the notebooks' cells call."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
from botocore.exceptions import ClientError

from helpers.guard import Plan, WriteRefused, plan_html, plan_only
from helpers.i18n import N_, _

from . import style
from .base import Form
from .key_file import KeyFileForm, unsaved_keys

RUN_ALL_APPLIES_NOTHING = N_(
    "Run All applies nothing on a real account: click Apply to make these changes."
)


def plan_step(aws: Any, step: Callable[[], Any]) -> Plan:
    """``step()`` with its writes collected, not sent."""
    with plan_only(aws) as plan:
        step()
    return plan


def try_plan(aws: Any, step: Callable[[], Any]) -> tuple[Plan, Any, Exception | None]:
    """The plan of ``step``, what the step answered while planned, and the refusal that stopped
    it (a read that fails because an earlier step is not applied yet, say) or None."""
    was = logging.root.manager.disable  # a refusal foreseen in a plan is no error to log
    logging.disable(logging.ERROR)
    try:
        with plan_only(aws) as plan:
            try:
                answer = step()
            except (ClientError, WriteRefused, LookupError) as stopped:
                return plan, None, stopped
    finally:
        logging.disable(was)
    return plan, answer, None


def plan_markup(plan: Plan, stopped: Exception | None) -> str:
    """The plan as the form shows it, with what to do next."""
    if stopped is not None:
        return style.fail(cannot_plan(stopped))
    if plan.changes:
        return plan_html(plan) + style.note(_(RUN_ALL_APPLIES_NOTHING))
    return plan_html(plan)


def cannot_plan(stopped: Exception) -> str:
    """Why a step cannot be planned yet, in one sentence for the learner."""
    reason, code = str(stopped), None
    if isinstance(stopped, ClientError):
        error = stopped.response.get("Error", {})
        code = error.get("Code")
        reason = f"{code}: {str(error.get('Message')).rstrip('.')}"
    if code not in (None, "NoSuchEntity"):
        return _("AWS would refuse this step ({reason}): there is nothing to apply.").format(
            reason=reason
        )
    return _(
        "This step cannot be planned yet ({reason}). It needs what an earlier step makes: "
        "apply that step first, then run this cell again."
    ).format(reason=reason)


class PlanForm(Form):
    """The plan of ``step`` and an "Apply" button that runs it."""

    def __init__(
        self,
        aws: Any,
        step: Callable[[], Any],
        title: str = N_("What this step changes"),
        planned: tuple[Plan, Any, Exception | None] | None = None,
    ) -> None:
        super().__init__(_(title), _("Apply"))
        self.aws, self.step = aws, step
        self.applied = False
        self.plan, _answer, self.stopped = planned or try_plan(aws, step)
        self.view = widgets.HTML(plan_markup(self.plan, self.stopped))
        rows: list[widgets.Widget] = [self.view]
        if self.plan.changes and not aws.gate.confirmed and not aws.gate.forbidden:
            from .confirm_account import ConfirmAccountForm

            rows.append(ConfirmAccountForm(aws))  # once per kernel: then Apply may send
        self.finish(rows)

    @property
    def text(self) -> str:
        """The plan as the learner reads it (plain text)."""
        return style.to_text(self.view.value)

    def run(self) -> str:
        try:
            result = self.step()  # for real: each write passes the gate and is journaled
        except WriteRefused as refusal:
            return style.fail(str(refusal))
        self.applied = True
        done = style.ok(_("Applied, and written in the journal."))
        if isinstance(result, widgets.Widget):  # what comes next (a QR code to scan, say)
            self.children = (*self.children, result)
            return done
        keys = unsaved_keys(result)  # AWS shows a new key's secret once: offer its file
        if keys:
            self.children = (*self.children, *(KeyFileForm(key) for key in keys))
            return done
        if isinstance(result, list | tuple) and all(isinstance(x, str) for x in result):
            return "".join(style.ok(line) for line in result) + done
        return style.result_html(result, "") + done

    def refresh(self) -> list[str]:
        problems = super().refresh()
        plan = getattr(self, "plan", None)
        if plan is None or not plan.changes or self.stopped is not None or self.applied:
            self.button.disabled = True
        return problems
