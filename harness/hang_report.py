"""What a scenario is stuck on, written while it is stuck.

The sync Playwright API runs its calls in greenlets: a scenario stuck in a browser call
shows only Playwright's event loop in a thread dump (pytest-timeout's included). When a
test runs longer than HANG_REPORT_S, this plugin writes the stack of every thread and of
every suspended greenlet (where the scenario's own code waits) to
reports/hung/<test>.txt and to stderr; pytest-timeout then fails the test
(portal_suite.plugin.SCENARIO_TIMEOUT_S).
"""
from __future__ import annotations

import gc
import os
import re
import sys
import threading
import traceback
from pathlib import Path

import pytest

HANG_REPORT_S = float(os.environ.get("HANG_REPORT_SECONDS", "120"))
FOLDER = Path("reports") / "hung"


def stacks() -> str:
    """Every thread's stack, then every suspended greenlet's."""
    lines = []
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    for ident, frame in sys._current_frames().items():
        lines.append(f"--- thread {names.get(ident, ident)}\n{''.join(traceback.format_stack(frame))}")
    try:
        import greenlet
    except ImportError:
        return "".join(lines)
    seen = set()
    for found in gc.get_objects():
        while isinstance(found, greenlet.greenlet) and id(found) not in seen:
            seen.add(id(found))  # (a thread's root greenlet, where the test waits, is only a parent)
            if found.gr_frame is not None:
                lines.append(f"--- greenlet {found!r}\n{''.join(traceback.format_stack(found.gr_frame))}")
            found = found.parent
    return "".join(lines)


def _report(nodeid: str, seconds: float) -> None:
    text = f"{nodeid} still running after {seconds:g} s; what it waits on:\n{stacks()}"
    try:
        FOLDER.mkdir(parents=True, exist_ok=True)
        (FOLDER / (re.sub(r"[^\w.-]+", "_", nodeid)[-150:] + ".txt")).write_text(text, encoding="utf-8")
    except OSError:
        pass
    print(text, file=sys.__stderr__, flush=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem):
    timer = threading.Timer(HANG_REPORT_S, _report, args=(item.nodeid, HANG_REPORT_S))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
