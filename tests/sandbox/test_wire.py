"""The layer's HTTP status of each error code agrees with botocore's IAM and STS models."""

from __future__ import annotations

import botocore.session
import pytest

from helpers.sandbox.layer.wire import ERROR_STATUS


def _model_statuses() -> dict[str, set[int]]:
    session = botocore.session.get_session()
    statuses: dict[str, set[int]] = {}
    for service in ("iam", "sts"):
        for shape in session.get_service_model(service).error_shapes:
            error = shape.metadata.get("error")
            if error and "httpStatusCode" in error:
                statuses.setdefault(error["code"], set()).add(error["httpStatusCode"])
    return statuses


MODEL = _model_statuses()

# Codes the service models do not define: AWS's common errors and STS's refusals, with the
# status AWS answers them with
# (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).
COMMON = {
    "AccessDenied": 403,
    "ExpiredToken": 403,  # the page's ExpiredTokenException
    "InternalFailure": 500,
    "InvalidClientTokenId": 403,
    "MissingAuthenticationToken": 403,
    "NotImplemented": 501,
    # Not on the common errors page, but what AWS answers a wrong secret with (SigV4 docs:
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html).
    "SignatureDoesNotMatch": 403,
    "ValidationError": 400,
}


@pytest.mark.parametrize("code", sorted(c for c in ERROR_STATUS if c in MODEL))
def test_status_matches_botocore(code: str) -> None:
    assert MODEL[code] == {ERROR_STATUS[code]}


def test_codes_outside_the_models_are_the_common_errors() -> None:
    outside = {code: status for code, status in ERROR_STATUS.items() if code not in MODEL}
    assert outside == COMMON


def test_the_mfa_errors_are_checked_against_the_model() -> None:
    for code in (
        "InvalidAuthenticationCode",
        "EntityAlreadyExists",
        "LimitExceeded",
        "DeleteConflict",
        "NoSuchEntity",
    ):
        assert code in MODEL and code in ERROR_STATUS
