"""Tags on virtual MFA devices (``layer/mfa_tags.py``), through plain boto3.

AWS: TagMFADevice, UntagMFADevice, ListMFADeviceTags and *Tagging IAM resources*
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html): at most 50 tags, a key already
there gets the new value. The wording of the unknown-device and 50-tag refusals is the
sandbox's own; the key-length refusal is AWS's validation message format.
"""

from __future__ import annotations

from tests.conftest import make_client, refused

# Where the expected answers come from (see tests/conftest.py; the docstring says which
# wordings are the sandbox's own).
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagMFADevice.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagMFADevice.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListMFADeviceTags.html",
)


def tags_of(iam, serial: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in iam.list_mfa_device_tags(SerialNumber=serial)["Tags"]}


def new_device(iam, **extra) -> str:
    made = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone", **extra)
    return made["VirtualMFADevice"]["SerialNumber"]


def test_tag_list_and_untag(iam) -> None:
    serial = new_device(iam)
    assert tags_of(iam, serial) == {}
    iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "owner", "Value": "alice"}])
    iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": "owner", "Value": "bob"},
                                                  {"Key": "team", "Value": "ops"}])  # fmt: skip
    assert tags_of(iam, serial) == {"owner": "bob", "team": "ops"}
    iam.untag_mfa_device(SerialNumber=serial, TagKeys=["owner"])
    assert tags_of(iam, serial) == {"team": "ops"}


def test_tags_given_at_creation_and_forgotten_on_deletion(iam) -> None:
    serial = new_device(iam, Tags=[{"Key": "owner", "Value": "alice"}])
    assert tags_of(iam, serial) == {"owner": "alice"}
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    assert refused(iam.list_mfa_device_tags, SerialNumber=serial) == (
        "NoSuchEntity",
        404,
        f"MFA device with serial number {serial} cannot be found.",
    )
    assert tags_of(iam, new_device(iam)) == {}


def test_at_most_fifty_tags(iam) -> None:
    serial = new_device(iam)
    iam.tag_mfa_device(SerialNumber=serial, Tags=[{"Key": f"k{i}", "Value": ""} for i in range(50)])
    assert refused(
        iam.tag_mfa_device, SerialNumber=serial, Tags=[{"Key": "one-more", "Value": "x"}]
    ) == (  # the sandbox's own wording (the 50-tag quota is AWS's: Tagging IAM resources)
        "LimitExceeded",
        409,
        f"A resource can have at most 50 tags; {serial} would have 51.",
    )
    assert len(tags_of(iam, serial)) == 50


def test_a_key_too_long(sandbox, iam) -> None:
    serial = new_device(iam)
    raw = make_client("iam", sandbox.endpoint, validate=False)
    code, status, message = refused(
        raw.tag_mfa_device, SerialNumber=serial, Tags=[{"Key": "k" * 129, "Value": "v"}]
    )
    assert (code, status) == ("ValidationError", 400)
    assert message.startswith("1 validation error detected: Value '" + "k" * 129)
    assert tags_of(iam, serial) == {}
