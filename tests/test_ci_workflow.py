"""The GitHub workflow as written (SPEC §11): the browser pinned to the one the docs'
images record, every UI profile's scenarios in the shards, the shards' reports merged, no
job-wide variable that a test's own child pytest would inherit, and the stored durations
current enough for the shards to balance."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "acceptance.yml").read_text())


def test_every_job_uses_the_chromium_the_images_record():
    renderer = (ROOT / "docs" / "img" / "renderer.txt").read_text().split()[-1]
    assert WORKFLOW["env"]["CHROMIUM_DEB"].startswith(f"{renderer}-")
    assert WORKFLOW["env"]["CHROMIUM_PATH"] == "/usr/bin/chromium-headless-shell"
    for name in ("suite", "docs"):
        install = next(step["run"] for step in WORKFLOW["jobs"][name]["steps"] if "apt-get install" in step.get("run", ""))
        assert "chromium-headless-shell=$CHROMIUM_DEB" in install, name


def test_the_shards_hold_every_profile_and_their_reports_are_merged():
    matrix = WORKFLOW["jobs"]["suite"]["strategy"]["matrix"]["include"]
    assert sorted(entry["shard"] for entry in matrix if entry["profile"] == "en") == ["1", "2", "3", "4"]
    assert {entry["profile"] for entry in matrix} == {"en", "ja", "renamed", "classic"}
    merge = WORKFLOW["jobs"]["reports"]
    assert merge["needs"] == "suite" and any("harness.merge_reports" in step.get("run", "") for step in merge["steps"])


def test_the_profile_shards_select_what_make_test_selects():
    """The ja, renamed and classic shards run the Makefile's targets (one list of the examples a
    language run keeps, LANGUAGE_RUN_K), with the reports added through PROFILE_ARGS."""
    steps = WORKFLOW["jobs"]["suite"]["steps"]
    profile_step = next(step for step in steps if step.get("if") == "matrix.profile != 'en'")
    assert profile_step["run"].startswith("make test-${{ matrix.profile }} PROFILE_ARGS=")
    assert "-k" not in profile_step["run"]
    makefile = (ROOT / "Makefile").read_text()
    for entry in WORKFLOW["jobs"]["suite"]["strategy"]["matrix"]["include"]:
        if entry["profile"] != "en":
            assert f"test-{entry['profile']}: $(STAMP)" in makefile, entry
            assert set(entry) == {"shard", "profile"}, entry


def test_no_job_wide_variable_reaches_the_tests_own_child_pytest():
    for name, job in WORKFLOW["jobs"].items():
        assert "VISUAL_GATE_STRICT" not in job.get("env", {}), name
    assert "VISUAL_GATE_STRICT" not in WORKFLOW.get("env", {})


def test_the_stored_durations_cover_the_suite():
    """pytest-split balances the shards by .test_durations; a test it has no time for counts
    as the average, so a stale file makes unequal shards (refresh:
    `.venv/bin/pytest -n 2 -p no:randomly --store-durations --durations-path .test_durations`)."""
    stored = json.loads((ROOT / ".test_durations").read_text())
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not visual",
                          "-p", "no:randomly", "-p", "no:cacheprovider"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")})
    collected = {line for line in run.stdout.splitlines() if "::" in line}
    assert len(collected) > 100, run.stdout[-2000:] + run.stderr[-2000:]
    missing = collected - set(stored)
    files = {test_id.split("::")[0] for test_id in collected} - {test_id.split("::")[0] for test_id in stored}
    assert not files, f"test files with no stored durations: {sorted(files)}"
    assert len(missing) <= len(collected) // 20, f"{len(missing)} of {len(collected)} tests have no stored duration"
