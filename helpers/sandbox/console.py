"""The sandbox's console actions, from Python: what only the AWS console can do.

On AWS, the root user's MFA is turned on in the console, never through the API, and people
sign in to the console with a password (and an MFA code). The sandbox offers those steps as
HTTP actions at ``/_sandbox/console/<action>``; this module calls them. Refusals raise
botocore's ``ClientError`` with AWS's error code, exactly like a refused API call.
"""

from __future__ import annotations

import base64

from botocore.exceptions import ClientError

from helpers.sandbox.constants import CONSOLE_PREFIX
from helpers.sandbox.control import post
from helpers.sandbox.credentials import RootCredentials


class SandboxConsole:
    """The sandbox account's console, at ``endpoint``."""

    def __init__(self, endpoint: str, credentials: RootCredentials | None = None) -> None:
        """``credentials``: the sandbox's root credentials (default: the learner's sandbox's);
        the console takes only requests signed with them."""
        self.endpoint = endpoint
        self.credentials = credentials

    def _act(self, action: str, **payload: object) -> dict:
        answer = post(self.endpoint, CONSOLE_PREFIX + action, payload, credentials=self.credentials)
        error = answer.get("error")
        if error:
            raise ClientError(
                {
                    "Error": {"Code": error["code"], "Message": error["message"]},
                    "ResponseMetadata": {"HTTPStatusCode": answer.get("status", 400)},
                },
                f"Console:{action}",
            )
        return answer

    def start_root_mfa(self, device_name: str = "root-account-mfa-device") -> dict:
        """Begin "Assign MFA device" for root: a new virtual device, shaped like
        ``create_virtual_mfa_device``'s answer (``SerialNumber``, ``QRCodePNG`` and
        ``Base32StringSeed`` as bytes)."""
        device = self._act("start-root-mfa", DeviceName=device_name)["VirtualMFADevice"]
        device["QRCodePNG"] = base64.b64decode(device["QRCodePNG"])
        device["Base32StringSeed"] = device["Base32StringSeed"].encode()
        return device

    def enable_root_mfa(self, serial_number: str, code1: str, code2: str) -> dict:
        """Finish it with two consecutive codes from the authenticator."""
        return self._act(
            "enable-root-mfa",
            SerialNumber=serial_number,
            AuthenticationCode1=code1,
            AuthenticationCode2=code2,
        )

    def cancel_root_mfa(self) -> dict:
        """Cancel "Assign MFA device": the device that waits for codes is dropped."""
        return self._act("cancel-root-mfa")

    def deactivate_root_mfa(self, serial_number: str | None = None) -> dict:
        """Remove one of the root user's MFA devices, or all of them when ``serial_number`` is
        None (to practise, or to undo)."""
        return self._act("deactivate-root-mfa", SerialNumber=serial_number)

    def create_root_access_key(self) -> dict:
        """What the article warns against: an access key for the root user."""
        return self._act("create-root-access-key")["AccessKey"]

    def delete_root_access_key(self, access_key_id: str) -> dict:
        return self._act("delete-root-access-key", AccessKeyId=access_key_id)

    def explain(self, request_id: str | None = None) -> dict:
        """Why the sandbox refused the request ``request_id`` (the newest refusal when None):
        the policies and statements that decided it, and a plain summary."""
        return self._act("explain", request_id=request_id)

    def root_status(self) -> dict:
        """The root user's MFA device and access keys, as the console's security page shows."""
        return self._act("root-status")

    def sign_in(
        self,
        account: str,
        user_name: str,
        password: str,
        mfa_code: str | None = None,
        new_password: str | None = None,
    ) -> dict:
        """Sign in as an IAM user through the sign-in page (account id or alias)."""
        return self._act(
            "sign-in",
            Account=account,
            UserName=user_name,
            Password=password,
            MFACode=mfa_code,
            NewPassword=new_password,
        )
