"""Wording shared by the review page, the invoice and its PDF: how a change
is described and how its subtotal was computed (SPEC §5.6)."""
from __future__ import annotations

from .billing import CYCLE_LABELS, Currency, Quote


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
