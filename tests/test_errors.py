"""The friendly error box: AWS's code and message, what to do, and for a refusal in the sandbox
the sandbox's explanation of which policy decided it."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from helpers import connect
from helpers.errors import error_html, explain, set_explainer
from tests.conftest import make_client


def refusal(code: str = "AccessDenied", request_id: str = "rid-1") -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": "User: x is not authorized"},
            "ResponseMetadata": {"RequestId": request_id, "HTTPStatusCode": 403},
        },
        "ListUsers",
    )


@pytest.fixture(autouse=True)
def no_explainer():
    yield
    set_explainer(None)


def test_a_refusal_shows_the_explanation_by_its_request_id() -> None:
    asked = []
    set_explainer(lambda request_id: asked.append(request_id) or "Nothing allowed it.")
    assert "Why (the sandbox explains): Nothing allowed it." in explain(refusal())
    assert "Nothing allowed it." in error_html(refusal())
    assert asked == ["rid-1", "rid-1"]


def test_other_errors_and_a_failing_explainer_show_aws_message_alone() -> None:
    def broken(request_id: str) -> str:
        raise RuntimeError("sandbox gone")

    set_explainer(broken)
    assert explain(refusal()).startswith("AccessDenied: User: x is not authorized")
    assert "Why" not in explain(refusal())
    set_explainer(lambda request_id: "never asked")
    assert "never asked" not in explain(refusal("NoSuchEntity"))


def test_connect_explains_the_sandboxs_refusals(sandbox, iam) -> None:
    connect(quiet=True)
    iam.create_user(UserName="bob")
    deny_all = {"Effect": "Deny", "Action": "*", "Resource": "*", "Sid": "NoThanks"}
    document = json.dumps({"Version": "2012-10-17", "Statement": [deny_all]})
    iam.put_user_policy(UserName="bob", PolicyName="deny", PolicyDocument=document)
    key = iam.create_access_key(UserName="bob")["AccessKey"]
    bob = make_client("iam", sandbox.endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    error = pytest.raises(ClientError, bob.list_users).value
    text = explain(error)
    assert "with an explicit deny in an identity-based policy" in text
    assert "Why (the sandbox explains): A Deny statement matched iam:ListUsers" in text
    assert "NoThanks" in text
