"""`portal-sim docs` (issues #4, #14): the source's markers, the built article (figures
with light and dark images, sizes, alt text, stamps), the writer's loop (`--update`,
`--only`, `--text-only`, unchanged images), and how a failing scenario ends the
command. The words check is in test_article_words.py; the screenshots themselves are
compared with the committed ones in test_visual.py."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from article import build, compare, images, pdf, publish, shots
from article.errors import DocsError, StepFailed
from article.shots import Rendered, Shot
from article.source import ARTICLE, Source, load_source, parse_source
from article.stamps import load_stamps
from simulator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXT = (ROOT / "docs" / "source" / ARTICLE).read_text(encoding="utf-8")
JA_SOURCE = ROOT / "docs" / "source" / "ja" / ARTICLE
STEPS = [*(f"upgrade-{n}" for n in range(1, 8)), "downgrade-1", "downgrade-2",
         "faq-link-not-displayed", "faq-amount-zero", "faq-display-not-updating"]
IMAGES = [*STEPS[:5], "upgrade-5-business-annually", "upgrade-6", "upgrade-6-pdf", *STEPS[6:10],
          "faq-amount-zero", "faq-amount-zero-downgrade", "faq-display-not-updating"]


def parse(text: str) -> Source:
    return parse_source(Path("article.md"), text)


def test_the_source_has_one_marker_per_step_in_the_article_order():
    source = parse(SOURCE_TEXT)

    assert list(source.markers) == IMAGES
    assert [source.markers[step].badge for step in STEPS] == [*"1234567", "1", "2", "?", "?", "?"]
    assert source.markers["upgrade-5-business-annually"].badge == "5"
    upgrade_5 = source.markers["upgrade-5"]
    assert upgrade_5.scenario == "Alice upgrades Basic to Start along the article's click path"
    assert upgrade_5.after == 'the "Total charge for today" is "$2.73"'  # the keyword left out
    assert [str(ring) for ring in upgrade_5.ring] == ["the Total charge for today row", "the Submit button"]
    assert str(source.markers["upgrade-1"].ring[1]) == 'the service link "Basic"'
    assert source.markers["upgrade-6-pdf"].pdf.key == "the Download PDF link"


def test_the_japanese_source_shoots_the_same_images():
    assert list(load_source(ROOT / "docs" / "ja", "ja").markers) == IMAGES


def _without_marker(text: str, name: str) -> str:
    return re.sub(rf"<!-- shot: {name}\n.*?-->\n", "", text, flags=re.S)


@pytest.mark.parametrize("change, complaint", [
    (lambda text: text.replace("<!-- shot: upgrade-3\n", "<!-- shot: upgrade-2\n"),
     "article.md:[0-9]+: marker 'upgrade-2' stands in section 'upgrade-3'"),
    (lambda text: _without_marker(text, "upgrade-4"),
     r"article.md:[0-9]+: step '4. Select the billing cycle and click “Continue”' has no screenshot marker"),
    (lambda text: text.replace("<!-- shot: upgrade-6 pdf\n", "<!-- shot: upgrade-6\n"),
     r"a second marker for 'upgrade-6' \(the first is on line [0-9]+\); name the second image"),
    (lambda text: text.replace("     after: And she selects \"Start\"", "     afterwards: And she selects \"Start\""),
     "article.md:[0-9]+: in the marker of 'upgrade-3', .afterwards: .* is not one of after, caption, pdf, ring, scenario"),
    (lambda text: text.replace("     scenario: The Billing Information section holds the Upgrade / Downgrade link\n", ""),
     "the marker of 'upgrade-2' needs a scenario: line"),
    (lambda text: text.replace("     pdf: the Download PDF link\n", "     pdf: the Download PDF link\n     ring: the Total row\n"),
     "the marker of 'upgrade-6' shoots a PDF .pdf:.: there is nothing to ring on it"),
    (lambda text: text.replace("<!-- shot: upgrade-1\n", "<!-- shot upgrade-1\n"), "malformed screenshot marker"),
    (lambda text: text.replace("caption: “Upgrade / Downgrade to” with the Start plan selected.\n-->",
                               "caption: “Upgrade / Downgrade to” with the Start plan selected."),
     "the screenshot marker is never closed|in the marker of 'upgrade-3'"),
    (lambda text: text.replace("## Downgrade Instructions", "### 8. Celebrate {@guide:upgrade-8}\n\nDone.\n\n## Downgrade Instructions"),
     "step '8. Celebrate' has no screenshot marker"),
], ids=["marker in another step", "numbered step without marker", "second unnamed marker", "unknown key",
        "no scenario", "pdf with rings", "malformed marker", "unclosed marker", "new numbered step without marker"])
def test_a_source_with_a_bad_marker_is_refused_naming_its_line(change, complaint):
    with pytest.raises(DocsError, match=complaint):
        parse(change(SOURCE_TEXT))


def test_a_second_named_image_of_a_step_is_a_marker_of_its_own():
    extra = ("<!-- shot: upgrade-5 annual\n     scenario: The review shows the change before → after and the final amounts\n"
             "     after: And the review says \"15 unused days of 31\"\n     ring: the Total charge for today row\n"
             "     caption: Billed annually instead: {total} today.\n-->\n")
    text = SOURCE_TEXT.replace("### 6. Confirm", extra + "\n### 6. Confirm")
    source = parse(text)
    names = list(source.markers)
    assert names.index("upgrade-5") < names.index("upgrade-5-annual") < names.index("upgrade-6")
    assert source.markers["upgrade-5-annual"].badge == "5"


FIGURE = re.compile(r'^<picture>(?:<source media="\(prefers-color-scheme: dark\)" srcset="img/dark/([\w-]+)\.png">)?'
                    r'<img src="img/([\w-]+)\.png" alt="([^"]+)"(?: width="(\d+)" height="(\d+)")?></picture>$', re.M)


def test_the_article_keeps_every_section_in_order_and_gives_each_step_its_figure():
    article = publish.build_article(parse(SOURCE_TEXT), {})

    headings = [re.sub(r"\s*\{@guide:[\w-]+\}", "", line) for line in SOURCE_TEXT.splitlines() if line.startswith("#")]
    assert [line for line in article.splitlines() if line.startswith("#")] == headings
    assert [found[1] for found in FIGURE.findall(article)] == IMAGES
    assert re.findall(r"^\*Figure (\d+)\. .+\*$", article, re.M) == [str(n) for n in range(1, len(IMAGES) + 1)]
    assert "{@guide:" not in article and "shot:" not in article and "scenario:" not in article
    upgrade_5 = article.index("### 5. Review the details and click “Submit”")
    assert upgrade_5 < article.index('src="img/upgrade-5.png"') < article.index("### 6.")


def test_a_figure_has_its_dark_image_its_size_in_css_pixels_and_alt_text_that_is_not_the_caption():
    source = parse(SOURCE_TEXT)
    stamp = build.stamp(None, reason=None, scenario="s", profile="en", commit="abc", today=dt.date(2026, 5, 4),
                        figure={"fills": {"total": "$2.73"}, "ringed": ["Total charge for today $2.73", "Submit"],
                                "title": "Review your plan change", "kind": "page", "dark": True,
                                **build._size(png((2200, 1624)), 2)})
    article = publish.build_article(source, {"upgrade-5": stamp})

    figure = next(found for found in FIGURE.findall(article) if found[1] == "upgrade-5")
    assert figure[0] == "upgrade-5" and (figure[3], figure[4]) == ("1100", "812")
    assert figure[2] == ("Screenshot of the “Review your plan change” screen of the client portal, with "
                         "“Total charge for today $2.73” and “Submit” outlined.")
    assert "*Figure 5. The review: before → after, the “Total charge for today” ($2.73 in the sample), and “Submit”.*" in article


def test_the_committed_articles_are_built_from_the_committed_sources():
    for out, locale in ((ROOT / "docs", "en"), (ROOT / "docs" / "ja", "ja")):
        built = publish.build_article(load_source(out, locale), load_stamps(out))
        assert (out / ARTICLE).read_text(encoding="utf-8") == built, (
            f"{out / ARTICLE} is stale: run `portal-sim docs --locale {locale}`")


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


def test_a_run_that_changes_no_image_leaves_the_folder_untouched(tmp_path):
    folder = tmp_path / "img"
    images.write_images({"a": png(), "b": png(block=5)}, folder, update=False, renderer="browser 1")
    before = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}

    outcomes = images.write_images({"a": png(), "b": png(block=5)}, folder, update=False, renderer="browser 2")

    assert [outcome for _, outcome, _ in outcomes] == ["unchanged", "unchanged"]
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == before
    assert (folder / "renderer.txt").read_text() == "browser 1\n"
    images.write_images({"a": png(), "b": png(block=6)}, folder, update=False, renderer="browser 2")
    assert (folder / "renderer.txt").read_text() == "browser 2\n"


def _checkout_copy(tmp_path: Path, text: str = SOURCE_TEXT) -> Path:
    """An output folder holding its own copy of the source (the project's stays as it is)."""
    (tmp_path / "source").mkdir(exist_ok=True)
    (tmp_path / "source" / ARTICLE).write_text(text, encoding="utf-8")
    return tmp_path


def test_text_only_rebuilds_the_words_without_a_browser(monkeypatch, capsys, tmp_path):
    def no_browser(*args, **kwargs):
        raise AssertionError("--text-only started the browser")

    monkeypatch.setattr(shots, "render", no_browser)
    out = _checkout_copy(tmp_path)

    assert main(["docs", "--out", str(out), "--text-only"]) == 0
    assert (out / ARTICLE).read_text(encoding="utf-8").count('<img src="img/') == len(IMAGES)
    assert not list((out / "img").glob("*.png"))
    assert "rewritten; no images rendered (--text-only)" in capsys.readouterr().out
    assert main(["docs", "--out", str(out), "--text-only"]) == 0
    assert f"{ARTICLE} unchanged" in capsys.readouterr().out


@pytest.mark.parametrize("arguments, complaint", [
    (["--only", "upgrade-9"], "portal-sim: docs: --only upgrade-9: no marker shoots that step (steps: downgrade-1, "),
    (["--text-only", "--only", "upgrade-5"], "portal-sim: docs: --text-only renders no images"),
    (["--scale", "3"], "portal-sim docs: error: argument --scale: invalid choice: 3"),
    (["--locale", "fr"], "portal-sim docs: error: argument --locale: invalid choice: 'fr'"),
    (["--stylesheet", "/nonexistent.css"], "portal-sim: docs: --stylesheet /nonexistent.css: no such file"),
    (["--ui-profile", "klingon"], "portal-sim: docs: no UI profile 'klingon'"),
], ids=["unknown step", "text-only with only", "bad scale", "bad locale", "missing stylesheet", "unknown profile"])
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


DRIFT = ('features/upgrade.feature:21 Upgrade a DNS SERVICE plan › Alice upgrades Basic to Start along the '
         'article\'s click path › Then the "Total charge for today" is "$2.73" — expected $2.73, actual $2.74')


def _shot(name: str, image: bytes | None, **more) -> Shot:
    return Shot(name, verified=more.pop("verified", True), light=image, dark=image, title="A screen",
                screen=more.pop("screen", "Select billing cycle Total charge for today $2.73 Submit Continue Download PDF"),
                **more)


def test_a_failing_scenario_is_stamped_not_verified_and_the_others_still_render(monkeypatch, capsys, tmp_path):
    out = _checkout_copy(tmp_path)
    (out / "img").mkdir()
    (out / "img" / "upgrade-5.png").write_bytes(png(block=3))  # the last good image
    (out / "verified.json").write_text(json.dumps({"upgrade-5": {
        "date": "2026-05-01", "commit": "abc1234", "portal": "simulator", "profile": "en",
        "scenario": "Alice upgrades Basic to Start along the article's click path", "verified": True,
        "figure": {"fills": {"total": "$2.73"}}}}), encoding="utf-8")

    def drifted(source, **options):
        return Rendered({
            "upgrade-4": _shot("upgrade-4", png(block=9)),
            "upgrade-5": _shot("upgrade-5", None, verified=False, reason=DRIFT, failed_screen=png(block=40),
                               screen=""),
            "faq-amount-zero": _shot("faq-amount-zero", png(block=9), fills={"total": "$0.00"},
                                     screen="Total charge for today $0.00"),
        }, "browser 1")

    monkeypatch.setattr(shots, "render", drifted)
    monkeypatch.setattr(build, "current_commit", lambda root: "def5678")
    arguments = ["--out", str(out), "--only", "upgrade-4", "--only", "upgrade-5", "--only", "faq-amount-zero"]

    assert build.run_docs(build.build_parser().parse_args(arguments), today=dt.date(2026, 5, 4)) == 1
    assert capsys.readouterr().err == f"portal-sim: docs step upgrade-5 failed: {DRIFT}\n"
    assert (out / "img" / "upgrade-5.png").read_bytes() == png(block=3)  # kept
    assert (out / "img" / "upgrade-5.failed.png").read_bytes() == png(block=40)  # beside it
    assert (out / "img" / "faq-amount-zero.png").read_bytes() == png(block=9)  # another scenario: shot
    assert (out / "img" / "dark" / "upgrade-4.png").read_bytes() == png(block=9)
    article = (out / ARTICLE).read_text(encoding="utf-8")
    figure_5 = article[article.index('src="img/upgrade-5.png"'):article.index("### 6.")]
    assert "($2.73 in the sample)" in figure_5  # the last good run's value, beside its image
    assert (f"<sub>✘ Not verified 2026-05-04 · commit def5678 · simulator (en) · scenario “Alice upgrades "
            f"Basic to Start along the article's click path”: {DRIFT}; image from the last good run "
            f"(2026-05-01 abc1234); the failing screen: [upgrade-5.failed.png](img/upgrade-5.failed.png)</sub>"
            ) in figure_5
    figure_4 = article[article.index('src="img/upgrade-4.png"'):article.index("### 5.")]
    assert ("<sub>✔ Verified 2026-05-04 · commit def5678 · simulator (en) · scenario “Alice upgrades Basic "
            "to Start along the article's click path”</sub>") in figure_4
    assert "<sub>✘ Not verified yet: no run of `portal-sim docs` has shot it</sub>" in article  # upgrade-1
    stamps = json.loads((out / "verified.json").read_text(encoding="utf-8"))
    assert stamps["upgrade-5"]["verified"] is False and stamps["upgrade-4"]["verified"] is True


def test_the_committed_articles_carry_a_verified_stamp_per_figure():
    for article, figure in ((ROOT / "docs" / ARTICLE, r"\*Figure \d+\. .+\*"), (ROOT / "docs" / "ja" / ARTICLE, r"\*図\d+ .+\*")):
        stamps = re.findall(rf"^{figure}\n\n(.+)$", article.read_text(encoding="utf-8"), re.M)
        assert len(stamps) == len(IMAGES), article
        assert all(line.startswith(("<sub>✔ Verified ", "<sub>✔ 検証済み ")) for line in stamps), stamps


def test_a_bad_source_ends_the_command_with_status_2(capsys, tmp_path):
    out = _checkout_copy(tmp_path, SOURCE_TEXT.replace("<!-- shot: upgrade-3\n", "<!-- shot: upgrade-2\n"))

    assert main(["docs", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("portal-sim: docs: ") and "marker 'upgrade-2' stands in section 'upgrade-3'" in err
    assert err.count("\n") == 1
