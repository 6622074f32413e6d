"""Example tests for every billing rule of SPEC §6 (simulator.billing)."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN

import pytest

from simulator.billing import (
    CURRENCIES, Currency, QuoteError, Settings, Tax, add_months, current_period,
)

from sim_helpers import BASIC, BUSINESS, JPY, START, USD, D, plan, quote



# --- the worked example (SPEC §6, last paragraph) --------------------------------

def test_worked_example_exactly():
    q = quote()
    assert (q.period.start, q.period.end) == (date(2026, 3, 1), date(2026, 4, 1))
    assert (q.period.days_in_period, q.period.days_left) == (31, 15)
    assert q.net == D("3.39")
    assert q.subtotal == D("3.39")
    assert q.tax == D("0.34")
    assert q.credit_applied == D("1.00")
    assert q.total == D("2.73")
    assert q.before_credit == D("3.73")
    assert q.credit_added == 0
    assert q.timing == "now"
    assert q.effective == date(2026, 3, 17)
    assert q.next_due == date(2026, 4, 1)          # next due stays 1 Apr
    assert (USD.format(q.subtotal), USD.format(q.tax), USD.format(q.credit_applied),
            USD.format(q.total)) == ("$3.39", "$0.34", "$1.00", "$2.73")


# --- rule 1: same cycle ------------------------------------------------------------

def test_same_cycle_prorates_the_price_difference_and_keeps_next_due():
    # Basic -> Business monthly, 15 of 31 days left: 25 x 15/31 = 12.0967... -> 12.10
    q = quote(target=BUSINESS, balance=D("0"))
    assert q.net == q.subtotal == D("12.10")
    assert q.tax == D("1.21")
    assert q.total == D("13.31")
    assert q.next_due == date(2026, 4, 1)


def test_same_cycle_annual_period_uses_calendar_days():
    # annual period 2025-04-01 .. 2026-04-01 = 365 days, 15 left: 70 x 15/365 = 2.876... -> 2.88
    q = quote(cycle="annually", target_cycle="annually", balance=D("0"))
    assert q.period.start == date(2025, 4, 1)
    assert (q.period.days_in_period, q.period.days_left) == (365, 15)
    assert q.net == D("2.88")
    assert q.next_due == date(2026, 4, 1)


# --- rule 2: new cycle ---------------------------------------------------------------

def test_new_cycle_charges_new_price_minus_unused_old_and_restarts_the_period():
    # Basic monthly -> Start annually: 120 - 5 x 15/31 = 117.580... -> 117.58
    q = quote(target_cycle="annually", balance=D("0"))
    assert q.net == q.subtotal == D("117.58")
    assert q.tax == D("11.76")                       # 11.758 -> 11.76
    assert q.total == D("129.34")
    assert q.next_due == date(2027, 3, 17)           # today + one new cycle


@pytest.mark.parametrize("cycle, months, expected", [
    ("monthly", 1, date(2026, 4, 17)),
    ("quarterly", 3, date(2026, 6, 17)),
    ("semiannually", 6, date(2026, 9, 17)),
    ("annually", 12, date(2027, 3, 17)),
])
def test_new_cycle_next_due_is_today_plus_one_new_cycle(cycle, months, expected):
    old_cycle = "monthly" if cycle != "monthly" else "annually"
    old = plan("old", 0, **{old_cycle: "5.00"})
    new = plan("new", 1, **{cycle: "100.00"})
    q = quote(plan=old, cycle=old_cycle, next_due=date(2026, 4, 1), target=new,
              target_cycle=cycle, balance=D("0"))
    assert q.next_due == expected == add_months(date(2026, 3, 17), months)


def test_new_cycle_next_due_clamps_at_month_end():
    old = plan("old", 0, monthly="5.00")
    new = plan("new", 1, monthly="6.00", quarterly="30.00")
    # today 30 Nov + 3 months = 28 Feb (2027 is not a leap year)
    q = quote(plan=old, cycle="monthly", next_due=date(2026, 12, 15), today=date(2026, 11, 30),
              target=new, target_cycle="quarterly")
    assert q.next_due == date(2027, 2, 28)


# --- rule 3: round once, half up ----------------------------------------------------

def test_same_cycle_rounds_once_where_rounding_each_price_would_differ():
    # April: 30 days, 15 left on 16 Apr. (20.00 - 9.99) x 1/2 = 5.005 -> 5.01 once;
    # rounding the parts first: 10.00 - round(4.995)=5.00 -> 5.00.
    old = plan("old", 0, monthly="9.99")
    new = plan("new", 1, monthly="20.00")
    q = quote(plan=old, next_due=date(2026, 5, 1), today=date(2026, 4, 16), target=new,
              balance=D("0"))
    assert (q.period.days_in_period, q.period.days_left) == (30, 15)
    separately = (USD.round(D("20.00") * D("0.5")) - USD.round(D("9.99") * D("0.5")))
    assert separately == D("5.00")
    assert q.net == D("5.01") != separately


def test_new_cycle_rounds_once_where_rounding_the_unused_part_would_differ():
    # 100.00 - 9.99 x 15/30 = 95.005 -> 95.01; 100.00 - round(4.995) = 95.00
    old = plan("old", 0, monthly="9.99")
    new = plan("new", 1, annually="100.00")
    q = quote(plan=old, next_due=date(2026, 5, 1), today=date(2026, 4, 16), target=new,
              target_cycle="annually", balance=D("0"))
    assert q.net == D("95.01")
    assert D("100.00") - USD.round(D("9.99") / 2) == D("95.00")


def test_ties_round_half_up_not_half_even():
    # 10.005 rounds to 10.01 half up (banker's rounding would give 10.00)
    old = plan("old", 0, monthly="0.01")
    new = plan("new", 1, monthly="20.02")
    q = quote(plan=old, next_due=date(2026, 5, 1), today=date(2026, 4, 16), target=new,
              balance=D("0"))
    assert D("10.005").quantize(D("0.01"), rounding=ROUND_HALF_EVEN) == D("10.00")
    assert q.net == D("10.01")


@pytest.mark.parametrize("today, expected", [
    (date(2026, 4, 24), "0.39"),   # 1.65 x 7/30 = 0.385 exactly
    (date(2026, 4, 30), "0.06"),   # 1.65 x 1/30 = 0.055 exactly
])
def test_exact_half_cent_tie_after_division_rounds_up(today, expected):
    old = plan("old", 0, monthly="10.00")
    new = plan("new", 1, monthly="11.65")
    q = quote(plan=old, target=new, next_due=date(2026, 5, 1), today=today, balance=D("0"))
    assert q.net == D(expected)


def test_tax_is_computed_from_the_rounded_net_and_rounded_half_up():
    # net 0.05 (0.10 x 15/30), 10%: 0.005 -> 0.01 half up
    old = plan("old", 0, monthly="1.00")
    new = plan("new", 1, monthly="1.10")
    q = quote(plan=old, next_due=date(2026, 5, 1), today=date(2026, 4, 16), target=new,
              balance=D("0"))
    assert q.net == D("0.05")
    assert q.tax == D("0.01")
    assert q.total == D("0.06")


# --- period arithmetic: month-end clamp, leap years ---------------------------------------

@pytest.mark.parametrize("next_due, start", [
    (date(2026, 3, 31), date(2026, 2, 28)),      # 31 Mar - 1 month = 28 Feb
    (date(2028, 3, 31), date(2028, 2, 29)),      # leap year: 29 Feb
    (date(2026, 5, 31), date(2026, 4, 30)),
    (date(2026, 1, 31), date(2025, 12, 31)),     # across the year
    (date(2026, 4, 1), date(2026, 3, 1)),
])
def test_monthly_period_start_clamps_to_month_end(next_due, start):
    assert current_period(next_due, "monthly", next_due).start == start
    assert add_months(next_due, -1) == start


def test_month_end_clamp_in_a_quote():
    # next due 31 Mar 2026: period 28 Feb .. 31 Mar = 31 days; on 16 Mar 15 left
    q = quote(next_due=date(2026, 3, 31), today=date(2026, 3, 16), balance=D("0"))
    assert q.period.start == date(2026, 2, 28)
    assert (q.period.days_in_period, q.period.days_left) == (31, 15)
    assert q.net == D("3.39")


@pytest.mark.parametrize("year, days", [(2026, 28), (2028, 29), (2100, 28), (2000, 29)])
def test_february_period_length_follows_leap_years(year, days):
    q = quote(next_due=date(year, 3, 1), today=date(year, 2, 15), balance=D("0"))
    assert q.period.start == date(year, 2, 1)
    assert q.period.days_in_period == days
    assert q.period.days_left == days - 14


def test_leap_year_annual_period_is_366_days():
    q = quote(cycle="annually", target_cycle="annually", next_due=date(2028, 3, 1),
              today=date(2028, 2, 1), balance=D("0"))
    assert q.period.days_in_period == 366
    # 29 Feb + 12 months clamps to 28 Feb
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2028, 2, 29), -12) == date(2027, 2, 28)
    assert add_months(date(2028, 2, 29), 48) == date(2032, 2, 29)


@pytest.mark.parametrize("cycle, months", [("quarterly", 3), ("semiannually", 6)])
def test_quarterly_and_semiannual_periods(cycle, months):
    p = plan("p", 0, **{cycle: "10.00"})
    q2 = plan("q", 1, **{cycle: "20.00"})
    q = quote(plan=p, cycle=cycle, target=q2, target_cycle=cycle, next_due=date(2026, 8, 31),
              today=date(2026, 8, 1), balance=D("0"))
    assert q.period.start == add_months(date(2026, 8, 31), -months)
    assert q.period.start == {3: date(2026, 5, 31), 6: date(2026, 2, 28)}[months]


# --- days_left < 1 ---------------------------------------------------------------------

@pytest.mark.parametrize("today", [date(2026, 4, 1), date(2026, 4, 2), date(2026, 6, 1)])
def test_no_day_left_cannot_be_quoted(today):
    with pytest.raises(QuoteError, match="renewal"):
        quote(today=today)


def test_one_day_left_can_be_quoted():
    q = quote(today=date(2026, 3, 31), balance=D("0"))
    assert q.period.days_left == 1
    assert q.net == D("0.23")                          # 7 x 1/31 = 0.2258 -> 0.23


def test_no_day_left_refused_for_a_scheduled_downgrade_too():
    with pytest.raises(QuoteError):
        quote(plan=START, target=BASIC, today=date(2026, 4, 1),
              settings=Settings(downgrade_timing="next_renewal"))


def test_cycle_the_plan_does_not_price_cannot_be_quoted():
    with pytest.raises(QuoteError):
        quote(target_cycle="quarterly")
    with pytest.raises(QuoteError):
        quote(cycle="quarterly")


# --- rule 4: downgrade at next renewal ------------------------------------------------------

def test_downgrade_next_renewal_charges_nothing_and_is_scheduled_for_next_due():
    q = quote(plan=BUSINESS, target=BASIC, balance=D("7.00"),
              settings=Settings(downgrade_timing="next_renewal"))
    assert q.is_downgrade
    assert q.timing == "next_renewal"
    assert q.effective == date(2026, 4, 1)
    assert q.next_due == date(2026, 4, 1)
    assert (q.subtotal, q.tax, q.credit_applied, q.total, q.credit_added) == (0, 0, 0, 0, 0)


def test_downgrade_next_renewal_with_new_cycle_keeps_chosen_cycle_and_next_due():
    q = quote(plan=START, target=BASIC, target_cycle="annually",
              settings=Settings(downgrade_timing="next_renewal"))
    assert q.timing == "next_renewal"
    assert (q.new_plan, q.new_cycle) == (BASIC, "annually")
    assert q.effective == q.next_due == date(2026, 4, 1)
    assert q.total == q.credit_added == 0


def test_upgrade_is_charged_now_even_when_downgrades_wait_for_renewal():
    q = quote(settings=Settings(downgrade_timing="next_renewal"))
    assert q.timing == "now"
    assert q.total == D("2.73")


# --- rule 5: net <= 0 ----------------------------------------------------------------------

def test_immediate_downgrade_credits_the_unused_difference():
    # Start -> Basic monthly: -7 x 15/31 = -3.387 -> -3.39
    q = quote(plan=START, target=BASIC, balance=D("1.00"))
    assert q.net == D("-3.39")
    assert (q.subtotal, q.tax, q.credit_applied, q.total) == (0, 0, 0, 0)
    assert q.credit_added == D("3.39")
    assert q.timing == "now"
    assert q.effective == date(2026, 3, 17)
    assert q.next_due == date(2026, 4, 1)
    assert USD.format(q.net) == "-$3.39"


def test_no_credit_when_credit_on_downgrade_is_false():
    q = quote(plan=START, target=BASIC, settings=Settings(credit_on_downgrade=False))
    assert q.net == D("-3.39")
    assert q.total == 0
    assert q.credit_added == 0
    assert q.timing == "now"


def test_upgrade_to_a_cheaper_cycle_with_negative_net_is_free_and_credited():
    # Basic annually (50) with 15 of 365 days left... use a longer remainder:
    # next due 2027-03-01, period 2026-03-01..2027-03-01 (365 d), 349 left on 17 Mar 2026.
    # Start monthly: 12 - 50 x 349/365 = 12 - 47.808... = -35.808... -> -35.81
    q = quote(cycle="annually", next_due=date(2027, 3, 1), target_cycle="monthly")
    assert q.period.days_left == 349
    assert q.net == D("-35.81")
    assert q.total == 0 and q.credit_added == D("35.81")
    assert q.next_due == date(2026, 4, 17)            # new cycle: today + one month
    assert not q.is_downgrade


def test_net_exactly_zero_charges_nothing_and_credits_nothing():
    same_price = plan("twin", 1, monthly="5.00")
    q = quote(target=same_price)
    assert q.net == 0
    assert (q.total, q.credit_added, q.credit_applied, q.tax) == (0, 0, 0, 0)
    assert q.timing == "now"


# --- rule 6: tax -----------------------------------------------------------------------------

def test_exclusive_tax_is_added():
    q = quote(balance=D("0"), tax=Tax("Tax", D("10"), False))
    assert (q.subtotal, q.tax, q.total) == (D("3.39"), D("0.34"), D("3.73"))


def test_inclusive_tax_is_already_in_the_net():
    # 3.39 x 10/110 = 0.3081... -> 0.31, total stays 3.39
    q = quote(balance=D("0"), tax=Tax("Tax", D("10"), True))
    assert (q.subtotal, q.tax, q.total) == (D("3.39"), D("0.31"), D("3.39"))
    assert q.before_credit == D("3.39")


def test_inclusive_tax_with_credit():
    q = quote(balance=D("1.00"), tax=Tax("VAT", D("8.5"), True))
    assert q.tax == D("0.27")                          # 3.39 x 8.5/108.5 = 0.2655 -> 0.27
    assert (q.credit_applied, q.total) == (D("1.00"), D("2.39"))


def test_fractional_exclusive_rate():
    q = quote(balance=D("0"), tax=Tax("VAT", D("8.5"), False))
    assert q.tax == D("0.29")                          # 3.39 x 0.085 = 0.28815 -> 0.29
    assert q.total == D("3.68")


@pytest.mark.parametrize("inclusive", [False, True])
def test_rate_zero_means_no_tax(inclusive):
    q = quote(balance=D("0"), tax=Tax("Tax", D("0"), inclusive))
    assert q.tax == 0
    assert q.total == q.subtotal == D("3.39")


# --- rule 7: credit --------------------------------------------------------------------------

def test_credit_partially_covers_the_charge():
    q = quote(balance=D("1.00"))
    assert (q.credit_applied, q.total) == (D("1.00"), D("2.73"))


def test_credit_fully_covers_the_charge():
    q = quote(balance=D("50.00"))
    assert q.credit_applied == D("3.73")
    assert q.total == 0


def test_credit_exactly_equal_to_the_charge():
    q = quote(balance=D("3.73"))
    assert (q.credit_applied, q.total) == (D("3.73"), 0)


def test_credit_not_applied_when_apply_credit_automatically_is_false():
    q = quote(balance=D("50.00"), settings=Settings(apply_credit_automatically=False))
    assert q.credit_applied == 0
    assert q.total == D("3.73")


def test_zero_balance_applies_no_credit():
    q = quote(balance=D("0"))
    assert (q.credit_applied, q.total) == (0, D("3.73"))


# --- rule 8: total = before credit - credit applied -------------------------------------------

@pytest.mark.parametrize("balance", ["0", "0.01", "1.00", "3.72", "3.73", "3.74", "100"])
def test_total_is_before_credit_minus_credit_applied(balance):
    q = quote(balance=D(balance))
    assert q.subtotal + q.tax == D("3.73")
    assert q.total == D("3.73") - q.credit_applied
    assert q.total >= 0


# --- currency ---------------------------------------------------------------------------------

def test_jpy_has_no_decimals():
    y_basic = plan("basic", 0, monthly="500")
    y_start = plan("start", 1, monthly="1200")
    # 700 x 15/31 = 338.709... -> 339; tax 33.9 -> 34; credit 100 -> 273
    q = quote(plan=y_basic, target=y_start, currency=JPY, balance=D("100"))
    assert q.net == D("339")
    assert q.tax == D("34")
    assert q.total == D("273")
    assert JPY.format(q.total) == "¥273"
    for amount in (q.net, q.tax, q.credit_applied, q.total):
        assert amount == amount.to_integral_value()


def test_jpy_rounds_half_up_to_whole_yen():
    y_old = plan("old", 0, monthly="99")
    y_new = plan("new", 1, monthly="200")
    # April, 15 of 30 days: 101/2 = 50.5 -> 51
    q = quote(plan=y_old, target=y_new, next_due=date(2026, 5, 1), today=date(2026, 4, 16),
              currency=JPY, balance=D("0"), tax=Tax("Tax", D("0"), False))
    assert q.net == D("51")


@pytest.mark.parametrize("currency, amount, text", [
    ("USD", "1234.50", "$1,234.50"),
    ("USD", "1234.5", "$1,234.50"),
    ("USD", "-3.39", "-$3.39"),
    ("USD", "3.73", "$3.73"),
    ("USD", "0", "$0.00"),
    ("USD", "1234567.891", "$1,234,567.89"),
    ("USD", "0.005", "$0.01"),
    ("JPY", "1234.5", "¥1,235"),
    ("JPY", "201", "¥201"),
    ("JPY", "0", "¥0"),
    ("JPY", "-1235", "-¥1,235"),
])
def test_currency_format(currency, amount, text):
    assert CURRENCIES[currency].format(D(amount)) == text


def test_currency_minor_units():
    assert CURRENCIES["USD"].decimals == 2 and CURRENCIES["JPY"].decimals == 0
    assert USD.round(D("2.345")) == D("2.35")
    assert USD.round(D("-2.345")) == D("-2.35")
    assert JPY.round(D("0.5")) == D("1")
    assert isinstance(USD, Currency)


# --- tax label ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, rate, label", [
    ("Tax", "10", "Tax (10%)"),
    ("Tax", "10.00", "Tax (10%)"),
    ("VAT", "8.5", "VAT (8.5%)"),
    ("VAT", "8.50", "VAT (8.5%)"),
    ("GST", "20", "GST (20%)"),
    ("Tax", "0.25", "Tax (0.25%)"),
])
def test_tax_label(name, rate, label):
    from simulator.wording import tax_row_label  # the one tax row header (Tax.label was dead)

    assert tax_row_label(Tax(name, D(rate), False)) == label


@pytest.mark.parametrize("overrides", [
    dict(plan=START, target=BASIC),                                             # net < 0
    dict(plan=START, target=BASIC, settings=Settings(downgrade_timing="next_renewal")),
    dict(balance=D("0.00")),                                                    # no credit
    dict(tax=Tax("Tax", D("0"), False)),                                        # no tax
])
def test_every_amount_has_the_currency_exponent_even_zero(overrides):
    q = quote(**overrides)
    for name in ("net", "subtotal", "tax", "credit_applied", "total", "credit_added"):
        assert getattr(q, name).as_tuple().exponent == -2, (name, getattr(q, name))
