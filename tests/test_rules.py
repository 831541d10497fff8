"""The plain rule functions the forms use to check input as the learner types."""

from __future__ import annotations

import pytest

from helpers.defaults import AWS_DEFAULT_PASSWORD_POLICY, CIS_PASSWORD_POLICY
from helpers.rules.alias import alias_problems, sign_in_url
from helpers.rules.names import name_problems
from helpers.rules.passwords import generate_password, password_problems


@pytest.mark.parametrize("name", ["alice", "Alice.Smith", "a", "x" * 64, "dev+ops=1,2@corp-x_y"])
def test_valid_user_names(name: str) -> None:
    assert name_problems(name) == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "at least 1"),
        ("x" * 65, "at most 64"),
        ("alice smith", "space"),
        ("team/alice", "/"),
        ("alice!", "!"),
        ("élise", "é"),
    ],
)
def test_invalid_user_names_say_why(name: str, words: str) -> None:
    problems = name_problems(name)
    assert problems and words in " ".join(problems)


def test_group_names_may_be_longer_than_user_names() -> None:
    assert name_problems("g" * 128, kind="group") == []
    assert "at most 128" in name_problems("g" * 129, kind="group")[0]


def test_names_are_unique_regardless_of_case() -> None:
    assert "already exists" in name_problems("alice", existing=["Alice"])[0]
    assert name_problems("alice", existing=["bob"]) == []


@pytest.mark.parametrize("alias", ["my-first-aws-account", "abc", "a1-b2", "x" * 63])
def test_valid_aliases(alias: str) -> None:
    assert alias_problems(alias) == []


@pytest.mark.parametrize(
    ("alias", "words"),
    [
        ("My-Account", "lower-case"),
        ("-account", "start and end"),
        ("account-", "start and end"),
        ("my--account", "Two hyphens"),
        ("ab", "3 to 63"),
        ("x" * 64, "3 to 63"),
        ("my_account", "Only letters"),
    ],
)
def test_invalid_aliases_say_why(alias: str, words: str) -> None:
    assert words in " ".join(alias_problems(alias))


def test_sign_in_url() -> None:
    assert sign_in_url("my-alias") == "https://my-alias.signin.aws.amazon.com/console"


def test_aws_default_rules_without_a_policy() -> None:
    assert password_problems("Passw0rd", None) == []
    assert "three of" in password_problems("password", None)[0]
    assert "At least 8" in password_problems("Pa0!", None)[0]
    assert "user name" in " ".join(password_problems("Alice.2026", None, user_name="Alice.2026"))


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("Sh0rt!pass", "At least 14"),
        ("nouppercase0!xyz", "upper-case"),
        ("NOLOWERCASE0!XYZ", "lower-case"),
        ("NoDigitsHere!xyz", "digit"),
        ("NoSymbols0Herexyz", "symbol"),
    ],
)
def test_each_cis_policy_rule(password: str, words: str) -> None:
    problems = password_problems(password, CIS_PASSWORD_POLICY)
    assert len(problems) == 1 and words in problems[0]


@pytest.mark.parametrize("policy", [None, AWS_DEFAULT_PASSWORD_POLICY, CIS_PASSWORD_POLICY])
def test_generated_passwords_satisfy_the_policy(policy: dict | None) -> None:
    for _ in range(20):
        assert password_problems(generate_password(policy), policy) == []
