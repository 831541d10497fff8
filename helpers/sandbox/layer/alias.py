"""The account alias (the name in the sign-in link), checked as AWS checks it.

AWS (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccountAlias.html,
https://docs.aws.amazon.com/IAM/latest/UserGuide/console_account-alias.html): an alias is 3-63
lower-case letters, digits and hyphens, starting and ending with a letter or digit, never two
hyphens in a row (``^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$``), else ``ValidationError``
(400). An account has one alias; a new one replaces the old. ``DeleteAccountAlias`` of a name
that is not the account's alias is ``NoSuchEntity`` (404). moto checks nothing and deletes
whatever name it is given.
"""

from __future__ import annotations

from helpers.rules.alias import ALIAS_PATTERN, alias_problems
from helpers.sandbox.layer import moto_state
from helpers.sandbox.layer.names import constraint, validation_error
from helpers.sandbox.layer.registry import Call, before, hint
from helpers.sandbox.layer.wire import AwsError

ALIAS_PATTERN_TEXT = ALIAS_PATTERN.pattern
MIN_LENGTH, MAX_LENGTH = 3, 63


def alias_hint(alias: str) -> str:
    return (
        f"An account alias is {MIN_LENGTH}-{MAX_LENGTH} lower-case letters, digits and single "
        f"hyphens, starting and ending with a letter or digit; '{alias}' is not: "
        + " ".join(alias_problems(alias))
    )


@hint("iam", "CreateAccountAlias", "DeleteAccountAlias")
def explain_alias(call: Call, problems: list[str]) -> str | None:
    """The plain-words hint after AWS's message when the model's checks (validation.py) refuse
    the alias first."""
    alias = call.param("AccountAlias")
    if alias is None or not any("'accountAlias'" in problem for problem in problems):
        return None
    return alias_hint(alias)


def _require_alias(alias: str) -> None:
    problems = []
    if len(alias) < MIN_LENGTH:
        problems.append(
            constraint("accountAlias", alias, f"have length greater than or equal to {MIN_LENGTH}")
        )
    elif len(alias) > MAX_LENGTH:
        problems.append(
            constraint("accountAlias", alias, f"have length less than or equal to {MAX_LENGTH}")
        )
    if not ALIAS_PATTERN.fullmatch(alias):
        pattern = f"satisfy regular expression pattern: {ALIAS_PATTERN_TEXT}"
        problems.append(constraint("accountAlias", alias, pattern))
    if problems:
        raise validation_error(problems, alias_hint(alias))


@before("iam", "CreateAccountAlias")
def create_account_alias(call: Call) -> None:
    _require_alias(call.param("AccountAlias") or "")
    # moto replaces the alias, as AWS does: nothing more to do.


@before("iam", "DeleteAccountAlias")
def delete_account_alias(call: Call) -> None:
    alias = call.param("AccountAlias") or ""
    _require_alias(alias)
    if alias not in moto_state.account_aliases():
        raise AwsError("NoSuchEntity", f"The account alias {alias} cannot be found.")
