"""Verified stamps (SPEC §10): per image, the run that vouches for it.

OUT/verified.json holds, per image, the date, the commit, the portal and profile, the
scenario that shot it and its outcome, what the published figure needs from that run
(the values its caption fills in, what it rings, its size), and two fingerprints: of
the image's bytes and of the words checked against its screen (its marker, and the
labels its section quotes).

- Only a run that shot the image and checked its words grants "verified". A stamp is
  re-dated only when the image or the figure's values or words changed: a rebuild that
  changes nothing leaves verified.json as it was.
- A run that does not shoot an image (--only, --text-only) keeps its stamp, unless the
  words it was verified with changed since: then the stamp is cleared (not verified,
  until a run shoots it again). Never granted without a shot.
- An image whose scenario failed, or whose words no longer match its screen, is stamped
  not verified with the reason and keeps the date and commit of its last good run (its
  image stays the last good one; the failing screen is written beside it as
  <name>.failed.png).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from .errors import DocsError

STAMPS_FILE = "verified.json"
PORTAL = "simulator"  # the reference portal the scenarios run on (embedded, control API on)


@dataclass(frozen=True)
class Stamp:
    date: str  # the day the image or its values last changed, ISO
    commit: str  # the checkout's commit then, "+changes" when tracked files outside docs/ differed
    portal: str
    profile: str
    scenario: str
    verified: bool
    reason: str = ""  # why not verified
    last_good: str = ""  # "DATE commit" of the last verified run, when this one failed
    figure: dict = field(default_factory=dict)  # fills, ringed, title, kind, width, height, dark
    image: str = ""  # fingerprint of the image's bytes (light and dark)
    words: str = ""  # fingerprint of the words checked against its screen


def fingerprint(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else json.dumps(part, ensure_ascii=False).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def current_commit(root: Path) -> str:
    """HEAD's short id, "+changes" when a tracked file outside docs/ differs from it
    (untracked files, a scratch folder, say nothing about the product)."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "(no git)"
    changed = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)docs")
    return f"{head}+changes" if changed else head


def stamp(previous: Stamp | None, *, reason: str | None, scenario: str, profile: str, figure: dict,
          commit: str, today: dt.date, image: str = "", words: str = "") -> Stamp:
    """The stamp of one image after a run that shot it: `reason` None when verified,
    else why not. A verified image whose bytes, values and words are those of its
    verified stamp keeps that stamp, date and all."""
    fresh = Stamp(today.isoformat(), commit, PORTAL, profile, scenario, reason is None, figure=figure,
                  image=image, words=words)
    if reason is None:
        if (previous is not None and previous.verified and previous.image == image and previous.words == words
                and previous.figure == figure and (previous.profile, previous.scenario) == (profile, scenario)):
            return previous
        return fresh
    if previous is not None and not previous.verified and previous.reason == reason:
        return previous  # failing as before: not verified since then
    last_good = (f"{previous.date} {previous.commit}" if previous and previous.verified
                 else previous.last_good if previous else "")
    # The figure keeps the last good run's values: its image is the one shown.
    return replace(fresh, reason=reason, last_good=last_good, figure=previous.figure if previous else figure,
                   image=previous.image if previous else "", words=previous.words if previous else "")


def recheck(previous: Stamp | None, *, words: str, step: str) -> Stamp | None:
    """The stamp of an image a run did not shoot: kept while the words it was verified
    with are unchanged; cleared (not verified) when they changed. Never granted."""
    if previous is None or not previous.verified or previous.words == words:
        return previous
    return replace(previous, verified=False, last_good=f"{previous.date} {previous.commit}",
                   reason=(f"its words changed since it was verified: `portal-docs build --only {step}` "
                           f"checks them against the screen"))


def load_stamps(out: Path) -> dict[str, Stamp]:
    path = out / STAMPS_FILE
    if not path.is_file():
        return {}
    try:
        stamps = json.loads(path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(Stamp)}
        return {name: Stamp(**{key: value for key, value in entry.items() if key in known})
                for name, entry in stamps.items()}
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
