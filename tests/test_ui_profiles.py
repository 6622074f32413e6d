"""UI profiles (SPEC §9): what the suite knows of a portal's screens lives in profiles/,
never in the page objects' or the steps' code; a label a step quotes names a target,
or the scenario fails at once saying so.

No browser here: the scenarios themselves run against en, ja and the renamed catalog
in `make test` (see the Makefile).
"""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from harness.server import ServedAs
from pages.profile import PROFILES, Amount, ProfileError, bundled, is_regex, load_profile
from steps.types import TYPES

ROOT = Path(__file__).resolve().parents[1]
CODE = sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "steps").glob("*.py")])


def profile_texts(profile) -> set[str]:
    """Every word a profile says the portal shows: labels, cycles, words, phrases."""
    texts = {spec.has_text or spec.label for spec in profile.targets.values()}
    texts |= set(profile.cycles.values()) | set(profile.words) | set(profile.words.values())
    texts |= set(profile.phrases.values())
    texts |= {text[1:].rsplit("/", 1)[0] for text in set(texts) if is_regex(text)}  # a regex's body
    return {text for text in texts if text}


def string_literals(path: Path):
    """(line, text) of every string constant of a module, f-strings' literal parts included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


# The scenario file (SPEC §3) spells some of its values as the en portal shows them;
# seeding a scenario with them writes data, not a label. So do the step parameter types' names.
SCENARIO_VALUES = {"Active", "Pending", "Suspended", "Cancelled", "Terminated", "Tax",
                   "monthly", "quarterly", "semiannually", "annually"} | set(TYPES)


def test_no_ui_label_is_written_in_the_page_objects_or_the_steps():
    labels = set().union(*(profile_texts(load_profile(name)) for name in bundled())) - SCENARIO_VALUES
    found = [f"{path.relative_to(ROOT)}:{line}: {text!r}"
             for path in CODE for line, text in string_literals(path) if text in labels]
    assert not found, "UI labels written in code (they belong in profiles/*.yaml):\n" + "\n".join(found)


def test_the_label_scan_sees_a_label_written_in_code(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('button = page.get_by_role("button", name="Continue")\n', encoding="utf-8")
    assert ("Continue" in profile_texts(load_profile("en"))
            and (1, "Continue") in list(string_literals(planted)))


# --- The bundled profiles ---------------------------------------------------------

@pytest.mark.parametrize("name", ["en", "ja", "renamed"])
def test_each_bundled_profile_loads_and_names_every_target_of_en(name):
    profile = load_profile(name)
    assert set(profile.targets) == set(load_profile("en").targets)
    assert profile.name == name


def test_en_shows_what_the_features_write_as_they_write_it():
    en = load_profile("en")
    for text in ["$12.00 / Monthly", "Changes to Basic on 2026-04-01", "15 unused days of 31",
                 "Start (upgrade)", "Monthly — $12.00", "Active", "¥12,834", "2027-03-17", "Basic"]:
        assert en.shown(text) == text


def test_ja_shows_what_the_features_write_in_the_japanese_portal_s_words_and_formats():
    ja = load_profile("ja")
    assert {text: ja.shown(text) for text in [
        "$12.00 / Monthly", "Changes to Basic on 2026-04-01", "15 unused days of 31", "Start (upgrade)",
        "Monthly — $12.00", "Paid", "¥12,834", "2027-03-17", "Change in progress", "Basic"]} == {
        "$12.00 / Monthly": "$12.00（月払い）", "Changes to Basic on 2026-04-01": "2026年4月1日にBasicへ変更予定",
        "15 unused days of 31": "残り15日／31日", "Start (upgrade)": "Start（アップグレード）",
        "Monthly — $12.00": "月払い — $12.00", "Paid": "支払済み", "¥12,834": "¥12,834",
        "2027-03-17": "2027年3月17日", "Change in progress": "変更処理中", "Basic": "Basic"}
    assert ja.label("the tax row", name="Tax", rate="10") == "消費税 (10%)"
    assert ja.date(date(2026, 4, 1)) == "2026年4月1日"
    assert ja.money(Amount(Decimal("-1234.5"), "USD")) == "-$1,234.50"


def test_the_renamed_profile_reads_the_renamed_portal_s_dates_and_cycles():
    renamed = load_profile("renamed")
    assert renamed.shown("Changes to Basic on 2026-04-01") == "Changes to Basic on Apr 1, 2026"
    assert renamed.shown("$120.00 / Annually") == "$120.00 billed yearly"
    assert ServedAs.of(renamed).app_config()["LABEL_CATALOG"] == str(PROFILES / "renamed-catalog")


def test_a_quote_names_a_target_by_its_en_label_with_its_fields():
    en = load_profile("en")
    assert [named.key for named in en.named("Submit")] == ["the Submit button"]
    [tax] = en.named("Tax (8%)")
    assert (tax.key, tax.fields) == ("the tax row", {"name": "Tax", "rate": "8"})
    assert en.named("Contineu") == []


def test_the_invoice_number_is_read_from_the_heading_as_the_portal_writes_it():
    assert load_profile("ja").read_field("the invoice heading", "number", "請求書 #INV-T3-000002") == "INV-T3-000002"


def test_the_renamed_catalog_renames_at_least_five_controls_and_is_compiled():
    folder = PROFILES / "renamed-catalog" / "en" / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as handle:
        source = {message.id: message.string for message in read_po(handle) if message.id}
    with (folder / "messages.mo").open("rb") as handle:
        compiled = {message.id: message.string for message in read_mo(handle) if message.id}
    assert compiled == source, "run: .venv/bin/pybabel compile -d profiles/renamed-catalog"
    controls = {"Log in", "Continue", "Submit", "Download PDF", "Upgrade / Downgrade"}
    assert {msgid: source[msgid] for msgid in controls if source.get(msgid) not in (None, "", msgid)}.keys() \
        == controls


# --- A profile that cannot be used says why --------------------------------------

def _profile_file(tmp_path: Path, edit) -> Path:
    text = (PROFILES / "ja.yaml").read_text(encoding="utf-8")
    path = tmp_path / "mine.yaml"
    path.write_text(edit(text), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit, says", [
    (lambda text: re.sub(r"^  the Submit button:.*\n", "", text, flags=re.M),
     "targets: missing 'the Submit button'"),
    (lambda text: text + "colour: blue\n", "unknown key 'colour'"),
    (lambda text: text.replace("targets:\n", "targets:\n  the Buy button: {role: button, name: 買う}\n"),
     "targets: 'the Buy button' unknown (not one that en.yaml gives)"),
    (lambda text: text.replace("{role: button, name: 確定する}", "{role: button, nmae: 確定する}"),
     "'the Submit button': role takes exact, level, name, role, text; 'nmae' unknown"),
    (lambda text: text.replace("{role: button, name: 確定する}", "{absent: ' '}"),
     "'the Submit button': absent: say why the portal has no such thing"),
    (lambda text: text.replace("{choice: select, label: 変更先のプラン}", "{choice: dropdown, label: 変更先のプラン}"),
     "choice: 'dropdown'; expected one of select, radio, card"),
    (lambda text: text.replace("{choice: select, label: 変更先のプラン}", "{choice: card, item: {css: .plan}}"),
     "choice: card needs `control`"),
    (lambda text: text.replace("  details: /services/dns/{service}", "  details: /services/dns/{id}"),
     "addresses: details: unknown field 'id' (fields: service)"),
    (lambda text: text.replace("  details: /services/dns/{service}", "  home: /"),
     "addresses: 'home' unknown (known: details, change, review, submit)"),
    (lambda text: text.replace('USD: {symbol: "$", decimals: 2, grouping: ","}', 'USD: {decimals: 2}'),
     "formats: money: USD: give `symbol` (before the number) or `suffix` (after it)"),
    (lambda text: text.replace("  date: y年M月d日", "  dates: y年M月d日"), "formats: date: missing"),
    (lambda text: text.replace("targets:", "targets: [", 1), "not valid YAML"),
])
def test_a_broken_profile_is_refused_naming_the_file_and_the_key(tmp_path, edit, says):
    """Each mistake a QA engineer makes in a profile is named, with the file, in one line."""
    path = _profile_file(tmp_path, edit)
    with pytest.raises(ProfileError) as refused:
        load_profile(path)
    assert str(path) in str(refused.value) and says in str(refused.value)


def test_a_profile_of_one_s_own_is_given_by_its_path(tmp_path):
    path = _profile_file(tmp_path, lambda text: text.replace("name: 確定する", "name: 注文する"))
    assert load_profile(str(path)).label("the Submit button") == "注文する"


def test_an_unknown_profile_name_lists_the_bundled_ones():
    with pytest.raises(ProfileError, match=r"no UI profile 'fr': bundled ones are classic, en, ja, renamed"):
        load_profile("fr")


# --- Checked quotes: the gate ------------------------------------------------------

FEATURE = '''\
Feature: Quotes that name nothing
  Background:
    Given the sample account of the help article
    And "alice@example.com" is logged in

  Scenario: A button the portal does not have
    When she reviews the change to "Start" billed "Monthly"
    And she clicks "Contineu"

  Scenario: A row the amounts table does not have
    When she reviews the change to "Start" billed "Monthly"
    Then the amounts read:
      | Subtotal  | $3.39 |
      | Totl      | $2.73 |
'''


def _run_suite_on(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """pytest on a feature of its own, with the suite's steps; no portal, no browser."""
    (tmp_path / "quotes.feature").write_text(FEATURE, encoding="utf-8")
    (tmp_path / "conftest.py").write_text(textwrap.dedent("""\
        from steps import MODULES
        pytest_plugins = MODULES
    """), encoding="utf-8")
    (tmp_path / "test_quotes.py").write_text('from pytest_bdd import scenarios\nscenarios("quotes.feature")\n',
                                             encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider",
                           "-q", "-o", "addopts=", "--rootdir", str(tmp_path), str(tmp_path), *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_a_quote_that_names_nothing_fails_the_scenario_before_its_first_step(tmp_path):
    run = _run_suite_on(tmp_path)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "2 failed" in output, output
    # The step, the quote and the nearest labels; the Givens (which need a portal) never ran.
    assert ('quotes.feature:8 And she clicks "Contineu": "Contineu" names no target; '
            'nearest labels: "Continue"') in output, output
    assert ("quotes.feature:12 Then the amounts read: (table row 'Totl'): \"Totl\" names no target; "
            'nearest labels: "Total"') in output, output
    assert "base_url" not in output and "Connection" not in output, output


def test_an_unknown_ui_profile_stops_the_run_in_one_line(tmp_path):
    run = _run_suite_on(tmp_path, "--ui-profile", "fr")
    assert run.returncode == 4, run.stdout + run.stderr
    assert "--ui-profile: no UI profile 'fr': bundled ones are classic, en, ja, renamed" in run.stderr


# --- The README lists the labels side by side (SPEC §5 Languages) --------------------

def label_table() -> str:
    """The README's table: each target, cycle, word and phrase in en | ja | renamed."""
    en, ja, renamed = (load_profile(name) for name in ("en", "ja", "renamed"))

    def cell(text: str) -> str:
        return f"`{text}`" if text else ""

    def label(profile, key):
        spec = profile.targets[key]
        return spec.reason if spec.kind == "absent" else spec.template

    rows = [("what", "en", "ja", "renamed")]
    rows += [(key, cell(label(en, key)), cell(label(ja, key)),
              cell(label(renamed, key)) if label(renamed, key) != label(en, key) else "")
             for key in en.targets]
    rows += [(f"cycle {cycle}", cell(en.cycles[cycle]), cell(ja.cycles[cycle]),
              cell(renamed.cycles[cycle]) if renamed.cycles[cycle] != en.cycles[cycle] else "")
             for cycle in en.cycles]
    rows += [(f"word {word}", cell(en.words[word]), cell(ja.words[word]),
              cell(renamed.words[word]) if renamed.words[word] != en.words[word] else "")
             for word in en.words]
    rows += [(f"phrase {key}", cell(en.phrases[key]), cell(ja.phrases[key]),
              cell(renamed.phrases[key]) if renamed.phrases[key] != en.phrases[key] else "")
             for key in en.phrases]
    dates = {profile.name: ", ".join(profile.date_formats) for profile in (en, ja, renamed)}
    rows += [("date format", cell(dates["en"]), cell(dates["ja"]),
              cell(dates["renamed"]) if dates["renamed"] != dates["en"] else "")]
    lines = ["| " + " | ".join(text.replace("|", "\\|") for text in row) + " |" for row in rows]
    lines.insert(1, "| --- | --- | --- | --- |")
    return "\n".join(lines)


def test_the_readme_lists_every_label_in_en_ja_and_the_renamed_catalog():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert label_table() in readme, ("README.md: the labels table is out of date; paste:\n\n"
                                     f"{label_table()}")


@pytest.mark.parametrize("content, says", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8 text"),
    (b"a: " + b"[" * 5000 + b"]" * 5000, "nested too deeply"),
    (b"x: 1\n" * 60000, "over the 256 KiB a profile may have"),
])
def test_a_file_that_is_no_profile_is_refused_in_one_line(tmp_path, content, says):
    path = tmp_path / "mine.yaml"
    path.write_bytes(content)
    with pytest.raises(ProfileError) as refused:
        load_profile(path)
    assert says in str(refused.value) and "\n" not in str(refused.value)


def test_a_profile_that_is_not_a_regular_file_is_refused(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ProfileError, match="not a regular file"):
        load_profile(fifo)
