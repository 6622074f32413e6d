"""Wording shared by the review page, the invoice and its PDF: how a change
is described, how its subtotal was computed, and the amounts rows (SPEC §5.6, §5.7)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

from flask_babel import gettext, pgettext

from .billing import Currency, Quote, Tax
from .i18n import N_, cycle_name, day, money
from .storage.records import InvoiceWords

# The default tax name of a scenario (SPEC §3), so that the catalog can translate it.
DEFAULT_TAX_NAME = N_("Tax")


def line_description(quote: Quote) -> str:
    def plan(p, cycle):
        return gettext("%(plan)s (%(cycle)s)", plan=p.name, cycle=cycle_name(cycle))

    old, new = plan(quote.old_plan, quote.old_cycle), plan(quote.new_plan, quote.new_cycle)
    if quote.timing == "next_renewal":
        template = (N_("Downgrade: %(old)s → %(new)s, effective %(date)s") if quote.is_downgrade
                    else N_("Upgrade: %(old)s → %(new)s, effective %(date)s"))
        return gettext(template, old=old, new=new, date=day(quote.effective))
    template = (N_("Downgrade: %(old)s → %(new)s, %(start)s to %(end)s") if quote.is_downgrade
                else N_("Upgrade: %(old)s → %(new)s, %(start)s to %(end)s"))
    return gettext(template, old=old, new=new, start=day(quote.period.today),
                   end=day(quote.next_due))


def _new_period(cycle: str) -> str:
    """The cycle as the words "for a new … period" name it: the cycle's id in English."""
    words = {"monthly": pgettext("for a new … period", "monthly"),
             "quarterly": pgettext("for a new … period", "quarterly"),
             "semiannually": pgettext("for a new … period", "semiannually"),
             "annually": pgettext("for a new … period", "annually")}
    return words.get(cycle, cycle)


def computation(quote: Quote, currency: Currency) -> str:
    """How the subtotal was computed, in words (SPEC §5.6)."""
    p = quote.period
    days = gettext("%(left)s unused days of %(total)s", left=p.days_left,
                   total=p.days_in_period)
    def fmt(amount: Decimal) -> str:
        return money(amount, currency)

    if quote.timing == "next_renewal":
        return gettext("Nothing is charged today: the downgrade to %(plan)s takes effect "
                       "at the next renewal on %(date)s.",
                       plan=quote.new_plan.name, date=day(quote.effective))
    if quote.new_cycle == quote.old_cycle:
        formula = gettext("(%(new)s − %(old)s) × %(days)s = %(net)s", new=fmt(quote.new_price),
                          old=fmt(quote.old_price), days=days, net=fmt(quote.net))
    else:
        formula = gettext("%(new)s for a new %(cycle)s period − %(old)s × %(days)s = %(net)s",
                          new=fmt(quote.new_price), cycle=_new_period(quote.new_cycle),
                          old=fmt(quote.old_price), days=days, net=fmt(quote.net))
    if quote.net < 0:
        if quote.credit_added:
            return gettext("%(formula)s; nothing to pay today, %(credit)s is added to your "
                           "credit balance.", formula=formula, credit=fmt(quote.credit_added))
        return gettext("%(formula)s; nothing to pay today and, under your contract, "
                       "no credit is given.", formula=formula)
    if quote.net == 0:
        return gettext("%(formula)s; nothing to pay today.", formula=formula)
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
    if not tax.rate:
        return None
    return gettext("%(name)s (%(rate)s%%)", name=gettext(tax.name), rate=tax.rate_text)


def invoice_words(quote: Quote, currency: Currency, tax: Tax) -> InvoiceWords:
    """What an invoice issued for `quote` says, in the current screen's language."""
    return InvoiceWords(line_description(quote), computation(quote, currency),
                        tax_row_label(tax))


def amount_rows(amounts: Amounts, tax_label: str | None, total_label: str) -> list[AmountRow]:
    """The amounts rows, in order, for the review page, the invoice page and the PDF."""
    rows = [AmountRow(gettext("Subtotal"), amounts.subtotal)]
    if tax_label:
        rows.append(AmountRow(tax_label, amounts.tax))
    rows.append(AmountRow(gettext("Credit applied"), amounts.credit_applied))
    rows.append(AmountRow(total_label, amounts.total, "total"))
    if amounts.credit_added > 0:
        rows.append(AmountRow(gettext("Credit added to your balance"), amounts.credit_added,
                              "credit"))
    return rows


def tax_note(tax_label: str | None, inclusive: bool) -> str | None:
    """Said under the amounts when prices include the tax."""
    return gettext("Prices include %(tax)s.", tax=tax_label) if inclusive and tax_label else None
