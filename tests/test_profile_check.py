"""The profile check (SPEC §9) on the classic theme, with a profile a QA engineer has only
half written: it names each missing target with the candidates on its screen, walks on
past a missing control, and writes a draft that then checks clean, in under a minute."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.server import start_simulator
from pages.profile import PROFILES, load_profile

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def classic_portal():
    server = start_simulator(PORTAL_THEME="classic")
    yield server.url
    server.stop()


def _check(url: str, profile: Path, *extra: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "harness.profile_check", "--base-url", url, "--ui-profile",
                          str(profile), *extra], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return run, time.monotonic() - started


def test_an_incomplete_profile_is_named_target_by_target_with_candidates(classic_portal, tmp_path):
    text = (PROFILES / "classic.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^  the Continue button:.*\n", "", text, flags=re.M)        # forgotten
    text = text.replace("{role: button, name: Submit}", "{role: button, name: Confirm}")  # wrong name
    text = text.replace("the Plan row: {fact: Plan}", "the Plan row: {fact: Plan name}")  # wrong label
    mine = tmp_path / "mine.yaml"
    mine.write_text(text, encoding="utf-8")
    draft = tmp_path / "mine.draft.yaml"

    run, seconds = _check(classic_portal, mine, "--draft", str(draft))

    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert seconds < 60
    assert "the Continue button: not in the profile" in out
    assert re.search(r"the Continue button.*\n\s+nearest on this screen: button “Continue”", out)
    assert "the walk went on by clicking button “Continue”" in out  # and so reached the review
    assert re.search(r"the Submit button: missing \(role 'Confirm'; the walk went on by clicking button “Submit”\)\n\s+nearest on this screen: button “Submit”", out)
    assert re.search(r"the Plan row: missing \(fact 'Plan name'\)\n\s+nearest on this screen: fact “Plan”", out)
    assert "✔ the Total row: found" in out  # the walk got to the invoice
    assert "Summary: 37 found, 2 missing, 1 not in the profile, 1 absent" in out

    drafted = load_profile(draft)  # a whole profile again
    assert drafted.targets["the Continue button"].label == "Continue"
    rerun, _ = _check(classic_portal, draft)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr


def test_a_bad_profile_is_refused_in_one_line(classic_portal, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("targets: [", encoding="utf-8")
    run, _ = _check(classic_portal, bad)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "not valid YAML" in run.stderr
