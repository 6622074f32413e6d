"""`make bench`: every figure of issue #6 in one run on this machine, medians
over repetitions, each beside its floor or target.

1. suite cost per scenario vs a bare Playwright script of the same flow;
2. per-screen p50/p99 latency and throughput under 20 concurrent clients
   (wrk) vs a one-line Flask page on the same server;
3. docs regeneration time and the full acceptance suite's wall time with -n 2.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from bench import floor_flow, latency

ROOT = Path(__file__).resolve().parent.parent
WALKTHROUGH = "alice_upgrades_basic_to_start_along_the_articles_click_path"


def suite_scenario_seconds(runs: int) -> list[float]:
    """The walkthrough scenario run `runs` times in one pytest session (pytest-repeat);
    per-test times from JUnit. The first carries the session's start-up (browser,
    simulator); the median leaves that one out."""
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        subprocess.run(
            [sys.executable, "-m", "pytest", "tests/test_acceptance.py", "-k", WALKTHROUGH,
             "--count", str(runs), "-p", "no:randomly", "-q", "--junitxml", str(junit),
             "-o", "junit_duration_report=total", "--output", str(Path(tmp) / "out")],
            cwd=ROOT, check=True, capture_output=True)
        return [float(case.get("time")) for case in ET.parse(junit).iter("testcase")]


def wall_seconds(command: list[str], repetitions: int) -> list[float]:
    times = []
    for _ in range(repetitions):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def verdict(ok: bool) -> str:
    return "OK  " if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--runs", type=int, default=10, help="flows per repetition, part 1")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per screen")
    args = parser.parse_args()
    median = statistics.median

    print("1. Suite cost per scenario (the article's upgrade walkthrough)")
    floor = median(floor_flow.measure(args.runs))
    suite = median(suite_scenario_seconds(args.runs))
    ratio = suite / floor
    print(f"   bare Playwright flow (floor) {floor * 1000:7.0f} ms")
    print(f"   pytest-bdd scenario          {suite * 1000:7.0f} ms   ratio {ratio:.2f}x  "
          f"{verdict(ratio <= 1.3)} (target <= 1.3x)")

    print(f"2. Simulator under {latency.CONNECTIONS} concurrent clients (wrk, "
          f"{args.seconds}s x {args.repetitions}, median)")
    loads = latency.measure(args.repetitions, args.seconds)
    base = loads.pop("one-line page (floor)")
    for name, load in loads.items():
        print(f"   {name:10} p50 {load.p50_ms:6.2f} ms  p99 {load.p99_ms:6.2f} ms  "
              f"{load.rps:7.0f} req/s  p99 ratio {load.p99_ms / base.p99_ms:4.2f}x")
    print(f"   {'one-line':10} p50 {base.p50_ms:6.2f} ms  p99 {base.p99_ms:6.2f} ms  "
          f"{base.rps:7.0f} req/s  (floor)")
    review = loads["review"]
    print(f"   review p99 {review.p99_ms:.2f} ms: {verdict(review.p99_ms <= 25)} (target <= 25 ms); "
          f"{review.p99_ms / base.p99_ms:.2f}x the floor: "
          f"{verdict(review.p99_ms <= 2 * base.p99_ms)} (target <= 2x)")

    print("3. Whole runs (wall time, median)")
    with tempfile.TemporaryDirectory() as out:
        docs = median(wall_seconds([sys.executable, "-m", "simulator.cli", "docs", "--out", out],
                                   args.repetitions))
    print(f"   portal-sim docs              {docs:6.1f} s  {verdict(docs < 20)} (target < 20 s)")
    suite_wall = median(wall_seconds(
        [sys.executable, "-m", "pytest", "tests/test_acceptance.py", "-n", "2", "-q",
         "-p", "no:randomly"], args.repetitions))
    print(f"   acceptance suite with -n 2   {suite_wall:6.1f} s  {verdict(suite_wall < 60)} "
          f"(target < 60 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
