"""Hooks for the project's tests: the visual gate's comparisons not made reach the summary
line; the project's wheel, built once per test process for the packaging tests."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from article.gate_report import pytest_report_teststatus, pytest_terminal_summary  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
# What pyproject.toml packages: the portal, the suite, and the suite's data.
SOURCES = ("pyproject.toml", "README.md", "simulator", "steps", "pages", "drivers", "harness",
           "portal_suite", "features", "profiles")


@pytest.fixture(scope="session")
def project_wheel(tmp_path_factory) -> Path:
    """The project's wheel, built from a copy of the sources (the checkout stays clean)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    (found,) = out.glob("dns_plan_portal-*.whl")
    return found
