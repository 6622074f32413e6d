"""Which system Chromium a run gets: CHROMIUM_PATH, else the headless shell for
headless runs (what Playwright itself runs headless), else full Chromium."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import browser


def _fake_executables(folder: Path, *names: str) -> None:
    for name in names:
        path = folder / name
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    return tmp_path


def test_a_headless_run_prefers_the_headless_shell(bin_dir):
    _fake_executables(bin_dir, "chromium", "chromium-headless-shell")
    assert browser.system_chromium(headless=True) == bin_dir / "chromium-headless-shell"


def test_a_headed_run_gets_full_chromium(bin_dir):
    _fake_executables(bin_dir, "chromium", "chromium-headless-shell")
    assert browser.system_chromium(headless=False) == bin_dir / "chromium"


def test_without_the_shell_a_headless_run_gets_full_chromium(bin_dir):
    _fake_executables(bin_dir, "chromium")
    assert browser.system_chromium(headless=True) == bin_dir / "chromium"


def test_chromium_path_wins_headed_or_not(bin_dir, monkeypatch):
    _fake_executables(bin_dir, "chromium", "chromium-headless-shell", "my-chrome")
    monkeypatch.setenv("CHROMIUM_PATH", str(bin_dir / "my-chrome"))
    assert browser.system_chromium(headless=True) == bin_dir / "my-chrome"
    assert browser.system_chromium(headless=False) == bin_dir / "my-chrome"


def test_launch_args_follow_pytest_playwrights_headless_option(bin_dir, monkeypatch):
    _fake_executables(bin_dir, "chromium", "chromium-headless-shell")
    monkeypatch.setattr(browser, "playwright_chromium", lambda playwright=None: None)
    headed = browser.launch_args({"headless": False, "args": ["--lang=en"]})
    headless = browser.launch_args({"headless": True})
    assert headed["executable_path"] == str(bin_dir / "chromium")
    assert headed["args"][0] == "--lang=en" and "--no-first-run" in headed["args"]
    assert headless["executable_path"] == str(bin_dir / "chromium-headless-shell")


def test_video_needs_an_ffmpeg_and_says_so_in_a_line(tmp_path, monkeypatch):
    from harness.browser import video_unavailable

    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "browsers"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    why_not = video_unavailable()
    assert why_not.startswith("--video: no ffmpeg on this machine") and "\n" not in why_not
    (tmp_path / "bin").mkdir()
    ffmpeg = tmp_path / "bin" / "ffmpeg"
    ffmpeg.write_text("#!/bin/sh\n")
    ffmpeg.chmod(0o755)
    assert video_unavailable() is None  # the system's, linked where Playwright looks for its own
    (linked,) = (tmp_path / "browsers").glob("ffmpeg-*/ffmpeg-linux")
    assert linked.resolve() == ffmpeg.resolve()
