"""The portal's records as typed values: what the store reads and the views,
templates and PDF show. No Flask, no SQL; the states are enums, not loose strings."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from ..billing import Currency, Plan, Settings, Tax
from ..marks import N_


class ChangeState(StrEnum):
    """Where a plan change is on its way (SPEC §6.10)."""

    AWAITING_PAYMENT = "awaiting_payment"
    PROVISIONING = "provisioning"
    SCHEDULED = "scheduled"
    APPLIED = "applied"  # kept for the record


class InvoiceStatus(StrEnum):
    PAID = N_("Paid")
    UNPAID = N_("Unpaid")


class ServiceStatus(StrEnum):
    ACTIVE = N_("Active")
    PENDING = N_("Pending")
    SUSPENDED = N_("Suspended")
    CANCELLED = N_("Cancelled")
    TERMINATED = N_("Terminated")


class PaymentMethod(StrEnum):
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"


@dataclass(frozen=True)
class Catalog:
    """The scenario's unchanging part: money, tax, settings and plans."""

    currency: Currency
    tax: Tax
    settings: Settings
    plans: dict[str, Plan]
    generation: str
    locale: str | None = None  # None: the scenario names none; the portal's default then
    theme: str | None = None  # likewise (SPEC §5.1)

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
class Client:
    email: str
    name: str
    credit: Decimal
    payment_method: PaymentMethod


@dataclass(frozen=True)
class ServiceRow:
    id: int
    client: str
    plan: Plan
    cycle: str
    status: ServiceStatus
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
    state: ChangeState  # never APPLIED: an applied change is no longer pending
    effective: datetime | None
    invoice: str


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    amount: Decimal


@dataclass(frozen=True)
class Invoice:
    number: str
    client: str
    service: int
    status: InvoiceStatus
    issued: datetime
    paid: datetime | None
    subtotal: Decimal
    tax: Decimal
    tax_label: str | None  # None: no tax row (the rate was 0)
    tax_inclusive: bool
    credit_applied: Decimal
    total: Decimal
    credit_added: Decimal
    computation: str


@dataclass(frozen=True)
class InvoiceWords:
    """What an invoice says in words, written once when it is issued, in the language
    of the screen that issued it: the view writes them (wording.invoice_words), the
    store keeps them."""

    description: str        # the invoice line
    computation: str        # how the subtotal was computed
    tax_label: str | None   # the tax row's header; None: no tax row


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
