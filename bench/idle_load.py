"""Idle and slow sockets beside active clients (issue #10, item 3; SPEC §8, Load).

`portal-sim serve` runs as its own process on 127.0.0.1. We open IDLE sockets
that send nothing, SLOW sockets that dribble a request's headers one byte a
second (slowloris), then ACTIVE logged-in clients fetch real pages (the service
list and the review page) as fast as they are answered for SECONDS. We report
the active clients' p50/p99 and requests served, and the server's resident
memory (VmRSS) at the start, the middle and the end of the run.

    python -m bench.idle_load [--seconds 30] [--idle 200] [--active 20]
"""
from __future__ import annotations

import argparse
import http.client
import socket
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.latency import SCENARIO
from harness.control_client import SimulatorControl
from harness.http_client import FormClient
from harness.portal_process import PortalProcess

PAGES = ("/services/dns", "/services/dns/1001/change/review?plan=start&cycle=monthly")
SLOW = 10
SLOW_REQUEST = b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Dribble: " + b"x" * 4096


def rss_mb(pid: int) -> float:
    """The process's resident memory (VmRSS of /proc/<pid>/status), in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def open_idle(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` connected sockets that never send a byte."""
    return [socket.create_connection((host, port), timeout=10) for _ in range(count)]


class Slowloris:
    """Sockets that send a request's headers one byte per second and never finish."""

    def __init__(self, host: str, port: int, count: int):
        self.sockets = [socket.create_connection((host, port), timeout=10) for _ in range(count)]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._dribble, name="slowloris", daemon=True)
        self.bytes_sent = 0

    def _dribble(self) -> None:
        position = 0
        while not self._stop.is_set() and position < len(SLOW_REQUEST):
            for sock in self.sockets:
                try:
                    sock.send(SLOW_REQUEST[position:position + 1])
                    self.bytes_sent += 1
                except OSError:  # the server closed it: that is its right
                    pass
            position += 1
            self._stop.wait(1.0)  # the attack's pace: one byte a second

    def __enter__(self) -> "Slowloris":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        close_all(self.sockets)


def close_all(sockets: list[socket.socket]) -> None:
    for sock in sockets:
        sock.close()


def still_open(sockets: list[socket.socket]) -> int:
    """How many of `sockets` the server has not closed."""
    count = 0
    for sock in sockets:
        sock.setblocking(False)  # a socket with a timeout would wait for data to peek at
        try:
            closed = sock.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            closed = False
        except OSError:
            closed = True
        count += not closed
    return count


@dataclass
class ActiveResults:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, elapsed_ms: float, error: str | None) -> None:
        with self.lock:
            if error:
                self.errors.append(error)
            else:
                self.latencies_ms.append(elapsed_ms)


def active_client(host: str, port: int, cookie: str, until: float, results: ActiveResults) -> None:
    """One logged-in user on a keep-alive connection, page after page until `until`."""
    connection = http.client.HTTPConnection(host, port, timeout=10)
    turn = 0
    while time.monotonic() < until:
        path = PAGES[turn % len(PAGES)]
        turn += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Cookie": cookie})
            answer = connection.getresponse()
            body = answer.read()
            error = None if answer.status == 200 and b"DNS SERVICE" in body else \
                f"{path}: {answer.status}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{path}: {exc!r}"
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=10)
        results.add((time.perf_counter() - started) * 1000, error)
    connection.close()


@dataclass
class Figures:
    seconds: float
    idle: int
    slow: int
    active: int
    requests: int
    errors: list[str]
    p50_ms: float
    p99_ms: float
    rss_mb: dict[str, float]   # start / middle / end
    idle_open_at_end: int

    @property
    def rss_growth_mb(self) -> float:
        return self.rss_mb["end"] - self.rss_mb["start"]

    def report(self) -> str:
        rss = ", ".join(f"{when} {mb:.1f} MB" for when, mb in self.rss_mb.items())
        return (
            f"{self.idle} idle + {self.slow} slowloris sockets, {self.active} active clients, "
            f"{self.seconds:.0f} s against portal-sim serve on 127.0.0.1\n"
            f"   active clients: {self.requests} pages ({self.requests / self.seconds:.0f}/s), "
            f"p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, {len(self.errors)} errors\n"
            f"   server RSS: {rss} (growth {self.rss_growth_mb:+.1f} MB)\n"
            f"   idle sockets still open at the end: {self.idle_open_at_end} of {self.idle}")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(seconds: float = 30, idle: int = 200, active: int = 20, slow: int = SLOW) -> Figures:
    with PortalProcess() as portal:
        SimulatorControl(portal.url).load_scenario(SCENARIO)
        user = FormClient(portal.url)
        user.log_in("alice@example.com", "alice-pass")
        cookie = user.cookie_header()
        for path in PAGES:  # compile the templates before measuring memory
            user.get(path)
        parts = urlsplit(portal.url)
        host, port, pid = parts.hostname, parts.port, portal.process.pid
        idle_sockets = open_idle(host, port, idle)
        try:
            with Slowloris(host, port, slow):
                results = ActiveResults()
                until = time.monotonic() + seconds
                clients = [threading.Thread(target=active_client,
                                            args=(host, port, cookie, until, results))
                           for _ in range(active)]
                rss = {"start": rss_mb(pid)}
                for client in clients:
                    client.start()
                time.sleep(seconds / 2)  # the middle of the run, by the clock: a sample point
                rss["middle"] = rss_mb(pid)
                for client in clients:
                    client.join()
                rss["end"] = rss_mb(pid)
            open_at_end = still_open(idle_sockets)
        finally:
            close_all(idle_sockets)
    latencies = results.latencies_ms or [float("nan")]
    return Figures(seconds, idle, slow, active, len(results.latencies_ms), results.errors,
                   statistics.median(latencies), percentile(latencies, 0.99), rss, open_at_end)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.idle_load")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--idle", type=int, default=200)
    parser.add_argument("--active", type=int, default=20)
    parser.add_argument("--slow", type=int, default=SLOW)
    args = parser.parse_args()
    figures = measure(args.seconds, args.idle, args.active, args.slow)
    print("   " + figures.report())
    return 1 if figures.errors else 0


if __name__ == "__main__":
    sys.exit(main())
