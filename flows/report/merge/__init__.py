"""Merge the report folders of a sharded run into one run report (see :mod:`.run_report`).

Public API::

    merge_reports(shard_dirs, out) -> MergedRun   (MergeError when nothing can be merged)
    read_outcomes(folder) -> list[Outcome]
    MergedRun, ShardTiming, MergeProblem and the merge.* problem codes
"""

from sso_harness.report.merge.run_report import (
    MERGE_DUPLICATE_FLOW,
    MERGE_NO_INPUT,
    MERGE_SHARD_MISSING,
    MERGE_SPLIT_MISMATCH,
    MERGE_UNREADABLE,
    MergeError,
    MergedRun,
    MergeProblem,
    ShardTiming,
    merge_reports,
    read_outcomes,
)

__all__ = [
    "MERGE_DUPLICATE_FLOW", "MERGE_NO_INPUT", "MERGE_SHARD_MISSING", "MERGE_SPLIT_MISMATCH", "MERGE_UNREADABLE", "MergeError",
    "MergeProblem", "MergedRun", "ShardTiming", "merge_reports", "read_outcomes",
]
