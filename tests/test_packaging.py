"""`pip install .` gives the portal (issue #10, packaging): a working `portal-sim serve`
whatever else is installed; the article engine's own command, `portal-docs`, names the
extra it needs, or the checkout it runs from, instead of a traceback; `portal-sim docs`
points to it (issue #22). The wheel also carries the acceptance suite, which runs with its
`suite` extra (issue #18, tests/test_suite_package.py)."""
from __future__ import annotations

import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(project_wheel) -> Path:
    return project_wheel


def test_the_wheel_holds_the_portal_and_the_suite(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    top = {name.split("/")[0] for name in names}
    # The suite's packages too (they import only with the suite extra) and the article
    # engine; never the project's own tests or benchmarks.
    assert {t for t in top if not t.endswith(".dist-info")} == {
        "simulator", "steps", "pages", "drivers", "harness", "portal_suite", "article"}
    features = sorted(path.name for path in (ROOT / "features").glob("*.feature"))
    assert sorted(n.removeprefix("portal_suite/features/") for n in names
                  if n.startswith("portal_suite/features/")) == features
    for needed in ("portal_suite/profiles/en.yaml", "portal_suite/profiles/ja.yaml",
                   "portal_suite/profiles/classic.yaml",
                   "portal_suite/profiles/renamed-catalog/en/LC_MESSAGES/messages.mo",
                   "portal_suite/test_scenarios.py", "drivers/examples/whmcs_example.py"):
        assert needed in names, needed
    for needed in ("simulator/templates/review.html", "simulator/static/portal.css",
                   "simulator/templates/classic/review.html", "simulator/static/classic.css",
                   "simulator/static/fonts/DejaVuSans.ttf", "simulator/sample_scenario.yaml",
                   "simulator/static/fonts/NotoSansJP-Portal.ttf",
                   "simulator/static/fonts/NotoSansJP-OFL.txt",
                   "simulator/translations/ja/LC_MESSAGES/messages.mo",
                   "simulator/translations/en/LC_MESSAGES/messages.mo"):
        assert needed in names, needed
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(metadata).decode()
    assert "Provides-Extra: docs" in text and "Provides-Extra: test" in text and "Provides-Extra: suite" in text
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    with zipfile.ZipFile(wheel) as archive:
        scripts = archive.read(entry_points).decode()
    assert "portal-sim = simulator.cli:main" in scripts and "portal-suite = portal_suite.cli:main" in scripts
    assert "portal-docs = article.cli:main" in scripts


def test_the_installed_portal_serves(wheel, tmp_path):
    target = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
         str(target), str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr[-2000:]
    # Run away from the checkout, with the installed copy first on the path.
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(
        [sys.executable, str(target / "bin" / "portal-sim"), "serve", "--port", "0"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = server.stdout.readline()
        assert "serving http://127.0.0.1:" in banner, server.stderr.read()
        url = banner.split("serving ", 1)[1].split(" ", 1)[0]
        with urllib.request.urlopen(url + "login", timeout=10) as page:
            assert page.status == 200
            assert b"Log in" in page.read()
        probe = subprocess.run(
            [sys.executable, "-c", "import simulator; print(simulator.__file__)"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert probe.stdout.startswith(str(target))
    finally:
        server.terminate()
        server.wait(timeout=10)


def _docs(cwd: Path, preamble: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    code = (f"import sys\n{preamble}\nfrom article.cli import main\n"
            f"sys.exit(main(['build', '--out', {str(cwd / 'out')!r}]))")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=60, env=env)


def test_docs_without_its_extra_names_the_extra_in_one_line(tmp_path):
    result = _docs(tmp_path, f"sys.path.insert(0, {str(ROOT)!r}); sys.modules['playwright'] = None")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "pip install -e '.[docs]'" in result.stderr
    assert "playwright" in result.stderr and "Traceback" not in result.stderr


def test_docs_outside_a_checkout_says_where_to_run_it(wheel, tmp_path):
    target = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
         str(target), str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr[-2000:]
    result = _docs(tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "source checkout" in result.stderr
    assert not (tmp_path / "out").exists()


def test_portal_sim_docs_points_to_portal_docs_in_one_line(capsys):
    from simulator.cli import main

    assert main(["docs", "--locale", "ja"]) == 2
    err = capsys.readouterr().err
    assert err == "portal-sim: error: the article has its own command now: portal-docs build (portal-docs --help)\n"


def test_the_portal_never_loads_the_article_engine():
    """No import of article/ (nor of the suite) by name or by path in the product package."""
    import re

    for path in (ROOT / "simulator").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(article|pages|steps|harness|drivers)\b", text, re.M), path
        assert "sys.path.insert" not in text and "import_module(" not in text, path
