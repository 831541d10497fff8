"""Aws mode on a sandbox playing a real account: an owner's users, keys, group, password policy
and alias are there first (made as root); the tutorial then connects with boto3's usual
settings (``AWS_ENDPOINT_URL`` and keys in the environment), as it would to AWS.

Nothing writes before the account is confirmed, forbidden accounts are refused, plan-only
sends nothing, and undo from the journal leaves the account exactly as it was.
"""

from __future__ import annotations

import os
import stat
import time
import warnings
from pathlib import Path
from typing import Any

import pyotp
import pytest
from botocore.exceptions import ClientError

import helpers
from helpers import guard, journal, undo
from helpers.authenticator.qr import account_from_qr
from helpers.catchup import replay
from helpers.forms.confirm_account import account_id_problems, confirm_account_form
from helpers.forms.plan_form import PlanForm, plan_step
from helpers.guard import WriteRefused, describe_plan, plan_html, plan_only
from helpers.iam import access_keys, account, groups, login, password_policy, users
from helpers.real_mfa import finish_real_mfa, real_mfa_widget
from helpers.sandbox.credentials import root_credentials
from helpers.sandbox.state import STATE_FILE
from tests.conftest import make_client

ACCOUNT = "123456789012"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
OWNERS_POLICY = {"MinimumPasswordLength": 12, "RequireNumbers": True, "MaxPasswordAge": 90}
PASSWORD = "Tutorial-Passw0rd!x"
NOT_CONFIRMED = (
    'iam:{op} refused: nothing is changed on AWS account 123456789012 (alias "{alias}") '
    "until you confirm it is the account you mean. Type its id in the confirmation form, or "
    'connect with helpers.connect("aws", confirm="123456789012").'
)
HOW_TO_ALLOW = (
    "To allow it anyway, name it: TUTORIAL_ALLOW_ACCOUNT=123456789012, or "
    'helpers.connect("aws", allow_account="123456789012").'
)
PLAN_TITLES = ("Plan: iam:", "Plan of this step\n")  # the plan form: what, or why not yet
LISTED = (
    "Account 123456789012 is listed in TUTORIAL_FORBIDDEN_ACCOUNTS: the tutorial never "
    f"changes it. {HOW_TO_ALLOW}"
)


@pytest.fixture
def owner(sandbox, monkeypatch, tmp_path) -> Any:
    """The sandbox as someone's real account (root's IAM client for the test's own checks),
    and the environment of a learner pointing boto3 at it; the tutorial's state folder is a
    fresh one, with no sandbox record in it."""
    root = root_credentials()
    iam = make_client("iam", sandbox.endpoint, root.access_key_id, root.secret_access_key)
    iam.create_user(UserName="carol")
    iam.create_access_key(UserName="carol")
    iam.create_group(GroupName="ops")
    iam.add_user_to_group(GroupName="ops", UserName="carol")
    iam.attach_group_policy(GroupName="ops", PolicyArn=READ_ONLY)
    iam.update_account_password_policy(**OWNERS_POLICY)
    iam.create_account_alias(AccountAlias="acme-lab")
    for name in [n for n in os.environ if n.startswith("AWS_") or n.startswith("TUTORIAL_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ENDPOINT_URL", sandbox.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", root.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", root.secret_access_key)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("TUTORIAL_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("TUTORIAL_DOWNLOADS_DIR", str(tmp_path / "downloads"))
    monkeypatch.setattr(guard, "_confirmed", set())  # a fresh kernel
    return iam


def snapshot(iam: Any) -> dict[str, Any]:
    """Everything the tutorial could change, as root reads it."""
    found: dict[str, Any] = {"users": {}, "groups": {}}
    for user in iam.list_users()["Users"]:
        name = user["UserName"]
        try:
            iam.get_login_profile(UserName=name)
            has_login = True
        except iam.exceptions.NoSuchEntityException:
            has_login = False
        found["users"][name] = {
            "id": user["UserId"],
            "tags": iam.list_user_tags(UserName=name)["Tags"],
            "keys": sorted(
                (k["AccessKeyId"], k["Status"])
                for k in iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
            ),
            "mfa": sorted(
                d["SerialNumber"] for d in iam.list_mfa_devices(UserName=name)["MFADevices"]
            ),
            "login": has_login,
            "groups": sorted(
                g["GroupName"] for g in iam.list_groups_for_user(UserName=name)["Groups"]
            ),
            "attached": sorted(
                p["PolicyArn"]
                for p in iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]
            ),
            "inline": iam.list_user_policies(UserName=name)["PolicyNames"],
        }
    for group in iam.list_groups()["Groups"]:
        name = group["GroupName"]
        found["groups"][name] = {
            "id": group["GroupId"],
            "members": sorted(u["UserName"] for u in iam.get_group(GroupName=name)["Users"]),
            "attached": sorted(
                p["PolicyArn"]
                for p in iam.list_attached_group_policies(GroupName=name)["AttachedPolicies"]
            ),
            "inline": iam.list_group_policies(GroupName=name)["PolicyNames"],
        }
    found["policies"] = sorted(p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"])
    found["roles"] = sorted(r["RoleName"] for r in iam.list_roles()["Roles"])
    found["devices"] = sorted(
        (d["SerialNumber"], d.get("User", {}).get("UserName"))
        for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    )
    try:
        found["password_policy"] = iam.get_account_password_policy()["PasswordPolicy"]
    except iam.exceptions.NoSuchEntityException:
        found["password_policy"] = None
    found["alias"] = iam.list_account_aliases()["AccountAliases"]
    return found


def tutorial_steps(aws: Any) -> dict[str, str]:
    """What lessons 03-06 do on an account, through the helpers and the connection's clients.
    Returns the secrets it saw (to look for them in the journal)."""
    iam = aws.iam
    users.create_user(iam, "alice")
    key = access_keys.create_access_key(iam, "alice")
    login.set_console_password(iam, "alice", PASSWORD)
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    seed = device["Base32StringSeed"].decode()
    totp, now = pyotp.TOTP(seed), time.time()
    code1, code2 = totp.at(now - 30), totp.at(now)
    iam.enable_mfa_device(
        UserName="alice",
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=code1,
        AuthenticationCode2=code2,
    )
    groups.create_group(iam, "Admins")
    groups.attach_group_policy(iam, "Admins", ADMIN)
    groups.add_user_to_group(iam, "Admins", "alice")
    groups.add_user_to_group(iam, "Admins", "carol")  # an owner's user in the tutorial's group
    users.attach_user_policy(iam, "carol", ADMIN)
    iam.put_user_policy(UserName="alice", PolicyName="notes", PolicyDocument=_DOC)
    policy = iam.create_policy(PolicyName="tutorial-read", PolicyDocument=_DOC)["Policy"]
    groups.attach_group_policy(iam, "ops", policy["Arn"])
    password_policy.update_password_policy(iam, MinimumPasswordLength=14, RequireSymbols=True)
    account.set_alias(iam, "acme-tutorial")
    return {"secret": key.secret_access_key, "password": PASSWORD, "seed": seed}


_DOC = (
    '{"Version": "2012-10-17", '
    '"Statement": [{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}]}'
)


# -- who and where; the sandbox stays out of it ------------------------------------------------
def test_connect_shows_the_account_its_alias_and_the_callers_arn(owner, capsys) -> None:
    aws = helpers.connect("aws")
    said = capsys.readouterr().out
    assert said.splitlines() == [
        'AWS account 123456789012 (alias "acme-lab") — signed in as root',
        "arn:aws:iam::123456789012:root",
        "Nothing is changed until you confirm this account: "
        'helpers.connect("aws", confirm="123456789012") or the confirmation form.',
    ]
    assert (aws.account_id, aws.gate.alias) == (ACCOUNT, "acme-lab")


def test_aws_mode_starts_no_sandbox_has_no_console_and_catch_up_changes_nothing(
    owner, tmp_path, capsys
) -> None:
    before = snapshot(owner)
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    assert aws.console is None and not aws.is_sandbox
    assert replay(aws, lesson=7) == []
    helpers.catch_up(aws, lesson=7)
    assert "changes nothing" in capsys.readouterr().out
    assert snapshot(owner) == before
    assert not (tmp_path / "state" / STATE_FILE).exists()
    assert not journal.journal_path().exists()


def test_the_sandbox_has_no_gate(sandbox) -> None:
    aws = helpers.connect(quiet=True)
    assert aws.gate is None
    with pytest.raises(ValueError) as caught, plan_only(aws):
        pass
    assert str(caught.value) == (
        "This connection has no gate: the sandbox is yours and needs none (plan-only mode and "
        'the journal are for a real account, helpers.connect("aws")).'
    )


# -- nothing writes before confirmation ---------------------------------------------------------
WRITES = [
    ("CreateUser", lambda aws: users.create_user(aws.iam, "alice")),
    ("CreateAccessKey", lambda aws: access_keys.create_access_key(aws.iam, "carol")),
    ("CreateGroup", lambda aws: groups.create_group(aws.iam, "Admins")),
    ("UpdateAccountPasswordPolicy", lambda aws: password_policy.update_password_policy(aws.iam)),
    ("CreateAccountAlias", lambda aws: account.set_alias(aws.iam, "acme-tutorial")),
    ("DeleteUser", lambda aws: aws.client("iam").delete_user(UserName="carol")),
    (  # a cell's own client of the session
        "CreateRole",
        lambda aws: aws.session.client("iam").create_role(
            RoleName="r", AssumeRolePolicyDocument=_DOC
        ),
    ),
    ("TagUser", lambda aws: aws.iam.tag_user(UserName="carol", Tags=[{"Key": "a", "Value": "b"}])),
]


@pytest.mark.parametrize("operation, write", WRITES, ids=[w[0] for w in WRITES])
def test_nothing_writes_before_the_account_is_confirmed(owner, operation, write) -> None:
    before = snapshot(owner)
    aws = helpers.connect("aws", quiet=True)
    assert aws.iam.list_users()["Users"]  # reads pass freely
    with pytest.raises(WriteRefused) as caught:
        write(aws)
    assert str(caught.value) == NOT_CONFIRMED.format(op=operation, alias="acme-lab")
    assert snapshot(owner) == before
    assert not journal.journal_path().exists()


def test_confirming_another_account_id_is_refused(owner) -> None:
    with pytest.raises(ValueError) as caught:
        helpers.connect("aws", confirm="210987654321", quiet=True)
    assert str(caught.value) == (
        "'210987654321' is not this session's account: you are signed in to account "
        "123456789012. Type that id to confirm it."
    )


def test_confirmation_lasts_for_the_kernel(owner) -> None:
    helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    aws = helpers.connect("aws", quiet=True)
    users.create_user(aws.iam, "alice")
    assert "alice" in snapshot(owner)["users"]


# -- accounts never touched -------------------------------------------------------------------
def test_a_listed_account_is_refused_before_any_write(owner, monkeypatch) -> None:
    before = snapshot(owner)
    monkeypatch.setenv("TUTORIAL_FORBIDDEN_ACCOUNTS", f"111122223333, {ACCOUNT}")
    with pytest.raises(WriteRefused) as caught:
        helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    assert str(caught.value) == LISTED
    aws = helpers.connect("aws", quiet=True)
    assert aws.describe().splitlines()[-1] == f"Writes refused: {LISTED}"
    with pytest.raises(WriteRefused) as caught:
        users.create_user(aws.iam, "alice")
    assert str(caught.value) == f"iam:CreateUser refused. {LISTED}"
    assert snapshot(owner) == before


def test_a_prod_alias_is_refused_and_an_override_naming_the_account_lifts_it(
    owner, monkeypatch
) -> None:
    owner.create_account_alias(AccountAlias="acme-prod-eu")
    before = snapshot(owner)
    aws = helpers.connect("aws", quiet=True)
    with pytest.raises(WriteRefused) as caught:
        aws.gate.confirm(ACCOUNT)
    assert str(caught.value) == (
        'Account 123456789012 has the alias "acme-prod-eu", which says production: the '
        f"tutorial never changes it. {HOW_TO_ALLOW}"
    )
    assert snapshot(owner) == before
    monkeypatch.setenv("TUTORIAL_ALLOW_ACCOUNT", "111122223333")  # another account: no effect
    with pytest.raises(WriteRefused):
        helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    aws = helpers.connect("aws", confirm=ACCOUNT, allow_account=ACCOUNT, quiet=True)
    users.create_user(aws.iam, "alice")
    assert "alice" in snapshot(owner)["users"]


def test_the_environments_override_lifts_a_listed_account(owner, monkeypatch) -> None:
    monkeypatch.setenv("TUTORIAL_FORBIDDEN_ACCOUNTS", ACCOUNT)
    monkeypatch.setenv("TUTORIAL_ALLOW_ACCOUNT", ACCOUNT)
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    groups.create_group(aws.iam, "Admins")
    assert "Admins" in snapshot(owner)["groups"]


# -- plan only ----------------------------------------------------------------------------------
def test_plan_only_collects_the_calls_and_old_values_and_sends_nothing(owner) -> None:
    before = snapshot(owner)
    aws = helpers.connect("aws", quiet=True)  # planning needs no confirmation: nothing is sent
    with plan_only(aws) as plan:
        users.create_user(aws.iam, "alice")
        access_keys.create_access_key(aws.iam, "alice")
        login.set_console_password(aws.iam, "alice", PASSWORD)
        password_policy.update_password_policy(aws.iam, MinimumPasswordLength=14)
        account.set_alias(aws.iam, "acme-tutorial")
    assert snapshot(owner) == before
    assert not journal.journal_path().exists()
    calls = [(c.call, c.params, c.replaces) for c in plan.calls]
    tag = [{"Key": "tutorial", "Value": "aws-mfa-tutorial"}]
    assert calls == [
        ("iam:CreateUser", {"UserName": "alice", "Tags": tag}, {}),
        ("iam:CreateAccessKey", {"UserName": "alice"}, {}),
        (
            "iam:CreateLoginProfile",
            {"UserName": "alice", "Password": guard.HIDDEN, "PasswordResetRequired": False},
            {},
        ),
        (
            "iam:UpdateAccountPasswordPolicy",
            {"MinimumPasswordLength": 14},
            {"password_policy": before["password_policy"]},
        ),
        ("iam:CreateAccountAlias", {"AccountAlias": "acme-tutorial"}, {"alias": "acme-lab"}),
    ]
    text = describe_plan(plan)
    assert text.splitlines()[0] == "Planned on account 123456789012 (nothing sent yet):"
    assert "  5. iam:CreateAccountAlias(AccountAlias='acme-tutorial')" in text
    assert "     replaces the alias 'acme-lab'" in text
    assert PASSWORD not in text and PASSWORD not in plan_html(plan)
    assert "<ol><li><code>iam:CreateUser</code>" in plan_html(plan)


# -- apply, journal, undo -----------------------------------------------------------------------
def test_apply_then_undo_leaves_the_account_as_it_was(owner) -> None:
    before = snapshot(owner)
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    tutorial_steps(aws)
    after = snapshot(owner)
    assert after["users"]["alice"]["tags"] == [guard.TAG]
    assert after["alias"] == ["acme-tutorial"] and after != before

    undo_plan = undo.plan(aws)
    assert [s.call for s in undo_plan.steps] == [
        "DeleteAccessKey",
        "DeactivateMFADevice",
        "DeleteVirtualMFADevice",
        "DeleteLoginProfile",
        "RemoveUserFromGroup",
        "RemoveUserFromGroup",
        "DetachGroupPolicy",
        "DetachUserPolicy",
        "DetachGroupPolicy",
        "DeleteUserPolicy",
        "DeleteUser",
        "DeleteGroup",
        "DeletePolicy",
        "UpdateAccountPasswordPolicy",
        "CreateAccountAlias",
    ]
    result = undo.apply(aws, undo_plan)
    assert result.complete and len(result.done) == len(undo_plan.steps)
    assert snapshot(owner) == before
    by_undo = [e for e in journal.read_entries(ACCOUNT) if e["by"] == "undo"]
    assert [e.get("call") for e in by_undo[:-1]] == [f"iam:{s.call}" for s in undo_plan.steps]
    assert by_undo[-1]["event"] == journal.UNDO_DONE

    lines = len(journal.read_entries())
    again = undo.plan(aws)
    assert again.steps == []
    assert undo.describe(again) == "Undo on account 123456789012:\n  nothing to undo."
    undo.apply(aws, again)
    assert len(journal.read_entries()) == lines  # a no-op: no write, no line
    assert snapshot(owner) == before


def test_a_partial_undo_is_finished_by_the_next(owner) -> None:
    before = snapshot(owner)
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    tutorial_steps(aws)
    first = undo.plan(aws)
    half = undo.UndoPlan(ACCOUNT, first.steps[:5])
    undo.apply(aws, half)
    assert snapshot(owner) != before
    rest = undo.plan(aws)
    assert [s.call for s in rest.steps] == [s.call for s in first.steps[5:]]
    assert undo.apply(aws, rest).complete
    assert snapshot(owner) == before


def test_undo_leaves_alone_what_the_tutorial_did_not_make(owner) -> None:
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    users.create_user(aws.iam, "alice")
    groups.create_group(aws.iam, "Admins")
    groups.add_user_to_group(aws.iam, "Admins", "alice")
    owner.remove_user_from_group(GroupName="Admins", UserName="alice")
    owner.delete_user(UserName="alice")
    owner.delete_group(GroupName="Admins")
    owner.create_user(UserName="alice")  # someone else's alice and Admins now
    owner.create_group(GroupName="Admins")
    owner.add_user_to_group(GroupName="Admins", UserName="alice")
    owner.create_access_key(UserName="carol")
    before = snapshot(owner)
    undo_plan = undo.plan(aws)
    assert undo_plan.steps == []
    assert undo_plan.notes == [
        "user alice is not the one the tutorial made: left alone",
        "group Admins is not the one the tutorial made: left alone",
    ]
    undo.apply(aws, undo_plan)
    assert snapshot(owner) == before


def test_undo_needs_the_account_confirmed(owner) -> None:
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    groups.create_group(aws.iam, "Admins")
    guard._confirmed.clear()  # a new kernel
    aws = helpers.connect("aws", quiet=True)
    with pytest.raises(WriteRefused) as caught:
        undo.apply(aws, undo.plan(aws))
    assert str(caught.value) == NOT_CONFIRMED.replace("iam:{op}", "undo").format(alias="acme-lab")
    with pytest.raises(WriteRefused) as caught:
        aws.iam.delete_group(GroupName="Admins")
    assert str(caught.value) == NOT_CONFIRMED.format(op="DeleteGroup", alias="acme-lab")


def test_the_journal_is_private_and_holds_no_secret(owner) -> None:
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    secrets = tutorial_steps(aws)
    path = journal.journal_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    for name, secret in secrets.items():
        assert secret not in text, name
    entries = journal.read_entries(ACCOUNT)
    assert {e["by"] for e in entries} == {"tutorial"}
    made = {k: v for e in entries for k, v in e["created"].items() if k != "access_key"}
    assert made["user"] == "alice" and made["group"] == "Admins"
    assert made["mfa_device"] == "arn:aws:iam::123456789012:mfa/alice"
    key = next(e["created"]["access_key"] for e in entries if "access_key" in e["created"])
    assert key["user"] == "alice" and key["id"].startswith("AKIA")
    replaced = [e["replaced"] for e in entries if "replaced" in e]
    assert replaced[1] == {"alias": "acme-lab"}
    assert {k: replaced[0]["password_policy"].get(k) for k in OWNERS_POLICY} == OWNERS_POLICY


def test_python_m_helpers_undo_shows_the_plan_then_applies_it(owner, capsys) -> None:
    before = snapshot(owner)
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    groups.create_group(aws.iam, "Admins")
    guard._confirmed.clear()
    assert undo.main([]) == 0
    said = capsys.readouterr().out
    assert said == (
        "Undo on account 123456789012:\n  1. DeleteGroup: Admins\n\n"
        "To do it: python -m helpers.undo --apply --confirm 123456789012\n"
    )
    assert snapshot(owner) != before
    assert undo.main(["--apply", "--confirm", ACCOUNT]) == 0
    assert snapshot(owner) == before


# -- the gate's pieces ----------------------------------------------------------------------------
def test_access_levels_decide_what_is_a_write() -> None:
    assert guard.is_write("iam", "CreateUser")
    assert guard.is_write("iam", "AttachUserPolicy")  # Permissions management
    assert guard.is_write("iam", "TagUser")  # Tagging
    assert not guard.is_write("iam", "ListUsers")
    assert not guard.is_write("iam", "GetAccountPasswordPolicy")
    assert not guard.is_write("sts", "GetCallerIdentity")
    assert guard.is_write("iam", "NoSuchActionAnywhere")  # unknown: ask


def test_prod_in_an_alias_is_read_in_any_letter_case(monkeypatch) -> None:
    monkeypatch.delenv("TUTORIAL_FORBIDDEN_ACCOUNTS", raising=False)
    monkeypatch.delenv("TUTORIAL_ALLOW_ACCOUNT", raising=False)
    assert guard.forbidden_reason(ACCOUNT, "ACME-PROD") is not None
    assert guard.forbidden_reason(ACCOUNT, "production-eu") is not None
    assert guard.forbidden_reason(ACCOUNT, "acme-lab") is None
    assert guard.forbidden_reason(ACCOUNT, "ACME-PROD", allow_account=ACCOUNT) is None
    assert guard.forbidden_reason(ACCOUNT, guard.UNKNOWN_ALIAS) == (
        "The alias of account 123456789012 could not be read (iam:ListAccountAliases), so the "
        f"tutorial cannot tell it is not a production account. {HOW_TO_ALLOW}"
    )


def test_the_journal_file_is_made_0600(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal.append_entry({"account": ACCOUNT, "event": "x"}, path)
    journal.append_entry({"account": "111122223333", "event": "y"}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [e["event"] for e in journal.read_entries(ACCOUNT, path)] == ["x"]


# -- the confirmation form ---------------------------------------------------------------------
def test_account_id_problems() -> None:
    assert account_id_problems("") == ["Type the account id (12 digits, shown above)."]
    assert account_id_problems("12345") == ["An AWS account id is 12 digits."]
    assert account_id_problems("1234-5678-9012") == []


def test_the_confirmation_form_confirms_only_the_sessions_account(owner) -> None:
    aws = helpers.connect("aws", quiet=True)
    form = confirm_account_form(aws)
    assert "arn:aws:iam::123456789012:root" in form.children[3].value
    form.account_id.value = "210987654321"
    form.submit()
    assert form.status_text == (
        "✗ '210987654321' is not this session's account: you are signed in to account "
        "123456789012. Type that id to confirm it."
    )
    assert not aws.gate.confirmed
    form.account_id.value = "1234 5678 9012"
    form.submit()
    assert form.status_text.startswith("✓ Account 123456789012 confirmed for this kernel")
    users.create_user(aws.iam, "alice")
    assert "alice" in snapshot(owner)["users"]


# -- MFA with a real phone, credentials saved only when asked --------------------------------------
def test_real_mfa_takes_two_codes_and_stores_no_seed(owner, tmp_path) -> None:
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    users.create_user(aws.iam, "alice")
    widget = real_mfa_widget(aws, "alice")
    pending = widget.pending
    assert "qr_png" not in repr(pending)
    seed = account_from_qr(pending.qr_png).secret
    totp, now = pyotp.TOTP(seed), time.time()
    serial = finish_real_mfa(aws.iam, pending, totp.at(now - 30), totp.at(now))
    assert snapshot(owner)["users"]["alice"]["mfa"] == [serial]
    assert pending.qr_png == b""
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert seed not in path.read_text(errors="replace"), path


def test_real_credentials_are_saved_only_when_asked(owner, capsys) -> None:
    key = access_keys.AccessKey("alice", "AKIAEXAMPLEEXAMPLE12", "secret/Example+Key")
    assert access_keys.save_access_key_csv(key, real_account=True) is None
    assert capsys.readouterr().out.startswith("Not saved: alice_accessKeys.csv would hold")
    assert access_keys.load_access_key_csv("alice") is None
    with pytest.warns(UserWarning, match="A real credential was saved to"):
        path = access_keys.save_access_key_csv(key, real_account=True, allow_write=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert access_keys.load_access_key_csv("alice") == key
    with pytest.warns(UserWarning):
        login.save_credentials_csv(
            "alice", PASSWORD, "https://x", real_account=True, allow_write=True
        )
    assert login.save_credentials_csv("bob", PASSWORD, "https://x", real_account=True) is None


def test_the_sandbox_still_saves_its_downloads_without_asking(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TUTORIAL_DOWNLOADS_DIR", str(tmp_path))
    key = access_keys.AccessKey("alice", "AKIAEXAMPLEEXAMPLE12", "secret/Example+Key")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = access_keys.save_access_key_csv(key)
    assert path == tmp_path / "alice_accessKeys.csv" and path.exists()


def test_an_unreadable_alias_counts_as_maybe_production(owner, monkeypatch) -> None:
    key = owner.create_access_key(UserName="carol")["AccessKey"]  # carol may only read (ops)
    owner.detach_group_policy(GroupName="ops", PolicyArn=READ_ONLY)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    aws = helpers.connect("aws", quiet=True)
    assert aws.arn == "arn:aws:iam::123456789012:user/carol"
    assert aws.gate.alias == guard.UNKNOWN_ALIAS
    with pytest.raises(WriteRefused) as caught:
        aws.gate.confirm(ACCOUNT)
    assert str(caught.value).startswith("The alias of account 123456789012 could not be read")


def test_the_plan_form_shows_the_plan_then_applies_it(owner) -> None:
    aws = helpers.connect("aws", quiet=True)

    def step() -> None:
        password_policy.update_password_policy(aws.iam, MinimumPasswordLength=14)

    before = snapshot(owner)
    form = PlanForm(aws, step)
    assert "iam:UpdateAccountPasswordPolicy" in form.view.value
    assert snapshot(owner) == before
    form.submit()  # not confirmed yet
    assert form.status_text == "✗ " + NOT_CONFIRMED.format(
        op="UpdateAccountPasswordPolicy", alias="acme-lab"
    )
    aws.gate.confirm(ACCOUNT)
    form.submit()
    assert form.status_text == "✓ Applied, and written in the journal."
    assert snapshot(owner)["password_policy"]["MinimumPasswordLength"] == 14
    assert plan_step(aws, lambda: None).calls == []


def test_lessons_04_on_start_no_sandbox_on_a_real_account(owner, tmp_path, monkeypatch, capsys):
    """The first cells of lessons 04-07 (catch_up(lesson=N), then sign_in_as) on a real account:
    nothing changes, no sandbox starts, and the learner's own profile is used."""
    monkeypatch.setenv("TUTORIAL_TARGET", "aws")
    before = snapshot(owner)
    helpers.catch_up(lesson=5)
    aws = helpers.sign_in_as("alice")
    said = capsys.readouterr().out
    assert "changes nothing" in said and "through your own AWS profile" in said
    assert not aws.is_sandbox and aws.gate is not None
    assert snapshot(owner) == before
    assert not (tmp_path / "state" / STATE_FILE).exists()


# -- honest plans: reads go to the account ------------------------------------------------------
def test_a_plan_says_what_exists_already_and_what_would_change_nothing(owner) -> None:
    aws = helpers.connect("aws", quiet=True)
    before = snapshot(owner)
    with plan_only(aws) as plan:
        assert users.create_user(aws.iam, "carol")[1] is False  # the owner's carol: kept
        account.set_alias(aws.iam, "acme-lab")  # set_alias reads first: no call at all
        aws.iam.create_account_alias(AccountAlias="acme-lab")
        password_policy.update_password_policy(aws.iam, **OWNERS_POLICY)
        groups.add_user_to_group(aws.iam, "ops", "carol")
        groups.attach_group_policy(aws.iam, "ops", READ_ONLY)
    assert [(c.call, c.note) for c in plan.calls] == [
        ("iam:CreateUser", "exists, nothing to do"),
        ("iam:CreateAccountAlias", "the alias already is acme-lab: not needed"),
        (
            "iam:UpdateAccountPasswordPolicy",
            "the account already has this password policy: not needed",
        ),
        ("iam:AddUserToGroup", "carol already is in ops: not needed"),
        ("iam:AttachGroupPolicy", "already attached to ops: not needed"),
    ]
    assert plan.changes == []
    assert describe_plan(plan).splitlines()[-1] == "Nothing of it would change the account."
    assert plan.calls[2].replaces == {"password_policy": before["password_policy"]}
    assert snapshot(owner) == before


def test_a_planned_write_aws_would_refuse_is_refused_as_aws_would(owner) -> None:
    aws = helpers.connect("aws", quiet=True)
    with plan_only(aws) as plan, pytest.raises(ClientError) as caught:
        aws.iam.add_user_to_group(GroupName="ops", UserName="alice")
    assert caught.value.response["Error"] == {
        "Code": "NoSuchEntity",
        "Message": "The user with name alice cannot be found.",
    }
    assert [(c.call, c.note) for c in plan.calls] == [
        (
            "iam:AddUserToGroup",
            "would fail: NoSuchEntity: The user with name alice cannot be found.",
        )
    ]
    with plan_only(aws) as plan, pytest.raises(aws.iam.exceptions.EntityAlreadyExistsException):
        aws.iam.create_group(GroupName="ops")
    assert plan.changes == []


def test_a_plan_counts_what_its_earlier_calls_would_make(owner) -> None:
    aws = helpers.connect("aws", quiet=True)
    with plan_only(aws) as plan:
        user, created = users.create_user(aws.iam, "alice")
        groups.add_user_to_group(aws.iam, "ops", "alice")
        login.set_console_password(aws.iam, "alice", PASSWORD)
    assert created and user["Arn"] == "arn:aws:iam::123456789012:user/alice"
    assert [(c.call, c.note) for c in plan.calls] == [
        ("iam:CreateUser", ""),
        ("iam:AddUserToGroup", ""),
        ("iam:CreateLoginProfile", ""),
    ]
    with plan_only(aws) as again, pytest.raises(ClientError):
        aws.iam.create_user(UserName="alice")
        aws.iam.create_user(UserName="alice")
    assert [c.note for c in again.calls] == ["", "exists, nothing to do"]


def test_plan_html_shows_the_old_values(owner) -> None:
    aws = helpers.connect("aws", quiet=True)
    with plan_only(aws) as plan:
        account.set_alias(aws.iam, "acme-tutorial")
        password_policy.update_password_policy(aws.iam, MinimumPasswordLength=14)
    text = describe_plan(plan)
    assert "     replaces the alias 'acme-lab'" in text
    assert "'MinimumPasswordLength': 12" in text and "'MaxPasswordAge': 90" in text


# -- plan, then apply: the one runner of a step --------------------------------------------------
def lesson_steps(aws: Any) -> list[tuple[str, Any]]:
    """Lessons 03-06's writing steps, as their code cells call them."""
    from helpers.lessons import lesson_03, lesson_04, lesson_05, lesson_06

    iam = aws.iam
    return [
        ("user", lambda: lesson_03.create_user(iam, "alice")),
        ("admin", lambda: lesson_03.give_admin(iam, "alice")),
        ("group", lambda: lesson_04.create_group_with_policy(iam, "Admins", ADMIN)),
        ("member", lambda: lesson_04.add_to_group(iam, "Admins", "alice")),
        ("own policy", lambda: lesson_04.drop_own_policy(iam, "alice", ADMIN)),
        ("policy", lambda: lesson_05.apply_policy(iam, helpers.defaults.CIS_PASSWORD_POLICY)),
        ("alias", lambda: lesson_06.set_alias(iam, "acme-tutorial")),
        ("force mfa", lambda: lesson_06.require_mfa(iam)),
    ]


def test_apply_or_plan_shows_the_plan_and_apply_sends_exactly_it_then_undo(owner) -> None:
    from helpers.steps import NotApplied, applied, apply_or_plan

    before = snapshot(owner)
    aws = helpers.connect("aws", quiet=True)
    shown: list[Any] = []
    for name, step in lesson_steps(aws):
        now, lines = snapshot(owner), len(journal.read_entries())
        answer = apply_or_plan(aws, step, show=shown.append)
        assert isinstance(answer, NotApplied) and not applied(answer), name
        form = shown[-1]
        assert "Run All applies nothing on a real account: click Apply" in form.text
        assert snapshot(owner) == now and len(journal.read_entries()) == lines, name
        if name == "user":
            aws.gate.confirm(ACCOUNT)  # the confirmation form, once per kernel
        planned = [(c.call, c.params) for c in form.plan.changes]
        assert form.submit(), name  # the Apply button
        assert form.status_text.endswith("✓ Applied, and written in the journal."), name
        sent = [(e["call"], e["params"]) for e in journal.read_entries()[lines:]]
        assert sent == planned, name
        assert form.button.disabled  # applied once
        again = apply_or_plan(aws, step, show=shown.append)  # now there is nothing to do
        assert applied(again) and not getattr(again, "changed", False), name
    alias_entry = next(e for e in journal.read_entries() if e["call"] == "iam:CreateAccountAlias")
    assert alias_entry["replaced"] == {"alias": "acme-lab"}
    assert undo.apply(aws, undo.plan(aws)).complete
    assert snapshot(owner) == before


def test_apply_or_plan_runs_the_step_in_the_sandbox(sandbox) -> None:
    from helpers.lessons import lesson_03
    from helpers.steps import apply_or_plan

    aws = helpers.connect(quiet=True)
    shown: list[Any] = []
    assert apply_or_plan(
        aws, lambda: lesson_03.create_user(aws.iam, "alice"), show=shown.append
    ) == ("Created the IAM user alice.")
    assert shown == []


def test_a_step_that_needs_an_earlier_one_says_so(owner) -> None:
    from helpers.lessons import lesson_03
    from helpers.steps import NotApplied, apply_or_plan

    aws = helpers.connect("aws", quiet=True)
    shown: list[Any] = []
    answer = apply_or_plan(aws, lambda: lesson_03.give_admin(aws.iam, "alice"), show=shown.append)
    assert isinstance(answer, NotApplied)
    assert shown[0].text == (
        "✗ This step cannot be planned yet (NoSuchEntity: The user with name alice cannot be "
        "found). It needs what an earlier step makes: apply that step first, then run this "
        "cell again."
    )
    assert shown[0].button.disabled


def test_a_forms_button_shows_the_plan_and_apply_sends_it(owner) -> None:
    from helpers.lessons import lesson_03, lesson_05

    before = snapshot(owner)
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    form = lesson_03.user_form(aws)
    form.name.value = "alice"
    assert form.submit()
    assert "iam:CreateUser" in form.status_text and "click Apply" in form.status_text
    assert form.apply_button.layout.display is None  # shown
    assert snapshot(owner) == before
    assert form.apply()
    assert "alice" in snapshot(owner)["users"]
    assert form.apply_button.layout.display == "none"
    policy = lesson_05.policy_form(aws)
    policy.submit()
    assert "replaces the password policy" in policy.status_text
    assert snapshot(owner)["password_policy"] == before["password_policy"]


def test_a_write_from_a_notebook_cell_is_not_sent_even_when_confirmed(owner, monkeypatch) -> None:
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    monkeypatch.setattr(guard, "running_in_a_cell", lambda: True)
    with pytest.raises(WriteRefused) as caught:
        users.create_user(aws.iam, "alice")
    assert str(caught.value) == (
        "iam:CreateUser not sent: Run All applies nothing on a real account. A notebook's "
        "cells show each step's plan; its Apply button makes the change."
    )
    assert "alice" not in snapshot(owner)["users"]


def test_reads_of_s3_are_reads() -> None:
    assert not guard.is_write("s3", "ListBuckets")
    assert guard.is_write("s3", "CreateBucket")


# -- Run All of every lesson in aws mode ---------------------------------------------------------
def test_run_all_of_every_lesson_on_a_real_account_writes_nothing(
    owner, sandbox, monkeypatch
) -> None:
    """Each notebook, top to bottom, in a kernel pointed at the account (no confirmation):
    no cell fails, nothing changes, the journal stays empty, and every writing step shows
    its plan instead."""
    from nbclient import NotebookClient

    from helpers.sandbox.console import SandboxConsole
    from tools.build_notebooks import NOTEBOOKS, SOURCES, parse

    # the owner turned root's MFA on long ago (else lesson 02 waits for it, up to 10 minutes)
    console = SandboxConsole(sandbox.endpoint, root_credentials(Path(sandbox.state_dir)))
    device = console.start_root_mfa("owners-phone")
    totp, now = pyotp.TOTP(device["Base32StringSeed"].decode()), time.time()
    console.enable_root_mfa(device["SerialNumber"], totp.at(now - 30), totp.at(now))
    monkeypatch.setenv("TUTORIAL_TARGET", "aws")  # the kernels inherit the environment
    before = snapshot(owner)
    plans: dict[str, int] = {}
    for source in sorted(SOURCES.glob("[0-9][0-9]_*.py")):
        notebook = parse(source.read_text())
        NotebookClient(
            notebook,
            timeout=120,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        ).execute()  # raises on the first cell that fails
        shown = [
            output["data"].get("text/plain", "")
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            if "data" in output
        ]
        # a widget's text/plain is its static picture, which starts with the plan form's title
        plans[source.name[:2]] = sum(text.startswith(PLAN_TITLES) for text in shown)
        assert snapshot(owner) == before, source.name
    assert not journal.journal_path().exists()
    # each writing step shows its plan (or why it cannot be planned yet): 03 user, key, admin
    # (the password form's generated password is not set on a real account; the MFA device
    # needs the user first); 04 group, member, own policy, bob; 05 policy; 06 alias, ForceMFA
    assert plans == {"00": 0, "01": 0, "02": 0, "03": 3, "04": 4, "05": 1, "06": 2, "07": 0}


def test_the_mfa_step_on_a_real_account_makes_the_device_on_apply_and_keeps_no_seed(
    owner, tmp_path
) -> None:
    from helpers.forms.confirm_account import ConfirmAccountForm
    from helpers.lessons import lesson_03
    from helpers.steps import NotApplied

    owner.create_user(UserName="alice")
    aws = helpers.connect("aws", quiet=True)
    shown: list[Any] = []
    assert isinstance(lesson_03.real_phone_step(aws, "alice", show=shown.append), NotApplied)
    form = shown[0]
    assert [c.call for c in form.plan.changes] == ["iam:CreateVirtualMFADevice"]
    assert owner.list_virtual_mfa_devices()["VirtualMFADevices"] == []
    confirm = next(c for c in form.children if isinstance(c, ConfirmAccountForm))
    confirm.account_id.value = ACCOUNT  # the confirmation form in the plan, once per kernel
    assert confirm.submit()
    assert form.submit()  # Apply
    pending = form.children[-1].pending  # the QR code and the code boxes, shown after Apply
    seed = account_from_qr(pending.qr_png).secret
    totp, now = pyotp.TOTP(seed), time.time()
    finish_real_mfa(aws.iam, pending, totp.at(now - 30), totp.at(now))
    assert snapshot(owner)["users"]["alice"]["mfa"] == ["arn:aws:iam::123456789012:mfa/alice"]
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert seed not in path.read_text(errors="replace"), path


def test_the_wrap_ups_clean_up_undoes_the_journal_on_a_real_account(owner) -> None:
    from helpers.forms.cleanup_panel import CleanUpPanel

    before = snapshot(owner)
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    groups.create_group(aws.iam, "Admins")
    account.set_alias(aws.iam, "acme-tutorial")
    panel = CleanUpPanel(aws)
    assert "1. DeleteGroup: Admins" in panel.children[2].value
    assert panel.button.description == "Undo the tutorial's changes"
    panel.button.click()
    assert panel.status_text.startswith("✓ Undone: DeleteGroup: Admins")
    assert snapshot(owner) == before


def test_why_a_step_cannot_be_planned() -> None:
    from helpers.forms.plan_form import cannot_plan

    def refusal(code: str, message: str) -> ClientError:
        return ClientError({"Error": {"Code": code, "Message": message}}, "CreateUser")

    assert cannot_plan(refusal("LimitExceeded", "Cannot exceed quota for UsersPerAccount.")) == (
        "AWS would refuse this step (LimitExceeded: Cannot exceed quota for UsersPerAccount): "
        "there is nothing to apply."
    )
    assert cannot_plan(refusal("NoSuchEntity", "The group with name Admins cannot be found.")) == (
        "This step cannot be planned yet (NoSuchEntity: The group with name Admins cannot be "
        "found). It needs what an earlier step makes: apply that step first, then run this cell "
        "again."
    )


def test_a_generated_password_is_not_set_on_a_real_account(owner) -> None:
    from helpers.lessons import lesson_03

    owner.create_user(UserName="alice")
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    answer = lesson_03.set_console_password(aws, "alice", None)
    assert answer == lesson_03.REAL_ACCOUNT_OWN_PASSWORD and not answer.changed
    assert not snapshot(owner)["users"]["alice"]["login"]
    assert lesson_03.set_console_password(aws, "alice", PASSWORD) == (
        "Set the password of alice (not saved to a file on a real account)."
    )
    assert snapshot(owner)["users"]["alice"]["login"]


def test_a_key_made_by_apply_is_offered_as_a_file_and_never_shown(owner) -> None:
    """AWS shows a new key's secret once: after Apply the form offers the console's download
    (0600, on the learner's click); the secret is never drawn, and nothing is written unasked."""
    from helpers.forms.key_file import KeyFileForm
    from helpers.forms.picture import picture_text
    from helpers.lessons import lesson_03

    owner.create_user(UserName="alice")
    aws = helpers.connect("aws", confirm=ACCOUNT, quiet=True)
    form = PlanForm(aws, lambda: lesson_03.new_access_key(aws.iam, "alice"))
    assert form.submit() and form.status_text == "✓ Applied, and written in the journal."
    offer = form.children[-1]
    assert isinstance(offer, KeyFileForm) and access_keys.load_access_key_csv("alice") is None
    secret = offer.key.secret_access_key
    made = owner.list_access_keys(UserName="alice")["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in made] == [offer.key.access_key_id]
    assert secret not in str(offer.children) and secret not in picture_text(form)
    assert offer.submit()
    assert offer.status_text.startswith("✓ Saved to ") and secret not in offer.status_text
    assert access_keys.load_access_key_csv("alice") == offer.key
    path = Path(offer.status_text.split()[3])  # "✓ Saved to <path> (mode 0600: ..."
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert offer.button.disabled  # saved once


def test_a_planned_mfa_device_whose_name_is_taken_is_refused_as_aws_would(owner) -> None:
    """An owner's device (assigned or not) of the same path and name: AWS refuses the create
    with EntityAlreadyExists; the plan says so, and its Apply stays off."""
    owner.create_virtual_mfa_device(VirtualMFADeviceName="alice")  # never assigned
    aws = helpers.connect("aws", quiet=True)
    with plan_only(aws) as plan, pytest.raises(aws.iam.exceptions.EntityAlreadyExistsException):
        aws.iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")
    assert [(c.call, c.note) for c in plan.calls] == [
        (
            "iam:CreateVirtualMFADevice",
            "would fail: EntityAlreadyExists: "
            "MFADevice entity at the same path and name already exists.",
        )
    ]
    with plan_only(aws) as plan:  # another name is free; the same one twice in a plan is not
        aws.iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone")
        with pytest.raises(aws.iam.exceptions.EntityAlreadyExistsException):
            aws.iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone")
    assert [c.note for c in plan.calls] == [
        "",
        "would fail: EntityAlreadyExists: "
        "MFADevice entity at the same path and name already exists.",
    ]
    form = PlanForm(aws, lambda: aws.iam.create_virtual_mfa_device(VirtualMFADeviceName="alice"))
    assert form.button.disabled and form.plan.changes == []
