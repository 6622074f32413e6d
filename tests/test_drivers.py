"""Portal drivers (SPEC §9): choosing one, the bundled simulator driver over tenants,
and the checks that keep scenarios honest about the capabilities they use."""
from __future__ import annotations

import copy
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from drivers import CAPABILITIES, ENTRY_POINT_GROUP, DriverNotFound, PortalDriver, served
from drivers.loading import driver_class
from drivers.plugin import missing_reason
from drivers.simulator import SimulatorDriver
from harness import skips
from harness.control_client import ControlError
from harness.server import start_simulator
from steps.world import SAMPLE, World
from tests.drivers import GlobalTaxDriver, NoClockDriver

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def portal_url():
    server = start_simulator()
    yield server.url
    server.stop()


# --- choosing a driver ----------------------------------------------------------------

def test_the_bundled_driver_and_module_class_are_found():
    assert driver_class("simulator") is SimulatorDriver
    assert driver_class("tests.drivers:NoClockDriver") is NoClockDriver


@pytest.mark.parametrize("spec, says", [
    ("nosuch", "'nosuch': no such driver; available: simulator"),
    ("tests.drivers:Missing", "module 'tests.drivers' has no 'Missing'"),
    ("no_such_module:Driver", "cannot import 'no_such_module'"),
    ("tests.drivers:NotADriver", "is not a PortalDriver subclass"),
    ("tests.drivers:", "expected a name (simulator) or module:Class"),
])
def test_a_bad_driver_name_says_what_is_wrong(spec, says):
    with pytest.raises(DriverNotFound) as refused:
        driver_class(spec)
    assert says in str(refused.value) and "\n" not in str(refused.value)


def test_a_driver_registered_under_the_entry_point_group_is_found_by_name(tmp_path, monkeypatch):
    dist = tmp_path / "acme_portal_driver-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-portal-driver\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nacme = tests.drivers:NoClockDriver\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert driver_class("acme") is NoClockDriver


def test_a_driver_declaring_an_unknown_capability_is_refused(monkeypatch):
    class Odd(SimulatorDriver):
        capabilities = frozenset({"clock", "teleport"})

    monkeypatch.setattr(sys.modules["tests.drivers"], "Odd", Odd, raising=False)
    with pytest.raises(DriverNotFound, match=r"unknown capabilities \['teleport'\]"):
        driver_class("tests.drivers:Odd")


def test_a_bad_portal_driver_option_is_a_one_line_usage_error():
    run = subprocess.run([sys.executable, "-m", "pytest", "tests/test_acceptance.py", "-p", "no:cacheprovider", "--collect-only",
                          "-q", "-p", "no:randomly", "--portal-driver", "nosuch"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 4, run.stdout + run.stderr
    assert run.stderr.strip().splitlines() == [
        "ERROR: --portal-driver 'nosuch': no such driver; available: simulator, or module:Class"]


# --- the simulator driver -----------------------------------------------------------------

def test_each_seeded_account_gets_logins_and_ids_of_its_own(portal_url):
    driver = SimulatorDriver(portal_url)
    first, second = driver.seed(copy.deepcopy(SAMPLE)), driver.seed(copy.deepcopy(SAMPLE))
    assert first.handle != second.handle
    assert first.logins["alice@example.com"] != second.logins["alice@example.com"]
    assert set(first.logins) == {"alice@example.com", "bob@example.com"}
    assert first.services[1001] != second.services[1001]
    state = driver.state(first)
    assert [s["id"] for s in state["services"]] == [first.services[1001]]
    assert [c["email"] for c in state["clients"]] == [first.logins["alice@example.com"]]
    driver.discard(first)
    driver.discard(second)


def test_the_clock_moves_for_one_account_only(portal_url):
    driver = SimulatorDriver(portal_url)
    moved, still = driver.seed(copy.deepcopy(SAMPLE)), driver.seed(copy.deepcopy(SAMPLE))
    driver.set_clock(moved, datetime(2026, 3, 20, 9))
    driver.advance_clock(moved, 30)
    assert driver.state(moved)["now"] == "2026-03-20T09:30:00"
    assert driver.state(still)["now"] == SAMPLE["now"]
    driver.discard(moved)
    driver.discard(still)


def test_a_discarded_account_is_gone(portal_url):
    driver = SimulatorDriver(portal_url)
    account = driver.seed(copy.deepcopy(SAMPLE))
    tenant = driver._tenants[account.handle]
    driver.discard(account)
    with pytest.raises(ControlError, match="404"):
        tenant.state()


def test_a_driver_without_a_capability_says_so():
    class SeedOnly(PortalDriver):
        name = "seed-only"

        def seed(self, scenario):
            raise AssertionError("not called")

        def discard(self, account):
            pass

    with pytest.raises(NotImplementedError, match="'seed-only' cannot do 'clock' \\(moves the account"):
        SeedOnly("http://portal").advance_clock(None, 5)


# --- the world keeps scenarios honest about their @needs tags -------------------------------

def test_a_scenario_that_uses_a_capability_it_does_not_declare_fails_naming_the_tag(portal_url):
    world = World(SimulatorDriver(portal_url), needs=frozenset({"credit-balance"}))
    world.owner["payment_method"] = "bank_transfer"
    with pytest.raises(AssertionError, match="not tagged @needs:bank-transfer"):
        world.account
    with pytest.raises(AssertionError, match="not tagged @needs:clock"):
        world.advance_clock(5)


def test_a_given_after_the_account_is_seeded_is_refused(portal_url):
    world = World(SimulatorDriver(portal_url), needs=frozenset(CAPABILITIES))
    assert world.service_id() != 1001  # the portal's id, not the scenario's
    with pytest.raises(RuntimeError, match="put every Given before the first When"):
        world.owner["credit"] = "5.00"
    world.discard()


def test_without_permissions_the_extra_logins_are_not_seeded(portal_url):
    world = World(_without("permissions", portal_url), needs=frozenset({"credit-balance"}))
    assert set(world.account.logins) == {"alice@example.com"}
    world.discard()


def _without(capability: str, url: str) -> PortalDriver:
    class Reduced(SimulatorDriver):
        capabilities = SimulatorDriver.capabilities - {capability}

    return Reduced(url)


def test_the_whmcs_example_imports_as_a_driver():
    """The README's example: an untested sketch, but it must stay valid Python and a driver."""
    example = driver_class("drivers.examples.whmcs_example:WhmcsDriver")
    assert example.name == "whmcs-example" and "clock" not in example.capabilities


# --- what a scenario uses, and a driver refusing what its portal cannot represent ------------

def _tagged(*needs: str) -> frozenset[str]:
    return frozenset(needs)


@pytest.mark.parametrize("edit, capability", [
    (lambda world: world.scenario.update(tax={"name": "VAT", "rate": "20", "inclusive": False}), "per-account-tax"),
    (lambda world: world.scenario["plans"][0]["prices"].update(quarterly="14.00"), "per-account-catalog"),
    (lambda world: world.add_service("alice@example.com", "Business", "monthly"), "several-services"),
    (lambda world: world.owner.update(credit="2.50"), "credit-balance"),
])
def test_what_differs_from_the_sample_needs_its_capability(portal_url, edit, capability):
    world = World(SimulatorDriver(portal_url), needs=_tagged("permissions"))
    world.owner["credit"] = "0"
    edit(world)
    with pytest.raises(AssertionError, match=f"not tagged @needs:{capability}"):
        world.account
    tagged = World(SimulatorDriver(portal_url), needs=_tagged("permissions", capability, "credit-balance"))
    tagged.owner["credit"] = "0"
    edit(tagged)
    assert tagged.account.logins
    tagged.discard()


def test_the_sample_needs_only_a_credit_balance(portal_url):
    """The article's account: the portal's own tax, catalog and one service; its $1.00 of credit."""
    world = World(SimulatorDriver(portal_url), needs=_tagged("credit-balance"))
    assert set(world.account.logins) == {"alice@example.com", "bob@example.com"}
    world.discard()
    without_credit = World(_without("permissions", portal_url), needs=frozenset())
    without_credit.owner["credit"] = "0.00"
    assert without_credit.account.services
    without_credit.discard()


def test_a_given_that_names_the_date_needs_scenario_date_or_clock(portal_url):
    world = World(SimulatorDriver(portal_url), needs=_tagged("credit-balance"))
    with pytest.raises(AssertionError, match="not tagged @needs:scenario-date"):
        world.set_today(datetime(2026, 3, 2).date())
    for needs in (_tagged("scenario-date"), _tagged("clock")):  # a clock can seed any date too
        world = World(SimulatorDriver(portal_url), needs=needs | {"credit-balance"})
        world.set_today(datetime(2026, 3, 2).date())
        assert driver_state_now(world) == "2026-03-02T09:00:00"  # a bare date is 09:00 (SPEC §3)
        world.discard()


def driver_state_now(world: World) -> str:
    return world.driver.state(world.account)["now"]


def test_a_driver_with_a_clock_serves_scenario_date_and_one_without_either_lacks_it():
    assert "scenario-date" in served(frozenset({"clock"}))
    dated = frozenset({"scenario-date"})

    class OnTheRealDate(SimulatorDriver):
        name = "real-date"
        capabilities = SimulatorDriver.capabilities - {"clock", "scenario-date"}

    assert missing_reason(NoClockDriver, dated) is None  # it still seeds as of a date
    assert missing_reason(OnTheRealDate, dated) == (
        "portal driver 'real-date' lacks scenario-date (seeds an account as of the scenario's date, "
        "without moving a clock later (a driver with clock has it too))")
    assert missing_reason(OnTheRealDate, frozenset({"clock"})).startswith("portal driver 'real-date' lacks clock")


def test_a_scenario_its_driver_cannot_represent_is_skipped_with_the_driver_s_reason(portal_url):
    world = World(GlobalTaxDriver(portal_url), needs=frozenset(CAPABILITIES))
    world.scenario["tax"] = {"name": "Tax", "rate": "8", "inclusive": False}
    with pytest.raises(pytest.skip.Exception) as skipped:
        world.login("alice@example.com")  # whatever first needs the account: a step or a fixture
    assert isinstance(skipped.value, skips.Skip) and skipped.value.kind == skips.REFUSED
    assert skipped.value.msg == ("refused by portal driver 'simulator-global-tax-no-quarterly': this portal "
                                 "has one tax for all accounts, 10% added, not 8% added")
    world.discard()  # nothing seeded, nothing to discard
