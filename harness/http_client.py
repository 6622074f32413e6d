"""A cookie-keeping HTTP client that sends forms as a user's browser does
(CSRF token included), for tests and benchmarks that need no real browser."""
from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request


def hidden(page: str, name: str) -> str:
    """The value of the hidden input `name` on an HTML page."""
    match = re.search(rf'name="{name}" value="([^"]+)"', page)
    if not match:
        raise LookupError(f"no hidden field {name!r} on the page")
    return match.group(1)


class FormClient:
    def __init__(self, base_url: str = ""):
        self.base_url = base_url.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=10) as answer:
            return answer.read().decode()

    def post(self, path: str, fields: dict) -> str:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base_url + path, data=data, timeout=10) as answer:
            return answer.read().decode()

    def log_in(self, email: str, password: str) -> None:
        page = self.get("/login")
        self.post("/login", {"email": email, "password": password,
                             "csrf_token": hidden(page, "csrf_token")})

    def submit_review(self, review_page: str, service_id: int) -> str:
        """Press Submit on a review page that was fetched earlier."""
        fields = {name: hidden(review_page, name)
                  for name in ("csrf_token", "plan", "cycle", "review_token")}
        return self.post(f"/services/dns/{service_id}/change", fields)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)
