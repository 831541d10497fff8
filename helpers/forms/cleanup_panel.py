"""The clean-up panel of lesson 07: "Empty the sandbox", with a box to also forget the phone.
It only collects the choice and calls ``helpers.cleanup.clean_up``."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from helpers import cleanup, undo
from helpers.i18n import _

from . import style
from .picture import Pictured


class CleanUpPanel(Pictured, widgets.VBox):
    """ "Empty the sandbox" button, with a box to also forget the phone; ``.click()`` on
    ``.button`` does what a learner's click does. ``after`` is called once it is done."""

    def __init__(self, aws: Any, after: Callable[[], Any] | None = None) -> None:
        super().__init__(layout=widgets.Layout(max_width="720px", padding="4px 0"))
        self.aws = aws
        self.after = after
        self.forget = widgets.Checkbox(
            value=False, description=_("Also throw the virtual phone away"), indent=False
        )
        real = getattr(aws, "gate", None) is not None
        self.button = widgets.Button(
            description=_("Undo the tutorial's changes") if real else _("Empty the sandbox"),
            button_style="danger",
            icon="undo" if real else "trash",
            layout=widgets.Layout(width="260px", margin="6px 0 2px 0"),
            disabled=not aws.is_sandbox and not real,
        )
        self.button.on_click(lambda _: self.run())
        self.status = widgets.HTML()
        shown = ""
        if aws.is_sandbox:
            note = _(
                "This deletes everything the tutorial made in the sandbox. Lessons 01-06 (or "
                "their catch-up cells) make it again."
            )
        elif real:
            note = _(
                "This is a real AWS account. The button undoes what the journal says the "
                "tutorial changed (python -m helpers.undo does the same), and nothing else:"
            )
            shown = f"<pre>{html.escape(undo.describe(undo.plan(aws)))}</pre>"
        else:
            note = _("Nothing here deletes real resources.")
        self.children = [
            widgets.HTML(style.CSS),
            style.title(_("Clean up")),
            widgets.HTML(style.note(note) + shown),
            *([] if real else [self.forget]),
            self.button,
            self.status,
        ]

    def run(self) -> list[str]:
        if getattr(self.aws, "gate", None) is not None:
            return self._undo()
        try:
            done = cleanup.clean_up(self.aws, self.forget.value)
        except Exception as error:  # shown in the panel: a callback's traceback would be lost
            self.status.value = style.exception_line(error)
            return []
        self.status.value = "".join(style.ok(line) for line in done)
        if self.after is not None:
            self.after()
        return done

    def _undo(self) -> list[str]:
        """On a real account: the undo of the journal (a click: the gate lets it through
        once the account is confirmed)."""
        try:
            result = undo.apply(self.aws, undo.plan(self.aws))
        except Exception as error:
            self.status.value = style.exception_line(error)
            return []
        done = [_("Undone: {step}").format(step=step) for step in result.done] or [
            _("Nothing to undo.")
        ]
        done += [
            _("Not undone: {step} ({why})").format(step=step, why=why)
            for step, why in result.failed
        ]
        self.status.value = "".join(style.ok(line) for line in done)
        if self.after is not None:
            self.after()
        return done

    @property
    def status_text(self) -> str:
        return style.to_text(self.status.value)
