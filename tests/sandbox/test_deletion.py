"""Deleting users, groups and policies that something still depends on: AWS's DeleteConflict."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from typing import Any

import pyotp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.conftest import refused

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}],
    }
)
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"

# Where the expected answers come from (see tests/conftest.py): DeleteConflict's first sentence
# ("Cannot delete entity, must ... first.") is AWS's, following these pages; what comes after it
# (what is left, the call that removes it) is the sandbox's own.
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_remove.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteGroup.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html",
)


def conflict(call: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    code, status, message = refused(call, *args, **kwargs)
    assert (code, status) == ("DeleteConflict", 409)
    return message


def test_a_user_with_an_access_key(iam) -> None:
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    message = conflict(iam.delete_user, UserName="alice")
    assert message.startswith("Cannot delete entity, must delete access keys first.")
    iam.delete_access_key(UserName="alice", AccessKeyId=key)
    iam.delete_user(UserName="alice")
    assert iam.list_users()["Users"] == []


def test_a_user_with_a_password(iam) -> None:
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Passw0rd!")
    message = conflict(iam.delete_user, UserName="alice")
    assert message.startswith("Cannot delete entity, must delete login profile first.")
    iam.delete_login_profile(UserName="alice")
    iam.delete_user(UserName="alice")


def test_a_user_in_a_group(iam) -> None:
    iam.create_user(UserName="alice")
    iam.create_group(GroupName="admins")
    iam.add_user_to_group(GroupName="admins", UserName="alice")
    message = conflict(iam.delete_user, UserName="alice")
    assert message.startswith("Cannot delete entity, must remove user from all groups first.")
    assert "admins" in message
    iam.remove_user_from_group(GroupName="admins", UserName="alice")
    iam.delete_user(UserName="alice")


def test_a_user_with_an_attached_policy(iam) -> None:
    iam.create_user(UserName="alice")
    iam.attach_user_policy(UserName="alice", PolicyArn=READ_ONLY)
    message = conflict(iam.delete_user, UserName="alice")
    assert message.startswith("Cannot delete entity, must detach all policies first.")
    assert "ReadOnlyAccess" in message
    iam.detach_user_policy(UserName="alice", PolicyArn=READ_ONLY)
    iam.delete_user(UserName="alice")


def test_a_user_with_an_inline_policy(iam) -> None:
    iam.create_user(UserName="alice")
    iam.put_user_policy(UserName="alice", PolicyName="list-buckets", PolicyDocument=POLICY)
    message = conflict(iam.delete_user, UserName="alice")
    assert message.startswith("Cannot delete entity, must delete policies first.")
    iam.delete_user_policy(UserName="alice", PolicyName="list-buckets")
    iam.delete_user(UserName="alice")


def test_a_user_with_an_mfa_device(iam) -> None:
    iam.create_user(UserName="alice")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    totp = pyotp.TOTP(device["Base32StringSeed"].decode())
    now = time.time()
    iam.enable_mfa_device(
        UserName="alice",
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=totp.at(now - 30),
        AuthenticationCode2=totp.at(now),
    )
    message = conflict(iam.delete_user, UserName="alice")
    assert message.startswith("Cannot delete entity, must delete MFA device first.")
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=device["SerialNumber"])
    iam.delete_user(UserName="alice")


def test_a_user_with_an_ssh_key(iam) -> None:
    iam.create_user(UserName="alice")
    key = iam.upload_ssh_public_key(
        UserName="alice",
        SSHPublicKeyBody=(
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDCPd0wV1i1Fw0ZsYd6j4ZWn0pSaiUlq3Wl1Uf5"
            "Ocb4ZKH2eW6oEoTLXPPfF8t2J9f5Tj2fjVMCn6bg3Xb6JxTtD7Vl5iqXLd4N7mPTX8vd8Ckq6WmM"
            "alice@example"
        ),
    )["SSHPublicKey"]["SSHPublicKeyId"]
    message = conflict(iam.delete_user, UserName="alice")
    assert message.startswith("Cannot delete entity, must delete SSH public keys first.")
    iam.delete_ssh_public_key(UserName="alice", SSHPublicKeyId=key)
    iam.delete_user(UserName="alice")


def self_signed_certificate() -> str:
    """A PEM X.509 certificate, as UploadSigningCertificate takes."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "alice")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def test_a_user_with_a_signing_certificate(iam) -> None:
    iam.create_user(UserName="alice")
    certificate = iam.upload_signing_certificate(
        UserName="alice", CertificateBody=self_signed_certificate()
    )["Certificate"]["CertificateId"]
    assert conflict(iam.delete_user, UserName="alice") == (
        "Cannot delete entity, must delete signing certificates first. "
        "alice still has signing certificates (DeleteSigningCertificate)."
    )
    iam.delete_signing_certificate(UserName="alice", CertificateId=certificate)
    iam.delete_user(UserName="alice")
    assert iam.list_users()["Users"] == []


def test_everything_in_turn_then_the_user_goes(iam) -> None:
    iam.create_user(UserName="alice")
    iam.create_group(GroupName="admins")
    iam.add_user_to_group(GroupName="admins", UserName="alice")
    iam.attach_user_policy(UserName="alice", PolicyArn=READ_ONLY)
    iam.create_login_profile(UserName="alice", Password="Passw0rd!")
    key = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    cleanups = [
        ("login profile", lambda: iam.delete_login_profile(UserName="alice")),
        ("access keys", lambda: iam.delete_access_key(UserName="alice", AccessKeyId=key)),
        (
            "detach all policies",
            lambda: iam.detach_user_policy(UserName="alice", PolicyArn=READ_ONLY),
        ),
        ("groups", lambda: iam.remove_user_from_group(GroupName="admins", UserName="alice")),
    ]
    for what, clean_up in cleanups:
        assert what in conflict(iam.delete_user, UserName="alice")
        clean_up()
    iam.delete_user(UserName="alice")
    assert refused(iam.get_user, UserName="alice") == (
        "NoSuchEntity",
        404,
        "The user with name alice cannot be found.",
    )


def test_deleting_an_unknown_user_is_no_such_entity(iam) -> None:
    assert refused(iam.delete_user, UserName="ghost") == (
        "NoSuchEntity",
        404,
        "The user with name ghost cannot be found.",
    )


# --- groups ----------------------------------------------------------------------------------


def test_a_group_with_members(iam) -> None:
    iam.create_user(UserName="alice")
    iam.create_group(GroupName="admins")
    iam.add_user_to_group(GroupName="admins", UserName="alice")
    message = conflict(iam.delete_group, GroupName="admins")
    assert message.startswith("Cannot delete entity, must remove users from group first.")
    assert "alice" in message
    iam.remove_user_from_group(GroupName="admins", UserName="alice")
    iam.delete_group(GroupName="admins")
    assert iam.list_groups()["Groups"] == []


def test_a_group_with_an_attached_policy(iam) -> None:
    iam.create_group(GroupName="readers")
    iam.attach_group_policy(GroupName="readers", PolicyArn=READ_ONLY)
    message = conflict(iam.delete_group, GroupName="readers")
    assert message.startswith("Cannot delete entity, must detach all policies first.")
    iam.detach_group_policy(GroupName="readers", PolicyArn=READ_ONLY)
    iam.delete_group(GroupName="readers")


def test_a_group_with_an_inline_policy(iam) -> None:
    iam.create_group(GroupName="readers")
    iam.put_group_policy(GroupName="readers", PolicyName="list-buckets", PolicyDocument=POLICY)
    message = conflict(iam.delete_group, GroupName="readers")
    assert message.startswith("Cannot delete entity, must delete policies first.")
    iam.delete_group_policy(GroupName="readers", PolicyName="list-buckets")
    iam.delete_group(GroupName="readers")


# --- customer managed policies ---------------------------------------------------------------


def test_an_attached_policy(iam) -> None:
    arn = iam.create_policy(PolicyName="list-buckets", PolicyDocument=POLICY)["Policy"]["Arn"]
    iam.create_user(UserName="alice")
    iam.attach_user_policy(UserName="alice", PolicyArn=arn)
    message = conflict(iam.delete_policy, PolicyArn=arn)
    assert message.startswith("Cannot delete a policy attached to entities.")
    iam.detach_user_policy(UserName="alice", PolicyArn=arn)
    iam.delete_policy(PolicyArn=arn)
    assert refused(iam.get_policy, PolicyArn=arn) == (
        "NoSuchEntity",
        404,
        f"Policy {arn} not found",  # moto's wording, passed through (not checked against AWS)
    )


def test_a_policy_with_other_versions(iam) -> None:
    arn = iam.create_policy(PolicyName="list-buckets", PolicyDocument=POLICY)["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=POLICY, SetAsDefault=True)
    message = conflict(iam.delete_policy, PolicyArn=arn)
    assert message.startswith("This policy has more than one version.")
    iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    iam.delete_policy(PolicyArn=arn)
