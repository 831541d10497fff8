"""Lessons 04-07's glue: the forms' buttons (clicked as a learner clicks them) do what the
notebooks' code cells do, the read-outs say what the account holds, the diagram is drawn from
the account, and the clean-up button empties it."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import defaults
from helpers.authenticator import forget_phone, open_phone
from helpers.catchup import replay
from helpers.cleanup import clean_up
from helpers.connect import connect
from helpers.forms.cleanup_panel import CleanUpPanel
from helpers.iam import access_keys, login, password_policy
from helpers.lessons import lesson_04, lesson_05, lesson_06, lesson_07
from helpers.status import check_account
from helpers.status.diagram import account_diagram, as_markdown

USER = defaults.USER_NAME
ADMIN = defaults.GROUP_POLICY_ARN


@pytest.fixture
def aws(sandbox):
    forget_phone(backup=True)  # a new learner: a fresh phone as well as a fresh account
    return connect(quiet=True)


def attached_to_user(aws) -> list[str]:
    attached = aws.iam.list_attached_user_policies(UserName=USER)["AttachedPolicies"]
    return [p["PolicyName"] for p in attached]


# --- lesson 04 ----------------------------------------------------------------------------------


def test_group_button_creates_the_group_with_its_policy_then_keeps_it(aws) -> None:
    replay(aws, 4)
    form = lesson_04.group_form(aws)
    assert (form.value, form.policy_arn) == (defaults.GROUP_NAME, ADMIN)
    form.button.click()
    assert form.status_text == "✓ Created the group Admins with AdministratorAccess."
    policies = aws.iam.list_attached_group_policies(GroupName="Admins")["AttachedPolicies"]
    assert [p["PolicyName"] for p in policies] == ["AdministratorAccess"]
    form.button.click()
    assert "already exists with AdministratorAccess: nothing to do" in form.status_text


def test_group_button_with_another_policy_and_a_case_clash(aws) -> None:
    replay(aws, 4)
    form = lesson_04.group_form(aws)
    form.policy.value = defaults.GROUP_POLICIES["PowerUserAccess"]
    form.button.click()
    assert "PowerUserAccess" in form.status_text
    other = lesson_04.group_form(aws)
    other.value = "admins"  # IAM names are unique regardless of case: the form says so first
    assert other.problems
    assert lesson_04.create_group_with_policy(aws.iam, "Admins", ADMIN).endswith(
        "attached AdministratorAccess to it."
    )


def test_moving_the_policy_leaves_rights_only_through_the_group(aws) -> None:
    replay(aws, 4)
    assert (
        lesson_04.rights_of(aws.iam)
        == f"{USER}'s own policies: AdministratorAccess\n{USER} is in no group."
    )
    assert (
        lesson_04.items(check_account(aws.iam)).splitlines()[0]
        == "[FAIL] Use groups to assign permissions"
    )
    lesson_04.create_group_with_policy(aws.iam, "Admins", ADMIN)
    aws.iam.add_user_to_group(GroupName="Admins", UserName=USER)
    aws.iam.detach_user_policy(UserName=USER, PolicyArn=ADMIN)
    assert lesson_04.rights_of(aws.iam) == (
        f"{USER}'s own policies: none\nthrough the group Admins: AdministratorAccess"
    )
    assert lesson_04.describe_group(aws.iam, "Admins") == (
        "Group Admins — policies: AdministratorAccess; members: alice"
    )
    assert lesson_04.items(check_account(aws.iam)) == (
        "[PASS] Use groups to assign permissions\n"
        "[PASS] CIS 1.14 Ensure IAM users receive permissions only through groups"
    )


# --- lesson 05 ----------------------------------------------------------------------------------


def test_policy_button_applies_the_cis_preset_then_changes_nothing(aws) -> None:
    replay(aws, 5)
    assert lesson_05.describe_policy(aws.iam).startswith("No password policy")
    form = lesson_05.policy_form(aws)
    form.button.click()
    assert form.status_text == "✓ The password policy is applied."
    current = password_policy.get_password_policy(aws.iam)
    assert lesson_05.same_policy(current, defaults.CIS_PASSWORD_POLICY)
    form.button.click()
    assert "already has exactly this password policy" in form.status_text
    text = lesson_05.describe_policy(aws.iam)
    assert "at least 14 characters" in text and "✓ CIS: prevent reuse of the last 24" in text
    assert check_account(aws.iam).console_summary() == "Security status 5/5"


def test_the_aws_default_preset_removes_the_custom_policy(aws) -> None:
    # AWS's default password policy is no custom policy at all
    # (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html)
    replay(aws, 6)  # the CIS policy is in place
    form = lesson_05.policy_form(aws)
    form.default_button.click()
    form.button.click()
    assert "AWS's default password policy applies" in form.status_text
    assert password_policy.get_password_policy(aws.iam) is None
    assert lesson_05.describe_policy(aws.iam).startswith("No password policy: AWS's default")
    form.button.click()
    assert "AWS's default already applies" in form.status_text


def test_a_weak_password_is_refused_and_a_password_can_be_put_back(aws) -> None:
    replay(aws, 6)
    with pytest.raises(aws.iam.exceptions.PasswordPolicyViolationException):
        aws.iam.update_login_profile(UserName=USER, Password="Summer2024!")
    password_policy.update_password_policy(aws.iam, MinimumPasswordLength=6)
    aws.iam.update_login_profile(UserName=USER, Password="Summer2024!")
    assert lesson_05.put_password_back(aws, USER).startswith("Put alice's password")
    saved, phone = login.load_credentials_csv(USER), open_phone()
    code = phone.code(lesson_06.phone_entry(aws, phone, USER))
    assert aws.console.sign_in(aws.account_id, USER, saved["Password"], code)["SignedIn"]


# --- lesson 06 ----------------------------------------------------------------------------------


def test_alias_button_sets_the_alias_and_shows_the_link(aws) -> None:
    replay(aws, 6)
    form = lesson_06.alias_form(aws)
    assert form.current_link == "https://123456789012.signin.aws.amazon.com/console"
    form.button.click()
    link = "https://my-first-aws-account.signin.aws.amazon.com/console"
    assert (
        form.status_text == f"✓ The alias is my-first-aws-account. IAM users now sign in at: {link}"
    )
    assert form.current_link == link
    assert aws.iam.list_account_aliases()["AccountAliases"] == ["my-first-aws-account"]


def test_sign_in_page_with_the_phones_code(aws) -> None:
    replay(aws, 7)
    phone = open_phone()
    password = login.load_credentials_csv(USER)["Password"]
    form, panel, page = lesson_06.sign_in_page(aws, phone, password, USER)
    assert password not in repr(page) and password not in str(page._repr_mimebundle_())
    assert form.account.value == defaults.ACCOUNT_ALIAS and form.user_name.value == USER
    form.button.click()  # no code yet: AWS asks for one
    assert "MFARequired" in form.status_text and not form.signed_in
    issuer, label = phone.find(lesson_06.phone_entry(aws, phone, USER)).name.split(":", 1)
    panel.copy_code(issuer, label)
    assert len(form.mfa_code.value) == 6
    form.button.click()
    assert form.status_text == "✓ Signed in as alice — MFA used."
    assert form.password.value == ""  # the boxes let go of the password after signing in


def test_a_wrong_code_is_refused_and_the_right_one_gives_alices_session(aws) -> None:
    replay(aws, 7)
    phone = open_phone()
    entry = lesson_06.phone_entry(aws, phone, USER)
    key = access_keys.load_access_key_csv(USER)
    from helpers.connect import session_for

    sts = session_for(key.access_key_id, key.secret_access_key).client(
        "sts", endpoint_url=aws.endpoint
    )
    serial = f"arn:aws:iam::{aws.account_id}:mfa/{USER}"
    wrong = lesson_06.wrong_code(phone, entry)
    assert wrong != phone.code(entry) and len(wrong) == 6
    with pytest.raises(sts.exceptions.ClientError) as refused:
        sts.get_session_token(SerialNumber=serial, TokenCode=wrong)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    credentials = sts.get_session_token(SerialNumber=serial, TokenCode=phone.code(entry))[
        "Credentials"
    ]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert lesson_06.expires_in(credentials["Expiration"]) == "12 hours"


def test_expires_in_rounds_to_quarter_hours() -> None:
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert lesson_06.expires_in(now + dt.timedelta(hours=1, minutes=2), now) == "1 hour"
    assert lesson_06.expires_in(now + dt.timedelta(minutes=14), now) == "0.25 hours"


# --- lesson 07 ----------------------------------------------------------------------------------


def diagram_of(aws) -> str:
    return account_diagram(check_account(aws.iam).data, aws.account_id)


def test_the_diagram_is_drawn_from_the_account(aws) -> None:
    replay(aws, 7)
    diagram = diagram_of(aws)
    assert diagram.startswith("flowchart LR")
    assert 'subgraph account["AWS account 123456789012 · my-first-aws-account"]' in diagram
    for label in (
        "root user",
        "virtual MFA<br/>root-account-mfa-device",
        "IAM user<br/><b>alice</b><br/>console password<br/>1 active access key",
        "virtual MFA<br/>alice",
        "group<br/><b>Admins</b>",
        "AdministratorAccess<br/><i>AWS managed</i>",
        "IAM user<br/><b>bob</b><br/>1 active access key",
        "group<br/><b>PowerUsers</b>",
        "PowerUserAccess<br/><i>AWS managed</i>",
        "ForceMFA<br/><i>customer managed</i>",
        "14+ characters",
        "my-first-aws-account.signin.aws.amazon.com",
    ):
        assert label in diagram
    ids = {
        line.split('"')[0].strip().rstrip("[(") for line in diagram.splitlines() if ":::" in line
    }
    edges = [line.strip() for line in diagram.splitlines() if "--" in line]
    assert len(ids) == 13 and len(edges) == 9  # alice and bob with their MFA, two groups, ...
    assert any("|member of|" in edge for edge in edges)
    assert not any("|own policy|" in edge for edge in edges)  # alice's rights: only the group
    assert as_markdown(diagram).startswith("```mermaid\nflowchart LR")


def test_the_diagram_follows_changes(aws) -> None:
    replay(aws, 7)
    aws.iam.attach_user_policy(UserName=USER, PolicyArn=defaults.GROUP_POLICIES["ReadOnlyAccess"])
    aws.iam.create_user(UserName="carol")
    diagram = diagram_of(aws)
    assert "|own policy|" in diagram and "ReadOnlyAccess" in diagram
    assert "IAM user<br/><b>carol</b>" in diagram


def test_the_cis_explanation_names_what_still_fails(aws) -> None:
    replay(aws, 7)
    text = lesson_07.cis_explanation(check_account(aws.iam))
    for number in ("1.5", "1.6", "1.15", "1.16"):
        assert f"✗ {number}  " in text
    assert text.startswith("CIS v5.0 §1 12/16 pass, 5 to check by hand")
    assert "✗ 1.10" not in text
    assert "To check by hand (no IAM call decides them): 1.1, 1.2, 1.17, 1.19, 1.20" in text


def test_the_clean_up_button_empties_the_account(aws) -> None:
    replay(aws, 7)
    from helpers import downloads

    assert list(downloads.downloads_dir().glob("alice_*.csv"))
    panel = CleanUpPanel(aws)
    panel.button.click()
    assert "Emptied the sandbox account" in panel.status_text
    assert "Kept the virtual phone" in panel.status_text
    assert check_account(aws.iam).console_summary() == "Security status 1/5"
    assert aws.iam.list_users()["Users"] == [] and aws.iam.list_groups()["Groups"] == []
    assert not list(downloads.downloads_dir().glob("alice_*.csv"))
    assert open_phone().accounts()  # kept
    replay(aws, 7)  # every lesson can start again
    assert check_account(aws.iam).console_summary() == "Security status 5/5"


def test_clean_up_can_forget_the_phone(aws) -> None:
    replay(aws, 7)
    panel = CleanUpPanel(aws)
    panel.forget.value = True
    panel.button.click()
    assert "Threw the virtual phone away" in panel.status_text
    assert open_phone().accounts() == []


def test_clean_up_refuses_a_real_account(aws) -> None:
    class RealAccount:
        is_sandbox = False

    with pytest.raises(RuntimeError):
        clean_up(RealAccount())
    assert CleanUpPanel(RealAccount()).button.disabled


def test_the_diagram_makes_no_calls_of_its_own(aws) -> None:
    replay(aws, 7)
    data = check_account(aws.iam).data

    class NoCalls:
        def __getattr__(self, name):
            raise AssertionError(f"the diagram called IAM: {name}")

    aws.iam = NoCalls()
    assert "IAM user<br/><b>alice</b>" in account_diagram(data, "123456789012")


def test_clean_up_deletes_the_files_downloads_names(aws) -> None:
    from helpers import downloads

    replay(aws, 7)
    names = {path.name for path in downloads.credentials_files()}
    assert names == {
        downloads.access_keys_file(USER),
        downloads.credentials_file(USER),
        downloads.access_keys_file(defaults.POWER_USER_NAME),  # bob's, from lesson 04
    }
    clean_up(aws)
    assert downloads.credentials_files() == []
