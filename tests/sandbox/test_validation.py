"""Every IAM and STS request is checked against botocore's model (``layer/validation.py``).

AWS's wording: ``1 validation error detected: Value null at 'roleName' failed to satisfy
constraint: Member must not be null`` (e.g. https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html);
unknown actions: https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html.
"""

from __future__ import annotations

import botocore.session
import pytest

from helpers.rules import alias as alias_rules
from helpers.rules import names as name_rules
from helpers.rules import passwords as password_rules
from helpers.sandbox.layer import validation
from helpers.sandbox.layer.validation import java_pattern, problems_of
from tests.conftest import make_client, refused

AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/CommonParameters.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
)


def member_shape(service: str, action: str, member: str):
    model = botocore.session.get_session().get_service_model(service)
    return model.operation_model(action).input_shape.members[member]


# --- helpers/rules, the project's one source of names, agrees with botocore's model ----------


@pytest.mark.parametrize(
    ("action", "member", "kind"),
    [("CreateUser", "UserName", "user"), ("CreateGroup", "GroupName", "group")],
)
def test_name_rules_agree_with_the_model(action: str, member: str, kind: str) -> None:
    shape = member_shape("iam", action, member)
    assert shape.metadata["pattern"] == r"[\w+=,.@-]+"
    assert name_rules.MAX_LENGTH[kind] == shape.metadata["max"]
    assert shape.metadata["min"] == 1
    for name in ["alice", "a.b@c", "x" * shape.metadata["max"], "a b", "é", "a/b", "*"]:
        by_rules = not name_rules.name_problems(name, kind)
        by_model = not problems_of("iam", action, {member: name})
        assert by_rules == by_model, name


def test_alias_rules_agree_with_the_model() -> None:
    shape = member_shape("iam", "CreateAccountAlias", "AccountAlias")
    assert alias_rules.ALIAS_PATTERN.pattern == shape.metadata["pattern"]
    assert (shape.metadata["min"], shape.metadata["max"]) == (3, 63)
    for alias in ["my-shop", "ab", "a" * 63, "a" * 64, "My-shop", "-a-", "a--b", "a_b"]:
        by_rules = not alias_rules.alias_problems(alias)
        by_model = not problems_of("iam", "CreateAccountAlias", {"AccountAlias": alias})
        assert by_rules == by_model, alias


def test_password_rules_agree_with_the_model() -> None:
    shape = member_shape("iam", "CreateLoginProfile", "Password")
    assert shape.metadata["sensitive"] is True
    assert password_rules.MAX_LENGTH == shape.metadata["max"]


# --- Java patterns, translated ---------------------------------------------------------------


def test_backslash_w_is_ascii_as_in_java() -> None:
    pattern = java_pattern(r"[\w+=,.@-]+")
    assert pattern.fullmatch("user_1+=,.@-")
    assert not pattern.fullmatch("josé")
    assert not pattern.fullmatch("")


def test_unicode_classes_follow_categories() -> None:
    pattern = java_pattern(r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+")
    assert pattern.fullmatch("Projet été 2024 ½ _.:/=+-@")
    assert not pattern.fullmatch("a*b")
    assert not pattern.fullmatch("bell\x07")
    assert not pattern.fullmatch("")
    assert java_pattern(r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*").fullmatch("")


def test_code_points_past_ffff_are_the_supplementary_planes() -> None:
    text = r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+"
    pattern = java_pattern(text)
    assert pattern.fullmatch('{"Version": "2012-10-17"} 😀 é')
    assert not pattern.fullmatch("bell\x07")


# --- messages ------------------------------------------------------------------------------


def test_missing_members_are_named_in_lower_camel_case() -> None:
    assert problems_of("iam", "CreateRole", {}) == [
        "Value null at 'roleName' failed to satisfy constraint: Member must not be null",
        "Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: "
        "Member must not be null",
    ]


def test_list_elements_and_their_members_are_named_as_aws_names_them() -> None:
    found = problems_of(
        "iam",
        "TagUser",
        {"UserName": "alice", "Tags.member.1.Key": "ok", "Tags.member.2.Key": "*"},
    )
    assert "Value null at 'tags.1.member.value' failed to satisfy constraint" in found[0]
    assert "Value '*' at 'tags.2.member.key'" in found[1]
    assert "Value null at 'tags.2.member.value'" in found[2]


def test_list_sizes_enums_integers_and_booleans() -> None:
    keys = {f"TagKeys.member.{n}": f"k{n}" for n in range(1, 52)}
    [too_many] = problems_of("iam", "UntagUser", {"UserName": "a", **keys})
    assert (
        "at 'tagKeys' failed to satisfy constraint: Member must have length less than or "
        "equal to 50" in too_many
    )
    [enum] = problems_of("iam", "ListPolicies", {"Scope": "Mine"})
    assert enum.endswith("Member must satisfy enum value set: [All, AWS, Local]")
    [low, flag] = problems_of(
        "iam", "UpdateAccountPasswordPolicy", {"MaxPasswordAge": "0", "HardExpiry": "yes"}
    )
    assert low == (
        "Value '0' at 'maxPasswordAge' failed to satisfy constraint: Member must have value "
        "greater than or equal to 1"
    )
    assert "'hardExpiry'" in flag
    [kind] = problems_of("iam", "ListUsers", {"MaxItems": "ten"})
    assert "Value 'ten' at 'maxItems'" in kind


def test_a_sensitive_value_is_never_echoed() -> None:
    secret = "é" * 3 + "\x07"
    [problem] = problems_of("iam", "CreateLoginProfile", {"UserName": "a", "Password": secret})
    assert problem.startswith("Value at 'password' failed to satisfy constraint")
    assert secret not in problem


def test_each_operation_is_prepared_once() -> None:
    assert validation.operation_check("iam", "GetUser") is validation.operation_check(
        "iam", "GetUser"
    )
    assert validation.operation_check("iam", "ListUserz") is None


# --- through the sandbox -------------------------------------------------------------------


def test_a_missing_member_is_refused_before_moto(sandbox) -> None:
    iam = make_client("iam", sandbox.endpoint, validate=False)
    code, status, message = refused(iam.create_role, RoleName="r")
    assert (code, status) == ("ValidationError", 400)
    assert message == (
        "1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy "
        "constraint: Member must not be null"
    )
    assert iam.list_roles()["Roles"] == []


def test_several_broken_constraints_are_one_answer(sandbox) -> None:
    iam = make_client("iam", sandbox.endpoint, validate=False)
    code, status, message = refused(iam.create_user, UserName="a b", Path="nope")
    assert (code, status) == ("ValidationError", 400)
    # In the model's order of members (CreateUser's Path comes before UserName).
    assert message.startswith("2 validation errors detected: Value 'nope' at 'path'")
    assert "; Value 'a b' at 'userName'" in message
    assert iam.list_users()["Users"] == []


def test_a_password_breaking_the_model_is_not_echoed(sandbox) -> None:
    iam = make_client("iam", sandbox.endpoint, validate=False)
    iam.create_user(UserName="alice")
    password = "Sécret\x07Passw0rd"
    code, status, message = refused(iam.create_login_profile, UserName="alice", Password=password)
    assert (code, status) == ("ValidationError", 400)
    assert "Value at 'password'" in message and password not in message


def test_the_alias_hint_follows_aws_message(sandbox) -> None:
    iam = make_client("iam", sandbox.endpoint, validate=False)
    code, _, message = refused(iam.create_account_alias, AccountAlias="My--Shop")
    assert code == "ValidationError"
    assert message.startswith("1 validation error detected: Value 'My--Shop' at 'accountAlias'")
    assert "Use lower-case letters only" in message and message.count("validation error") == 1


def test_a_control_character_is_echoed_as_an_escape_not_broken_xml(sandbox) -> None:
    """XML 1.0 cannot carry U+0007: AWS's message stays parseable and shows it as \\u0007."""
    iam = make_client("iam", sandbox.endpoint, validate=False)
    code, status, message = refused(iam.create_user, UserName="a\x07b")
    assert (code, status) == ("ValidationError", 400)
    assert "Value 'a\\u0007b' at 'userName'" in message
