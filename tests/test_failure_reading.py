"""A failure reads as Gherkin first (SPEC §11): a planted failure (the demo feature of
tests/test_cucumber_json.py, without a browser) leads the terminal, the HTML report's row
and JUnit with the feature, the scenario, the failing step and the expected-vs-shown line,
with pytest's, pluggy's and pytest-bdd's frames hidden; in one process and under xdist."""
from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.test_cucumber_json import FEATURE, STEPS

ROOT = Path(__file__).resolve().parent.parent
SAID = 'AssertionError: Total charge for today amount: expected "$2.73", the screen shows "$3.07"'
PLACE = 'demo.feature:21 Demo › A step that does not › Then the total reads "$2.73"'
FRAMEWORK = ("_pytest", "pluggy", "pytest_bdd", "pytest_playwright", "fixturefunc")


@pytest.fixture(scope="module", params=[[], ["-n", "2"]], ids=["one process", "xdist"])
def run(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("failure")
    (folder / "demo.feature").write_text(FEATURE)
    (folder / "test_demo.py").write_text(STEPS)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "pytest_bdd.plugin", "-p", "xdist.plugin", "-p", "pytest_metadata.plugin", "-p", "pytest_html.plugin", "-p", "portal_suite.selection", "-p", "portal_suite.record",
         "-p", "harness.failure_report", "-p", "portal_suite.html_report", "-p", "portal_suite.terminal",
         "-p", "no:cacheprovider", "-p", "no:randomly", "--html=out/report.html", "--self-contained-html",
         "--junitxml=out/junit.xml", "--gherkin-steps", *request.param, "test_demo.py"],
        cwd=folder, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONPATH": str(ROOT), "COLUMNS": "300"})
    assert done.returncode == 1, done.stdout + done.stderr
    return folder, done.stdout


def test_the_terminal_leads_with_the_gherkin_step_and_what_differs(run):
    _, out = run
    section = out[out.index("_ Demo › A step that does not _"):]
    section = section[:re.search(r"\n[_=]{3}", section[1:]).start() + 1]
    lines = [line for line in section.splitlines()[1:] if not line.startswith("[gw")]  # xdist's worker line
    assert lines[:4] == ["Feature:  Demo  (demo.feature:2)", "Scenario: A step that does not",
                         'Step:     Then the total reads "$2.73"  (line 21)', SAID]
    assert not any(framework in section for framework in FRAMEWORK), section
    assert "test_demo.py:" in section  # the step definition's own frame stays
    assert f"FAILED test_demo.py::test_a_step_that_does_not - {PLACE} — {SAID}" in out
    summary = out[out.index("scenarios failed: 4"):]
    assert f"{PLACE} — {SAID}\n    rerun: pytest demo.feature:19" in summary


def test_the_html_row_is_the_scenario_and_opens_on_its_steps_and_the_message(run):
    folder, _ = run
    page = (folder / "out" / "report.html").read_text(encoding="utf-8")
    data = json.loads(html.unescape(re.search(r'data-jsonblob="([^"]*)"', page)[1]))
    (row,) = data["tests"]["test_demo.py::test_a_step_that_does_not"]
    cells = row["resultsTableRow"]
    assert ">Demo › A step that does not</td>" in cells[1] and ">@guide:demo-1</td>" in cells[2]
    log = html.unescape(row["log"])
    steps = log[:log.index("Traceback")]
    assert steps.startswith("Feature:  Demo  (demo.feature:2)\nScenario: A step that does not\nTags:     @guide:demo-1")
    assert re.search(r'✘ Then the total reads "\$2\.73" +line 21 +[\d.]+ s\n +' + re.escape(SAID), steps), steps
    assert re.search(r"– And it is 2 +line 22 +skipped", steps), steps
    assert not any(framework in log for framework in FRAMEWORK), log
    (passed,) = data["tests"]["test_demo.py::test_tables_and_doc_strings"]
    assert "No log output captured" not in passed["log"] and "✔ Given the plans" in html.unescape(passed["log"])


def test_junit_s_failure_message_is_the_gherkin_line(run):
    folder, _ = run
    cases = {case.get("name"): case for case in ElementTree.parse(folder / "out" / "junit.xml").iter("testcase")}
    failure = cases["test_a_step_that_does_not"].find("failure")
    assert failure.get("message") == f"{PLACE} — {SAID}"
    properties = {prop.get("name"): prop.get("value") for prop in cases["test_a_step_that_does_not"].iter("property")}
    assert properties["gherkin_step"] == PLACE  # what `make mutants` reads
    assert failure.text.startswith("Feature:  Demo  (demo.feature:2)\nScenario: A step that does not\n")
    assert not any(framework in failure.text for framework in FRAMEWORK), failure.text


def test_gherkin_steps_prints_each_scenario_s_steps_as_it_finishes(run):
    _, out = run
    printed = out[out.index("Scenario: Demo › A step that does not  (demo.feature:19) FAILED"):]
    assert printed.splitlines()[1:7] == [
        "    ✔ Given a number 1", "    ✔ Given a number 2", '    ✘ Then the total reads "$2.73"',
        f"        {SAID}", "    – And it is 2", "    – And it is 2"]


def test_framework_frames_are_hidden_through_a_linked_virtual_environment(tmp_path):
    """A checkout whose .venv is a symbolic link (a shared environment) still hides pytest's
    frames: the frame's path is compared resolved."""
    from types import SimpleNamespace

    import _pytest

    from portal_suite.record import _framework

    linked = tmp_path / "site-packages"
    linked.symlink_to(Path(_pytest.__file__).resolve().parent.parent, target_is_directory=True)
    runner = linked / "_pytest" / "runner.py"
    assert _framework(SimpleNamespace(path=runner, name="from_call"))
    assert _framework(SimpleNamespace(path=ROOT / "steps" / "labels.py", name="pytest_pyfunc_call"))
    assert not _framework(SimpleNamespace(path=ROOT / "steps" / "see.py", name="_explained"))
