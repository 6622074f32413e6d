"""Fixtures for the simulator's own tests; the helpers live in sim_helpers.py."""
from sim_helpers import alice, app, client, make_app, sample  # noqa: F401  (fixtures)
