"""CIS AWS Foundations Benchmark v5.0, section 1 (IAM), decided the way Prowler decides it.

Each check follows the Prowler check named in its ``prowler`` ids (files under
``prowler/providers/aws/services/iam/<check id>/<check id>.py``; docs/status.md lists them with
the exact conditions). Prowler reports one finding per user, key or policy; here one line per
control: FAIL when any of Prowler's findings would fail, naming who; PASS otherwise. Controls no
IAM read can decide (contact details, EC2, Access Analyzer, federation) are MANUAL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from helpers.i18n import N_, _, ngettext
from helpers.rules.passwords import CIS_MIN_LENGTH, CIS_REUSE, meets_cis_length, meets_cis_reuse
from helpers.status.gather import ROOT_ROW, AccountData
from helpers.status.model import Finding, Status
from helpers.status.policy_docs import allows_full_admin

ROOT_USAGE_DAYS = 1  # Prowler's iam_avoid_root_usage: maximum_access_days
UNUSED_CREDENTIAL_DAYS = 45  # audit_config max_unused_access_keys_days / max_console_access_days
KEY_ROTATION_DAYS = 90  # iam_rotate_access_key_90_days: maximum_expiration_days
CLOUDSHELL_POLICY_NAME = "AWSCloudShellFullAccess"
NO_DATE = {"", "N/A", "no_information", "not_supported"}


@dataclass(frozen=True)
class Control:
    number: str
    title: str
    prowler: tuple[str, ...]
    fix: str | None
    advice: str

    def finding(self, status: Status, reason: str) -> Finding:
        return Finding(
            id=f"cis.{self.number}",
            title=_(self.title),
            status=status,
            reason=reason,
            fix=self.fix,
            advice=_(self.advice).format(length=CIS_MIN_LENGTH, reuse=CIS_REUSE),
            cis=self.number,
            prowler=self.prowler,
        )


def _c(number: str, title: str, prowler: str, fix: str | None, advice: str) -> Control:
    return Control(number, title, tuple(prowler.split()), fix, advice)


CONTROLS = {
    control.number: control
    for control in (
        _c(
            "1.1",
            N_("Maintain current contact details"),
            "account_maintain_current_contact_details",
            None,
            N_(
                "Check the account's contact email and phone in the console's Account page; "
                "point them at a team, not one person."
            ),
        ),
        _c(
            "1.2",
            N_("Ensure security contact information is registered"),
            "account_security_contact_information_is_registered",
            None,
            N_(
                "Register a security alternate contact (console Account page, or "
                "aws account put-alternate-contact --alternate-contact-type SECURITY)."
            ),
        ),
        _c(
            "1.3",
            N_("Ensure no 'root' user account access key exists"),
            "iam_no_root_access_key",
            "02_root_mfa.ipynb",
            N_("Delete the root user's access keys."),
        ),
        _c(
            "1.4",
            N_("Ensure MFA is enabled for the 'root' user account"),
            "iam_root_mfa_enabled",
            "02_root_mfa.ipynb",
            N_("Assign an MFA device to the root user."),
        ),
        _c(
            "1.5",
            N_("Ensure hardware MFA is enabled for the 'root' user account"),
            "iam_root_hardware_mfa_enabled",
            None,
            N_(
                "Give root a hardware MFA device (a FIDO2 security key or a hardware TOTP token); "
                "the tutorial's phone app is a virtual device, which CIS Level 2 does not accept."
            ),
        ),
        _c(
            "1.6",
            N_("Eliminate use of the 'root' user for administrative and daily tasks"),
            "iam_avoid_root_usage",
            "06_sign_in_link.ipynb",
            N_(
                "Sign in as your IAM user for daily work; keep root for the few tasks only root "
                "can do."
            ),
        ),
        _c(
            "1.7",
            N_("Ensure IAM password policy requires minimum length of 14 or greater"),
            "iam_password_policy_minimum_length_14",
            "05_password_policy.ipynb",
            N_("Set the password policy's minimum length to {length} or more."),
        ),
        _c(
            "1.8",
            N_("Ensure IAM password policy prevents password reuse"),
            "iam_password_policy_reuse_24",
            "05_password_policy.ipynb",
            N_("Set the password policy to remember {reuse} passwords."),
        ),
        _c(
            "1.9",
            N_("Ensure MFA is enabled for all IAM users that have a console password"),
            "iam_user_mfa_enabled_console_access",
            "03_iam_user.ipynb",
            N_("Assign an MFA device to every IAM user who has a console password."),
        ),
        _c(
            "1.10",
            N_(
                "Do not create access keys during initial setup for IAM users with a console "
                "password"
            ),
            "iam_user_no_setup_initial_access_key",
            "03_iam_user.ipynb",
            N_(
                "Delete access keys that were never used; create a key only when a script "
                "needs one."
            ),
        ),
        _c(
            "1.11",
            N_("Ensure credentials unused for 45 days or more are disabled"),
            "iam_user_accesskey_unused iam_user_console_access_unused",
            None,
            N_("Deactivate access keys and remove console passwords unused for 45 days or more."),
        ),
        _c(
            "1.12",
            N_("Ensure there is only one active access key for any single IAM user"),
            "iam_user_two_active_access_key",
            "03_iam_user.ipynb",
            N_("Keep one active access key per user; deactivate or delete the other."),
        ),
        _c(
            "1.13",
            N_("Ensure access keys are rotated every 90 days or less"),
            "iam_rotate_access_key_90_days",
            "03_iam_user.ipynb",
            N_("Rotate: create a new key, switch to it, then deactivate and delete the old one."),
        ),
        _c(
            "1.14",
            N_("Ensure IAM users receive permissions only through groups"),
            "iam_policy_attached_only_to_group_or_roles",
            "04_groups.ipynb",
            N_("Detach policies from users and give permissions through groups instead."),
        ),
        _c(
            "1.15",
            N_(
                'Ensure IAM policies that allow full "*:*" administrative privileges are not '
                "attached"
            ),
            "iam_aws_attached_policy_no_administrative_privileges "
            "iam_customer_attached_policy_no_administrative_privileges",
            "04_groups.ipynb",
            N_(
                "Give groups narrower policies (such as PowerUserAccess): the check fails wherever "
                "a *:* policy is attached, however few people hold it."
            ),
        ),
        _c(
            "1.16",
            N_("Ensure a support role has been created to manage incidents with AWS Support"),
            "iam_support_role_created",
            None,
            N_("Create a role your team can assume and attach AWSSupportAccess to it."),
        ),
        _c(
            "1.17",
            N_("Ensure IAM instance roles are used for AWS resource access from instances"),
            "ec2_instance_profile_attached",
            None,
            N_("Check with the EC2 API that instances use instance profiles, not stored keys."),
        ),
        _c(
            "1.18",
            N_("Ensure that all expired SSL/TLS certificates stored in AWS IAM are removed"),
            "iam_no_expired_server_certificates_stored",
            None,
            N_("Delete expired server certificates (aws iam delete-server-certificate)."),
        ),
        _c(
            "1.19",
            N_("Ensure that IAM External Access Analyzer is enabled for all regions"),
            "accessanalyzer_enabled",
            None,
            N_("Create an IAM Access Analyzer in every region you use."),
        ),
        _c(
            "1.20",
            N_(
                "Ensure IAM users are managed centrally via identity federation or AWS "
                "Organizations for multi-account environments"
            ),
            "iam_check_saml_providers_sts",
            None,
            N_("With several accounts, manage people centrally (IAM Identity Center)."),
        ),
        _c(
            "1.21",
            N_("Ensure access to AWSCloudShellFullAccess is restricted"),
            "iam_policy_cloudshell_admin_not_attached",
            None,
            N_("Detach AWSCloudShellFullAccess from users, groups and roles."),
        ),
    )
}


def parse_date(value: Any) -> datetime | None:
    """A credential-report or API date as an aware UTC datetime; None for N/A and the like."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or value in NO_DATE:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _days_since(value: Any, now: datetime) -> int | None:
    when = parse_date(value)
    return None if when is None else (now - when).days


def _who(row: dict[str, str]) -> str:
    return "root" if row.get("user") == ROOT_ROW else row.get("user", "?")


def _names(items: list[str], limit: int = 4) -> str:
    shown = ", ".join(items[:limit])
    more = _(" and {count} more").format(count=len(items) - limit)
    return shown + (more if len(items) > limit else "")


def _no_report(control: Control, data: AccountData) -> Finding:
    error = data.errors.get("the credential report", _("no answer"))
    return control.finding(
        "MANUAL", _("Could not read the credential report ({error}).").format(error=error)
    )


# ----- root (1.3 - 1.6) -----


def check_root_access_key(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.3"]
    row = data.root_row
    if row is not None:
        if row["access_key_1_active"] == "false" and row["access_key_2_active"] == "false":
            return control.finding("PASS", _("The root user has no active access keys."))
        both = row["access_key_1_active"] == "true" and row["access_key_2_active"] == "true"
        reason = (
            _("The root user has two active access keys.")
            if both
            else _("The root user has an active access key.")
        )
        return control.finding("FAIL", reason)
    if data.summary is not None:  # CIS's own CLI audit: AccountAccessKeysPresent
        if data.summary.get("AccountAccessKeysPresent", 0):
            return control.finding("FAIL", _("The root user has an access key."))
        return control.finding("PASS", _("The root user has no access keys."))
    return control.finding("MANUAL", _("Could not read the credential report or account summary."))


def check_root_mfa(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.4"]
    row = data.root_row
    if row is not None:
        if row["mfa_active"] == "false":
            return control.finding("FAIL", _("MFA is not enabled for the root user."))
        return control.finding("PASS", _("MFA is enabled for the root user."))
    if data.summary is not None:  # CIS's own CLI audit: AccountMFAEnabled
        if data.summary.get("AccountMFAEnabled", 0) == 1:
            return control.finding("PASS", _("MFA is enabled for the root user."))
        return control.finding("FAIL", _("MFA is not enabled for the root user."))
    return control.finding("MANUAL", _("Could not read the credential report or account summary."))


def check_root_hardware_mfa(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.5"]
    if data.summary is None:
        return control.finding("MANUAL", _("Could not read the account summary."))
    if data.summary.get("AccountMFAEnabled", 0) <= 0:
        return control.finding("FAIL", _("MFA is not enabled for the root user."))
    if data.virtual_mfa_devices is None:
        return control.finding("MANUAL", _("Could not list the virtual MFA devices."))
    for device in data.virtual_mfa_devices:
        if "root" in device.get("User", {}).get("Arn", ""):
            return control.finding(
                "FAIL", _("The root user's MFA is a virtual device, not a hardware one.")
            )
    return control.finding(
        "PASS", _("The root user has MFA and no virtual device, so a hardware one.")
    )


def check_root_usage(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.6"]
    if data.credential_report is None:
        return _no_report(control, data)
    row = data.root_row
    if row is None:
        return control.finding(
            "MANUAL", _("The credential report has no <root_account> row to tell root's last use.")
        )
    # Prowler takes the first of these that has a date, in this order.
    for column in (
        "password_last_used",
        "access_key_1_last_used_date",
        "access_key_2_last_used_date",
    ):
        days = _days_since(row.get(column), now)
        if days is not None:
            if days <= ROOT_USAGE_DAYS:
                reason = (
                    _("The root user was last used today.")
                    if days == 0
                    else ngettext(
                        "The root user was last used {days} day ago.",
                        "The root user was last used {days} days ago.",
                        days,
                    ).format(days=days)
                )
                return control.finding("FAIL", reason)
            return control.finding(
                "PASS",
                _("The root user was not used in the last {days} day(s).").format(
                    days=ROOT_USAGE_DAYS
                ),
            )
    return control.finding("PASS", _("The credential report shows no use of the root user."))


# ----- password policy (1.7, 1.8) -----


def check_password_length(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.7"]
    if not data.password_policy_read:
        return control.finding("MANUAL", _("Could not read the password policy."))
    if data.password_policy is None:
        return control.finding("FAIL", _("The account has no password policy (AWS's default: 8)."))
    length = data.password_policy.get("MinimumPasswordLength") or 0
    if meets_cis_length(data.password_policy):
        return control.finding(
            "PASS", _("Passwords need at least {length} characters.").format(length=length)
        )
    return control.finding(
        "FAIL",
        _("Passwords need only {length} characters; CIS asks for {cis}.").format(
            length=length, cis=CIS_MIN_LENGTH
        ),
    )


def check_password_reuse(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.8"]
    if not data.password_policy_read:
        return control.finding("MANUAL", _("Could not read the password policy."))
    if data.password_policy is None:
        return control.finding("FAIL", _("The account has no password policy, so no reuse check."))
    reuse = data.password_policy.get("PasswordReusePrevention")
    if meets_cis_reuse(data.password_policy):
        return control.finding(
            "PASS", _("The last {reuse} passwords cannot be reused.").format(reuse=reuse)
        )
    remembered = _("only the last {reuse}").format(reuse=reuse) if reuse else _("no")
    return control.finding(
        "FAIL",
        _("The policy remembers {remembered} passwords; CIS asks for {cis}.").format(
            remembered=remembered, cis=CIS_REUSE
        ),
    )


# ----- users' credentials, from the credential report (1.9 - 1.13) -----


def check_user_mfa(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.9"]
    if data.credential_report is None:
        return _no_report(control, data)
    failing = [
        _who(row)
        for row in data.credential_report
        # all users but root, as Prowler's check (root's MFA is 1.4)
        if row.get("user") != ROOT_ROW
        and row.get("password_enabled") == "true"
        and row.get("mfa_active") == "false"
    ]
    if failing:
        return control.finding(
            "FAIL", _("Console password without MFA: {names}.").format(names=_names(failing))
        )
    return control.finding("PASS", _("Every user with a console password has MFA."))


def _active_unused_keys(row: dict[str, str]) -> list[int]:
    return [
        slot
        for slot in (1, 2)
        if row.get(f"access_key_{slot}_active") == "true"
        and row.get(f"access_key_{slot}_last_used_date") == "N/A"
    ]


def check_initial_access_keys(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.10"]
    if data.credential_report is None:
        return _no_report(control, data)
    failing = [
        _who(row)
        for row in data.credential_report
        if row.get("password_enabled") == "true" and _active_unused_keys(row)
    ]
    if failing:
        return control.finding(
            "FAIL",
            _("Console password and an active access key never used: {names}.").format(
                names=_names(failing)
            ),
        )
    return control.finding(
        "PASS", _("No user with a console password has an active, never used access key.")
    )


def check_unused_credentials(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.11"]
    if data.credential_report is None:
        return _no_report(control, data)
    stale_keys = []
    for row in data.credential_report:  # iam_user_accesskey_unused (root row included)
        for slot in (1, 2):
            days = _days_since(row.get(f"access_key_{slot}_last_used_date"), now)
            active = row.get(f"access_key_{slot}_active") == "true"
            if active and days is not None and days > UNUSED_CREDENTIAL_DAYS:
                stale_keys.append(
                    _("{who} key {slot} ({days} days)").format(who=_who(row), slot=slot, days=days)
                )
    console = {row.get("user"): row.get("password_enabled") for row in data.credential_report}
    stale_passwords = []
    for user in data.users or []:  # iam_user_console_access_unused
        days = _days_since(user.password_last_used, now)
        has_console = console.get(user.name, "true") == "true"
        if has_console and days is not None and days > UNUSED_CREDENTIAL_DAYS:
            stale_passwords.append(_("{who} ({days} days)").format(who=user.name, days=days))
    problems = []
    if stale_keys:
        problems.append(
            _("access keys unused for over {days} days: {names}").format(
                days=UNUSED_CREDENTIAL_DAYS, names=_names(stale_keys)
            )
        )
    if stale_passwords:
        problems.append(
            _("console passwords unused for over {days} days: {names}").format(
                days=UNUSED_CREDENTIAL_DAYS, names=_names(stale_passwords)
            )
        )
    if problems:
        text = "; ".join(problems)
        return control.finding("FAIL", text[0].upper() + text[1:] + ".")
    return control.finding(
        "PASS",
        _("No active credential has gone unused for over {days} days.").format(
            days=UNUSED_CREDENTIAL_DAYS
        ),
    )


def check_two_active_keys(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.12"]
    if data.credential_report is None:
        return _no_report(control, data)
    failing = [
        _who(row)
        for row in data.credential_report
        if row.get("access_key_1_active") == "true" and row.get("access_key_2_active") == "true"
    ]
    if failing:
        return control.finding(
            "FAIL", _("Two active access keys: {names}.").format(names=_names(failing))
        )
    return control.finding("PASS", _("No user has two active access keys."))


def check_key_rotation(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.13"]
    if data.credential_report is None:
        return _no_report(control, data)
    old = []
    for row in data.credential_report:
        for slot in (1, 2):
            days = _days_since(row.get(f"access_key_{slot}_last_rotated"), now)
            active = row.get(f"access_key_{slot}_active") == "true"
            if active and days is not None and days > KEY_ROTATION_DAYS:
                old.append(
                    _("{who} key {slot} ({days} days)").format(who=_who(row), slot=slot, days=days)
                )
    if old:
        return control.finding(
            "FAIL",
            _("Active keys older than {days} days: {names}.").format(
                days=KEY_ROTATION_DAYS, names=_names(old)
            ),
        )
    return control.finding(
        "PASS", _("No active access key is older than {days} days.").format(days=KEY_ROTATION_DAYS)
    )


# ----- policies (1.14 - 1.16, 1.18, 1.21) -----


def check_permissions_through_groups(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.14"]
    if data.users is None:
        return control.finding("MANUAL", _("Could not read the IAM users and their policies."))
    direct = [
        f"{user.name} ({', '.join(user.attached_policies + user.inline_policies)})"
        for user in data.users
        if user.attached_policies or user.inline_policies
    ]
    if direct:
        return control.finding(
            "FAIL", _("Policies attached directly to users: {names}.").format(names=_names(direct))
        )
    return control.finding("PASS", _("No IAM user has a policy of its own."))


def _holders(data: AccountData, policy_name: str) -> list[str]:
    holders = [
        _("user {name}").format(name=u.name)
        for u in data.users or []
        if policy_name in u.attached_policies
    ]
    holders += [
        _("group {name}").format(name=g.name)
        for g in data.groups or []
        if policy_name in g.attached_policies
    ]
    return holders


def check_admin_policies(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.15"]
    if data.attached_policies is None:
        return control.finding("MANUAL", _("Could not read the attached policies."))
    admin = []
    for policy in data.attached_policies:
        if policy.attachment_count > 0 and allows_full_admin(policy.document):
            kind = _("AWS managed") if policy.aws_managed else _("customer managed")
            holders = _holders(data, policy.name)
            to_whom = _(" to {names}").format(names=_names(holders)) if holders else ""
            admin.append(f"{policy.name} ({kind}){to_whom}")
    if admin:
        return control.finding(
            "FAIL",
            _("Attached policies that allow *:*: {policies}.").format(policies="; ".join(admin)),
        )
    return control.finding("PASS", _("No attached managed policy allows *:*."))


def check_support_role(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.16"]
    if data.support_roles is None:
        return control.finding("MANUAL", _("Could not read which roles have AWSSupportAccess."))
    if data.support_roles:
        return control.finding(
            "PASS",
            _("AWSSupportAccess is attached to role {role}.").format(role=data.support_roles[0]),
        )
    return control.finding("FAIL", _("AWSSupportAccess is not attached to any role."))


def check_expired_certificates(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.18"]
    if data.server_certificates is None:
        return control.finding("MANUAL", _("Could not list the server certificates."))
    expired = []
    for certificate in data.server_certificates:
        expiration = parse_date(certificate.get("Expiration"))
        if expiration is not None and (now - expiration).days >= 0:
            expired.append(certificate.get("ServerCertificateName", "?"))
    if expired:
        return control.finding(
            "FAIL", _("Expired server certificates: {names}.").format(names=_names(expired))
        )
    if not data.server_certificates:
        return control.finding("PASS", _("IAM stores no server certificates."))
    return control.finding("PASS", _("No stored server certificate has expired."))


def check_cloudshell_access(data: AccountData, now: datetime) -> Finding:
    control = CONTROLS["1.21"]
    if data.attached_policies is None:
        return control.finding("MANUAL", _("Could not read the attached policies."))
    for policy in data.attached_policies:
        if policy.aws_managed and policy.name == CLOUDSHELL_POLICY_NAME:
            holders = _holders(data, policy.name)
            to_whom = _names(holders) if holders else _("a role")
            return control.finding(
                "FAIL", _("AWSCloudShellFullAccess is attached to {whom}.").format(whom=to_whom)
            )
    return control.finding("PASS", _("AWSCloudShellFullAccess is not attached to anyone."))


# ----- what no IAM read decides -----

MANUAL_REASONS = {
    "1.1": N_("Contact details live in the Billing console; no IAM API reads them."),
    "1.2": N_(
        "The security contact is read with the Account API, which this IAM-only check "
        "does not call."
    ),
    "1.17": N_("Needs the EC2 API (instances and their profiles); outside this IAM check."),
    "1.19": N_("Needs the IAM Access Analyzer API in every region; outside this IAM check."),
    "1.20": N_("Depends on how your accounts are organised; no API call can decide it."),
}


def _manual(number: str) -> Callable[[AccountData, datetime], Finding]:
    def check(data: AccountData, now: datetime) -> Finding:
        return CONTROLS[number].finding("MANUAL", _(MANUAL_REASONS[number]))

    return check


CIS_CHECKS: tuple[Callable[[AccountData, datetime], Finding], ...] = (
    _manual("1.1"),
    _manual("1.2"),
    check_root_access_key,
    check_root_mfa,
    check_root_hardware_mfa,
    check_root_usage,
    check_password_length,
    check_password_reuse,
    check_user_mfa,
    check_initial_access_keys,
    check_unused_credentials,
    check_two_active_keys,
    check_key_rotation,
    check_permissions_through_groups,
    check_admin_policies,
    check_support_role,
    _manual("1.17"),
    check_expired_certificates,
    _manual("1.19"),
    _manual("1.20"),
    check_cloudshell_access,
)


def check_cis_section1(data: AccountData, now: datetime | None = None) -> list[Finding]:
    """All 21 controls of CIS v5.0 section 1, in the benchmark's order."""
    now = now or datetime.now(UTC)
    return [check(data, now) for check in CIS_CHECKS]
