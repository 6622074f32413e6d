"""`portal-docs build` (issues #4, #14, #22): the source's markers, the built article
(figures with light and dark images, sizes, alt text, stamp footers), the writer's loop
(`--update`, `--only`, `--text-only`, unchanged images), stamps that are never granted
without a shot nor re-dated without a change, and how a failing scenario ends the
command. The words check is in test_article_words.py; the site in test_site.py; the
screenshots themselves are compared with the committed ones in test_visual.py."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from article import build, compare, images, pdf_image, publish, render, stamps as stamps_module
from article.cli import build_parser, main
from article.errors import DocsError, StepFailed
from article.record import FAILED, PASSED, ShotRecord
from article.render import Rendered, Shot
from article.source import ARTICLE, Source, load_source, parse_source
from article.stamps import load_stamps

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXT = (ROOT / "docs" / "source" / ARTICLE).read_text(encoding="utf-8")
JA_SOURCE = ROOT / "docs" / "source" / "ja" / ARTICLE
STEPS = [*(f"upgrade-{n}" for n in range(1, 8)), "downgrade-1", "downgrade-2",
         "faq-link-not-displayed", "faq-amount-zero", "faq-display-not-updating"]
IMAGES = [*STEPS[:5], "upgrade-5-business-annually", "upgrade-6", "upgrade-6-pdf", *STEPS[6:8],
          "downgrade-1-review", *STEPS[8:10], "faq-amount-zero", "faq-amount-zero-downgrade",
          "faq-display-not-updating"]


def parse(text: str) -> Source:
    return parse_source(Path("article.md"), text)


def test_the_source_has_one_marker_per_step_in_the_article_order():
    source = parse(SOURCE_TEXT)

    assert list(source.markers) == IMAGES
    upgrade_5 = source.markers["upgrade-5"]
    assert SOURCE_TEXT.splitlines()[upgrade_5.caption_line - 1].strip().startswith("caption: The review")
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
    (lambda text: text.replace("says that downgrading is not available.\n-->",
                               "says that downgrading is not available."),
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


FIGURE = re.compile(r'<figure class="shot" id="figure-(\d+)">\n'
                    r'(?:<img src="img/([\w-]+)\.png(?:#gh-light-mode-only)?" alt="([^"]+)"(?: width="(\d+)" height="(\d+)")?>\n'
                    r'(?:<img src="img/dark/([\w-]+)\.png#gh-dark-mode-only" alt="[^"]+"(?: width="\d+" height="\d+")?>\n)?)?'
                    r'<figcaption>(.+)</figcaption>\n<footer class="stamp"><small>(.+)</small></footer>\n</figure>')


def test_the_article_keeps_every_section_in_order_and_gives_each_step_its_figure():
    article = publish.build_article(parse(SOURCE_TEXT), {})

    headings = [re.sub(r"\s*\{@guide:[\w-]+\}", "", line) for line in SOURCE_TEXT.splitlines() if line.startswith("#")]
    # the title (a comment in the source, which keeps the published words), then the sections
    assert [line for line in article.splitlines() if line.startswith("#")] == ["# Changing your DNS SERVICE plan",
                                                                              *headings]
    figures = FIGURE.findall(article)
    assert [found[0] for found in figures] == [str(n) for n in range(1, len(IMAGES) + 1)]
    assert all(found[6].startswith(f"Figure {found[0]}. ") for found in figures)
    assert "{@guide:" not in article and "shot:" not in article and "scenario:" not in article
    upgrade_5 = article.index("### 5. Review the details and click “Submit”")
    assert upgrade_5 < article.index('id="figure-5"') < article.index("### 6.")


def test_a_figure_has_its_dark_image_its_size_in_css_pixels_alt_text_and_its_stamp_in_a_footer():
    source = parse(SOURCE_TEXT)
    stamp = build.stamp(None, reason=None, scenario="s", profile="en", commit="abc", today=dt.date(2026, 5, 4),
                        figure={"fills": {"total": "$2.73"}, "ringed": ["Total charge for today $2.73", "Submit"],
                                "title": "Review your plan change", "kind": "page", "dark": True,
                                **build._size(png((2200, 1624)), 2)})
    article = publish.build_article(source, {"upgrade-5": stamp})

    figure = next(found for found in FIGURE.findall(article) if found[1] == "upgrade-5")
    assert figure[5] == "upgrade-5" and (figure[3], figure[4]) == ("1100", "812")
    assert figure[2] == ("Screenshot of the “Review your plan change” screen of the client portal, with "
                         "“Total charge for today $2.73” and “Submit” outlined.")
    assert figure[6] == ("Figure 5. The review: before → after, the “Total charge for today” ($2.73 in the sample), "
                         "and “Submit”.")
    assert figure[7] == "✔ Verified against the portal on 2026-05-04 (commit abc)"
    assert "scenario" not in figure[7] and "simulator (en)" not in figure[7]  # the reader's words only


def test_the_committed_articles_are_built_from_the_committed_sources():
    for out, locale in ((ROOT / "docs", "en"), (ROOT / "docs" / "ja", "ja")):
        built = publish.build_article(load_source(out, locale), load_stamps(out),
                                      present=publish.present_images(out), failed=publish.failed_screens(out))
        assert (out / ARTICLE).read_text(encoding="utf-8") == built, (
            f"{out / ARTICLE} is stale: run `portal-docs build --locale {locale}`")


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


def _checkout_copy(tmp_path: Path, text: str = SOURCE_TEXT, *, committed: bool = False) -> Path:
    """An output folder holding its own copy of the source (the project's stays as it is);
    `committed`: with the committed images and stamps of docs/ too."""
    (tmp_path / "source").mkdir(exist_ok=True)
    (tmp_path / "source" / ARTICLE).write_text(text, encoding="utf-8")
    if committed:
        import shutil

        shutil.copytree(ROOT / "docs" / "img", tmp_path / "img")
        shutil.copy(ROOT / "docs" / "verified.json", tmp_path / "verified.json")
    return tmp_path


def _build(*arguments: str, today: dt.date = dt.date(2026, 5, 4)) -> int:
    """`portal-docs build --locale en --no-site ARGUMENTS` on `today`."""
    args = build_parser().parse_args(["build", "--locale", "en", "--no-site", *arguments])
    return build.run_build(args, today=today)


def _rendering(monkeypatch, make) -> None:
    """The scenarios' run replaced by `make(source, **options) -> Rendered` (no browser)."""
    monkeypatch.setattr(render, "start", lambda source, **options: make(source, **options))
    monkeypatch.setattr(render, "finish", lambda running: running)
    monkeypatch.setattr(render, "reap", lambda running: "")


def _no_browser(monkeypatch) -> None:
    def no_browser(*args, **kwargs):
        raise AssertionError("the browser was started")

    monkeypatch.setattr(render, "start", no_browser)


def test_text_only_rebuilds_the_words_without_a_browser(monkeypatch, capsys, tmp_path):
    _no_browser(monkeypatch)
    out = _checkout_copy(tmp_path, committed=True)

    assert main(["build", "--locale", "en", "--no-site", "--out", str(out), "--text-only"]) == 0
    article = (out / ARTICLE).read_text(encoding="utf-8")
    assert article.count('<img src="img/') - article.count('<img src="img/dark/') == len(IMAGES)
    assert "text only, no images rendered" in capsys.readouterr().out


def test_text_only_keeps_or_clears_a_stamp_and_never_grants_one(monkeypatch, tmp_path):
    """False green 1: a caption rewritten to $13.00 (the screen shows $12.00) kept “✔ Verified”."""
    _no_browser(monkeypatch)
    out = _checkout_copy(tmp_path, committed=True)
    stamps = json.loads((out / "verified.json").read_text(encoding="utf-8"))
    source = parse(SOURCE_TEXT)
    for name, marker in source.markers.items():  # verified with the words of the source as it is
        stamps[name].update(verified=True, words=build.words_of(source, marker))
    stamps["upgrade-6"].update(verified=False, reason="a scenario failed", last_good="2026-05-01 abc")
    (out / "verified.json").write_text(json.dumps(stamps), encoding="utf-8")
    before = load_stamps(out)
    edited = SOURCE_TEXT.replace("the service now reads Start, $12.00 / Monthly.",
                                 "the service now reads Start, $13.00 / Monthly.")
    _checkout_copy(tmp_path, edited)

    _build("--out", str(out), "--text-only")

    after = load_stamps(out)
    assert not after["upgrade-7"].verified  # cleared: its caption changed since it was verified
    assert "its words changed since it was verified" in after["upgrade-7"].reason
    assert after["upgrade-5"] == before["upgrade-5"]  # kept, as it was
    assert not after["upgrade-6"].verified  # never granted by a text-only build
    figure_7 = next(found for found in FIGURE.findall((out / ARTICLE).read_text(encoding="utf-8"))
                    if found[1] == "upgrade-7")
    assert figure_7[7].startswith("✘ Not verified since ") and "$13.00" in figure_7[6]


def test_a_restyle_preview_never_writes_into_docs(monkeypatch, capsys, tmp_path):
    """False green 3: `--stylesheet X --update` without --out wrote the preview into docs/img, verified."""
    _no_browser(monkeypatch)
    stylesheet = tmp_path / "restyle.css"
    stylesheet.write_text("body { color: red }", encoding="utf-8")
    docs = ROOT / "docs"
    before = {path: path.stat().st_mtime_ns for path in docs.rglob("*") if path.is_file()}

    for more in ([], ["--out", str(docs)], ["--out", str(docs / "img")]):
        assert main(["build", "--stylesheet", str(stylesheet), "--update", *more]) == 2
        assert capsys.readouterr().err == (
            "portal-docs: --stylesheet shoots a restyle's preview, which never goes into docs/: add --out DIR "
            "outside docs/ (e.g. --out /tmp/restyle), then `portal-docs serve --out DIR`\n")
    assert {path: path.stat().st_mtime_ns for path in docs.rglob("*") if path.is_file()} == before


def _same_images(source, **options) -> Rendered:
    names = options.get("names") or [m.name for m in source.markers.values()
                                     if not options.get("only") or m.step in options["only"]]
    return Rendered({name: _shot(name, png(block=3 + index), fills={"total": "$2.73", "Credit added to your "
                                                                   "balance": "$3.39"})
                     for index, name in enumerate(names)}, "browser 1")


def test_a_rebuild_that_changes_nothing_leaves_stamps_article_and_images_as_they_were(monkeypatch, tmp_path):
    _rendering(monkeypatch, _same_images)
    out = _checkout_copy(tmp_path)
    _build("--out", str(out), today=dt.date(2026, 5, 4))
    files = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}

    _build("--out", str(out), today=dt.date(2026, 6, 1))  # a month later: nothing changed

    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == files
    assert load_stamps(out)["upgrade-5"].date == "2026-05-04"
    _rendering(monkeypatch, lambda source, **options: Rendered(
        {**_same_images(source, **options).shots, "upgrade-5": _shot("upgrade-5", png(block=30), fills={"total": "$2.73"})},
        "browser 1"))
    _build("--out", str(out), today=dt.date(2026, 6, 2))  # one image changed: that stamp alone is re-dated
    dates = {name: value.date for name, value in load_stamps(out).items()}
    assert dates["upgrade-5"] == "2026-06-02" and dates["upgrade-4"] == "2026-05-04"


def test_the_commit_says_changes_for_tracked_files_only(tmp_path):
    import subprocess

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path, check=True,
                       capture_output=True)

    git("init", "-q")
    (tmp_path / "tracked.txt").write_text("a")
    git("add", "tracked.txt")
    git("commit", "-qm", "one")
    head = stamps_module.current_commit(tmp_path)
    (tmp_path / "scratch").mkdir()
    (tmp_path / "scratch" / "notes.txt").write_text("untracked")
    assert stamps_module.current_commit(tmp_path) == head and "+" not in head
    (tmp_path / "tracked.txt").write_text("b")
    assert stamps_module.current_commit(tmp_path) == f"{head}+changes"


@pytest.mark.parametrize("arguments, complaint", [
    (["--only", "upgrade-9"], "portal-docs: --only upgrade-9: no marker shoots that step (steps: downgrade-1, "),
    (["--text-only", "--only", "upgrade-5"], "portal-docs: --text-only renders no images"),
    (["--scale", "3"], "portal-docs: error: argument --scale: invalid choice: 3"),
    (["--locale", "fr"], "portal-docs: error: argument --locale: invalid choice: 'fr'"),
    (["--stylesheet", "/nonexistent.css"], "portal-docs: --stylesheet /nonexistent.css: no such file"),
    (["--ui-profile", "klingon"], "portal-docs: no UI profile 'klingon'"),
], ids=["unknown step", "text-only with only", "bad scale", "bad locale", "missing stylesheet", "unknown profile"])
def test_bad_arguments_end_the_command_in_one_line(capsys, tmp_path, arguments, complaint):
    assert main(["build", "--out", str(_checkout_copy(tmp_path)), *arguments]) == 2
    err = capsys.readouterr().err
    assert err.startswith(complaint) and err.count("\n") == 1, err
    assert not (tmp_path / ARTICLE).exists()


def test_a_pdf_becomes_its_first_page_as_an_image():
    from fpdf import FPDF

    document = FPDF(format="A4")
    document.add_page()
    document.set_font("helvetica", size=24)
    document.cell(text="Invoice #INV-000001")
    with Image.open(io.BytesIO(pdf_image.pdf_to_png(bytes(document.output()), "upgrade-6"))) as page:
        assert page.width == 893  # A4 at 1.5 pixels per point, the white below the text cut
        assert 100 < page.height < 300
        assert page.getpixel((5, 5)) == (255, 255, 255)
        assert page.getextrema()[0][0] < 100  # the text is there
    with pytest.raises(StepFailed, match="docs step upgrade-6 failed: the PDF it downloaded cannot be read"):
        pdf_image.pdf_to_png(b"%PDF-1.4 not really", "upgrade-6")


DRIFT = ('features/upgrade.feature:21 Upgrade a DNS SERVICE plan › Alice upgrades Basic to Start along the '
         'article\'s click path › Then the "Total charge for today" is "$2.73" — expected $2.73, actual $2.74')
SCREEN = ("Services DNS SERVICE Basic Start Business Upgrade / Downgrade Upgrade / Downgrade to Billing Information "
          "Select billing cycle Continue Total charge for today $2.73 $12.00 / Monthly $3.39 $0.00 Submit Download PDF "
          "Change in progress Active")


def _shot(name: str, image: bytes | None, *, verified: bool = True, screen: str = SCREEN, **more) -> Shot:
    failed_screen = more.pop("failed_screen", None)
    record = ShotRecord(name, PASSED if verified else FAILED, title="A screen", screen=screen, **more)
    return Shot(record, image, image, failed_screen)


def test_a_failing_scenario_is_stamped_not_verified_and_the_others_still_render(monkeypatch, capsys, tmp_path):
    out = _checkout_copy(tmp_path)
    (out / "img").mkdir()
    (out / "img" / "upgrade-5.png").write_bytes(png(block=3))  # the last good image
    (out / "verified.json").write_text(json.dumps({"upgrade-5": {
        "date": "2026-05-01", "commit": "abc1234", "portal": "simulator", "profile": "en",
        "scenario": "Alice upgrades Basic to Start along the article's click path", "verified": True,
        "figure": {"fills": {"total": "$2.73"}, "title": "A screen", "dark": True}}}), encoding="utf-8")
    _rendering(monkeypatch, lambda source, **options: Rendered({
        "upgrade-4": _shot("upgrade-4", png(block=9)),
        "upgrade-5": _shot("upgrade-5", None, verified=False, reason=DRIFT, failed_screen=png(block=40), screen=""),
        "faq-amount-zero": _shot("faq-amount-zero", png(block=9), fills={"total": "$0.00"},
                                 screen="Total charge for today $0.00"),
    }, "browser 1"))
    monkeypatch.setattr(build, "current_commit", lambda root: "def5678")

    assert _build("--out", str(out), "--only", "upgrade-4", "--only", "upgrade-5", "--only", "faq-amount-zero") == 1
    err = capsys.readouterr().err
    assert f"portal-docs: step upgrade-5 failed (en): {DRIFT}\n" in err
    assert (out / "img" / "upgrade-5.png").read_bytes() == png(block=3)  # kept
    assert (out / "img" / "upgrade-5.failed.png").read_bytes() == png(block=40)  # beside it
    assert (out / "img" / "faq-amount-zero.png").read_bytes() == png(block=9)  # another scenario: shot
    assert (out / "img" / "dark" / "upgrade-4.png").read_bytes() == png(block=9)
    figures = {found[1] or found[6].split(".")[0]: found for found in FIGURE.findall((out / ARTICLE).read_text(encoding="utf-8"))}
    assert "($2.73 in the sample)" in figures["upgrade-5"][6]  # the last good run's value, beside its image
    assert figures["upgrade-5"][7] == (
        f"✘ Not verified since 2026-05-04: {DRIFT}; the image is from the last good run (2026-05-01 abc1234); "
        f"the failing screen: <a href=\"img/upgrade-5.failed.png\">upgrade-5.failed.png</a>")
    assert figures["upgrade-4"][7] == "✔ Verified against the portal on 2026-05-04 (commit def5678)"
    assert ("✘ Not shot yet: <code>portal-docs build --only upgrade-1</code> shoots it"
            in (out / ARTICLE).read_text(encoding="utf-8"))  # no image: no broken path
    assert "portal-docs: docs/source/dns-service-plan-change.md" not in err  # (the copy's source is named)
    assert f"{out / 'source' / ARTICLE}:{parse(SOURCE_TEXT).markers['upgrade-1'].line}: figure upgrade-1 has no image yet" in err
    stamps = json.loads((out / "verified.json").read_text(encoding="utf-8"))
    assert stamps["upgrade-5"]["verified"] is False and stamps["upgrade-4"]["verified"] is True


def test_one_bad_caption_fails_its_own_figure_only(monkeypatch, capsys, tmp_path):
    text = SOURCE_TEXT.replace("({total} in the sample)", "($2.74 in the sample)")
    out = _checkout_copy(tmp_path, text)
    _rendering(monkeypatch, lambda source, **options: Rendered({
        name: _shot(name, png(block=5), fills={"total": "$2.73"}) for name in ("upgrade-5", "upgrade-5-business-annually")},
        "browser 1"))

    assert _build("--out", str(out), "--only", "upgrade-5") == 1
    stamps = load_stamps(out)
    assert not stamps["upgrade-5"].verified and stamps["upgrade-5-business-annually"].verified
    caption_line = parse(text).markers["upgrade-5"].caption_line
    assert text.splitlines()[caption_line - 1].strip().startswith("caption:")
    assert (f"portal-docs: {out / 'source' / ARTICLE}:{caption_line}: the caption of upgrade-5 says $2.74, the "
            f"screen shows $2.73, $12.00, $3.39, $0.00\n") in capsys.readouterr().err


def test_a_renamed_heading_id_is_reported_not_published_with_broken_images(monkeypatch, capsys, tmp_path):
    """The id {@guide:upgrade-5} renamed to {@guide:review} (and its markers): no broken image
    path, no raw {total}, the orphaned images named, and the command fails."""
    _no_browser(monkeypatch)
    text = SOURCE_TEXT.replace("{@guide:upgrade-5}", "{@guide:review}").replace("shot: upgrade-5", "shot: review")
    out = _checkout_copy(tmp_path, text, committed=True)

    assert _build("--out", str(out), "--text-only") == 1
    article = (out / ARTICLE).read_text(encoding="utf-8")
    assert "img/review" not in article and "{total}" not in article
    assert "✘ Not shot yet: <code>portal-docs build --only review</code> shoots it" in article
    err = capsys.readouterr().err
    assert "figure review has no image yet (img/review.png): `portal-docs build --only review` shoots it" in err
    assert (f"portal-docs: {out / 'img' / 'upgrade-5.png'}: belongs to no figure of the article (a renamed or "
            f"removed marker?): a full `portal-docs build` removes it") in err
    assert "figure review is not in docs/source/ja/dns-service-plan-change.md (ja): 16 figures each (a renamed one?)" in err


def test_a_full_build_removes_the_images_no_figure_asks_for(monkeypatch, capsys, tmp_path):
    _rendering(monkeypatch, _same_images)
    out = _checkout_copy(tmp_path)
    (out / "img" / "dark").mkdir(parents=True)
    for orphan in ("img/upgrade-9.png", "img/dark/upgrade-9.png", "img/upgrade-9.failed.png"):
        (out / orphan).write_bytes(png())

    assert _build("--out", str(out)) == 0
    assert not list(out.rglob("upgrade-9*"))
    assert "  dark/upgrade-9.png: removed" in capsys.readouterr().out


def test_the_figures_of_the_languages_are_kept_in_step(monkeypatch, capsys, tmp_path):
    from article import wordcheck

    ja = load_source(ROOT / "docs" / "ja", "ja")
    fewer = parse_source(ja.path, _without_marker(ja.text, "upgrade-6 pdf"), "ja")
    en = load_source(ROOT / "docs", "en")

    assert [p.where(fewer) for p in wordcheck.parity(fewer, en)] == [
        f"docs/source/dns-service-plan-change.md:{en.markers['upgrade-6-pdf'].line}: figure upgrade-6-pdf is here "
        "(en) and not in docs/source/ja/dns-service-plan-change.md (ja): 16 figures against 15; add its marker "
        "there under {@guide:upgrade-6}, or remove it here"]
    assert wordcheck.parity(fewer, en, both_ways=False) == []  # (en's own check says it)
    assert [p.where(en) for p in wordcheck.parity(en, fewer)] == [
        f"docs/source/dns-service-plan-change.md:{en.markers['upgrade-6-pdf'].line}: figure upgrade-6-pdf is not "
        f"in docs/source/ja/dns-service-plan-change.md (ja): 16 figures against 15; add its marker there too, or "
        f"remove it here"]


def test_the_committed_articles_carry_a_verified_stamp_per_figure():
    for article in (ROOT / "docs" / ARTICLE, ROOT / "docs" / "ja" / ARTICLE):
        footers = [found[7] for found in FIGURE.findall(article.read_text(encoding="utf-8"))]
        assert len(footers) == len(IMAGES), article
        assert all(re.fullmatch(r"✔ Verified against the portal on [\d-]+ \(commit [\w+]+\)|✔ [\d-]+ にポータルで"
                                r"検証済み（コミット [\w+]+）", footer) for footer in footers), footers


def test_a_bad_source_ends_the_command_with_status_2(capsys, tmp_path):
    out = _checkout_copy(tmp_path, SOURCE_TEXT.replace("<!-- shot: upgrade-3\n", "<!-- shot: upgrade-2\n"))

    assert main(["build", "--locale", "en", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"portal-docs: {out / 'source' / ARTICLE}:") and "marker 'upgrade-2' stands in section 'upgrade-3'" in err
    assert err.count("\n") == 1


def test_changed_shoots_only_the_figures_whose_words_changed_or_that_have_no_image(monkeypatch, tmp_path):
    out = _checkout_copy(tmp_path, committed=True)
    stamps = json.loads((out / "verified.json").read_text(encoding="utf-8"))
    source = parse(SOURCE_TEXT)
    for name, marker in source.markers.items():
        stamps[name].update(verified=True, words=build.words_of(source, marker))
    (out / "verified.json").write_text(json.dumps(stamps), encoding="utf-8")
    (out / "img" / "faq-amount-zero.png").unlink()
    _checkout_copy(tmp_path, SOURCE_TEXT.replace("the service now reads Start", "the service reads Start"))
    asked = []

    def shoot(source, **options):
        asked.append(options["names"])
        return _same_images(source, **options)

    _rendering(monkeypatch, shoot)
    _build("--out", str(out), "--changed")
    assert asked == [["upgrade-7", "faq-amount-zero"]]
