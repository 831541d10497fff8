"""Undo what the tutorial did on a real account, from its journal (``helpers/journal.py``).

    python -m helpers.undo                                   # show the plan (changes nothing)
    python -m helpers.undo --apply --confirm 123456789012    # do it

The plan restores the password policy and the alias the tutorial replaced (or deletes them
when there were none), and deletes what the tutorial created, in the order IAM needs: a
user's access keys, MFA devices (deactivate, then delete), login profile, group memberships
and policies go before the user; a group's members and policies before the group
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_remove.html,
https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_delete.html).

It touches only what the journal says the tutorial made, and only while it still matches (the
access key id recorded, the user still carrying the tutorial's tag). Each step is read from
the account as it is now, so running it again after a partial undo finishes the rest, and
after a full one does nothing. The undo's own writes pass the gate and are journaled too.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError

from helpers import journal
from helpers.guard import TAG, WriteRefused, acting_as, gate_of
from helpers.i18n import _, ngettext
from helpers.masking import mask_access_key_id

# UpdateAccountPasswordPolicy's parameters (GetAccountPasswordPolicy also answers
# ExpirePasswords, which is derived from MaxPasswordAge).
POLICY_FIELDS = (
    "MinimumPasswordLength",
    "RequireSymbols",
    "RequireNumbers",
    "RequireUppercaseCharacters",
    "RequireLowercaseCharacters",
    "AllowUsersToChangePassword",
    "MaxPasswordAge",
    "PasswordReusePrevention",
    "HardExpiry",
)
HOLDERS = ("user", "group", "role")


@dataclass
class UndoStep:
    call: str  # an IAM operation: "DeleteAccessKey"
    params: dict[str, Any]
    why: str

    def __str__(self) -> str:
        return f"{self.call}: {self.why}"


@dataclass
class UndoPlan:
    account_id: str
    steps: list[UndoStep] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the undo does not restore


@dataclass
class UndoResult:
    done: list[UndoStep] = field(default_factory=list)
    failed: list[tuple[UndoStep, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failed


@dataclass
class _Made:
    """What the journal says the tutorial made (in order, without repeats)."""

    users: list[str] = field(default_factory=list)
    keys: list[tuple[str, str]] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)
    assignments: list[tuple[str, str]] = field(default_factory=list)
    login_profiles: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    memberships: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[tuple[str, str, str]] = field(default_factory=list)
    inline: list[tuple[str, str, str]] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    ids: dict[tuple[str, str], str] = field(default_factory=dict)  # ("user", name) -> UserId
    old: dict[str, Any] = field(default_factory=dict)  # the first value replaced, per kind
    others: list[dict[str, Any]] = field(default_factory=list)


def _add(items: list, item: Any) -> None:
    if item is not None and item not in items:
        items.append(item)


def read_made(entries: list[dict[str, Any]]) -> _Made:
    made = _Made()
    for entry in entries:
        if entry.get("by") != "tutorial" or "call" not in entry:
            continue
        for kind, old in entry.get("replaced", {}).items():
            made.old.setdefault(kind, old)
        created = entry.get("created", {})
        if "user" in created:
            _add(made.users, created["user"])
            made.ids[("user", created["user"])] = created.get("user_id")
        if "access_key" in created:
            _add(made.keys, (created["access_key"]["user"], created["access_key"]["id"]))
        if "mfa_device" in created:
            _add(made.devices, created["mfa_device"])
        if "mfa_assignment" in created:
            a = created["mfa_assignment"]
            _add(made.assignments, (a["user"], a["serial"]))
        if "login_profile" in created:
            _add(made.login_profiles, created["login_profile"])
        if "group" in created:
            _add(made.groups, created["group"])
            made.ids[("group", created["group"])] = created.get("group_id")
        if "membership" in created:
            m = created["membership"]
            _add(made.memberships, (m["group"], m["user"]))
        for key, items in (("attachment", made.attachments), ("inline_policy", made.inline)):
            if key in created:
                holder = next(h for h in HOLDERS if h in created[key])
                other = created[key]["policy" if key == "attachment" else "name"]
                _add(items, (holder, created[key][holder], other))
        if "policy" in created:
            _add(made.policies, created["policy"])
        if "role" in created:
            _add(made.roles, created["role"])
        if not created:
            made.others.append(entry)
    return made


def _exists(call: Any, *args: Any, **kwargs: Any) -> Any:
    """``call(...)``'s answer, or None when IAM says there is no such entity."""
    try:
        return call(*args, **kwargs)
    except ClientError as error:
        if error.response["Error"]["Code"] == "NoSuchEntity":
            return None
        raise


def _tagged(tags: list[dict[str, str]]) -> bool:
    return any(t.get("Key") == TAG["Key"] and t.get("Value") == TAG["Value"] for t in tags)


def _not_the_same(iam: Any, made: _Made) -> list[tuple[str, str]]:
    """The users and groups the tutorial made whose name now belongs to another entity (its id
    differs from the one recorded; a user recorded without an id must still carry the
    tutorial's tag)."""
    found = []
    for user in made.users:
        answer = _exists(iam.get_user, UserName=user)
        if answer is None:
            continue
        recorded = made.ids.get(("user", user))
        if recorded:
            same = answer["User"]["UserId"] == recorded
        else:
            same = _tagged(iam.list_user_tags(UserName=user)["Tags"])
        if not same:
            found.append(("user", user))
    for group in made.groups:
        answer = _exists(iam.get_group, GroupName=group)
        recorded = made.ids.get(("group", group))
        if answer and recorded and answer["Group"]["GroupId"] != recorded:
            found.append(("group", group))
    return found


def _not_undone(entry: dict[str, Any], made: _Made) -> str | None:
    """A note for a journaled write the undo does not reverse (none when it concerns only
    what the tutorial made, which goes anyway)."""
    params = entry.get("params", {})
    own = (
        params.get("UserName") in made.users
        or params.get("GroupName") in made.groups
        or params.get("RoleName") in made.roles
        or params.get("PolicyArn") in made.policies
        or params.get("SerialNumber") in made.devices
        or params.get("AccessKeyId") in {key for _user, key in made.keys}
    )
    if own or entry["call"] in ("iam:UpdateAccountPasswordPolicy", "iam:DeleteAccountAlias"):
        return None
    shown = ", ".join(f"{k}={v!r}" for k, v in params.items())
    return _("not undone: {call}({params}) at {time}").format(
        call=entry["call"], params=shown, time=entry["time"]
    )


def plan(aws: Any) -> UndoPlan:
    """What undoing the tutorial's changes on ``aws``'s account takes now (reads only)."""
    gate_of(aws)  # a real account's connection (the sandbox keeps no journal)
    iam = aws.iam
    entries = journal.since_last_undo(journal.read_entries(aws.account_id))
    made = read_made(entries)
    result = UndoPlan(aws.account_id)
    steps = result.steps
    others = _not_the_same(iam, made)  # same name, another entity: left alone
    result.notes += [_not_the_one(kind, name) for kind, name in others]

    for user, key_id in made.keys:
        listed = _exists(iam.list_access_keys, UserName=user)
        if listed and key_id in {k["AccessKeyId"] for k in listed["AccessKeyMetadata"]}:
            shown = mask_access_key_id(key_id)
            steps.append(
                UndoStep("DeleteAccessKey", {"UserName": user, "AccessKeyId": key_id}, shown)
            )
    for user, serial in made.assignments:
        if ("user", user) in others:
            continue
        listed = _exists(iam.list_mfa_devices, UserName=user)
        if listed and serial in {d["SerialNumber"] for d in listed["MFADevices"]}:
            params = {"UserName": user, "SerialNumber": serial}
            why = _("{serial} from {user}").format(serial=serial, user=user)
            steps.append(UndoStep("DeactivateMFADevice", params, why))
    existing = {
        d["SerialNumber"]
        for page in iam.get_paginator("list_virtual_mfa_devices").paginate()
        for d in page["VirtualMFADevices"]
    }
    for serial in made.devices:
        if serial in existing:
            steps.append(UndoStep("DeleteVirtualMFADevice", {"SerialNumber": serial}, serial))
    for user in made.login_profiles:
        if ("user", user) not in others and _exists(iam.get_login_profile, UserName=user):
            steps.append(UndoStep("DeleteLoginProfile", {"UserName": user}, user))
    for group, user in made.memberships:
        if ("group", group) in others or ("user", user) in others:
            continue
        answer = _exists(iam.get_group, GroupName=group)
        if answer and user in {u["UserName"] for u in answer["Users"]}:
            params = {"GroupName": group, "UserName": user}
            why = _("{user} from {group}").format(user=user, group=group)
            steps.append(UndoStep("RemoveUserFromGroup", params, why))
    for holder, name, arn in made.attachments:
        if (holder, name) in others:
            continue
        kind = holder.capitalize()
        listed = _exists(getattr(iam, f"list_attached_{holder}_policies"), **{f"{kind}Name": name})
        if listed and arn in {p["PolicyArn"] for p in listed["AttachedPolicies"]}:
            params = {f"{kind}Name": name, "PolicyArn": arn}
            why = _from_holder(arn, holder, name)
            steps.append(UndoStep(f"Detach{kind}Policy", params, why))
    for holder, name, policy_name in made.inline:
        if (holder, name) in others:
            continue
        kind = holder.capitalize()
        listed = _exists(getattr(iam, f"list_{holder}_policies"), **{f"{kind}Name": name})
        if listed and policy_name in listed["PolicyNames"]:
            params = {f"{kind}Name": name, "PolicyName": policy_name}
            why = _("{policy} of {name}").format(policy=policy_name, name=name)
            steps.append(UndoStep(f"Delete{kind}Policy", params, why))
    for user in made.users:
        if _exists(iam.get_user, UserName=user) and ("user", user) not in others:
            steps.append(UndoStep("DeleteUser", {"UserName": user}, user))
    for role in made.roles:
        tags = _exists(iam.list_role_tags, RoleName=role)
        if tags is not None and _tagged(tags["Tags"]):
            steps.append(UndoStep("DeleteRole", {"RoleName": role}, role))
    for group in made.groups:
        if _exists(iam.get_group, GroupName=group) and ("group", group) not in others:
            steps.append(UndoStep("DeleteGroup", {"GroupName": group}, group))
    for arn in made.policies:
        versions = _exists(iam.list_policy_versions, PolicyArn=arn)
        if versions is None:
            continue
        for version in versions["Versions"]:
            if not version["IsDefaultVersion"]:
                params = {"PolicyArn": arn, "VersionId": version["VersionId"]}
                steps.append(
                    UndoStep("DeletePolicyVersion", params, f"{arn} {params['VersionId']}")
                )
        steps.append(UndoStep("DeletePolicy", {"PolicyArn": arn}, arn))

    steps += _restore_password_policy(iam, made)
    steps += _restore_alias(iam, made)
    result.notes += [note for e in made.others if (note := _not_undone(e, made))]
    return result


def _not_the_one(kind: str, name: str) -> str:
    if kind == "user":
        return _("user {name} is not the one the tutorial made: left alone").format(name=name)
    return _("group {name} is not the one the tutorial made: left alone").format(name=name)


def _from_holder(arn: str, holder: str, name: str) -> str:
    """``ARN from user alice`` (a policy to detach, and from whom)."""
    if holder == "user":
        return _("{arn} from user {name}").format(arn=arn, name=name)
    if holder == "group":
        return _("{arn} from group {name}").format(arn=arn, name=name)
    return _("{arn} from role {name}").format(arn=arn, name=name)


def _restore_password_policy(iam: Any, made: _Made) -> list[UndoStep]:
    if "password_policy" not in made.old:
        return []
    old = made.old["password_policy"]
    now = _exists(iam.get_account_password_policy)
    now = now["PasswordPolicy"] if now else None
    if old is None:
        if now is None:
            return []
        return [UndoStep("DeleteAccountPasswordPolicy", {}, _("there was none before"))]
    wanted = {k: old[k] for k in POLICY_FIELDS if k in old}
    if now is not None and {k: now[k] for k in POLICY_FIELDS if k in now} == wanted:
        return []
    return [UndoStep("UpdateAccountPasswordPolicy", wanted, _("back to the policy before"))]


def _restore_alias(iam: Any, made: _Made) -> list[UndoStep]:
    if "alias" not in made.old:
        return []
    old = made.old["alias"]
    aliases = iam.list_account_aliases()["AccountAliases"]
    now = aliases[0] if aliases else None
    if now == old:
        return []
    if old is None:
        return [UndoStep("DeleteAccountAlias", {"AccountAlias": now}, _("there was none before"))]
    return [
        UndoStep("CreateAccountAlias", {"AccountAlias": old}, _("back to {old}").format(old=old))
    ]


def describe(undo_plan: UndoPlan) -> str:
    lines = [_("Undo on account {account}:").format(account=undo_plan.account_id)]
    lines += [f"  {n}. {step}" for n, step in enumerate(undo_plan.steps, 1)] or [
        "  " + _("nothing to undo.")
    ]
    lines += [f"  ({note})" for note in undo_plan.notes]
    return "\n".join(lines)


def apply(aws: Any, undo_plan: UndoPlan) -> UndoResult:
    """Do the plan's steps (the account must be confirmed: the gate checks each write). A step
    whose target is already gone counts as done; when nothing is left to undo afterwards, the
    journal records that the undo is complete (later plans start after that line)."""
    gate = gate_of(aws)
    if undo_plan.account_id != aws.account_id:
        raise ValueError(
            _("This plan is for account {planned}, not {account}.").format(
                planned=undo_plan.account_id, account=aws.account_id
            )
        )
    refusal = gate.why_not("undo") if undo_plan.steps else None
    if refusal:
        raise WriteRefused(refusal)
    result = UndoResult()
    with acting_as(aws, "undo"):
        for step in undo_plan.steps:
            try:
                getattr(aws.iam, xform_name(step.call))(**step.params)
            except ClientError as error:
                if error.response["Error"]["Code"] != "NoSuchEntity":
                    result.failed.append((step, str(error)))
                    continue
            result.done.append(step)
    if result.complete and result.done and not plan(aws).steps:
        journal.append_entry({"account": gate.account_id, "by": "undo", "event": journal.UNDO_DONE})
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.undo",
        description=_("Undo what the tutorial changed on a real AWS account (from its journal)."),
    )
    parser.add_argument("--profile", help=_("the AWS profile to use (default: boto3's usual)"))
    parser.add_argument("--apply", action="store_true", help=_("do it (default: show the plan)"))
    parser.add_argument("--confirm", metavar="ACCOUNT_ID", help=_("the account id, to apply"))
    args = parser.parse_args(argv)
    if args.apply and not args.confirm:
        parser.error(_("--apply needs --confirm ACCOUNT_ID (the account you mean to change)"))

    from helpers.connect import connect

    aws = connect("aws", profile=args.profile, quiet=True, confirm=args.confirm)
    undo_plan = plan(aws)
    print(describe(undo_plan))
    if not args.apply:
        if undo_plan.steps:
            print(
                "\n"
                + _("To do it:")
                + f" python -m helpers.undo --apply --confirm {aws.account_id}"
            )
        return 0
    result = apply(aws, undo_plan)
    for step, why in result.failed:
        print(_("failed: {step} — {why}").format(step=step, why=why), file=sys.stderr)
    done = ngettext("Done: {count} step(s).", "Done: {count} step(s).", len(result.done))
    again = "" if result.complete else " " + _("Run it again.")
    print(done.format(count=len(result.done)) + again)
    return 0 if result.complete else 1


if __name__ == "__main__":
    sys.exit(main())
