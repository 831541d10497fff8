"""Console passwords and the account password policy: AWS's rules, through plain boto3 clients."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from helpers.sandbox.console import SandboxConsole
from helpers.sandbox.constants import ACCOUNT_ID
from tests.conftest import make_client, refused

STRICT_POLICY = {
    "MinimumPasswordLength": 12,
    "RequireUppercaseCharacters": True,
    "RequireLowercaseCharacters": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
}


# Where the expected answers come from (see tests/conftest.py): the codes and statuses, the
# policy's rules and bounds follow these pages. The PasswordPolicyViolation sentences
# ("Password should ...") are the sandbox's wording of the policy's rules; "The old password is
# incorrect." and ChangePassword's AccessDenied explanation are the sandbox's own (the API
# reference lists no wording; docs/sandbox.md says so). "cannot be found" sentences are IAM's.
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateLoginProfile.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateLoginProfile.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_ChangePassword.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountPasswordPolicy.html",
)
THREE_KINDS = (  # the default policy's rule, in the sandbox's words
    "Password should have at least three of these four kinds of characters: uppercase letters, "
    "lowercase letters, numbers and symbols (! @ # $ % ^ & * ( ) _ + - = [ ] { } | ')"
)
WRONG_OLD_PASSWORD = ("AccessDenied", 403, "The old password is incorrect.")  # sandbox wording


def violation(*rules: str) -> tuple[str, int, str]:
    """PasswordPolicyViolation naming ``rules``, in the sandbox's words."""
    return ("PasswordPolicyViolation", 400, "; ".join(rules) + ".")


# GetAccountPasswordPolicy without a policy (its API reference: NoSuchEntity).
NO_POLICY = (
    "NoSuchEntity",
    404,
    f"The Password Policy with domain name {ACCOUNT_ID} cannot be found.",
)

def password_of(sandbox, user: str, *candidates: str) -> str:
    """Which of ``candidates`` is ``user``'s console password now, tried on the sign-in page
    (exactly one must work)."""
    console = SandboxConsole(sandbox.endpoint)
    working = []
    for password in candidates:
        try:
            console.sign_in(ACCOUNT_ID, user, password)
        except ClientError as error:
            assert error.response["Error"]["Code"] == "AuthenticationFailed"
        else:
            working.append(password)
    assert len(working) == 1, working
    return working[0]


def user_client(iam, sandbox, name: str):
    """A plain boto3 IAM client signed with a new access key of user ``name``."""
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return make_client("iam", sandbox.endpoint, key["AccessKeyId"], key["SecretAccessKey"])


# --- the account password policy -------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Sh0rt!pass", "Password should have a minimum length of 12"),
        ("no-upper-case-1", "Password should have at least one uppercase letter"),
        ("NO-LOWER-CASE-1", "Password should have at least one lowercase letter"),
        ("No-Numbers-Here", "Password should have at least one number"),
        ("NoSymbolsHere123", "Password should have at least one symbol"),
    ],
)
def test_a_password_breaking_one_rule_of_the_policy_is_refused(
    iam, password: str, rule: str
) -> None:
    iam.update_account_password_policy(**STRICT_POLICY)
    iam.create_user(UserName="alice")
    code, status, message = refused(iam.create_login_profile, UserName="alice", Password=password)
    assert (code, status) == ("PasswordPolicyViolation", 400)
    assert message.startswith(rule)
    assert message.count("Password should") == 1
    # Nothing half-made: no login profile was created (GetLoginProfile's NoSuchEntity).
    assert refused(iam.get_login_profile, UserName="alice") == (
        "NoSuchEntity",
        404,
        "Login Profile for User alice cannot be found.",
    )


def test_a_password_keeping_every_rule_of_the_policy_is_accepted(iam) -> None:
    iam.update_account_password_policy(**STRICT_POLICY)
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Good-Passw0rd!")
    assert iam.get_login_profile(UserName="alice")["LoginProfile"]["UserName"] == "alice"


def test_every_broken_rule_is_named(iam) -> None:
    iam.update_account_password_policy(**STRICT_POLICY)
    iam.create_user(UserName="alice")
    _, _, message = refused(iam.create_login_profile, UserName="alice", Password="abc")
    assert "minimum length of 12" in message
    assert "uppercase" in message and "number" in message and "symbol" in message


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("password", THREE_KINDS),  # one kind of character
        ("PASSWORD1", THREE_KINDS),  # two kinds
        ("Pass0rd", "Password should have a minimum length of 8"),  # three kinds, 7 characters
        ("Alice-2024", "Password should not be identical to the user name"),
    ],
)
def test_without_a_policy_aws_default_policy_refuses(iam, password: str, rule: str) -> None:
    iam.create_user(UserName="Alice-2024")
    refusal = refused(iam.create_login_profile, UserName="Alice-2024", Password=password)
    assert refusal == violation(rule)


@pytest.mark.parametrize("password", ["Passw0rd", "passw0rd!", "PASSWORD!x", "Alice-2024!"])
def test_without_a_policy_aws_default_policy_accepts(sandbox, iam, password: str) -> None:
    iam.create_user(UserName="Alice-2024")
    iam.create_login_profile(UserName="Alice-2024", Password=password)
    assert password_of(sandbox, "Alice-2024", password, "Passw0rd!-other") == password


def test_default_policy_messages_say_what_to_do(iam) -> None:
    iam.create_user(UserName="alice")
    _, _, message = refused(iam.create_login_profile, UserName="alice", Password="password")
    assert "at least three of these four kinds of characters" in message
    iam.create_user(UserName="Bob-12345")
    _, _, message = refused(iam.create_login_profile, UserName="Bob-12345", Password="Bob-12345")
    assert message == "Password should not be identical to the user name."


def test_a_password_longer_than_128_characters_is_a_validation_error(iam) -> None:
    iam.create_user(UserName="alice")
    code, status, message = refused(
        iam.create_login_profile, UserName="alice", Password="Aa1!" * 32 + "x"
    )
    assert (code, status) == ("ValidationError", 400)
    assert message == (
        "1 validation error detected: Value at 'password' failed to satisfy constraint: "
        "Member must have length less than or equal to 128"
    )
    iam.create_login_profile(UserName="alice", Password="Aa1!" * 32)


def test_a_password_with_characters_outside_latin_1_is_a_validation_error(iam) -> None:
    iam.create_user(UserName="alice")
    code, status, message = refused(
        iam.create_login_profile, UserName="alice", Password="Passw0rd\u2603"
    )
    assert (code, status) == ("ValidationError", 400)
    assert "regular expression pattern" in message


# --- login profiles --------------------------------------------------------------------------


def test_password_reset_required_is_kept(iam) -> None:
    iam.create_user(UserName="alice")
    created = iam.create_login_profile(
        UserName="alice", Password="Passw0rd!", PasswordResetRequired=True
    )
    assert created["LoginProfile"]["PasswordResetRequired"] is True
    assert iam.get_login_profile(UserName="alice")["LoginProfile"]["PasswordResetRequired"]


def test_password_reset_required_defaults_to_false(iam) -> None:
    iam.create_user(UserName="alice")
    created = iam.create_login_profile(UserName="alice", Password="Passw0rd!")
    assert created["LoginProfile"]["PasswordResetRequired"] is False
    profile = iam.get_login_profile(UserName="alice")["LoginProfile"]
    assert profile["PasswordResetRequired"] is False


def test_a_second_login_profile_is_refused(iam) -> None:
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Passw0rd!")
    code, status, message = refused(
        iam.create_login_profile, UserName="alice", Password="Other-Passw0rd!"
    )
    assert (code, status) == ("EntityAlreadyExists", 409)
    assert message == "Login Profile for user alice already exists."


def test_a_login_profile_for_an_unknown_user_is_refused(iam) -> None:
    code, status, message = refused(
        iam.create_login_profile, UserName="ghost", Password="Passw0rd!"
    )
    assert (code, status) == ("NoSuchEntity", 404)
    assert message == "The user with name ghost cannot be found."


def test_update_login_profile_enforces_the_policy(iam) -> None:
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Passw0rd!")
    refusal = refused(iam.update_login_profile, UserName="alice", Password="password")
    assert refusal == violation(THREE_KINDS)
    iam.update_login_profile(UserName="alice", Password="Better-Passw0rd")


def test_update_login_profile_without_a_password_keeps_it(iam) -> None:
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Passw0rd!")
    iam.update_login_profile(UserName="alice", PasswordResetRequired=True)
    profile = iam.get_login_profile(UserName="alice")["LoginProfile"]
    assert profile["PasswordResetRequired"] is True
    iam.update_login_profile(UserName="alice", Password="Another-Passw0rd")
    profile = iam.get_login_profile(UserName="alice")["LoginProfile"]
    assert profile["PasswordResetRequired"] is True  # left out: unchanged


def test_update_login_profile_of_a_user_without_one_is_no_such_entity(iam) -> None:
    iam.create_user(UserName="alice")
    code, status, message = refused(
        iam.update_login_profile, UserName="alice", Password="Passw0rd!"
    )
    assert (code, status) == ("NoSuchEntity", 404)
    assert message == "Login Profile for User alice cannot be found."
    assert refused(iam.update_login_profile, UserName="ghost", Password="Passw0rd!") == (
        "NoSuchEntity",
        404,
        "The user with name ghost cannot be found.",
    )


# --- ChangePassword --------------------------------------------------------------------------


@pytest.fixture
def alice(iam, sandbox):
    """User alice with password "Passw0rd!-1" (reset required) and her own IAM client."""
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Passw0rd!-1", PasswordResetRequired=True)
    return user_client(iam, sandbox, "alice")


def test_a_user_changes_their_own_password(iam, alice) -> None:
    iam.update_account_password_policy(AllowUsersToChangePassword=True)
    alice.change_password(OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-2")
    # The old password no longer works, the new one does.
    refusal = refused(alice.change_password, OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-3")
    assert refusal == WRONG_OLD_PASSWORD
    alice.change_password(OldPassword="Passw0rd!-2", NewPassword="Passw0rd!-3")


def test_changing_the_password_clears_the_reset_flag(iam, alice) -> None:
    iam.update_account_password_policy(AllowUsersToChangePassword=True)
    assert iam.get_login_profile(UserName="alice")["LoginProfile"]["PasswordResetRequired"]
    alice.change_password(OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-2")
    profile = iam.get_login_profile(UserName="alice")["LoginProfile"]
    assert profile["PasswordResetRequired"] is False


def test_a_wrong_old_password_is_refused(iam, alice) -> None:
    iam.update_account_password_policy(AllowUsersToChangePassword=True)
    refusal = refused(alice.change_password, OldPassword="not-it", NewPassword="Passw0rd!-2")
    assert refusal == WRONG_OLD_PASSWORD


def test_the_new_password_must_satisfy_the_policy(iam, alice) -> None:
    iam.update_account_password_policy(AllowUsersToChangePassword=True, **STRICT_POLICY)
    code, status, message = refused(
        alice.change_password, OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-2"
    )
    assert (code, status) == ("PasswordPolicyViolation", 400)
    assert message == "Password should have a minimum length of 12."


def test_the_root_user_cannot_use_change_password(iam) -> None:
    # The code: the AWS CLI's change-password example; the message is the sandbox's own.
    assert refused(iam.change_password, OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-2") == (
        "InvalidUserType",
        400,
        "ChangePassword changes the password of the IAM user who calls it; the root user cannot "
        "use it (change the root user's password on the console's Security credentials page).",
    )


def test_change_password_needs_permission(iam, alice) -> None:
    # No password policy (so no AllowUsersToChangePassword) and no policy granting it.
    # AWS's "User: ARN is not authorized to perform: ACTION on resource: RESOURCE ..." form
    # (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html);
    # what follows the resource is the sandbox's own explanation.
    change = {"OldPassword": "Passw0rd!-1", "NewPassword": "Passw0rd!-2"}
    for allow in (None, False):
        if allow is not None:
            iam.update_account_password_policy(AllowUsersToChangePassword=allow)
        code, status, message = refused(alice.change_password, **change)
        assert (code, status) == ("AccessDenied", 403)
        assert message.startswith(
            f"User: arn:aws:iam::{ACCOUNT_ID}:user/alice is not authorized to perform: "
            "iam:ChangePassword on resource: "
        ), message
        assert "alice" in message.split(" on resource: ", 1)[1]


def test_the_iam_user_change_password_policy_grants_it(sandbox, iam, alice) -> None:
    iam.attach_user_policy(
        UserName="alice", PolicyArn="arn:aws:iam::aws:policy/IAMUserChangePassword"
    )
    alice.change_password(OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-2")
    assert password_of(sandbox, "alice", "Passw0rd!-1", "Passw0rd!-2") == "Passw0rd!-2"


def test_a_group_policy_allowing_it_grants_it(sandbox, iam, alice) -> None:
    iam.create_group(GroupName="people")
    iam.add_user_to_group(GroupName="people", UserName="alice")
    iam.put_group_policy(
        GroupName="people",
        PolicyName="own-password",
        PolicyDocument=(
            '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
            '"Action": "iam:Change*", "Resource": "arn:aws:iam::*:user/${aws:username}"}]}'
        ),
    )
    alice.change_password(OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-2")
    assert password_of(sandbox, "alice", "Passw0rd!-1", "Passw0rd!-2") == "Passw0rd!-2"


def test_change_password_of_a_user_without_a_password(iam, sandbox) -> None:
    iam.update_account_password_policy(AllowUsersToChangePassword=True)  # so bob may ask
    iam.create_user(UserName="bob")
    bob = user_client(iam, sandbox, "bob")
    code, status, message = refused(
        bob.change_password, OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-2"
    )
    assert (code, status) == ("NoSuchEntity", 404)
    assert message == "Login Profile for User bob cannot be found."


def test_reuse_prevention_remembers_the_last_passwords(iam, alice) -> None:
    iam.update_account_password_policy(AllowUsersToChangePassword=True, PasswordReusePrevention=2)
    alice.change_password(OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-2")
    reused = violation(  # the sandbox's wording
        "Password should not be one of your last 2 passwords (the account password policy "
        "prevents password reuse)"
    )
    back = refused(alice.change_password, OldPassword="Passw0rd!-2", NewPassword="Passw0rd!-1")
    assert back == reused
    same = refused(alice.change_password, OldPassword="Passw0rd!-2", NewPassword="Passw0rd!-2")
    assert same == reused
    alice.change_password(OldPassword="Passw0rd!-2", NewPassword="Passw0rd!-3")
    # Passw0rd!-1 is now three passwords back: allowed again.
    alice.change_password(OldPassword="Passw0rd!-3", NewPassword="Passw0rd!-1")


def test_without_reuse_prevention_a_password_may_come_back(sandbox, iam, alice) -> None:
    iam.update_account_password_policy(AllowUsersToChangePassword=True)
    alice.change_password(OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-2")
    alice.change_password(OldPassword="Passw0rd!-2", NewPassword="Passw0rd!-1")
    assert password_of(sandbox, "alice", "Passw0rd!-1", "Passw0rd!-2") == "Passw0rd!-1"


def test_a_deleted_user_s_password_history_is_forgotten(iam, sandbox, alice) -> None:
    iam.update_account_password_policy(AllowUsersToChangePassword=True, PasswordReusePrevention=24)
    alice.change_password(OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-2")
    iam.delete_login_profile(UserName="alice")
    for key in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]:
        iam.delete_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"])
    iam.delete_user(UserName="alice")

    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Passw0rd!-1")
    new_alice = user_client(iam, sandbox, "alice")
    new_alice.change_password(OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-2")
    assert password_of(sandbox, "alice", "Passw0rd!-1", "Passw0rd!-2") == "Passw0rd!-2"


def test_a_renamed_user_keeps_their_password_history(iam, sandbox, alice) -> None:
    iam.update_account_password_policy(AllowUsersToChangePassword=True, PasswordReusePrevention=5)
    iam.update_user(UserName="alice", NewUserName="alicia")
    assert refused(
        alice.change_password, OldPassword="Passw0rd!-1", NewPassword="Passw0rd!-1"
    ) == violation(  # the sandbox's wording
        "Password should not be one of your last 5 passwords (the account password policy "
        "prevents password reuse)"
    )


# --- UpdateAccountPasswordPolicy -------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameter", "value", "constraint"),
    [
        ("MinimumPasswordLength", 5, "greater than or equal to 6"),
        ("MinimumPasswordLength", 129, "less than or equal to 128"),
        ("PasswordReusePrevention", 0, "greater than or equal to 1"),
        ("PasswordReusePrevention", 25, "less than or equal to 24"),
        ("MaxPasswordAge", 0, "greater than or equal to 1"),
        ("MaxPasswordAge", 1096, "less than or equal to 1095"),
    ],
)
def test_policy_values_out_of_bounds_are_refused(
    sandbox, parameter: str, value: int, constraint: str
) -> None:
    # botocore itself refuses values under the minimum before sending; this client lets them
    # reach the sandbox, as a client without that check would reach AWS.
    iam = make_client("iam", sandbox.endpoint, validate=False)
    code, status, message = refused(iam.update_account_password_policy, **{parameter: value})
    assert (code, status) == ("ValidationError", 400)
    member = parameter[0].lower() + parameter[1:]
    assert message == (
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy "
        f"constraint: Member must have value {constraint}"
    )
    assert refused(iam.get_account_password_policy) == NO_POLICY


def test_policy_values_at_the_bounds_are_accepted(iam) -> None:
    for low_or_high in (
        {"MinimumPasswordLength": 6, "PasswordReusePrevention": 1, "MaxPasswordAge": 1},
        {"MinimumPasswordLength": 128, "PasswordReusePrevention": 24, "MaxPasswordAge": 1095},
    ):
        iam.update_account_password_policy(**low_or_high)
        policy = iam.get_account_password_policy()["PasswordPolicy"]
        assert {k: policy[k] for k in low_or_high} == low_or_high


def test_parameters_left_out_go_back_to_their_defaults(iam) -> None:
    iam.update_account_password_policy(
        AllowUsersToChangePassword=True,
        PasswordReusePrevention=5,
        MaxPasswordAge=90,
        **STRICT_POLICY,
    )
    iam.update_account_password_policy(MinimumPasswordLength=10)
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 10
    assert policy["RequireSymbols"] is False
    assert policy["RequireNumbers"] is False
    assert policy["RequireUppercaseCharacters"] is False
    assert policy["RequireLowercaseCharacters"] is False
    assert policy["AllowUsersToChangePassword"] is False
    assert policy["ExpirePasswords"] is False
    assert "PasswordReusePrevention" not in policy
    assert "MaxPasswordAge" not in policy  # AWS leaves an unset expiry out (PasswordPolicy page)


def test_no_policy_is_no_such_entity(iam) -> None:
    assert refused(iam.get_account_password_policy) == NO_POLICY
    assert refused(iam.delete_account_password_policy) == (
        "NoSuchEntity",
        404,
        "The account policy with name PasswordPolicy cannot be found.",  # moto's wording
    )


def test_deleting_the_policy_brings_back_the_default_rules(iam) -> None:
    iam.update_account_password_policy(MinimumPasswordLength=6)
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="simple")
    iam.delete_account_password_policy()
    assert refused(iam.get_account_password_policy) == NO_POLICY
    refusal = refused(iam.update_login_profile, UserName="alice", Password="simple")
    assert refusal == violation("Password should have a minimum length of 8", THREE_KINDS)


@pytest.mark.parametrize("call", ["create_login_profile", "update_login_profile"])
def test_an_empty_password_that_reaches_the_server_is_a_validation_error(
    sandbox, call: str
) -> None:
    # botocore refuses an empty Password before sending; this client lets it through.
    # CreateLoginProfile / UpdateLoginProfile API references: Password, minimum length 1.
    iam = make_client("iam", sandbox.endpoint, validate=False)
    iam.create_user(UserName="alice")
    if call == "update_login_profile":
        iam.create_login_profile(UserName="alice", Password="Passw0rd!")
    assert refused(getattr(iam, call), UserName="alice", Password="") == (
        "ValidationError",
        400,
        "1 validation error detected: Value at 'password' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
    )
