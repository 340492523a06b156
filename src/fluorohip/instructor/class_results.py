"""Merge a folder of hand-ins and analyse them: what the class report and the class results
notebook both start from (the command only adds writing the HTML)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..content.catalog import load_catalog
from .item_analysis import DEFAULT_PREPOST, ClassAnalysis, PrePost, analyse
from .merge import MergeResult, merge_folder


def build(
    folder: Path | str,
    pre_post: PrePost = DEFAULT_PREPOST,
    banks: dict[str, Any] | None = None,
    exclude: Iterable[Path] = (),
    owners: str = "stores",
) -> tuple[MergeResult, ClassAnalysis]:
    """Merge and analyse: returns ``(MergeResult, ClassAnalysis)``. ``exclude``: paths that are
    not exports (the report being written); ``banks`` defaults to the course's."""
    merged = merge_folder(folder, exclude=exclude, owners=owners)
    analysis = analyse(merged.records, load_catalog() if banks is None else banks, pre_post)
    return merged, analysis
