"""`make flake`: run chosen scenarios N times while every core is kept busy, and report
the failure rate (issue #19: a race that only contention exposes shows here, not in a
quiet run).

    .venv/bin/python -m bench.flake                                  # the double-Submit scenarios, 100 runs
    .venv/bin/python -m bench.flake -k "second_tab" --runs 30
    .venv/bin/python -m bench.flake --runs 100 -- --ui-profile classic

One CPU burner process per core spins for the whole stress run (bounded in time: it
stops on its own after --burn-seconds even if this process is killed), the scenarios
run under pytest-repeat (`--count N`) on two xdist workers, each run bounded by
pytest-timeout so a hang counts as a failure instead of stalling the run. Exit 0 only
when every run passed.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The scenarios that click Submit twice or from a second tab (one_invoice_per_submit.feature).
DEFAULT_K = "second_click_on_submit or same_review_submitted_in_a_second_tab"
BURNER = ("import sys, time\n"
          "end = time.monotonic() + float(sys.argv[1])\n"
          "while time.monotonic() < end:\n"
          "    sum(range(10000))\n")


def burners(seconds: float, count: int | None = None) -> list[subprocess.Popen]:
    """One busy process per core, each ending on its own after `seconds`."""
    return [subprocess.Popen([sys.executable, "-c", BURNER, str(seconds)])
            for _ in range(count or os.cpu_count() or 2)]


def outcomes(junit: Path) -> tuple[Counter, list[tuple[str, str]]]:
    """Per outcome (passed, failed, skipped) the number of runs, and each failure's message."""
    counts: Counter = Counter()
    failures = []
    for case in ET.parse(junit).iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            counts["failed"] += 1
            failures.append((case.get("name", "?"), " ".join((problem.get("message") or "").split())[:300]))
        elif case.find("skipped") is not None:
            counts["skipped"] += 1
        else:
            counts["passed"] += 1
    return counts, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.flake", description=__doc__.split("\n")[0])
    parser.add_argument("-k", default=DEFAULT_K, help=f"the scenarios (pytest -k; default: {DEFAULT_K!r})")
    parser.add_argument("--runs", type=int, default=100, help="runs of each scenario (default 100)")
    parser.add_argument("-n", "--workers", default="2", help="pytest-xdist workers (default 2)")
    parser.add_argument("--burn-seconds", type=float, default=1800,
                        help="the burners' bound: they stop after this long at the latest (default 1800)")
    parser.add_argument("--no-burn", action="store_true", help="no CPU burners (a quiet run, to compare)")
    parser.add_argument("--per-run-timeout", type=float, default=120,
                        help="pytest-timeout per scenario run: a hang fails that run (default 120 s)")
    parser.add_argument("pytest_args", nargs="*", help="more pytest options, after --")
    options = parser.parse_args(argv)

    junit = ROOT / "reports" / "flake-junit.xml"
    junit.parent.mkdir(exist_ok=True)
    junit.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pytest", "tests/test_acceptance.py", "-q", "-p", "no:randomly",
               "-k", options.k, "--count", str(options.runs), "--repeat-scope", "function",
               "-n", options.workers, "--timeout", str(options.per_run_timeout),
               f"--junitxml={junit}", *options.pytest_args]
    busy = [] if options.no_burn else burners(options.burn_seconds)
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    try:
        run = subprocess.run(command, cwd=ROOT)
    finally:
        for burner in busy:
            burner.kill()
            burner.wait()
    seconds = time.monotonic() - started
    if not junit.exists():
        print(f"flake: pytest wrote no report (exit {run.returncode})", file=sys.stderr)
        return 2
    counts, failures = outcomes(junit)
    total = sum(counts.values())
    ran = counts["passed"] + counts["failed"]
    print(f"\nflake: {len(busy)} CPU burner(s); load average {load_before:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end; {seconds:.0f} s")
    print(f"flake: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped "
          f"of {total} runs (-k {options.k!r} × {options.runs}); failure rate "
          f"{counts['failed'] / ran:.1%}" if ran else "flake: nothing ran")
    for name, message in failures:
        print(f"  FAILED {name}: {message}")
    return 0 if ran and not counts["failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
