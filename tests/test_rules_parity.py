"""The forms and the sandbox agree: one table of inputs through the forms' rules
(``helpers/rules``, as ``helpers/forms`` shows them) and through the sandbox's API calls; what
one accepts the other accepts, what one refuses the other refuses.

Rules followed (each rule module names its AWS page): password policy —
https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html;
names — https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html;
device names — https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateVirtualMFADevice.html;
aliases — https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccountAlias.html.

The sandbox is called with ``validate=False`` clients, so botocore's own checks never answer
for the server.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from helpers.defaults import AWS_DEFAULT_PASSWORD_POLICY, CIS_PASSWORD_POLICY
from helpers.forms.password_form import password_checklist
from helpers.rules.alias import alias_problems
from helpers.rules.names import device_name_problems, name_problems
from helpers.rules.passwords import password_problems
from tests.conftest import make_client

USER = "Alice-2024"
KEPT_PASSWORD = "Kept-Passw0rd-2024!"  # fits every policy below

# The account's policy as UpdateAccountPasswordPolicy takes it; None: no policy (AWS default).
POLICIES = {
    "none (AWS default)": None,
    "minimum length only": {"MinimumPasswordLength": 6},
    "console's default policy": {
        k: v for k, v in AWS_DEFAULT_PASSWORD_POLICY.items() if k != "AllowUsersToChangePassword"
    },
    "CIS": {k: v for k, v in CIS_PASSWORD_POLICY.items() if k != "AllowUsersToChangePassword"},
    "numbers and lower case, 10": {
        "MinimumPasswordLength": 10,
        "RequireNumbers": True,
        "RequireLowercaseCharacters": True,
    },
}

PASSWORDS = [
    "Passw0rd",  # default: three kinds, 8 characters
    "password",  # one kind
    "PASSWORD1",  # two kinds
    "Pass0rd",  # three kinds, 7 characters
    "Sh0rt!",  # four kinds, 6 characters
    "passw0rd!",
    "PASSWORD!x",
    "lowercase-only-long",
    "lower-and-digits-123",
    "NoSymbolsHere123",
    "Correct-Horse-42",
    "Correct-Horse-Battery-42",
    USER,  # identical to the user name: the default policy's rule only
    USER + "!",
    "Pässwörd-2024",  # Latin-1 letters: not ASCII, so no upper/lower-case kind of their own
    "Aa1!" * 32,  # 128 characters
    "Aa1!" * 32 + "x",  # 129 characters
    "Passw0rd\u2603",  # outside Latin-1
    "Tab\tPassw0rd",
]

USER_NAMES = [
    "bob",
    "alice",  # "Alice" exists: names are unique ignoring case
    "ALICE",
    "a" * 64,
    "a" * 65,
    "a b",
    "team/bob",
    "élodie",
    "x+y=z,w.v@u-t_s",
    "",
]
GROUP_NAMES = ["admins", "Developers", "g" * 128, "g" * 129, "a b", "ops!", "élite", ""]
DEVICE_NAMES = ["alice-phone", "taken", "x" * 226, "x" * 227, "has space", "téléphone", "a+b", ""]
ALIASES = [
    "abc",
    "my-company",
    "123456789012",
    "a" * 63,
    "a" * 64,
    "ab",
    "My-Company",
    "-mycompany",
    "mycompany-",
    "my--company",
    "my_company",
    "my.company",
]


def sandbox_accepts(call, **params) -> bool:
    """True when the sandbox accepts the call; False when it refuses it as invalid input."""
    try:
        call(**params)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        assert code in ("ValidationError", "PasswordPolicyViolation", "EntityAlreadyExists"), (
            params,
            error.response["Error"],
        )
        return False
    return True


@pytest.fixture
def iam(sandbox):
    return make_client("iam", sandbox.endpoint, validate=False)


@pytest.mark.parametrize("policy_name", POLICIES)
def test_passwords_agree(iam, policy_name: str) -> None:
    if POLICIES[policy_name] is not None:
        iam.update_account_password_policy(**POLICIES[policy_name])
    # The policy as the forms get it: GetAccountPasswordPolicy's answer, or None.
    policy = (
        None
        if POLICIES[policy_name] is None
        else iam.get_account_password_policy()["PasswordPolicy"]
    )
    iam.create_user(UserName=USER)
    iam.create_user(UserName="updated")
    iam.create_login_profile(UserName="updated", Password=KEPT_PASSWORD)
    disagreements = []
    for password in PASSWORDS:
        form = password_problems(password, policy, USER) == []
        checklist = all(kept for _, kept in password_checklist(password, policy, USER))
        created = sandbox_accepts(iam.create_login_profile, UserName=USER, Password=password)
        if created:
            iam.delete_login_profile(UserName=USER)
        # UpdateLoginProfile, for the user "updated" (the form is asked about that user).
        form_updated = password_problems(password, policy, "updated") == []
        updated = sandbox_accepts(iam.update_login_profile, UserName="updated", Password=password)
        if not form == checklist == created or form_updated != updated:
            disagreements.append((password, form, checklist, created, form_updated, updated))
    assert disagreements == []


def test_the_name_rule_belongs_to_the_default_policy_only(iam) -> None:
    """AWS's default policy: "not identical to your AWS account name or email address"; a
    custom policy's options have no such rule (IAM User Guide, "Set an account password policy
    for IAM users"). The user name stands for the account's name in the sandbox."""
    iam.create_user(UserName="Bob-12345")
    assert password_problems("Bob-12345", None, "Bob-12345") == ["Not the same as the user name."]
    assert not sandbox_accepts(iam.create_login_profile, UserName="Bob-12345", Password="Bob-12345")
    iam.update_account_password_policy(MinimumPasswordLength=8)
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert password_problems("Bob-12345", policy, "Bob-12345") == []
    assert sandbox_accepts(iam.create_login_profile, UserName="Bob-12345", Password="Bob-12345")


@pytest.mark.parametrize(
    ("kind", "names", "create"),
    [
        ("user", USER_NAMES, lambda iam, name: iam.create_user(UserName=name)),
        ("group", GROUP_NAMES, lambda iam, name: iam.create_group(GroupName=name)),
    ],
)
def test_user_and_group_names_agree(iam, kind: str, names: list[str], create) -> None:
    create(iam, "Alice" if kind == "user" else "Admins")
    existing = ["Alice" if kind == "user" else "Admins"]
    disagreements = []
    for name in names:
        form = name_problems(name, kind, existing) == []
        server = sandbox_accepts(create, iam=iam, name=name)
        if server:
            existing.append(name)
        if form != server:
            disagreements.append((name, form, server))
    assert disagreements == []


def test_device_names_agree(iam) -> None:
    iam.create_virtual_mfa_device(VirtualMFADeviceName="taken")
    existing = ["taken"]
    disagreements = []
    for name in DEVICE_NAMES:
        form = device_name_problems(name, existing) == []
        server = sandbox_accepts(iam.create_virtual_mfa_device, VirtualMFADeviceName=name)
        if server:
            existing.append(name)
        if form != server:
            disagreements.append((name, form, server))
    assert disagreements == []


def test_aliases_agree(iam) -> None:
    disagreements = []
    for alias in ALIASES:
        form = alias_problems(alias) == []
        server = sandbox_accepts(iam.create_account_alias, AccountAlias=alias)
        if form != server:
            disagreements.append((alias, form, server))
    assert disagreements == []


def test_the_table_has_both_answers() -> None:
    """Each table holds inputs the rules accept and inputs they refuse, so agreement means
    something."""
    for policy in (None, CIS_PASSWORD_POLICY):
        verdicts = {password_problems(p, policy, USER) == [] for p in PASSWORDS}
        assert verdicts == {True, False}
    assert {name_problems(n, "user", ["Alice"]) == [] for n in USER_NAMES} == {True, False}
    assert {name_problems(n, "group", ["Admins"]) == [] for n in GROUP_NAMES} == {True, False}
    assert {device_name_problems(n, ["taken"]) == [] for n in DEVICE_NAMES} == {True, False}
    assert {alias_problems(a) == [] for a in ALIASES} == {True, False}
