"""Find a Chromium for Playwright.

Playwright's own Chromium is used when it is installed. Where it is missing (and
`playwright install` cannot download it, e.g. offline), the system Chromium is
used instead: the file named by $CHROMIUM_PATH, else, for a headless run,
`chromium-headless-shell` on PATH (what Playwright itself runs headless: new
pages and navigations take about half the time of full Chromium), else
`chromium` on PATH.

    python -m harness.browser --ensure

succeeds when one of the two exists; otherwise it tries `playwright install
chromium`, then (as root) `apt-get install -y chromium`, and else exits 2 with a
one-line message. The Makefile runs it once after installing the venv.
"""
from __future__ import annotations

import pytest

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

# Keep a system Chromium quiet and quick: no updater, sync or first-run work.
SYSTEM_CHROMIUM_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # One local test site needs no per-site process isolation; new contexts and
    # navigations start faster without it.
    "--disable-site-isolation-trials",
    "--disable-features=IsolateOrigins,site-per-process",
)


def playwright_chromium(playwright=None) -> Path | None:
    """Playwright's own Chromium if it is installed, else None.

    Pass the running `playwright` object when there is one (a second sync
    Playwright cannot be started inside the first).
    """
    try:
        if playwright is not None:
            path = playwright.chromium.executable_path
        else:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as started:
                path = started.chromium.executable_path
    except Exception:  # no driver, unsupported platform: treat as missing
        return None
    return Path(path) if path and Path(path).exists() else None


HEADLESS_SHELL = "chromium-headless-shell"


def system_chromium(headless: bool = False) -> Path | None:
    """$CHROMIUM_PATH if it names an executable, else (headless only) the headless
    shell on PATH, else `chromium` on PATH, else None."""
    named = os.environ.get("CHROMIUM_PATH")
    if named:
        return Path(named) if os.access(named, os.X_OK) else None
    names = [HEADLESS_SHELL, "chromium"] if headless else ["chromium"]
    for name in names:
        if found := shutil.which(name):
            return Path(found)
    return None


# Browser context options another plugin asks every scenario's context for (the article's
# shooter: its fixed viewport, scale and colour scheme); the suite plugin (portal_suite.plugin) applies them.
CONTEXT_OPTIONS = pytest.StashKey[dict]()


def launch_args(original: dict, playwright=None) -> dict:
    """`original` launch options, plus the system Chromium when Playwright's is missing.

    `original` comes from pytest-playwright (so --headed, --slowmo and
    --browser-channel keep working); a channel or an explicit executable wins.
    """
    if original.get("channel") or original.get("executable_path"):
        return dict(original)
    if playwright_chromium(playwright) is not None:
        return dict(original)
    # pytest-playwright always says; a bare launch() is headless by default.
    chromium = system_chromium(headless=original.get("headless", True))
    if chromium is None:
        return dict(original)  # let Playwright report the missing browser itself
    args = list(original.get("args", []))
    args += [arg for arg in SYSTEM_CHROMIUM_ARGS if arg not in args]
    return {**original, "executable_path": str(chromium), "args": args}


APT_PACKAGES = ("chromium", HEADLESS_SHELL)


def ensure() -> tuple[bool, str]:
    """Make sure some Chromium is available; (ok, one-line message)."""
    if (path := playwright_chromium()) is not None:
        return True, f"Playwright's Chromium: {path}"
    if (path := system_chromium()) is not None:
        if "CHROMIUM_PATH" not in os.environ and not shutil.which(HEADLESS_SHELL) and _can_apt():
            _apt_install(HEADLESS_SHELL)  # headless runs take half the time on it (best effort)
        return True, f"system Chromium: {path} (headless: {system_chromium(headless=True)})"
    install = [sys.executable, "-m", "playwright", "install", "chromium"]
    if _quietly(install) and (path := playwright_chromium()) is not None:
        return True, f"installed Playwright's Chromium: {path}"
    if _can_apt() and _apt_install(*APT_PACKAGES) and (path := system_chromium()):
        return True, f"installed system Chromium: {path}"
    return False, (
        "no Chromium found: `playwright install chromium` failed and there is no system "
        "chromium; install one (e.g. apt-get install chromium) or set CHROMIUM_PATH"
    )


def _can_apt() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get") is not None


def _apt_install(*packages: str) -> bool:
    """apt-get install; on failure (a new machine has no package lists yet) update, then again."""
    install = ["apt-get", "install", "-y", *packages]
    return _quietly(install) or (_quietly(["apt-get", "update"]) and _quietly(install))


def _quietly(command: list[str]) -> bool:
    try:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return False
    return done.returncode == 0


def playwright_layout(folder: Path, headless_shell: Path | None = None) -> Path:
    """A folder laid out as Playwright's own browser download, its headless shell being the
    system's: PLAYWRIGHT_BROWSERS_PATH=<folder> lets `playwright run-server` (which takes no
    executable path from its clients) launch the system Chromium on a machine without
    Playwright's download. Returns the path Playwright will run."""
    import json

    import playwright

    shell = headless_shell or system_chromium(headless=True)
    if shell is None:
        raise FileNotFoundError("no chromium-headless-shell (CHROMIUM_PATH, or on PATH)")
    browsers = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    revision = next(browser["revision"] for browser in json.loads(browsers.read_text())["browsers"]
                    if browser["name"] == "chromium-headless-shell")
    target = Path(folder) / f"chromium_headless_shell-{revision}" / "chrome-headless-shell-linux64" / "chrome-headless-shell"
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.exists():
        target.unlink()
    target.symlink_to(Path(shell).resolve())
    return target


def _playwright_revision(name: str) -> str:
    import json

    import playwright

    browsers = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    return next(browser["revision"] for browser in json.loads(browsers.read_text())["browsers"]
                if browser["name"] == name)


def video_unavailable() -> str | None:
    """None when Playwright can record video (its ffmpeg is installed, or the system's
    `ffmpeg` is linked where Playwright looks for its own); else why not, in one line."""
    home = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(Path.home() / ".cache" / "ms-playwright")
    expected = Path(home) / f"ffmpeg-{_playwright_revision('ffmpeg')}" / "ffmpeg-linux"
    if expected.exists():
        return None
    system = shutil.which("ffmpeg")
    if system is None:
        return (f"--video: no ffmpeg on this machine (neither Playwright's, {expected}, nor `ffmpeg` on PATH: "
                f"apt-get install ffmpeg), so no video is recorded; screenshots and traces still are")
    try:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.symlink_to(system)
    except OSError as error:
        return f"--video: cannot link the system ffmpeg where Playwright looks for its own ({error}); no video"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.browser", description=__doc__.split("\n")[0])
    parser.add_argument("--ensure", action="store_true", help="find or install a Chromium; exit 2 if none")
    parser.add_argument("--layout", metavar="DIR", type=Path,
                        help="lay DIR out as Playwright's browser download with the system headless shell "
                             "(for PLAYWRIGHT_BROWSERS_PATH=DIR playwright run-server)")
    options = parser.parse_args(argv)
    if options.layout:
        print(f"PLAYWRIGHT_BROWSERS_PATH={options.layout.resolve()}  # runs {playwright_layout(options.layout)}")
        return 0
    if not options.ensure:
        print(launch_args({}) or "Playwright's Chromium")
        return 0
    ok, message = ensure()
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
