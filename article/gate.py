"""The visual gate's verdict on one image (SPEC §10): never a silent pass.

Identical bytes pass under any browser build. Otherwise the pixels are compared with
the threshold: within it passes, beyond it fails when the same build rendered both.
When another build rendered the committed image, a difference beyond the threshold may
be that build's text anti-aliasing rather than a change: that comparison is "not made",
which the run reports by name in its summary line (or fails, under VISUAL_GATE_STRICT).
"""
from __future__ import annotations

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
