"""Seeds tenants up to the portal's caps and deletes them, printing the process's RSS at
each stage as one JSON line (issue 20, point 5). Run by test_hardening_issue20.py in a
child process of its own, so that the figures are this portal's alone.

    python memory_child.py big|small
"""
from __future__ import annotations

import ctypes
import gc
import json
import sys
import time

import yaml

from simulator import create_app
from simulator import scenario as scenario_mod
from simulator.rules import Refused
from simulator.tenants import expanded_size, memory_cost


def rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def biggest() -> dict:
    """A scenario near the loader's bounds: 1,000 clients with the longest texts, 999
    services naming a 200-character plan id."""
    data = yaml.safe_load(scenario_mod.SAMPLE_PATH.read_text(encoding="utf-8"))
    plan = "p" * 200
    data["plans"][0]["id"] = plan
    data["clients"] = [{"email": f"{'e' * 230}{n}@example.com", "password": "x" * 200,
                        "name": "N" * 200} for n in range(1000)]
    data["services"] = [{"id": 1001 + n, "client": f"{'e' * 230}{n}@example.com",
                         "plan": plan, "cycle": "monthly", "next_due": "2026-04-01"}
                        for n in range(999)]
    return data


def main(kind: str) -> None:
    app = create_app({"TESTING": True, "DATABASE": None, "SECRET_KEY": "memory"})
    tenants = app.extensions["tenants"]
    scn = scenario_mod.from_mapping(biggest() if kind == "big" else
                                    yaml.safe_load(scenario_mod.SAMPLE_PATH.read_text()))
    app.test_client().get("/login")  # templates compiled, as in a serving portal
    gc.collect()
    figures = {"start": rss(), "budget": tenants.memory_limit, "cost": memory_cost(scn),
               "expanded": expanded_size(scn), "count_cap": tenants.limit}
    started, made = time.monotonic(), []
    while True:
        try:
            made.append(tenants.create(scn).tenant)
        except Refused as refusal:
            figures["refused"] = refusal.message[:120]
            break
    gc.collect()
    figures.update(seeded=len(made), at_caps=rss(), seconds=round(time.monotonic() - started, 1))
    for tenant in made:
        tenants.delete(tenant)
    gc.collect()
    figures["after_delete"] = rss()
    made.clear()
    gc.collect()
    ctypes.CDLL(None).malloc_trim(0)
    figures["after_full_trim"] = rss()  # what the portal could give back at most
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1])
