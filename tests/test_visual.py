"""The visual regression gate: the article's screenshots, rendered again, match docs/img.

`pytest -m visual` runs only this gate; plain `pytest` (and `make test`) runs it too.
Each step's screenshot is rendered exactly as `portal-sim docs` renders it and compared
with the committed image: identical pixels pass at once; otherwise pixelmatch counts
the pixels that differ (anti-aliasing aside) and more than docs_cli.MAX_DIFF_RATIO of
them fails the step, leaving reports/visual-diff/<step>.diff.png (changes in red) and
<step>.actual.png for review. An intended change is accepted with
`portal-sim docs --update`, which rewrites just the images that changed.

Pixels are compared only with renders of the same browser build (docs/img/renderer.txt):
under another build the gate is skipped, saying why, or fails when VISUAL_GATE_STRICT
is set (as in the CI job that pins the browser).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator import docs_cli

pytestmark = pytest.mark.visual

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "docs" / "img"
DIFFS = ROOT / "reports" / "visual-diff"
SOURCE = docs_cli.load_source(ROOT / "docs")


def check(step: str, png: bytes, diffs: Path = DIFFS) -> docs_cli.Difference:
    """Compare `png` with the committed image of `step`, leaving a diff for review."""
    for stale in diffs.glob(f"{step}.*.png"):
        stale.unlink()
    committed = COMMITTED / f"{step}.png"
    assert committed.is_file(), f"docs/img/{step}.png is missing: run `portal-sim docs` and commit it"
    difference = docs_cli.compare(committed.read_bytes(), png, diffs / f"{step}.diff.png")
    if difference.beyond_threshold:
        (diffs / f"{step}.actual.png").write_bytes(png)
    elif (diffs / f"{step}.diff.png").exists():
        (diffs / f"{step}.diff.png").unlink()  # within the threshold: nothing to review
    return difference


def require_same_renderer(current: str) -> None:
    recorded = COMMITTED / docs_cli.RENDERER_FILE
    committed = recorded.read_text(encoding="utf-8").strip() if recorded.is_file() else "(not recorded)"
    if current == committed:
        return
    message = (f"docs/img was rendered by {committed} and this run renders with {current}; "
               f"text anti-aliasing differs between browser builds, so their pixels are not "
               f"comparable: use the same browser (CHROMIUM_PATH), or accept this one's renders "
               f"with `portal-sim docs --update`")
    if os.environ.get("VISUAL_GATE_STRICT"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def rendered(playwright) -> docs_cli.Shots:
    shots = docs_cli.render(SOURCE, playwright=playwright)
    require_same_renderer(shots.renderer)
    return shots


@pytest.mark.parametrize("step", list(SOURCE.markers))
def test_the_screenshot_matches_the_committed_one(rendered, step):
    difference = check(step, rendered[step])
    assert not difference.beyond_threshold, (
        f"docs/img/{step}.png changed: {difference}; see reports/visual-diff/{step}.diff.png "
        f"and {step}.actual.png; if the change is intended, run `portal-sim docs --update`")


def test_the_gate_compares_only_renders_of_the_same_browser_build(monkeypatch):
    with pytest.raises(pytest.skip.Exception, match="rendered by .* and this run renders with other-browser 1.0"):
        require_same_renderer("other-browser 1.0")
    monkeypatch.setenv("VISUAL_GATE_STRICT", "1")
    with pytest.raises(pytest.fail.Exception, match="text anti-aliasing differs"):
        require_same_renderer("other-browser 1.0")


def test_every_committed_screenshot_belongs_to_a_step():
    committed = sorted(path.stem for path in COMMITTED.glob("*.png"))
    assert committed == sorted(SOURCE.markers), "docs/img holds images no step renders (or lacks some)"


@pytest.mark.parametrize("accent", ["#1c7c3c", "#2b6fd1"], ids=["green accent", "slightly lighter accent"])
def test_the_gate_fails_on_a_changed_css_colour(playwright, tmp_path, accent):
    """A copy of the stylesheet with another accent colour, served instead of the real one."""
    css = (ROOT / "simulator" / "static" / "portal.css").read_text(encoding="utf-8")
    changed = css.replace("--accent: #1f5fbf;", f"--accent: {accent};", 1)
    assert changed != css, "the light accent colour moved; pick another to change"

    def serve_changed_css(context):
        context.route("**/static/portal.css",
                      lambda route: route.fulfill(body=changed, content_type="text/css"))

    step = "faq-link-not-displayed"
    shots = docs_cli.render(SOURCE, only=[step], playwright=playwright, prepare_context=serve_changed_css)
    require_same_renderer(shots.renderer)  # else any render differs, changed colour or not
    difference = check(step, shots[step], diffs=tmp_path)

    assert difference.beyond_threshold, f"a changed accent colour went unnoticed: {difference}"
    from PIL import Image

    with Image.open(tmp_path / f"{step}.diff.png") as diff:
        assert (255, 0, 0, 255) in {colour for _, colour in diff.getcolors(maxcolors=1 << 20)}
