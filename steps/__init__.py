"""Step definitions of the acceptance features, thin layers over the page objects.

MODULES lists the pytest plugins the suite's plugin (portal_suite.plugin) loads; the
step-definition gate (tests/test_step_definitions.py) checks exactly these.
"""
MODULES = ["steps.labels", "steps.world", "steps.state", "steps.actions", "steps.checks"]
