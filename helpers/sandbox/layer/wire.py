"""The wire format of AWS's query protocol (IAM and STS): parsing requests, writing XML answers.

Errors follow the query protocol's ``ErrorResponse`` shape, which boto3 and the AWS CLI turn
into ``ClientError`` with ``Error.Code``, ``Error.Message`` and the HTTP status.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

NAMESPACES = {
    "iam": "https://iam.amazonaws.com/doc/2010-05-08/",
    "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
}

# HTTP status of each error code the sandbox returns, as in botocore's IAM/STS service models
# (tests/sandbox/test_wire.py checks them against botocore).
ERROR_STATUS = {
    "AccessDenied": 403,
    "DeleteConflict": 409,
    "EntityAlreadyExists": 409,
    "EntityTemporarilyUnmodifiable": 409,
    # Common errors page: ExpiredTokenException, HTTP 403 (query APIs send the code ExpiredToken)
    "ExpiredToken": 403,
    "InvalidAuthenticationCode": 403,
    "InvalidClientTokenId": 403,
    "InternalFailure": 500,
    "InvalidInput": 400,
    "LimitExceeded": 409,
    "MissingAuthenticationToken": 403,
    "NoSuchEntity": 404,
    "NotImplemented": 501,
    "PasswordPolicyViolation": 400,
    "ServiceFailure": 500,
    "SignatureDoesNotMatch": 403,
    "ValidationError": 400,
}

# Characters XML 1.0 cannot carry, even escaped (https://www.w3.org/TR/xml/#charsets): a value
# echoed in a message shows them as \uXXXX instead, so the answer stays parseable.
_NOT_XML = re.compile(r"[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def xml_text(value: str) -> str:
    """``value`` escaped for XML text, with characters XML cannot carry written as \\uXXXX."""
    return escape(_NOT_XML.sub(lambda found: f"\\u{ord(found.group()):04X}", value))


_CREDENTIAL = re.compile(r"Credential=([^/\s,]+)/[^/]+/[^/]+/([^/]+)/aws4_request")


class AwsError(Exception):
    """An error answered the way AWS answers it: code, message, HTTP status."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status or ERROR_STATUS.get(code, 400)
        self.request_id: str | None = None  # set when something else must name this answer


def constraint(member: str, value: str | None, rule: str) -> str:
    """One broken constraint, worded as AWS words it (a secret value is left out)."""
    shown = "" if value is None else f"'{value}' "
    return f"Value {shown}at '{member}' failed to satisfy constraint: Member must {rule}"


def missing(member: str) -> str:
    """A required member that was not sent."""
    return f"Value null at '{member}' failed to satisfy constraint: Member must not be null"


def validation_error(problems: list[str], hint: str | None = None) -> AwsError:
    """AWS's ``ValidationError``: ``N validation error(s) detected: ...; ...``, optionally with
    a plain hint after it."""
    count = len(problems)
    message = f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(problems)
    if hint:
        message = f"{message}. {hint}"
    return AwsError("ValidationError", message)


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def ok(self) -> bool:
        return self.status < 400

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def with_text(self, text: str) -> Response:
        headers = [(k, v) for k, v in self.headers if k.lower() != "content-length"]
        body = text.encode("utf-8")
        return Response(self.status, [*headers, ("Content-Length", str(len(body)))], body)


@dataclass
class Signature:
    access_key_id: str | None
    service: str | None
    session_token: str | None = None


def read_signature(environ: dict) -> Signature:
    """Access key id and service from the SigV4 ``Authorization`` header (or presigned query)."""
    header = environ.get("HTTP_AUTHORIZATION", "")
    match = _CREDENTIAL.search(header)
    if not match:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        credential = query.get("X-Amz-Credential", [""])[0].split("/")
        if len(credential) == 5:
            return Signature(
                credential[0], credential[3], query.get("X-Amz-Security-Token", [None])[0]
            )
        if "AWSAccessKeyId" in query and "Signature" in query:  # S3's SigV2 presigned URL
            token = query.get("x-amz-security-token", [None])[0]
            return Signature(query["AWSAccessKeyId"][0], "s3", token)
        return Signature(None, None)
    return Signature(match.group(1), match.group(2), environ.get("HTTP_X_AMZ_SECURITY_TOKEN"))


def parse_params(body: bytes, query_string: str) -> dict[str, str]:
    """The request's query-protocol parameters (``Action``, ``UserName``, ...)."""
    params: dict[str, str] = {}
    for source in (query_string, body.decode("utf-8", "replace")):
        for key, values in parse_qs(source, keep_blank_values=True).items():
            params[key] = values[0]
    return params


def request_id() -> str:
    return str(uuid.uuid4())


def xml_response(service: str, action: str, result_xml: str = "", status: int = 200) -> Response:
    """A successful query-protocol answer wrapping ``result_xml`` (already escaped XML)."""
    result = f"<{action}Result>{result_xml}</{action}Result>" if result_xml else ""
    text = (
        f'<{action}Response xmlns="{NAMESPACES[service]}">{result}'
        f"<ResponseMetadata><RequestId>{request_id()}</RequestId></ResponseMetadata>"
        f"</{action}Response>"
    )
    body = text.encode()
    return Response(
        status, [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))], body
    )


def error_response(service: str, error: AwsError) -> Response:
    kind = "Sender" if error.status < 500 else "Receiver"
    text = (
        f'<ErrorResponse xmlns="{NAMESPACES.get(service, NAMESPACES["iam"])}">'
        f"<Error><Type>{kind}</Type><Code>{escape(error.code)}</Code>"
        f"<Message>{xml_text(error.message)}</Message></Error>"
        f"<RequestId>{error.request_id or request_id()}</RequestId></ErrorResponse>"
    )
    body = text.encode()
    return Response(
        error.status, [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))], body
    )


def json_response(payload: dict, status: int = 200) -> Response:
    body = json.dumps(payload).encode()
    return Response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))], body
    )


def xml_fields(**values: object) -> str:
    """``<Key>value</Key>`` for each value that is not None, escaped."""
    return "".join(
        f"<{key}>{xml_text(str(value))}</{key}>"
        for key, value in values.items()
        if value is not None
    )


@dataclass
class Caller:
    """Who signed a request: the root user, an IAM user (own key), or a session of a user."""

    kind: str  # "root" | "user" | "session" | "anonymous" (an STS call that needs no key)
    access_key_id: str
    user_name: str | None = None
    mfa_authenticated: bool = False
    extra: dict = field(default_factory=dict)


# How other services word the authentication errors the layer raises in the query protocol's
# terms (S3: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html; JSON
# services answer UnrecognizedClientException / InvalidSignatureException).
_S3_ERRORS = {
    "InvalidClientTokenId": (
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
    ),
    "SignatureDoesNotMatch": (
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check "
        "your key and signing method.",
    ),
    "ExpiredToken": ("ExpiredToken", "The provided token has expired."),
}
_S3_STATUS = {"ExpiredToken": 400}  # S3's error responses page: 400 Bad Request
_JSON_ERRORS = {
    "InvalidClientTokenId": "UnrecognizedClientException",
    "SignatureDoesNotMatch": "InvalidSignatureException",
    "ExpiredToken": "ExpiredTokenException",
    "AccessDenied": "AccessDeniedException",
}


def service_error_response(service: str, protocol: str, error: AwsError) -> Response:
    """``error`` in the wire format of ``service`` (its botocore ``protocol``)."""
    if service == "s3":
        error.status = _S3_STATUS.get(error.code, error.status)  # S3's own status for a code
        code, message = _S3_ERRORS.get(error.code, (error.code, error.message))
        text = (
            f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message>"
            f"<RequestId>{error.request_id or request_id()}</RequestId></Error>"
        )
        body = text.encode()
        headers = [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
        if error.request_id:
            headers.append(("x-amz-request-id", error.request_id))
        return Response(error.status, headers, body)
    if protocol in ("json", "rest-json"):
        code = _JSON_ERRORS.get(error.code, error.code)
        payload = {"__type": code, "message": error.message}
        response = json_response(payload, 400 if protocol == "json" else error.status)
        headers = [*response.headers, ("x-amzn-ErrorType", code)]
        if error.request_id:
            headers.append(("x-amzn-RequestId", error.request_id))
        return Response(response.status, headers, response.body)
    return error_response(service, error)
