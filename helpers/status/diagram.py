"""The account as a Mermaid flowchart, drawn from one gathered snapshot (``AccountData``, what
the checklist read): root and its MFA, each IAM user with its sign-in means, MFA devices, own
policies and groups, each group with its policies, the password policy and the alias."""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers.rules.passwords import summary_parts
from helpers.status.gather import AccountData

CLASS_DEFS = [
    "classDef root fill:#fde2e1,stroke:#d13212,color:#1b1b1b",
    "classDef user fill:#e3f2fd,stroke:#0972d3,color:#1b1b1b",
    "classDef group fill:#e8f5e9,stroke:#1d8102,color:#1b1b1b",
    "classDef policy fill:#fff8e1,stroke:#b7791f,color:#1b1b1b",
    "classDef mfa fill:#f3e5f5,stroke:#7b1fa2,color:#1b1b1b",
    "classDef setting fill:#f4f4f4,stroke:#8d99a8,color:#1b1b1b",
]


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


def _device_label(serial: str) -> str:
    kind = "virtual MFA" if ":mfa/" in serial else "MFA device"
    return f"{kind}<br/>{serial.rsplit('/', 1)[-1]}"


def _user_label(name: str, row: dict[str, str]) -> str:
    bits = ["IAM user", f"<b>{name}</b>"]
    if row.get("password_enabled") == "true":
        bits.append("console password")
    keys = [n for n in ("1", "2") if row.get(f"access_key_{n}_last_rotated", "N/A") != "N/A"]
    active = sum(row.get(f"access_key_{n}_active") == "true" for n in keys)
    if keys:
        bits.append(f"{active} active access key{'s' * (active != 1)}")
    return "<br/>".join(bits)


def account_diagram(data: AccountData, account_id: str | None = None) -> str:
    """The account as a Mermaid flowchart (source text, without the code fence), from the
    snapshot the checklist gathered: no further calls. The credential report's rows say who has
    a password and keys (on AWS the report can be up to four hours old)."""
    graph = _Graph()
    summary = data.summary or {}
    rows = {row.get("user"): row for row in data.credential_report or []}
    devices = data.virtual_mfa_devices or []
    aliases = data.aliases or []

    root_bits = ["root user", "email + password"]
    if summary.get("AccountAccessKeysPresent"):
        root_bits.append("⚠ has access keys")
    root = graph.node("root", "<br/>".join(root_bits), "root")
    root_devices = sorted(
        d["SerialNumber"] for d in devices if d.get("User", {}).get("Arn", "").endswith(":root")
    )
    for serial in root_devices:
        graph.edge(root, graph.node(f"mfa:{serial}", _device_label(serial), "mfa"), "MFA", "---")
    if summary.get("AccountMFAEnabled") and not root_devices:
        graph.edge(root, graph.node("mfa:root", "MFA device", "mfa"), "MFA", "---")

    arns = {policy.name: policy.arn for policy in data.attached_policies or []}

    def policy_node(name: str) -> str:
        arn = arns.get(name, name)
        owner = "AWS managed" if ":aws:policy/" in arn else "customer managed"
        return graph.node(f"policy:{arn}", f"{name}<br/><i>{owner}</i>", "policy")

    def group_node(name: str) -> str:
        return graph.node(f"group:{name}", f"group<br/><b>{name}</b>", "group")

    groups = sorted(data.groups or [], key=lambda g: g.name)
    for group in groups:
        node = group_node(group.name)
        for name in sorted(group.attached_policies):
            graph.edge(node, policy_node(name), "carries")
        for inline in sorted(group.inline_policies):
            inline_node = graph.node(
                f"inline:{group.name}:{inline}", f"{inline}<br/><i>inline</i>", "policy"
            )
            graph.edge(node, inline_node, "carries")

    for user in sorted(data.users or [], key=lambda u: u.name):
        node = graph.node(
            f"user:{user.name}", _user_label(user.name, rows.get(user.name, {})), "user"
        )
        serials = sorted(
            d["SerialNumber"] for d in devices if d.get("User", {}).get("UserName") == user.name
        )
        for serial in serials:
            graph.edge(
                node, graph.node(f"mfa:{serial}", _device_label(serial), "mfa"), "MFA", "---"
            )
        if rows.get(user.name, {}).get("mfa_active") == "true" and not serials:
            graph.edge(node, graph.node(f"mfa:{user.name}", "MFA device", "mfa"), "MFA", "---")
        for group in groups:
            if user.name in group.members:
                graph.edge(node, group_node(group.name), "member of")
        for name in sorted(user.attached_policies):
            graph.edge(node, policy_node(name), "own policy")
        for inline in sorted(user.inline_policies):
            inline_node = graph.node(
                f"inline-user:{user.name}:{inline}", f"{inline}<br/><i>inline</i>", "policy"
            )
            graph.edge(node, inline_node, "own policy")

    policy = data.password_policy
    policy_text = "<br/>".join(summary_parts(policy)) if policy else "none: AWS's default rules"
    graph.node("password-policy", f"password policy<br/>{policy_text}", "setting", "()")
    link = f"{aliases[0]}.signin.aws.amazon.com" if aliases else "no alias"
    graph.node("alias", f"sign-in link<br/>{link}", "setting", "()")

    account = account_id or data.account_id or "?"
    title = f"AWS account {account}" + (f" · {aliases[0]}" if aliases else "")
    lines = ["flowchart LR", f'  subgraph account["{title}"]', "    direction LR"]
    lines += graph.nodes + graph.edges + ["  end"] + [f"  {line}" for line in CLASS_DEFS]
    lines.append("  style account fill:#fafafa,stroke:#8d99a8,color:#1b1b1b")
    return "\n".join(lines)


def as_markdown(diagram: str) -> str:
    """The diagram in a Markdown code fence: JupyterLab (4.1+) draws ```` ```mermaid ```` blocks,
    in Markdown cells and in Markdown outputs alike."""
    return f"```mermaid\n{diagram}\n```"


__all__ = ["account_diagram", "as_markdown"]
