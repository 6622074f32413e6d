"""CI's shards' reports merge into one JUnit, cucumber JSON, conformance report and HTML
report (harness.merge_reports), checked on two runs of the demo feature, one per shard."""
from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema

from harness import merge_reports
from tests.test_cucumber_json import FEATURE, SCHEMA, STEPS

ROOT = Path(__file__).resolve().parent.parent


def shard(folder: Path, group: str) -> Path:
    folder.mkdir()
    (folder / "demo.feature").write_text(FEATURE)
    (folder / "test_demo.py").write_text(STEPS)
    out = folder / f"reports-{group}"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "pytest_bdd.plugin", "-p", "pytest_split.plugin", "-p", "pytest_metadata.plugin", "-p", "pytest_html.plugin", "-p", "portal_suite.selection", "-p", "portal_suite.record",
         "-p", "portal_suite.cucumber", "-p", "harness.failure_report", "-p", "portal_suite.html_report",
         "-p", "harness.conformance", "-p", "drivers.plugin", "-p", "no:cacheprovider", "-p", "no:randomly",
         "--splits", "2", "--group", group, f"--junitxml={out}/junit.xml", f"--cucumberjson={out}/cucumber.json",
         f"--html={out}/report.html", "--self-contained-html", "--conformance", f"{out}/conformance",
         "test_demo.py"],
        cwd=folder, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONPATH": str(ROOT)})
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return out


def test_the_shards_reports_merge_into_one_of_each(tmp_path):
    runs = [shard(tmp_path / "one", "1"), shard(tmp_path / "two", "2")]
    assert merge_reports.main([str(tmp_path / "merged"), *map(str, runs)]) == 0
    merged = tmp_path / "merged"
    junit = ElementTree.parse(merged / "junit.xml").getroot()
    assert junit.get("tests") == "7" and len(list(junit.iter("testcase"))) == 7
    cucumber = json.loads((merged / "cucumber.json").read_text())
    jsonschema.validate(cucumber, SCHEMA)
    assert sum(len(feature["elements"]) for feature in cucumber) == 7
    report = json.loads((merged / "conformance.json").read_text())
    assert sum(report["counts"].values()) == 7 and report["counts"]["failed"] == 4
    assert "- Scenarios: 7:" in (merged / "conformance.md").read_text()
    page = (merged / "report.html").read_text()
    data = json.loads(html.unescape(re.search(r'data-jsonblob="([^"]*)"', page)[1]))
    assert len(data["tests"]) == 7
