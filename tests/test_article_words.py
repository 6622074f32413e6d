"""The article's words are checked against the screens (issues #14, #22, SPEC §10): a
quoted label must be the portal's, on the screen of that very step (not another screen
of its scenario); a caption's amounts and plans must be what the screen showed;
{fill-ins} come from the run. Every problem names the real file and line, and for a
label missing at a step the controls that screen has; a renamed heading is a broken
cross-reference.

The unit tests give the check screens by hand; the last two run the scenarios for real.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from article import wordcheck as words
from article.cli import main
from article.record import PASSED, ShotRecord
from article.render import Shot
from article.source import ARTICLE, load_source, parse_source
from article.stamps import load_stamps
from pages.profile import load_profile

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXT = (ROOT / "docs" / "source" / ARTICLE).read_text(encoding="utf-8")
EN = load_profile("en")


def source(text: str = SOURCE_TEXT):
    return parse_source(Path(ARTICLE), text)


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


REVIEW_CONTROLS = ["Log out", "Services", "DNS SERVICE", "Invoices", "Basic #1001", "Review your plan change",
                   "Plan", "Subtotal", "Tax (10%)", "Credit applied", "Total charge for today", "Back", "Submit"]


def review_shot(name: str = "upgrade-5", **more) -> Shot:
    given = {"fills": {"total": "$2.73"}, "plans": ["Basic", "Start", "Business"], "controls": REVIEW_CONTROLS,
             "screen": "Review your plan change Plan Basic Start Subtotal $3.39 Tax (10%) $0.34 Credit applied "
                       "$1.00 Total charge for today $2.73 Back Submit"}
    return Shot(ShotRecord(name, PASSED, **{**given, **more}))


def invoice_shot() -> Shot:
    return Shot(ShotRecord("upgrade-6", PASSED, screen="Invoice #INV-000001 Paid Total $2.73 Download PDF",
                           controls=["Invoice #INV-000001", "Download PDF"]))


def test_the_published_words_pass_against_the_profile():
    assert words.check(source(), EN, None) == []


def test_the_target_plan_drift_is_caught_until_the_alias_is_declared(tmp_path):
    """The published article says “Target plan”; the screen says “Upgrade / Downgrade to”."""
    text = (ROOT / "profiles" / "en.yaml").read_text(encoding="utf-8")
    without = tmp_path / "en-without-alias.yaml"
    without.write_text(text.replace("  Target plan: the Upgrade / Downgrade to field\n", ""), encoding="utf-8")

    problems = words.check(source(), load_profile(without), None)

    assert [(p.line, p.message.split(",")[0]) for p in problems] == [
        (line_of(SOURCE_TEXT, "lower-tier plan in the “Target plan”"), "the article quotes “Target plan”")]
    assert "no label of the portal (profile en)" in problems[0].message
    assert "declare the alias in en-without-alias.yaml (aliases:)" in problems[0].message


def test_a_quoted_label_the_portal_does_not_have_is_caught_naming_its_line():
    text = SOURCE_TEXT.replace("If everything looks correct, click “Submit” to confirm.",
                               "If everything looks correct, click “Proceed” to confirm.")

    problems = words.check(source(text), EN, {"upgrade-5": review_shot()})

    assert len(problems) == 1
    assert problems[0].where(source(text)).startswith(
        f"{ARTICLE}:{line_of(text, '“Proceed”')}: the article quotes “Proceed”, which is no label of the portal")
    assert problems[0].figures == ("upgrade-5", "upgrade-5-business-annually")


def test_a_label_is_checked_against_the_screen_of_its_own_step_not_the_whole_scenario():
    """False green 2: “Download PDF” quoted in step 5 passed because the same scenario reaches
    the invoice page (step 6) later."""
    text = SOURCE_TEXT.replace("click “Submit” to confirm.", "click “Download PDF” to confirm.")

    problems = words.check(source(text), EN, {"upgrade-5": review_shot(), "upgrade-6": invoice_shot()})

    assert [(p.line, p.figures) for p in problems] == [
        (line_of(text, "click “Download PDF” to confirm"), ("upgrade-5", "upgrade-5-business-annually"))]
    assert problems[0].message == (
        "the article quotes “Download PDF” at step upgrade-5, and the screen of upgrade-5 does not show it; that "
        "screen has: “Log out”, “Services”, “DNS SERVICE”, “Invoices”, “Basic #1001”, “Review your plan change”, "
        "“Plan”, “Subtotal”, “Tax (10%)”, “Credit applied”, “Total charge for today”, “Back”, “Submit”")


def test_a_renamed_heading_is_reported_as_a_broken_cross_reference():
    text = SOURCE_TEXT.replace("## Upgrade Instructions", "## How to upgrade")
    published = frozenset(source().headings())

    problems = words.check(source(text), EN, None, published_headings=published)

    assert [(p.line, p.message) for p in problems] == [(
        line_of(text, "Follow steps 1–4 from “Upgrade Instructions” above."),
        "the article quotes “Upgrade Instructions”, a heading of the published article that is no heading any "
        "more: a broken cross-reference; quote the heading as it reads now (new: “How to upgrade”)")]
    almost = SOURCE_TEXT.replace("## Upgrade Instructions", "## Upgrading Instructions")
    assert [p.message for p in words.check(source(almost), EN, None)] == [
        "the article quotes “Upgrade Instructions”, which names no heading of the article: a broken "
        "cross-reference? the nearest heading is “Upgrading Instructions”"]


def test_a_problem_names_the_real_file_ja_included():
    ja = load_source(ROOT / "docs" / "ja", "ja")
    text = ja.text.replace("「確定する」をクリックして確定します", "「確定」をクリックして確定します")

    problems = words.check(parse_source(ja.path, text, "ja"), load_profile("ja"), None)

    assert [p.where(ja) for p in problems] == [
        f"docs/source/ja/{ARTICLE}:{line_of(text, '「確定」をクリック')}: the article quotes “確定”, which is no label "
        f"of the portal (profile ja): fix the text, or declare the alias in ja.yaml (aliases:)"]


def test_a_caption_amount_that_is_not_on_the_screen_is_caught():
    text = SOURCE_TEXT.replace("({total} in the sample)", "($2.74 in the sample)")

    problems = words.check(source(text), EN, {"upgrade-5": review_shot()})

    assert [(p.line, p.figures, p.message) for p in problems] == [
        (source(text).markers["upgrade-5"].caption_line, ("upgrade-5",),
         "the caption of upgrade-5 says $2.74, the screen shows $3.39, $0.34, $1.00, $2.73")]
    assert text.splitlines()[problems[0].line - 1].strip().startswith("caption: The review")


def test_a_caption_naming_a_plan_the_screen_does_not_show_is_caught():
    """After a sample change the caption still says Basic → Start under a Business screen."""
    text = SOURCE_TEXT.replace("The review: before → after,", "The review: Basic → Start,")
    business = review_shot(screen="Review your plan change Plan Basic Business Total charge for today $2.73 Submit")

    problems = words.check(source(text), EN, {"upgrade-5": business})

    assert [p.message for p in problems] == [
        "the caption of upgrade-5 names the plan Start, the screen shows Basic, Business"]


def test_fill_ins_come_from_the_run_and_one_nothing_reads_is_caught():
    assert words.fill_caption("Today: {total}.", {"total": "$2.73"}) == ("Today: $2.73.", [])
    text = SOURCE_TEXT.replace("({total} in the sample)", "({refund} in the sample)")

    problems = words.check(source(text), EN, {"upgrade-5": review_shot(fills={"refund": None})})

    assert [p.message for p in problems] == [
        "the caption of upgrade-5 fills in {refund}, and nothing on the screen at that shot reads it"]


def _copy(tmp_path: Path, text: str) -> Path:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / ARTICLE).write_text(text, encoding="utf-8")
    return tmp_path


def _docs(*arguments: str) -> tuple[int, list[str]]:
    """`portal-docs build --locale en --no-site ARGUMENTS`: its exit status and the lines it wrote to stderr."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(["build", "--locale", "en", "--no-site", *arguments])
    return status, err.getvalue().splitlines()


# One real run for the checks below: the caption of upgrade-5 says $2.74, its text tells
# readers to click “Proceed”, and the marker of faq-amount-zero names a scenario that is gone.
DRIFTED = (SOURCE_TEXT.replace("({total} in the sample)", "($2.74 in the sample)")
           .replace("If everything looks correct, click “Submit”", "If everything looks correct, click “Proceed”")
           .replace("scenario: A credit balance that covers the charge brings the total to $0.00",
                    "scenario: A credit balance brings the total to zero"))


@pytest.fixture(scope="module")
def drifted_run(tmp_path_factory):
    out = _copy(tmp_path_factory.mktemp("drifted"), DRIFTED)
    status, err = _docs("--out", str(out), "--only", "upgrade-4", "--only", "upgrade-5", "--only", "faq-amount-zero")
    return out, status, err


def test_a_run_catches_a_changed_caption_amount_and_a_changed_quoted_label(drifted_run):
    out, status, err = drifted_run

    path = out / "source" / ARTICLE
    assert status == 1
    assert (f"portal-docs: {path}:{line_of(DRIFTED, '“Proceed”')}: the article quotes “Proceed”, which is "
            f"no label of the portal (profile en); the screen at upgrade-5 calls what it rings "
            f"“Total charge for today $2.73”, “Submit”: fix the text, or declare the alias in en.yaml (aliases:)") in err
    assert (f"portal-docs: {path}:{source(DRIFTED).markers['upgrade-5'].caption_line}: the caption of upgrade-5 "
            f"says $2.74, the screen shows $5.00, $12.00, $3.39, $0.34, $1.00, $2.73") in err
    assert not (out / "img" / "upgrade-5.png").exists()  # not verified: no image published
    assert (out / "img" / "upgrade-5.failed.png").is_file()  # what the screen showed, for the writer


def test_a_run_shoots_the_markers_it_can_and_fails_the_one_whose_scenario_is_gone(drifted_run):
    out, status, err = drifted_run

    assert ("portal-docs: step faq-amount-zero failed (en): no scenario named 'A credit balance brings the "
            "total to zero' (or it does not run against this portal)") in err
    assert (out / "img" / "upgrade-4.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "img" / "dark" / "upgrade-4.png").is_file()
    assert not (out / "img" / "faq-amount-zero.png").exists()
    stamps = load_stamps(out)
    assert stamps["upgrade-4"].verified and not stamps["faq-amount-zero"].verified
    assert not stamps["upgrade-5"].verified and stamps["upgrade-5"].reason.startswith("the words at line ")


def test_a_run_against_a_portal_with_renamed_labels_catches_the_article_s_old_label(tmp_path):
    """The product renamed "Continue" to "Next" (the renamed profile's portal): the article is stale."""
    status, err = _docs("--out", str(_copy(tmp_path, SOURCE_TEXT)), "--only", "upgrade-4", "--ui-profile", "renamed")

    assert status == 1
    err = "\n".join(err)
    line = line_of(SOURCE_TEXT, "then click “Continue”.")
    assert (f"{ARTICLE}:{line}: the article quotes “Select billing cycle”, which is no label of the portal "
            f"(profile renamed)") in err
    assert (f"{ARTICLE}:{line}: the article quotes “Continue”, which is no label of the portal (profile renamed); "
            f"the screen at upgrade-4 calls what it rings “Billing period”, “Next”") in err


def test_targets_lists_the_names_a_marker_can_ring_on_that_screen(capsys):
    assert main(["targets", "upgrade-4"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("upgrade-4: the screen “Upgrade / Downgrade” after `And she selects \"Monthly\" in "
                          "\"Select billing cycle\"`")
    assert "  the Continue button " in out and "reads “Continue”" in out
    assert "  the Select billing cycle field " in out
    assert "(the marker rings now: the Select billing cycle field, the Continue button)" in out
    assert main(["targets", "upgrade-9"]) == 2
    assert capsys.readouterr().err.startswith("portal-docs: targets upgrade-9: no marker shoots that step (steps: ")
