"""SPEC §7: every item of the help article has a scenario, and every scenario says what it covers.

The article is read from its one copy in the checkout, the source the docs are built
from (docs/source/dns-service-plan-change.md), so the gate works in a clone on its own;
a separate test keeps its words (screenshot markers and other comments aside) equal to
the published article in ../shared/guide/ when that folder is there.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_bdd.feature import get_features

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ROOT / "features"
ARTICLE = ROOT / "docs" / "source" / "dns-service-plan-change.md"
PUBLISHED = ROOT.parent / "shared" / "guide" / "dns-service-plan-change.md"

ITEM_ID = re.compile(r"\{@guide:([A-Za-z0-9_-]+)\}")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)  # the article's header comment quotes an id as an example
GUIDE_TAG = "guide:"
EXTRA_TAG = "extra"


def article_ids(text: str) -> list[str]:
    return ITEM_ID.findall(HTML_COMMENT.sub("", text))


def words(text: str) -> str:
    """The article's text as a reader gets it: comments (markers, notes) and the blank
    lines they leave out."""
    return re.sub(r"\n{3,}", "\n\n", HTML_COMMENT.sub("", text)).strip()


def scenario_tags() -> dict[str, set[str]]:
    """Each scenario ("file: name") with its tags, the feature's and its rule's included."""
    tagged = {}
    for feature in get_features([str(FEATURES)]):
        for name, scenario in feature.scenarios.items():
            rule_tags = scenario.rule.tags if scenario.rule else set()
            tagged[f"{Path(feature.filename).name}: {name}"] = scenario.tags | feature.tags | rule_tags
    return tagged


def test_the_article_has_item_ids():
    ids = article_ids(ARTICLE.read_text(encoding="utf-8"))
    assert ids, f"no {{@guide:...}} ids in {ARTICLE}"
    assert len(ids) == len(set(ids)), f"an id appears twice in the article: {sorted(ids)}"


def test_every_article_item_has_a_scenario():
    covered = {tag.removeprefix(GUIDE_TAG) for tags in scenario_tags().values() for tag in tags if tag.startswith(GUIDE_TAG)}
    missing = [item for item in article_ids(ARTICLE.read_text(encoding="utf-8")) if item not in covered]
    assert not missing, f"article items without a scenario tagged @guide:<id>: {missing}"


def test_every_scenario_is_tagged_with_an_article_item_or_extra():
    untagged = [name for name, tags in scenario_tags().items()
                if EXTRA_TAG not in tags and not any(tag.startswith(GUIDE_TAG) for tag in tags)]
    assert not untagged, f"scenarios with neither @guide:<id> nor @extra: {untagged}"


def test_every_guide_tag_names_an_article_item():
    known = set(article_ids(ARTICLE.read_text(encoding="utf-8")))
    unknown = sorted({f"{name}: @{tag}" for name, tags in scenario_tags().items()
                      for tag in tags if tag.startswith(GUIDE_TAG) and tag.removeprefix(GUIDE_TAG) not in known})
    assert not unknown, f"tags naming no item of the article: {unknown}"


def test_the_article_source_says_what_the_published_article_says():
    if not PUBLISHED.exists():
        pytest.skip(f"the published article is not beside this clone ({PUBLISHED})")
    assert words(ARTICLE.read_text(encoding="utf-8")) == words(PUBLISHED.read_text(encoding="utf-8")), (
        f"{ARTICLE.relative_to(ROOT)} differs from {PUBLISHED} (comments aside): bring the "
        "published words over, keeping the screenshot markers, and tag scenarios for any new "
        "or renamed item"
    )


def test_comments_do_not_count_as_words():
    assert words("a\n\n<!-- shot: x | y -->\n\nb\n") == words("<!-- note\n   more -->\na\n\nb") == "a\n\nb"
