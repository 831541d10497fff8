"""Two consecutive MFA codes, as the console's "Assign MFA device" page asks for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from helpers.i18n import N_, _

from . import style
from .base import NO_ACTION, Form

DIGITS = 6


def normalize_code(text: str) -> str:
    """The code without spaces: phones show ``123 456``."""
    return "".join(text.split())


def code_problems(text: str) -> list[str]:
    code = normalize_code(text)
    problems = []
    if not code.isdigit():
        problems.append(_("Digits only."))
    if len(code) != DIGITS:
        problems.append(
            _("Exactly {digits} digits (this has {count} characters).").format(
                digits=DIGITS, count=len(code)
            )
        )
    return problems


def code_box(description: str) -> widgets.Text:
    box = widgets.Text(
        description=description,
        placeholder=_("{digits} digits").format(digits=DIGITS),
        continuous_update=True,
        style=style.field_style(),
        layout=style.field_layout(style.SHORT_FIELD_WIDTH),
    )
    box.add_class("tut-code")
    return box


class CodeEntry(Form):
    """Two code boxes and a button; ``action(code1, code2)`` uses the codes and may return a
    message. ``fill(code)`` puts a code into the first empty box (give it to the phone as
    ``PhonePanel(on_copy=entry.fill)``, or pass ``copy_target=entry.boxes``: one, not both)."""

    def __init__(
        self,
        action: Callable[[str, str], Any] | None = None,
        labels: tuple[str, str] = (N_("MFA code 1"), N_("MFA code 2")),
        button: str = N_("Assign MFA"),
        *,
        title: str = N_("Type two consecutive MFA codes"),
    ) -> None:
        super().__init__(
            _(title),
            _(button),
            _(
                "Type the code the phone shows now in the first box, wait until the phone shows "
                "the next code (at most 30 seconds), then type that one in the second box."
            ),
        )
        self.action = action
        self.boxes = (code_box(_(labels[0])), code_box(_(labels[1])))
        self.clear_button = widgets.Button(
            description=_("Clear"), layout=widgets.Layout(width="auto")
        )
        self.clear_button.on_click(lambda _: self.clear())
        self.finish(
            [
                self.field(self.boxes[0], _("The code on the phone now."), lambda: self._check(0)),
                self.field(
                    self.boxes[1],
                    _("The next code, once the phone changes."),
                    lambda: self._check(1),
                ),
            ],
            [self.clear_button],
        )

    @property
    def codes(self) -> tuple[str, str]:
        return normalize_code(self.boxes[0].value), normalize_code(self.boxes[1].value)

    def _check(self, index: int) -> tuple[list[str], str]:
        if not self.boxes[index].value.strip():
            # Empty is not an error yet: nothing red before the learner types.
            return [_("{box} is empty.").format(box=self.boxes[index].description)], ""
        problems = code_problems(self.boxes[index].value)
        if not problems and index == 1 and self.codes[0] == self.codes[1]:
            problems = [
                _(
                    "The same code as the first box: AWS wants two consecutive codes, so wait "
                    "for the next one."
                )
            ]
        return problems, style.problems_html(problems, _("{digits} digits.").format(digits=DIGITS))

    def fill(self, code: str) -> int | None:
        """Put ``code`` into the first empty box; its index, or None when it was not placed
        (already in a box, or both boxes filled: the reason is shown)."""
        code = normalize_code(code)
        for index, existing in enumerate(self.codes):
            if existing == code:
                self.show_status(
                    style.note(
                        _(
                            "That code is already in box {box}: wait for the next code, then "
                            "copy again."
                        ).format(box=index + 1)
                    )
                )
                return None
        for index, box in enumerate(self.boxes):
            if not box.value.strip():
                box.value = code
                return index
        self.show_status(style.note(_("Both boxes are filled: Clear them to put in new codes.")))
        return None

    def clear(self) -> None:
        for box in self.boxes:
            box.value = ""
        self.show_status("")

    def after_submit(self, succeeded: bool) -> None:
        if succeeded:
            # A code works once; fresh boxes are ready for the next device.
            for box in self.boxes:
                box.value = ""

    def run(self) -> str:
        if self.action is None:
            return style.note(_(NO_ACTION))
        result = self.action(*self.codes)
        return style.result_html(result, style.ok(_("Both codes accepted: MFA is active.")))
