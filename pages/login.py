"""SPEC §5.1 Log in: an email field, a password field and the Log in button."""
from __future__ import annotations

from .base import Among, Journal, Screen
from .narration import Secret
from .profile import UiProfile
from .targets import candidates


class LoginPage(Screen):
    def __init__(self, page, journal: Journal, profile: UiProfile):
        super().__init__(page, journal, profile)
        main = page.get_by_role("main")
        fields = Among("fields", candidates(main, "inputs"))
        self.heading = self._target("the Log in heading", Among("headings", main.get_by_role("heading")))
        self.email = self._target("the Email field", fields)
        self.password = self._target("the Password field", fields)
        self.log_in_button = self._target("the Log in button", Among("buttons", main.get_by_role("button")))

    def log_in(self, email: str, password: str) -> None:
        """Fill the form and log in, waiting for the page the portal answers with."""
        self._fill(self.email, email)
        self._fill(self.password, Secret(password))
        with self.page.expect_navigation(wait_until="domcontentloaded"):
            self._click(self.log_in_button)
