"""The portal's rules (simulator.rules), called directly: who may change what,
and the state a submitted change or a payment starts."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from simulator import rules
from simulator.billing import CURRENCIES, Settings, Tax
from simulator.storage.records import (Catalog, ChangeState, InvoiceStatus, PaymentMethod, PendingChange,
                               QuoteBasis, ServiceRow, ServiceStatus, Viewer)
from simulator.rules import Problem, Refused

from sim_helpers import BASIC, BUSINESS, START, D, plan, quote

TODAY = date(2026, 3, 17)
NOW = datetime(2026, 3, 17, 9, 0)
OWNER = Viewer("alice@example.com", "alice@example.com", can_change_plans=True)
SERVICE = ServiceRow(id=1, client=OWNER.client, plan=START, cycle="monthly",
                     status=ServiceStatus.ACTIVE, next_due=date(2026, 4, 1),
                     plan_change_allowed=True, allowed_targets=None, version=0)


def pending(state: ChangeState, effective: datetime | None = None) -> PendingChange:
    return PendingChange(plan=BUSINESS, cycle="monthly", state=state, effective=effective,
                         invoice="INV-000001")


# --- who may change what -------------------------------------------------------------

def test_an_active_changeable_service_of_a_permitted_user_is_not_locked():
    assert rules.lock_reason(OWNER, SERVICE) is None


@pytest.mark.parametrize("service, viewer, words", [
    (replace(SERVICE, status=ServiceStatus.SUSPENDED), OWNER, "this service is Suspended"),
    (replace(SERVICE, plan_change_allowed=False), OWNER, "restricted by your contract"),
    (SERVICE, replace(OWNER, can_change_plans=False), "does not have permission"),
])
def test_lock_reason_names_what_locks_the_change(service, viewer, words):
    assert words in rules.lock_reason(viewer, service).message


def test_the_status_is_checked_before_the_contract_and_the_permission():
    locked = replace(SERVICE, status=ServiceStatus.CANCELLED, plan_change_allowed=False)
    reason = rules.lock_reason(replace(OWNER, can_change_plans=False), locked)
    assert "Active services" in reason.message


def test_a_locked_service_refuses_the_start_as_not_allowed():
    with pytest.raises(Refused) as refused:
        rules.check_change_may_start(OWNER, replace(SERVICE, plan_change_allowed=False),
                                     None, TODAY)
    assert refused.value.kind is Problem.NOT_ALLOWED


@pytest.mark.parametrize("change, words", [
    (pending(ChangeState.AWAITING_PAYMENT), "Invoice #INV-000001 for a plan change"),
    (pending(ChangeState.SCHEDULED, datetime(2026, 4, 1)), "already scheduled for 2026-04-01"),
    (pending(ChangeState.PROVISIONING, NOW), "in progress"),
])
def test_a_change_on_its_way_blocks_another_and_names_its_invoice(change, words):
    blocked = rules.blocker(SERVICE, change, TODAY)
    assert words in blocked.message
    assert (blocked.kind, blocked.invoice) == (Problem.CONFLICT, "INV-000001")


def test_no_day_left_blocks_until_the_renewal_is_paid():
    blocked = rules.blocker(SERVICE, None, date(2026, 4, 1))
    assert blocked.kind is Problem.CONFLICT and "must be paid first" in blocked.message
    assert rules.blocker(SERVICE, None, date(2026, 3, 31)) is None


def test_targets_are_the_other_plans_lowest_tier_first_within_the_allowed_ones():
    tiers = [BASIC, START, BUSINESS]
    assert rules.change_targets(tiers, SERVICE) == [BASIC, BUSINESS]
    assert rules.change_targets(tiers, replace(SERVICE, allowed_targets=("business",))) == [
        BUSINESS]


def test_the_choice_must_be_a_target_and_one_of_its_cycles():
    assert rules.chosen_target([BASIC, BUSINESS], "business", "annually") is BUSINESS
    with pytest.raises(Refused, match="“start” is not a plan this service can change to"):
        rules.chosen_target([BASIC, BUSINESS], "start", "monthly")
    with pytest.raises(Refused, match="“weekly” is not a billing cycle of the Business plan"):
        rules.chosen_target([BASIC, BUSINESS], "business", "weekly")


# --- what a Submit and a payment set in motion ----------------------------------------

def test_a_card_or_nothing_to_pay_is_paid_at_once_a_bank_transfer_waits():
    upgrade, downgrade = quote(), quote(target=BASIC, plan=START)
    assert rules.paid_on_issue(upgrade, PaymentMethod.CARD)
    assert not rules.paid_on_issue(upgrade, PaymentMethod.BANK_TRANSFER)
    assert rules.paid_on_issue(downgrade, PaymentMethod.BANK_TRANSFER)
    assert rules.invoice_status(False) is InvoiceStatus.UNPAID


@pytest.mark.parametrize("kind, paid, delay, expected", [
    ("paid upgrade", True, 30, (ChangeState.PROVISIONING, datetime(2026, 3, 17, 9, 30))),
    ("unpaid upgrade", False, 30, (ChangeState.AWAITING_PAYMENT, None)),
    ("downgrade now", True, 30, (ChangeState.PROVISIONING, NOW)),
    ("upgrade at no cost", True, 30, (ChangeState.PROVISIONING, NOW)),
    ("downgrade at renewal", True, 30, (ChangeState.SCHEDULED, datetime(2026, 4, 1))),
])
def test_the_state_a_submitted_change_starts_in(kind, paid, delay, expected):
    timing = "next_renewal" if kind == "downgrade at renewal" else "immediate"
    settings = Settings(downgrade_timing=timing, provisioning_delay_minutes=delay)
    if "downgrade" in kind:
        q = quote(plan=START, target=BASIC, settings=settings)
    elif kind == "upgrade at no cost":  # same price, higher tier: nothing to pay, nothing to wait for
        q = quote(plan=START, target=plan("pro", 2, monthly="12.00"))
        assert q.net == 0
    else:
        q = quote()
    assert rules.change_after_submit(q, NOW, paid, settings) == expected


def test_the_balance_loses_the_credit_applied_and_gains_the_credit_added():
    usd = CURRENCIES["USD"]
    assert rules.balance_after(D("1.00"), quote(), usd) == D("0.00")
    downgrade = quote(plan=START, target=BASIC)
    assert rules.balance_after(D("1.00"), downgrade, usd) == D("1.00") + downgrade.credit_added


def test_a_paid_invoice_cannot_be_paid_again():
    rules.check_payable("INV-000001", InvoiceStatus.UNPAID)
    with pytest.raises(Refused, match="invoice INV-000001 is already Paid") as refused:
        rules.check_payable("INV-000001", InvoiceStatus.PAID)
    assert refused.value.kind is Problem.INVALID


# --- the review token ----------------------------------------------------------------

def basis(**changes) -> QuoteBasis:
    catalog = Catalog(CURRENCIES["USD"], Tax(), Settings(),
                      {p.id: p for p in (BASIC, START, BUSINESS)}, generation="g1")
    fields = dict(viewer=OWNER, service=SERVICE, target=BUSINESS, cycle="monthly", now=NOW,
                  balance=D("1.00"), catalog=catalog)
    return QuoteBasis(**{**fields, **changes})


def test_the_same_figures_give_the_same_token_anything_changed_another():
    _, token = rules.price_change(basis())
    assert rules.price_change(basis(now=datetime(2026, 3, 17, 18, 0)))[1] == token
    for changed in (basis(balance=D("2.00")), basis(now=datetime(2026, 3, 18, 9, 0)),
                    basis(service=replace(SERVICE, version=1)), basis(cycle="annually")):
        assert rules.price_change(changed)[1] != token


def test_a_period_with_no_day_left_cannot_be_priced():
    with pytest.raises(Refused) as refused:
        rules.price_change(basis(now=datetime(2026, 4, 1, 9, 0)))
    assert refused.value.kind is Problem.CONFLICT
