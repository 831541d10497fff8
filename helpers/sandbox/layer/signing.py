"""Request signatures: the sandbox checks every signed request's signature, as AWS does.

AWS (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html,
https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): the signature is
an HMAC of the request made with the secret of the access key named in the ``Authorization``
header, or in a presigned URL's query. A request whose signature does not match that secret
fails with ``SignatureDoesNotMatch`` (403); a presigned URL past its expiry is refused. The
expected signature is computed with botocore's own signers, the ones the clients use, from the
request exactly as received: SigV4 for every service, and HMAC-SHA1 (SigV2) for S3's presigned
URLs, which boto3 still makes by default.

Not checked: the 15-minute clock skew of header signatures and the per-chunk signatures of S3's
streaming uploads (their seed signature, which covers the headers, is checked).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

from botocore.auth import HmacV1Auth, S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

from helpers.sandbox.layer.wire import AwsError

MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details."
)

_HEADER = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+),\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<signature>[0-9a-fA-F]+)"
)
_SPECIAL_ENVIRON = {"content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}


@dataclass(frozen=True)
class SignedRequest:
    access_key_id: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str
    timestamp: str  # X-Amz-Date: 20261202T101500Z
    presigned: bool = False
    expires: int | None = None  # SigV4: seconds after timestamp; SigV2: an epoch time
    version: int = 4


def read_signed(environ: dict) -> SignedRequest | None:
    """The signature parts of a SigV4 request (header or presigned query), or None."""
    header = _HEADER.search(environ.get("HTTP_AUTHORIZATION", ""))
    if header:
        scope = header["credential"].split("/")
        if len(scope) != 5:
            return None
        timestamp = environ.get("HTTP_X_AMZ_DATE") or environ.get("HTTP_DATE", "")
        return SignedRequest(
            scope[0], scope[2], scope[3], tuple(header["signed"].split(";")),
            header["signature"], timestamp,
        )  # fmt: skip
    query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    if "AWSAccessKeyId" in query and "Signature" in query:
        expires = query.get("Expires", "0")
        return SignedRequest(
            query["AWSAccessKeyId"], "us-east-1", "s3", (), query["Signature"], "", True,
            int(expires) if expires.isdigit() else 0, version=2,
        )  # fmt: skip
    if "X-Amz-Signature" not in query:
        return None
    scope = query.get("X-Amz-Credential", "").split("/")
    if len(scope) != 5:
        return None
    return SignedRequest(
        scope[0], scope[2], scope[3], tuple(query.get("X-Amz-SignedHeaders", "host").split(";")),
        query["X-Amz-Signature"], query.get("X-Amz-Date", ""), True,
        int(query.get("X-Amz-Expires", "0") or 0),
    )  # fmt: skip


def _raw_path(environ: dict) -> str:
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return raw.split("?", 1)[0]
    return quote(environ.get("PATH_INFO", "/"), safe="/~")


_SIGNATURE_PARAMS = ("X-Amz-Signature=", "Signature=", "AWSAccessKeyId=", "Expires=")


def _query_without_signature(query: str) -> str:
    return "&".join(p for p in query.split("&") if p and not p.startswith(_SIGNATURE_PARAMS))


class _PresignedV2(HmacV1Auth):
    """botocore's SigV2 (HMAC-SHA1) signer, with the URL's own ``Expires`` as its date."""

    def __init__(self, credentials: Credentials, expires: str) -> None:
        super().__init__(credentials)
        self._expires_at = expires

    def _get_date(self) -> str:
        return self._expires_at


def _expected_v2(environ: dict, signed: SignedRequest, secret: str) -> str:
    split = urlsplit(_raw_path(environ) + "?" + _query_without_signature(
        environ.get("QUERY_STRING", "")
    ))  # fmt: skip
    headers = HTTPHeaders()
    for name in ("content-md5", "content-type"):
        key = _SPECIAL_ENVIRON.get(name) or "HTTP_" + name.upper().replace("-", "_")
        if environ.get(key):
            headers[name] = environ[key]
    signer = _PresignedV2(Credentials(signed.access_key_id, secret), str(signed.expires))
    method = environ.get("REQUEST_METHOD", "GET")
    return signer.sign_string(signer.canonical_string(method, split, headers))


def expected_signature(environ: dict, body: bytes, signed: SignedRequest, secret: str) -> str:
    """The signature botocore's signer makes for this request with ``secret``."""
    query = environ.get("QUERY_STRING", "")
    if signed.presigned:
        query = _query_without_signature(query)
    host = environ.get("HTTP_HOST", "")
    url = f"http://{host}{_raw_path(environ)}" + (f"?{query}" if query else "")
    headers = {}
    for name in signed.signed_headers:
        key = _SPECIAL_ENVIRON.get(name) or "HTTP_" + name.upper().replace("-", "_")
        headers[name] = environ.get(key, "")
    request = AWSRequest(
        method=environ.get("REQUEST_METHOD", "GET"), url=url, headers=headers, data=body
    )
    request.context["timestamp"] = signed.timestamp
    s3 = signed.service == "s3"
    if signed.presigned:
        kind = S3SigV4QueryAuth if s3 else SigV4QueryAuth
    else:
        kind = S3SigV4Auth if s3 else SigV4Auth
    signer = kind(Credentials(signed.access_key_id, secret), signed.service, signed.region)
    canonical = signer.canonical_request(request)
    return signer.signature(signer.string_to_sign(request, canonical), request)


def verify(environ: dict, body: bytes, signed: SignedRequest, secret: str) -> None:
    """``AwsError`` unless the request was signed with ``secret`` (and, if presigned, is
    within its expiry)."""
    if signed.version == 2:
        if not hmac.compare_digest(_expected_v2(environ, signed, secret), signed.signature):
            raise AwsError("SignatureDoesNotMatch", MISMATCH, 403)
        if time.time() > (signed.expires or 0):
            raise AwsError("AccessDenied", "Request has expired", 403)
        return
    wanted = expected_signature(environ, body, signed, secret)
    if not hmac.compare_digest(wanted, signed.signature.lower()):
        raise AwsError("SignatureDoesNotMatch", MISMATCH, 403)
    if signed.presigned and signed.expires is not None:
        try:
            made = dt.datetime.strptime(signed.timestamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            raise AwsError("SignatureDoesNotMatch", MISMATCH, 403) from None
        if dt.datetime.now(dt.UTC) > made + dt.timedelta(seconds=signed.expires):
            raise AwsError("AccessDenied", "Request has expired", 403)
