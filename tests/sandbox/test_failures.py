"""An IAM or STS call never gets an HTML page back (``layer/app.py``).

AWS's common errors (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html):
``InternalFailure`` (500) and ``NotImplemented`` (501); IAM's own ``ServiceFailure`` (500,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html#API_CreateUser_Errors).
The wording of ``NotImplemented`` is the sandbox's own: it names the operation it lacks.
"""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

import boto3
import botocore.session
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from helpers.sandbox.constants import REGION
from helpers.sandbox.credentials import root_credentials
from helpers.sandbox.layer import AwsLayer, moto_state
from helpers.sandbox.layer.app import UNKNOWN_FAILURE
from helpers.sandbox.layer.validation import INVALID_ACTION
from tests.sandbox.model_values import valid_params

NO_RETRIES = Config(parameter_validation=False, retries={"max_attempts": 1, "mode": "standard"})


def raw_client(service: str, endpoint: str):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=root_credentials().access_key_id,
        aws_secret_access_key=root_credentials().secret_access_key,
        config=NO_RETRIES,
    )


DOCUMENTED_FAILURES = {"iam": ["CreateServiceLinkedRole"], "sts": ["AssumeRoleWithSAML"]}


def documented_unmodelled(service: str) -> list[str]:
    """The operations docs/sandbox.md lists as not modelled: ``- IAM (N): A, B, C.``"""
    text = (Path(__file__).parents[2] / "docs" / "sandbox.md").read_text()
    found = re.search(rf"^- {service.upper()} \((\d+)\): (.*)\.$", text, re.MULTILINE)
    assert found, f"docs/sandbox.md lists no {service.upper()} operations it does not model"
    names = found.group(2).split(", ")
    assert len(names) == int(found.group(1))
    return sorted(names)


def operations(service: str) -> list[str]:
    return list(botocore.session.get_session().get_service_model(service).operation_names)


def required_members(service: str, operation: str) -> list[str]:
    shape = botocore.session.get_session().get_service_model(service).operation_model(operation)
    return list(shape.input_shape.required_members) if shape.input_shape else []


@pytest.mark.parametrize("service", ["iam", "sts"])
def test_every_operation_without_parameters_gets_an_aws_answer(sandbox, service: str) -> None:
    """botocore raises ResponseParserError on an HTML page, so any such page fails here. An
    operation with required members is refused before anything else, naming each of them."""
    client = raw_client(service, sandbox.endpoint)
    answered = 0
    for operation in operations(service):
        method = getattr(client, botocore.xform_name(operation))
        try:
            method()
            answered += 1
            assert not required_members(service, operation), operation
            continue
        except ClientError as error:
            response = error.response
        answered += 1
        assert response["Error"]["Message"], operation
        assert (
            response["ResponseMetadata"]["HTTPStatusCode"] < 500
            or response["Error"]["Code"] == "NotImplemented"
        ), (operation, response["Error"])
        required = required_members(service, operation)
        if required:
            assert response["Error"]["Code"] == "ValidationError", operation
            message = response["Error"]["Message"]
            assert message.startswith(f"{len(required)} validation error"), message
            for member in required:
                assert f"Value null at '{member[0].lower()}{member[1:]}'" in message, message
    assert answered == len(operations(service))
    # The sandbox still answers afterwards.
    assert raw_client("sts", sandbox.endpoint).get_caller_identity()["Account"]


@pytest.mark.parametrize("service", ["iam", "sts"])
def test_the_documented_unmodelled_operations_are_those_answered_not_implemented(
    sandbox, service: str
) -> None:
    """Each operation called with its required members filled with values the model accepts:
    those the sandbox does not model answer NotImplemented, and docs/sandbox.md lists them."""
    client = raw_client(service, sandbox.endpoint)
    unmodelled, failures = [], []
    for operation in operations(service):
        try:
            getattr(client, botocore.xform_name(operation))(**valid_params(service, operation))
        except ClientError as error:
            if error.response["Error"]["Code"] == "NotImplemented":
                unmodelled.append(operation)
            elif error.response["ResponseMetadata"]["HTTPStatusCode"] >= 500:
                failures.append(operation)
    assert unmodelled and all(not moto_state.implements(service, op) for op in unmodelled)
    assert sorted(unmodelled) == documented_unmodelled(service)
    # docs/sandbox.md names the two operations that still fail inside moto with such values.
    assert failures == DOCUMENTED_FAILURES[service]


def test_an_unknown_action_is_invalid_action(sandbox) -> None:
    """https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html"""
    status, body = _post_signed(sandbox.endpoint, "ListUserz")
    assert status == 400
    assert b"<Code>InvalidAction</Code>" in body
    assert INVALID_ACTION.encode() in body


def test_an_unsigned_sts_call_gets_an_aws_answer(sandbox) -> None:
    """AssumeRoleWithWebIdentity needs no AWS key; with nothing in it, still an AWS error."""
    client = boto3.client(
        "sts", endpoint_url=sandbox.endpoint, region_name=REGION, config=NO_RETRIES
    )
    client.meta.events.register("choose-signer", lambda **kwargs: botocore.UNSIGNED)
    with pytest.raises(ClientError) as caught:
        client.assume_role_with_web_identity()
    assert caught.value.response["Error"]["Code"] in ("InternalFailure", "ValidationError")


def test_an_operation_moto_lacks_is_named(sandbox) -> None:
    client = raw_client("iam", sandbox.endpoint)
    with pytest.raises(ClientError) as caught:
        client.list_instance_profile_tags(InstanceProfileName="web")
    error = caught.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == (
        "NotImplemented",
        501,
    )
    assert "IAM ListInstanceProfileTags" in error["Error"]["Message"]


def _signed_request(action: str, service: str = "iam", url: str = "http://sandbox.test/"):
    """A request signed by botocore's signer with the root key, with the operation's required
    members filled (valid_params), as a client sends it."""
    version = {"iam": "2010-05-08", "sts": "2011-06-15"}[service]
    fields = {"Action": action, "Version": version}
    if action in operations(service):
        fields.update({k: str(v) for k, v in valid_params(service, action).items()})
    body = urlencode(fields).encode()
    request = AWSRequest(
        method="POST",
        url=url,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    root = root_credentials()
    credentials = Credentials(root.access_key_id, root.secret_access_key)
    SigV4Auth(credentials, service, REGION).add_auth(request)
    return request


def _post_signed(endpoint: str, action: str, service: str = "iam") -> tuple[int, bytes]:
    request = _signed_request(action, service, endpoint + "/")
    sent = urllib.request.Request(
        request.url, data=request.body, headers=dict(request.headers.items()), method="POST"
    )
    try:
        with urllib.request.urlopen(sent, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _signed_environ(action: str, service: str = "iam") -> dict:
    """A WSGI request for the layer itself, signed as _signed_request signs it."""
    request = _signed_request(action, service)
    body = request.body
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "RAW_URI": "/",
        "QUERY_STRING": "",
        "HTTP_HOST": "sandbox.test",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    for name, value in request.headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    return environ


def _call(layer: AwsLayer, environ: dict) -> tuple[str, bytes]:
    seen: dict[str, str] = {}

    def start_response(status: str, headers: list) -> None:
        seen["status"] = status

    body = b"".join(layer(environ, start_response))
    return seen["status"], body


@pytest.mark.parametrize(
    ("service", "action", "code"),
    [("iam", "ListUsers", "ServiceFailure"), ("sts", "GetAccessKeyInfo", "InternalFailure")],
)
def test_a_crash_becomes_aws_internal_failure(service: str, action: str, code: str) -> None:
    def crashing_moto(environ: dict, start_response) -> list[bytes]:
        raise RuntimeError("boom")

    layer = AwsLayer(crashing_moto, lambda: None, {})
    status, body = _call(layer, _signed_environ(action, service))
    assert status.startswith("500 ")
    error = ET.fromstring(body)
    namespace = {"a": error.tag.split("}")[0][1:]}
    assert error.findtext("a:Error/a:Code", namespaces=namespace) == code
    assert error.findtext("a:Error/a:Message", namespaces=namespace) == UNKNOWN_FAILURE
    assert error.findtext("a:RequestId", namespaces=namespace)


def test_an_html_error_page_from_moto_becomes_service_failure() -> None:
    def html_moto(environ: dict, start_response) -> list[bytes]:
        start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "text/html; charset=utf-8")])
        return [b"<!doctype html><title>500 Internal Server Error</title>"]

    layer = AwsLayer(html_moto, lambda: None, {})
    status, body = _call(layer, _signed_environ("ListUsers"))
    assert status.startswith("500 ") and b"<Code>ServiceFailure</Code>" in body


def test_a_crash_outside_iam_and_sts_is_logged_and_answered_with_a_request_id(caplog) -> None:
    """Another service's request that crashes moto (or the layer) gets an AWS-shaped 500 with a
    request id, never werkzeug's HTML page, and its traceback goes to the sandbox's log."""

    def crashing_moto(environ: dict, start_response) -> list[bytes]:
        raise RuntimeError("boom in moto")

    layer = AwsLayer(crashing_moto, lambda: None, {})
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/some-bucket",
        "QUERY_STRING": "",
        "HTTP_HOST": "sandbox.test",
        "wsgi.input": io.BytesIO(b""),
    }
    with caplog.at_level("ERROR"):
        status, body = _call(layer, environ)
    assert status.startswith("500 ")
    error = ET.fromstring(body)
    namespace = {"a": error.tag.split("}")[0][1:]}
    assert error.findtext("a:Error/a:Code", namespaces=namespace) == "ServiceFailure"
    assert error.findtext("a:RequestId", namespaces=namespace)
    assert any("boom in moto" in (record.exc_text or "") for record in caplog.records)
