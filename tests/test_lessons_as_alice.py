"""From lesson 04 on the tutorial works as alice with an MFA session: her group's rights, a
second person in the PowerUsers group, and a policy that requires MFA for everyone."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from helpers import defaults
from helpers.authenticator import forget_phone, open_phone
from helpers.catchup import replay
from helpers.connect import connect, sign_in_as
from helpers.errors import explain
from helpers.lessons import lesson_04, lesson_06
from helpers.status import check_account

BOB_ARN = "arn:aws:iam::123456789012:user/bob"


@pytest.fixture
def fresh(sandbox):
    forget_phone(backup=True)
    return sandbox


def test_the_catch_up_from_lesson_04_on_works_as_alice(fresh) -> None:
    done = replay(None, 7)
    assert {line[:2] for line in done} == {"01", "02", "03", "04", "05", "06"}
    root = connect(quiet=True)
    assert check_account(root.iam).console_summary() == "Security status 5/5"
    members = root.iam.get_group(GroupName=defaults.POWER_GROUP_NAME)["Users"]
    assert [u["UserName"] for u in members] == [defaults.POWER_USER_NAME]
    for group in defaults.FORCE_MFA_GROUPS:
        attached = root.iam.list_attached_group_policies(GroupName=group)["AttachedPolicies"]
        assert "ForceMFA" in [p["PolicyName"] for p in attached]
    assert replay(None, 7) == []


def test_a_power_user_uses_s3_but_cannot_manage_iam(fresh) -> None:
    replay(None, 5)
    alice = sign_in_as(quiet=True)
    outcomes = lesson_04.add_power_user(alice.iam, open_phone())
    assert not any(outcome.changed for outcome in outcomes)  # the catch-up made him
    bob = sign_in_as(defaults.POWER_USER_NAME, quiet=True)
    assert bob.mfa_until is not None
    bucket = lesson_04.team_bucket_name(alice.account_id)
    assert lesson_04.make_bucket(bob.client("s3"), bucket).changed
    assert not lesson_04.make_bucket(bob.client("s3"), bucket).changed  # a re-run keeps it
    error = pytest.raises(ClientError, bob.iam.create_user, UserName="carol").value
    assert error.response["Error"]["Code"] == "AccessDenied"
    assert "because no identity-based policy allows the iam:CreateUser action" in explain(error)
    assert "PowerUserAccess" in explain(error)  # the sandbox's explanation names the policy
    assert lesson_04.simulate(alice.iam, BOB_ARN, ["s3:CreateBucket", "iam:CreateUser"]) == [
        ("s3:CreateBucket", "allowed"),
        ("iam:CreateUser", "implicitDeny"),
    ]


def test_requiring_mfa_refuses_keys_alone_and_allows_mfa_sessions(fresh) -> None:
    replay(None, 6)
    alice = sign_in_as(quiet=True)
    done = lesson_06.require_mfa(alice.iam)
    assert [outcome.changed for outcome in done] == [True, True]
    assert not any(outcome.changed for outcome in lesson_06.require_mfa(alice.iam))
    assert "Users" in alice.iam.list_users()  # her MFA session
    key_only = sign_in_as(quiet=True, mfa=False)
    error = pytest.raises(ClientError, key_only.iam.list_users).value
    text = explain(error)
    assert "with an explicit deny in an identity-based policy" in text
    assert "DenyAllExceptListedIfNoMFA" in text and "Sign in with MFA" in text
    bob_key_only = sign_in_as(defaults.POWER_USER_NAME, quiet=True, mfa=False)
    refusal = pytest.raises(ClientError, bob_key_only.client("s3").list_buckets).value
    assert refusal.response["Error"]["Message"].endswith(
        "with an explicit deny in an identity-based policy"
    )
    bob = sign_in_as(defaults.POWER_USER_NAME, quiet=True)
    assert "Buckets" in bob.client("s3").list_buckets()
    # the simulator, asked about a request with MFA, agrees with what bob's session may do
    assert lesson_04.simulate(alice.iam, BOB_ARN, ["s3:ListAllMyBuckets"]) == [
        ("s3:ListAllMyBuckets", "allowed")
    ]
