"""Example drivers for real portals: starting points to copy, not tested integrations."""
