"""Latency and throughput of each portal screen under 20 concurrent clients
(wrk on loopback), against `portal-sim serve` and a one-line Flask page."""
from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from harness.control import SimulatorControl
from harness.http_client import FormClient
from harness.portal_process import READY, PortalProcess

CONNECTIONS = 20
SCENARIO = {
    "now": "2026-03-17T09:00:00",
    "plans": [
        {"id": "basic", "name": "Basic", "prices": {"monthly": "5.00", "annually": "50.00"}},
        {"id": "start", "name": "Start", "prices": {"monthly": "12.00", "annually": "120.00"}},
        {"id": "business", "name": "Business", "prices": {"monthly": "30.00"}},
    ],
    "clients": [{"email": "alice@example.com", "password": "alice-pass", "credit": "1.00"}],
    "services": [
        {"id": 1001, "client": "alice@example.com", "plan": "basic", "cycle": "monthly",
         "next_due": "2026-04-01"},
        {"id": 1002, "client": "alice@example.com", "plan": "basic", "cycle": "monthly",
         "next_due": "2026-04-01"},
    ],
}
SCREENS = {
    "log in": "/login",
    "list": "/services/dns",
    "details": "/services/dns/1001",
    "change": "/services/dns/1001/change",
    "review": "/services/dns/1001/change/review?plan=start&cycle=monthly",
    "invoice": "/invoices/INV-000001",
}


@dataclass
class Load:
    p50_ms: float
    p99_ms: float
    rps: float


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url: str, seconds: int, cookie: str = "") -> Load:
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"wrk saw {errors.group(1)} error answers from {url}")
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return Load(p50, p99, rps)


def median_load(runs: list[Load]) -> Load:
    return Load(statistics.median(r.p50_ms for r in runs), statistics.median(r.p99_ms for r in runs),
                statistics.median(r.rps for r in runs))


def start_floor() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "bench.floor_app"],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    return process, READY.search(line).group(1)


def measure(repetitions: int, seconds: int) -> dict[str, Load]:
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is missing (apt-get install wrk)")
    results: dict[str, Load] = {}
    with PortalProcess() as portal:
        SimulatorControl(portal.url).load_scenario(SCENARIO)
        client = FormClient(portal.url)
        client.log_in("alice@example.com", "alice-pass")
        client.submit_review(client.get(SCREENS["review"].replace("1001", "1002")), 1002)
        for name, path in SCREENS.items():
            cookie = "" if name == "log in" else client.cookie_header()
            results[name] = median_load([wrk(portal.url + path, seconds, cookie)
                                         for _ in range(repetitions)])
    floor, url = start_floor()
    try:
        results["one-line page (floor)"] = median_load([wrk(url + "/", seconds)
                                                        for _ in range(repetitions)])
    finally:
        floor.kill()
        floor.wait()
    return results
