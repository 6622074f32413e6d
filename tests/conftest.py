"""Hooks for the project's tests: the visual gate's comparisons not made reach the summary
line; the project's wheel, built once per test process for the packaging tests."""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from article.gate_report import pytest_report_teststatus, pytest_terminal_summary  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
# What pyproject.toml packages: the portal, the suite, and the suite's data.
SOURCES = ("pyproject.toml", "README.md", "simulator", "steps", "pages", "drivers", "harness",
           "portal_suite", "article", "features", "profiles")


@pytest.fixture(scope="session")
def project_wheel(tmp_path_factory) -> Path:
    """The project's wheel, built from a copy of the sources (the checkout stays clean), once
    per run: xdist's workers share one build (their temp folders share a parent per run)."""
    run_folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_folder = run_folder.parent
    out = run_folder / "project-wheel"
    with open(run_folder / "project-wheel.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait for the first one's build
        found = sorted(out.glob("dns_plan_portal-*.whl"))
        if not found:
            source = run_folder / "project-source"
            shutil.rmtree(source, ignore_errors=True)
            source.mkdir(parents=True)
            for name in SOURCES:
                if (ROOT / name).is_dir():
                    shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    shutil.copy(ROOT / name, source / name)
            built = subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
                capture_output=True, text=True, timeout=300)
            assert built.returncode == 0, built.stderr[-2000:]
            found = sorted(out.glob("dns_plan_portal-*.whl"))
    (wheel,) = found
    return wheel
