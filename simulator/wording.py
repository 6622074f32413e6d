"""Wording shared by the review page, the invoice and its PDF: how a change
is described, how its subtotal was computed, and the amounts rows (SPEC §5.6, §5.7)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

from .billing import CYCLE_LABELS, Currency, Quote, Tax


def line_description(quote: Quote) -> str:
    new = f"{quote.new_plan.name} ({CYCLE_LABELS[quote.new_cycle]})"
    old = f"{quote.old_plan.name} ({CYCLE_LABELS[quote.old_cycle]})"
    kind = "Downgrade" if quote.is_downgrade else "Upgrade"
    if quote.timing == "next_renewal":
        return f"{kind}: {old} → {new}, effective {quote.effective.isoformat()}"
    return (f"{kind}: {old} → {new}, "
            f"{quote.period.today.isoformat()} to {quote.next_due.isoformat()}")


def computation(quote: Quote, currency: Currency) -> str:
    """How the subtotal was computed, in words (SPEC §5.6)."""
    p = quote.period
    days = f"{p.days_left} unused days of {p.days_in_period}"
    fmt = currency.format
    if quote.timing == "next_renewal":
        return (f"Nothing is charged today: the downgrade to {quote.new_plan.name} takes effect "
                f"at the next renewal on {quote.effective.isoformat()}.")
    if quote.new_cycle == quote.old_cycle:
        formula = (f"({fmt(quote.new_price)} − {fmt(quote.old_price)}) × {days} "
                   f"= {fmt(quote.net)}")
    else:
        formula = (f"{fmt(quote.new_price)} for a new {quote.new_cycle} period − "
                   f"{fmt(quote.old_price)} × {days} = {fmt(quote.net)}")
    if quote.net < 0:
        if quote.credit_added:
            return f"{formula}; nothing to pay today, {fmt(quote.credit_added)} is added to your credit balance."
        return f"{formula}; nothing to pay today and, under your contract, no credit is given."
    if quote.net == 0:
        return f"{formula}; nothing to pay today."
    return formula


class Amounts(Protocol):
    """What a quote and an invoice both carry: the figures of the amounts rows."""

    subtotal: Decimal
    tax: Decimal
    credit_applied: Decimal
    total: Decimal
    credit_added: Decimal


@dataclass(frozen=True)
class AmountRow:
    label: str
    amount: Decimal
    kind: Literal["total", "credit"] | None = None  # the rows set apart on the page and PDF


def tax_row_label(tax: Tax) -> str | None:
    """The tax row's header, e.g. "Tax (10%)"; None when the rate is 0: no tax row then."""
    return tax.label if tax.rate else None


def amount_rows(amounts: Amounts, tax_label: str | None, total_label: str) -> list[AmountRow]:
    """The amounts rows, in order, for the review page, the invoice page and the PDF."""
    rows = [AmountRow("Subtotal", amounts.subtotal)]
    if tax_label:
        rows.append(AmountRow(tax_label, amounts.tax))
    rows.append(AmountRow("Credit applied", amounts.credit_applied))
    rows.append(AmountRow(total_label, amounts.total, "total"))
    if amounts.credit_added > 0:
        rows.append(AmountRow("Credit added to your balance", amounts.credit_added, "credit"))
    return rows


def tax_note(tax_label: str | None, inclusive: bool) -> str | None:
    """Said under the amounts when prices include the tax."""
    return f"Prices include {tax_label}." if inclusive and tax_label else None
