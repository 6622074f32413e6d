"""Verified stamps (SPEC §10): per image, the run that vouches for it.

OUT/verified.json holds, per image, the date, the commit, the portal and profile, the
walkthrough that produced it and its outcome. A step that failed is stamped not verified
with the reason, and keeps the date and commit of its last good run (its image stays the
last good one; the failing screen is written beside it as <step>.failed.png). A run that
does not shoot an image (--only, --text-only) keeps its stamp as it was.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from .errors import DocsError

STAMPS_FILE = "verified.json"
PORTAL = "simulator"  # the reference portal the walkthroughs run on (embedded, control API on)
PROFILE = "en"


@dataclass(frozen=True)
class Stamp:
    date: str  # the run's day, ISO
    commit: str  # the checkout's commit, "+changes" when files outside docs/ differ from it
    portal: str
    profile: str
    walkthrough: str
    verified: bool
    reason: str = ""  # why not verified
    last_good: str = ""  # "DATE commit" of the last verified run, when this one failed

    def line(self, image_folder: str, name: str) -> str:
        """The stamp as the published article shows it, below the figure."""
        where = f"commit {self.commit} · {self.portal} ({self.profile}) · walkthrough {self.walkthrough}"
        if self.verified:
            return f"<sub>✔ Verified {self.date} · {where}</sub>"
        kept = f"image from the last good run ({self.last_good})" if self.last_good else "no good image yet"
        return (f"<sub>✘ Not verified {self.date} · {where}: {self.reason}; {kept}; the failing "
                f"screen: [{name}.failed.png]({image_folder}/{name}.failed.png)</sub>")


def current_commit(root: Path) -> str:
    """HEAD's short id, "+changes" when the checkout differs from it outside docs/."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "(no git)"
    changed = git("status", "--porcelain", "--", ".", ":(exclude)docs")
    return f"{head}+changes" if changed else head


def stamp_run(names_by_step: dict[str, list[str]], outcomes: dict[str, str | None],
              walkthroughs: dict[str, str], previous: dict[str, Stamp], *, commit: str,
              today: dt.date) -> dict[str, Stamp]:
    """The stamps after a run: each image of a step in `outcomes` (None: passed, else the
    reason it is not verified) stamped anew; the others as they were."""
    stamps = dict(previous)
    for step, reason in outcomes.items():
        for name in names_by_step.get(step, []):
            fresh = Stamp(today.isoformat(), commit, PORTAL, PROFILE, walkthroughs[step], reason is None)
            if reason is not None:
                before = previous.get(name)
                last_good = (f"{before.date} {before.commit}" if before and before.verified
                             else before.last_good if before else "")
                fresh = replace(fresh, reason=reason, last_good=last_good)
            stamps[name] = fresh
    return stamps


def load_stamps(out: Path) -> dict[str, Stamp]:
    path = out / STAMPS_FILE
    if not path.is_file():
        return {}
    try:
        return {name: Stamp(**fields) for name, fields in json.loads(path.read_text(encoding="utf-8")).items()}
    except (ValueError, TypeError) as exc:
        raise DocsError(f"{path} is not a stamps file ({exc}): delete it to start afresh") from None


def save_stamps(out: Path, stamps: dict[str, Stamp], order: list[str]) -> None:
    ordered = {name: asdict(stamps[name]) for name in order if name in stamps}
    try:
        (out / STAMPS_FILE).write_text(json.dumps(ordered, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot write to {out}: {exc.strerror}") from None
