"""Plan, then apply (aws mode): a lesson step is first run in plan-only mode, its writes shown
with what they replace; the "Apply" button then runs it for real (the gate still asks for a
confirmed account). The plan is made by a plain function, ``plan_step``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from helpers.guard import Plan, WriteRefused, plan_html, plan_only

from . import style
from .base import Form


def plan_step(aws: Any, step: Callable[[], Any]) -> Plan:
    """``step()`` with its writes collected, not sent."""
    with plan_only(aws) as plan:
        step()
    return plan


class PlanForm(Form):
    """The plan of ``step`` and an "Apply" button that runs it."""

    def __init__(self, aws: Any, step: Callable[[], Any], title: str = "What this step changes"):
        super().__init__(title, "Apply")
        self.aws, self.step = aws, step
        self.plan = plan_step(aws, step)
        self.view = widgets.HTML(plan_html(self.plan))
        self.finish([self.view])
        self.button.disabled = not self.plan.calls

    def run(self) -> str:
        try:
            result = self.step()  # for real: each write passes the gate and is journaled
        except WriteRefused as refusal:
            return style.fail(str(refusal))
        return style.result_html(result, style.ok("Applied, and written in the journal."))

    def refresh(self) -> list[str]:
        problems = super().refresh()
        if not getattr(self, "plan", None) or not self.plan.calls:
            self.button.disabled = True
        return problems
