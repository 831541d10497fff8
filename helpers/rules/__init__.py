"""AWS's rules for names, passwords and aliases, as plain functions with no AWS calls.

The forms use them to check input as the learner types; each returns the list of rules the
value breaks, in words a learner can act on (empty when the value is fine).

The texts are English unless the caller says otherwise: each function that words a rule takes
``say``, the translation to apply (``helpers.i18n._`` at a learner-facing call site, a form; the
default leaves the English as it is, which is what the sandbox answers with, as AWS does).
"""

from __future__ import annotations

from collections.abc import Callable

Say = Callable[[str], str]


def as_written(text: str) -> str:
    """No translation: the English as written (the default ``say``)."""
    return text
