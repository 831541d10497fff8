"""Translation catalogues: keep them in step with the English sources, and say what is left to do.

    .venv/bin/python tools/i18n.py status                 # every catalogue: done / to do
    .venv/bin/python tools/i18n.py update [NN ...]        # notebook catalogues (all, or lesson NN)
    .venv/bin/python tools/i18n.py helpers                # the helpers' catalogue
    .venv/bin/python tools/i18n.py todo [NN ...|helpers]  # the entries a translator must fill

Notebooks: ``notebooks/src/<lang>/NN_name.po`` holds one entry per cell of
``notebooks/src/NN_name.py``; the msgid is the English cell exactly as the learner sees it
(nbval markers removed), the msgstr the translated cell. A cell whose English changed comes back
*fuzzy* with its old translation and the previous English (``#| msgid``) to compare; a new cell
comes back empty; a removed cell is dropped. Code cells without comments or string literals are
filled in with the English code (there is nothing to translate). A lesson is part of an edition
once its catalogue exists (``update NN`` creates it); ``tests/test_translations.py`` then fails
until every cell has a current translation.

Helpers: ``helpers/locale/<lang>/LC_MESSAGES/helpers.po`` holds every string the helpers wrap in
``_()`` or ``N_()`` (see ``helpers/i18n.py``), extracted with babel's Python extractor.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import sys
import tokenize
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import escape, read_po, unescape, write_po

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "notebooks" / "src"
HELPERS = REPO / "helpers"
LOCALE_DIR = HELPERS / "locale"
LANGUAGES = ("ja",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PO_WIDTH = 100


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", REPO / "tools" / "build_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def source_for(number: str) -> Path:
    (found,) = SOURCES.glob(f"{number}_*.py")
    return found


def catalogue_path(source: Path, language: str) -> Path:
    return SOURCES / language / f"{source.stem}.po"


def edition(language: str) -> list[Path]:
    """The English sources whose lesson is in ``language``'s edition (its catalogue exists)."""
    return [
        s for s in sorted(SOURCES.glob("[0-9][0-9]_*.py")) if catalogue_path(s, language).exists()
    ]


def cells(source: Path) -> list[tuple[str, str]]:
    """(kind, text) of each cell as the learner sees it, in order."""
    notebook = _builder().parse(source.read_text())
    return [(cell.cell_type, cell.source) for cell in notebook.cells]


def nothing_to_translate(code: str) -> bool:
    """Code with no comment and no string literal reads the same in every language."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    return not any(t.type in (tokenize.COMMENT, tokenize.STRING) for t in tokens) and not any(
        t.type == getattr(tokenize, "FSTRING_START", -1) for t in tokens
    )


def _shown_text(tree: ast.AST) -> set[int]:
    """The string literals of ``tree`` meant for a reader: those given to ``print()`` and any
    containing a space (prose, not a name, key or value)."""
    shown: set[int] = set()
    for node in ast.walk(tree):
        is_print = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print"
        for argument in node.args if is_print else ():
            shown.update(id(part) for part in ast.walk(argument) if _is_text(part))
    shown.update(
        id(node)
        for node in ast.walk(tree)
        if _is_text(node) and any(ch.isspace() for ch in node.value)
    )
    return shown


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _same_code(english: object, translated: object, shown: set[int]) -> bool:
    if isinstance(english, list) and isinstance(translated, list):
        return len(english) == len(translated) and all(
            _same_code(a, b, shown) for a, b in zip(english, translated, strict=True)
        )
    if not isinstance(english, ast.AST):
        return english == translated
    if type(english) is not type(translated):
        return False
    if id(english) in shown and _is_text(translated):
        return True  # display text: any translation
    return all(
        _same_code(getattr(english, field, None), getattr(translated, field, None), shown)
        for field in english._fields
    )


def code_difference(english: str, translated: str) -> str | None:
    """None when ``translated`` is ``english`` with only comments and display text changed;
    otherwise what is wrong."""
    try:
        english_tree, translated_tree = ast.parse(english), ast.parse(translated)
        if _same_code(english_tree, translated_tree, _shown_text(english_tree)):
            return None
    except SyntaxError as error:
        return f"the translated code does not parse: {error}"
    return "the translated code differs in more than comments and display text"


def read(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, abort_invalid=True)
    for message in catalog:  # babel's reader keeps "#|" lines as comments: the old English back
        previous = [c for c in message.user_comments if c.startswith("|")]
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        if len(previous) == 1 and previous[0].startswith('| msgid "'):
            message.previous_id = [unescape(previous[0][len("| msgid ") :])]
    return catalog


def _previous_line(message) -> str:
    """The old English of a stale entry as one ``#| msgid`` line babel reads back whole (its
    own writer wraps a long one over several ``#|`` lines, which its reader cannot join)."""
    return f"#| msgid {escape(message.previous_id[0])}\n"


def write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=PO_WIDTH, include_previous=False, include_lineno=False)
    previous = [_previous_line(m) for m in catalog if m.id and m.fuzzy and m.previous_id]
    lines, out = buffer.getvalue().decode("utf-8").splitlines(keepends=True), []
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        out.append(line)
        # each fuzzy message's flags line comes just before its msgid, in catalogue order
        if line.startswith("#,") and "fuzzy" in line and following.startswith("msgid") and previous:
            out.append(previous.pop(0))
    path.write_bytes("".join(out).encode("utf-8"))


def _template(source: Path) -> Catalog:
    template = Catalog(project=source.stem, fuzzy=False)
    for index, (kind, text) in enumerate(cells(source)):
        if text in template:  # identical cells (the connect cell) share one translation
            template[text].auto_comments.append(f"also cell {index}")
            continue
        template.add(
            text, auto_comments=[f"cell {index} ({kind})"], locations=[(source.name, None)]
        )
    return template


def _cell_index(message) -> int | None:
    match = next((c for c in message.auto_comments if c.startswith("cell ")), None)
    return int(match.split()[1]) if match else None


def _keep_rewritten_cells(catalog: Catalog) -> None:
    """A cell rewritten too much for babel's fuzzy matching still comes back *stale* (with its
    old translation and old English), not missing, when the old cell was at the same place."""
    old_by_index = {_cell_index(m): m for m in catalog.obsolete.values() if m.string}
    for message in catalog:
        if message.id and not message.string and not message.fuzzy:
            old = old_by_index.get(_cell_index(message))
            if old is not None:
                message.string = old.string
                message.previous_id = [old.id]
                message.flags.add("fuzzy")


def update_notebook(source: Path, language: str) -> Catalog:
    """Bring ``source``'s catalogue up to date with the English cells (create it if missing)."""
    path = catalogue_path(source, language)
    template = _template(source)
    if path.exists():
        catalog = read(path, language)
        template.creation_date = catalog.creation_date  # dates in the header: noise in diffs
        catalog.update(template, update_header_comment=False)
        _keep_rewritten_cells(catalog)
        catalog.obsolete.clear()  # a removed cell leaves nothing behind
    else:
        catalog = Catalog(locale=language, project=source.stem, fuzzy=False)
        catalog.header_comment = GLOSSARY
        for message in template:
            if message.id:
                catalog.add(
                    message.id, "", auto_comments=message.auto_comments, locations=message.locations
                )
    for message in catalog:
        if message.id and message.auto_comments[0].endswith("(code)") and not message.string:
            if nothing_to_translate(message.id):
                message.string = message.id
    write(path, catalog)
    return catalog


def helpers_catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "helpers.po"


def extract_helpers() -> Catalog:
    """Every string the helpers wrap in ``_()``, ``N_()`` or ``ngettext()``."""
    template = Catalog(project="helpers", fuzzy=False)
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(HELPERS),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        if "sandbox/layer" in filename or not message:
            continue
        template.add(message, locations=[(f"helpers/{filename}", lineno)], auto_comments=comments)
    return template


def update_helpers(language: str) -> Catalog:
    template = extract_helpers()
    path = helpers_catalogue_path(language)
    if path.exists():
        catalog = read(path, language)
        template.creation_date = catalog.creation_date
        catalog.update(template, update_header_comment=False)
        catalog.obsolete.clear()
    else:
        catalog = Catalog(locale=language, project="helpers", fuzzy=False)
        catalog.header_comment = GLOSSARY
        for message in template:
            if message.id:
                catalog.add(
                    message.id, "", locations=message.locations, auto_comments=message.auto_comments
                )
    write(path, catalog)
    return catalog


def to_do(catalog: Catalog) -> list[tuple[str, object]]:
    """(why, message) of every entry without a current translation."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(("stale (the English changed)", message))
        elif not all(strings):
            found.append(("missing", message))
    return found


def describe(message) -> str:
    where = "; ".join(message.auto_comments) or ", ".join(f for f, _n in message.locations)
    first = (message.id[0] if isinstance(message.id, tuple) else message.id).splitlines()[0]
    return f"{where}: {first[:70]!r}"


def _catalogues(args: list[str], language: str) -> list[tuple[str, Catalog]]:
    found = []
    if not args or "helpers" in args:
        found.append(
            ("helpers", read(LOCALE_DIR / language / "LC_MESSAGES" / "helpers.po", language))
        )
    numbers = [a for a in args if a != "helpers"]
    for source in edition(language):
        if not numbers or source.stem[:2] in numbers:
            found.append((source.stem, read(catalogue_path(source, language), language)))
    return found


def main(argv: list[str]) -> int:
    command, *args = argv or ["status"]
    language = "ja"
    if command == "update":
        sources = [source_for(n) for n in args] if args else edition(language)
        for source in sources:
            left = to_do(update_notebook(source, language))
            print(f"{catalogue_path(source, language).relative_to(REPO)}: {len(left)} to translate")
    elif command == "helpers":
        left = to_do(update_helpers(language))
        print(f"helpers/locale/{language}/LC_MESSAGES/helpers.po: {len(left)} to translate")
    elif command in ("status", "todo"):
        total = 0
        for name, catalog in _catalogues(args, language):
            left = to_do(catalog)
            total += len(left)
            entries = sum(1 for m in catalog if m.id)
            print(f"{name}: {entries - len(left)}/{entries} translated")
            if command == "todo":
                for why, message in left:
                    print(f"  {why}: {describe(message)}")
        missing = [
            s.stem for s in sorted(SOURCES.glob("[0-9][0-9]_*.py")) if s not in edition(language)
        ]
        if missing:
            print(f"not yet in the {language} edition (no catalogue): {', '.join(missing)}")
        return 1 if total and command == "todo" else 0
    else:
        print(__doc__)
        return 2
    return 0


GLOSSARY = """\
# Japanese edition of the AWS MFA tutorial (docs/translating.md: how to translate, full glossary).
# root user = ルートユーザー (the article's「rootアカウント」), IAM user = IAM ユーザー,
# group = グループ, MFA = 多要素認証 (MFA), virtual MFA device = 仮想 MFA デバイス,
# password policy = パスワードポリシー, account alias = アカウントエイリアス,
# access key = アクセスキー, sign in = サインイン, policy = ポリシー, sandbox = サンドボックス."""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
