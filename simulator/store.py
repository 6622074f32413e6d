"""The portal's state in SQLite, and the operations that change it.

One connection serves the whole process, guarded by a lock: every operation
is one transaction, so a Submit either issues its invoice, moves the balance
and records the change together, or does nothing. In memory by default; a
file (``--db``) survives restarts.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

from . import scenario as scenario_mod
from .wording import computation, line_description
from .billing import CURRENCIES, Currency, Plan, Quote, QuoteError, Settings, Tax, quote_change

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

CATALOG_KEYS = ("currency", "tax", "settings", "plans")
STATE_TABLES = ("changes", "invoice_lines", "invoices", "services", "users", "clients")

# A service with its change on the way, if any, in one query (pending_* are NULL without one).
SERVICES_WITH_PENDING = """
SELECT s.*, c.plan AS pending_plan, c.cycle AS pending_cycle, c.state AS pending_state,
       c.effective AS pending_effective, c.invoice AS pending_invoice,
       c.next_due AS pending_next_due
FROM services s LEFT JOIN changes c ON c.id = (
    SELECT id FROM changes WHERE service = s.id AND state != 'applied' ORDER BY id DESC LIMIT 1)
"""


class NotFound(LookupError):
    """The thing does not exist for this user (another client's service included)."""


class Refused(Exception):
    """A request the rules refuse; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400, invoice: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.invoice = invoice


class StaleReview(Exception):
    """The figures the user reviewed no longer hold; they must review again."""


@lru_cache(maxsize=256)
def _password_hash(password: str) -> str:
    # Scenario reloads hash the same few passwords again and again; one hash
    # (with its salt) per password per process keeps reloads fast.
    return generate_password_hash(password)


@dataclass(frozen=True)
class Catalog:
    """The scenario's unchanging part: money, tax, settings and plans."""

    currency: Currency
    tax: Tax
    settings: Settings
    plans: dict[str, Plan]
    generation: str

    def plan(self, plan_id: str) -> Plan:
        return self.plans[plan_id]

    @property
    def tiers(self) -> list[Plan]:
        return sorted(self.plans.values(), key=lambda p: p.tier)


@dataclass(frozen=True)
class Viewer:
    """Who is logged in: the user's email, the client account, and a permission."""

    email: str
    client: str
    can_change_plans: bool


@dataclass(frozen=True)
class ServiceRow:
    id: int
    client: str
    plan: Plan
    cycle: str
    status: str
    next_due: date
    plan_change_allowed: bool
    allowed_targets: tuple[str, ...] | None
    version: int

    @property
    def price(self) -> Decimal:
        return self.plan.prices[self.cycle]


@dataclass(frozen=True)
class PendingChange:
    plan: Plan
    cycle: str
    state: str  # awaiting_payment | provisioning | scheduled
    effective: datetime | None
    invoice: str
    next_due: date


@dataclass(frozen=True)
class QuoteBasis:
    """What a quote is computed from, read from the state in one go."""

    viewer: Viewer
    service: ServiceRow
    target: Plan
    cycle: str
    now: datetime
    balance: Decimal
    catalog: Catalog


class Store:
    def __init__(self, path: str | None = None):
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            path or ":memory:", check_same_thread=False, isolation_level=None
        )
        self._conn.row_factory = sqlite3.Row
        if path:
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(SCHEMA)
        # What every request reads and only a new scenario or the clock changes is
        # kept in memory too, written through on change: no query per request for it.
        self.catalog: Catalog | None = None
        self._clock: datetime | None = None
        self._viewers: dict[str, Viewer] = {}
        stored = self._meta("scenario")
        if stored:
            catalog_part = {**json.loads(stored), "clients": [], "services": []}
            self.catalog = self._catalog_from(
                scenario_mod.from_mapping(catalog_part), self._meta("generation")
            )
            self._clock = datetime.fromisoformat(self._meta("now"))
            with self.reading() as db:
                self._viewers = self._load_viewers(db)

    # --- plumbing --------------------------------------------------------------

    @contextmanager
    def transaction(self):
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    @contextmanager
    def reading(self):
        with self._lock:
            yield self._conn

    def _meta(self, key: str) -> str | None:
        with self.reading() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def secret_key(self) -> str:
        """A signing key kept with the state, so sessions survive a restart with --db."""
        with self.transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'secret_key'").fetchone()
            if row:
                return row["value"]
            key = secrets.token_hex(32)
            db.execute("INSERT INTO meta VALUES ('secret_key', ?)", (key,))
            return key

    def has_scenario(self) -> bool:
        return self.catalog is not None

    @staticmethod
    def _catalog_from(scn: scenario_mod.Scenario, generation: str) -> Catalog:
        return Catalog(
            currency=CURRENCIES[scn.currency], tax=scn.tax, settings=scn.settings,
            plans={p.id: p for p in scn.plans}, generation=generation,
        )

    # --- scenario and clock ------------------------------------------------------

    def load_scenario(self, scn: scenario_mod.Scenario) -> None:
        """Replace the whole state with the scenario's."""
        generation = secrets.token_hex(8)
        with self._lock:
            with self.transaction() as db:
                for table in STATE_TABLES:
                    db.execute(f"DELETE FROM {table}")
                db.execute("DELETE FROM meta WHERE key NOT IN ('secret_key')")
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
                               (client.email, client.email, _password_hash(client.password)))
                    for user in client.users:
                        db.execute("INSERT INTO users VALUES (?, ?, ?, ?)",
                                   (user.email, client.email, _password_hash(user.password),
                                    int(user.can_change_plans)))
                for svc in scn.services:
                    db.execute(
                        "INSERT INTO services VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                        (svc.id, svc.client, svc.plan, svc.cycle, svc.status,
                         svc.next_due.isoformat(), int(svc.plan_change_allowed),
                         json.dumps(list(svc.allowed_targets))
                         if svc.allowed_targets is not None else None),
                    )
                viewers = self._load_viewers(db)
            # Committed, and still under the lock: no reader sees new tables with old memory.
            self.catalog = self._catalog_from(scn, generation)
            self._clock, self._viewers = scn.now, viewers

    def now(self) -> datetime:
        return self._clock

    def set_clock(self, when: datetime) -> None:
        """Move the clock forward and apply every change that is due by then."""
        with self._lock:
            with self.transaction() as db:
                now = self._clock
                if when < now:
                    raise Refused(f"the clock never goes backwards: it is {now.isoformat()}, "
                                  f"{when.isoformat()} is earlier")
                db.execute("UPDATE meta SET value = ? WHERE key = 'now'", (when.isoformat(),))
                self._apply_due_changes(db, when)
            self._clock = when  # committed: now readers may see it

    def _apply_due_changes(self, db, now: datetime) -> None:
        due = db.execute(
            "SELECT * FROM changes WHERE state IN ('provisioning', 'scheduled') "
            "AND effective <= ? ORDER BY effective, id", (now.isoformat(),)).fetchall()
        for change in due:
            db.execute(
                "UPDATE services SET plan = ?, cycle = ?, next_due = ?, version = version + 1 "
                "WHERE id = ?", (change["plan"], change["cycle"], change["next_due"],
                                 change["service"]))
            db.execute("UPDATE changes SET state = 'applied' WHERE id = ?", (change["id"],))

    # --- who is logged in ----------------------------------------------------------

    def authenticate(self, email: str, password: str) -> Viewer | None:
        email = email.strip().lower()
        with self.reading() as db:
            row = db.execute("SELECT * FROM users WHERE email = ?", (email,)).fetchone()
        if row is None:
            # The same work as for a known email: refusal time must not tell which exist.
            check_password_hash(_password_hash(""), password)
            return None
        if not check_password_hash(row["password_hash"], password):
            return None
        return _viewer_from(row)

    def viewer(self, email: str) -> Viewer | None:
        return self._viewers.get(email)

    @staticmethod
    def _load_viewers(db) -> dict[str, Viewer]:
        return {row["email"]: _viewer_from(row)
                for row in db.execute("SELECT email, client, can_change_plans FROM users")}

    def client(self, email: str) -> sqlite3.Row:
        with self.reading() as db:
            return db.execute("SELECT * FROM clients WHERE email = ?", (email,)).fetchone()

    # --- services ----------------------------------------------------------------------

    def _service_row(self, row) -> ServiceRow:
        targets = row["allowed_targets"]
        return ServiceRow(
            id=row["id"], client=row["client"], plan=self.catalog.plan(row["plan"]),
            cycle=row["cycle"], status=row["status"],
            next_due=date.fromisoformat(row["next_due"]),
            plan_change_allowed=bool(row["plan_change_allowed"]),
            allowed_targets=tuple(json.loads(targets)) if targets is not None else None,
            version=row["version"],
        )

    def _pending_change(self, row) -> PendingChange | None:
        """The pending_* columns of a SERVICES_WITH_PENDING row, if there is a change."""
        if row["pending_state"] is None:
            return None
        effective = row["pending_effective"]
        return PendingChange(
            plan=self.catalog.plan(row["pending_plan"]), cycle=row["pending_cycle"],
            state=row["pending_state"],
            effective=datetime.fromisoformat(effective) if effective else None,
            invoice=row["pending_invoice"], next_due=date.fromisoformat(row["pending_next_due"]),
        )

    def services(self, viewer: Viewer) -> list[tuple[ServiceRow, PendingChange | None]]:
        with self.reading() as db:
            rows = db.execute(SERVICES_WITH_PENDING + "WHERE s.client = ? ORDER BY s.id",
                              (viewer.client,)).fetchall()
            return [(self._service_row(r), self._pending_change(r)) for r in rows]

    def service(self, viewer: Viewer, service_id: int) -> tuple[ServiceRow, PendingChange | None]:
        with self.reading() as db:
            return self._service(db, viewer, service_id)

    def _service(self, db, viewer: Viewer, service_id: int):
        row = db.execute(SERVICES_WITH_PENDING + "WHERE s.id = ? AND s.client = ?",
                         (service_id, viewer.client)).fetchone()
        if row is None:
            raise NotFound(f"No DNS SERVICE {service_id} on this account.")
        return self._service_row(row), self._pending_change(row)

    def targets(self, service: ServiceRow) -> list[Plan]:
        """The plans this service may change to, lowest tier first."""
        allowed = service.allowed_targets
        return [p for p in self.catalog.tiers
                if p.id != service.plan.id and (allowed is None or p.id in allowed)]

    # --- rules of SPEC §5.4, §6.10 --------------------------------------------------------

    @staticmethod
    def lock_reason(viewer: Viewer, service: ServiceRow) -> str | None:
        """Why the Upgrade / Downgrade link is not offered, or None when it is."""
        if service.status != "Active":
            return (f"Plan changes are available only for Active services; this service is "
                    f"{service.status}. Please contact support.")
        if not service.plan_change_allowed:
            return ("Plan changes for this service are restricted by your contract. "
                    "Please contact support.")
        if not viewer.can_change_plans:
            return ("Your login does not have permission to change plans. "
                    "Please contact support or the account owner.")
        return None

    @staticmethod
    def blocker(service: ServiceRow, pending: PendingChange | None,
                today: date) -> Refused | None:
        """Why a change cannot be started now though the link is offered."""
        if pending is not None:
            if pending.state == "awaiting_payment":
                return Refused(
                    f"Invoice #{pending.invoice} for a plan change of this service is Unpaid. "
                    f"Pay it, or contact support, before starting another change.",
                    409, invoice=pending.invoice)
            if pending.state == "scheduled":
                return Refused(
                    f"A change to {pending.plan.name} is already scheduled for "
                    f"{pending.effective.date().isoformat()}. Please contact support to alter it.",
                    409, invoice=pending.invoice)
            return Refused(
                "A change of this service is in progress. It will appear shortly; "
                "refresh this page in a few minutes.", 409, invoice=pending.invoice)
        if (service.next_due - today).days < 1:
            return Refused(
                f"The current billing period ended on {service.next_due.isoformat()}. "
                f"The renewal must be paid first; then you can change plans.", 409)
        return None

    def change_options(self, viewer: Viewer, service_id: int):
        """Everything the change page needs, or Refused (403 / 409)."""
        with self.reading() as db:
            service, _ = self._changeable(db, viewer, service_id)
            return service, self.targets(service)

    def _changeable(self, db, viewer: Viewer, service_id: int) -> tuple[ServiceRow, datetime]:
        """The service and the clock, if a change may start now; else Refused (403 / 409)."""
        service, pending = self._service(db, viewer, service_id)
        reason = self.lock_reason(viewer, service)
        if reason:
            raise Refused(reason, 403)
        now = self._clock
        blocked = self.blocker(service, pending, now.date())
        if blocked:
            raise blocked
        return service, now

    # --- quotes and Submit (SPEC §6) ------------------------------------------------

    def _validate_choice(self, service: ServiceRow, plan_id: str, cycle: str) -> Plan:
        targets = {p.id: p for p in self.targets(service)}
        if plan_id not in targets:
            raise Refused(f"“{plan_id}” is not a plan this service can change to.", 400)
        target = targets[plan_id]
        if cycle not in target.prices:
            raise Refused(f"“{cycle}” is not a billing cycle of the {target.name} plan.", 400)
        return target

    def _quote_basis(self, db, viewer: Viewer, service_id: int, plan_id: str,
                     cycle: str) -> QuoteBasis:
        """Everything a quote depends on, read together (under the lock)."""
        service, now = self._changeable(db, viewer, service_id)
        target = self._validate_choice(service, plan_id, cycle)
        balance = Decimal(db.execute("SELECT credit FROM clients WHERE email = ?",
                                     (viewer.client,)).fetchone()["credit"])
        return QuoteBasis(viewer, service, target, cycle, now, balance, self.catalog)

    @staticmethod
    def _priced(basis: QuoteBasis) -> tuple[ServiceRow, Quote, str, datetime]:
        """The quote and its review token: arithmetic only, no state read."""
        service, catalog = basis.service, basis.catalog
        try:
            quote = quote_change(
                plan=service.plan, cycle=service.cycle, next_due=service.next_due,
                target=basis.target, target_cycle=basis.cycle, today=basis.now.date(),
                balance=basis.balance, currency=catalog.currency, tax=catalog.tax,
                settings=catalog.settings,
            )
        except QuoteError as exc:
            raise Refused(str(exc), 409) from None
        # The token names exactly what the figures depend on: the same review
        # yields the same token, anything changed yields another.
        basis_text = "|".join(map(str, (
            catalog.generation, service.id, service.version, basis.now.date(), basis.balance,
            basis.target.id, basis.cycle, basis.viewer.client)))
        token = hashlib.sha256(basis_text.encode()).hexdigest()[:32]
        return service, quote, token, basis.now

    def _quote(self, db, viewer: Viewer, service_id: int, plan_id: str, cycle: str):
        return self._priced(self._quote_basis(db, viewer, service_id, plan_id, cycle))

    def quote(self, viewer: Viewer, service_id: int, plan_id: str, cycle: str):
        # Only the reads hold the lock. With the arithmetic inside it, the other
        # server threads queued on the lock while its holder waited for the GIL:
        # under 20 clients the review page cost twice the CPU per request.
        with self.reading() as db:
            basis = self._quote_basis(db, viewer, service_id, plan_id, cycle)
        service, quote, token, _ = self._priced(basis)
        return service, quote, token

    def submit(self, viewer: Viewer, service_id: int, plan_id: str, cycle: str,
               review_token: str) -> str:
        """Issue the invoice for a reviewed change; returns its number.

        The same review submitted twice returns the first invoice. Figures that
        changed since the review raise StaleReview and change nothing.
        """
        with self.transaction() as db:
            issued = db.execute(
                "SELECT number FROM invoices WHERE review_token = ? AND client = ?",
                (review_token, viewer.client)).fetchone()
            if issued:
                return issued["number"]
            service, quote, token, now = self._quote(db, viewer, service_id, plan_id, cycle)
            if token != review_token:
                raise StaleReview()
            return self._issue(db, viewer, service, quote, token, now)

    def _issue(self, db, viewer: Viewer, service: ServiceRow, quote: Quote, token: str,
               now: datetime) -> str:
        seq = int(db.execute("SELECT value FROM meta WHERE key = 'invoice_seq'")
                  .fetchone()["value"]) + 1
        db.execute("UPDATE meta SET value = ? WHERE key = 'invoice_seq'", (str(seq),))
        number = f"INV-{seq:06d}"
        client = db.execute("SELECT * FROM clients WHERE email = ?", (viewer.client,)).fetchone()
        paid_now = quote.total == 0 or client["payment_method"] == "card"
        currency, tax = self.catalog.currency, self.catalog.tax
        db.execute(
            "INSERT INTO invoices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, viewer.client, service.id, "Paid" if paid_now else "Unpaid",
             now.isoformat(), now.isoformat() if paid_now else None,
             str(quote.subtotal), str(quote.tax), tax.label if tax.rate else None,
             int(tax.inclusive), str(quote.credit_applied), str(quote.total),
             str(quote.credit_added), computation(quote, currency), token))
        db.execute("INSERT INTO invoice_lines VALUES (?, 1, ?, ?)",
                   (number, line_description(quote), str(quote.subtotal)))
        balance = Decimal(client["credit"]) - quote.credit_applied + quote.credit_added
        db.execute("UPDATE clients SET credit = ? WHERE email = ?",
                   (str(currency.round(balance)), viewer.client))
        db.execute("UPDATE services SET version = version + 1 WHERE id = ?", (service.id,))

        change = (service.id, number, quote.new_plan.id, quote.new_cycle,
                  quote.next_due.isoformat())
        insert = "INSERT INTO changes (service, invoice, plan, cycle, next_due, state, effective) " \
                 "VALUES (?, ?, ?, ?, ?, ?, ?)"
        if quote.timing == "next_renewal":
            effective = datetime.combine(quote.effective, datetime.min.time())
            db.execute(insert, change + ("scheduled", effective.isoformat()))
        elif quote.net <= 0:
            db.execute(insert, change + ("provisioning", now.isoformat()))
        elif paid_now:
            delay = timedelta(minutes=self.catalog.settings.provisioning_delay_minutes)
            db.execute(insert, change + ("provisioning", (now + delay).isoformat()))
        else:
            db.execute(insert, change + ("awaiting_payment", None))
        self._apply_due_changes(db, now)
        return number

    def pay_invoice(self, number: str) -> None:
        """A bank transfer arrives for the invoice (control API)."""
        with self.transaction() as db:
            row = db.execute("SELECT * FROM invoices WHERE number = ?", (number,)).fetchone()
            if row is None:
                raise NotFound(f"no invoice {number}")
            if row["status"] == "Paid":
                raise Refused(f"invoice {number} is already Paid", 400)
            now = self._clock
            db.execute("UPDATE invoices SET status = 'Paid', paid = ? WHERE number = ?",
                       (now.isoformat(), number))
            delay = timedelta(minutes=self.catalog.settings.provisioning_delay_minutes)
            db.execute(
                "UPDATE changes SET state = 'provisioning', effective = ? "
                "WHERE invoice = ? AND state = 'awaiting_payment'",
                ((now + delay).isoformat(), number))
            self._apply_due_changes(db, now)

    # --- invoices -----------------------------------------------------------------

    def invoices(self, viewer: Viewer) -> list[sqlite3.Row]:
        with self.reading() as db:
            return db.execute("SELECT * FROM invoices WHERE client = ? ORDER BY number DESC",
                              (viewer.client,)).fetchall()

    def invoice(self, viewer: Viewer, number: str) -> tuple[sqlite3.Row, list[sqlite3.Row]]:
        with self.reading() as db:
            row = db.execute("SELECT * FROM invoices WHERE number = ? AND client = ?",
                             (number, viewer.client)).fetchone()
            if row is None:
                raise NotFound(f"No invoice {number} on this account.")
            lines = db.execute("SELECT * FROM invoice_lines WHERE invoice = ? ORDER BY position",
                               (number,)).fetchall()
            return row, lines

    # --- control API state (SPEC §4) -------------------------------------------------

    def state(self) -> dict:
        with self.reading() as db:
            services = []
            for row in db.execute(SERVICES_WITH_PENDING + "ORDER BY s.id").fetchall():
                svc = self._service_row(row)
                pending = self._pending_change(row)
                services.append({
                    "id": svc.id, "client": svc.client, "plan": svc.plan.id, "cycle": svc.cycle,
                    "price": str(svc.price), "status": svc.status,
                    "next_due": svc.next_due.isoformat(),
                    "pending_change": None if pending is None else {
                        "plan": pending.plan.id, "cycle": pending.cycle,
                        "effective": _moment(pending.effective),
                        "state": pending.state, "invoice": pending.invoice,
                    },
                })
            return {
                "now": self.now().isoformat(),
                "clients": [{"email": r["email"], "credit": r["credit"]} for r in
                            db.execute("SELECT * FROM clients ORDER BY rowid").fetchall()],
                "services": services,
                "invoices": [{
                    "number": r["number"], "client": r["client"], "service": r["service"],
                    "status": r["status"], "subtotal": r["subtotal"], "tax": r["tax"],
                    "credit_applied": r["credit_applied"], "total": r["total"],
                } for r in db.execute("SELECT * FROM invoices ORDER BY number").fetchall()],
            }


def _viewer_from(row) -> Viewer:
    return Viewer(row["email"], row["client"], bool(row["can_change_plans"]))


def _moment(when: datetime | None) -> str | None:
    """A date when the moment is midnight (a renewal date), else the date-time."""
    if when is None:
        return None
    if when.time() == datetime.min.time():
        return when.date().isoformat()
    return when.isoformat()
