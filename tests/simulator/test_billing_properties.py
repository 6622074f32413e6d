"""Properties of the billing arithmetic (SPEC §6), checked with hypothesis."""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, assume, example, given, settings, strategies as st

from simulator.billing import CYCLE_MONTHS, Plan, Settings, Tax, add_months, current_period

from sim_helpers import JPY, USD, quote

# deadline None and no too_slow check: a loaded CI machine must not make these flaky
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CYCLES = tuple(CYCLE_MONTHS)


def amounts(currency, max_units=200_000):
    """Money already quantized to the currency's minor unit (as a scenario allows)."""
    return st.integers(0, max_units).map(lambda n: Decimal(n).scaleb(-currency.decimals))


# Strategies are built once: building them inside the composite costs more than the quote.
CURRENCY = st.sampled_from([USD, JPY])
PRICE = {c.code: amounts(c) for c in (USD, JPY)}
BALANCE = {c.code: amounts(c, 50_000) for c in (USD, JPY)}
CYCLE = st.sampled_from(CYCLES)
OTHER_CYCLE = {c: st.sampled_from([o for o in CYCLES if o != c]) for c in CYCLES}
TIER = st.integers(0, 5)
OTHER_TIER = st.integers(0, 4)
NEXT_DUE = st.dates(date(2001, 1, 1), date(2098, 12, 31))
DAYS = {n: st.integers(1, n) for n in range(28, 400)}
RATE = st.integers(0, 9999).map(lambda n: Decimal(n).scaleb(-2))
BOOL = st.booleans()
TIMING = st.sampled_from(["immediate", "next_renewal"])


@st.composite
def changes(draw, *, same_cycle=None):
    currency = draw(CURRENCY)
    cycle = draw(CYCLE)
    if same_cycle is True:
        target_cycle = cycle
    elif same_cycle is False:
        target_cycle = draw(OTHER_CYCLE[cycle])
    else:
        target_cycle = draw(CYCLE)
    old_tier = draw(TIER)
    new_tier = draw(OTHER_TIER)
    new_tier += new_tier >= old_tier                     # any tier but the old one
    old = Plan("old", "Old", old_tier, {cycle: draw(PRICE[currency.code])})
    new = Plan("new", "New", new_tier, {target_cycle: draw(PRICE[currency.code])})
    next_due = draw(NEXT_DUE)
    period = current_period(next_due, cycle, next_due)
    days_left = draw(DAYS[period.days_in_period])
    today = next_due - timedelta(days=days_left)
    tax = Tax("Tax", draw(RATE), draw(BOOL))
    sets = Settings(
        downgrade_timing=draw(TIMING),
        credit_on_downgrade=draw(BOOL),
        apply_credit_automatically=draw(BOOL),
    )
    balance = draw(BALANCE[currency.code])
    return dict(plan=old, cycle=cycle, next_due=next_due, target=new, target_cycle=target_cycle,
                today=today, balance=balance, currency=currency, tax=tax, settings=sets)


def round_half_up(value: Fraction, decimals: int) -> Decimal:
    """An independent oracle: round an exact rational half up (away from zero)."""
    scaled = value * 10 ** decimals
    sign = -1 if scaled < 0 else 1
    whole = int(abs(scaled) + Fraction(1, 2))      # floor(|x| + 1/2)
    return Decimal(sign * whole).scaleb(-decimals)


def is_quantized(amount: Decimal, currency) -> bool:
    return amount == amount.quantize(currency.quantum)


@FAST
@given(changes())
def test_total_is_never_negative(args):
    assert quote(**args).total >= 0


@FAST
@given(changes())
def test_total_is_subtotal_plus_exclusive_tax_minus_credit(args):
    q = quote(**args)
    extra_tax = 0 if args["tax"].inclusive else q.tax
    assert q.total == q.subtotal + extra_tax - q.credit_applied
    assert q.before_credit == q.subtotal + extra_tax


@FAST
@given(changes())
def test_credit_applied_is_within_the_balance_and_the_charge(args):
    q = quote(**args)
    assert 0 <= q.credit_applied <= args["balance"]
    assert q.credit_applied <= q.before_credit
    if args["settings"].apply_credit_automatically:
        assert q.credit_applied == min(args["balance"], q.before_credit)
    else:
        assert q.credit_applied == 0


@FAST
@given(changes())
def test_every_amount_is_quantized_to_the_minor_unit(args):
    q = quote(**args)
    currency = args["currency"]
    for name in ("net", "subtotal", "tax", "credit_applied", "total", "credit_added"):
        amount = getattr(q, name)
        assert isinstance(amount, Decimal), name
        assert is_quantized(amount, currency), (name, amount)
        assert amount.as_tuple().exponent == -currency.decimals, (name, amount)


TIE_AFTER_DIVISION = dict(
    plan=Plan("old", "Old", 0, {"semiannually": Decimal("0.00")}), cycle="semiannually",
    next_due=date(2001, 1, 1), target=Plan("new", "New", 1, {"semiannually": Decimal("446.20")}),
    target_cycle="semiannually", today=date(2000, 12, 29), balance=Decimal("0.00"), currency=USD,
    tax=Tax("Tax", Decimal("0"), False), settings=Settings(),
)  # 446.20 x 3/184 = 7.275 exactly -> 7.28


@FAST
@given(changes())
@example(TIE_AFTER_DIVISION)
def test_quote_matches_an_exact_rational_oracle(args):
    """net is computed exactly and rounded once, half up; the rest follows rules 4-8."""
    q = quote(**args)
    cur, tax, sets = args["currency"], args["tax"], args["settings"]
    old = Fraction(args["plan"].prices[args["cycle"]])
    new = Fraction(args["target"].prices[args["target_cycle"]])
    period = current_period(args["next_due"], args["cycle"], args["today"])
    unused = Fraction(period.days_left, period.days_in_period)
    if args["cycle"] == args["target_cycle"]:
        exact = (new - old) * unused
        next_due = args["next_due"]
    else:
        exact = new - old * unused
        next_due = add_months(args["today"], CYCLE_MONTHS[args["target_cycle"]])
    net = round_half_up(exact, cur.decimals)
    assert q.net == net

    if args["target"].tier < args["plan"].tier and sets.downgrade_timing == "next_renewal":
        assert (q.timing, q.effective, q.next_due) == ("next_renewal", args["next_due"],
                                                       args["next_due"])
        assert q.total == q.subtotal == q.tax == q.credit_applied == q.credit_added == 0
        return
    assert (q.timing, q.effective, q.next_due) == ("now", args["today"], next_due)
    if net <= 0:
        assert q.total == q.subtotal == q.tax == q.credit_applied == 0
        assert q.credit_added == (-net if sets.credit_on_downgrade else 0)
        return
    rate = Fraction(tax.rate)
    if tax.inclusive:
        expected_tax = round_half_up(Fraction(net) * rate / (100 + rate), cur.decimals)
        before = net
    else:
        expected_tax = round_half_up(Fraction(net) * rate / 100, cur.decimals)
        before = net + expected_tax
    assert (q.subtotal, q.tax, q.credit_added) == (net, expected_tax, 0)
    assert q.total == before - q.credit_applied


@FAST
@given(changes(same_cycle=True), st.booleans())
def test_upgrade_then_downgrade_back_the_same_day_returns_the_net_as_credit(args, auto_credit):
    sets = Settings(downgrade_timing="immediate", credit_on_downgrade=True,
                    apply_credit_automatically=auto_credit)
    low, high = sorted([args["plan"], args["target"]], key=lambda p: p.tier)
    cycle = args["cycle"]
    assume(high.prices[cycle] > low.prices[cycle])
    up = quote(**{**args, "plan": low, "target": high, "settings": sets})
    assume(up.net > 0)
    # after the upgrade the service is on `high`, same cycle, same next due
    down = quote(**{**args, "plan": high, "target": low, "settings": sets,
                    "next_due": up.next_due, "balance": args["balance"] - up.credit_applied})
    assert up.next_due == args["next_due"]
    assert down.net == -up.net
    assert down.total == 0
    assert down.credit_added == up.net


@FAST
@given(changes(same_cycle=True))
def test_same_cycle_nets_are_antisymmetric(args):
    sets = Settings(downgrade_timing="immediate")
    a = quote(**{**args, "settings": sets})
    b = quote(**{**args, "plan": args["target"], "target": args["plan"], "settings": sets})
    assert a.net == -b.net


# --- add_months -----------------------------------------------------------------------

DATES = st.dates(date(1900, 1, 1), date(2200, 12, 31))
MONTHS = st.integers(-1200, 1200)


@FAST
@given(DATES, MONTHS)
def test_add_months_never_increases_the_day(day, months):
    result = add_months(day, months)
    assert result.day <= day.day
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)


@FAST
@given(DATES, MONTHS)
def test_add_months_moves_exactly_that_many_calendar_months(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months


@FAST
@given(DATES.filter(lambda d: d.day <= 28), MONTHS, MONTHS)
def test_add_months_round_trips_and_composes_when_day_at_most_28(day, a, b):
    assert add_months(add_months(day, a), -a) == day
    assert add_months(add_months(day, a), b) == add_months(day, a + b)
    assert add_months(day, 0) == day


@FAST
@given(DATES, st.sampled_from(CYCLES))
def test_period_is_one_cycle_long(next_due, cycle):
    period = current_period(next_due, cycle, next_due)
    months = CYCLE_MONTHS[cycle]
    assert period.end == next_due
    assert period.start == add_months(next_due, -months)
    assert 28 * months <= period.days_in_period <= 31 * months + 1
