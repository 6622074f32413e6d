"""Hooks for the project's tests: the visual gate's comparisons not made reach the summary line."""
from article.gate_report import pytest_report_teststatus, pytest_terminal_summary  # noqa: F401
