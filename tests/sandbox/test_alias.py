"""The account alias: AWS's rules, through a plain boto3 client."""

from __future__ import annotations

import re

import pytest

from tests.conftest import make_client, refused

PATTERN = r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"

# Where the expected answers come from (see tests/conftest.py): the alias's pattern and length
# follow these pages in AWS's ValidationError format; the hint after it is the sandbox's own;
# "The account alias X cannot be found." is IAM's sentence.
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccountAlias.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteAccountAlias.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/console_account-alias.html",
)


@pytest.mark.parametrize(
    "alias", ["abc", "my-company", "acme-prod-2024", "a" * 63, "123456789012", "a-b-c"]
)
def test_good_aliases_are_accepted(iam, alias: str) -> None:
    iam.create_account_alias(AccountAlias=alias)
    assert iam.list_account_aliases()["AccountAliases"] == [alias]


@pytest.mark.parametrize(
    ("alias", "hint"),
    [
        ("My-Company", "lower-case letters only"),
        ("-mycompany", "not a hyphen"),
        ("mycompany-", "not a hyphen"),
        ("my--company", "Two hyphens in a row"),
        ("my_company", "Only letters, digits and hyphens"),
        ("my.company", "Only letters, digits and hyphens"),
        ("a" * 64, "3 to 63 characters (this one has 64)"),
    ],
)
def test_bad_aliases_are_refused(iam, alias: str, hint: str) -> None:
    code, status, message = refused(iam.create_account_alias, AccountAlias=alias)
    assert (code, status) == ("ValidationError", 400)
    assert re.match(rf"\d validation errors? detected: Value '{alias}' at 'accountAlias'", message)
    assert PATTERN in message
    assert hint in message
    assert iam.list_account_aliases()["AccountAliases"] == []


def test_a_too_short_alias_that_reaches_the_server_is_refused(sandbox) -> None:
    # botocore refuses fewer than 3 characters before sending; this client lets "ab" through.
    iam = make_client("iam", sandbox.endpoint, validate=False)
    code, status, message = refused(iam.create_account_alias, AccountAlias="ab")
    assert (code, status) == ("ValidationError", 400)
    assert "Member must have length greater than or equal to 3" in message
    assert "3 to 63 characters" in message


def test_a_new_alias_replaces_the_old_one(iam) -> None:
    iam.create_account_alias(AccountAlias="first-alias")
    iam.create_account_alias(AccountAlias="second-alias")
    assert iam.list_account_aliases()["AccountAliases"] == ["second-alias"]


def test_deleting_another_alias_is_no_such_entity(iam) -> None:
    iam.create_account_alias(AccountAlias="my-company")
    code, status, message = refused(iam.delete_account_alias, AccountAlias="not-mine")
    assert (code, status) == ("NoSuchEntity", 404)
    assert message == "The account alias not-mine cannot be found."
    assert iam.list_account_aliases()["AccountAliases"] == ["my-company"]


def test_deleting_without_an_alias_is_no_such_entity(iam) -> None:
    assert refused(iam.delete_account_alias, AccountAlias="my-company") == (
        "NoSuchEntity",
        404,
        "The account alias my-company cannot be found.",
    )


def test_deleting_the_alias(iam) -> None:
    iam.create_account_alias(AccountAlias="my-company")
    iam.delete_account_alias(AccountAlias="my-company")
    assert iam.list_account_aliases()["AccountAliases"] == []


@pytest.mark.parametrize(("alias", "hint"), [("My-Company", "lower-case"), ("my--co", "hyphens")])
def test_deleting_a_malformed_alias_is_a_validation_error(iam, alias: str, hint: str) -> None:
    # DeleteAccountAlias's API reference gives AccountAlias the same pattern as
    # CreateAccountAlias: checked before looking for the alias.
    iam.create_account_alias(AccountAlias="my-company")
    code, status, message = refused(iam.delete_account_alias, AccountAlias=alias)
    assert (code, status) == ("ValidationError", 400)
    assert message.startswith(
        f"1 validation error detected: Value '{alias}' at 'accountAlias' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {PATTERN}. "
    )
    assert hint in message  # then the sandbox's own hint
    assert iam.list_account_aliases()["AccountAliases"] == ["my-company"]
