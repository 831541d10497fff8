"""What the layer relies on in moto, checked so that a moto upgrade fails loudly here.

Every function of ``layer/moto_state.py`` runs against a real (in-process) moto IAM backend, and
every moto attribute the layer reads is checked for its type. The server's moto is the same
package; nothing here talks to the sandbox server.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import moto
import pytest

from helpers.sandbox.constants import ACCOUNT_ID, REGION
from helpers.sandbox.layer import account, moto_state, principals

POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
)


def test_moto_is_5_2() -> None:
    """The floor pinned in pyproject.toml (>=5.2.5,<5.3): older 5.2 releases lack what the
    layer reads from moto's models."""
    version = tuple(int(part) for part in moto.__version__.split(".")[:3])
    assert (5, 2, 5) <= version < (5, 3, 0), (
        f"moto {moto.__version__}: the layer was written against moto 5.2.5; check every rule "
        "(tests/sandbox) and this file before upgrading"
    )


@pytest.fixture
def backend() -> Iterator[Any]:
    """moto's IAM backend of the sandbox account, with one of everything the layer reads."""
    iam = moto_state.iam()
    iam.reset()
    iam = moto_state.iam()
    iam.create_user(region_name=REGION, user_name="alice")
    iam.create_user(region_name=REGION, user_name="bob", path="/team/")
    iam.create_group(group_name="Admins")
    iam.add_user_to_group(group_name="Admins", user_name="alice")
    policy = iam.create_policy(
        description="", path="/", policy_document=POLICY, policy_name="S3", tags=[]
    )
    iam.attach_user_policy(policy_arn=policy.arn, user_name="alice")
    iam.put_user_policy(user_name="alice", policy_name="inline", policy_json=POLICY)
    iam.create_virtual_mfa_device(device_name="alice-phone", path="/")
    iam.create_virtual_mfa_device(device_name="spare", path="/")
    serial = f"arn:aws:iam::{ACCOUNT_ID}:mfa/alice-phone"
    iam.enable_mfa_device("alice", serial, "123456", "654321")
    iam.create_access_key(user_name="alice")
    iam.create_login_profile(user_name="alice", password="Correct-Horse-42")
    iam.create_account_alias("contract-lab")
    iam.update_account_password_policy(True, 0, 90, 12, 5, True, True, True, True)
    yield iam
    iam.reset()


def test_backend_collections(backend: Any) -> None:
    assert isinstance(backend.users, dict)
    assert isinstance(backend.groups, dict)
    assert isinstance(backend.roles, dict)
    assert isinstance(backend.managed_policies, dict)
    assert isinstance(backend.virtual_mfa_devices, dict)
    assert isinstance(backend.account_aliases, list)
    assert callable(backend.deactivate_mfa_device)
    assert hasattr(backend, "credential_report")


def test_user_attributes(backend: Any) -> None:
    alice = moto_state.user("alice")
    assert isinstance(alice.name, str) and isinstance(alice.id, str)
    assert alice.path == "/" and moto_state.user("bob").path == "/team/"
    assert alice.arn == f"arn:aws:iam::{ACCOUNT_ID}:user/alice"
    assert isinstance(alice.create_date, dt.datetime)
    assert isinstance(alice.password, str)
    assert alice.password_last_used is None
    assert isinstance(alice.password_reset_required, bool)
    assert isinstance(alice.mfa_devices, dict)
    assert isinstance(alice.access_keys, list)
    assert isinstance(alice.signing_certificates, dict)
    assert isinstance(alice.ssh_public_keys, list)
    assert isinstance(alice.policies, dict)
    assert isinstance(alice.managed_policies, dict)
    key = alice.access_keys[0]
    assert isinstance(key.access_key_id, str) and key.status == "Active"
    assert isinstance(key.create_date, dt.datetime) and key.last_used is None


def test_user_accessors(backend: Any) -> None:
    alice = moto_state.user("alice")
    assert moto_state.user("nobody") is None
    assert {u.name for u in moto_state.users()} == {"alice", "bob"}
    assert moto_state.user_named_like("ALICE") is alice
    assert moto_state.user_name(alice) == "alice"
    key_id = alice.access_keys[0].access_key_id
    owner = moto_state.user_by_access_key(key_id)
    assert owner is not None and owner[0] is alice and owner[1].access_key_id == key_id
    assert moto_state.user_by_access_key("AKIANOSUCHKEY0000000") is None


def test_group_and_policy_accessors(backend: Any) -> None:
    group = moto_state.group("Admins")
    assert group is not None and moto_state.group("nobody") is None
    assert isinstance(group.name, str) and isinstance(group.users, list)
    assert isinstance(group.policies, dict) and isinstance(group.managed_policies, dict)
    assert [g.name for g in moto_state.groups()] == ["Admins"]
    assert moto_state.group_named_like("admins") is group
    assert [g.name for g in moto_state.groups_of("alice")] == ["Admins"]
    arn = f"arn:aws:iam::{ACCOUNT_ID}:policy/S3"
    policy = moto_state.managed_policy(arn)
    assert policy is not None and policy.arn == arn
    assert any(v.is_default and isinstance(v.document, str) for v in policy.versions)
    assert moto_state.is_aws_managed_policy("arn:aws:iam::aws:policy/AdministratorAccess")
    assert [e.name for e in moto_state.entities_with_policy(arn)] == ["alice"]
    documents = moto_state.policy_documents_of_user("alice")
    assert len(documents) == 2 and all("s3:*" in d for d in documents)
    assert moto_state.policy_documents_of_user("nobody") == []
    role = backend.create_role("r", "{}", "/", None, "", [], None)
    assert isinstance(role.managed_policies, dict)


def test_principal_policy_accessors(backend: Any) -> None:
    trust = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
         "Principal": {"AWS": ACCOUNT_ID}}]}
    )  # fmt: skip
    boundary = f"arn:aws:iam::{ACCOUNT_ID}:policy/S3"
    made = backend.create_role("Ops", trust, "/", boundary, "", [], None)
    backend.put_role_policy("Ops", "inline", POLICY)
    role = moto_state.role("Ops")
    assert role is made and moto_state.role("nobody") is None
    assert isinstance(role.name, str) and isinstance(role.policies, dict)
    assert role.permissions_boundary_arn == boundary
    assert json.loads(role.assume_role_policy_document)["Statement"][0]["Principal"]
    policy = moto_state.managed_policy(boundary)
    assert isinstance(policy.name, str) and "s3:*" in moto_state.default_document(policy)
    found = principals.role_policies("Ops")
    assert [p.source for p in found.identity] == ["inline"]
    assert [p.source for p in found.boundary] == ["S3"] and found.trust is not None
    alice = principals.user_policies("alice")
    assert sorted(p.source for p in alice.identity) == ["S3", "inline"]
    assert alice.boundary is None and principals.user_policies("nobody") is None


def test_mfa_device_accessors(backend: Any) -> None:
    alice = moto_state.user("alice")
    serial = f"arn:aws:iam::{ACCOUNT_ID}:mfa/alice-phone"
    device = moto_state.virtual_mfa_device(serial)
    assert device is not None and moto_state.virtual_mfa_device("nope") is None
    assert len(moto_state.virtual_mfa_devices()) == 2
    assert moto_state.device_serial(device) == serial
    seed = moto_state.device_seed(device)
    assert isinstance(seed, str) and len(seed) == 64
    assert isinstance(device.qr_code_png, bytes)
    assert isinstance(device.enable_date, dt.datetime)
    assert moto_state.device_user(device) is alice
    assert moto_state.user_mfa_serials(alice) == [serial]
    ((listed, enabled),) = moto_state.user_mfa_enable_dates(alice)
    assert listed == serial and isinstance(enabled, dt.datetime)
    moto_state.set_device_qr(device, b"png")
    assert device.qr_code_png == b"png"
    moto_state.deactivate_mfa_device("alice", serial)
    assert moto_state.user_mfa_serials(alice) == []
    assert moto_state.device_user(device) is None and device.enable_date is None


def test_password_accessors(backend: Any) -> None:
    alice, bob = moto_state.user("alice"), moto_state.user("bob")
    assert moto_state.user_password(alice) == "Correct-Horse-42"
    assert moto_state.user_password(bob) is None
    moto_state.set_user_password(alice, "Another-Horse-43")
    assert moto_state.user_password(alice) == "Another-Horse-43"
    assert moto_state.password_reset_required(alice) is False
    moto_state.set_password_reset_required(alice, True)
    assert moto_state.password_reset_required(alice) is True
    moto_state.mark_password_used(alice)
    assert isinstance(alice.password_last_used, dt.datetime)
    assert isinstance(moto_state.now(), dt.datetime)


def test_password_policy_attributes(backend: Any) -> None:
    policy = moto_state.password_policy()
    assert policy.minimum_password_length == 12
    assert policy.max_password_age == 90 and moto_state.max_password_age() == 90
    assert policy.password_reuse_prevention == 5
    assert policy.hard_expiry == 0
    assert policy.allow_users_to_change_password is True
    for flag in ("uppercase_characters", "lowercase_characters", "numbers", "symbols"):
        assert getattr(policy, f"require_{flag}") is True


def test_account_accessors(backend: Any) -> None:
    assert moto_state.account_aliases() == ["contract-lab"]
    assert moto_state.account_alias() == "contract-lab"
    assert moto_state.credential_report_generated() is False
    backend.generate_report()
    assert moto_state.credential_report_generated() is True


def test_credential_facts(backend: Any) -> None:
    backend.upload_signing_certificate("alice", _certificate())
    facts = moto_state.credential_facts(moto_state.user("alice"))
    assert facts["name"] == "alice" and facts["password"] is True and facts["mfa"] is True
    assert isinstance(facts["created"], dt.datetime)
    (key,) = facts["access_keys"]
    assert key["active"] is True and key["last_used"] is None
    assert facts["certificates"] == [True]


def test_credential_report_columns_match_moto(backend: Any) -> None:
    backend.generate_report()
    header = backend.get_credential_report().splitlines()[0]
    assert tuple(header.split(",")) == account.REPORT_COLUMNS


def test_account_summary_keys(backend: Any) -> None:
    summary = backend.get_account_summary().summary_map
    for key in ("AccountMFAEnabled", "AccountAccessKeysPresent", "MFADevices", "MFADevicesInUse"):
        assert isinstance(summary[key], int)


def test_moto_still_needs_the_layer(backend: Any) -> None:
    """The gaps the layer fills are still there (if moto closes one, the rule may go)."""
    alice = moto_state.user("alice")
    device = moto_state.virtual_mfa_device(f"arn:aws:iam::{ACCOUNT_ID}:mfa/spare")
    assert len(device.qr_code_png) == 64 and not device.qr_code_png.startswith(b"\x89PNG")
    backend.enable_mfa_device("alice", "arn:aws:iam::123456789012:mfa/phantom", "x", "y")
    assert "arn:aws:iam::123456789012:mfa/phantom" in moto_state.user_mfa_serials(alice)
    assert backend.get_account_summary().summary_map["AccountMFAEnabled"] == 0
    assert not hasattr(backend, "resync_mfa_device")


def _certificate() -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "contract")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(private, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def test_last_accessed_reads(backend: Any) -> None:
    """layer/last_accessed.py: a group's members, users' and roles' ids and paths, and a role
    told from a user among a policy's holders (roles have no ``users``, groups do)."""
    from helpers.sandbox.layer import last_accessed

    role = backend.create_role("Auditor", "{}", "/ops/", None, "", [], None)
    assert isinstance(role.id, str) and role.path == "/ops/" and role.arn.endswith("/ops/Auditor")
    assert not hasattr(role, "users") and not hasattr(moto_state.user("alice"), "users")
    assert [u.name for u in moto_state.group("Admins").users] == ["alice"]
    bob = last_accessed.entity_info("bob")
    assert bob["Path"] == "/team/" and bob["Id"] == moto_state.user("bob").id
    assert last_accessed.entity_info(role.arn)["Id"] == role.id
    arn = f"arn:aws:iam::{ACCOUNT_ID}:policy/S3"
    backend.attach_group_policy(policy_arn=arn, group_name="Admins")
    backend.attach_role_policy(policy_arn=arn, role_name="Auditor")
    entities, _ = last_accessed.entities_and_policies(arn)
    assert entities == sorted({"alice", role.arn})
