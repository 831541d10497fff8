"""The Japanese edition stays in step with the English one (issue 15).

Notebooks: every cell of a lesson in the edition has a current translation in
``notebooks/src/ja/NN_name.po`` (an English cell that changed, or a new one, fails here until it
is translated), translated code changes only comments and display text, and the committed
``notebooks/ja/`` notebooks are what the build makes of source + catalogue.
Helpers: every string wrapped in ``_()``/``N_()`` has a Japanese entry with the same
placeholders, and the language is chosen as ``helpers/i18n.py`` says.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from helpers import i18n as helpers_i18n
from helpers.i18n import _

REPO = Path(__file__).resolve().parents[1]
LANGUAGE = "ja"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


I18N = _load("i18n")
BUILDER = _load("build_notebooks")
EDITION = I18N.edition(LANGUAGE)


def test_the_edition_has_lessons_and_their_notebooks_only() -> None:
    assert [s.stem for s in EDITION][:3] == ["00_start_here", "01_virtual_phone", "02_root_mfa"]
    committed = sorted(p.stem for p in (REPO / "notebooks" / LANGUAGE).glob("*.ipynb"))
    assert committed == [s.stem for s in EDITION]


@pytest.mark.parametrize("source", EDITION, ids=lambda p: p.stem)
def test_every_cell_has_a_current_translation(source: Path) -> None:
    catalogue = I18N.read(I18N.catalogue_path(source, LANGUAGE), LANGUAGE)
    problems = []
    for index, (kind, text) in enumerate(I18N.cells(source)):
        message = catalogue.get(text)
        first_line = text.splitlines()[0] if text else ""
        where = f"{source.stem} cell {index} ({kind}) {first_line[:60]!r}"
        if message is None:
            problems.append(f"{where}: no entry (run tools/i18n.py update {source.stem[:2]})")
        elif message.fuzzy:
            problems.append(f"{where}: stale, the English changed (fuzzy)")
        elif not message.string:
            problems.append(f"{where}: not translated")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("source", EDITION, ids=lambda p: p.stem)
def test_translated_code_changes_only_comments_and_display_text(source: Path) -> None:
    catalogue = I18N.read(I18N.catalogue_path(source, LANGUAGE), LANGUAGE)
    problems = []
    for index, (kind, text) in enumerate(I18N.cells(source)):
        message = catalogue.get(text)
        if kind == "code" and message is not None and message.string:
            difference = I18N.code_difference(text, message.string)
            if difference:
                problems.append(f"{source.stem} cell {index}: {difference}")
    assert problems == []


@pytest.mark.parametrize("source", EDITION, ids=lambda p: p.stem)
def test_committed_japanese_notebook_matches_source_and_catalogue(source: Path) -> None:
    committed = nbformat.read(BUILDER.target_path(source, LANGUAGE), as_version=4)
    built = BUILDER.build_notebook(source, LANGUAGE)

    def cells(notebook):
        return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in notebook.cells]

    assert cells(committed) == cells(built), (
        f"notebooks/ja/{source.stem}.ipynb is out of date: "
        f"run tools/build_notebooks.py {source.stem[:2]} --lang ja"
    )


@pytest.mark.parametrize("source", EDITION, ids=lambda p: p.stem)
def test_japanese_markdown_is_japanese(source: Path) -> None:
    """A markdown cell copied from the English without translating it is caught too."""
    catalogue = I18N.read(I18N.catalogue_path(source, LANGUAGE), LANGUAGE)
    english_only = [
        index
        for index, (kind, text) in enumerate(I18N.cells(source))
        if kind == "markdown"
        and not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", catalogue.get(text).string)
    ]
    assert english_only == []


# ----- the workflow: a changed or new English cell comes back for translation -----


def test_update_marks_changed_cells_stale_and_new_cells_missing(tmp_path, monkeypatch) -> None:
    sources = tmp_path / "src"
    (sources / LANGUAGE).mkdir(parents=True)
    lesson = sources / "09_demo.py"
    lesson.write_text("# %% [markdown]\n# Hello\n\n# %%\nx = 1\n\n# %%\n# say it\nprint(x)\n")
    monkeypatch.setattr(I18N, "SOURCES", sources)
    catalogue = I18N.update_notebook(lesson, LANGUAGE)
    assert [why for why, _m in I18N.to_do(catalogue)] == ["missing", "missing"]  # x = 1 is filled
    for message in catalogue:
        if message.id and not message.string:
            message.string = {"Hello": "こんにちは", "# say it\nprint(x)": "# 言う\nprint(x)"}[
                message.id
            ]
    I18N.write(I18N.catalogue_path(lesson, LANGUAGE), catalogue)
    assert I18N.to_do(I18N.update_notebook(lesson, LANGUAGE)) == []

    lesson.write_text(
        "# %% [markdown]\n# Good morning\n\n# %%\nx = 1\n\n# %%\n# say it out loud\nprint(x)\n"
        "\n# %% [markdown]\n# New cell\n"
    )
    left = I18N.to_do(I18N.update_notebook(lesson, LANGUAGE))
    assert [(why, m.id) for why, m in left] == [
        ("stale (the English changed)", "Good morning"),  # same place, rewritten
        ("stale (the English changed)", "# say it out loud\nprint(x)"),  # close: babel's match
        ("missing", "New cell"),
    ]
    assert left[0][1].string == "こんにちは" and left[0][1].previous_id == ["Hello"]
    assert left[1][1].string == "# 言う\nprint(x)"


def test_a_stale_multi_line_cell_keeps_its_old_english_through_a_write_and_read(tmp_path) -> None:
    """babel writes a long old English over several ``#|`` lines that its own reader cannot
    join (they came back as ``# |`` comments, growing with each update)."""
    old = "# aws iam create-user --user-name alice   (the button runs the same function)\n" * 3
    catalogue = I18N.Catalog(locale=LANGUAGE, project="demo", fuzzy=False)
    catalogue.add(
        'print("new \\ English")\nx = 1',
        "# 訳\nx = 1",
        flags=["fuzzy"],
        previous_id=old + 'print("old")',
    )
    path = tmp_path / "demo.po"
    I18N.write(path, catalogue)
    written = path.read_bytes()
    back = next(m for m in I18N.read(path, LANGUAGE) if m.id)
    assert back.previous_id == [old + 'print("old")'] and back.user_comments == []
    assert back.fuzzy and back.string == "# 訳\nx = 1"
    I18N.write(path, I18N.read(path, LANGUAGE))
    assert path.read_bytes() == written


def test_build_refuses_a_stale_catalogue_naming_the_cell(tmp_path) -> None:
    source = EDITION[0]
    catalogue = I18N.read(I18N.catalogue_path(source, LANGUAGE), LANGUAGE)
    first = next(m for m in catalogue if m.id)
    first.flags.add("fuzzy")
    stale = tmp_path / source.with_suffix(".po").name
    I18N.write(stale, catalogue)
    with pytest.raises(BUILDER.UntranslatedCell, match=r"cell 0 \(markdown\) is stale"):
        BUILDER.translate(BUILDER.parse(source.read_text()), stale)


def test_code_check_tells_display_text_from_code() -> None:
    assert (
        I18N.code_difference('print("Locked:", x)  # hi', 'print("ロック中:", x)  # やあ') is None
    )
    assert I18N.code_difference('f(captions=("Your phone",))', 'f(captions=("電話",))') is None
    assert I18N.code_difference('d["Account"]', 'd["アカウント"]') is not None
    assert I18N.code_difference("x = 1", "y = 1") is not None


# ----- the helpers' strings -----


def _wrapped_messages() -> dict[str, str]:
    template = I18N.extract_helpers()
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in template if m.id}


def test_every_wrapped_helper_string_has_a_japanese_entry() -> None:
    catalogue = I18N.read(I18N.helpers_catalogue_path(LANGUAGE), LANGUAGE)
    problems = []
    for key, message in _wrapped_messages().items():
        entry = catalogue.get(message.id)
        where = ", ".join(f for f, _n in message.locations)
        if entry is None:
            problems.append(f"{where}: {key!r} has no entry (run tools/i18n.py helpers)")
        elif entry.fuzzy or not all(
            entry.string if isinstance(entry.string, tuple) else (entry.string,)
        ):
            problems.append(f"{where}: {key!r} is not translated (or stale)")
    assert problems == [], "\n".join(problems)


def test_translations_keep_the_placeholders() -> None:
    catalogue = I18N.read(I18N.helpers_catalogue_path(LANGUAGE), LANGUAGE)
    wrong = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"\{\w+\}", ids[-1]))
        wrong += [message.id for s in strings if set(re.findall(r"\{\w+\}", s)) != wanted]
    assert wrong == []


def test_no_wrapped_call_hides_inside_an_fstring() -> None:
    """babel's extractor does not look inside f-strings: a _() there would go untranslated."""
    hidden = [
        f"{path.relative_to(REPO)}:{number}"
        for path in (REPO / "helpers").rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\{_\(", line)
    ]
    assert hidden == []


# ----- choosing the language -----


@pytest.fixture
def fresh_language(monkeypatch, tmp_path):
    for variable in ("TUTORIAL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)
    helpers_i18n.use_language(None)
    yield monkeypatch
    helpers_i18n.use_language(None)


def test_english_by_default(fresh_language) -> None:
    assert helpers_i18n.current_language() == "en"
    assert _("Refresh") == "Refresh"


def test_locale_and_tutorial_lang_choose_japanese(fresh_language) -> None:
    fresh_language.setenv("LANG", "ja_JP.UTF-8")
    assert helpers_i18n.current_language() == "ja"
    assert _("Refresh") == "更新"
    fresh_language.setenv("TUTORIAL_LANG", "en")
    assert helpers_i18n.current_language() == "en"


def test_the_notebook_folder_chooses_the_edition(fresh_language) -> None:
    fresh_language.setenv("TUTORIAL_LANG", "en")
    fresh_language.chdir(REPO / "notebooks" / "ja")
    assert _("Delete your root access keys") == "ルートアクセスキーの削除"
    fresh_language.setenv("TUTORIAL_LANG", "ja")
    fresh_language.chdir(REPO / "notebooks")
    assert helpers_i18n.current_language() == "en"


def test_use_language_wins_and_refuses_unknown_languages(fresh_language) -> None:
    fresh_language.setenv("LANG", "ja_JP.UTF-8")
    helpers_i18n.use_language("en")
    assert helpers_i18n.current_language() == "en"
    with pytest.raises(ValueError, match="no catalogue"):
        helpers_i18n.use_language("xx")


def test_empty_string_is_not_the_catalogue_header(fresh_language) -> None:
    helpers_i18n.use_language("ja")
    assert _("") == ""


def test_status_text_in_japanese(fresh_language) -> None:
    from datetime import UTC, datetime

    from helpers.status.console_items import check_console_items
    from helpers.status.gather import AccountData
    from helpers.status.model import Report

    helpers_i18n.use_language("ja")
    data = AccountData(summary={"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0})
    report = Report(console=check_console_items(data), cis=[], checked_at=datetime.now(UTC))
    text = report.as_text()
    assert "セキュリティステータス 2/5" in text
    assert "ルートアカウントで MFA を有効化" in text


def test_catalogue_files_are_left_alone_by_an_update() -> None:
    """Running the update on a finished catalogue changes nothing (no dates, no reordering)."""
    for path in [
        I18N.helpers_catalogue_path(LANGUAGE),
        *map(lambda s: I18N.catalogue_path(s, LANGUAGE), EDITION),
    ]:
        before = path.read_bytes()
        backup = path.with_suffix(".bak")
        shutil.copy(path, backup)
        try:
            if path.name == "helpers.po":
                I18N.update_helpers(LANGUAGE)
            else:
                I18N.update_notebook(I18N.SOURCES / f"{path.stem}.py", LANGUAGE)
            assert path.read_bytes() == before, path
        finally:
            shutil.move(backup, path)


def test_no_function_shadows_the_translation_function() -> None:
    """``text, _ = ...`` in a function that (or whose inner function) calls ``_()`` makes that
    call fail at run time; ruff sees only the simplest case."""
    import ast

    found = []
    for path in (REPO / "helpers").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            nodes = list(ast.walk(function))
            assigns = any(
                isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
                for n in nodes
            )
            calls = any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                for n in nodes
            )
            if assigns and calls:
                found.append(f"{path.relative_to(REPO)}: {function.name}")
    assert found == []


# ----- make lab opens the learner's edition -----


def test_start_page_follows_the_language(fresh_language) -> None:
    from helpers.lab import start_page

    assert start_page() == "00_start_here.ipynb"
    fresh_language.setenv("LANG", "ja_JP.UTF-8")
    assert start_page() == "ja/00_start_here.ipynb"
    fresh_language.setenv("TUTORIAL_LANG", "en")  # the option wins over the locale
    assert start_page() == "00_start_here.ipynb"
    assert start_page("ja") == "ja/00_start_here.ipynb"


def test_make_lab_with_a_japanese_locale_opens_the_japanese_edition(tmp_path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    env = dict(os.environ, TUTORIAL_STATE_DIR=str(tmp_path), TUTORIAL_QUIET="1")
    env.update(LANG="ja_JP.UTF-8", PYTHONPATH=str(REPO))
    env.pop("DISPLAY", None)
    env.pop("TUTORIAL_LANG", None)
    lab = subprocess.Popen(
        [sys.executable, "-m", "helpers.lab"], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        lines, url, deadline = [], None, time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            lines.append(lab.stdout.readline())
            match = re.search(r"(http://127\.0\.0\.1:\d+/lab/tree/\S+)", lines[-1])
            url = match.group(1) if match else None
        assert url and "/lab/tree/ja/00_start_here.ipynb?" in url
        assert any("チュートリアルを開く" in line for line in lines)
        status = None
        while status != 200 and time.monotonic() < deadline:
            try:
                status = urllib.request.urlopen(url, timeout=5).status
            except OSError:
                time.sleep(0.2)
        assert status == 200
    finally:
        lab.send_signal(signal.SIGINT)
        lab.wait(timeout=30)


def test_a_copy_of_the_japanese_folder_is_japanese_too(fresh_language, tmp_path) -> None:
    """Browser tests and workshops run Lab on a copy of notebooks/."""
    copy = tmp_path / "notebooks" / "ja"
    copy.mkdir(parents=True)
    (copy / "00_start_here.ipynb").write_text("{}")
    (copy.parent / "00_start_here.ipynb").write_text("{}")
    fresh_language.chdir(copy)
    assert helpers_i18n.current_language() == "ja"
    fresh_language.chdir(copy.parent)
    fresh_language.setenv("LANG", "ja_JP.UTF-8")
    assert helpers_i18n.current_language() == "en"


CJK = r"[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff60]"


@pytest.mark.parametrize("source", EDITION, ids=lambda p: p.stem)
def test_japanese_paragraphs_are_not_broken_between_characters(source: Path) -> None:
    """Markdown shows a line break inside a paragraph as a space: between two Japanese
    characters that is a stray space. Japanese paragraphs are written on one line."""
    catalogue = I18N.read(I18N.catalogue_path(source, LANGUAGE), LANGUAGE)
    broken = []
    for index, (kind, text) in enumerate(I18N.cells(source)):
        if kind != "markdown":
            continue
        prose = re.sub(r"```.*?```", "", catalogue.get(text).string, flags=re.S)
        broken += [
            f"cell {index}: {m.group(0)!r}"
            for m in re.finditer(rf"{CJK}\n[ \t]*(?:[*_`]+)?{CJK}", prose)
        ]
    assert broken == []


def test_links_to_lessons_not_yet_translated_open_the_english_one() -> None:
    missing = [s for s in sorted(I18N.SOURCES.glob("[0-9][0-9]_*.py")) if s not in EDITION]
    last = EDITION[-1]
    text = "\n".join(c.source for c in BUILDER.build_notebook(last, LANGUAGE).cells)
    if missing:
        assert f"](../{missing[0].stem}.ipynb)" in text
    earlier = BUILDER.build_notebook(EDITION[0], LANGUAGE).cells[-1].source
    assert f"]({EDITION[1].stem}.ipynb)" in earlier
