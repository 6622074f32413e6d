"""The suite installed as a package (issue #18, point 7): `pip install "dns-plan-portal[suite]"`
into a fresh virtual environment, then, from a folder holding only a team's driver module
and UI profile, `portal-suite` runs scenarios against a `portal-sim serve --testing` of
that environment and writes the conformance report there: no clone, no PYTHONPATH.

The suite extra's dependencies come from a wheelhouse pinned by requirements.lock, built
once with pip's own configuration (an index, or find-links) and kept under
~/.cache/dns-plan-portal/, so later runs install without the network in about 10 s.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portal_suite import SCENARIOS_MODULE, cli
from tests.marks import bench_only

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dns-plan-portal"

# The team's whole folder: a driver (a thin subclass of the bundled one) and a profile.
TEAM_DRIVER = '''\
"""Our portal's driver: the bundled simulator driver, under our name."""
from drivers.simulator import SimulatorDriver


class TeamDriver(SimulatorDriver):
    name = "team"
'''
# A portal with other addresses, markup and formats: the simulator's classic theme.
TEAM_PROFILE = ROOT / "profiles" / "classic.yaml"


def _wheelhouse(wheel: Path) -> Path:
    """The suite extra's dependencies as wheels, at requirements.lock's versions."""
    pins = (ROOT / "requirements.lock").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    house = CACHE / f"suite-wheelhouse-{hashlib.sha256(pins).hexdigest()[:12]}"
    done = house / ".complete"
    if not done.exists():
        house.mkdir(parents=True, exist_ok=True)
        fetched = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary", ":all:", "-d", str(house),
             "-c", str(ROOT / "requirements.lock"), f"{wheel}[suite]"],
            capture_output=True, text=True, timeout=600)
        assert fetched.returncode == 0, fetched.stderr[-2000:]
        for own in house.glob("dns_plan_portal-*.whl"):  # the project's wheel is installed from its build
            own.unlink()
        done.touch()
    return house


@pytest.fixture(scope="module")
def installed(project_wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment (no system site-packages) holding the wheel and its suite extra."""
    house = _wheelhouse(project_wheel)
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    # This environment's pip installs into that one (--python): no pip of its own to bootstrap.
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
         "--no-compile", "--no-index", "--find-links", str(house), f"{project_wheel}[suite]"],
        capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]
    return venv


@pytest.fixture
def team_folder(tmp_path) -> Path:
    folder = tmp_path / "our-portal-tests"
    folder.mkdir()
    (folder / "team_driver.py").write_text(TEAM_DRIVER, encoding="utf-8")
    shutil.copy(TEAM_PROFILE, folder / "our-portal.yaml")
    return folder


def _env(venv: Path) -> dict:
    """Nothing of the checkout: no PYTHONPATH, the fresh environment first on PATH."""
    return {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(Path.home()), "LANG": "C.UTF-8",
            **{key: os.environ[key] for key in ("CHROMIUM_PATH", "PLAYWRIGHT_BROWSERS_PATH") if key in os.environ}}


@bench_only("tests/test_packaging.py (the wheel holds the suite; the installed portal serves)")
def test_a_team_runs_the_installed_scenarios_against_its_portal(installed, team_folder):
    env = _env(installed)
    probe = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import steps, portal_suite; print(steps.__file__); print(portal_suite.FEATURES)"],
                           cwd=team_folder, env=env, capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    assert all(line.startswith(str(installed)) for line in probe.stdout.split()), probe.stdout
    server = subprocess.Popen([str(installed / "bin" / "portal-sim"), "serve", "--testing", "--theme", "classic",
                               "--port", "0"],
                              cwd=team_folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = server.stdout.readline()
        found = re.search(r"serving (http://\S+?)/? ", banner)
        assert found, banner + server.stderr.read()
        run = subprocess.run(
            [str(installed / "bin" / "portal-suite"), "--base-url", found[1], "-m", "smoke",
             "--portal-driver", "team_driver:TeamDriver", "--ui-profile", "our-portal.yaml", "-q"],
            cwd=team_folder, env=env, capture_output=True, text=True, timeout=300)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert re.search(r"\b3 passed\b", run.stdout), run.stdout[-2000:]
    assert "warning" not in run.stdout.lower(), run.stdout[-3000:]  # tags became markers, nothing unknown
    report = (team_folder / "reports" / "conformance.md").read_text(encoding="utf-8")
    assert "- Driver: `team_driver:TeamDriver`" in report
    assert "- UI profile: `our-portal.yaml`" in report and f"- Portal: {found[1]}" in report
    assert "- Scenarios: 3: 3 passed, 0 failed, 0 skipped" in report
    assert sorted(path.name for path in team_folder.iterdir()) == [
        ".pytest_cache", "__pycache__", "our-portal.yaml", "reports", "team_driver.py"]


def test_a_bad_driver_module_is_a_one_line_usage_error(installed, team_folder):
    run = subprocess.run([str(installed / "bin" / "portal-suite"), "--portal-driver", "our_driver:Nope",
                          "--collect-only", "-q"],
                         cwd=team_folder, env=_env(installed), capture_output=True, text=True, timeout=120)
    assert run.returncode == 4, run.stdout + run.stderr
    assert run.stderr.strip().splitlines() == [
        "ERROR: --portal-driver 'our_driver:Nope': cannot import 'our_driver' (No module named 'our_driver')"]


def test_without_the_suite_extra_portal_suite_names_it(monkeypatch, capsys):
    monkeypatch.setattr(cli, "NEEDED", (*cli.NEEDED, "no_such_suite_module"))
    assert cli.main(["-q"]) == 2
    assert capsys.readouterr().err == ("portal-suite: no_such_suite_module not installed; "
                                       "pip install 'dns-plan-portal[suite]'\n")


def test_portal_suite_runs_pytest_from_the_folder_it_is_in(tmp_path):
    plain = cli.arguments(["-m", "smoke"], tmp_path)
    assert plain == ["-p", "portal_suite.plugin", f"--rootdir={tmp_path}", "-m", "smoke", str(SCENARIOS_MODULE)]
    (tmp_path / "pytest.ini").write_text("[pytest]\nui_timeout = 30\n")
    assert f"--config-file={tmp_path / 'pytest.ini'}" in cli.arguments([], tmp_path)
    assert cli.arguments(["--rootdir", "elsewhere"], tmp_path).count(f"--rootdir={tmp_path}") == 0
