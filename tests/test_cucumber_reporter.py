"""The cucumber JSON loads in a standard Cucumber HTML reporter from npm
(cucumber-html-reporter, pinned below), with the failure's screenshot embedded and the steps
after a failure skipped. It installs the reporter with npm into a temporary folder (about
20 s and the npm registry), so it runs in `make bench`, not `make test`:

    CUCUMBER_REPORTER=1 .venv/bin/pytest tests/test_cucumber_reporter.py
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_cucumber_json import PNG, run_demo

REPORTER = "cucumber-html-reporter@7.2.0"
GENERATE = """\
const reporter = require('cucumber-html-reporter');
reporter.generate({theme: 'bootstrap', jsonFile: process.argv[2], output: process.argv[3],
                   reportSuiteAsScenarios: true, launchReport: false, scenarioTimestamp: false,
                   metadata: {'UI profile': 'en'}});
"""

pytestmark = pytest.mark.skipif(os.environ.get("CUCUMBER_REPORTER") != "1" or not shutil.which("npm"),
                                reason="make bench runs it (CUCUMBER_REPORTER=1, npm on PATH)")


def test_a_standard_reporter_reads_the_json(tmp_path):
    (tmp_path / "run").mkdir()
    document = run_demo(tmp_path / "run", "-n", "2")
    source = tmp_path / "run" / "out" / "cucumber.json"
    reporter = tmp_path / "reporter"
    reporter.mkdir()
    (reporter / "package.json").write_text('{"private": true}')
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", REPORTER], cwd=reporter,
                   check=True, timeout=300, capture_output=True)
    (reporter / "generate.js").write_text(GENERATE)
    out = tmp_path / "cucumber.html"
    run = subprocess.run(["node", "generate.js", str(source), str(out)], cwd=reporter, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0 and out.exists(), run.stdout + run.stderr
    page = out.read_text(encoding="utf-8")
    names = [element["name"] for feature in document for element in feature["elements"]]
    assert names and all(name in page for name in names)
    assert PNG in page  # the failure screenshot, embedded
    assert "Then the total reads" in page and re.search(r"Total charge for today amount: expected", page)
    assert json.loads(source.read_text()) == document
    if os.environ.get("CUCUMBER_REPORTER_OUT"):  # to look at it
        shutil.copy(out, Path(os.environ["CUCUMBER_REPORTER_OUT"]) / "cucumber-reporter.html")
