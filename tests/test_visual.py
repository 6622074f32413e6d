"""The visual regression gate (SPEC §10): the article's images, rendered again, match docs/img.

`pytest -m visual` runs only this gate; plain `pytest` (and `make test`) runs it too.
Each image is rendered exactly as `portal-sim docs` renders it and judged against the
committed one (article.gate):

- identical bytes pass, whichever browser build rendered them;
- otherwise pixelmatch counts the pixels that differ (anti-aliasing aside): within
  article.compare.MAX_DIFF_RATIO passes, beyond it fails, leaving
  reports/visual-diff/<name>.diff.png (changes in red) and <name>.actual.png for review;
- beyond it when another build rendered the committed image (docs/img/renderer.txt), the
  comparison is "not made": the run says so in its summary line ("2 not made") and lists
  why (article.gate_report), or fails under VISUAL_GATE_STRICT (the CI job pinning the
  browser). Never a quiet skip.

An intended change is accepted with `portal-sim docs --update`, which rewrites just the
images that changed.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from article import gate, shots
from article.gate_report import settle
from article.images import recorded_renderer
from article.source import load_source

pytestmark = pytest.mark.visual

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "docs" / "img"
DIFFS = ROOT / "reports" / "visual-diff"
SOURCE = load_source(ROOT / "docs")
# Every committed image: the light one of each marker, and the dark one of each screen.
IMAGES = [*SOURCE.markers, *(f"dark/{name}" for name, marker in SOURCE.markers.items() if marker.pdf is None)]


def check(name: str, png: bytes, current: str, diffs: Path = DIFFS) -> gate.Verdict:
    """Judge `png` against the committed image `name`, leaving a diff for review."""
    for stale in diffs.glob(f"{name}.*.png"):
        stale.unlink()
    committed = COMMITTED / f"{name}.png"
    assert committed.is_file(), f"docs/img/{name}.png is missing: run `portal-sim docs` and commit it"
    verdict = gate.judge(committed.read_bytes(), png, recorded=recorded_renderer(COMMITTED),
                         current=current, diff_path=diffs / f"{name}.diff.png")
    if not verdict.passed:
        (diffs / f"{name}.actual.png").write_bytes(png)
    elif (diffs / f"{name}.diff.png").exists():
        (diffs / f"{name}.diff.png").unlink()  # within the threshold: nothing to review
    return verdict


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, bytes]:
    """Every image, shot as `portal-sim docs` shoots it: the scenarios run with the shooter.
    Shot once per run: under xdist the first worker shoots, the others read its files."""
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent / "visual-shots"  # (the workers' common folder)
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "renderer.txt").exists():
            run = shots.render(SOURCE)
            failed = {name: shot.reason for name, shot in run.shots.items() if not shot.verified}
            assert not failed, f"the article's scenarios failed: {failed}"
            for name, shot in run.shots.items():
                (shared / f"{name}.png").write_bytes(shot.light)
                if shot.dark is not None:
                    (shared / f"dark-{name}.png").write_bytes(shot.dark)
            (shared / "renderer.txt").write_text(run.renderer, encoding="utf-8")
    images = {name: (shared / f"{name.replace('dark/', 'dark-')}.png").read_bytes() for name in IMAGES}
    images["renderer"] = (shared / "renderer.txt").read_text(encoding="utf-8")
    return images


@pytest.mark.parametrize("name", IMAGES)
def test_the_image_matches_the_committed_one(rendered, name, record_property):
    diffs = DIFFS / "dark" if name.startswith("dark/") else DIFFS
    diffs.mkdir(parents=True, exist_ok=True)
    settle(check(name, rendered[name], rendered["renderer"], diffs=DIFFS), name, record_property)


def test_every_committed_image_belongs_to_a_marker():
    committed = sorted(str(path.relative_to(COMMITTED).with_suffix("")) for path in COMMITTED.rglob("*.png")
                       if not path.name.endswith(".failed.png"))
    assert committed == sorted(IMAGES), "docs/img holds images no marker asks for (or lacks some)"


def test_the_gate_fails_on_a_changed_css_colour(tmp_path, accent="#2b6fd1"):
    """A copy of the stylesheet with a slightly lighter accent colour (#1f5fbf -> #2b6fd1),
    served instead of the real one."""
    css = (ROOT / "simulator" / "static" / "portal.css").read_text(encoding="utf-8")
    changed = css.replace("--accent: #1f5fbf;", f"--accent: {accent};", 1)
    assert changed != css, "the light accent colour moved; pick another to change"
    stylesheet = tmp_path / "portal.css"
    stylesheet.write_text(changed, encoding="utf-8")

    name = "faq-link-not-displayed"
    run = shots.render(SOURCE, only=[name], stylesheet=stylesheet)
    assert list(run.shots) == [name]  # --only: the images of that step alone
    verdict = check(name, run.shots[name].light, recorded_renderer(COMMITTED), diffs=tmp_path)

    assert verdict.outcome == gate.CHANGED, f"a changed accent colour went unnoticed: {verdict}"
    from PIL import Image

    with Image.open(tmp_path / f"{name}.diff.png") as diff:
        assert (255, 0, 0, 255) in {colour for _, colour in diff.getcolors(maxcolors=1 << 20)}


# The verdicts themselves, on small images (no browser).

def _png(block: int = 0) -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", (200, 100), "white")
    if block:
        image.paste((0, 0, 0), (10, 10, 10 + block, 10 + block))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("actual, current, outcome", [
    (_png(), "other-browser 1.0", gate.IDENTICAL),
    (_png(block=1), "browser 2.0", gate.WITHIN),  # 1 pixel of 20,000; 0.01 % allows 2
    (_png(block=20), "browser 2.0", gate.CHANGED),
    (_png(block=20), "other-browser 1.0", gate.NOT_MADE),
], ids=["identical bytes, another build", "one pixel", "changed, same build", "changed, another build"])
def test_the_verdict(actual, current, outcome):
    verdict = gate.judge(_png(), actual, recorded="browser 2.0", current=current)
    assert verdict.outcome == outcome, verdict
    assert verdict.passed == (outcome in (gate.IDENTICAL, gate.WITHIN))


def test_a_comparison_not_made_is_counted_in_the_summary_line(tmp_path):
    """Through the gate's own settle(): not a pass, not a skip; a failure under VISUAL_GATE_STRICT."""
    (tmp_path / "test_gate.py").write_text(
        "from article import gate\n"
        "from article.gate_report import settle\n"
        "def test_not_made(record_property):\n"
        "    settle(gate.Verdict(gate.NOT_MADE, 'rendered by browser 1, this by browser 2'),\n"
        "           'upgrade-5', record_property)\n"
        "def test_identical(record_property):\n"
        "    settle(gate.Verdict(gate.IDENTICAL, 'identical bytes'), 'upgrade-1', record_property)\n",
        encoding="utf-8")

    def run(**env):
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "article.gate_report", "-p", "no:cacheprovider",
             "--rootdir", str(tmp_path), "-c", "/dev/null", str(tmp_path)],
            cwd=tmp_path, capture_output=True, text=True, timeout=120,
            # The CI job's own VISUAL_GATE_STRICT must not reach the quiet run.
            env={**{k: v for k, v in os.environ.items() if k != "VISUAL_GATE_STRICT"},
                 "PYTHONPATH": str(ROOT), **env})

    quiet = run()
    assert quiet.returncode == 0, quiet.stdout[-2000:]
    assert re.fullmatch(r"=+ 1 passed, 1 not made in [\d.]+s =+", quiet.stdout.splitlines()[-1])
    assert "NOT MADE test_gate.py::test_not_made: rendered by browser 1, this by browser 2" in quiet.stdout
    strict = run(VISUAL_GATE_STRICT="1")
    assert strict.returncode == 1
    assert re.fullmatch(r"=+ 1 failed, 1 passed in [\d.]+s =+", strict.stdout.splitlines()[-1])
