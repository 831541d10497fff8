"""What a status check returns: findings, and a report with its text and JSON forms."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from helpers.i18n import _

if TYPE_CHECKING:
    from helpers.status.gather import AccountData

Status = Literal["PASS", "FAIL", "MANUAL"]

CONSOLE_VIEW = "console"
CIS_VIEW = "cis"
CIS_NAME = "CIS AWS Foundations Benchmark v5.0, section 1"

TEXT_MARKS = {"PASS": "[PASS]", "FAIL": "[FAIL]", "MANUAL": "[ ?? ]"}


@dataclass(frozen=True)
class Finding:
    """One checklist line: a verdict, the one-sentence reason, and where to fix it.

    ``fix`` names the tutorial notebook that fixes it (e.g. ``"02_root_mfa.ipynb"``), or is None
    when the tutorial does not cover it; ``advice`` says in one sentence what to do either way.
    ``cis`` and ``prowler`` name the CIS v5.0 control and the Prowler check(s) it follows.
    """

    id: str
    title: str
    status: Status
    reason: str
    fix: str | None = None
    advice: str = ""
    cis: str | None = None
    prowler: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status == "PASS"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["prowler"] = list(self.prowler)
        return data


@dataclass
class Report:
    """The findings of one check of one account, in two views of the same facts."""

    console: list[Finding]
    cis: list[Finding]
    checked_at: datetime
    account_id: str | None = None
    credential_report_at: datetime | None = None
    duration_s: float = 0.0
    errors: dict[str, str] = field(default_factory=dict)
    # What was read to judge (the snapshot the account diagram is drawn from); not compared.
    data: AccountData | None = field(default=None, repr=False, compare=False)

    def findings(self, view: str = CONSOLE_VIEW) -> list[Finding]:
        """The findings of one view: ``"console"`` (the five items) or ``"cis"``."""
        if view == CONSOLE_VIEW:
            return self.console
        if view == CIS_VIEW:
            return self.cis
        raise ValueError(f'view must be "{CONSOLE_VIEW}" or "{CIS_VIEW}", not {view!r}')

    def find(self, finding_id: str) -> Finding:
        """The finding with this id (``"console.root_mfa"``, ``"cis.1.4"``, ...)."""
        for finding in (*self.console, *self.cis):
            if finding.id == finding_id:
                return finding
        raise KeyError(finding_id)

    def lesson_items(self, finding_ids: tuple[str, ...]) -> str:
        """The checklist lines a lesson is about, as ``[PASS] title`` lines. Unlike the score
        ("Security status 2/5"), these stay the same when later lessons have run too."""
        lines = []
        for finding_id in finding_ids:
            finding = self.find(finding_id)
            number = f"CIS {finding.cis} " if finding.id.startswith("cis.") else ""
            lines.append(f"[{finding.status}] {number}{finding.title}")
        return "\n".join(lines)

    def status_of(self, finding_id: str) -> Status:
        return self.find(finding_id).status

    @property
    def console_passed(self) -> int:
        return sum(finding.passed for finding in self.console)

    @property
    def console_ok(self) -> bool:
        """True when all five console items pass."""
        return self.console_passed == len(self.console)

    def cis_counts(self) -> dict[str, int]:
        counts = {"PASS": 0, "FAIL": 0, "MANUAL": 0}
        for finding in self.cis:
            counts[finding.status] += 1
        return counts

    def console_summary(self) -> str:
        return _("Security status {passed}/{total}").format(
            passed=self.console_passed, total=len(self.console)
        )

    def console_summary_after(self, lesson_score: int) -> str:
        """The score, and whether it reaches ``lesson_score``, what a lesson leaves: the second
        half stays the same when later lessons have run too (tests/nbval_sanitize.cfg masks the
        score itself, so nbval compares the rest)."""
        score, total = self.console_summary(), len(self.console)
        if self.console_passed >= lesson_score:
            return _("{score}: at least {lesson_score}/{total}, as this lesson leaves it").format(
                score=score, lesson_score=lesson_score, total=total
            )
        return _("{score}: below the {lesson_score}/{total} this lesson leaves").format(
            score=score, lesson_score=lesson_score, total=total
        )

    def cis_summary(self, short: bool = False) -> str:
        counts = self.cis_counts()
        decided = counts["PASS"] + counts["FAIL"]
        text = _("{passed}/{decided} pass, {manual} to check by hand").format(
            passed=counts["PASS"], decided=decided, manual=counts["MANUAL"]
        )
        return text if short else f"CIS v5.0 §1 {text}"

    def as_text(self, details: bool = True) -> str:
        """A plain text form for terminals and logs: both views, reasons and fixes."""
        when = self.checked_at.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
        account = (
            _("account {account_id}, ").format(account_id=self.account_id)
            if self.account_id
            else ""
        )
        checked = _("({account}checked {when})").format(account=account, when=when)
        lines = [f"{self.console_summary()}  {checked}", ""]
        lines += _text_lines(self.console, details)
        lines += ["", f"{CIS_NAME}: {self.cis_summary(short=True)}"]
        if self.credential_report_at is not None:
            stamp = self.credential_report_at.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
            lines.append(
                _("(credential report generated {stamp}; AWS reuses one up to 4 hours)").format(
                    stamp=stamp
                )
            )
        lines.append("")
        lines += _text_lines(self.cis, details)
        for what, error in self.errors.items():
            lines.append(_("Could not read {what}: {error}").format(what=_(what), error=error))
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        counts = self.cis_counts()
        return {
            "account_id": self.account_id,
            "checked_at": self.checked_at.isoformat(),
            "credential_report_at": (
                self.credential_report_at.isoformat() if self.credential_report_at else None
            ),
            "duration_s": round(self.duration_s, 3),
            "console": {
                "summary": self.console_summary(),
                "passed": self.console_passed,
                "total": len(self.console),
                "findings": [finding.to_dict() for finding in self.console],
            },
            "cis": {
                "benchmark": CIS_NAME,
                "summary": self.cis_summary(),
                "passed": counts["PASS"],
                "failed": counts["FAIL"],
                "manual": counts["MANUAL"],
                "findings": [finding.to_dict() for finding in self.cis],
            },
            "errors": dict(self.errors),
        }

    def as_json(self, indent: int | None = 2) -> str:
        """JSON for tools: both views, every finding with its CIS number and Prowler ids."""
        return json.dumps(self.as_dict(), indent=indent, ensure_ascii=False)

    def __str__(self) -> str:
        return self.as_text(details=False)


def _text_lines(findings: list[Finding], details: bool) -> list[str]:
    lines = []
    for finding in findings:
        number = f"{finding.cis:<5} " if finding.id.startswith("cis.") and finding.cis else ""
        lines.append(f"  {TEXT_MARKS[finding.status]} {number}{finding.title}")
        if details and finding.status != "PASS":
            lines.append(f"           {finding.reason}")
            fix = _("Fix:") + (f" {finding.fix} — " if finding.fix else " ")
            if finding.advice or finding.fix:
                lines.append(f"           {fix}{finding.advice}".rstrip(" —"))
            if finding.prowler:
                lines.append(f"           Prowler: {', '.join(finding.prowler)}")
    return lines
