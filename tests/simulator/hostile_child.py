"""Child process of capped.hostile_outcomes: tries each hostile input and prints one JSON
line per input as soon as it has the outcome (the parent caps this process's memory
and time; a line printed is a line kept even if a later input kills the child).

Usage: python hostile_child.py cases.json  (a list of {"name", "kind", "path"})
"""
from __future__ import annotations

import json
import signal
import sys
import time
import traceback
from pathlib import Path


CASE_SECONDS = 10  # a hang in Python code ends here; one in C ends at the parent's cap


def _too_long(signum, frame):
    raise TimeoutError(f"still running after {CASE_SECONDS} s")


def attempt(action) -> dict:
    """The action's outcome, and the processor time it took: the suite shares the
    machine, so the clock on the wall says more about the neighbours than the work."""
    start, wall = time.process_time(), time.perf_counter()
    signal.signal(signal.SIGALRM, _too_long)
    signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    try:
        outcome = action()
    except BaseException as exc:  # noqa: BLE001 - a crash is the finding to report
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        outcome = {"outcome": "crashed", "error": last[:400]}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    outcome["seconds"] = round(time.process_time() - start, 3)
    outcome["wall_seconds"] = round(time.perf_counter() - wall, 3)
    return outcome


def main(listing: Path) -> None:
    from simulator import create_app
    from simulator.scenario import ScenarioError, load_file, load_sample

    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE": None,
                      "SECRET_KEY": "hostile-child"})
    client = app.test_client()
    sample = load_sample()

    def load(path):
        def action():
            try:
                load_file(path)
            except ScenarioError as exc:
                return {"outcome": "refused", "message": str(exc)}
            return {"outcome": "loaded"}
        return action

    def post(url, body, content_type):
        def action():
            response = client.post(url, data=body, content_type=content_type)
            return {"outcome": "answered", "status": response.status_code,
                    "json": response.get_json(silent=True),
                    "text": response.get_data(as_text=True)[:400]}
        return action

    for case in json.loads(listing.read_text(encoding="utf-8")):
        path = Path(case["path"])
        body = path.read_bytes()
        app.extensions["store"].load_scenario(sample)  # each case from the sample state
        if case["kind"] == "scenario":
            result = {"load": attempt(load(path)),
                      "api": attempt(post("/__sim__/scenario", body, "application/yaml"))}
        else:
            result = {"api": attempt(post("/__sim__/clock", body, "application/json"))}
        print(json.dumps({"name": case["name"], **result}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
