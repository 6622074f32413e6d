"""The article's words are checked against the screens (issue #14, SPEC §10): a quoted
label must be the portal's, on screen at that step; a caption's amounts and plans must
be what the screen showed; {fill-ins} come from the run. Every problem names the line.

The unit tests give the check screens by hand; the last two run the scenarios for real.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from article import words
from article.shots import Shot
from article.source import ARTICLE, parse_source
from article.stamps import load_stamps
from pages.profile import load_profile
from simulator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXT = (ROOT / "docs" / "source" / ARTICLE).read_text(encoding="utf-8")
EN = load_profile("en")


def source(text: str = SOURCE_TEXT):
    return parse_source(Path(ARTICLE), text)


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


def review_shot(**more) -> Shot:
    given = {"verified": True, "fills": {"total": "$2.73"}, "plans": ["Basic", "Start", "Business"],
             "screen": "Review your plan change Plan Basic Start Subtotal $3.39 Tax (10%) $0.34 Credit applied "
                       "$1.00 Total charge for today $2.73 Back Submit"}
    return Shot("upgrade-5", **{**given, **more})


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
    assert problems[0].step == "upgrade-5"


def test_a_label_of_the_portal_that_is_not_on_screen_at_that_step_is_caught():
    text = SOURCE_TEXT.replace("click “Submit” to confirm.", "click “Download PDF” to confirm.")

    problems = words.check(source(text), EN, {"upgrade-5": review_shot()})

    assert [p.line for p in problems] == [line_of(text, "click “Download PDF” to confirm")]
    assert problems[0].message.startswith("the article quotes “Download PDF”, and no screen of step upgrade-5 "
                                          "shows it; the shot there shows: Review your plan change")


def test_a_caption_amount_that_is_not_on_the_screen_is_caught():
    text = SOURCE_TEXT.replace("({total} in the sample)", "($2.74 in the sample)")

    problems = words.check(source(text), EN, {"upgrade-5": review_shot()})

    assert [(p.line, p.message) for p in problems] == [
        (source(text).markers["upgrade-5"].line,
         "the caption of upgrade-5 says $2.74, the screen shows $3.39, $0.34, $1.00, $2.73")]


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
    """`portal-sim docs ARGUMENTS`: its exit status and the lines it wrote to stderr."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(["docs", *arguments])
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

    assert status == 1
    assert (f"portal-sim: docs: {ARTICLE}:{line_of(DRIFTED, '“Proceed”')}: the article quotes “Proceed”, which is "
            f"no label of the portal (profile en); the screen at upgrade-5 calls what it rings "
            f"“Total charge for today $2.73”, “Submit”: fix the text, or declare the alias in en.yaml (aliases:)") in err
    assert (f"portal-sim: docs: {ARTICLE}:{source(DRIFTED).markers['upgrade-5'].line}: the caption of upgrade-5 "
            f"says $2.74, the screen shows $5.00, $12.00, $3.39, $0.34, $1.00, $2.73") in err
    assert not (out / "img" / "upgrade-5.png").exists()  # not verified: no image published
    assert (out / "img" / "upgrade-5.failed.png").is_file()  # what the screen showed, for the writer


def test_a_run_shoots_the_markers_it_can_and_fails_the_one_whose_scenario_is_gone(drifted_run):
    out, status, err = drifted_run

    assert ("portal-sim: docs step faq-amount-zero failed: no scenario named 'A credit balance brings the "
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
