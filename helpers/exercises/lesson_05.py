"""Lesson 05's "Your turn": length over complexity. The account's password policy must refuse a
password that today's policy accepts, accept a long passphrase that it refuses, and keep both
CIS lines green.

The check reads the policy (``get_account_password_policy``) and judges both passwords with the
same rules the form, the checklist and the sandbox use (``helpers.rules.passwords``).
"""

from __future__ import annotations

from typing import Any

from helpers.exercises import Attempt, Exercise
from helpers.i18n import N_, _
from helpers.iam import password_policy
from helpers.rules import passwords

# Looks strong (all four kinds, 16 characters), so today's CIS policy accepts it, and is built
# the way cracking lists guess: a word with letters swapped for digits, then a symbol.
REFUSE = "Tr0ub4dor&3-xkcd"
# Five plain words: 33 characters, lower-case letters and spaces (one kind of character).
ACCEPT = "seven purple kites over tokyo bay"


def judge(policy: dict | None) -> tuple[list[str], list[str], list[str]]:
    """What the policy makes of the two passwords (the rules each one breaks, in words) and
    which CIS lines it fails."""
    cis = [text for text, kept in passwords.cis_checks(policy or {}, say=_) if not kept]
    return (
        passwords.password_problems(REFUSE, policy, say=_),
        passwords.password_problems(ACCEPT, policy, say=_),
        cis,
    )


def inspect(aws: Any) -> Attempt:
    policy = password_policy.get_password_policy(aws.iam)  # aws iam get-account-password-policy
    if policy is None:
        return Attempt(False, "no-policy", _("The account has no custom password policy."))
    refused, passphrase_problems, cis = judge(policy)
    if not refused:
        if passphrase_problems:
            return Attempt(False, "start")
        return Attempt(
            False,
            "too-short",
            _("AWS accepts {refuse} ({length} characters): the minimum is {minimum}.").format(
                refuse=REFUSE, length=len(REFUSE), minimum=passwords.min_length(policy)
            ),
        )
    if passphrase_problems:
        return Attempt(
            False,
            "passphrase-refused",
            _("AWS refuses the passphrase too: {problems}").format(
                problems=" ".join(passphrase_problems)
            ),
        )
    if cis:
        return Attempt(
            False, "cis-broken", _("Both passwords are right, but {cis} fails.").format(cis=cis[0])
        )
    return Attempt(True, "done")


EXERCISE = Exercise(
    key="05-length",
    lesson=5,
    title=N_("Length over complexity"),
    inspect=inspect,
    hints={
        "start": (
            N_(
                "Today's policy accepts {refuse} and refuses the passphrase. Which rule tells them "
                "apart? Try both in the form's Try a password box."
            ),
            N_(
                "Length tells them apart: {refuse_length} characters against {accept_length}. The "
                "passphrase has only lower-case letters and spaces, so the character rules must go."
            ),
            N_(
                "Set a minimum length from {shortest} to {accept_length}, untick the four kinds "
                "of characters, keep reuse prevention at 24 and apply; the folded solution below "
                "shows the call."
            ),
        ),
        "no-policy": (
            N_("AWS's default rules accept {refuse}. Set a policy of your own in the form."),
            N_("The folded solution below shows the call."),
        ),
        "too-short": (
            N_("The passphrase passes now; the other password must not. Raise the minimum length."),
            N_(
                "{refuse} has {refuse_length} characters, so a minimum of {shortest} or more "
                "refuses it; the folded solution below shows the call."
            ),
        ),
        "passphrase-refused": (
            N_("The passphrase must pass: which rule stops it? The Try a password box says."),
            N_(
                "A passphrase of words has one kind of character: untick the four kinds. Keep the "
                "minimum at {accept_length} or less; the folded solution below shows the call."
            ),
        ),
        "cis-broken": (
            N_(
                "Send the whole policy: every setting left out of update-account-password-policy "
                "goes back to its default (off)."
            ),
            N_(
                "Add --password-reuse-prevention 24 (and a minimum length of 14 or more) to the "
                "call, or tick reuse prevention in the form; the folded solution below shows it."
            ),
        ),
    },
    done=N_(
        "AWS now refuses {refuse} and accepts a {accept_length}-character passphrase, and both "
        "CIS lines are green."
    ),
    values={
        "refuse": REFUSE,
        "refuse_length": len(REFUSE),
        "accept_length": len(ACCEPT),
        "shortest": len(REFUSE) + 1,
    },
)

EXERCISES = (EXERCISE,)
