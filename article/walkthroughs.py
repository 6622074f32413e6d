"""The article's walkthroughs: the flows its screenshots are taken on.

Each walks the sample environment (or a variant of it built here) through the suite's
page objects, checks on the way that the portal still behaves as the article says, and
shoots each of its steps. The scenario variants are plain functions of the sample.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pages import Target

from .walk import Walk

SAMPLE = Path(__file__).resolve().parent.parent / "simulator" / "sample_scenario.yaml"


def sample_scenario() -> dict:
    """simulator/sample_scenario.yaml as a JSON-ready mapping (dates as ISO strings)."""
    import yaml

    def plain(value):
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(SAMPLE.read_text(encoding="utf-8")))


def _sample(scenario: dict) -> dict:
    return scenario


def _on_start(scenario: dict) -> dict:
    """Alice's service is on Start, every other plan offered: the downgrade to Basic."""
    service = scenario["services"][0]
    service["plan"] = "start"
    service.pop("allowed_targets", None)
    return scenario


def _suspended(scenario: dict) -> dict:
    scenario["services"][0]["status"] = "Suspended"
    return scenario


def _credit_covers_all(scenario: dict) -> dict:
    scenario["clients"][0]["credit"] = "10.00"
    return scenario


def _provisioning_delay(scenario: dict) -> dict:
    scenario["settings"]["provisioning_delay_minutes"] = 30
    return scenario


@dataclass(frozen=True)
class Walkthrough:
    name: str
    steps: tuple[str, ...]  # the steps it photographs, one screenshot each
    scenario: Callable[[dict], dict]  # the sample, changed as this walk needs
    walk: Callable[["Walk"], None]


WALKTHROUGHS: list[Walkthrough] = []


def walkthrough(*steps: str, scenario: Callable[[dict], dict] = _sample):
    def register(walk: Callable[["Walk"], None]):
        WALKTHROUGHS.append(Walkthrough(walk.__name__, steps, scenario, walk))
        return walk
    return register

def _price(portal, plan: str):
    row = portal.services.row(plan)
    return Target(f"price of {plan} in the DNS SERVICE list", row.locator.get_by_role("cell").first)


def _amounts(walk: Walk, rows, **expected: str) -> None:
    for key, amount in expected.items():
        walk.expect(rows.value(key), amount)


@walkthrough(*(f"upgrade-{n}" for n in range(1, 8)))
def upgrade(walk: Walk) -> None:
    """Upgrade Instructions 1–7 on the sample: Basic → Start, monthly, $2.73 today."""
    portal = walk.portal
    with walk.step("upgrade-1"):
        walk.log_in()
        portal.menu.open_dns_service()
        walk.expect(_price(portal, "Basic"), "$5.00 / Monthly")
        walk.shot(portal.menu.dns_service, portal.services.service_link("Basic"))
        portal.services.open_service("Basic")
    with walk.step("upgrade-2"):
        walk.expect(portal.details.fact("the Status row"), "Active")  # Prerequisites
        walk.shot(portal.details.change_link)
        portal.details.open_change()
    with walk.step("upgrade-3"):
        walk.expect_options(portal.change.target_options, "Start (upgrade)", "Business (upgrade)")
        portal.change.choose_plan("Start")
        walk.shot(portal.change.target_plan)
    with walk.step("downgrade-2"):  # Basic is the lowest tier: no plan below it
        walk.expect_shown(portal.change.no_downgrade_note)
    with walk.step("upgrade-4"):
        walk.expect_options(portal.change.cycle_options, "Monthly", "Annually")
        portal.change.choose_cycle("monthly")
        walk.shot(portal.change.billing_cycle, portal.change.continue_button)
        portal.change.continue_()
    with walk.step("upgrade-5"):
        review = portal.review
        walk.expect(review.compared("the Plan row"), "Basic", "Start")
        walk.expect(review.compared("the Billing cycle row"), "Monthly", "Monthly")
        walk.expect(review.compared("the Recurring price row"), "$5.00 / Monthly", "$12.00 / Monthly")
        walk.expect(review.compared("the Next due date row"), "2026-04-01", "2026-04-01")
        _amounts(walk, review.amounts, **{"the Subtotal row": "$3.39", "the tax row": "$0.34",
                                          "the Credit applied row": "$1.00",
                                          "the Total charge for today row": "$2.73"})
        walk.expect_shown(review.final_note)
        walk.shot(review.amounts.row("the Total charge for today row"), review.submit_button)
        review.submit()
    with walk.step("upgrade-6"):
        walk.expect(portal.invoice.heading, "Invoice #INV-000001")
        walk.expect(portal.invoice.status, "Paid")
        walk.expect(portal.invoice.amounts.value("the Total row"), "$2.73")
        walk.expect_pdf(portal.invoice.download_link)
        walk.shot(portal.invoice.download_link)
    with walk.step("upgrade-7"):
        portal.menu.open_dns_service()
        walk.expect(_price(portal, "Start"), "$12.00 / Monthly")
        walk.shot(portal.services.row("Start"))


@walkthrough("downgrade-1", "downgrade-2", scenario=_on_start)
def downgrade(walk: Walk) -> None:
    """Downgrade Instructions: Start → Basic, immediately, the difference credited."""
    portal = walk.portal
    with walk.step("downgrade-1"):  # "Follow steps 1–4 from Upgrade Instructions"
        walk.log_in()
        portal.services.open_service("Start")
        portal.details.open_change()
        walk.expect_options(portal.change.target_options, "Basic (downgrade)")
        portal.change.choose_plan("Basic")
        walk.shot(portal.change.target_plan)
    with walk.step("downgrade-2"):
        walk.expect_shown(portal.change.note("the note that a downgrade takes effect immediately"))
        portal.change.choose_cycle("monthly")
        portal.change.continue_()
        _amounts(walk, portal.review.amounts, **{"the Total charge for today row": "$0.00",
                                                 "the Credit added to your balance row": "$3.39"})
        walk.shot(portal.review.statement("This downgrade takes effect immediately."))
    with walk.step("downgrade-1"):  # ... and click "Submit" to confirm
        portal.review.submit()
        walk.expect(portal.invoice.status, "Paid")
        walk.expect(portal.invoice.amounts.value("the Total row"), "$0.00")
        portal.menu.open_dns_service()
        walk.expect(_price(portal, "Basic"), "$5.00 / Monthly")


@walkthrough("faq-link-not-displayed", scenario=_suspended)
def link_not_displayed(walk: Walk) -> None:
    """FAQ: no "Upgrade / Downgrade" link for a service that is not Active."""
    portal = walk.portal
    with walk.step("faq-link-not-displayed"):
        walk.log_in()
        portal.services.open_service("Basic")
        walk.expect(portal.details.fact("the Status row"), "Suspended")
        walk.expect_absent(portal.details.change_link)
        walk.expect_shown(portal.details.support_note)
        walk.shot(portal.details.support_note)


@walkthrough("faq-amount-zero", scenario=_credit_covers_all)
def amount_zero(walk: Walk) -> None:
    """FAQ: a credit balance offsets the whole difference; today's total is $0.00."""
    portal = walk.portal
    with walk.step("faq-amount-zero"):
        walk.log_in()
        portal.change.review_change(1001, "Start", "monthly")
        _amounts(walk, portal.review.amounts, **{"the Subtotal row": "$3.39", "the tax row": "$0.34",
                                                 "the Credit applied row": "$3.73",
                                                 "the Total charge for today row": "$0.00"})
        walk.shot(portal.review.amounts.row("the Total charge for today row"))


@walkthrough("faq-display-not-updating", scenario=_provisioning_delay)
def display_not_updating(walk: Walk) -> None:
    """FAQ: a paid change still being provisioned reads "Change in progress" until it lands."""
    portal = walk.portal
    with walk.step("faq-display-not-updating"):
        walk.log_in()
        portal.change.review_change(1001, "Start", "monthly")
        portal.review.submit()
        walk.expect(portal.invoice.status, "Paid")
        portal.services.open()
        walk.expect(_price(portal, "Basic"), "$5.00 / Monthly")
        in_progress = portal.services.row("Basic").locator.get_by_text("Change in progress", exact=True)
        walk.shot(Target("Change in progress note", in_progress))
        walk.control.advance(minutes=30)  # provisioning done; "try refreshing your browser"
        portal.refresh()
        walk.expect(_price(portal, "Start"), "$12.00 / Monthly")


# Every step a marker may name, in the walks' order.
STEPS = tuple(step for walk in WALKTHROUGHS for step in walk.steps)
