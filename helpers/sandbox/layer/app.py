"""The WSGI layer in front of moto's server: it makes the sandbox answer IAM and STS like AWS.

Every request passes here, whatever the client (boto3, the AWS CLI, the helpers). IAM and STS
calls go through the rules the topic modules registered; everything else goes to moto as is.

An IAM or STS call never gets an HTML page back: an operation moto does not implement answers
AWS's ``NotImplemented`` (501) naming it, and any other failure inside moto or the layer is
logged (the sandbox's log file) and answered as AWS's ``ServiceFailure`` (IAM) or
``InternalFailure`` (STS), 500 (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).
"""

from __future__ import annotations

import functools
import io
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

import botocore.session

from helpers.sandbox.constants import CONSOLE_PREFIX, HEALTH_PATH, RESET_PATH, SERVER_NAME
from helpers.sandbox.credentials import root_credentials
from helpers.sandbox.layer import (
    authorization,
    last_accessed,
    moto_state,
    registry,
    signing,
    validation,
)
from helpers.sandbox.layer.identity import check_session_scope, resolve_caller, secret_for
from helpers.sandbox.layer.registry import Call
from helpers.sandbox.layer.wire import (
    AwsError,
    Caller,
    Response,
    Signature,
    error_response,
    json_response,
    parse_params,
    read_signature,
    service_error_response,
)

logger = logging.getLogger(__name__)

RULED_SERVICES = ("iam", "sts")
QUERY_API_VERSIONS = {"2010-05-08": "iam", "2011-06-15": "sts"}
# STS calls that need no AWS credentials (the caller brings a web identity or SAML token):
# https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
UNSIGNED_ACTIONS = ("AssumeRoleWithWebIdentity", "AssumeRoleWithSAML")


class AwsLayer:
    """WSGI middleware: ``AwsLayer(moto_app, reset_moto)``."""

    def __init__(
        self, moto_app: Callable, reset_moto: Callable[[], None], info: dict[str, Any]
    ) -> None:
        self.moto_app = moto_app
        self.reset_moto = reset_moto
        self.info = info
        # One learner, one account: serialising calls keeps every rule's check-then-act atomic.
        self.lock = threading.RLock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            response = self.dispatch(environ)
        except Exception:  # anything the paths below did not answer: never werkzeug's HTML page
            logger.exception("the sandbox failed on %s", environ.get("PATH_INFO", ""))
            response = error_response("iam", internal_failure("iam"))
        start_response(_status_line(response.status), response.headers)
        return [response.body]

    def dispatch(self, environ: dict) -> Response:
        path = environ.get("PATH_INFO", "")
        own = path in (RESET_PATH, MOTO_API_PREFIX.rstrip("/")) or path.startswith(
            (CONSOLE_PREFIX, MOTO_API_PREFIX)
        )
        refusal = own and root_signature_refusal(environ)
        if path == HEALTH_PATH:
            response = json_response({"server": SERVER_NAME, "pid": os.getpid(), **self.info})
        elif refusal:
            response = refusal
        elif path == RESET_PATH and environ.get("REQUEST_METHOD") == "POST":
            response = self.reset()
        elif path.startswith(CONSOLE_PREFIX) and environ.get("REQUEST_METHOD") == "POST":
            response = self.console(path[len(CONSOLE_PREFIX) :], _read_body(environ))
        else:
            response = self.aws_call(environ)
        return response

    def reset(self) -> Response:
        with self.lock:
            self.reset_moto()
            for forget in registry.RESET:
                forget()
        return json_response({"status": "ok"})

    def console(self, name: str, body: bytes) -> Response:
        action = registry.CONSOLE.get(name)
        if action is None:
            return json_response(
                {"error": {"code": "NotFound", "message": f"No console action {name!r}."}}, 404
            )
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            return json_response(
                {"error": {"code": "InvalidInput", "message": "The body must be JSON."}}, 400
            )
        if not isinstance(payload, dict):
            message = "The body must be a JSON object."
            return json_response({"error": {"code": "InvalidInput", "message": message}}, 400)
        with self.lock:
            try:
                return json_response(action(payload))
            except AwsError as error:
                return json_response(
                    {
                        "error": {"code": error.code, "message": error.message},
                        "status": error.status,
                    },
                    error.status,
                )

    def aws_call(self, environ: dict) -> Response:
        signature = read_signature(environ)
        body = _read_body(environ)  # once: for the signature check and the parameters
        params: dict[str, str] | None = None
        service = signature.service
        if service is None:  # unsigned: an IAM or STS query call still says its API version
            params = parse_params(body, environ.get("QUERY_STRING", ""))
            service = QUERY_API_VERSIONS.get(params.get("Version", ""))
        if service not in RULED_SERVICES:
            return self.other_service_call(environ, body, signature, service)
        if params is None:
            params = parse_params(body, environ.get("QUERY_STRING", ""))
        action = params.get("Action", "")
        with self.lock:
            try:
                if signature.access_key_id is None and action in UNSIGNED_ACTIONS:
                    caller = Caller("anonymous", "")
                else:
                    caller = authenticate(environ, body, signature)
                    check_session_scope(caller, service, action)
                call = Call(service, action, params, caller, environ)
                validation.require_valid(call)  # botocore's model: InvalidAction, ValidationError
                authorization.authorize(service, environ, body, params, caller)
                for hook in registry.BEFORE.get((service, action), []):
                    answer = hook(call)
                    if answer is not None:
                        return _recorded(call, environ, answer)
                response = self.forward(environ)
                if response.status >= 500 and _is_html(response):
                    raise RuntimeError(f"moto answered with an HTML page: {response.text[:200]}")
                if response.ok:
                    for fix in registry.AFTER.get((service, action), []):
                        response = fix(call, response)
                return _recorded(call, environ, response)
            except AwsError as error:
                return error_response(service, error)
            except Exception:
                if action and not moto_state.implements(service, action):
                    return error_response(service, not_modelled(service, action))
                logger.exception("%s %s failed inside the sandbox", service, action)
                return error_response(service, internal_failure(service))

    def other_service_call(
        self, environ: dict, body: bytes, signature: Signature, service: str | None
    ) -> Response:
        """S3 and the rest of moto: a signed request must be signed right and allowed by the
        caller's policies, then moto answers."""
        caller, operation = None, None
        if signature.access_key_id is not None:
            try:
                with self.lock:
                    caller = authenticate(environ, body, signature)
                    operation = authorization.authorize(service or "", environ, body, None, caller)
            except AwsError as error:
                return service_error_response(service or "", protocol_of(service), error)
        response = self.forward(environ)
        if caller is not None and response.ok:
            prefix, action = (
                (operation.service, operation.action.split(":", 1)[1])
                if operation
                else (service or "", "")
            )
            last_accessed.record(caller, prefix, action, _signed_region(environ))
        return response

    def forward(self, environ: dict) -> Response:
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list, exc_info: Any = None) -> None:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = list(headers)

        chunks = self.moto_app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()
        return Response(captured["status"], captured["headers"], body)


UNKNOWN_FAILURE = (
    "The request processing has failed because of an unknown error, exception or failure."
)


MOTO_API_PREFIX = "/moto-api/"


def root_signature_refusal(environ: dict) -> Response | None:
    """The sandbox's own endpoints (console actions, reset) and moto's (``/moto-api/``: its
    dashboard shows every secret) answer only requests signed with the root credentials."""
    signed = signing.read_signed(environ)
    root = root_credentials()
    if signed is not None and signed.access_key_id == root.access_key_id:
        try:
            signing.verify(environ, _read_body(environ), signed, root.secret_access_key)
            return None
        except AwsError:
            pass
    message = "The sandbox's own endpoints take only requests signed with its root credentials."
    return json_response(
        {"error": {"code": "AccessDenied", "message": message}, "status": 403}, 403
    )


def authenticate(environ: dict, body: bytes, signature: Signature) -> Caller:
    """Who signed the request, once its signature is checked against that key's secret."""
    signed = signing.read_signed(environ)
    if signed is not None:
        secret = secret_for(signed.access_key_id)
        if secret is not None:  # an unknown key: resolve_caller refuses it as AWS does
            signing.verify(environ, body, signed, secret)
    return resolve_caller(signature)


@functools.lru_cache(maxsize=256)
def protocol_of(service: str | None) -> str:
    """botocore's wire protocol of a service ("rest-xml", "json", ...), "json" when unknown."""
    try:
        return _botocore().get_service_model(service or "").metadata["protocol"]
    except Exception:
        return "json"


@functools.cache
def _botocore() -> botocore.session.Session:
    return botocore.session.get_session()


def internal_failure(service: str) -> AwsError:
    """AWS's answer to a failure on its side: IAM's ``ServiceFailure``, else ``InternalFailure``."""
    return AwsError("ServiceFailure" if service == "iam" else "InternalFailure", UNKNOWN_FAILURE)


def not_modelled(service: str, action: str) -> AwsError:
    """An operation neither moto nor the layer answers."""
    return AwsError(
        "NotImplemented",
        f"The sandbox does not model {service.upper()} {action} (docs/sandbox.md lists the "
        "operations it does not model); on AWS this call would be answered.",
    )


def _recorded(call: Call, environ: dict, response: Response) -> Response:
    """A successful answer is remembered for IAM's service last accessed data."""
    if response.ok:
        last_accessed.record(call.caller, call.service, call.action, _signed_region(environ))
    return response


def _signed_region(environ: dict) -> str:
    signed = signing.read_signed(environ)
    return signed.region if signed is not None else ""


def _is_html(response: Response) -> bool:
    return any(
        name.lower() == "content-type" and value.startswith("text/html")
        for name, value in response.headers
    )


def _read_body(environ: dict) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"
