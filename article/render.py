"""Rendering the shots: the acceptance scenarios the markers name, run with the shooter.

One pytest run per article in a child process (`-p article.shooter`; the articles of
two languages run side by side), against the suite's own simulator with the
whole-portal driver, one browser and one simulator for all of its scenarios: each scenario replaces the portal's state, so
logins, service ids and invoice numbers read as the scenario writes them and the
images are stable to the byte (fixed clock and viewport, the portal's own font, no
animation, caret, hover or focus).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import DocsError
from .record import MANIFEST, PASSED, ShotRecord
from .source import PROJECT, Source

SUITE = "tests/test_acceptance.py"
DRIVER = "drivers.simulator:WholePortalDriver"
RUN_TIMEOUT_S = 600


@dataclass
class Shot:
    """What the run made of one marker: its record and its images."""

    record: ShotRecord
    light: bytes | None = None
    dark: bytes | None = None
    failed_screen: bytes | None = None

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def verified(self) -> bool:
        """Its scenario passed after the shot (the words are checked apart)."""
        return self.record.outcome == PASSED


@dataclass
class Rendered:
    shots: dict[str, Shot]  # by image name, in the article's order
    renderer: str
    seconds: float = 0.0


# Plugins of the suite's environment the shots do not need (hypothesis alone takes a second to import).
UNNEEDED_PLUGINS = ("xdist", "xdist.looponfail", "randomly", "random_order", "hypothesispytest", "html",
                    "html_fixtures", "metadata", "split", "repeat", "platformdirs")


@dataclass
class Running:
    """A child pytest shooting one article's markers."""

    source: Source
    markers: list
    folder: tempfile.TemporaryDirectory
    process: subprocess.Popen
    started: float


def start(source: Source, *, scale: int = 1, only: Iterable[str] | None = None, names: Iterable[str] | None = None,
          stylesheet: Path | None = None, profile: str | None = None, probe: bool = False) -> Running:
    """Start the run of the scenarios of the markers (of the steps in `only`, or the images
    in `names`, when given): one browser and one simulator for all of them."""
    wanted = set(only) if only is not None else None
    chosen = set(names) if names is not None else None
    markers = [marker for marker in source.markers.values()
               if (wanted is None or marker.step in wanted) and (chosen is None or marker.name in chosen)]
    holder = tempfile.TemporaryDirectory(prefix="article-shots-")
    folder = Path(holder.name)
    (folder / "markers.json").write_text(
        json.dumps([{**m.as_json(), "probe": probe} for m in markers], ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "-m", "pytest", SUITE, "-p", "article.shooter",
               "--article-markers", str(folder / "markers.json"), "--article-shots", str(folder / "shots"),
               "--article-scale", str(scale), "--article-locale", source.locale,
               "--ui-profile", profile or source.locale, "--portal-driver", DRIVER,
               "--output", str(folder / "test-results"), "-q", "--conformance", str(folder / "conformance"),
               *(option for name in UNNEEDED_PLUGINS for option in ("-p", f"no:{name}"))]
    if stylesheet is not None:
        command += ["--article-stylesheet", str(stylesheet)]
    # Nothing of a pytest this runs under (an xdist worker's ids, the current test) leaks into the child.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTEST_XDIST_", "PYTEST_CURRENT_TEST", "PYTEST_ADDOPTS"))}
    with open(folder / "output.txt", "wb") as output:  # a file, not a pipe: it never fills up
        process = subprocess.Popen(command, cwd=PROJECT, stdout=output, stderr=subprocess.STDOUT, env=env)
    return Running(source, markers, holder, process, time.monotonic())


def finish(running: Running) -> Rendered:
    """Wait for the run's manifest and read what it shot. The manifest is written once the
    last scenario's steps are done: the child may still be closing its browser and
    portal; reap() waits for that."""
    folder = Path(running.folder.name)
    manifest_path = folder / "shots" / MANIFEST
    deadline = running.started + RUN_TIMEOUT_S
    while not manifest_path.is_file() and running.process.poll() is None:
        if time.monotonic() > deadline:
            reap(running)
            raise DocsError(f"the scenarios did not finish in {RUN_TIMEOUT_S} s")
        time.sleep(0.03)
    if not manifest_path.is_file():
        output = reap(running)
        tail = " | ".join(line for line in output.splitlines()[-6:] if line.strip())
        raise DocsError(f"the scenarios could not be run (pytest exit {running.process.returncode}): {tail}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    records = {name: ShotRecord.from_json(data) for name, data in manifest["records"].items()}
    shots = {marker.name: _shot(records[marker.name], folder / "shots") for marker in running.markers}
    return Rendered(shots, manifest["renderer"], time.monotonic() - running.started)


def reap(running: Running) -> str:
    """Wait for the child to end (killed if it hangs), remove its folder; its output."""
    try:
        running.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        running.process.kill()
        running.process.wait()
    output = Path(running.folder.name, "output.txt").read_text(encoding="utf-8", errors="replace")
    running.folder.cleanup()
    return output


def render(source: Source, **options) -> Rendered:
    """Run the scenarios of the markers and shoot them (see start())."""
    running = start(source, **options)
    try:
        return finish(running)
    finally:
        reap(running)


def _shot(record: ShotRecord, folder: Path) -> Shot:
    def read(file):
        return (folder / file).read_bytes() if file and (folder / file).is_file() else None

    light, dark = (record.images + [None, None])[:2]
    return Shot(record, read(light), read(dark), read(record.failed_screen))
