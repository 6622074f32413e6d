"""`make bench`: every figure of issue #6 in one run on this machine, medians
over repetitions, each beside its floor or target.

1. suite cost per scenario vs a bare Playwright script of the same flow;
2. per-screen p50/p99 latency and throughput under 20 concurrent clients
   (wrk), paced (think time) and saturated, vs a one-line Flask page on the
   same waitress set-up;
3. docs regeneration time and the full acceptance suite's wall time with -n 2;
4. idle and slow sockets beside active clients (issue #10): 200 idle sockets and
   20 active clients for 30 s, their p50/p99 and the server's memory.
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

from bench import floor_flow, idle_load, latency

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
    parser.add_argument("--seconds", type=int, default=8, help="paced wrk run per screen (saturated: half)")
    parser.add_argument("--load-seconds", type=int, default=30, help="idle-sockets load run, part 4")
    args = parser.parse_args()
    median = statistics.median

    print("1. Suite cost per scenario (the article's upgrade walkthrough)")
    floor = median(floor_flow.measure(args.runs))
    suite = median(suite_scenario_seconds(args.runs))
    ratio = suite / floor
    print(f"   bare Playwright flow (floor) {floor * 1000:7.0f} ms")
    print(f"   pytest-bdd scenario          {suite * 1000:7.0f} ms   ratio {ratio:.2f}x  "
          f"{verdict(ratio <= 1.3)} (target <= 1.3x)")

    print(f"2. Simulator under {latency.CONNECTIONS} concurrent clients (wrk on loopback, "
          f"{args.seconds} s per screen, median of {args.repetitions}, interleaved)")
    print(f"   paced: each client thinks ~{latency.THINK_MS} ms (exponential) between its pages; "
          f"saturated: no think time")
    figures = latency.measure(args.repetitions, args.seconds)
    print(f"   {'':10} {'paced p50':>10} {'p99':>8} {'req/s':>6} {'p99/floor':>10} "
          f"| {'saturated p50':>13} {'p99':>8} {'req/s':>6}")
    for name, fig in figures.items():
        label = "one-line" if name == latency.FLOOR else name
        ratio = "(floor)" if name == latency.FLOOR else f"{fig.p99_vs_floor:.2f}x"
        print(f"   {label:10} {fig.paced.p50_ms:7.2f} ms {fig.paced.p99_ms:5.2f} ms {fig.paced.rps:6.0f} "
              f"{ratio:>10} | {fig.saturated.p50_ms:10.2f} ms {fig.saturated.p99_ms:5.1f} ms "
              f"{fig.saturated.rps:6.0f}")
    review = figures["review"]
    print("   paced p99 of each repetition: " + "; ".join(
        f"{name} {', '.join(f'{v:.1f}' for v in fig.paced_p99s)}" for name, fig in figures.items()
        if name in ("review", latency.FLOOR)) + " ms")
    print(f"   review p99 {review.paced.p99_ms:.2f} ms: {verdict(review.paced.p99_ms <= 25)} "
          f"(target <= 25 ms); {review.p99_vs_floor:.2f}x the floor's: "
          f"{verdict(review.p99_vs_floor <= 2)} (target <= 2x)")
    print(f"   (saturated, p99 is queueing: 20 clients / throughput; the one-line page's own "
          f"p99 is {figures[latency.FLOOR].saturated.p99_ms:.0f} ms there)")

    print("3. Whole runs (wall time, median)")
    with tempfile.TemporaryDirectory() as out:
        docs = median(wall_seconds([sys.executable, "-m", "article.cli", "build", "--out", out],
                                   args.repetitions))
    print(f"   portal-docs build (en + ja)  {docs:6.1f} s  {verdict(docs < 40)} (target < 40 s)")
    suite_wall = median(wall_seconds(
        [sys.executable, "-m", "pytest", "tests/test_acceptance.py", "-n", "2", "-q",
         "-p", "no:randomly"], args.repetitions))
    print(f"   acceptance suite with -n 2   {suite_wall:6.1f} s  {verdict(suite_wall < 60)} "
          f"(target < 60 s)")

    print("4. Idle and slow sockets beside active clients (SPEC §8, Load)")
    load = idle_load.measure(seconds=args.load_seconds)
    print("   " + load.report())
    print(f"   {verdict(not load.errors)} every active request answered; "
          f"{verdict(load.rss_growth_mb < 20)} RSS growth {load.rss_growth_mb:+.1f} MB "
          f"(target < 20 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
