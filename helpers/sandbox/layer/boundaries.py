"""Permissions boundaries of IAM users: the layer keeps them, since moto does not.

AWS (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPermissionsBoundary.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUserPermissionsBoundary.html): a
user's boundary is one managed policy, set with ``PutUserPermissionsBoundary`` or ``CreateUser``'s
``PermissionsBoundary``, removed with ``DeleteUserPermissionsBoundary``, and shown by
``GetUser``. moto answers neither operation (HTTP 500) and drops the parameter. The policy
engine reads a user's boundary through ``user_boundary_arn`` (``layer/principals.py``); roles
keep theirs in moto (``permissions_boundary_arn``).
"""

from __future__ import annotations

from helpers.sandbox.layer import moto_state
from helpers.sandbox.layer.names import no_such_user
from helpers.sandbox.layer.registry import Call, after, before, on_reset
from helpers.sandbox.layer.wire import AwsError, Response, xml_fields, xml_response

USER_BOUNDARIES: dict[str, str] = {}  # user name -> managed policy ARN


def user_boundary_arn(user_name: str) -> str | None:
    return USER_BOUNDARIES.get(user_name)


@on_reset
def forget_boundaries() -> None:
    USER_BOUNDARIES.clear()


def _require_policy(arn: str | None) -> str:
    if not arn or moto_state.managed_policy(arn) is None:
        raise AwsError("NoSuchEntity", f"Policy {arn} does not exist or is not attachable.", 404)
    return arn


def _require_user(name: str | None) -> str:
    if not name or moto_state.user(name) is None:
        raise no_such_user(name or "")
    return name


@before("iam", "PutUserPermissionsBoundary")
def put_user_permissions_boundary(call: Call) -> Response:
    name = _require_user(call.param("UserName"))
    USER_BOUNDARIES[name] = _require_policy(call.param("PermissionsBoundary"))
    return xml_response("iam", call.action)


@before("iam", "DeleteUserPermissionsBoundary")
def delete_user_permissions_boundary(call: Call) -> Response:
    USER_BOUNDARIES.pop(_require_user(call.param("UserName")), None)
    return xml_response("iam", call.action)


@before("iam", "CreateUser")
def check_boundary_before_create(call: Call) -> None:
    """A bad boundary refuses the whole CreateUser: no user is made without it."""
    if call.param("PermissionsBoundary") is not None:
        _require_policy(call.param("PermissionsBoundary"))


@after("iam", "CreateUser")
def keep_boundary_of_new_user(call: Call, response: Response) -> Response:
    arn = call.param("PermissionsBoundary")
    if arn is None:
        return response
    USER_BOUNDARIES[call.param("UserName") or ""] = arn
    return _with_boundary(response, arn)


@after("iam", "GetUser")
def show_boundary(call: Call, response: Response) -> Response:
    name = call.param("UserName") or call.caller.user_name
    arn = USER_BOUNDARIES.get(name or "")
    return _with_boundary(response, arn) if arn else response


def _with_boundary(response: Response, arn: str) -> Response:
    """The ``User`` element with AWS's ``PermissionsBoundary`` (AttachedPermissionsBoundary)."""
    element = (
        "<PermissionsBoundary>"
        + xml_fields(
            PermissionsBoundaryType="PermissionsBoundaryPolicy", PermissionsBoundaryArn=arn
        )
        + "</PermissionsBoundary>"
    )
    return response.with_text(response.text.replace("</User>", element + "</User>", 1))


@after("iam", "DeleteUser")
def forget_boundary_of_deleted_user(call: Call, response: Response) -> Response:
    USER_BOUNDARIES.pop(call.param("UserName") or "", None)
    return response


@after("iam", "UpdateUser")
def follow_rename(call: Call, response: Response) -> Response:
    old, new = call.param("UserName"), call.param("NewUserName")
    if old and new and old != new and old in USER_BOUNDARIES:
        USER_BOUNDARIES[new] = USER_BOUNDARIES.pop(old)
    return response
