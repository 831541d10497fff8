"""Make moto's reset fast: AWS's 1,582 managed policies are parsed once, not on every reset.

moto rebuilds them from one large JSON text each time the IAM backend is created, which is
every ``reset`` (about 0.5 s; the tests reset before each test). Here the parsed values are
kept and only fresh policy objects are made, exactly as moto's ``AWSManagedPolicy.from_data``
makes them (tests/sandbox/test_moto_contract.py compares the two). The text is read one policy
at a time, which keeps each sandbox about 11 MB smaller (benchmarks/bench_footprint.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from moto.iam import models as iam_models

_PARSED: list[tuple[str, str | None, str | None, str, datetime, datetime]] | None = None
_original_init_aws_policies = iam_models.IAMBackend._init_aws_policies


def _entries(text: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The ``name: entry`` pairs of moto's policy text (one JSON object), one at a time: the
    whole 4.7 MB text parsed at once would leave the sandbox about 11 MB bigger for good (the
    peak of the parse is not given back), one entry at a time it stays small."""
    decoder = json.JSONDecoder()
    index = text.index("{") + 1
    while True:
        index = _skip(text, index, " \t\r\n,")
        if text[index] == "}":
            return
        name, index = decoder.raw_decode(text, index)
        index = _skip(text, index, " \t\r\n:")
        entry, index = decoder.raw_decode(text, index)
        yield name, entry


def _skip(text: str, index: int, characters: str) -> int:
    while text[index] in characters:
        index += 1
    return index


def _parsed_policies() -> list[tuple[str, str | None, str | None, str, datetime, datetime]]:
    global _PARSED
    if _PARSED is None:
        _PARSED = [
            (
                name,
                entry.get("DefaultVersionId"),
                entry.get("Path"),
                json.dumps(entry.get("Document")),
                datetime.fromisoformat(entry["CreateDate"]),
                datetime.fromisoformat(entry["UpdateDate"]),
            )
            for name, entry in _entries(iam_models.aws_managed_policies_data)
        ]
    return _PARSED


def _init_aws_policies(self: Any) -> list[Any]:
    if not iam_models.load_iam_aws_managed_policies():
        return []
    return [
        iam_models.AWSManagedPolicy(
            name,
            account_id=self.account_id,
            region=self.region_name,
            default_version_id=version,
            path=path,
            document=document,
            create_date=created,
            update_date=updated,
        )
        for name, version, path, document, created, updated in _parsed_policies()
    ]


def install() -> None:
    iam_models.IAMBackend._init_aws_policies = _init_aws_policies
