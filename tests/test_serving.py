"""`portal-sim serve` under idle, slow and active connections (SPEC §8, Load), and
its warning when the control API is reachable from other machines.

Loopback only; bounded in sockets and seconds (the 30 s version is `make bench`)."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

import pytest

from bench.idle_load import Slowloris, close_all, measure, open_idle
from harness.portal_process import READY, PortalProcess


@pytest.fixture(scope="module")
def portal():
    with PortalProcess() as process:
        yield process


def test_three_hundred_idle_and_a_few_slow_sockets_leave_the_portal_serving(portal):
    parts = urlsplit(portal.url)
    idle = open_idle(parts.hostname, parts.port, 300)
    try:
        with Slowloris(parts.hostname, parts.port, 5):
            started = time.perf_counter()
            with urllib.request.urlopen(portal.url + "/login", timeout=5) as answer:
                page = answer.read().decode()
            elapsed = time.perf_counter() - started
    finally:
        close_all(idle)
    assert answer.status == 200 and "Log in" in page
    assert elapsed < 1, f"/login took {elapsed:.2f} s behind 300 idle sockets"


def test_active_clients_keep_getting_pages_beside_idle_sockets_and_memory_stays_flat():
    figures = measure(seconds=5, idle=200, active=20, slow=5)
    print(figures.report())
    assert figures.errors == []
    assert figures.requests > 100, figures.report()
    assert figures.p99_ms < 2000, figures.report()
    assert figures.rss_growth_mb < 20, figures.report()
    assert figures.idle_open_at_end == 200, figures.report()  # they were there all along


@pytest.mark.parametrize("host, warned", [("0.0.0.0", True), ("127.0.0.1", False)])
def test_testing_on_a_non_loopback_address_prints_one_warning_line(host, warned):
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "serve", "--testing", "--host", host,
         "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert READY.search(process.stdout.readline())  # serving: the warning came before
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=10)
    lines = errors.strip().splitlines()
    if warned:
        assert len(lines) == 1, errors
        assert lines[0].startswith("portal-sim: warning: --testing on 0.0.0.0"), lines[0]
        assert "lets anyone who can reach this address rewrite the portal's state" in lines[0]
    else:
        assert lines == []
