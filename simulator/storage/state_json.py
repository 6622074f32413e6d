"""The state as the control API answers it (SPEC §4): typed records in, JSON-ready dict out."""
from __future__ import annotations

from datetime import datetime

from .records import Client, Invoice, PendingChange, ServiceRow


def state_document(now: datetime, clients: list[Client],
                   services: list[tuple[ServiceRow, PendingChange | None]],
                   invoices: list[Invoice]) -> dict:
    return {
        "now": now.isoformat(),
        "clients": [{"email": c.email, "credit": str(c.credit)} for c in clients],
        "services": [_service(svc, pending) for svc, pending in services],
        "invoices": [{
            "number": inv.number, "client": inv.client, "service": inv.service,
            "status": inv.status.value, "subtotal": str(inv.subtotal), "tax": str(inv.tax),
            "credit_applied": str(inv.credit_applied), "total": str(inv.total),
        } for inv in invoices],
    }


def _service(svc: ServiceRow, pending: PendingChange | None) -> dict:
    return {
        "id": svc.id, "client": svc.client, "plan": svc.plan.id, "cycle": svc.cycle,
        "price": str(svc.price), "status": svc.status.value,
        "next_due": svc.next_due.isoformat(),
        "pending_change": None if pending is None else {
            "plan": pending.plan.id, "cycle": pending.cycle,
            "effective": _moment(pending.effective),
            "state": pending.state.value, "invoice": pending.invoice,
        },
    }


def _moment(when: datetime | None) -> str | None:
    """A date when the moment is midnight (a renewal date), else the date-time."""
    if when is None:
        return None
    if when.time() == datetime.min.time():
        return when.date().isoformat()
    return when.isoformat()
