"""User and group names and paths: AWS's rules, through a plain boto3 client."""

from __future__ import annotations

import pytest

from tests.conftest import make_client, refused

# Where the expected answers come from (see tests/conftest.py): names, paths and their
# ValidationError constraints follow these pages, in AWS's "N validation error(s) detected"
# format; "already exists" and "cannot be found" are IAM's sentences.
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateGroup.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateUser.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateGroup.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
)
NAME_PATTERN = r"[\w+=,.@-]+"

# --- user names ------------------------------------------------------------------------------


def test_a_64_character_user_name_is_accepted(iam) -> None:
    name = "a" * 64
    assert iam.create_user(UserName=name)["User"]["UserName"] == name


def test_a_65_character_user_name_is_refused(iam) -> None:
    code, status, message = refused(iam.create_user, UserName="a" * 65)
    assert (code, status) == ("ValidationError", 400)
    assert message == (
        f"1 validation error detected: Value '{'a' * 65}' at 'userName' failed to satisfy "
        "constraint: Member must have length less than or equal to 64"
    )


def test_an_empty_user_name_that_reaches_the_server_is_refused(sandbox) -> None:
    code, status, message = refused(
        make_client("iam", sandbox.endpoint, validate=False).create_user, UserName=""
    )
    assert (code, status) == ("ValidationError", 400)
    assert "Member must have length greater than or equal to 1" in message


@pytest.mark.parametrize("name", ["a b", "team/alice", "alice!", "élodie"])
def test_user_names_outside_the_allowed_characters_are_refused(iam, name: str) -> None:
    code, status, message = refused(iam.create_user, UserName=name)
    assert (code, status) == ("ValidationError", 400)
    assert message == (
        f"1 validation error detected: Value '{name}' at 'userName' failed to satisfy "
        r"constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+"
    )
    assert iam.list_users()["Users"] == []


def test_every_allowed_character_is_accepted(iam) -> None:
    name = "Az09_+=,.@-"
    assert iam.create_user(UserName=name)["User"]["UserName"] == name


def test_user_names_are_unique_ignoring_case(iam) -> None:
    iam.create_user(UserName="Alice")
    code, status, message = refused(iam.create_user, UserName="alice")
    assert (code, status) == ("EntityAlreadyExists", 409)
    assert message == "User with name alice already exists."
    assert refused(iam.create_user, UserName="Alice") == (
        "EntityAlreadyExists",
        409,
        "User with name Alice already exists.",
    )
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["Alice"]


def test_user_lookups_match_the_exact_name(iam) -> None:
    iam.create_user(UserName="Alice")
    assert refused(iam.get_user, UserName="alice") == (
        "NoSuchEntity",
        404,
        "The user with name alice cannot be found.",
    )
    assert iam.get_user(UserName="Alice")["User"]["UserName"] == "Alice"


def test_renaming_a_user_onto_another_name_ignoring_case_is_refused(iam) -> None:
    iam.create_user(UserName="Alice")
    iam.create_user(UserName="bob")
    code, status, message = refused(iam.update_user, UserName="bob", NewUserName="ALICE")
    assert (code, status) == ("EntityAlreadyExists", 409)
    assert message == "User with name ALICE already exists."
    iam.update_user(UserName="bob", NewUserName="robert")
    assert iam.get_user(UserName="robert")["User"]["UserName"] == "robert"


def test_a_user_may_change_the_case_of_their_own_name(iam) -> None:
    iam.create_user(UserName="alice")
    iam.update_user(UserName="alice", NewUserName="Alice")
    assert iam.get_user(UserName="Alice")["User"]["UserName"] == "Alice"


def test_renaming_to_a_bad_name_is_refused(iam) -> None:
    iam.create_user(UserName="alice")
    assert refused(iam.update_user, UserName="alice", NewUserName="a b") == (
        "ValidationError",
        400,
        "1 validation error detected: Value 'a b' at 'newUserName' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {NAME_PATTERN}",
    )
    assert refused(iam.update_user, UserName="alice", NewUserName="a" * 65) == (
        "ValidationError",
        400,
        f"1 validation error detected: Value '{'a' * 65}' at 'newUserName' failed to satisfy "
        "constraint: Member must have length less than or equal to 64",
    )


def test_renaming_an_unknown_user_is_no_such_entity(iam) -> None:
    code, status, message = refused(iam.update_user, UserName="ghost", NewUserName="spirit")
    assert (code, status) == ("NoSuchEntity", 404)
    assert message == "The user with name ghost cannot be found."


# --- paths -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/engineering/", "/a/b-c/"])
def test_good_paths_are_accepted(iam, path: str) -> None:
    assert iam.create_user(UserName="alice", Path=path)["User"]["Path"] == path


@pytest.mark.parametrize("path", ["engineering", "/engineering", "/a b/", "/" + "a" * 511 + "/"])
def test_bad_paths_are_refused(iam, path: str) -> None:
    code, status, message = refused(iam.create_user, UserName="alice", Path=path)
    assert (code, status) == ("ValidationError", 400)
    assert "at 'path'" in message


def test_a_bad_new_path_is_refused(iam) -> None:
    iam.create_user(UserName="alice")
    code, status, message = refused(iam.update_user, UserName="alice", NewPath="no-slashes")
    assert (code, status) == ("ValidationError", 400)
    assert "at 'newPath'" in message


# --- group names -----------------------------------------------------------------------------


def test_a_128_character_group_name_is_accepted(iam) -> None:
    name = "g" * 128
    assert iam.create_group(GroupName=name)["Group"]["GroupName"] == name


def test_a_129_character_group_name_is_refused(iam) -> None:
    assert refused(iam.create_group, GroupName="g" * 129) == (
        "ValidationError",
        400,
        f"1 validation error detected: Value '{'g' * 129}' at 'groupName' failed to satisfy "
        "constraint: Member must have length less than or equal to 128",
    )


@pytest.mark.parametrize("name", ["power users", "ops/admins"])
def test_group_names_outside_the_allowed_characters_are_refused(iam, name: str) -> None:
    assert refused(iam.create_group, GroupName=name) == (
        "ValidationError",
        400,
        f"1 validation error detected: Value '{name}' at 'groupName' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {NAME_PATTERN}",
    )


def test_group_names_are_unique_ignoring_case(iam) -> None:
    iam.create_group(GroupName="Admins")
    code, status, message = refused(iam.create_group, GroupName="admins")
    assert (code, status) == ("EntityAlreadyExists", 409)
    assert message == "Group with name admins already exists."
    # moto answered "Group admins not found"; the sandbox answers IAM's sentence.
    assert refused(iam.get_group, GroupName="admins") == (
        "NoSuchEntity",
        404,
        "The group with name admins cannot be found.",
    )


def test_renaming_a_group_follows_the_same_rules(iam) -> None:
    iam.create_group(GroupName="Admins")
    iam.create_group(GroupName="ops")
    assert refused(iam.update_group, GroupName="ops", NewGroupName="ADMINS") == (
        "EntityAlreadyExists",
        409,
        "Group with name ADMINS already exists.",
    )
    assert refused(iam.update_group, GroupName="ops", NewGroupName="o p s") == (
        "ValidationError",
        400,
        "1 validation error detected: Value 'o p s' at 'newGroupName' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {NAME_PATTERN}",
    )
    iam.update_group(GroupName="ops", NewGroupName="operators")
    assert iam.get_group(GroupName="operators")["Group"]["GroupName"] == "operators"


def test_several_broken_constraints_are_all_reported(iam) -> None:
    code, status, message = refused(iam.create_user, UserName="a b" * 30, Path="nope")
    assert (code, status) == ("ValidationError", 400)
    assert message.startswith("3 validation errors detected: ")


def test_updating_an_unknown_group_is_no_such_entity(iam) -> None:
    # UpdateGroup's API reference: NoSuchEntity (404); the sentence is IAM's usual one for a
    # group (as GetGroup's).
    for change in ({"NewGroupName": "spirits"}, {"NewPath": "/teams/"}):
        assert refused(iam.update_group, GroupName="ghosts", **change) == (
            "NoSuchEntity",
            404,
            "The group with name ghosts cannot be found.",
        )
    assert iam.list_groups()["Groups"] == []
