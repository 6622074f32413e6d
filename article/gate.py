"""The visual gate (SPEC §10): its verdict on one image, never a silent pass, and the
folder its fresh shots go to, one per run (never another run's or process's).

Identical bytes pass under any browser build. Otherwise the pixels are compared with
the threshold: within it passes, beyond it fails when the same build rendered both.
When another build rendered the committed image, a difference beyond the threshold may
be that build's text anti-aliasing rather than a change: that comparison is "not made",
which the run reports by name in its summary line (or fails, under VISUAL_GATE_STRICT).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .compare import compare

IDENTICAL, WITHIN, CHANGED, NOT_MADE = "identical", "within tolerance", "changed", "not made"


@dataclass(frozen=True)
class Verdict:
    outcome: str  # one of IDENTICAL, WITHIN, CHANGED, NOT_MADE
    detail: str

    @property
    def passed(self) -> bool:
        return self.outcome in (IDENTICAL, WITHIN)


def judge(committed: bytes, actual: bytes, *, recorded: str, current: str,
          diff_path: Path | None = None) -> Verdict:
    """The verdict on `actual` (rendered by `current`) against `committed` (by `recorded`)."""
    if committed == actual:
        return Verdict(IDENTICAL, "identical bytes")
    difference = compare(committed, actual, diff_path)
    if not difference.beyond_threshold:
        return Verdict(WITHIN, str(difference))
    if recorded == current:
        return Verdict(CHANGED, str(difference))
    return Verdict(NOT_MADE, f"{difference}, but the committed image was rendered by {recorded} "
                             f"and this one by {current}: another build's text anti-aliasing "
                             f"cannot be told from a change")


def run_folder(basetemp: Path, environ=os.environ) -> Path:
    """Where one pytest run's fresh shots go. Under xdist, the workers of one run share
    it (named by the run's id, so another run never finds it); without, the process's
    own temporary folder. Never the folder every run shares (/tmp/pytest-of-USER)."""
    run = environ.get("PYTEST_XDIST_TESTRUNUID")
    if environ.get("PYTEST_XDIST_WORKER") and run:
        return basetemp.parent / f"visual-shots-{run}"
    return basetemp / "visual-shots"
