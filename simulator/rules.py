"""The portal's rules (SPEC §5.4, §6.10): who may change what, and what a
Submit or a payment sets in motion. Pure like billing.py: no Flask, no SQL;
the store reads the state, asks these functions, and writes what they decide.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum

from .billing import Currency, Plan, Quote, QuoteError, Settings, quote_change
from .marks import N_
from .storage.records import (ChangeState, InvoiceStatus, PaymentMethod, PendingChange, QuoteBasis,
                      ServiceRow, ServiceStatus, Viewer)


class Problem(Enum):
    """Why a request is refused, in the domain's terms; the web layer picks the status."""

    NOT_FOUND = "not_found"  # no such thing for this user (another client's included)
    INVALID = "invalid"  # the request itself is wrong: a choice, a field, a clock move
    NOT_ALLOWED = "not_allowed"  # this user or service may not do it at all
    CONFLICT = "conflict"  # not now: something on its way must finish first


class Refused(Exception):
    """A request the rules refuse, with its kind and, if one is involved, the invoice.

    `template` is the catalog's message id and `params` its values (dates, statuses,
    names): a screen shows it translated; `message` is the English text."""

    def __init__(self, template: str, kind: Problem = Problem.INVALID,
                 invoice: str | None = None, **params):
        self.template = template
        self.params = params
        english = {k: _english(v) for k, v in params.items()}
        self.message = template % english if params else template
        super().__init__(self.message)
        self.kind = kind
        self.invoice = invoice


def _english(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


class NotFound(Refused):
    def __init__(self, template: str, **params):
        super().__init__(template, Problem.NOT_FOUND, **params)


class StaleReview(Exception):
    """The figures the user reviewed no longer hold; they must review again."""


# --- who may change what -------------------------------------------------------------

def lock_reason(viewer: Viewer, service: ServiceRow) -> Refused | None:
    """Why the Upgrade / Downgrade link is not offered, or None when it is."""
    if service.status != ServiceStatus.ACTIVE:
        return Refused(N_("Plan changes are available only for Active services; this service "
                          "is %(status)s. Please contact support."),
                       Problem.NOT_ALLOWED, status=service.status)
    if not service.plan_change_allowed:
        return Refused(N_("Plan changes for this service are restricted by your contract. "
                          "Please contact support."), Problem.NOT_ALLOWED)
    if not viewer.can_change_plans:
        return Refused(N_("Your login does not have permission to change plans. "
                          "Please contact support or the account owner."), Problem.NOT_ALLOWED)
    return None


def blocker(service: ServiceRow, pending: PendingChange | None, today: date) -> Refused | None:
    """Why a change cannot be started now though the link is offered."""
    if pending is not None:
        if pending.state == ChangeState.AWAITING_PAYMENT:
            return Refused(
                N_("Invoice #%(number)s for a plan change of this service is Unpaid. "
                   "Pay it, or contact support, before starting another change."),
                Problem.CONFLICT, invoice=pending.invoice, number=pending.invoice)
        if pending.state == ChangeState.SCHEDULED:
            return Refused(
                N_("A change to %(plan)s is already scheduled for %(date)s. "
                   "Please contact support to alter it."),
                Problem.CONFLICT, invoice=pending.invoice, plan=pending.plan.name,
                date=pending.effective.date())
        return Refused(
            N_("A change of this service is in progress. It will appear shortly; "
               "refresh this page in a few minutes."), Problem.CONFLICT, invoice=pending.invoice)
    if (service.next_due - today).days < 1:
        return Refused(
            N_("The current billing period ended on %(date)s. "
               "The renewal must be paid first; then you can change plans."), Problem.CONFLICT,
            date=service.next_due)
    return None


def check_change_may_start(viewer: Viewer, service: ServiceRow, pending: PendingChange | None,
                           today: date) -> None:
    """Refused (not allowed, or a conflict) unless a change of this service may start today."""
    reason = lock_reason(viewer, service)
    if reason:
        raise reason
    blocked = blocker(service, pending, today)
    if blocked:
        raise blocked


def change_targets(tiers: list[Plan], service: ServiceRow) -> list[Plan]:
    """The plans this service may change to, lowest tier first."""
    allowed = service.allowed_targets
    return [p for p in tiers
            if p.id != service.plan.id and (allowed is None or p.id in allowed)]


def chosen_target(targets: list[Plan], plan_id: str, cycle: str) -> Plan:
    """The plan chosen, if it is one of the targets and prices the cycle; else Refused."""
    by_id = {p.id: p for p in targets}
    if plan_id not in by_id:
        raise Refused(N_("“%(plan)s” is not a plan this service can change to."), plan=plan_id)
    target = by_id[plan_id]
    if cycle not in target.prices:
        raise Refused(N_("“%(cycle)s” is not a billing cycle of the %(plan)s plan."),
                      cycle=cycle, plan=target.name)
    return target


# --- what a review and a Submit set in motion --------------------------------------------

def price_change(basis: QuoteBasis) -> tuple[Quote, str]:
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
        raise Refused(str(exc), Problem.CONFLICT) from None
    # The token names exactly what the figures depend on: the same review
    # yields the same token, anything changed yields another.
    basis_text = "|".join(map(str, (
        catalog.generation, service.id, service.version, basis.now.date(), basis.balance,
        basis.target.id, basis.cycle, basis.viewer.client)))
    return quote, hashlib.sha256(basis_text.encode()).hexdigest()[:32]


def paid_on_issue(quote: Quote, payment_method: PaymentMethod) -> bool:
    """A card pays at once, and so is an invoice with nothing to pay; a bank transfer waits."""
    return quote.total == 0 or payment_method == PaymentMethod.CARD


def invoice_status(paid: bool) -> InvoiceStatus:
    return InvoiceStatus.PAID if paid else InvoiceStatus.UNPAID


def provisioning_done(paid_at: datetime, settings: Settings) -> datetime:
    """When a paid change is in place: after the provisioning delay."""
    return paid_at + timedelta(minutes=settings.provisioning_delay_minutes)


def change_after_submit(quote: Quote, now: datetime, paid: bool,
                        settings: Settings) -> tuple[ChangeState, datetime | None]:
    """The state a submitted change starts in, and when it takes effect (None: on payment)."""
    if quote.timing == "next_renewal":
        return ChangeState.SCHEDULED, datetime.combine(quote.effective, datetime.min.time())
    if quote.net <= 0:  # nothing to pay: nothing to provision after
        return ChangeState.PROVISIONING, now
    if paid:
        return ChangeState.PROVISIONING, provisioning_done(now, settings)
    return ChangeState.AWAITING_PAYMENT, None


def balance_after(balance: Decimal, quote: Quote, currency: Currency) -> Decimal:
    """The client's credit balance once the invoice for `quote` is issued."""
    return currency.round(balance - quote.credit_applied + quote.credit_added)


# --- the control API's moves ---------------------------------------------------------

def check_payable(number: str, status: InvoiceStatus) -> None:
    if status == InvoiceStatus.PAID:
        raise Refused(f"invoice {number} is already Paid")
