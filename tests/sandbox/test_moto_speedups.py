"""The fast managed-policy loader makes the same policies as moto's own loader."""

from __future__ import annotations

import os

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

from moto.iam import models as iam_models  # noqa: E402

from helpers.sandbox.layer import moto_speedups  # noqa: E402

FIELDS = (
    "arn",
    "name",
    "path",
    "default_version_id",
    "create_date",
    "update_date",
    "attachment_count",
    "description",
)


def test_fast_loader_matches_motos_own(monkeypatch) -> None:
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    backend = iam_models.IAMBackend.__new__(iam_models.IAMBackend)
    backend.account_id, backend.region_name = "123456789012", "aws"
    backend.partition = "aws"
    theirs = moto_speedups._original_init_aws_policies(backend)
    ours = moto_speedups._init_aws_policies(backend)
    assert len(ours) == len(theirs) > 1000
    for mine, original in zip(ours, theirs, strict=True):
        assert type(mine) is type(original)
        for field in FIELDS:
            assert getattr(mine, field) == getattr(original, field), (original.name, field)
        assert [v.document for v in mine.versions] == [v.document for v in original.versions]
        assert [v.version_id for v in mine.versions] == [v.version_id for v in original.versions]


def test_each_reset_gets_fresh_policy_objects(monkeypatch) -> None:
    backend = iam_models.IAMBackend.__new__(iam_models.IAMBackend)
    backend.account_id, backend.region_name = "123456789012", "aws"
    first = moto_speedups._init_aws_policies(backend)
    second = moto_speedups._init_aws_policies(backend)
    assert first[0] is not second[0]
    first[0].attachment_count = 3
    assert second[0].attachment_count == 0
