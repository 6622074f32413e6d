"""The two ways the article build ends early."""
from __future__ import annotations


class DocsError(Exception):
    """Bad input (the source, the output folder, no browser): one line, exit status 2."""


class StepFailed(Exception):
    """A walkthrough step failed, or the portal no longer behaves as the article says."""

    def __init__(self, step: str, reason: str):
        super().__init__(f"docs step {step} failed: {reason}")
        self.step = step
        self.reason = reason


def first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0].strip()
