"""Lesson 07 (wrap-up): why some CIS checks still fail, a Mermaid picture of the account built
from what IAM says, and the clean-up button that empties the sandbox."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers import downloads
from helpers.authenticator import forget_phone
from helpers.forms import style
from helpers.iam import password_policy
from helpers.rules.passwords import summary_parts

if TYPE_CHECKING:
    from helpers.status import Report

ITEMS = (
    "console.root_access_keys",
    "console.root_mfa",
    "console.iam_users",
    "console.groups",
    "console.password_policy",
)

# --- the CIS controls that still fail after the tutorial, and why (docs/status.md) -----------

WHY_STILL_FAILING = {
    "1.5": (
        "Root's MFA is the phone app: a virtual device. This control (CIS Level 2) wants a "
        "hardware device on root.",
        "On a real account, add a FIDO2 security key or a hardware TOTP token to root "
        "(root can have up to 8 MFA devices).",
    ),
    "1.6": (
        "Every notebook talks to IAM as root, the way the article worked in the console, so "
        "root was used today.",
        "Work as your IAM user from now on. On AWS the check passes once root has been left "
        "alone for a day.",
    ),
    "1.10": (
        "alice's access key was made during setup and has never been used.",
        "Lesson 06 uses it; better still, make a key only when a script needs one.",
    ),
    "1.15": (
        "AdministratorAccess allows every action on every resource (*:*); CIS fails it "
        "wherever it is attached, even to a group.",
        "Keep full admin for very few people; give everyone else a narrower policy "
        "(PowerUserAccess, a job-function policy).",
    ),
    "1.16": (
        "No role has the AWSSupportAccess policy.",
        "Create one support role so that incidents can go to AWS Support without full admin.",
    ),
}


def cis_explanation(report: Report) -> str:
    """The CIS summary, then each FAIL with why it fails here and what to do (plain text)."""
    lines = [report.cis_summary()]
    failing = [f for f in report.cis if f.status == "FAIL"]
    if failing:
        lines += ["", "Still failing, and why:"]
    for finding in failing:
        why, what = WHY_STILL_FAILING.get(finding.cis or "", (finding.reason, finding.advice))
        lines.append(f"✗ {finding.cis}  {finding.title}")
        lines.append(_wrap("why:  ", why))
        if what:
            lines.append(_wrap("next: ", what))
    manual = [f.cis for f in report.cis if f.status == "MANUAL"]
    if manual:
        lines += ["", f"To check by hand (no IAM call decides them): {', '.join(map(str, manual))}"]
    return "\n".join(lines)


def _wrap(label: str, text: str, width: int = 88) -> str:
    indent = " " * 6
    return textwrap.fill(
        text,
        width,
        initial_indent=indent + label,
        subsequent_indent=indent + " " * len(label),
        break_on_hyphens=False,
    )


# --- the account as a Mermaid diagram ---------------------------------------------------------


@dataclass
class _Graph:
    """Mermaid flowchart lines with numbered node ids (names are never used as ids)."""

    nodes: list[str] = field(default_factory=list)
    edges: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)

    def node(self, key: str, label: str, kind: str, shape: str = "[]") -> str:
        if key not in self.ids:
            self.ids[key] = f"n{len(self.ids)}"
            text = label.replace('"', "#quot;")
            self.nodes.append(f'    {self.ids[key]}{shape[0]}"{text}"{shape[1:]}:::{kind}')
        return self.ids[key]

    def edge(self, start: str, end: str, label: str = "", line: str = "-->") -> None:
        middle = f"{line}|{label}|" if label else line
        self.edges.append(f"    {start} {middle} {end}")


CLASS_DEFS = [
    "classDef root fill:#fde2e1,stroke:#d13212,color:#1b1b1b",
    "classDef user fill:#e3f2fd,stroke:#0972d3,color:#1b1b1b",
    "classDef group fill:#e8f5e9,stroke:#1d8102,color:#1b1b1b",
    "classDef policy fill:#fff8e1,stroke:#b7791f,color:#1b1b1b",
    "classDef mfa fill:#f3e5f5,stroke:#7b1fa2,color:#1b1b1b",
    "classDef setting fill:#f4f4f4,stroke:#8d99a8,color:#1b1b1b",
]


def _device_label(serial: str) -> str:
    kind = "virtual MFA" if ":mfa/" in serial else "MFA device"
    return f"{kind}<br/>{serial.rsplit('/', 1)[-1]}"


def account_diagram(aws: Any) -> str:
    """The account as a Mermaid flowchart (source text, without the code fence): root and its
    MFA, each IAM user with its sign-in means, MFA devices, own policies and groups, each group
    with its policies, the password policy and the alias. Read with IAM Get/List calls only."""
    iam = aws.iam
    graph = _Graph()
    summary = iam.get_account_summary()["SummaryMap"]
    aliases = iam.list_account_aliases()["AccountAliases"]

    root_bits = ["root user", "email + password"]
    if summary.get("AccountAccessKeysPresent"):
        root_bits.append("⚠ has access keys")
    root = graph.node("root", "<br/>".join(root_bits), "root")
    virtual = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    root_devices = sorted(
        d["SerialNumber"] for d in virtual if d.get("User", {}).get("Arn", "").endswith(":root")
    )
    for serial in root_devices:
        graph.edge(root, graph.node(f"mfa:{serial}", _device_label(serial), "mfa"), "MFA", "---")
    if summary.get("AccountMFAEnabled") and not root_devices:
        graph.edge(root, graph.node("mfa:root", "MFA device", "mfa"), "MFA", "---")

    policy_nodes: dict[str, str] = {}

    def policy_node(name: str, arn: str) -> str:
        if arn not in policy_nodes:
            owner = "AWS managed" if ":aws:policy/" in arn else "customer managed"
            policy_nodes[arn] = graph.node(f"policy:{arn}", f"{name}<br/><i>{owner}</i>", "policy")
        return policy_nodes[arn]

    group_nodes: dict[str, str] = {}
    for group in sorted(iam.list_groups()["Groups"], key=lambda g: g["GroupName"]):
        name = group["GroupName"]
        node = graph.node(f"group:{name}", f"group<br/><b>{name}</b>", "group")
        group_nodes[name] = node
        attached = iam.list_attached_group_policies(GroupName=name)["AttachedPolicies"]
        for policy in sorted(attached, key=lambda p: p["PolicyName"]):
            graph.edge(node, policy_node(policy["PolicyName"], policy["PolicyArn"]), "carries")
        for inline in sorted(iam.list_group_policies(GroupName=name)["PolicyNames"]):
            inline_node = graph.node(
                f"inline:{name}:{inline}", f"{inline}<br/><i>inline</i>", "policy"
            )
            graph.edge(node, inline_node, "carries")

    for user in sorted(iam.list_users()["Users"], key=lambda u: u["UserName"]):
        name = user["UserName"]
        node = graph.node(f"user:{name}", _user_label(iam, name), "user")
        for device in iam.list_mfa_devices(UserName=name)["MFADevices"]:
            serial = device["SerialNumber"]
            graph.edge(
                node, graph.node(f"mfa:{serial}", _device_label(serial), "mfa"), "MFA", "---"
            )
        member_of = iam.list_groups_for_user(UserName=name)["Groups"]
        for group in sorted(member_of, key=lambda g: g["GroupName"]):
            graph.edge(
                node,
                group_nodes.get(group["GroupName"])
                or graph.node(
                    f"group:{group['GroupName']}", f"group<br/><b>{group['GroupName']}</b>", "group"
                ),
                "member of",
            )
        own = iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]
        for policy in sorted(own, key=lambda p: p["PolicyName"]):
            graph.edge(node, policy_node(policy["PolicyName"], policy["PolicyArn"]), "own policy")
        for inline in sorted(iam.list_user_policies(UserName=name)["PolicyNames"]):
            inline_node = graph.node(
                f"inline-user:{name}:{inline}", f"{inline}<br/><i>inline</i>", "policy"
            )
            graph.edge(node, inline_node, "own policy")

    current = password_policy.get_password_policy(iam)
    policy_text = "<br/>".join(summary_parts(current)) if current else "none: AWS's default rules"
    graph.node("password-policy", f"password policy<br/>{policy_text}", "setting", "()")
    link = f"{aliases[0]}.signin.aws.amazon.com" if aliases else "no alias"
    graph.node("alias", f"sign-in link<br/>{link}", "setting", "()")

    title = f"AWS account {aws.account_id}" + (f" · {aliases[0]}" if aliases else "")
    lines = ["flowchart LR", f'  subgraph account["{title}"]', "    direction LR"]
    lines += graph.nodes + graph.edges + ["  end"] + [f"  {line}" for line in CLASS_DEFS]
    lines.append("  style account fill:#fafafa,stroke:#8d99a8,color:#1b1b1b")
    return "\n".join(lines)


def _user_label(iam: Any, name: str) -> str:
    bits = ["IAM user", f"<b>{name}</b>"]
    try:
        iam.get_login_profile(UserName=name)
        bits.append("console password")
    except iam.exceptions.NoSuchEntityException:
        pass
    keys = iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
    active = sum(key["Status"] == "Active" for key in keys)
    if keys:
        bits.append(f"{active} active access key{'s' * (active != 1)}")
    return "<br/>".join(bits)


def as_markdown(diagram: str) -> str:
    """The diagram in a Markdown code fence: JupyterLab (4.1+) draws ```` ```mermaid ```` blocks,
    in Markdown cells and in Markdown outputs alike."""
    return f"```mermaid\n{diagram}\n```"


# --- clean-up -----------------------------------------------------------------------------------


def clean_up(aws: Any, forget_the_phone: bool = False) -> list[str]:
    """Empty the sandbox account (``helpers.sandbox.reset()``); delete the downloaded
    credentials files, whose keys and passwords belonged to the emptied account; and, when
    asked, throw the virtual phone away (its encrypted backup stays). Sandbox only."""
    if not aws.is_sandbox:
        raise RuntimeError("clean_up() empties the sandbox only; a real account is left alone.")
    from helpers.sandbox import reset

    reset()
    done = ["Emptied the sandbox account: no users, groups, alias, password policy or root MFA."]
    folder = downloads.downloads_dir()
    files = sorted([*folder.glob("*_accessKeys.csv"), *folder.glob("*_credentials.csv")])
    for path in files:
        path.unlink()
    if files:
        done.append(f"Deleted {len(files)} downloaded credentials file(s) of the old account.")
    if forget_the_phone:
        if forget_phone():
            done.append("Threw the virtual phone away (its encrypted backup stays).")
        else:
            done.append("There was no virtual phone to throw away.")
    else:
        done.append("Kept the virtual phone; its old entries no longer match any device.")
    return done


class CleanUpPanel(widgets.VBox):
    """ "Empty the sandbox" button, with a box to also forget the phone; ``.click()`` on
    ``.button`` does what a learner's click does. ``after`` is called once it is done."""

    def __init__(self, aws: Any, after: Callable[[], Any] | None = None) -> None:
        super().__init__(layout=widgets.Layout(max_width="720px", padding="4px 0"))
        self.aws = aws
        self.after = after
        self.forget = widgets.Checkbox(
            value=False, description="Also throw the virtual phone away", indent=False
        )
        self.button = widgets.Button(
            description="Empty the sandbox",
            button_style="danger",
            icon="trash",
            layout=widgets.Layout(width="220px", margin="6px 0 2px 0"),
            disabled=not aws.is_sandbox,
        )
        self.button.on_click(lambda _: self.run())
        self.status = widgets.HTML()
        note = (
            "This deletes everything the tutorial made in the sandbox. Lessons 01-06 (or their "
            "catch-up cells) make it again."
            if aws.is_sandbox
            else "This is a real AWS account: the button is off. Nothing here deletes real "
            "resources."
        )
        self.children = [
            widgets.HTML(style.CSS),
            style.title("Clean up"),
            widgets.HTML(style.note(note)),
            self.forget,
            self.button,
            self.status,
        ]

    def run(self) -> list[str]:
        try:
            done = clean_up(self.aws, self.forget.value)
        except Exception as error:  # shown in the panel: a callback's traceback would be lost
            self.status.value = style.fail(f"{type(error).__name__}: {error}")
            return []
        self.status.value = "".join(style.ok(line) for line in done)
        if self.after is not None:
            self.after()
        return done

    @property
    def status_text(self) -> str:
        return style.to_text(self.status.value)


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
