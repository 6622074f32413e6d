"""The journal's lines come from `@narrated` (pages.narration): filled from the method's
arguments and `self`, written before the method runs (so a failing action is in the
journal that captions its screenshot), a Secret never written out."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from pages.narration import Journal, Secret, narrated


class Screen:
    def __init__(self):
        self.journal = Journal()
        self.submit_button = SimpleNamespace(name="Submit button")

    @narrated("fill {target.name} with {value!r}")
    def fill(self, target, value):
        return value

    @narrated("click {self.submit_button.name}, the form sent to {url}")
    def submit_to(self, url="/services/dns/1/review"):
        raise RuntimeError("the portal is down")


def test_a_line_is_filled_from_the_arguments_and_self_before_the_method_runs():
    screen = Screen()
    email = SimpleNamespace(name="Email field")
    assert screen.fill(email, value="alice@example.com") == "alice@example.com"
    with pytest.raises(RuntimeError):
        screen.submit_to()
    assert screen.journal == ["fill Email field with 'alice@example.com'",
                              "click Submit button, the form sent to /services/dns/1/review"]
    assert screen.journal.tail(1) == "click Submit button, the form sent to /services/dns/1/review"


def test_a_secret_is_typed_whole_and_journaled_hidden():
    screen = Screen()
    typed = screen.fill(SimpleNamespace(name="Password field"), Secret("s3cret"))
    assert typed == "s3cret"
    assert screen.journal == ["fill Password field with ••••"]
