"""Every language run covers every word (issue #19): the runs of `make test-ja` and
`make test-renamed` leave out examples (the Makefile's LANGUAGE_RUN_K); each word of the
run's gettext catalog that a screen shows as a value (a billing cycle's name, a status, a
plan's tier, "Change in progress", the tax's name) must still be shown, and so checked, by
some scenario the run keeps. The scenarios' expected values are read from the scenarios
pytest collects for that run (steps and data tables, Examples filled in); the catalog
from its .po file."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bench.makefile import language_run_k
from pages.profile import features_profile

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = {  # the run's profile -> the catalog its portal is served with
    "ja": ROOT / "simulator" / "translations" / "ja" / "LC_MESSAGES" / "messages.po",
    "renamed": ROOT / "profiles" / "renamed-catalog" / "en" / "LC_MESSAGES" / "messages.po",
}
# How a word a screen shows is written in the features (en): a tier inside "Start (upgrade)".
TIERS = {"%(plan)s (upgrade)": "upgrade", "%(plan)s (downgrade)": "downgrade"}


def shown_words(profile: str) -> dict[str, str]:
    """The catalog's entries a screen shows as a value, each as the features write it:
    msgid -> the en word ("Quarterly", "upgrade")."""
    en = features_profile()
    values = {*en.cycles.values(), *en.words}
    with CATALOGS[profile].open("rb") as source:
        catalog = read_po(source)
    words = {}
    for message in catalog:
        if not message.id or not message.string or isinstance(message.id, tuple):
            continue
        if message.id in values:
            words[message.id] = message.id
        elif message.id in TIERS:
            words[message.id] = TIERS[message.id]
    return words


def scenario_texts(tmp_path: Path, profile: str) -> dict[str, list[str]]:
    out = tmp_path / f"{profile}.json"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_acceptance.py", "--collect-only", "-q",
         "-p", "tests.scenario_texts", "--ui-profile", profile, "-k", language_run_k()],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SCENARIO_TEXTS": str(out)})
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("profile", sorted(CATALOGS))
def test_each_word_of_the_catalog_a_screen_shows_is_shown_by_a_scenario_of_the_run(profile, tmp_path):
    texts = scenario_texts(tmp_path, profile)
    assert texts, "the run keeps no scenario"
    words = shown_words(profile)
    assert {"Quarterly", "Semi-Annually", "Paid", "upgrade"} <= set(words.values()) or profile == "renamed"
    unshown = []
    for msgid, word in sorted(words.items()):
        quoted = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
        if not any(quoted.search(line) for lines in texts.values() for line in lines):
            unshown.append(f"{msgid!r} (written {word!r})")
    assert not unshown, (f"the {profile} run (-k {language_run_k()!r}) keeps no scenario that shows "
                         + ", ".join(unshown))


def test_the_check_sees_a_word_left_out(tmp_path, monkeypatch):
    """Without the examples kept for them, Quarterly and Semi-Annually are shown by no scenario."""
    monkeypatch.setattr(sys.modules[__name__], "language_run_k", lambda: "not todays_charge_for")
    texts = scenario_texts(tmp_path, "ja")
    everything = "\n".join(line for lines in texts.values() for line in lines)
    assert "Semi-Annually" not in everything and "Quarterly" not in everything
