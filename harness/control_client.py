"""A client for the simulator's control API (SPEC §4), standard library only.

The same calls work against the embedded simulator and against a running
`portal-sim serve --testing`; every answer is the state as JSON.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request


class ControlError(RuntimeError):
    """The control API refused a request (400/404), with the simulator's message."""


class SimulatorControl:
    def __init__(self, base_url: str, timeout: float = 10):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def load_scenario(self, scenario: dict) -> dict:
        """Replace the whole state with `scenario` (a SPEC §3 mapping)."""
        return self._call("POST", "/__sim__/scenario", scenario)

    def set_clock(self, now: str) -> dict:
        return self._call("POST", "/__sim__/clock", {"now": now})

    def advance(self, *, minutes: int = 0, days: int = 0) -> dict:
        body = {"advance_days": days} if days else {"advance_minutes": minutes}
        return self._call("POST", "/__sim__/clock", body)

    def pay_invoice(self, number: str) -> dict:
        return self._call("POST", f"/__sim__/invoices/{number}/pay")

    def state(self) -> dict:
        return self._call("GET", "/__sim__/state")

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            try:
                detail = json.loads(detail)["error"]
            except (ValueError, KeyError, TypeError):
                pass
            raise ControlError(f"{method} {path}: {error.code} {detail}") from None
