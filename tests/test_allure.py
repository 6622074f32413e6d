"""Allure results (allure-pytest-bdd, pinned) carry the steps, the tags as written and the
guide/needs labels, the failure screenshot and the Playwright trace (portal_suite.allure_report),
checked on the demo feature of tests/test_cucumber_json.py; its trace is written in teardown
where pytest-playwright writes one."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_cucumber_json import FEATURE, STEPS

ROOT = Path(__file__).resolve().parent.parent

TRACE = '''

@pytest.fixture(autouse=True)
def trace(request):
    yield
    from slugify import slugify
    if request.node.name == "test_a_step_that_does_not":
        folder = Path("test-results") / slugify(request.node.nodeid)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "trace.zip").write_bytes(b"PK fake trace")
'''


def test_allure_results_carry_steps_tags_screenshot_and_trace(tmp_path):
    (tmp_path / "demo.feature").write_text(FEATURE)
    (tmp_path / "test_demo.py").write_text("from pathlib import Path\n" + STEPS + TRACE)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "portal_suite.selection", "-p", "portal_suite.record",
         "-p", "harness.failure_report", "-p", "portal_suite.allure_report", "-p", "no:cacheprovider",
         "-p", "no:randomly", "--alluredir", "allure", "test_demo.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 1, run.stdout + run.stderr
    results = {data["name"]: data for data in (json.loads(path.read_text())
                                               for path in (tmp_path / "allure").glob("*-result.json"))}
    failed = results["A step that does not"]
    assert [step["status"] for step in failed["steps"]] == ["passed", "passed", "failed", "skipped", "skipped"]
    assert [attachment["name"] for attachment in failed["attachments"]] == [
        'failed at: Then the total reads "$2.73"', "Playwright trace (playwright show-trace)"]
    screenshot = failed["attachments"][0]
    assert screenshot["type"] == "image/png" and (tmp_path / "allure" / screenshot["source"]).read_bytes().startswith(b"\x89PNG")
    labels = {(label["name"], label["value"]) for label in results["Tables and doc strings"]["labels"]}
    assert {("tag", "guide:demo-1"), ("tag", "needs:clock"), ("guide", "demo-1"), ("needs", "clock")} <= labels
