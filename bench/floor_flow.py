"""The floor for the suite's cost per scenario: the article's upgrade flow
(the walkthrough scenario) as a bare Playwright script — no pytest, no
pytest-bdd, no page objects — on the same browser and simulator set-up.

Like the suite: one browser, a fresh context per run logged in from a saved
storage state, the state seeded through the control API."""
from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from playwright.sync_api import expect, sync_playwright

from harness import browser as browser_discovery
from harness.control_client import SimulatorControl
from harness.server import start_simulator
from simulator.scenario import SAMPLE_PATH


def upgrade_flow(page) -> None:
    page.goto("/services/dns")
    page.get_by_role("link", name="Basic", exact=True).click()
    page.get_by_role("region", name="Billing Information").get_by_role(
        "link", name="Upgrade / Downgrade").click()
    page.get_by_label("Upgrade / Downgrade to").select_option(label="Start (upgrade)")
    page.get_by_label("Select billing cycle").select_option(label="Monthly — $12.00")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("row", name="Total charge for today")).to_contain_text("$2.73")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Invoice #INV-000001")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^Total\b"))).to_contain_text("$2.73")


def measure(runs: int) -> list[float]:
    """Seconds per run of the flow, each in a fresh logged-in context."""
    server = start_simulator()
    control = SimulatorControl(server.url)
    # The sample scenario as JSON-ready data (YAML gives dates; JSON wants text).
    sample = json.loads(json.dumps(yaml.safe_load(SAMPLE_PATH.read_text()), default=str))
    durations = []
    try:
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
            browser = playwright.chromium.launch(**browser_discovery.launch_args({}, playwright))
            state = Path(tmp) / "alice.json"
            login = browser.new_context(base_url=server.url)
            page = login.new_page()
            page.goto("/login")
            page.get_by_label("Email").fill("alice@example.com")
            page.get_by_label("Password").fill("alice-pass")
            page.get_by_role("button", name="Log in").click()
            login.storage_state(path=state)
            login.close()
            for _ in range(runs):
                started = time.perf_counter()
                control.load_scenario(sample)
                context = browser.new_context(base_url=server.url, storage_state=state)
                upgrade_flow(context.new_page())
                context.close()
                durations.append(time.perf_counter() - started)
            browser.close()
    finally:
        server.stop()
    return durations


if __name__ == "__main__":
    runs = measure(10)
    print(f"floor flow: median {statistics.median(runs) * 1000:.0f} ms over {len(runs)} runs")
