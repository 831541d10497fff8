"""The Japanese edition in a real browser (issue 15): lesson 02 from notebooks/ja/, Run All on a
new account, end to end in Japanese: the lesson's text, the virtual phone, the friendly error
box for the wrong codes it tries on purpose, and the checklist at 2/5 with the old console's
Japanese label. Chromium must draw the Japanese characters, not boxes (tofu): without a CJK
font (Debian's fonts-noto-cjk, installed by .ci/run) every character is the same empty box.

Its screenshot is test-artifacts/screenshots/ja-02-root-mfa.png; with
``TUTORIAL_DOCS_SCREENSHOTS=1`` a cropped one goes to docs/screenshots/ for README.ja.md.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from helpers.authenticator import forget_phone
from tests.browser.lab import (
    LabServer,
    cell,
    cell_index,
    element_screenshot,
    open_notebook,
    output_text,
    publish_screenshot,
    read_text,
    reset_sandbox,
    run_all_cells,
    screenshot,
    tracebacks,
)

# Two different characters drawn in the notebook's font: identical pixels mean both are the
# "missing glyph" box.
_GLYPHS_DIFFER = """(element) => {
  const font = getComputedStyle(element).fontFamily;
  const draw = (text) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 64;
    const context = canvas.getContext('2d');
    context.font = `40px ${font}`;
    context.fillText(text, 4, 48);
    return Array.from(context.getImageData(0, 0, 64, 64).data).join(',');
  };
  const blank = draw('');
  return {font, differ: draw('ル') !== draw('ロ'), inked: draw('ル') !== blank};
}"""


def test_ja_02_root_mfa_run_all_in_japanese(page: Page, lab: LabServer) -> None:
    reset_sandbox(lab)
    forget_phone(lab.state_dir / "phone.json", backup=True)
    notebook = open_notebook(page, lab, "ja/02_root_mfa.ipynb")
    run_all_cells(notebook)
    assert tracebacks(notebook) == []

    title = notebook.panel.locator(".jp-RenderedMarkdown h1").first
    expect(title).to_contain_text("ルートユーザーの MFA を有効にする")
    glyphs = title.evaluate(_GLYPHS_DIFFER)
    assert glyphs["inked"] and glyphs["differ"], f"Japanese drawn as boxes in {glyphs['font']}"

    text = output_text(notebook)
    assert "セキュリティステータス 2/5" in text
    assert "Security status" not in text
    # The wrong codes the lesson tries on purpose: AWS's code and message, the advice in Japanese.
    refusal = notebook.panel.locator(".jp-OutputArea-output b", has_text="AWS が拒否しました:")
    expect(refusal).to_have_count(1)
    box = read_text(refusal.locator("xpath=.."))
    assert "InvalidAuthenticationCode" in box and "対処:" in box

    phone = notebook.panel.locator(".mfa-phone").first
    expect(phone.locator("button", has_text="QR コードをスキャン")).to_have_count(1)
    expect(phone.locator("button", has_text="コードをコピー")).to_have_count(1)

    checklist = notebook.panel.locator(".widget-vbox").filter(
        has=page.locator("button", has_text="ルートアカウントで MFA を有効化")
    )
    root_line = checklist.last.locator(".widget-hbox").filter(
        has=page.locator("button", has_text="ルートアカウントで MFA を有効化")
    )
    expect(root_line.last.locator('b[title="PASS"]')).to_have_count(1)

    # The checklist cell near the end: heading, bar, view switch and the five items.
    panel = cell(notebook, cell_index(notebook, "checklist  #")).locator(".jp-OutputArea")
    expect(panel).to_contain_text("セキュリティステータス 2/5")
    expect(panel).to_contain_text("コンソール (5 項目)")
    panel.scroll_into_view_if_needed()
    shot = screenshot(page, "ja-02-root-mfa")
    assert Path(shot).stat().st_size > 0
    publish_screenshot(shot, "ja-02-root-mfa.png")
    publish_screenshot(element_screenshot(panel, "ja-02-checklist-widget"), "ja-checklist.png")
