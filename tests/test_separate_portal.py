"""The tagged smoke scenarios pass against a separate portal process
(`portal-sim serve --testing --db FILE`) reached with --base-url, as QA runs
them against a staging portal."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from harness.control_client import SimulatorControl
from harness.portal_process import PortalProcess

ROOT = Path(__file__).resolve().parent.parent


def test_smoke_scenarios_pass_against_a_separate_portal(tmp_path):
    with PortalProcess(db=tmp_path / "state.db") as portal:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/test_acceptance.py", "-m", "smoke",
             "-p", "no:randomly", "-p", "no:cacheprovider", "-q", "--base-url", portal.url,
             "--output", str(tmp_path / "artifacts")],
            cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        assert re.search(r"\b[1-9]\d* passed\b", run.stdout)
        # The scenarios really drove that process: its state holds their last invoice.
        assert SimulatorControl(portal.url).state()["invoices"]
