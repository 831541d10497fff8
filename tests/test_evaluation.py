"""The policy engine (``helpers/sandbox/layer/evaluation.py``) against AWS's documented decisions.

Each case names the IAM User Guide page its expected decision comes from:
- EVAL: Policy evaluation logic / Determining whether a request is allowed or denied within an
  account (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
- ELEMENTS: IAM JSON policy elements: Action, NotAction, Resource, NotResource
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html)
- CONDITIONS: IAM JSON policy elements: Condition operators
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
- SETS: Single-valued vs. multivalued context keys
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
- VARIABLES: IAM policy elements: Variables and tags
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)
- MFA: AWS global condition context keys, aws:MultiFactorAuthPresent
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) and
  the example "IAM: Allows IAM users to self-manage an MFA device"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html)
"""

from __future__ import annotations

import json

import pytest

from helpers.sandbox.layer.evaluation import (
    ALLOWED,
    BOUNDARY,
    EXPLICIT_DENY,
    IDENTITY,
    IMPLICIT_DENY,
    RESOURCE,
    SESSION,
    TRUST,
    PolicyError,
    Request,
    evaluate,
    evaluate_trust,
    parse_policy,
    substitute,
)

ACCOUNT = "123456789012"
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
BOB = f"arn:aws:iam::{ACCOUNT}:user/bob"


def policy(*statements: dict, kind: str = IDENTITY, version: str = "2012-10-17", name="p"):
    return parse_policy({"Version": version, "Statement": list(statements)}, name, kind)


def allow(action="*", resource="*", **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action="*", resource="*", **extra) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def request(action="iam:CreateUser", resource=BOB, **context) -> Request:
    base = {"aws:username": "alice", "aws:PrincipalArn": ALICE}
    base.update({key.replace("__", ":"): value for key, value in context.items()})
    return Request(action, resource, ALICE, base)


# --- EVAL: precedence -------------------------------------------------------------------------


def test_no_policy_is_an_implicit_deny() -> None:  # EVAL
    decision = evaluate(request(), [])
    assert (decision.decision, decision.decided_by) == (IMPLICIT_DENY, IDENTITY)
    assert not decision.allowed


def test_an_allow_allows_and_names_its_statement() -> None:  # EVAL
    decision = evaluate(request(), [policy(allow("iam:*", Sid="Admin"), name="AdminPolicy")])
    assert decision.decision == ALLOWED
    assert [(m.source, m.sid, m.statement_index) for m in decision.matched] == [
        ("AdminPolicy", "Admin", 0)
    ]


def test_an_explicit_deny_wins_over_an_allow() -> None:  # EVAL
    decision = evaluate(
        request(), [policy(allow("*")), policy(deny("iam:CreateUser", Sid="NoUsers"), name="d")]
    )
    assert (decision.decision, decision.decided_by) == (EXPLICIT_DENY, IDENTITY)
    assert [m.sid for m in decision.matched] == ["NoUsers"]


def test_a_resource_policy_allow_is_enough_within_one_account() -> None:  # EVAL
    bucket_policy = policy(
        {"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::notes/*"},
        kind=RESOURCE,
    )  # fmt: skip
    given = request("s3:GetObject", "arn:aws:s3:::notes/a.txt")
    allowed = evaluate(given, [], resource=[bucket_policy])
    assert allowed.decision == ALLOWED
    other = Request("s3:GetObject", "arn:aws:s3:::notes/a.txt", BOB, {})
    assert evaluate(other, [], resource=[bucket_policy]).decision == IMPLICIT_DENY


def test_a_boundary_must_also_allow() -> None:  # EVAL (permissions boundaries)
    admin = [policy(allow("*"))]
    s3_only = [policy(allow("s3:*"), kind=BOUNDARY)]
    refused = evaluate(request("iam:CreateUser"), admin, boundary=s3_only)
    assert (refused.decision, refused.decided_by) == (IMPLICIT_DENY, BOUNDARY)
    assert evaluate(request("s3:ListBucket", "arn:aws:s3:::b"), admin, boundary=s3_only).allowed
    # The boundary alone grants nothing.
    alone = evaluate(request("s3:ListBucket", "arn:aws:s3:::b"), [], boundary=s3_only)
    assert (alone.decision, alone.decided_by) == (IMPLICIT_DENY, IDENTITY)


def test_a_deny_in_a_boundary_is_an_explicit_deny() -> None:  # EVAL
    decision = evaluate(
        request(), [policy(allow("*"))], boundary=[policy(allow("*"), deny("iam:*"), kind=BOUNDARY)]
    )
    assert (decision.decision, decision.decided_by) == (EXPLICIT_DENY, BOUNDARY)


def test_a_session_policy_narrows_a_session() -> None:  # EVAL (session policies)
    admin = [policy(allow("*"))]
    read_only = [policy(allow("s3:Get*"), kind=SESSION)]
    refused = evaluate(request("s3:PutObject", "arn:aws:s3:::b/k"), admin, session=read_only)
    assert (refused.decision, refused.decided_by) == (IMPLICIT_DENY, SESSION)
    assert evaluate(request("s3:GetObject", "arn:aws:s3:::b/k"), admin, session=read_only).allowed


# --- ELEMENTS ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "action", "matches"),
    [
        ("iam:CreateUser", "iam:CreateUser", True),
        ("IAM:createuser", "iam:CreateUser", True),  # case-insensitive
        ("iam:Create*", "iam:CreateUser", True),
        ("iam:*User", "iam:CreateUser", True),
        ("iam:Get?ser", "iam:GetUser", True),
        ("iam:Get?ser", "iam:GetUsers", False),
        ("s3:*", "iam:CreateUser", False),
        ("*", "sts:GetCallerIdentity", True),
    ],
)
def test_action_wildcards(pattern: str, action: str, matches: bool) -> None:  # ELEMENTS
    decision = evaluate(request(action), [policy(allow(pattern))])
    assert decision.allowed is matches


def test_not_action_allows_everything_else() -> None:  # ELEMENTS (NotAction)
    everything_but_iam = [policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})]
    assert evaluate(request("s3:ListAllMyBuckets", "*"), everything_but_iam).allowed
    assert not evaluate(request("iam:CreateUser"), everything_but_iam).allowed


def test_resource_wildcards_stay_inside_their_arn_part() -> None:  # ELEMENTS, CONDITIONS (Arn)
    users = [policy(allow("iam:*", f"arn:aws:iam::{ACCOUNT}:user/*"))]
    assert evaluate(request(resource=BOB), users).allowed
    assert not evaluate(request(resource=f"arn:aws:iam::{ACCOUNT}:group/Admins"), users).allowed
    any_account = [policy(allow("iam:*", "arn:aws:iam::*:user/bob"))]
    assert evaluate(request(resource=BOB), any_account).allowed


def test_not_resource() -> None:  # ELEMENTS (NotResource)
    not_admins = [
        policy({"Effect": "Allow", "Action": "iam:*",
                "NotResource": f"arn:aws:iam::{ACCOUNT}:group/Admins"})
    ]  # fmt: skip
    assert evaluate(request(resource=BOB), not_admins).allowed
    admins_group = request(resource=f"arn:aws:iam::{ACCOUNT}:group/Admins")
    assert not evaluate(admins_group, not_admins).allowed


# --- VARIABLES --------------------------------------------------------------------------------


def test_username_variable_limits_a_user_to_herself() -> None:  # VARIABLES
    own = [policy(allow("iam:*AccessKey*", "arn:aws:iam::*:user/${aws:username}"))]
    assert evaluate(request("iam:CreateAccessKey", ALICE), own).allowed
    assert not evaluate(request("iam:CreateAccessKey", BOB), own).allowed


def test_a_variable_without_a_value_matches_nothing() -> None:  # VARIABLES
    own = [policy(allow("iam:*", "arn:aws:iam::*:user/${aws:username}"))]
    anonymous = Request("iam:GetUser", ALICE, ALICE, {})
    assert evaluate(anonymous, own).decision == IMPLICIT_DENY


def test_variable_defaults_and_special_characters() -> None:  # VARIABLES
    assert substitute("user/${aws:username, 'nobody'}", {}) == "user/nobody"
    assert substitute("a${*}b${?}c${$}", {}) == "a*b?c$"
    assert substitute("${aws:username}", {}) is None
    assert substitute("${AWS:UserName}", {"aws:username": "alice"}) == "alice"


def test_version_2008_takes_variables_literally() -> None:  # VARIABLES ("Version" note)
    old = [policy(allow("iam:*", "arn:aws:iam::*:user/${aws:username}"), version="2008-10-17")]
    assert not evaluate(request("iam:GetUser", ALICE), old).allowed


# --- CONDITIONS -------------------------------------------------------------------------------

DENY_WITHOUT_MFA = policy(
    {
        "Sid": "BlockMostAccessUnlessSignedInWithMFA",
        "Effect": "Deny",
        "NotAction": [
            "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser",
            "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice",
            "sts:GetSessionToken",
        ],
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    },
    name="ForceMFA",
)  # fmt: skip


def test_bool_if_exists_denies_a_long_term_key() -> None:  # MFA
    admin = [policy(allow("*")), DENY_WITHOUT_MFA]
    long_term = evaluate(request("iam:CreateUser"), admin)  # no MFA key at all
    assert (long_term.decision, long_term.decided_by) == (EXPLICIT_DENY, IDENTITY)
    without = evaluate(request(aws__MultiFactorAuthPresent="false"), admin)
    assert without.decision == EXPLICIT_DENY
    with_mfa = evaluate(request(aws__MultiFactorAuthPresent="true"), admin)
    assert with_mfa.allowed
    # Setting up MFA stays possible without MFA.
    assert evaluate(request("iam:EnableMFADevice", ALICE), admin).allowed


def test_plain_bool_false_does_not_deny_a_long_term_key() -> None:  # MFA (why IfExists)
    plain = [
        policy(allow("*")),
        policy(deny("*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}})),
    ]
    assert evaluate(request(), plain).allowed
    assert not evaluate(request(aws__MultiFactorAuthPresent="false"), plain).allowed


@pytest.mark.parametrize(
    ("condition", "context", "holds"),
    [
        ({"StringEquals": {"aws:username": "alice"}}, {}, True),
        ({"StringEquals": {"aws:username": ["bob", "alice"]}}, {}, True),  # OR of values
        ({"StringEquals": {"aws:username": "Alice"}}, {}, False),
        ({"StringEqualsIgnoreCase": {"aws:username": "ALICE"}}, {}, True),
        ({"StringNotEquals": {"aws:username": "bob"}}, {}, True),
        ({"StringLike": {"aws:username": "al*"}}, {}, True),
        ({"StringNotLike": {"aws:username": "al*"}}, {}, False),
        ({"StringEquals": {"aws:RequestedRegion": "us-east-1"}}, {}, False),  # key absent
        ({"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}, {}, True),  # negated, absent
        ({"StringEqualsIfExists": {"aws:RequestedRegion": "us-east-1"}}, {}, True),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}},
         {"aws:MultiFactorAuthAge": "120"}, True),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}},
         {"aws:MultiFactorAuthAge": "7200"}, False),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, {}, False),
        ({"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}},
         {"aws:CurrentTime": "2026-12-02T10:00:00Z"}, True),
        ({"DateLessThan": {"aws:EpochTime": "2026-01-01T00:00:00Z"}},
         {"aws:EpochTime": "1700000000"}, True),
        ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "203.0.113.7"}, True),
        ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "198.51.100.1"},
         False),
        ({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "127.0.0.1"},
         True),
        ({"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}, {"aws:SourceIp": "2001:db8::1"}, True),
        ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/al*"}}, {}, True),
        ({"ArnEquals": {"aws:PrincipalArn": BOB}}, {}, False),
        ({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/b*"}}, {}, True),
        ({"Bool": {"aws:SecureTransport": "true"}}, {"aws:SecureTransport": "true"}, True),
        ({"BinaryEquals": {"s3:x": "QmluYXJ5"}}, {"s3:x": "QmluYXJ5"}, True),
        ({"Null": {"aws:MultiFactorAuthAge": "true"}}, {}, True),
        ({"Null": {"aws:MultiFactorAuthAge": "false"}}, {}, False),
        ({"Null": {"aws:username": "false"}}, {}, True),
        # AND across operators and keys
        ({"StringEquals": {"aws:username": "alice"},
          "Bool": {"aws:MultiFactorAuthPresent": "true"}}, {}, False),
        ({"StringEquals": {"aws:username": "alice"},
          "Bool": {"aws:MultiFactorAuthPresent": "true"}},
         {"aws:MultiFactorAuthPresent": "true"}, True),
        # policy variables inside condition values
        ({"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:user/${aws:username}"}},
         {}, True),
    ],
)  # fmt: skip
def test_condition_operators(condition: dict, context: dict, holds: bool) -> None:  # CONDITIONS
    given = request(**{key.replace(":", "__"): value for key, value in context.items()})
    decision = evaluate(given, [policy(allow("*", Condition=condition))])
    assert decision.allowed is holds


@pytest.mark.parametrize(
    ("operator", "values", "holds"),
    [
        ("ForAllValues:StringEquals", ["dev", "ops"], True),
        ("ForAllValues:StringEquals", ["dev", "root"], False),
        ("ForAllValues:StringEquals", None, True),  # no key: true (SETS)
        ("ForAnyValue:StringEquals", ["root", "ops"], True),
        ("ForAnyValue:StringEquals", ["root"], False),
        ("ForAnyValue:StringEquals", None, False),
        ("ForAnyValue:StringNotEquals", ["dev", "root"], True),
        ("ForAllValues:StringNotEquals", ["dev"], False),
    ],
)
def test_set_operators(operator: str, values: list[str] | None, holds: bool) -> None:  # SETS
    context = {} if values is None else {"aws:TagKeys": values}
    given = Request("iam:TagUser", BOB, ALICE, context)
    condition = {operator: {"aws:TagKeys": ["dev", "ops"]}}
    assert evaluate(given, [policy(allow("*", Condition=condition))]).allowed is holds


def test_missing_context_keys_are_reported() -> None:  # simulator's MissingContextValues
    decision = evaluate(request(), [DENY_WITHOUT_MFA, policy(allow("*"))])
    assert decision.missing_context == ["aws:MultiFactorAuthPresent"]


# --- trust policies ---------------------------------------------------------------------------

TRUST_WITH_MFA = policy(
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
     "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
    kind=TRUST,
)  # fmt: skip


def test_trust_policy_requiring_mfa() -> None:  # MFA ("Configuring MFA-protected API access")
    without = Request("sts:AssumeRole", "arn:aws:iam::123456789012:role/Admin", ALICE, {})
    assert (evaluate_trust(without, TRUST_WITH_MFA).decision) == IMPLICIT_DENY
    with_mfa = Request(
        "sts:AssumeRole", without.resource, ALICE, {"aws:MultiFactorAuthPresent": "true"}
    )
    assert evaluate_trust(with_mfa, TRUST_WITH_MFA).allowed
    stranger = Request(
        "sts:AssumeRole", without.resource, "arn:aws:iam::999999999999:user/eve",
        {"aws:MultiFactorAuthPresent": "true"},
    )  # fmt: skip
    assert evaluate_trust(stranger, TRUST_WITH_MFA).decision == IMPLICIT_DENY


# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "kind", "message"),
    [
        ("{not json", IDENTITY, "Syntax errors in policy."),
        ({"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Action": "*",
          "Resource": "*"}]}, IDENTITY, "Syntax errors in policy."),
        ({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]},
         IDENTITY, "Policy statement must contain actions."),
        ({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*"}]},
         IDENTITY, "Policy statement must contain resources."),
        ({"Version": "2012-10-17", "Statement": [allow(Principal="*")]}, IDENTITY,
         "Policy document should not specify a principal."),
        ({"Version": "2012-10-17", "Statement": [allow(Condition={"StringSortOf": {"a": "b"}})]},
         IDENTITY, "Invalid Condition type : StringSortOf"),
        ({"Version": "2012-10-17", "Statement": [allow(Condition={"NullIfExists": {"a": "b"}})]},
         IDENTITY, "Invalid Condition type : NullIfExists"),
        ({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]},
         TRUST, "Missing required field Principal"),
    ],
)  # fmt: skip
def test_malformed_policies_are_refused(document, kind: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(document, "bad", kind)
    assert str(caught.value) == message


def test_statement_positions_are_lines_and_columns() -> None:
    text = json.dumps(
        {"Version": "2012-10-17", "Statement": [allow("s3:*"), deny("iam:*")]}, indent=2
    )
    parsed = parse_policy(text, "p")
    first, second = parsed.statements
    assert first.start == (4, 5) and second.start[0] > first.end[0]
    assert text.splitlines()[first.start[0] - 1].strip() == "{"


def test_the_same_text_is_parsed_once() -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": [allow()]})
    assert parse_policy(text, "p") is parse_policy(text, "p")
