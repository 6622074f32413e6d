"""The SQLite schema, and how its rows read back as typed records."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from werkzeug.security import generate_password_hash

from .records import (Catalog, ChangeState, Client, Invoice, InvoiceLine, InvoiceStatus,
                      PaymentMethod, PendingChange, ServiceRow, ServiceStatus, Viewer)
from ..scenario import Scenario

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clients (
    email TEXT PRIMARY KEY, name TEXT NOT NULL, credit TEXT NOT NULL,
    payment_method TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    email TEXT PRIMARY KEY, client TEXT NOT NULL REFERENCES clients(email),
    password_hash TEXT NOT NULL, can_change_plans INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS services (
    id INTEGER PRIMARY KEY, client TEXT NOT NULL REFERENCES clients(email),
    plan TEXT NOT NULL, cycle TEXT NOT NULL, status TEXT NOT NULL, next_due TEXT NOT NULL,
    plan_change_allowed INTEGER NOT NULL, allowed_targets TEXT,
    version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS invoices (
    number TEXT PRIMARY KEY, client TEXT NOT NULL, service INTEGER NOT NULL,
    status TEXT NOT NULL, issued TEXT NOT NULL, paid TEXT,
    subtotal TEXT NOT NULL, tax TEXT NOT NULL, tax_label TEXT, tax_inclusive INTEGER NOT NULL,
    credit_applied TEXT NOT NULL, total TEXT NOT NULL, credit_added TEXT NOT NULL,
    computation TEXT NOT NULL, review_token TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS invoice_lines (
    invoice TEXT NOT NULL REFERENCES invoices(number), position INTEGER NOT NULL,
    description TEXT NOT NULL, amount TEXT NOT NULL, PRIMARY KEY (invoice, position));
-- A plan change on its way: awaiting payment, being provisioned, or scheduled
-- for the renewal date; applied ones are kept for the record.
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, service INTEGER NOT NULL, invoice TEXT NOT NULL,
    plan TEXT NOT NULL, cycle TEXT NOT NULL, next_due TEXT NOT NULL,
    state TEXT NOT NULL, effective TEXT);
"""

CATALOG_KEYS = ("locale", "theme", "currency", "tax", "settings", "plans")
STATE_TABLES = ("changes", "invoice_lines", "invoices", "services", "users", "clients")

# A service with its change on the way, if any, in one query (pending_* are NULL without one).
SERVICES_WITH_PENDING = f"""
SELECT s.*, c.plan AS pending_plan, c.cycle AS pending_cycle, c.state AS pending_state,
       c.effective AS pending_effective, c.invoice AS pending_invoice
FROM services s LEFT JOIN changes c ON c.id = (
    SELECT id FROM changes WHERE service = s.id AND state != '{ChangeState.APPLIED}'
    ORDER BY id DESC LIMIT 1)
"""



# How passwords are hashed: werkzeug's scrypt (2^15 rounds, about 0.13 s a check here).
# A portal serving the control API (--testing) hashes with 2^10 rounds instead: its
# accounts are throwaway fixtures, and every scenario of a suite run logs in afresh.
PASSWORD_METHOD = "scrypt"
TESTING_PASSWORD_METHOD = "scrypt:1024:8:1"


# A scenario's passwords are fixtures, written in plain text in the scenario file: the
# hashes in the state protect no secret the file does not already give away. So a load
# pays the full cost for at most FULL_COST_PASSWORDS distinct passwords (a suite's
# scenario names two or three); one naming more (thousands of users) is hashed, all of
# it, with BULK_PASSWORD_METHOD (salted, 100 rounds: about 0.06 ms a password here,
# against 0.13-0.4 s for scrypt's default and 3 ms for the testing one): seeding stays
# well under a second, and every login of one load costs the same to check.
FULL_COST_PASSWORDS = 8
BULK_PASSWORD_METHOD = "pbkdf2:sha256:100"


def load_method(scn: Scenario, method: str = PASSWORD_METHOD) -> str:
    """The hashing method a load of `scn` uses (see FULL_COST_PASSWORDS)."""
    distinct = {client.password for client in scn.clients} | {
        user.password for client in scn.clients for user in client.users}
    return method if len(distinct) <= FULL_COST_PASSWORDS else BULK_PASSWORD_METHOD


def hash_passwords(scn: Scenario, method: str = PASSWORD_METHOD) -> dict[str, str]:
    """Each distinct password of the scenario hashed once, with the load's method."""
    chosen = load_method(scn, method)
    hashes: dict[str, str] = {}
    for client in scn.clients:
        for password in (client.password, *(user.password for user in client.users)):
            if password not in hashes:
                hashes[password] = password_hash(password, chosen)
    return hashes


def write_scenario(db: sqlite3.Connection, scn: Scenario, generation: str,
                   password_method: str = PASSWORD_METHOD,
                   hashes: dict[str, str] | None = None) -> None:
    """Fill the emptied tables with the scenario's catalog, clients, users and services
    (`hashes`: hash_passwords(scn), if done already, outside a lock)."""
    if hashes is None:
        hashes = hash_passwords(scn, password_method)
    db.executemany("INSERT INTO meta VALUES (?, ?)", [
        # Only the catalog: clients (and their passwords) live in their tables.
        ("scenario", json.dumps({k: v for k, v in scn.source.items()
                                 if k in CATALOG_KEYS}, default=str)),
        ("generation", generation),
        ("now", scn.now.isoformat()),
        ("invoice_seq", "0"),
    ])
    for client in scn.clients:
        db.execute("INSERT INTO clients VALUES (?, ?, ?, ?)",
                   (client.email, client.name, str(client.credit), client.payment_method))
        db.execute("INSERT INTO users VALUES (?, ?, ?, 1)",
                   (client.email, client.email, hashes[client.password]))
        for user in client.users:
            db.execute("INSERT INTO users VALUES (?, ?, ?, ?)",
                       (user.email, client.email, hashes[user.password],
                        int(user.can_change_plans)))
    for svc in scn.services:
        db.execute(
            "INSERT INTO services VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
            (svc.id, svc.client, svc.plan, svc.cycle, svc.status,
             svc.next_due.isoformat(), int(svc.plan_change_allowed),
             json.dumps(list(svc.allowed_targets))
             if svc.allowed_targets is not None else None),
        )


@lru_cache(maxsize=256)
def password_hash(password: str, method: str = PASSWORD_METHOD) -> str:
    # Scenario reloads hash the same few passwords again and again; one hash
    # (with its salt) per password per process keeps reloads fast. Bounded: a
    # scenario of thousands of passwords does not stay in memory.
    return generate_password_hash(password, method)


def viewer_from(row: sqlite3.Row) -> Viewer:
    return Viewer(row["email"], row["client"], bool(row["can_change_plans"]))


def client_from(row: sqlite3.Row) -> Client:
    return Client(row["email"], row["name"], Decimal(row["credit"]),
                  PaymentMethod(row["payment_method"]))


def service_from(row: sqlite3.Row, catalog: Catalog) -> ServiceRow:
    targets = row["allowed_targets"]
    return ServiceRow(
        id=row["id"], client=row["client"], plan=catalog.plan(row["plan"]),
        cycle=row["cycle"], status=ServiceStatus(row["status"]),
        next_due=date.fromisoformat(row["next_due"]),
        plan_change_allowed=bool(row["plan_change_allowed"]),
        allowed_targets=tuple(json.loads(targets)) if targets is not None else None,
        version=row["version"],
    )


def pending_from(row: sqlite3.Row, catalog: Catalog) -> PendingChange | None:
    """The pending_* columns of a SERVICES_WITH_PENDING row, if there is a change."""
    if row["pending_state"] is None:
        return None
    return PendingChange(
        plan=catalog.plan(row["pending_plan"]), cycle=row["pending_cycle"],
        state=ChangeState(row["pending_state"]), effective=_moment(row["pending_effective"]),
        invoice=row["pending_invoice"],
    )


def invoice_from(row: sqlite3.Row) -> Invoice:
    return Invoice(
        number=row["number"], client=row["client"], service=row["service"],
        status=InvoiceStatus(row["status"]), issued=datetime.fromisoformat(row["issued"]),
        paid=_moment(row["paid"]), subtotal=Decimal(row["subtotal"]), tax=Decimal(row["tax"]),
        tax_label=row["tax_label"], tax_inclusive=bool(row["tax_inclusive"]),
        credit_applied=Decimal(row["credit_applied"]), total=Decimal(row["total"]),
        credit_added=Decimal(row["credit_added"]), computation=row["computation"],
    )


def line_from(row: sqlite3.Row) -> InvoiceLine:
    return InvoiceLine(row["description"], Decimal(row["amount"]))


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
