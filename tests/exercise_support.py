"""Reading an exercise's folded solution out of its lesson's source, so that the tests run the
very code a learner sees when they open the solution."""

from __future__ import annotations

import re
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[1] / "notebooks" / "src"
_BLOCK = re.compile(r"<!-- solution: (?P<key>[\w-]+) -->(?P<body>.*?)</details>", re.DOTALL)
_CODE = re.compile(r"```python\n(?P<code>.*?)```", re.DOTALL)


def solution_code(key: str) -> str:
    """The python code in the folded solution cell marked ``<!-- solution: KEY -->``."""
    lesson = key.split("-", 1)[0]
    (source,) = SOURCES.glob(f"{lesson}_*.py")
    text = "\n".join(
        line[2:] if line.startswith("# ") else line.lstrip("#")
        for line in source.read_text().splitlines()
    )
    for block in _BLOCK.finditer(text):
        if block["key"] == key:
            return "\n".join(code["code"] for code in _CODE.finditer(block["body"]))
    raise LookupError(f"{source.name} has no folded solution marked <!-- solution: {key} -->")


def run_solution(key: str, **namespace: object) -> None:
    """Run the folded solution with the notebook's names (``aws``, ``helpers``, …)."""
    import helpers

    code = compile(solution_code(key), f"<solution {key}>", "exec")
    exec(code, {"helpers": helpers, **namespace})
