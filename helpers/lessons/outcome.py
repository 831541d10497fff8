"""What a lesson step answers: the message the form shows and the code cell prints, which also
says whether the step changed anything (what the catch-up reports)."""

from __future__ import annotations


class Outcome(str):
    """A step's message (a ``str``) with ``.changed``: False for "already so: nothing to do"."""

    changed: bool

    def __new__(cls, text: str, changed: bool = True) -> Outcome:
        outcome = super().__new__(cls, text)
        outcome.changed = changed
        return outcome


def kept(text: str) -> Outcome:
    """An outcome that changed nothing."""
    return Outcome(text, changed=False)
