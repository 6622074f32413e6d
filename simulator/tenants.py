"""Tenants (SPEC §4.1): isolated accounts living side by side in one running portal.

A tenant is a whole scenario in a store of its own (in memory): its own clock,
catalog, clients, services and invoices. The default tenant is the app's store,
the one `/__sim__/scenario` replaces. Logins, service ids and invoice numbers are
unique in the whole portal, so a login finds its tenant by its email alone, and
no tenant can name another's service or invoice: its store does not hold them.
"""
from __future__ import annotations

import ctypes
import dataclasses
import gc
import json
import threading
from dataclasses import dataclass
from typing import Callable

from .storage.records import Viewer
from .rules import NotFound, Problem, Refused
from .scenario import Scenario
from .storage.store import Store
from .storage.tables import hash_passwords

# Tenant service ids are BASE + number × 1000 + position (t42's first is 1000042001):
# above the ids hand-written scenarios use, so the default tenant keeps its own.
SERVICE_ID_BASE = 10**9
SERVICES_PER_TENANT = 999
DEFAULT_LIMIT = 1000

# Memory is budgeted on what a scenario expands to, not on its text: a YAML alias of a
# 200-character name repeated 10,000 times is a few lines, and 2 MB once stored. A
# tenant's cost is TENANT_BASE_BYTES + EXPANDED_FACTOR x the bytes of its scenario written
# out in full (JSON, aliases expanded). Measured on this machine (RSS, glibc): the sample
# scenario (976 bytes expanded) 140 KB a tenant; one near the loader's bounds (1.22 MB
# expanded: 1,000 clients, 999 services, texts at their longest) 3.9 MB, 3.2x.
TENANT_BASE_BYTES = 160 * 1024
EXPANDED_FACTOR = 4
# What all live tenants may cost together: with the default's and the server's own
# ~80 MB, `portal-sim serve --testing` stays within the 512 MB the README states. The
# count cap fits in it too (1,000 x 160 KB = 160 MB).
DEFAULT_MEMORY_LIMIT = 384 * 1024 * 1024
# Freed tenant memory handed back to the system (malloc_trim) once this much has gone:
# without it glibc keeps the freed heap, and RSS never comes down after deletions.
TRIM_EVERY_BYTES = 16 * 1024 * 1024
# ... and when the last tenant goes, once this much was freed: a full collection costs about
# 0.1 s, which a suite deleting its one small tenant after every scenario must not pay.
TRIM_AT_LAST_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Seeded:
    """A new tenant's id and the real logins and service ids its scenario's names got."""

    tenant: str
    logins: dict[str, str]
    services: dict[int, int]

    def answer(self) -> dict:
        return {"tenant": self.tenant, "logins": dict(self.logins),
                "services": {str(given): real for given, real in self.services.items()}}


def tenant_email(email: str, tenant: str) -> str:
    """alice@example.com in t42 logs in as alice+t42@example.com."""
    local, _, domain = email.rpartition("@")
    return f"{local}+{tenant}@{domain}"


def _every_login(scn: Scenario):
    """(where, email) of every client and extra user, `where` naming its scenario key."""
    for index, client in enumerate(scn.clients):
        entry = f"clients[{index}] ({client.email})"
        yield entry, client.email
        for uindex, user in enumerate(client.users):
            yield f"{entry} users[{uindex}] ({user.email})", user.email


def _renamed(scn: Scenario, number: int) -> tuple[Scenario, Seeded]:
    """The scenario with the portal's real emails and service ids for tenant t<number>."""
    tenant = f"t{number}"
    logins = {email: tenant_email(email, tenant) for _, email in _every_login(scn)}
    ids = {svc.id: SERVICE_ID_BASE + number * 1000 + position
           for position, svc in enumerate(scn.services, start=1)}
    clients = tuple(
        dataclasses.replace(client, email=logins[client.email], users=tuple(
            dataclasses.replace(user, email=logins[user.email]) for user in client.users))
        for client in scn.clients)
    services = tuple(dataclasses.replace(svc, id=ids[svc.id], client=logins[svc.client])
                     for svc in scn.services)
    renamed = dataclasses.replace(scn, clients=clients, services=services)
    return renamed, Seeded(tenant, logins, ids)


@dataclass(frozen=True)
class Login:
    """A password found right: the user, the store that holds it and the scenario load
    (generation) it was checked against."""

    viewer: Viewer
    store: Store
    load: str


def expanded_size(scn: Scenario) -> int:
    """The bytes of the scenario written out in full: every alias expanded."""
    return len(json.dumps(scn.source, default=str, ensure_ascii=False).encode())


def memory_cost(scn: Scenario) -> int:
    """What a tenant of `scn` is budgeted to hold in memory (see TENANT_BASE_BYTES)."""
    return TENANT_BASE_BYTES + EXPANDED_FACTOR * expanded_size(scn)


def _give_back_freed_memory() -> None:
    """Hand the heap glibc kept after frees back to the system; a no-op elsewhere."""
    gc.collect()  # an SQLite connection sits in reference cycles: freed only by the collector
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: its allocator decides


class Tenants:
    """The default tenant and the ones seeded through the control API, by id and by login."""

    def __init__(self, default: Store, limit: int = DEFAULT_LIMIT,
                 memory_limit: int = DEFAULT_MEMORY_LIMIT,
                 end_sessions: Callable[[str], None] = lambda load: None):
        self.default = default
        # Called with a scenario load's generation when that load is replaced or its
        # tenant deleted, under the registry's lock: its sessions end with it.
        self.end_sessions = end_sessions
        self.limit = limit
        self.memory_limit = memory_limit
        self._memory = 0  # what the live tenants are budgeted to hold (memory_cost)
        self._freed = 0   # budgeted bytes deleted since memory was last given back
        self._lock = threading.Lock()
        self._stores: dict[str, Store] = {}
        self._seeded: dict[str, Seeded] = {}
        self._sizes: dict[str, int] = {}
        self._logins: dict[str, str] = {}  # real email -> tenant id
        self._services: dict[int, str] = {}  # real service id -> tenant id
        self._next = 1  # never reused while the portal runs: a deleted id stays dead

    def __len__(self) -> int:
        return len(self._stores)

    # --- seeding and removing ------------------------------------------------------

    def create(self, scn: Scenario) -> Seeded:
        """Seed a tenant from `scn`."""
        if len(scn.services) > SERVICES_PER_TENANT:
            raise Refused(f"services: a tenant holds at most {SERVICES_PER_TENANT} services, "
                          f"this scenario has {len(scn.services)}")
        size = memory_cost(scn)
        if size > self.memory_limit:
            raise Refused(f"this scenario expands to more memory ({size:,} bytes budgeted) "
                          f"than all tenants together may hold ({self.memory_limit:,})")
        # Before taking the registry's lock: hashing is the slow part of seeding, and
        # creations may run it side by side.
        hashes = hash_passwords(scn, self.default.password_method)
        with self._lock:
            if len(self._stores) >= self.limit:
                raise Refused(f"the portal already holds {self.limit} tenants, its limit: "
                              f"delete some (DELETE /__sim__/tenants/<id>) first",
                              Problem.CONFLICT)
            if self._memory + size > self.memory_limit:
                raise Refused(f"the tenants would exceed {self.memory_limit:,} bytes of memory "
                              f"in all (this one is budgeted {size:,}, as its scenario "
                              f"expands), the portal's limit: delete some tenants first",
                              Problem.CONFLICT)
            renamed, seeded = self._unclaimed_names(scn)
            store = Store(None, invoice_prefix=f"INV-{seeded.tenant.upper()}-",
                          password_method=self.default.password_method)
            store.load_scenario(renamed, hashes)
            self._stores[seeded.tenant], self._seeded[seeded.tenant] = store, seeded
            self._sizes[seeded.tenant] = size
            self._memory += size
            self._logins.update(dict.fromkeys(seeded.logins.values(), seeded.tenant))
            self._services.update(dict.fromkeys(seeded.services.values(), seeded.tenant))
        return seeded

    def _unclaimed_names(self, scn: Scenario) -> tuple[Scenario, Seeded]:
        """The next tenant number whose logins and ids the default tenant does not use
        (tenants never clash with each other: their suffixes and id ranges differ)."""
        emails, ids = self.default.login_emails(), self.default.service_ids()
        while True:
            number, self._next = self._next, self._next + 1
            renamed, seeded = _renamed(scn, number)
            if emails.isdisjoint(seeded.logins.values()) and ids.isdisjoint(
                    seeded.services.values()):
                return renamed, seeded

    def delete(self, tenant: str) -> None:
        with self._lock:
            # Its sessions end first: a disk that refuses that write leaves the tenant whole.
            self.end_sessions(self.get(tenant).catalog.generation)
            store = self._stores.pop(tenant)
            seeded = self._seeded.pop(tenant)
            size = self._sizes.pop(tenant)
            self._memory -= size
            for email in seeded.logins.values():
                del self._logins[email]
            for service in seeded.services.values():
                del self._services[service]
            self._freed += size
            # Every TRIM_EVERY_BYTES, and when the last tenant goes having freed a few MB.
            trim = self._freed >= TRIM_EVERY_BYTES or (not self._stores and self._freed >= TRIM_AT_LAST_BYTES)
            if trim:
                self._freed = 0
        # Not closed here: a request of that tenant may still be running on it; the last
        # reference gone, the collector frees it and its SQLite memory.
        del store
        if trim:
            _give_back_freed_memory()

    def replace_default(self, scn: Scenario) -> None:
        """Load a new whole-world scenario into the default tenant, leaving the others be;
        refused if it would take a login or a service id that a tenant holds."""
        hashes = hash_passwords(scn, self.default.password_method)
        with self._lock:
            for where, email in _every_login(scn):
                if email in self._logins:
                    raise Refused(f"{where}: email: tenant {self._logins[email]} holds this "
                                  f"login; delete that tenant first", Problem.CONFLICT)
            for index, svc in enumerate(scn.services):
                if svc.id in self._services:
                    raise Refused(f"services[{index}] (id {svc.id}): id: tenant "
                                  f"{self._services[svc.id]} holds this service id; delete "
                                  f"that tenant first", Problem.CONFLICT)
            self.end_sessions(self.default.catalog.generation)
            self.default.load_scenario(scn, hashes)

    # --- finding a tenant ------------------------------------------------------------

    def get(self, tenant: str) -> Store:
        store = self._stores.get(tenant)
        if store is None:
            raise NotFound(f"no tenant {tenant!r}")
        return store

    def store_for(self, email: str) -> Store | None:
        """The store of the tenant this login belongs to, or None if none has it."""
        tenant = self._logins.get(email)
        if tenant is not None:
            return self._stores.get(tenant)  # None if deleted a moment ago
        return self.default if self.default.viewer(email) else None

    def load_of(self, email: str) -> str:
        """The scenario load a login belongs to (an unknown one: the default's), which
        the login throttle counts within."""
        return (self.store_for(email) or self.default).catalog.generation

    def authenticate(self, email: str, password: str) -> Login | None:
        """The user, in whichever tenant has the login, if the password is right. An
        unknown email goes to the default tenant, which spends the same time refusing it."""
        store = self.store_for(email.strip().lower()) or self.default
        load = store.catalog.generation
        viewer = store.authenticate(email, password)
        return None if viewer is None else Login(viewer, store, load)

    def start_session(self, login: Login, start: Callable[[str, str], str]) -> str | None:
        """`start(email, load)` run under the registry's lock if the account the password
        was checked against is still there, in the same load: a login racing a DELETE or
        a new scenario never leaves a session behind. None otherwise."""
        with self._lock:
            if (self.store_for(login.viewer.email) is not login.store
                    or login.store.catalog.generation != login.load):
                return None
            return start(login.viewer.email, login.load)

    def viewer(self, email: str, load: str) -> tuple[Store, Viewer] | None:
        """The store and user of a session of `email` in `load`, if that load still holds
        the account; None once the tenant is gone or the scenario replaced."""
        store = self.store_for(email)
        if store is None or store.catalog.generation != load:
            return None
        viewer = store.viewer(email)
        return None if viewer is None else (store, viewer)
