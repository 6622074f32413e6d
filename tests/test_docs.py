"""`portal-sim docs` (issue #4): the source's markers, the built article, `--update`,
and how a failing step ends the command. The screenshots themselves are compared with
the committed ones in test_visual.py."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from simulator import docs_cli
from simulator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXT = (ROOT / "docs" / "source" / docs_cli.ARTICLE).read_text(encoding="utf-8")
STEPS = [*(f"upgrade-{n}" for n in range(1, 8)), "downgrade-1", "downgrade-2",
         "faq-link-not-displayed", "faq-amount-zero", "faq-display-not-updating"]


def parse(text: str) -> docs_cli.Source:
    return docs_cli.parse_source(Path("article.md"), text)


def test_the_source_has_one_marker_per_walkthrough_step_in_the_article_order():
    source = parse(SOURCE_TEXT)

    assert list(source.markers) == STEPS
    assert [source.badges[step] for step in STEPS] == [*"1234567", "1", "2", "?", "?", "?"]


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
    (lambda text: text.replace("## Downgrade Instructions", "### 8. Celebrate {@guide:upgrade-8}\n\nDone.\n\n## Downgrade Instructions"),
     "step '8. Celebrate' has no screenshot marker"),
], ids=["unknown step", "step without marker", "marker in another step", "second marker",
        "malformed marker", "numbered step without marker"])
def test_a_source_out_of_step_with_the_walkthroughs_is_refused(change, complaint):
    with pytest.raises(docs_cli.DocsError, match=complaint):
        parse(change(SOURCE_TEXT))


def test_the_article_keeps_every_section_in_order_and_gives_each_step_its_figure():
    article = docs_cli.build_article(parse(SOURCE_TEXT))

    headings = [re.sub(r"\s*\{@guide:[\w-]+\}", "", line) for line in SOURCE_TEXT.splitlines() if line.startswith("#")]
    assert [line for line in article.splitlines() if line.startswith("#")] == headings
    images = re.findall(r"^!\[[^\]]+\]\(img/([\w-]+)\.png\)$", article, re.M)
    assert images == STEPS
    assert re.findall(r"^\*Figure (\d+)\. .+\*$", article, re.M) == [str(n) for n in range(1, 13)]
    assert "{@guide:" not in article and "shot:" not in article
    upgrade_5 = article.index("### 5. Review the details and click “Submit”")
    assert upgrade_5 < article.index("(img/upgrade-5.png)") < article.index("### 6.")


def test_the_committed_article_is_built_from_the_committed_source():
    built = docs_cli.build_article(docs_cli.load_source(ROOT / "docs"))
    assert (ROOT / "docs" / docs_cli.ARTICLE).read_text(encoding="utf-8") == built, (
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
    difference = docs_cli.compare(png(), png(block=20), tmp_path / "diff.png")

    assert difference.beyond_threshold and difference.pixels > difference.allowed
    with Image.open(tmp_path / "diff.png") as diff:
        assert diff.getpixel((15, 15)) == (255, 0, 0, 255)
        assert diff.getpixel((300, 250)) != (255, 0, 0, 255)
    assert not docs_cli.compare(png(), png()).beyond_threshold
    assert str(docs_cli.compare(png(), png())) == "identical pixels"
    assert docs_cli.compare(png(), png((400, 301))).reason == "size 400×300 → 400×301"


def test_update_rewrites_only_the_images_changed_beyond_the_threshold(tmp_path):
    folder = tmp_path / "img"
    folder.mkdir()
    for name in ("same", "speck", "changed"):
        (folder / f"{name}.png").write_bytes(png())
    shots = {"same": png(), "speck": png(dots=5), "changed": png(block=20), "new": png()}

    written, kept = docs_cli.write_images(shots, folder, update=True)

    assert [name for name, _ in written] == ["changed.png", "new.png"]
    assert kept == ["same.png", "speck.png"]  # 5 pixels of 120,000: within the threshold
    assert (folder / "changed.png").read_bytes() == shots["changed"]
    assert (folder / "speck.png").read_bytes() == png()
    assert [name for name, _ in docs_cli.write_images(shots, folder, update=False)[0]] == [
        "same.png", "speck.png", "changed.png", "new.png"]


def test_a_failing_step_ends_the_command_with_one_line_naming_it(monkeypatch, capsys, tmp_path):
    def drifted(*args, **kwargs):
        raise docs_cli.StepFailed(
            "upgrade-5", "Total charge for today amount shows '$2.74', the article expects '$2.73'")

    monkeypatch.setattr(docs_cli, "render", drifted)

    assert main(["docs", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        "portal-sim: docs step upgrade-5 failed: Total charge for today amount shows '$2.74', "
        "the article expects '$2.73'\n")
    assert not (tmp_path / docs_cli.ARTICLE).exists()  # nothing half-written


def test_a_bad_source_ends_the_command_with_status_2(capsys, tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / docs_cli.ARTICLE).write_text(
        SOURCE_TEXT.replace("<!-- shot: upgrade-3 ", "<!-- shot: upgrade-9 "), encoding="utf-8")

    assert main(["docs", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("portal-sim: docs: ") and "'upgrade-9' names no walkthrough step" in err
    assert err.count("\n") == 1


def test_a_portal_that_drifted_from_the_article_fails_the_step(playwright, monkeypatch):
    sample = docs_cli.sample_scenario()
    sample["clients"][0]["credit"] = "0.00"
    monkeypatch.setattr(docs_cli, "sample_scenario", lambda: sample)

    with pytest.raises(docs_cli.StepFailed) as failed:
        docs_cli.render(parse(SOURCE_TEXT), only=["upgrade-5"], playwright=playwright)

    assert failed.value.step == "upgrade-5"
    assert failed.value.reason.startswith(
        "Credit applied amount shows '$0.00', the article expects '$1.00' (after: ")
