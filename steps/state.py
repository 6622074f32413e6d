"""Givens: the scenario's starting state and who is logged in.

Each step changes the `world` mapping (the article's sample account to begin
with); the portal driver seeds it when the scenario first needs the portal.
None of them touches the browser.
"""
from __future__ import annotations

from datetime import date

from pytest_bdd import given

from .types import Cycle, Money, step
from .world import SignedIn, World


@given("the sample account of the help article")
def _(world: World):
    """`world` has just loaded it; the step says so in the feature."""


@given(step('the sample account of the help article with no credit and the plans priced in "{currency:Text}":'))
def _(world: World, currency: str, datatable: list[list[str]]):
    header, *rows = datatable
    cycles = [cell.strip() for cell in header[1:]]
    world.scenario["currency"] = currency
    world.scenario["plans"] = [
        {
            "id": name.strip().lower(),
            "name": name.strip(),
            "prices": {cycle: price.strip() for cycle, price in zip(cycles, prices) if price.strip()},
        }
        for name, *prices in rows
    ]
    world.service["plan"] = world.scenario["plans"][0]["id"]
    world.owner["credit"] = "0"


@given(step('the service is on "{plan:Text}" billed "{cycle:Cycle}"'))
def _(world: World, plan: str, cycle: Cycle):
    world.service.update(plan=world.plan_id(plan), cycle=cycle.id)


@given(step('it is "{today:Date}" and the service is on "{plan:Text}" billed "{cycle:Cycle}", next due "{next_due:Date}"'))
def _(world: World, today: date, plan: str, cycle: Cycle, next_due: date):
    world.set_today(today)
    world.service.update(plan=world.plan_id(plan), cycle=cycle.id, next_due=next_due.isoformat())


@given(step('today is "{today:Date}"'))
def _(world: World, today: date):
    world.set_today(today)


@given(step('Alice has a credit balance of "{credit:Money}"'))
def _(world: World, credit: Money):
    world.owner["credit"] = credit.amount


@given(step('Alice has a credit balance of "{credit:Money}" and the tax is "{tax:Tax}"'))
def _(world: World, credit: Money, tax: dict):
    world.owner["credit"] = credit.amount
    world.scenario["tax"] = {**world.scenario["tax"], **tax}


@given(step('the tax is "{tax:Tax}"'))
def _(world: World, tax: dict):
    world.scenario["tax"] = {**world.scenario["tax"], **tax}


@given(step('Alice pays by "{method:PaymentMethod}"'))
def _(world: World, method: str):
    world.owner["payment_method"] = method


@given(step('the service\'s status is "{status:Text}"'))
def _(world: World, status: str):
    world.service["status"] = status


@given("the contract locks plan changes")
def _(world: World):
    world.service["plan_change_allowed"] = False


@given(step('"{email:Email}" may not change plans'))
def _(world: World, email: str):
    world.user(email)["can_change_plans"] = False


@given(step('the service may only change to "{plan:Text}"'))
def _(world: World, plan: str):
    world.service["allowed_targets"] = [world.plan_id(plan)]


@given(step('downgrades take effect "{timing:Timing}"'))
def _(world: World, timing: str):
    world.scenario["settings"]["downgrade_timing"] = timing


@given(step('paid changes take "{minutes:d}" minutes to provision'))
def _(world: World, minutes: int):
    world.scenario["settings"]["provisioning_delay_minutes"] = minutes


@given(step('"{email:Email}" is logged in'))
def _(world: World, email: str, signed_in: SignedIn):
    if signed_in.context_opened:
        raise RuntimeError("log in before the scenario's first look at the portal: the browser context is already open")
    world.user(email)  # a user of the scenario
    signed_in.email = email


@given("a visitor who is not logged in")
def _(signed_in: SignedIn):
    signed_in.email = None


@given(step('"{email:Email}" may change plans'))
def _(world: World, email: str):
    world.user(email)["can_change_plans"] = True


@given("the contract gives no credit for a downgrade")
def _(world: World):
    world.scenario["settings"]["credit_on_downgrade"] = False


@given("Alice's credit balance is not applied to new invoices automatically")
def _(world: World):
    world.scenario["settings"]["apply_credit_automatically"] = False


@given(step('Alice also has a "{plan:Text}" service billed "{cycle:Cycle}"'))
def _(world: World, plan: str, cycle: Cycle):
    world.add_service(world.owner["email"], plan, cycle.id)


@given(step('another client, "{email:Email}", has a "{plan:Text}" service billed "{cycle:Cycle}"'))
def _(world: World, email: str, plan: str, cycle: Cycle):
    world.scenario["clients"].append({"email": email, "password": f"{email.split('@')[0]}-pass",
                                      "name": email.split("@")[0].title(), "credit": "0",
                                      "payment_method": "card"})
    world.add_service(email, plan, cycle.id)


@given(step('another account in the same portal is the sample account, on "{plan:Text}" billed "{cycle:Cycle}"'))
def _(world: World, other_accounts: list[World], plan: str, cycle: Cycle):
    """A second account (the sample's, as the run asks it) seeded beside this one when first
    used; what it does is its own."""
    world.uses("several-accounts")
    other = World(world.driver, world.needs, world._base)
    other.service.update(plan=other.plan_id(plan), cycle=cycle.id)
    other_accounts.append(other)
