"""SPEC §5.1 Log in: fields "Email" and "Password", button "Log in"."""
from __future__ import annotations

from urllib.parse import quote

from .base import Journal, Screen, Target


class LoginPage(Screen):
    PATH = "/login"

    def __init__(self, page, journal: Journal):
        super().__init__(page, journal)
        self.heading = Target("Log in heading", page.get_by_role("heading", name="Log in"))
        self.email = Target("Email field", page.get_by_label("Email"))
        self.password = Target("Password field", page.get_by_label("Password"))
        self.log_in_button = Target("Log in button", page.get_by_role("button", name="Log in"))

    def open(self, next_path: str | None = None) -> None:
        path = self.PATH + (f"?next={quote(next_path)}" if next_path else "")
        self._visit(path, "the Log in page")

    def log_in(self, email: str, password: str) -> None:
        self._fill(self.email, email)
        self._fill(self.password, password, secret=True)
        self._click(self.log_in_button)
