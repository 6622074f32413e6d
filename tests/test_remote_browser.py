"""The scenarios run in a browser that the suite connects to instead of
launching: a Chromium started with --remote-debugging-port=0, reached over CDP.

The run is given no browser it could launch itself (CHROMIUM_PATH names
nothing), so its passing proves the remote one was used."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from harness.browser import SYSTEM_CHROMIUM_ARGS, playwright_chromium, system_chromium
from tests.marks import bench_only

ROOT = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


@pytest.fixture
def remote_chromium():
    executable = playwright_chromium() or system_chromium()
    if executable is None:
        pytest.fail("no Chromium to start as the remote browser")
    drain = None
    with tempfile.TemporaryDirectory() as profile:
        process = subprocess.Popen(
            [str(executable), "--headless", "--no-sandbox", "--remote-debugging-port=0",
             f"--user-data-dir={profile}", *SYSTEM_CHROMIUM_ARGS, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            for line in process.stderr:  # Chromium names its endpoint on stderr when ready
                if match := LISTENING.search(line):
                    break
            else:
                pytest.fail("the remote Chromium did not open its debugging port")
            # Drain the rest so a chatty Chromium never blocks on a full pipe.
            drain = subprocess.Popen(["cat"], stdin=process.stderr, stdout=subprocess.DEVNULL)
            yield "http://" + match.group(1).removeprefix("ws://").split("/")[0]
        finally:
            process.kill()
            process.wait()
            if drain is not None:
                drain.wait()


@bench_only("the same scenarios in a browser of a playwright run-server (--connect-ws)")
def test_scenarios_pass_in_a_browser_reached_over_cdp(remote_chromium, tmp_path):
    env = {**os.environ, "CHROMIUM_PATH": str(tmp_path / "no-local-browser"),
           "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-playwright-browsers")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_acceptance.py", "-m", "smoke",
         "-p", "no:randomly", "-p", "no:cacheprovider", "-q", "--connect-cdp", remote_chromium,
         "--output", str(tmp_path / "artifacts")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert re.search(r"\b[1-9]\d* passed\b", run.stdout)


def test_without_the_remote_browser_the_same_run_has_no_browser(tmp_path):
    """The control: with no CDP endpoint, that environment cannot launch any browser."""
    env = {**os.environ, "CHROMIUM_PATH": str(tmp_path / "no-local-browser"),
           "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-playwright-browsers")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_acceptance.py", "-m", "smoke", "-x",
         "-p", "no:randomly", "-p", "no:cacheprovider", "-q",
         "--output", str(tmp_path / "artifacts")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "Executable doesn't exist" in run.stdout + run.stderr


@pytest.fixture
def playwright_server(tmp_path):
    """`playwright run-server` on a free port, with PLAYWRIGHT_BROWSERS_PATH laid out over the
    system headless shell (harness.browser.playwright_layout): what the README tells a
    machine without Playwright's own browser download to do."""
    from harness.browser import playwright_layout

    browsers = tmp_path / "server-browsers"
    playwright_layout(browsers)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "playwright"), "run-server", "--port", "0", "--host", "127.0.0.1"],
        env={**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(browsers)}, stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()  # "Listening on ws://127.0.0.1:PORT/"
        found = re.search(r"(ws://\S+)", line)
        if found is None:
            pytest.fail(f"playwright run-server did not listen: {line!r}")
        yield found.group(1)
    finally:
        server.kill()
        server.wait()


def test_scenarios_pass_in_a_browser_of_a_playwright_server(playwright_server, tmp_path):
    """--connect-ws: the run itself can launch no browser (as in the control above)."""
    env = {**os.environ, "CHROMIUM_PATH": str(tmp_path / "no-local-browser"),
           "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-playwright-browsers")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_acceptance.py", "-m", "smoke",
         "-p", "no:randomly", "-p", "no:cacheprovider", "-q", "--connect-ws", playwright_server,
         "--output", str(tmp_path / "artifacts")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert re.search(r"\b[1-9]\d* passed\b", run.stdout)
