"""The portal's state in SQLite, and the operations that change it.

One connection serves the whole process, guarded by a lock: every operation
is one transaction, so a Submit either issues its invoice, moves the balance
and records the change together, or does nothing. In memory by default; a
file (``--db``) survives restarts.
"""
from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Callable

from werkzeug.security import check_password_hash

from .. import limits, rules
from .. import scenario as scenario_mod
from ..billing import CURRENCIES, Currency, Plan, Quote, Tax
from ..marks import N_
from ..rules import NotFound, Refused, StaleReview
from . import dbfile
from .records import (Catalog, ChangeState, Client, Invoice, InvoiceLine, InvoiceStatus,
                      InvoiceWords, PendingChange, QuoteBasis, ServiceRow, Viewer)
from .state_json import state_document
from .tables import (SCHEMA, SERVICES_WITH_PENDING, STATE_TABLES, client_from, invoice_from,
                     hash_passwords, line_from, load_method, password_hash, pending_from,
                     service_from, viewer_from, write_scenario, PASSWORD_METHOD)


class Store:
    def __init__(self, path: str | None = None, invoice_prefix: str = "INV-",
                 password_method: str = PASSWORD_METHOD):
        self.path = path
        self.password_method = password_method  # tables.PASSWORD_METHOD, or the testing one
        # Invoice numbers are unique in the portal: each tenant numbers with its own prefix.
        self.invoice_prefix = invoice_prefix
        self._lock = threading.RLock()
        if path:
            dbfile.check_own(Path(path))  # ForeignFile: another program's file, untouched
            dbfile.create_private(Path(path))
        self._conn = sqlite3.connect(
            path or ":memory:", check_same_thread=False, isolation_level=None
        )
        self._conn.row_factory = sqlite3.Row
        if path:
            self._conn.execute(f"PRAGMA application_id = {dbfile.APPLICATION_ID}")
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(SCHEMA)
        # What every request reads and only a new scenario or the clock changes is
        # kept in memory too, written through on change: no query per request for it.
        self.catalog: Catalog | None = None
        self._clock: datetime | None = None
        self._viewers: dict[str, Viewer] = {}
        # What an unknown email's refusal hashes with: the load's method, so that it
        # costs what a known one's does.
        self._dummy_method = password_method
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
        """All or nothing; a write the disk refuses is a StorageFailure (SPEC §8)."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                # SQLite has already rolled back after some errors (a full disk).
                if self._conn.in_transaction:
                    try:
                        self._conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the disk failing again: the first error is the one to tell
                failure = (dbfile.storage_failure(exc)
                           if isinstance(exc, sqlite3.OperationalError) else None)
                if failure is not None:
                    raise failure from exc
                raise

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
            plans={p.id: p for p in scn.plans}, generation=generation, locale=scn.locale,
            theme=scn.theme,
        )

    # --- scenario and clock ------------------------------------------------------

    def load_scenario(self, scn: scenario_mod.Scenario,
                      hashes: dict[str, str] | None = None) -> None:
        """Replace the whole state with the scenario's (`hashes`: its passwords hashed
        already, tables.hash_passwords)."""
        generation = secrets.token_hex(8)
        if hashes is None:  # the slow part, before taking the lock
            hashes = hash_passwords(scn, self.password_method)
        with self._lock:
            with self.transaction() as db:
                for table in STATE_TABLES:
                    db.execute(f"DELETE FROM {table}")
                db.execute("DELETE FROM meta WHERE key NOT IN ('secret_key')")
                write_scenario(db, scn, generation, self.password_method, hashes)
                viewers = self._load_viewers(db)
            # Committed, and still under the lock: no reader sees new tables with old memory.
            self.catalog = self._catalog_from(scn, generation)
            self._clock, self._viewers = scn.now, viewers
            self._dummy_method = load_method(scn, self.password_method)

    def now(self) -> datetime:
        return self._clock

    def advance_clock(self, delta: timedelta) -> None:
        """Move the clock on by `delta` from where it is, under the lock: concurrent
        advances add up (SPEC §8)."""
        with self._lock:
            self.set_clock(self._clock + delta)

    def set_clock(self, when: datetime) -> None:
        """Move the clock forward and apply every change that is due by then."""
        with self._lock:
            with self.transaction() as db:
                now = self._clock
                if when < now:
                    raise Refused(f"the clock never goes backwards: it is {now.isoformat()}, "
                                  f"{when.isoformat()} is earlier")
                if when.date() > limits.LATEST_DATE:  # past it, renewals overflow the calendar
                    raise Refused(f"the clock cannot move to {when.isoformat()}: "
                                  f"{limits.LATEST_DATE} is the last day the portal holds")
                db.execute("UPDATE meta SET value = ? WHERE key = 'now'", (when.isoformat(),))
                self._apply_due_changes(db, when)
            self._clock = when  # committed: now readers may see it

    def _apply_due_changes(self, db, now: datetime) -> None:
        due = db.execute(
            "SELECT * FROM changes WHERE state IN (?, ?) AND effective <= ? "
            "ORDER BY effective, id",
            (ChangeState.PROVISIONING, ChangeState.SCHEDULED, now.isoformat())).fetchall()
        for change in due:
            db.execute(
                "UPDATE services SET plan = ?, cycle = ?, next_due = ?, version = version + 1 "
                "WHERE id = ?", (change["plan"], change["cycle"], change["next_due"],
                                 change["service"]))
            db.execute("UPDATE changes SET state = ? WHERE id = ?",
                       (ChangeState.APPLIED, change["id"]))

    # --- who is logged in ----------------------------------------------------------

    def authenticate(self, email: str, password: str) -> Viewer | None:
        email = email.strip().lower()
        with self.reading() as db:
            row = db.execute("SELECT * FROM users WHERE email = ?", (email,)).fetchone()
        if row is None:
            # The same work as for a known email: refusal time must not tell which exist.
            check_password_hash(password_hash("", self._dummy_method), password)
            return None
        if not check_password_hash(row["password_hash"], password):
            return None
        return viewer_from(row)

    def viewer(self, email: str) -> Viewer | None:
        return self._viewers.get(email)

    def login_emails(self) -> frozenset[str]:
        return frozenset(self._viewers)

    def service_ids(self) -> frozenset[int]:
        with self.reading() as db:
            return frozenset(row["id"] for row in db.execute("SELECT id FROM services"))

    @staticmethod
    def _load_viewers(db) -> dict[str, Viewer]:
        return {row["email"]: viewer_from(row)
                for row in db.execute("SELECT email, client, can_change_plans FROM users")}

    def client(self, email: str) -> Client:
        with self.reading() as db:
            return self._client(db, email)

    @staticmethod
    def _client(db, email: str) -> Client:
        return client_from(db.execute("SELECT * FROM clients WHERE email = ?",
                                      (email,)).fetchone())

    # --- services ----------------------------------------------------------------------

    def _with_pending(self, rows) -> list[tuple[ServiceRow, PendingChange | None]]:
        return [(service_from(r, self.catalog), pending_from(r, self.catalog)) for r in rows]

    def services(self, viewer: Viewer) -> list[tuple[ServiceRow, PendingChange | None]]:
        with self.reading() as db:
            return self._with_pending(db.execute(
                SERVICES_WITH_PENDING + "WHERE s.client = ? ORDER BY s.id", (viewer.client,)))

    def service(self, viewer: Viewer, service_id: int) -> tuple[ServiceRow, PendingChange | None]:
        with self.reading() as db:
            return self._service(db, viewer, service_id)

    def _service(self, db, viewer: Viewer, service_id: int):
        found = self._with_pending(db.execute(
            SERVICES_WITH_PENDING + "WHERE s.id = ? AND s.client = ?", (service_id, viewer.client)))
        if not found:
            raise NotFound(N_("No DNS SERVICE %(id)s on this account."), id=service_id)
        return found[0]

    def targets(self, service: ServiceRow) -> list[Plan]:
        return rules.change_targets(self.catalog.tiers, service)

    def change_options(self, viewer: Viewer, service_id: int):
        """Everything the change page needs, or Refused (not allowed, or a conflict)."""
        with self.reading() as db:
            service, _ = self._changeable(db, viewer, service_id)
            return service, self.targets(service)

    def _changeable(self, db, viewer: Viewer, service_id: int) -> tuple[ServiceRow, datetime]:
        """The service and the clock, if a change may start now; else Refused."""
        service, pending = self._service(db, viewer, service_id)
        now = self._clock
        rules.check_change_may_start(viewer, service, pending, now.date())
        return service, now

    # --- quotes and Submit (SPEC §6) ------------------------------------------------

    def _quote_basis(self, db, viewer: Viewer, service_id: int, plan_id: str,
                     cycle: str) -> QuoteBasis:
        """Everything a quote depends on, read together (under the lock)."""
        service, now = self._changeable(db, viewer, service_id)
        target = rules.chosen_target(self.targets(service), plan_id, cycle)
        balance = Decimal(db.execute("SELECT credit FROM clients WHERE email = ?",
                                     (viewer.client,)).fetchone()["credit"])
        return QuoteBasis(viewer, service, target, cycle, now, balance, self.catalog)

    def quote(self, viewer: Viewer, service_id: int, plan_id: str, cycle: str):
        # Only the reads hold the lock. With the arithmetic inside it, the other
        # server threads queued on the lock while its holder waited for the GIL:
        # under 20 clients the review page cost twice the CPU per request.
        with self.reading() as db:
            basis = self._quote_basis(db, viewer, service_id, plan_id, cycle)
        quote, token = rules.price_change(basis)
        return basis.service, quote, token

    def submit(self, viewer: Viewer, service_id: int, plan_id: str, cycle: str,
               review_token: str,
               words: Callable[[Quote, Currency, Tax], InvoiceWords]) -> str:
        """Issue the invoice for a reviewed change; returns its number.

        `words` writes what the invoice says (the view's language is not the store's
        business). The same review submitted twice returns the first invoice. Figures
        that changed since the review raise StaleReview and change nothing.
        """
        with self.transaction() as db:
            issued = db.execute(
                "SELECT number FROM invoices WHERE review_token = ? AND client = ?",
                (review_token, viewer.client)).fetchone()
            if issued:
                return issued["number"]
            basis = self._quote_basis(db, viewer, service_id, plan_id, cycle)
            quote, token = rules.price_change(basis)
            if token != review_token:
                raise StaleReview()
            return self._issue(db, viewer, basis.service, quote, token, basis.now,
                               words(quote, self.catalog.currency, self.catalog.tax))

    def _issue(self, db, viewer: Viewer, service: ServiceRow, quote: Quote, token: str,
               now: datetime, words: InvoiceWords) -> str:
        seq = int(db.execute("SELECT value FROM meta WHERE key = 'invoice_seq'")
                  .fetchone()["value"]) + 1
        db.execute("UPDATE meta SET value = ? WHERE key = 'invoice_seq'", (str(seq),))
        number = f"{self.invoice_prefix}{seq:06d}"
        client = self._client(db, viewer.client)
        paid = rules.paid_on_issue(quote, client.payment_method)
        currency, tax = self.catalog.currency, self.catalog.tax
        db.execute(
            "INSERT INTO invoices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, viewer.client, service.id, rules.invoice_status(paid),
             now.isoformat(), now.isoformat() if paid else None,
             str(quote.subtotal), str(quote.tax), words.tax_label,
             int(tax.inclusive), str(quote.credit_applied), str(quote.total),
             str(quote.credit_added), words.computation, token))
        db.execute("INSERT INTO invoice_lines VALUES (?, 1, ?, ?)",
                   (number, words.description, str(quote.subtotal)))
        db.execute("UPDATE clients SET credit = ? WHERE email = ?",
                   (str(rules.balance_after(client.credit, quote, currency)), viewer.client))
        db.execute("UPDATE services SET version = version + 1 WHERE id = ?", (service.id,))
        state, effective = rules.change_after_submit(quote, now, paid, self.catalog.settings)
        db.execute(
            "INSERT INTO changes (service, invoice, plan, cycle, next_due, state, effective) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (service.id, number, quote.new_plan.id, quote.new_cycle, quote.next_due.isoformat(),
             state, effective.isoformat() if effective else None))
        self._apply_due_changes(db, now)
        return number

    def pay_invoice(self, number: str) -> None:
        """A bank transfer arrives for the invoice (control API)."""
        with self.transaction() as db:
            row = db.execute("SELECT status FROM invoices WHERE number = ?", (number,)).fetchone()
            if row is None:
                raise NotFound(f"no invoice {number}")
            rules.check_payable(number, InvoiceStatus(row["status"]))
            now = self._clock
            db.execute("UPDATE invoices SET status = ?, paid = ? WHERE number = ?",
                       (InvoiceStatus.PAID, now.isoformat(), number))
            db.execute(
                "UPDATE changes SET state = ?, effective = ? WHERE invoice = ? AND state = ?",
                (ChangeState.PROVISIONING,
                 rules.provisioning_done(now, self.catalog.settings).isoformat(),
                 number, ChangeState.AWAITING_PAYMENT))
            self._apply_due_changes(db, now)

    # --- invoices -----------------------------------------------------------------

    def invoices(self, viewer: Viewer) -> list[Invoice]:
        with self.reading() as db:
            return [invoice_from(r) for r in db.execute(
                "SELECT * FROM invoices WHERE client = ? ORDER BY number DESC", (viewer.client,))]

    def invoice(self, viewer: Viewer, number: str) -> tuple[Invoice, list[InvoiceLine]]:
        with self.reading() as db:
            row = db.execute("SELECT * FROM invoices WHERE number = ? AND client = ?",
                             (number, viewer.client)).fetchone()
            if row is None:
                raise NotFound(N_("No invoice %(number)s on this account."), number=number)
            lines = db.execute("SELECT * FROM invoice_lines WHERE invoice = ? ORDER BY position",
                               (number,))
            return invoice_from(row), [line_from(r) for r in lines]

    # --- control API state (SPEC §4) -------------------------------------------------

    def state(self) -> dict:
        with self.reading() as db:
            return state_document(
                self.now(),
                [client_from(r) for r in db.execute("SELECT * FROM clients ORDER BY rowid")],
                self._with_pending(db.execute(SERVICES_WITH_PENDING + "ORDER BY s.id")),
                [invoice_from(r) for r in db.execute("SELECT * FROM invoices ORDER BY number")])
