"""What every form shares: fields with a hint and a live check, one button, a status line.

A form only collects input and shows results. Its action is a plain function given to it;
what the action raises is shown in the status line (AWS's refusals as the friendly box), never
as a traceback, and the typed values stay so the learner can fix them and try again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
from botocore.exceptions import ClientError

from helpers.i18n import N_, _

from . import style
from .picture import Pictured

logger = logging.getLogger(__name__)

# A field's live check: the broken rules, or (broken rules, HTML to show instead of them).
Check = Callable[[], list[str] | tuple[list[str], str]]

NO_ACTION = N_("This form has no action to run (it was built without one).")


def fetch(source: Callable[[], Any] | None, default: Any, what: str) -> Any:
    """``source()``, or ``default`` when there is no source or it fails (logged): a form must
    still open when, say, the sandbox is not running."""
    if source is None:
        return default
    try:
        return source()
    except Exception:
        logger.warning("Couldn't read %s for the form.", what, exc_info=True)
        return default


class Form(Pictured, widgets.VBox):
    """A titled form: ``field()`` rows, then ``.button`` and the status line."""

    def __init__(self, title: str, button: str, intro: str | None = None) -> None:
        """``title``, ``button`` and ``intro`` are shown as given: a subclass translates them."""
        super().__init__(layout=widgets.Layout(padding="4px 0", max_width="720px"))
        self.add_class("tut-form")
        self.button = widgets.Button(
            description=button,
            button_style="primary",
            layout=widgets.Layout(width="auto", margin=f"6px 0 2px {style.INDENT}"),
        )
        self.button.on_click(lambda _: self.submit())
        self.status = style.message_area(indent=False)
        self.title_text = title
        self._head: list[widgets.Widget] = [widgets.HTML(style.CSS), style.title(title)]
        if intro:
            self._head.append(widgets.HTML(style.note(intro)))
        self._checks: list[tuple[widgets.HTML, Check]] = []
        self._busy = False
        self._status_text = ""
        # aws mode: the button shows the plan of the action; this one sends it (plan_first)
        self._plan_aws: Any = None
        self._applying = False
        self.apply_button = widgets.Button(
            description=_("Apply"),
            button_style="warning",
            layout=widgets.Layout(width="auto", margin="6px 0 2px 8px", display="none"),
        )
        self.apply_button.on_click(lambda _: self.apply())

    # --- building ---------------------------------------------------------------------------

    def watch(self, *inputs: widgets.Widget) -> None:
        """Re-check the form whenever one of these inputs changes."""
        for widget in inputs:
            widget.observe(lambda _: self.refresh(), "value")

    def field(
        self, widget: widgets.Widget, hint: str | widgets.HTML = "", check: Check | None = None
    ) -> widgets.VBox:
        """A row: the input, its one-line hint and its live check message."""
        self.watch(widget)
        parts = [widget]
        if hint:
            parts.append(style.hint(hint) if isinstance(hint, str) else hint)
        if check is not None:
            message = style.message_area()
            self._checks.append((message, check))
            parts.append(message)
        return widgets.VBox(parts, layout=widgets.Layout(margin="2px 0"))

    def finish(self, rows: list[widgets.Widget], extra: Sequence[widgets.Widget] = ()) -> None:
        """Lay the form out: title, rows, button (with ``extra`` widgets after it), status."""
        actions = widgets.HBox(
            [self.button, self.apply_button, *extra], layout=widgets.Layout(align_items="center")
        )
        self.children = [*self._head, *rows, actions, self.status]
        self.refresh()

    # --- checking ---------------------------------------------------------------------------

    def refresh(self) -> list[str]:
        """Run every live check, show its messages, disable the button while anything is
        wrong; returns the broken rules."""
        problems: list[str] = []
        for message, check in self._checks:
            found = check()
            if isinstance(found, tuple):
                found, markup = found
            else:
                markup = style.problems_html(found)
            style.show(message, markup)
            problems.extend(found)
        self.button.disabled = bool(problems) or self._busy
        return problems

    @property
    def problems(self) -> list[str]:
        return self.refresh()

    @property
    def check_text(self) -> str:
        """The plain text of every live check message on show."""
        texts = (style.to_text(message.value) for message, _ in self._checks)
        return "\n".join(text for text in texts if text)

    # --- running ----------------------------------------------------------------------------

    def run(self) -> str:
        """Call the action with the form's values; returns the status HTML. Subclasses."""
        raise NotImplementedError

    def after_submit(self, succeeded: bool) -> None:
        """Re-read what the form shows from the account (existing names, current link)."""

    def plan_first(self, aws: Any) -> Form:
        """On a real account (a connection with a gate): the button shows what its action would
        change (the calls, the old values) and sends nothing; "Apply" then runs the action.
        In the sandbox the button runs the action at once."""
        if getattr(aws, "gate", None) is not None:
            self._plan_aws = aws
        return self

    def apply(self) -> bool:
        """What "Apply" does: the action, for real (after ``submit`` showed its plan)."""
        self._applying = True
        try:
            return self.submit()
        finally:
            self._applying = False
            self.apply_button.layout.display = "none"

    def _show_plan(self) -> bool:
        from .plan_form import plan_markup, try_plan

        plan, _, stopped = try_plan(self._plan_aws, self.run)
        self.show_status(plan_markup(plan, stopped))
        ready = stopped is None and bool(plan.changes)
        self.apply_button.layout.display = None if ready else "none"
        return True

    def submit(self) -> bool:
        """What a click on the button does; True when the action succeeded (on a real account
        the first click shows the plan, and ``apply()`` runs it)."""
        problems = self.refresh()
        if problems:
            self.show_status(
                style.fail(_("Fix what is marked ✗ first: {problem}").format(problem=problems[0]))
            )
            return False
        if self._plan_aws is not None and not self._applying:
            return self._show_plan()
        self._busy = True
        self.button.disabled = True
        succeeded = False
        try:
            markup = self.run()
            succeeded = True
        except ClientError as error:
            markup = style.error_box(error)
        except Exception as error:  # shown in the form: a callback's traceback would be lost
            logger.exception("The form's action failed.")
            markup = style.exception_line(error)
        finally:
            self._busy = False
        self.show_status(markup)
        try:
            self.after_submit(succeeded)
        finally:
            self.refresh()
        return succeeded

    def show_status(self, markup: str) -> None:
        style.show(self.status, markup)
        self._status_text = style.to_text(markup)

    @property
    def status_text(self) -> str:
        """The plain text of the last status shown (empty before the first submit)."""
        return self._status_text
