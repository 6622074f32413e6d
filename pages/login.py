"""SPEC §5.1 Log in: fields "Email" and "Password", button "Log in"."""
from __future__ import annotations

from urllib.parse import quote

from .base import Among, Journal, Screen, Target


class LoginPage(Screen):
    PATH = "/login"

    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        main = page.get_by_role("main")
        fields = Among("fields", main.locator("input:not([type=hidden])"))
        self.heading = Target("Log in heading", page.get_by_role("heading", name="Log in"),
                              Among("headings", main.get_by_role("heading")))
        self.email = Target("Email field", page.get_by_label("Email"), fields)
        self.password = Target("Password field", page.get_by_label("Password"), fields)
        self.log_in_button = Target("Log in button", page.get_by_role("button", name="Log in"),
                                    Among("buttons", main.get_by_role("button")))

    def open(self, next_path: str | None = None) -> None:
        path = self.PATH + (f"?next={quote(next_path)}" if next_path else "")
        self._visit(path, "the Log in page")

    def log_in(self, email: str, password: str) -> None:
        self._fill(self.email, email)
        self._fill(self.password, password, secret=True)
        self._click(self.log_in_button)
