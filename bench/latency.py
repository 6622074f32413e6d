"""Latency and throughput of each portal screen under 20 concurrent clients
(wrk on loopback), against `portal-sim serve` and a one-line Flask page."""
from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from harness.control_client import SimulatorControl
from harness.http_client import FormClient
from harness.portal_process import READY, PortalProcess

CONNECTIONS = 20
# Paced clients: each waits for its page, then thinks THINK_MS on average
# (exponential) before the next request: about 200 requests/s from 20 clients.
# For scale: a pytest worker running the suite sends about 13 requests/s, of
# which 4-5 are pages (the rest static files and the control API).
THINK_MS = 100
THINK_SCRIPT = Path(__file__).with_name("think.lua")
FLOOR = "one-line page (floor)"
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


@dataclass
class Figures:
    """One screen's medians over the repetitions."""

    paced: Load          # 20 clients with think time (the latency the targets speak of)
    saturated: Load      # 20 clients without think time (capacity; p99 is queueing)
    p99_vs_floor: float  # median over repetitions of paced p99 / the floor's, same repetition
    paced_p99s: list[float]  # each repetition's, to judge the noise


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url: str, seconds: int, cookie: str = "", paced: bool = True) -> Load:
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency"]
    if paced:
        command += ["-s", str(THINK_SCRIPT)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True,
                         env={**os.environ, "THINK_MS": str(THINK_MS)}).stdout
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


def measure(repetitions: int, seconds: int) -> dict[str, Figures]:
    """Every screen and the floor, paced then saturated. The repetitions are
    interleaved (floor, every screen; again...) so that a slower spell of this
    shared machine weighs on the floor and the screens alike."""
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is missing (apt-get install wrk)")
    floor, floor_url = start_floor()
    try:
        with PortalProcess() as portal:
            SimulatorControl(portal.url).load_scenario(SCENARIO)
            client = FormClient(portal.url)
            client.log_in("alice@example.com", "alice-pass")
            client.submit_review(client.get(SCREENS["review"].replace("1001", "1002")), 1002)
            targets = {FLOOR: (floor_url + "/", "")}
            for name, path in SCREENS.items():
                targets[name] = (portal.url + path,
                                 "" if name == "log in" else client.cookie_header())
            for url, cookie in targets.values():  # compile templates, fill caches
                wrk(url, 1, cookie, paced=False)
            paced: dict[str, list[Load]] = {name: [] for name in targets}
            saturated: dict[str, list[Load]] = {name: [] for name in targets}
            for _ in range(repetitions):
                for name, (url, cookie) in targets.items():
                    paced[name].append(wrk(url, seconds, cookie))
            for _ in range(repetitions):
                for name, (url, cookie) in targets.items():
                    saturated[name].append(wrk(url, max(2, seconds // 2), cookie, paced=False))
    finally:
        floor.kill()
        floor.wait()
    return {name: Figures(
        paced=median_load(paced[name]), saturated=median_load(saturated[name]),
        p99_vs_floor=statistics.median(
            run.p99_ms / base.p99_ms for run, base in zip(paced[name], paced[FLOOR])),
        paced_p99s=[run.p99_ms for run in paced[name]],
    ) for name in targets}
