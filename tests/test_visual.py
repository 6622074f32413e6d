"""The visual regression gate: the article's screenshots, rendered again, match docs/img.

`pytest -m visual` runs only this gate; plain `pytest` (and `make test`) runs it too.
Each step's screenshot is rendered exactly as `portal-sim docs` renders it and compared
with the committed image: identical pixels pass at once; otherwise pixelmatch counts
the pixels that differ (anti-aliasing aside) and more than docs_cli.MAX_DIFF_RATIO of
them fails the step, leaving reports/visual-diff/<step>.diff.png (changes in red) and
<step>.actual.png for review. An intended change is accepted with
`portal-sim docs --update`, which rewrites just the images that changed.
"""
from __future__ import annotations

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


@pytest.fixture(scope="module")
def rendered(playwright) -> dict[str, bytes]:
    return docs_cli.render(SOURCE, playwright=playwright)


@pytest.mark.parametrize("step", list(SOURCE.markers))
def test_the_screenshot_matches_the_committed_one(rendered, step):
    difference = check(step, rendered[step])
    assert not difference.beyond_threshold, (
        f"docs/img/{step}.png changed: {difference}; see reports/visual-diff/{step}.diff.png "
        f"and {step}.actual.png; if the change is intended, run `portal-sim docs --update`")


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
    difference = check(step, shots[step], diffs=tmp_path)

    assert difference.beyond_threshold, f"a changed accent colour went unnoticed: {difference}"
    from PIL import Image

    with Image.open(tmp_path / f"{step}.diff.png") as diff:
        assert (255, 0, 0, 255) in {colour for _, colour in diff.getcolors(maxcolors=1 << 20)}
