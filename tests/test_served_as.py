"""The suite's own simulator is configured where it is started (harness.server.ServedAs),
from a UI profile's raw `simulator:` section: pages/ keeps the mapping and knows no Flask."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from harness.server import ServedAs, ServedAsError
from pages.profile import PROFILES, load_profile

ROOT = Path(__file__).resolve().parent.parent


def _profile_with(tmp_path: Path, section: str) -> Path:
    text = (PROFILES / "en.yaml").read_text(encoding="utf-8")
    path = tmp_path / "mine.yaml"
    path.write_text(f"{text}\nsimulator:\n{section}\n", encoding="utf-8")
    return path


def test_a_profile_without_a_simulator_section_serves_the_plain_portal():
    served = ServedAs.of(load_profile("en"))
    assert served.app_config() == {"PORTAL_LOCALE": "en"} and served.scenario() == {}
    assert not hasattr(load_profile("en"), "simulator_config")


def test_a_theme_is_the_app_s_and_every_seeded_account_s(tmp_path):
    (tmp_path / "catalog").mkdir()
    profile = load_profile(_profile_with(tmp_path, "  theme: classic\n  label_catalog: catalog"))
    assert profile.simulator == {"theme": "classic", "label_catalog": "catalog"}
    served = ServedAs.of(profile)
    assert served.app_config() == {"PORTAL_LOCALE": "en", "PORTAL_THEME": "classic",
                                   "LABEL_CATALOG": str(tmp_path / "catalog")}
    assert served.scenario() == {"theme": "classic"}


@pytest.mark.parametrize("section, says", [
    ("  colour: blue", "simulator: unknown key 'colour' (known: label_catalog, theme)"),
    ("  label_catalog: nowhere", "simulator: label_catalog: no folder"),
])
def test_a_bad_simulator_section_says_what_is_wrong(tmp_path, section, says):
    with pytest.raises(ServedAsError, match=re.escape(says)):
        ServedAs.of(load_profile(_profile_with(tmp_path, section)))
    run = subprocess.run([sys.executable, "-m", "pytest", "tests/test_acceptance.py", "-p", "no:cacheprovider", "--collect-only", "-q",
                          "-p", "no:randomly", "--ui-profile", str(tmp_path / "mine.yaml")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 4, run.stdout + run.stderr
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("ERROR: --ui-profile: ") and says in line
