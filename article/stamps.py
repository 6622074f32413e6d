"""Verified stamps (SPEC §10): per image, the run that vouches for it.

OUT/verified.json holds, per image, the date, the commit, the portal and profile, the
scenario that shot it and its outcome, and what the published figure needs from that
run (the values its caption fills in, what it rings, its size). An image whose
scenario failed, or whose words no longer match its screen, is stamped not verified
with the reason and keeps the date and commit of its last good run (its image stays
the last good one; the failing screen is written beside it as <name>.failed.png). A
run that does not shoot an image (--only, --text-only) keeps its stamp as it was.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .errors import DocsError

STAMPS_FILE = "verified.json"
PORTAL = "simulator"  # the reference portal the scenarios run on (embedded, control API on)

WORDS = {
    "en": {"verified": "✔ Verified", "not verified": "✘ Not verified", "commit": "commit",
           "scenario": "scenario", "kept": "image from the last good run", "none": "no good image yet",
           "failing": "the failing screen", "quoted": "“{}”"},
    "ja": {"verified": "✔ 検証済み", "not verified": "✘ 未検証", "commit": "コミット",
           "scenario": "シナリオ", "kept": "画像は最後に成功した実行のもの", "none": "成功した画像はまだありません",
           "failing": "失敗した画面", "quoted": "「{}」"},
}


@dataclass(frozen=True)
class Stamp:
    date: str  # the run's day, ISO
    commit: str  # the checkout's commit, "+changes" when files outside docs/ differ from it
    portal: str
    profile: str
    scenario: str
    verified: bool
    reason: str = ""  # why not verified
    last_good: str = ""  # "DATE commit" of the last verified run, when this one failed
    figure: dict = field(default_factory=dict)  # fills, ringed, title, kind, width, height, dark

    def line(self, image_folder: str, name: str, locale: str = "en") -> str:
        """The stamp as the published article shows it, below the figure."""
        words = WORDS.get(locale, WORDS["en"])
        where = (f"{words['commit']} {self.commit} · {self.portal} ({self.profile}) · "
                 f"{words['scenario']} {words['quoted'].format(self.scenario)}")
        if self.verified:
            return f"<sub>{words['verified']} {self.date} · {where}</sub>"
        kept = f"{words['kept']} ({self.last_good})" if self.last_good else words["none"]
        return (f"<sub>{words['not verified']} {self.date} · {where}: {self.reason}; {kept}; {words['failing']}: "
                f"[{name}.failed.png]({image_folder}/{name}.failed.png)</sub>")


def current_commit(root: Path) -> str:
    """HEAD's short id, "+changes" when the checkout differs from it outside docs/."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "(no git)"
    changed = git("status", "--porcelain", "--", ".", ":(exclude)docs")
    return f"{head}+changes" if changed else head


def stamp(previous: Stamp | None, *, reason: str | None, scenario: str, profile: str, figure: dict,
          commit: str, today: dt.date) -> Stamp:
    """The stamp of one image after a run: `reason` None when verified, else why not."""
    fresh = Stamp(today.isoformat(), commit, PORTAL, profile, scenario, reason is None, figure=figure)
    if reason is None:
        return fresh
    last_good = (f"{previous.date} {previous.commit}" if previous and previous.verified
                 else previous.last_good if previous else "")
    # The figure keeps the last good run's values: its image is the one shown.
    return replace(fresh, reason=reason, last_good=last_good, figure=previous.figure if previous else figure)


def load_stamps(out: Path) -> dict[str, Stamp]:
    path = out / STAMPS_FILE
    if not path.is_file():
        return {}
    try:
        stamps = json.loads(path.read_text(encoding="utf-8"))
        for fields in stamps.values():  # stamps from before shots were taken by scenarios
            if "walkthrough" in fields:
                fields["scenario"] = f"walkthrough {fields.pop('walkthrough')}"
        return {name: Stamp(**fields) for name, fields in stamps.items()}
    except (ValueError, TypeError) as exc:
        raise DocsError(f"{path} is not a stamps file ({exc}): delete it to start afresh") from None


def save_stamps(out: Path, stamps: dict[str, Stamp], order: list[str]) -> None:
    ordered = {name: asdict(stamps[name]) for name in order if name in stamps}
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / STAMPS_FILE).write_text(json.dumps(ordered, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot write to {out}: {exc.strerror}") from None
