"""`portal-sim docs` (issue #4, #14): the source's markers, the built article, the
writer's loop (`--update`, `--only`, `--text-only`, unchanged images), and how a failing
step ends the command. The screenshots themselves are compared with the committed ones
in test_visual.py."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from article import build, compare, images, pdf, publish, shots, walkthroughs
from article.errors import DocsError, StepFailed
from article.source import ARTICLE, Source, load_source, parse_source
from article.stamps import load_stamps
from simulator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXT = (ROOT / "docs" / "source" / ARTICLE).read_text(encoding="utf-8")
STEPS = [*(f"upgrade-{n}" for n in range(1, 8)), "downgrade-1", "downgrade-2",
         "faq-link-not-displayed", "faq-amount-zero", "faq-display-not-updating"]


def parse(text: str) -> Source:
    return parse_source(Path("article.md"), text, walkthroughs.STEPS)


IMAGES = [*STEPS[:6], "upgrade-6-pdf", *STEPS[6:]]


def test_the_source_has_one_marker_per_walkthrough_step_in_the_article_order():
    source = parse(SOURCE_TEXT)

    assert list(source.markers) == IMAGES
    assert [source.badges[step] for step in STEPS] == [*"1234567", "1", "2", "?", "?", "?"]
    assert source.markers["upgrade-6-pdf"].kind == "pdf" and source.pdf_steps() == {"upgrade-6"}


def _without_line(text: str, start: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith(start))


@pytest.mark.parametrize("change, complaint", [
    (lambda text: text.replace("<!-- shot: upgrade-3 ", "<!-- shot: upgrade-9 "),
     "article.md:[0-9]+: marker 'upgrade-9' names no walkthrough step"),
    (lambda text: _without_line(text, "<!-- shot: upgrade-6 "),
     "walkthrough step 'upgrade-6' has no marker"),
    (lambda text: _without_line(text, "<!-- shot: upgrade-2 ").replace(
        "<!-- shot: upgrade-4 ", "<!-- shot: upgrade-2 -->\n<!-- shot: upgrade-4 "),
     "marker 'upgrade-2' stands in section 'upgrade-4'"),
    (lambda text: text + "\n<!-- shot: faq-amount-zero -->\n",
     r"a second marker for 'faq-amount-zero' \(the first is on line [0-9]+\)"),
    (lambda text: text.replace("<!-- shot: upgrade-1 |", "<!-- shot upgrade-1 |"),
     "malformed screenshot marker"),
    (lambda text: text.replace("<!-- shot: upgrade-6 pdf |", "<!-- shot: upgrade-6 video |"),
     "marker 'upgrade-6' asks for 'video'; after the step a marker may say only pdf"),
    (lambda text: text.replace("<!-- shot: upgrade-6 pdf |", "<!-- shot: upgrade-6 |"),
     "a second marker for 'upgrade-6'"),
    (lambda text: text.replace("## Downgrade Instructions", "### 8. Celebrate {@guide:upgrade-8}\n\nDone.\n\n## Downgrade Instructions"),
     "step '8. Celebrate' has no screenshot marker"),
], ids=["unknown step", "step without marker", "marker in another step", "second marker",
        "malformed marker", "unknown kind", "second page marker", "numbered step without marker"])
def test_a_source_out_of_step_with_the_walkthroughs_is_refused(change, complaint):
    with pytest.raises(DocsError, match=complaint):
        parse(change(SOURCE_TEXT))


def test_the_article_keeps_every_section_in_order_and_gives_each_step_its_figure():
    article = publish.build_article(parse(SOURCE_TEXT), {})

    headings = [re.sub(r"\s*\{@guide:[\w-]+\}", "", line) for line in SOURCE_TEXT.splitlines() if line.startswith("#")]
    assert [line for line in article.splitlines() if line.startswith("#")] == headings
    images = re.findall(r"^!\[[^\]]+\]\(img/([\w-]+)\.png\)$", article, re.M)
    assert images == IMAGES
    assert re.findall(r"^\*Figure (\d+)\. .+\*$", article, re.M) == [str(n) for n in range(1, 14)]
    assert "{@guide:" not in article and "shot:" not in article
    upgrade_5 = article.index("### 5. Review the details and click “Submit”")
    assert upgrade_5 < article.index("(img/upgrade-5.png)") < article.index("### 6.")


def test_the_committed_article_is_built_from_the_committed_source():
    built = publish.build_article(load_source(ROOT / "docs", walkthroughs.STEPS), load_stamps(ROOT / "docs"))
    assert (ROOT / "docs" / ARTICLE).read_text(encoding="utf-8") == built, (
        "docs/dns-service-plan-change.md is stale: run `portal-sim docs`")


def png(size=(400, 300), *, block: int = 0, dots: int = 0) -> bytes:
    """A white image with a black `block`×`block` square and `dots` single black pixels."""
    image = Image.new("RGB", size, "white")
    if block:
        image.paste((0, 0, 0), (10, 10, 10 + block, 10 + block))
    for n in range(dots):
        image.putpixel((200 + 7 * n, 150), (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_compare_counts_the_differing_pixels_and_draws_them_red(tmp_path):
    difference = compare.compare(png(), png(block=20), tmp_path / "diff.png")

    assert difference.beyond_threshold and difference.pixels > difference.allowed
    with Image.open(tmp_path / "diff.png") as diff:
        assert diff.getpixel((15, 15)) == (255, 0, 0, 255)
        assert diff.getpixel((300, 250)) != (255, 0, 0, 255)
    assert not compare.compare(png(), png()).beyond_threshold
    assert str(compare.compare(png(), png())) == "identical pixels"
    assert compare.compare(png(), png((400, 301))).reason == "size 400×300 → 400×301"


def test_update_rewrites_only_the_images_changed_beyond_the_threshold(tmp_path):
    folder = tmp_path / "img"
    folder.mkdir()
    for name in ("same", "speck", "changed"):
        (folder / f"{name}.png").write_bytes(png())
    rendered = {"same": png(), "speck": png(dots=5), "changed": png(block=20), "new": png()}

    outcomes = images.write_images(rendered, folder, update=True)

    assert [(name, outcome) for name, outcome, _ in outcomes] == [
        ("same.png", "unchanged"), ("speck.png", "kept"), ("changed.png", "written"), ("new.png", "new")]
    assert (folder / "changed.png").read_bytes() == rendered["changed"]
    assert (folder / "speck.png").read_bytes() == png()  # 5 pixels of 120,000: within the threshold
    assert [(name, outcome) for name, outcome, _ in images.write_images(rendered, folder, update=False)] == [
        ("same.png", "unchanged"), ("speck.png", "written"), ("changed.png", "unchanged"), ("new.png", "unchanged")]


def _rendered_by(renderer: str, **pngs: bytes) -> images.Shots:
    rendered = images.Shots(pngs)
    rendered.renderer = renderer
    return rendered


def test_a_run_that_changes_no_image_leaves_the_folder_untouched(tmp_path):
    folder = tmp_path / "img"
    images.write_images(_rendered_by("browser 1", a=png(), b=png(block=5)), folder, update=False)
    before = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}

    outcomes = images.write_images(_rendered_by("browser 2", a=png(), b=png(block=5)), folder, update=False)

    assert [outcome for _, outcome, _ in outcomes] == ["unchanged", "unchanged"]
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == before
    assert (folder / "renderer.txt").read_text() == "browser 1\n"
    images.write_images(_rendered_by("browser 2", a=png(), b=png(block=6)), folder, update=False)
    assert (folder / "renderer.txt").read_text() == "browser 2\n"


def _checkout_copy(tmp_path: Path) -> Path:
    """An output folder holding its own copy of the source (the project's stays as it is)."""
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / ARTICLE).write_text(SOURCE_TEXT, encoding="utf-8")
    return tmp_path


def test_text_only_rebuilds_the_words_without_a_browser(monkeypatch, capsys, tmp_path):
    def no_browser(*args, **kwargs):
        raise AssertionError("--text-only started the browser")

    monkeypatch.setattr(shots, "render", no_browser)
    out = _checkout_copy(tmp_path)

    assert main(["docs", "--out", str(out), "--text-only"]) == 0
    assert (out / ARTICLE).read_text(encoding="utf-8").count("](img/") == SOURCE_TEXT.count("<!-- shot:")
    assert not list((out / "img").glob("*.png"))
    assert "rewritten; no images rendered (--text-only)" in capsys.readouterr().out
    assert main(["docs", "--out", str(out), "--text-only"]) == 0
    assert f"{ARTICLE} unchanged" in capsys.readouterr().out


@pytest.mark.parametrize("arguments, complaint", [
    (["--only", "upgrade-9"], "portal-sim: docs: --only upgrade-9: no such step (steps: upgrade-1, "),
    (["--text-only", "--only", "upgrade-5"], "portal-sim: docs: --text-only renders no images"),
    (["--scale", "3"], "portal-sim docs: error: argument --scale: invalid choice: 3"),
], ids=["unknown step", "text-only with only", "bad scale"])
def test_bad_arguments_end_the_command_in_one_line(capsys, tmp_path, arguments, complaint):
    assert main(["docs", "--out", str(_checkout_copy(tmp_path)), *arguments]) == 2
    err = capsys.readouterr().err
    assert err.startswith(complaint) and err.count("\n") == 1, err
    assert not (tmp_path / ARTICLE).exists()


def test_a_pdf_becomes_its_first_page_as_an_image():
    from fpdf import FPDF

    document = FPDF(format="A4")
    document.add_page()
    document.set_font("helvetica", size=24)
    document.cell(text="Invoice #INV-000001")
    with Image.open(io.BytesIO(pdf.pdf_to_png(bytes(document.output()), "upgrade-6"))) as page:
        assert page.width == 893  # A4 at 1.5 pixels per point, the white below the text cut
        assert 100 < page.height < 300
        assert page.getpixel((5, 5)) == (255, 255, 255)
        assert page.getextrema()[0][0] < 100  # the text is there
    with pytest.raises(StepFailed, match="docs step upgrade-6 failed: the PDF it downloaded cannot be read"):
        pdf.pdf_to_png(b"%PDF-1.4 not really", "upgrade-6")


DRIFT = "Total charge for today amount shows '$2.74', the article expects '$2.73'"


def test_a_failing_step_is_stamped_not_verified_and_the_others_still_render(monkeypatch, capsys, tmp_path):
    out = _checkout_copy(tmp_path)
    (out / "img").mkdir()
    (out / "img" / "upgrade-5.png").write_bytes(png(block=3))  # the last good image
    (out / "verified.json").write_text(json.dumps({"upgrade-5": {
        "date": "2026-05-01", "commit": "abc1234", "portal": "simulator", "profile": "en",
        "walkthrough": "upgrade", "verified": True}}), encoding="utf-8")

    def drifted(source, **options):
        rendered = images.Shots({name: png(block=9) for name in ("upgrade-4", "faq-amount-zero")})
        rendered.renderer = "browser 1"
        rendered.outcomes = {"upgrade-4": None, "upgrade-5": DRIFT,
                             "upgrade-6": "not reached: step upgrade-5 failed", "faq-amount-zero": None}
        rendered.failed = {"upgrade-5": png(block=40)}
        rendered.walkthroughs = {"upgrade-4": "upgrade", "upgrade-5": "upgrade", "upgrade-6": "upgrade",
                                 "faq-amount-zero": "amount_zero"}
        return rendered

    monkeypatch.setattr(shots, "render", drifted)
    monkeypatch.setattr(build, "current_commit", lambda root: "def5678")

    assert build.run_docs(build.build_parser().parse_args(["--out", str(out)]), today=dt.date(2026, 5, 4)) == 1
    assert capsys.readouterr().err == f"portal-sim: docs step upgrade-5 failed: {DRIFT}\n"
    assert (out / "img" / "upgrade-5.png").read_bytes() == png(block=3)  # kept
    assert (out / "img" / "upgrade-5.failed.png").read_bytes() == png(block=40)  # beside it
    assert (out / "img" / "faq-amount-zero.png").read_bytes() == png(block=9)  # another walk: shot
    assert not (out / "img" / "upgrade-6.png").exists()
    article = (out / ARTICLE).read_text(encoding="utf-8")
    figure_5 = article[article.index("(img/upgrade-5.png)"):article.index("### 6.")]
    assert (f"<sub>✘ Not verified 2026-05-04 · commit def5678 · simulator (en) · walkthrough upgrade: "
            f"{DRIFT}; image from the last good run (2026-05-01 abc1234); the failing screen: "
            f"[upgrade-5.failed.png](img/upgrade-5.failed.png)</sub>") in figure_5
    figure_4 = article[article.index("(img/upgrade-4.png)"):article.index("### 5.")]
    assert "<sub>✔ Verified 2026-05-04 · commit def5678 · simulator (en) · walkthrough upgrade</sub>" in figure_4
    assert "✘ Not verified 2026-05-04 · commit def5678 · simulator (en) · walkthrough upgrade: not reached" in article
    assert "<sub>✘ Not verified yet: no run of `portal-sim docs` has shot it</sub>" in article  # upgrade-1
    stamps = json.loads((out / "verified.json").read_text(encoding="utf-8"))
    assert stamps["upgrade-5"]["verified"] is False and stamps["upgrade-4"]["verified"] is True


def test_the_committed_article_carries_a_verified_stamp_per_figure():
    article = (ROOT / "docs" / ARTICLE).read_text(encoding="utf-8")
    figures = re.findall(r"^\*Figure \d+\. .+\*\n\n(.+)$", article, re.M)
    assert len(figures) == len(IMAGES)
    assert all(line.startswith("<sub>✔ Verified ") for line in figures), figures


def test_a_bad_source_ends_the_command_with_status_2(capsys, tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / ARTICLE).write_text(
        SOURCE_TEXT.replace("<!-- shot: upgrade-3 ", "<!-- shot: upgrade-9 "), encoding="utf-8")

    assert main(["docs", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("portal-sim: docs: ") and "'upgrade-9' names no walkthrough step" in err
    assert err.count("\n") == 1


def test_a_portal_that_drifted_from_the_article_fails_the_step(playwright, monkeypatch):
    sample = walkthroughs.sample_scenario()
    sample["clients"][0]["credit"] = "0.00"
    monkeypatch.setattr(shots, "sample_scenario", lambda: sample)

    rendered = shots.render(parse(SOURCE_TEXT), playwright=playwright,
                            only=["upgrade-4", "upgrade-5", "upgrade-6", "faq-link-not-displayed"])

    assert rendered.outcomes["upgrade-5"].startswith(
        "Credit applied amount shows '$0.00', the article expects '$1.00' (after: ")
    assert rendered.outcomes["upgrade-4"] is None and rendered.outcomes["faq-link-not-displayed"] is None
    assert rendered.outcomes["upgrade-6"] == "not reached: step upgrade-5 failed"
    assert list(rendered) == ["upgrade-4", "faq-link-not-displayed"]
    assert rendered.failed["upgrade-5"].startswith(b"\x89PNG")
