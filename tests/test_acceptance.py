"""The acceptance scenarios: every scenario of features/*.feature is a test here.

    make run                                   # Gherkin progress + reports/ (JUnit, cucumber JSON, HTML, traces)
    .venv/bin/pytest tests/test_acceptance.py -n 2          # one simulator and one browser per worker
    .venv/bin/pytest tests/test_acceptance.py -m guide_upgrade_5   # the scenarios of one article item
    .venv/bin/pytest features/upgrade.feature:23                # the scenario written at that line
    .venv/bin/pytest tests/test_acceptance.py -m "not needs_clock"  # all but what moves the clock
    .venv/bin/pytest tests/test_acceptance.py --base-url http://127.0.0.1:8000 -n 4  # a running `portal-sim serve --testing`
    .venv/bin/pytest tests/test_acceptance.py --portal-driver tests.drivers:NoClockDriver  # a driver that lacks capabilities

Each scenario seeds an account of its own through the portal driver (drivers/), so
any number of workers share one portal; reports/conformance.md says what passed.

Tags become markers (`-m extra`, `-m guide`); pytest-playwright's options apply
(--headed, --slowmo 200, --tracing retain-on-failure, --screenshot only-on-failure).
"""
from portal_suite.gherkin import scenarios

scenarios("../features")
