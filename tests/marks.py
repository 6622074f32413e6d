"""Marks shared by the project's tests."""
from __future__ import annotations

import os

import pytest

# A test whose ground another test of `make test` already covers, kept for `make bench`
# (SUITE_BENCH=1) so that `make test` stays within its five minutes; its reason says which.
def bench_only(covered_by: str):
    return pytest.mark.skipif(os.environ.get("SUITE_BENCH") != "1",
                              reason=f"make bench runs it (SUITE_BENCH=1); make test covers it with {covered_by}")
