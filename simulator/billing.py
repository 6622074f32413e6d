"""The billing arithmetic of SPEC §6, with no Flask and no HTML.

Everything here is pure: dates in, Decimals out. Money is `decimal.Decimal`
throughout and a quote's net difference is rounded exactly once.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor

from .marks import N_

CYCLE_MONTHS = {"monthly": 1, "quarterly": 3, "semiannually": 6, "annually": 12}
CYCLE_LABELS = {
    "monthly": N_("Monthly"),
    "quarterly": N_("Quarterly"),
    "semiannually": N_("Semi-Annually"),
    "annually": N_("Annually"),
}


def add_months(day: date, months: int) -> date:
    """Calendar-month arithmetic; a day past the month's end clamps to its last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Currency:
    code: str
    symbol: str
    decimals: int

    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.decimals)

    def round(self, amount: Decimal | Fraction) -> Decimal:
        """Half up to the minor unit. A Fraction is rounded exactly: a quotient
        such as 1.65 × 7 / 30 must not be cut to 28 digits first."""
        if isinstance(amount, Decimal):
            return amount.quantize(self.quantum, rounding=ROUND_HALF_UP)
        scaled = abs(amount) * 10**self.decimals
        units = floor(scaled + Fraction(1, 2))
        return (Decimal(units if amount >= 0 else -units).scaleb(-self.decimals)
                .quantize(self.quantum))

    def format(self, amount: Decimal) -> str:
        amount = self.round(amount)
        sign = "-" if amount < 0 else ""
        return f"{sign}{self.symbol}{abs(amount):,.{self.decimals}f}"

    def format_code(self, amount: Decimal) -> str:
        """The amount with the currency's code after it: "12.00 USD", "-3.50 USD", "1,200 JPY"."""
        amount = self.round(amount)
        return f"{amount:,.{self.decimals}f} {self.code}"


CURRENCIES = {
    "USD": Currency("USD", "$", 2),
    "JPY": Currency("JPY", "¥", 0),
}


@dataclass(frozen=True)
class Tax:
    name: str = "Tax"
    rate: Decimal = Decimal("10")
    inclusive: bool = False

    @property
    def rate_text(self) -> str:
        """The rate without trailing zeros: "10", "7.5"."""
        return f"{self.rate.normalize():f}"


@dataclass(frozen=True)
class Settings:
    downgrade_timing: str = "immediate"  # immediate | next_renewal
    credit_on_downgrade: bool = True
    apply_credit_automatically: bool = True
    provisioning_delay_minutes: int = 0


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    tier: int
    prices: dict[str, Decimal] = field(default_factory=dict)

    def cycles(self) -> list[str]:
        """The cycles this plan prices, shortest first."""
        return [c for c in CYCLE_MONTHS if c in self.prices]


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    today: date

    @property
    def days_in_period(self) -> int:
        return (self.end - self.start).days

    @property
    def days_left(self) -> int:
        return (self.end - self.today).days


def current_period(next_due: date, cycle: str, today: date) -> Period:
    return Period(add_months(next_due, -CYCLE_MONTHS[cycle]), next_due, today)


@dataclass(frozen=True)
class Quote:
    """What a plan change costs today and what it does to the service."""

    old_plan: Plan
    old_cycle: str
    new_plan: Plan
    new_cycle: str
    period: Period
    net: Decimal  # rounded once; negative for a cheaper change
    subtotal: Decimal
    tax: Decimal
    credit_applied: Decimal
    total: Decimal
    credit_added: Decimal  # to the balance, for a cheaper change
    timing: str  # "now" | "next_renewal"
    effective: date  # when the plan changes
    next_due: date  # the service's next due date after the change

    @property
    def is_downgrade(self) -> bool:
        return self.new_plan.tier < self.old_plan.tier

    @property
    def old_price(self) -> Decimal:
        return self.old_plan.prices[self.old_cycle]

    @property
    def new_price(self) -> Decimal:
        return self.new_plan.prices[self.new_cycle]

    @property
    def before_credit(self) -> Decimal:
        return self.total + self.credit_applied


class QuoteError(ValueError):
    """A change that cannot be quoted (e.g. no day left in the period)."""


def quote_change(
    *,
    plan: Plan,
    cycle: str,
    next_due: date,
    target: Plan,
    target_cycle: str,
    today: date,
    balance: Decimal,
    currency: Currency,
    tax: Tax,
    settings: Settings,
) -> Quote:
    """Quote a change of `plan`/`cycle` to `target`/`target_cycle` on `today` (SPEC §6)."""
    if cycle not in plan.prices:
        raise QuoteError(f"plan {plan.name} has no {cycle} price")
    if target_cycle not in target.prices:
        raise QuoteError(f"plan {target.name} has no {target_cycle} price")
    period = current_period(next_due, cycle, today)
    if period.days_left < 1:
        raise QuoteError("the current period has ended; the renewal must be paid first")

    zero = currency.round(Decimal(0))
    old_price, new_price = plan.prices[cycle], target.prices[target_cycle]
    # Exact rational arithmetic up to the one rounding of the net (SPEC §6.3).
    unused = Fraction(period.days_left, period.days_in_period)
    if target_cycle == cycle:
        raw = Fraction(new_price - old_price) * unused
        new_next_due = next_due
    else:
        raw = Fraction(new_price) - Fraction(old_price) * unused
        new_next_due = add_months(today, CYCLE_MONTHS[target_cycle])
    net = currency.round(raw)

    def quote(**amounts) -> Quote:
        return Quote(
            old_plan=plan, old_cycle=cycle, new_plan=target, new_cycle=target_cycle,
            period=period, net=net, **amounts,
        )

    if target.tier < plan.tier and settings.downgrade_timing == "next_renewal":
        return quote(
            subtotal=zero, tax=zero, credit_applied=zero, total=zero, credit_added=zero,
            timing="next_renewal", effective=next_due, next_due=next_due,
        )
    if net <= 0:
        credit = -net if settings.credit_on_downgrade else zero
        return quote(
            subtotal=zero, tax=zero, credit_applied=zero, total=zero, credit_added=credit,
            timing="now", effective=today, next_due=new_next_due,
        )
    if tax.inclusive:
        tax_amount = currency.round(Fraction(net) * Fraction(tax.rate) / (100 + Fraction(tax.rate)))
        before_credit = net
    else:
        tax_amount = currency.round(Fraction(net) * Fraction(tax.rate) / 100)
        before_credit = net + tax_amount
    applied = min(max(balance, zero), before_credit) if settings.apply_credit_automatically else zero
    return quote(
        subtotal=net, tax=tax_amount, credit_applied=applied, total=before_credit - applied,
        credit_added=zero, timing="now", effective=today, next_due=new_next_due,
    )
