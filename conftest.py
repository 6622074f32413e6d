"""A source checkout runs the acceptance suite with the same plugin the installed package
uses (portal_suite/plugin.py: options, fixtures, reports); this file only loads it."""
pytest_plugins = ["portal_suite.plugin"]
