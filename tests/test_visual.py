"""The visual regression gate (SPEC §10): every committed article's images (docs/img and
docs/ja/img, light and dark), rendered again, match the committed ones.

`pytest -m visual` runs only this gate; plain `pytest` (and `make test`) runs it too.
Each run shoots every image afresh, as `portal-docs build` does (both languages side by
side), into a folder of its own run (article.gate.run_folder: shared by the run's xdist
workers, never by another run), and judges it against the committed one (article.gate):

- identical bytes pass, whichever browser build rendered them;
- otherwise pixelmatch counts the pixels that differ (anti-aliasing aside): within
  article.compare.MAX_DIFF_RATIO passes, beyond it fails, leaving
  reports/visual-diff/<locale>/<name>.diff.png (changes in red) and <name>.actual.png;
- beyond it when another build rendered the committed image (img/renderer.txt), the
  comparison is "not made": the run says so in its summary line ("2 not made") and lists
  why (article.gate_report), or fails under VISUAL_GATE_STRICT (the CI job pinning the
  browser). Never a quiet skip. A marker without a committed image, or whose shot
  failed, fails by name.

An intended change is accepted with `portal-docs build --update`, which rewrites just the
images that changed.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from article import gate, render
from article.gate_report import settle
from article.images import recorded_renderer
from article.source import load_source

pytestmark = pytest.mark.visual

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = {"en": ROOT / "docs", "ja": ROOT / "docs" / "ja"}
SOURCES = {locale: load_source(out, locale) for locale, out in ARTICLES.items()}
DIFFS = ROOT / "reports" / "visual-diff"
# Every committed image of every article: the light one of each marker, the dark one of each screen.
IMAGES = [(locale, name) for locale, source in SOURCES.items()
          for name in [*source.markers, *(f"dark/{n}" for n, m in source.markers.items() if m.pdf is None)]]


def check(committed: Path, png: bytes, current: str, diffs: Path, name: str) -> gate.Verdict:
    """Judge `png` against the committed image, leaving a diff for review."""
    for stale in diffs.glob(f"{name}.*.png"):
        stale.unlink()
    assert committed.is_file(), (f"{committed.relative_to(ROOT)} is missing: run `portal-docs build` and "
                                 f"commit it")
    verdict = gate.judge(committed.read_bytes(), png, recorded=recorded_renderer(committed.parent if
                         committed.parent.name != "dark" else committed.parent.parent),
                         current=current, diff_path=diffs / f"{name}.diff.png")
    if not verdict.passed:
        (diffs / f"{name}.actual.png").parent.mkdir(parents=True, exist_ok=True)
        (diffs / f"{name}.actual.png").write_bytes(png)
    elif (diffs / f"{name}.diff.png").exists():
        (diffs / f"{name}.diff.png").unlink()  # within the threshold: nothing to review
    return verdict


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict:
    """Every image of every article, shot afresh by this run as `portal-docs build` shoots
    them; under xdist the first worker of the run shoots, the others read its files."""
    import fcntl

    folder = gate.run_folder(tmp_path_factory.getbasetemp())
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            runs = {locale: render.start(source) for locale, source in SOURCES.items()}  # side by side
            for locale, running in runs.items():
                try:
                    shot = render.finish(running)
                finally:
                    render.reap(running)
                (folder / locale / "dark").mkdir(parents=True, exist_ok=True)
                (folder / locale / "renderer.txt").write_text(shot.renderer, encoding="utf-8")
                for name, taken in shot.shots.items():
                    if not taken.verified:
                        (folder / locale / f"{name}.failed.txt").write_text(taken.record.reason, encoding="utf-8")
                    for file, png in ((f"{name}.png", taken.light), (f"dark/{name}.png", taken.dark)):
                        if png is not None:
                            (folder / locale / file).write_bytes(png)
            (folder / "done").write_text("", encoding="utf-8")
    return {"folder": folder}


@pytest.mark.parametrize("locale, name", IMAGES, ids=[f"{locale}/{name}" for locale, name in IMAGES])
def test_the_image_matches_the_committed_one(rendered, locale, name, record_property):
    shots = rendered["folder"] / locale
    failed = shots / f"{name.removeprefix('dark/')}.failed.txt"
    assert not failed.exists(), f"{locale} {name}: its scenario failed: {failed.read_text(encoding='utf-8')}"
    fresh = shots / f"{name}.png"
    assert fresh.is_file(), f"{locale} {name}: not shot by this run"
    committed = ARTICLES[locale] / "img" / f"{name}.png"
    diffs = DIFFS / locale
    verdict = check(committed, fresh.read_bytes(), (shots / "renderer.txt").read_text(encoding="utf-8"), diffs, name)
    settle(verdict, name, record_property, committed=str(committed.relative_to(ROOT)),
           diffs=str(diffs.relative_to(ROOT)))


@pytest.mark.parametrize("locale", ARTICLES)
def test_every_committed_image_belongs_to_a_marker(locale):
    folder = ARTICLES[locale] / "img"
    committed = sorted(str(path.relative_to(folder).with_suffix("")) for path in folder.rglob("*.png")
                       if not path.name.endswith(".failed.png"))
    assert committed == sorted(name for where, name in IMAGES if where == locale), (
        f"{folder.relative_to(ROOT)} holds images no marker asks for (or lacks some)")


def test_the_gate_shoots_into_a_folder_of_its_own_run(tmp_path):
    """Not /tmp/pytest-of-USER/visual-shots, which every run without xdist shared: a later
    run read an earlier one's images (36 passed with portal.css changed)."""
    base = tmp_path / "pytest-of-root" / "pytest-7"
    alone = gate.run_folder(base, {})
    assert alone == base / "visual-shots" and alone != base.parent / "visual-shots"
    worker = base / "popen-gw1"
    one = gate.run_folder(worker, {"PYTEST_XDIST_WORKER": "gw1", "PYTEST_XDIST_TESTRUNUID": "a1"})
    assert one == gate.run_folder(base / "popen-gw0", {"PYTEST_XDIST_WORKER": "gw0", "PYTEST_XDIST_TESTRUNUID": "a1"})
    assert one != gate.run_folder(worker, {"PYTEST_XDIST_WORKER": "gw1", "PYTEST_XDIST_TESTRUNUID": "b2"})


def test_the_gate_covers_every_committed_article():
    assert {locale for locale, _ in IMAGES} == {"en", "ja"}
    assert ("ja", "dark/upgrade-5") in IMAGES


def test_the_gate_fails_on_a_changed_css_colour(tmp_path, accent="#2b6fd1"):
    """A copy of the stylesheet with a slightly lighter accent colour (#1f5fbf -> #2b6fd1),
    served instead of the real one."""
    css = (ROOT / "simulator" / "static" / "portal.css").read_text(encoding="utf-8")
    changed = css.replace("--accent: #1f5fbf;", f"--accent: {accent};", 1)
    assert changed != css, "the light accent colour moved; pick another to change"
    stylesheet = tmp_path / "portal.css"
    stylesheet.write_text(changed, encoding="utf-8")

    name = "faq-link-not-displayed"
    run = render.render(SOURCES["en"], only=[name], stylesheet=stylesheet)
    assert list(run.shots) == [name]  # --only: the images of that step alone
    committed = ARTICLES["en"] / "img" / f"{name}.png"
    verdict = check(committed, run.shots[name].light, recorded_renderer(committed.parent), tmp_path, name)

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


def test_a_new_marker_without_a_committed_image_fails_by_name_and_does_not_crash(tmp_path):
    with pytest.raises(AssertionError, match=r"docs/img/upgrade-8.png is missing: run `portal-docs build`"):
        check(ROOT / "docs" / "img" / "upgrade-8.png", _png(), "browser 2.0", tmp_path, "upgrade-8")


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
