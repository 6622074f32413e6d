"""The two ways the article build ends early."""
from __future__ import annotations


class DocsError(Exception):
    """Bad input (the source, the output folder, no browser): one line, exit status 2."""


class StepFailed(Exception):
    """A shot could not be taken at its step (its target is missing, its PDF unreadable)."""

    def __init__(self, step: str, reason: str):
        super().__init__(f"docs step {step} failed: {reason}")
        self.step = step
        self.reason = reason


def first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0].strip()
