"""Rendering the shots: the acceptance scenarios the markers name, run with the shooter.

One pytest run in a child process (`-p article.shooter`), against the suite's own
simulator with the whole-portal driver: each scenario replaces the portal's state, so
logins, service ids and invoice numbers read as the scenario writes them and the
images are stable to the byte (fixed clock and viewport, the portal's own font, no
animation, caret, hover or focus).
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .errors import DocsError
from .source import PROJECT, Source

SUITE = "tests/test_acceptance.py"
DRIVER = "drivers.simulator:WholePortalDriver"
RUN_TIMEOUT_S = 600


@dataclass
class Shot:
    """What the run made of one marker."""

    name: str
    verified: bool
    reason: str = ""  # why not verified
    scenario: str = ""
    step: str = ""  # the Gherkin step it was shot after
    light: bytes | None = None
    dark: bytes | None = None
    failed_screen: bytes | None = None
    screen: str = ""  # the text on screen when it was shot
    seen: str = ""  # the text of every screen its scenario showed
    fills: dict = field(default_factory=dict)
    plans: list = field(default_factory=list)
    ringed: list = field(default_factory=list)  # how each ringed target reads
    title: str = ""  # the page's heading
    kind: str = "page"


@dataclass
class Rendered:
    shots: dict[str, Shot]  # by image name, in the article's order
    renderer: str
    seconds: float = 0.0


def render(source: Source, *, scale: int = 1, only: Iterable[str] | None = None,
           stylesheet: Path | None = None, profile: str | None = None) -> Rendered:
    """Run the scenarios of the markers (of the steps in `only`, when given) and shoot them."""
    wanted = set(only) if only is not None else None
    markers = [marker for marker in source.markers.values() if wanted is None or marker.step in wanted]
    with tempfile.TemporaryDirectory(prefix="article-shots-") as folder:
        folder = Path(folder)
        (folder / "markers.json").write_text(json.dumps([m.as_json() for m in markers], ensure_ascii=False),
                                             encoding="utf-8")
        command = [sys.executable, "-m", "pytest", SUITE, "-p", "article.shooter",
                   "--article-markers", str(folder / "markers.json"), "--article-shots", str(folder / "shots"),
                   "--article-scale", str(scale), "--article-locale", source.locale,
                   "--ui-profile", profile or source.locale, "--portal-driver", DRIVER,
                   "--output", str(folder / "test-results"), "-q", "-p", "no:xdist", "-p", "no:randomly",
                   "--conformance", str(folder / "conformance")]
        if stylesheet is not None:
            command += ["--article-stylesheet", str(stylesheet)]
        try:
            done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise DocsError(f"the scenarios did not finish in {RUN_TIMEOUT_S} s") from None
        manifest_path = folder / "shots" / "manifest.json"
        if not manifest_path.is_file():
            tail = " | ".join(line for line in (done.stdout + done.stderr).splitlines()[-6:] if line.strip())
            raise DocsError(f"the scenarios could not be run (pytest exit {done.returncode}): {tail}")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        shots = {marker.name: _shot(marker.name, manifest["markers"][marker.name], folder / "shots")
                 for marker in markers}
    return Rendered(shots, manifest["renderer"])


def _shot(name: str, result: dict, folder: Path) -> Shot:
    def read(file):
        return (folder / file).read_bytes() if file and (folder / file).is_file() else None

    images = result.get("images") or []
    return Shot(
        name, result["outcome"] == "passed", result.get("reason", ""), result.get("scenario", ""),
        result.get("step", ""), read(images[0] if images else None), read(images[1] if len(images) > 1 else None),
        read(result.get("failed_screen")), result.get("screen", ""), result.get("seen", ""),
        result.get("fills") or {}, result.get("plans") or [], result.get("ringed") or [],
        result.get("title", ""), result.get("kind", "page"))
