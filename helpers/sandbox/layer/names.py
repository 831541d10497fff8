"""Names and paths of IAM users and groups, checked as AWS checks them.

AWS (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): a user name is 1-64
and a group name 1-128 characters of ``[\\w+=,.@-]``; a path is ``/`` or ``/.../`` of printable
ASCII, at most 512 characters; anything else is a ``ValidationError`` (400). Names are unique
ignoring case (``alice`` cannot join ``Alice``: ``EntityAlreadyExists``, 409), yet every lookup
matches the exact name. moto accepts any name and treats ``alice`` and ``Alice`` as two users.

``ValidationError`` messages follow AWS's wording, for example
``1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member
must satisfy regular expression pattern: [\\w+=,.@-]+``.
"""

from __future__ import annotations

import re

from helpers.rules.names import MAX_LENGTH, NAME_PATTERN
from helpers.sandbox.layer import moto_state
from helpers.sandbox.layer.registry import Call, before
from helpers.sandbox.layer.wire import AwsError, constraint, validation_error

USER_NAME_MAX = MAX_LENGTH["user"]
GROUP_NAME_MAX = MAX_LENGTH["group"]
PATH_MAX = 512

NAME_PATTERN_TEXT = r"[\w+=,.@-]+"
PATH_PATTERN_TEXT = r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)"
_NAME = NAME_PATTERN  # ASCII \w, as AWS's (Java) regex: no letters such as é
_PATH = re.compile(r"/|/[\x21-\x7e]+/")


def length_problems(member: str, value: str | None, low: int, high: int) -> list[str]:
    if len(value or "") < low:
        return [constraint(member, value, f"have length greater than or equal to {low}")]
    if len(value or "") > high:
        return [constraint(member, value, f"have length less than or equal to {high}")]
    return []


def name_problems(member: str, value: str | None, high: int) -> list[str]:
    problems = length_problems(member, value, 1, high)
    if value and not _NAME.fullmatch(value):
        problems.append(
            constraint(member, value, f"satisfy regular expression pattern: {NAME_PATTERN_TEXT}")
        )
    return problems


def path_problems(member: str, value: str | None) -> list[str]:
    if value is None:
        return []
    problems = length_problems(member, value, 1, PATH_MAX)
    if value and not _PATH.fullmatch(value):
        problems.append(
            constraint(member, value, f"satisfy regular expression pattern: {PATH_PATTERN_TEXT}")
        )
    return problems


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise validation_error(problems)


def _user_taken(name: str, renamed: str | None = None) -> None:
    found = moto_state.user_named_like(name)
    if found is not None and found.name != renamed:
        raise AwsError("EntityAlreadyExists", f"User with name {name} already exists.")


def _group_taken(name: str, renamed: str | None = None) -> None:
    found = moto_state.group_named_like(name)
    if found is not None and found.name != renamed:
        raise AwsError("EntityAlreadyExists", f"Group with name {name} already exists.")


def no_such_user(name: str) -> AwsError:
    return AwsError("NoSuchEntity", f"The user with name {name} cannot be found.")


def no_such_group(name: str) -> AwsError:
    return AwsError("NoSuchEntity", f"The group with name {name} cannot be found.")


@before("iam", "CreateUser")
def create_user(call: Call) -> None:
    name = call.param("UserName")
    path = call.param("Path")
    _raise_if(name_problems("userName", name, USER_NAME_MAX) + path_problems("path", path))
    _user_taken(name or "")


@before("iam", "CreateGroup")
def create_group(call: Call) -> None:
    name = call.param("GroupName")
    path = call.param("Path")
    _raise_if(name_problems("groupName", name, GROUP_NAME_MAX) + path_problems("path", path))
    _group_taken(name or "")


@before("iam", "UpdateUser")
def update_user(call: Call) -> None:
    name = call.param("UserName") or ""
    new_name = call.param("NewUserName")
    problems = path_problems("newPath", call.param("NewPath"))
    if new_name is not None:
        problems = name_problems("newUserName", new_name, USER_NAME_MAX) + problems
    _raise_if(problems)
    if moto_state.user(name) is None:
        raise no_such_user(name)
    if new_name is not None:
        # Renaming Alice to ALICE only changes the case of her own name: allowed.
        _user_taken(new_name, renamed=name)


@before("iam", "UpdateGroup")
def update_group(call: Call) -> None:
    name = call.param("GroupName") or ""
    new_name = call.param("NewGroupName")
    problems = path_problems("newPath", call.param("NewPath"))
    if new_name is not None:
        problems = name_problems("newGroupName", new_name, GROUP_NAME_MAX) + problems
    _raise_if(problems)
    if moto_state.group(name) is None:
        raise no_such_group(name)
    if new_name is not None:
        _group_taken(new_name, renamed=name)


@before("iam", "GetGroup")
def get_group(call: Call) -> None:
    # moto answers "Group X not found"; IAM's sentence is the one no_such_group words.
    name = call.param("GroupName") or ""
    if moto_state.group(name) is None:
        raise no_such_group(name)
