"""A client for the simulator's control API (SPEC §4, §4.1), standard library only.

The same calls work against the embedded simulator and against a running
`portal-sim serve --testing`. `SimulatorControl(url)` acts on the default tenant
(the whole-world routes); `SimulatorControl(url, tenant="t42")`, as returned by
`create_tenant`, on that tenant only.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import quote


class ControlError(RuntimeError):
    """The control API refused a request (400/404/409), with the simulator's message."""


class SimulatorControl:
    def __init__(self, base_url: str, timeout: float = 10, tenant: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.tenant = tenant
        self._prefix = "/__sim__" if tenant is None else f"/__sim__/tenants/{quote(tenant, safe='')}"

    def load_scenario(self, scenario: dict) -> dict:
        """Replace the default tenant's whole state with `scenario` (a SPEC §3 mapping)."""
        return self._call("POST", "/__sim__/scenario", scenario)

    def create_tenant(self, scenario: dict) -> tuple["SimulatorControl", dict]:
        """Seed a tenant from `scenario`: its control, and the answer (its real logins and ids)."""
        answer = self._call("POST", "/__sim__/tenants", scenario)
        return SimulatorControl(self.base_url, self.timeout, answer["tenant"]), answer

    def delete(self) -> dict:
        """Remove this tenant (its users' sessions end)."""
        if self.tenant is None:
            raise ControlError("the default tenant cannot be deleted")
        return self._call("DELETE", self._prefix)

    def set_clock(self, now: str) -> dict:
        return self._call("POST", f"{self._prefix}/clock", {"now": now})

    def advance(self, *, minutes: int = 0, days: int = 0) -> dict:
        body = {"advance_days": days} if days else {"advance_minutes": minutes}
        return self._call("POST", f"{self._prefix}/clock", body)

    def pay_invoice(self, number: str) -> dict:
        return self._call("POST", f"{self._prefix}/invoices/{quote(number, safe='')}/pay")

    def state(self) -> dict:
        return self._call("GET", f"{self._prefix}/state")

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json"}
        if method == "POST":  # the control API wants a declared type even on an empty body
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
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
