"""Givens: the scenario's starting state, seeded through the control API, and who is logged in.

Each step changes the `world` mapping (the article's sample account to begin
with) and loads it into the simulator; none of them touches the browser.
"""
from __future__ import annotations

from datetime import date

from pytest_bdd import given

from .types import Cycle, Money, step
from .world import SignedIn, StorageStates, World


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
    world.load()


@given(step('the service is on "{plan:Text}" billed "{cycle:Cycle}"'))
def _(world: World, plan: str, cycle: Cycle):
    world.service.update(plan=world.plan_id(plan), cycle=cycle.id)
    world.load()


@given(step('it is "{today:Date}" and the service is on "{plan:Text}" billed "{cycle:Cycle}", next due "{next_due:Date}"'))
def _(world: World, today: date, plan: str, cycle: Cycle, next_due: date):
    world.scenario["now"] = today.isoformat()
    world.service.update(plan=world.plan_id(plan), cycle=cycle.id, next_due=next_due.isoformat())
    world.load()


@given(step('today is "{today:Date}"'))
def _(world: World, today: date):
    world.scenario["now"] = today.isoformat()
    world.load()


@given(step('Alice has a credit balance of "{credit:Money}"'))
def _(world: World, credit: Money):
    world.owner["credit"] = credit.amount
    world.load()


@given(step('Alice has a credit balance of "{credit:Money}" and the tax is "{tax:Tax}"'))
def _(world: World, credit: Money, tax: dict):
    world.owner["credit"] = credit.amount
    world.scenario["tax"] = tax
    world.load()


@given(step('the tax is "{tax:Tax}"'))
def _(world: World, tax: dict):
    world.scenario["tax"] = tax
    world.load()


@given(step('Alice pays by "{method:PaymentMethod}"'))
def _(world: World, method: str):
    world.owner["payment_method"] = method
    world.load()


@given(step('the service\'s status is "{status:Text}"'))
def _(world: World, status: str):
    world.service["status"] = status
    world.load()


@given("the contract locks plan changes")
def _(world: World):
    world.service["plan_change_allowed"] = False
    world.load()


@given(step('"{email:Email}" may not change plans'))
def _(world: World, email: str):
    world.user(email)["can_change_plans"] = False
    world.load()


@given(step('the service may only change to "{plan:Text}"'))
def _(world: World, plan: str):
    world.service["allowed_targets"] = [world.plan_id(plan)]
    world.load()


@given(step('downgrades take effect "{timing:Timing}"'))
def _(world: World, timing: str):
    world.scenario["settings"]["downgrade_timing"] = timing
    world.load()


@given(step('paid changes take "{minutes:d}" minutes to provision'))
def _(world: World, minutes: int):
    world.scenario["settings"]["provisioning_delay_minutes"] = minutes
    world.load()


@given(step('"{email:Email}" is logged in'))
def _(world: World, email: str, signed_in: SignedIn, storage_states: StorageStates):
    if signed_in.context_opened:
        raise RuntimeError("log in before the scenario's first look at the portal: the browser context is already open")
    signed_in.storage_state = storage_states.for_user(email, world.user(email)["password"])


@given("a visitor who is not logged in")
def _(signed_in: SignedIn):
    signed_in.storage_state = None


@given(step('"{email:Email}" may change plans'))
def _(world: World, email: str):
    world.user(email)["can_change_plans"] = True
    world.load()


@given("the contract gives no credit for a downgrade")
def _(world: World):
    world.scenario["settings"]["credit_on_downgrade"] = False
    world.load()


@given("Alice's credit balance is not applied to new invoices automatically")
def _(world: World):
    world.scenario["settings"]["apply_credit_automatically"] = False
    world.load()


@given(step('Alice also has a "{plan:Text}" service billed "{cycle:Cycle}"'))
def _(world: World, plan: str, cycle: Cycle):
    world.add_service(world.owner["email"], plan, cycle.id)
    world.load()


@given(step('another client, "{email:Email}", has a "{plan:Text}" service billed "{cycle:Cycle}"'))
def _(world: World, email: str, plan: str, cycle: Cycle):
    world.scenario["clients"].append({"email": email, "password": f"{email.split('@')[0]}-pass",
                                      "name": email.split("@")[0].title(), "credit": "0",
                                      "payment_method": "card"})
    world.add_service(email, plan, cycle.id)
    world.load()
