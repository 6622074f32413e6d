"""Scenario files (SPEC §3): parse, validate as a whole, and describe the error.

A scenario is refused as a whole: the first problem found is reported with the
key and the entry it belongs to, e.g. ``services[0] (id 1001): plan: 'gold' is
not one of the plans``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from . import limits
from .billing import CURRENCIES, CYCLE_MONTHS, Plan, Settings, Tax, current_period
from .safe_yaml import MAX_TEXT_BYTES, TextError, load_text
# ScenarioError, parse_now, shown and key_name are used through this module too.
from .scenario_fields import (  # noqa: F401
    ScenarioError, amount, calendar_date, choice, flag, key_name, listed, mapping_keys, parse_now,
    shown, text)

SAMPLE_PATH = Path(__file__).with_name("sample_scenario.yaml")

STATUSES = ("Active", "Pending", "Suspended", "Cancelled", "Terminated")
PAYMENT_METHODS = ("card", "bank_transfer")
DOWNGRADE_TIMINGS = ("immediate", "next_renewal")
LOCALES = ("en", "ja")  # the portal's languages (SPEC §5): simulator/translations/
THEMES = ("default", "classic")  # the portal's templates (SPEC §5.1): simulator/themes.py


@dataclass(frozen=True)
class User:
    email: str
    password: str
    can_change_plans: bool = True


@dataclass(frozen=True)
class Client:
    email: str
    password: str
    name: str
    credit: Decimal
    payment_method: str
    users: tuple[User, ...] = ()


@dataclass(frozen=True)
class Service:
    id: int
    client: str
    plan: str
    cycle: str
    status: str
    next_due: date
    plan_change_allowed: bool = True
    allowed_targets: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Scenario:
    now: datetime
    currency: str
    tax: Tax
    settings: Settings
    plans: tuple[Plan, ...]
    clients: tuple[Client, ...]
    services: tuple[Service, ...]
    locale: str | None = None  # en | ja; None: the scenario names none
    theme: str | None = None  # default | classic; None: the scenario names none
    source: dict = field(default_factory=dict, compare=False, repr=False)


def parse_text(text: str | bytes, origin: str = "scenario") -> dict:
    """YAML or JSON text to a mapping (JSON is a subset of YAML), within the
    bounds of `safe_yaml` (size, nesting, aliases, duplicate keys)."""
    try:
        data = load_text(text)
    except TextError as exc:
        raise ScenarioError(f"{origin}: {exc}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{origin}: expected a mapping with plans, clients and services")
    return data


def load_file(path: str | Path) -> Scenario:
    path = Path(path)
    name = str(path) if str(path).isprintable() else repr(str(path))
    try:
        if not path.exists():
            raise ScenarioError(f"scenario file not found: {name}")
        if not path.is_file():  # a folder, a FIFO, /dev/zero: nothing to read to the end
            raise ScenarioError(f"scenario file {name} is not a regular file")
        with path.open("rb") as handle:
            data = handle.read(MAX_TEXT_BYTES + 1)  # one byte more says "too big"
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario file {name}: {exc.strerror or exc}") from None
    return from_mapping(parse_text(data, name))


def load_sample() -> Scenario:
    return load_file(SAMPLE_PATH)


# --- the whole file -----------------------------------------------------------

TOP_KEYS = {"now", "locale", "theme", "currency", "tax", "settings", "plans", "clients", "services"}


def from_mapping(data: dict) -> Scenario:
    data = mapping_keys(data, TOP_KEYS, {"plans", "clients", "services"}, "")
    now = parse_now(data.get("now", "2026-03-17T09:00:00"))
    locale = data.get("locale")  # None: the portal's default language (SPEC §2 --locale)
    if locale is not None:
        locale = choice(locale, LOCALES, "", "locale")
    theme = data.get("theme")  # None: the portal's default template (SPEC §2 --theme)
    if theme is not None:
        theme = choice(theme, THEMES, "", "theme")
    code = choice(data.get("currency", "USD"), tuple(CURRENCIES), "", "currency")
    decimals = CURRENCIES[code].decimals
    tax = _tax(data.get("tax", {}))
    settings = _settings(data.get("settings", {}))
    plans = _plans(listed(data["plans"], "", "plans", limits.MAX_PLANS), decimals)
    clients = _clients(listed(data["clients"], "", "clients", limits.MAX_CLIENTS), decimals)
    services = _services(listed(data["services"], "", "services", limits.MAX_SERVICES), plans,
                         clients, now)
    return Scenario(now, code, tax, settings, plans, clients, services, locale=locale,
                    theme=theme, source=data)


def _tax(raw) -> Tax:
    raw = mapping_keys(raw if raw is not None else {}, {"name", "rate", "inclusive"}, set(), "tax")
    rate = amount(raw.get("rate", "10"), "tax", "rate")
    if rate >= 100:
        raise ScenarioError(f"tax: rate: {shown(raw.get('rate'))} must be below 100 (percent)")
    places = limits.TAX_RATE_DECIMALS
    if rate != rate.quantize(Decimal(1).scaleb(-places)):
        raise ScenarioError(
            f"tax: rate: {shown(raw.get('rate'))} has more than {places} decimal places")
    return Tax(
        name=text(raw.get("name", "Tax"), "tax", "name"),
        rate=rate,
        inclusive=flag(raw.get("inclusive", False), "tax", "inclusive"),
    )


def _settings(raw) -> Settings:
    keys = {"downgrade_timing", "credit_on_downgrade", "apply_credit_automatically",
            "provisioning_delay_minutes"}
    raw = mapping_keys(raw if raw is not None else {}, keys, set(), "settings")
    delay = raw.get("provisioning_delay_minutes", 0)
    most = limits.MAX_PROVISIONING_DELAY_MINUTES
    if isinstance(delay, bool) or not isinstance(delay, int) or not 0 <= delay <= most:
        raise ScenarioError(
            f"settings: provisioning_delay_minutes: expected a whole number of minutes "
            f"from 0 to {most:,} (a year), got {shown(delay)}"
        )
    return Settings(
        downgrade_timing=choice(raw.get("downgrade_timing", "immediate"), DOWNGRADE_TIMINGS,
                                 "settings", "downgrade_timing"),
        credit_on_downgrade=flag(raw.get("credit_on_downgrade", True), "settings",
                                  "credit_on_downgrade"),
        apply_credit_automatically=flag(raw.get("apply_credit_automatically", True), "settings",
                                         "apply_credit_automatically"),
        provisioning_delay_minutes=delay,
    )


def _plans(raw: list, decimals: int) -> tuple[Plan, ...]:
    if not raw:
        raise ScenarioError("plans: at least one plan is needed")
    plans, seen = [], set()
    for index, item in enumerate(raw):
        entry = f"plans[{index}]"
        item = mapping_keys(item, {"id", "name", "prices"}, {"id", "name", "prices"}, entry)
        plan_id = text(item["id"], entry, "id")
        entry = f"plans[{index}] ({plan_id})"
        if plan_id in seen:
            raise ScenarioError(f"{entry}: id: {plan_id!r} is used twice")
        seen.add(plan_id)
        prices_raw = item["prices"]
        if not isinstance(prices_raw, dict) or not prices_raw:
            raise ScenarioError(f"{entry}: prices: expected a mapping of cycle to price")
        prices = {}
        for cycle, price in prices_raw.items():
            choice(cycle, tuple(CYCLE_MONTHS), entry, "prices")
            prices[cycle] = amount(price, entry, f"prices.{cycle}", decimals)
        plans.append(Plan(plan_id, text(item["name"], entry, "name"), index, prices))
    return tuple(plans)


def _clients(raw: list, decimals: int) -> tuple[Client, ...]:
    clients, emails = [], set()
    for index, item in enumerate(raw):
        entry = f"clients[{index}]"
        item = mapping_keys(item, {"email", "password", "name", "credit", "payment_method", "users"},
                     {"email", "password"}, entry)
        email = _email(item["email"], entry)
        entry = f"clients[{index}] ({email})"
        if email in emails:
            raise ScenarioError(f"{entry}: email: {email!r} is used twice")
        emails.add(email)
        users = []
        for uindex, uitem in enumerate(listed(item.get("users", []), entry, "users",
                                             limits.MAX_USERS_PER_CLIENT)):
            uentry = f"{entry} users[{uindex}]"
            uitem = mapping_keys(uitem, {"email", "password", "can_change_plans"}, {"email", "password"},
                          uentry)
            uemail = _email(uitem["email"], uentry)
            if uemail in emails:
                raise ScenarioError(f"{uentry}: email: {uemail!r} is used twice")
            emails.add(uemail)
            users.append(User(uemail, text(uitem["password"], uentry, "password"),
                              flag(uitem.get("can_change_plans", True), uentry,
                                    "can_change_plans")))
        clients.append(Client(
            email=email,
            password=text(item["password"], entry, "password"),
            name=text(item.get("name", email.split("@")[0]), entry, "name"),
            credit=amount(item.get("credit", "0"), entry, "credit", decimals),
            payment_method=choice(item.get("payment_method", "card"), PAYMENT_METHODS, entry,
                                   "payment_method"),
            users=tuple(users),
        ))
    return tuple(clients)


def _email(value, entry: str) -> str:
    email = text(value, entry, "email", limits.MAX_EMAIL_CHARS).lower()
    if "@" not in email or " " in email:
        raise ScenarioError(f"{entry}: email: {shown(value)} is not an email address")
    return email


def _plan_ref(value) -> str | None:
    """A plan named in a service: its id as text (`plan: 2` names plan "2")."""
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    return None


def _services(raw: list, plans: tuple[Plan, ...], clients: tuple[Client, ...],
              now: datetime) -> tuple[Service, ...]:
    by_id = {p.id: p for p in plans}
    client_emails = {c.email for c in clients}
    services, ids = [], set()
    for index, item in enumerate(raw):
        entry = f"services[{index}]"
        item = mapping_keys(item, {"id", "client", "plan", "cycle", "status", "next_due",
                            "plan_change_allowed", "allowed_targets"},
                     {"id", "client", "plan", "cycle", "next_due"}, entry)
        sid = item["id"]
        if isinstance(sid, bool) or not isinstance(sid, int) or not 0 < sid <= limits.MAX_ID:
            raise ScenarioError(f"{entry}: id: expected a whole number from 1 to "
                                f"{limits.MAX_ID} (64-bit), got {shown(sid)}")
        entry = f"services[{index}] (id {sid})"
        if sid in ids:
            raise ScenarioError(f"{entry}: id: {sid} is used twice")
        ids.add(sid)
        client = item["client"].lower() if isinstance(item["client"], str) else None
        if client not in client_emails:
            raise ScenarioError(
                f"{entry}: client: {shown(item['client'])} is not one of the clients")
        plan_id = _plan_ref(item["plan"])
        if plan_id not in by_id:
            raise ScenarioError(f"{entry}: plan: {shown(item['plan'])} is not one of the plans")
        cycle = choice(item["cycle"], tuple(CYCLE_MONTHS), entry, "cycle")
        if cycle not in by_id[plan_id].prices:
            raise ScenarioError(
                f"{entry}: cycle: plan {plan_id!r} has no {cycle} price "
                f"(it prices {', '.join(by_id[plan_id].cycles())})"
            )
        targets = item.get("allowed_targets")
        if targets is not None:
            given_targets = listed(targets, entry, "allowed_targets", limits.MAX_PLANS)
            targets = tuple(_plan_ref(t) for t in given_targets)
            for target, given in zip(targets, given_targets):
                if target not in by_id:
                    raise ScenarioError(
                        f"{entry}: allowed_targets: {shown(given)} is not one of the plans")
                if target == plan_id:
                    raise ScenarioError(
                        f"{entry}: allowed_targets: {target!r} is the service's current plan")
        next_due = calendar_date(item["next_due"], entry, "next_due")
        begins = current_period(next_due, cycle, now.date()).start
        if begins > now.date():  # overdue is fine: the portal asks for the renewal first
            raise ScenarioError(
                f"{entry}: next_due: {next_due} is more than one {cycle} cycle after now "
                f"({now.date()}): its period would begin on {begins}, which has not come")
        services.append(Service(
            id=sid, client=client, plan=plan_id, cycle=cycle,
            status=choice(item.get("status", "Active"), STATUSES, entry, "status"),
            next_due=next_due,
            plan_change_allowed=flag(item.get("plan_change_allowed", True), entry,
                                      "plan_change_allowed"),
            allowed_targets=targets,
        ))
    return tuple(services)
