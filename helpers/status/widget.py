"""The checklist widget: a progress bar, ✓ ✗ ? lines that open to the reason and the fix, a
switch between the console's five items and CIS v5.0 §1, and a refresh button.

Thin on purpose: every verdict comes from ``check_account``; this only shows it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
from botocore.exceptions import BotoCoreError, ClientError

from helpers.forms.picture import with_picture
from helpers.i18n import N_, _
from helpers.status.check import check_account
from helpers.status.model import CIS_VIEW, CONSOLE_VIEW, TEXT_MARKS, Finding, Report

MARKS = {"PASS": ("✓", "#1a7f37"), "FAIL": ("✗", "#cf222e"), "MANUAL": ("?", "#6e7781")}
VIEW_LABELS = {CONSOLE_VIEW: N_("Console (5 items)"), CIS_VIEW: N_("CIS v5.0 §1")}


def mark_html(status: str) -> str:
    symbol, colour = MARKS[status]
    return f'<b style="color:{colour};font-size:1.25em" title="{status}">{symbol}</b>'


def details_html(finding: Finding) -> str:
    """The opened line: the reason, the fix (a link to the notebook) and the references."""
    parts = [f"<div>{html.escape(finding.reason)}</div>"]
    if finding.status != "PASS" or finding.fix:
        fix = ""
        if finding.fix:
            name = html.escape(finding.fix)
            fix = f'<a href="{name}" target="_blank"><code>{name}</code></a> — '
        fix_label = _("Fix:")
        parts.append(f"<div><b>{fix_label}</b> {fix}{html.escape(finding.advice)}</div>")
    refs = []
    if finding.cis:
        refs.append(f"CIS {finding.cis}")
    refs += [f"Prowler <code>{html.escape(check)}</code>" for check in finding.prowler]
    if refs:
        parts.append(f'<div style="color:#6e7781">{" · ".join(refs)}</div>')
    return "".join(parts)


class FindingRow:
    """One checklist line; its button opens and closes the details."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        is_cis = finding.id.startswith("cis.")
        label = f"{finding.cis}  {finding.title}" if is_cis else finding.title
        self.mark = widgets.HTML(mark_html(finding.status), layout=widgets.Layout(width="1.8em"))
        self.toggle = widgets.Button(
            description=label,
            icon="chevron-right",
            tooltip=_("Why, and how to fix it"),
            layout=widgets.Layout(width="auto", max_width="46em"),
        )
        self.details = widgets.HTML(
            details_html(finding),
            layout=widgets.Layout(display="none", margin="0 0 0.6em 2.4em"),
        )
        self.toggle.on_click(self._on_toggle)
        self.widget = widgets.VBox([widgets.HBox([self.mark, self.toggle]), self.details])

    @property
    def expanded(self) -> bool:
        return self.details.layout.display != "none"

    def _on_toggle(self, _button: Any = None) -> None:
        self.details.layout.display = "none" if self.expanded else "block"
        self.toggle.icon = "chevron-down" if self.expanded else "chevron-right"


class StatusPanel:
    """``StatusPanel(aws)`` (a Connection or an IAM client): the account's security status.
    Given a ``report``, it shows that one (Refresh checks again)."""

    def __init__(
        self,
        source: Any,
        view: str = CONSOLE_VIEW,
        check: Callable[[Any], Report] = check_account,
        report: Report | None = None,
    ) -> None:
        self.iam = getattr(source, "iam", source)
        self._check = check
        self.report: Report | None = None
        self.rows: list[FindingRow] = []
        self.heading = widgets.HTML()
        self.bar = widgets.IntProgress(min=0, max=5, layout=widgets.Layout(width="14em"))
        self.refresh_button = widgets.Button(
            description=_("Refresh"), icon="refresh", tooltip=_("Check the account again")
        )
        self.view_switch = widgets.ToggleButtons(
            options=[(_(label), key) for key, label in VIEW_LABELS.items()], value=view
        )
        self.items = widgets.VBox()
        self.message = widgets.HTML()
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.heading, self.bar, self.refresh_button]),
                self.view_switch,
                self.items,
                self.message,
            ]
        )
        self.refresh_button.on_click(self.refresh)
        self.view_switch.observe(lambda _change: self._show(), names="value")
        if report is None:
            self.refresh()
        else:  # a check already made (another view of the same snapshot): no calls
            self.report = report
            self._show()

    @property
    def view(self) -> str:
        return self.view_switch.value

    def refresh(self, _button: Any = None) -> None:
        """Run the check again and show its result (an error keeps the last result)."""
        self.refresh_button.disabled = True
        try:
            self.report = self._check(self.iam)
            self.message.value = ""
        except (ClientError, BotoCoreError) as error:
            self.message.value = (
                '<span style="color:#cf222e">'
                + _("Could not check the account:")
                + " "
                + f"{html.escape(str(error))}</span>"
            )
        finally:
            self.refresh_button.disabled = False
        self._show()

    def row(self, finding_id: str) -> FindingRow:
        """The shown line of this finding (``"console.root_mfa"``, ``"cis.1.4"``, ...)."""
        for row in self.rows:
            if row.finding.id == finding_id:
                return row
        raise KeyError(finding_id)

    def _show(self) -> None:
        report = self.report
        if report is None:
            self.heading.value = "<b>" + _("Security status: not checked yet") + "</b>"
            self.rows, self.items.children = [], ()
            return
        findings = report.findings(self.view)
        if self.view == CONSOLE_VIEW:
            passed, total = report.console_passed, len(findings)
            title = report.console_summary()
        else:
            counts = report.cis_counts()
            passed, total = counts["PASS"], counts["PASS"] + counts["FAIL"]
            title = report.cis_summary()
        self.heading.value = f"<b>{html.escape(title)}</b>"
        self.bar.max, self.bar.value = max(total, 1), passed
        self.bar.bar_style = "success" if passed == total else "warning"
        self.rows = [FindingRow(finding) for finding in findings]
        self.items.children = tuple(row.widget for row in self.rows)

    def as_text(self) -> str:
        """The shown view as plain lines (no timestamps): what a terminal front end prints."""
        if self.report is None:
            return _("Security status: not checked yet")
        heading = html.unescape(self.heading.value.replace("<b>", "").replace("</b>", ""))
        lines = [heading]
        for row in self.rows:
            number = f"{row.finding.cis} " if row.finding.id.startswith("cis.") else ""
            lines.append(f"  {TEXT_MARKS[row.finding.status]} {number}{row.finding.title}")
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return with_picture(self.widget._repr_mimebundle_(**kwargs), self.widget, self.as_text())
