"""EXAMPLE ONLY, NOT A TESTED INTEGRATION: a portal driver for a WHMCS-style admin API.

A starting point for a team whose staging portal is WHMCS (or has a similar admin
API): copy it into your own package, fill in the TODOs for your installation, and
register it (see the README, "Testing your own portal"). Nothing here has run
against a real WHMCS; the suite only checks that this file imports.

What it maps (WHMCS API actions, POSTed to <portal>/includes/api.php):
    seed        AddClient (+ AddCredit for a credit balance), AddOrder + AcceptOrder
                per service, UpdateClientProduct to set the next due date
    pay_invoice AddInvoicePayment
    state       GetClientsDetails, GetClientsProducts, GetInvoices
    log_in      CreateSsoToken (a one-time login link, so no login form is posted)
    discard     DeleteClient

What it cannot do, so it does not declare it (those scenarios are skipped):
    clock, scenario-date WHMCS runs on the server's real date; there is no test clock, and
                         seed() shifts the scenario's dates to today.
    per-account-tax,     tax rules and products are the installation's, not an account's:
    per-account-catalog  seed() refuses (CannotSeed) a scenario whose plans are not PRODUCTS.
    provisioning-delay,  portal-wide settings, not per account: declare them only if
    downgrade-at-renewal your staging portal is configured that way for every run.
    permissions          sub-accounts with rights: possible with WHMCS user management;
                         left out of this sketch.
"""
from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
from datetime import date, datetime
from uuid import uuid4

from drivers import Account, CannotSeed, PortalDriver

# TODO: the product id in your WHMCS for each plan id the scenarios use. Their prices
# must be the scenario's (the article's sample: Basic $5.00, Start $12.00, Business $30.00
# a month); seed() refuses a scenario priced otherwise rather than fail later on screen.
PRODUCTS = {"basic": 1, "start": 2, "business": 3}
# WHMCS spells cycles its own way.
CYCLES = {"monthly": "monthly", "quarterly": "quarterly", "semiannually": "semiannually",
          "annually": "annually"}
# TODO: your payment gateways' module names.
GATEWAYS = {"card": "stripe", "bank_transfer": "banktransfer"}


class WhmcsError(RuntimeError):
    """The admin API answered result=error."""


class WhmcsDriver(PortalDriver):
    name = "whmcs-example"
    capabilities = frozenset({"pay", "state", "cycle-change", "bank-transfer", "credit-balance",
                              "several-services"})

    def __init__(self, base_url: str):
        super().__init__(base_url)
        # API credentials (Setup > Staff Management > API Credentials) from the environment,
        # never from the repository.
        self.api_url = os.environ.get("WHMCS_API_URL", f"{self.base_url}/includes/api.php")
        self.identifier = os.environ.get("WHMCS_API_IDENTIFIER", "")
        self.secret = os.environ.get("WHMCS_API_SECRET", "")

    # --- the calls ---------------------------------------------------------------------

    def _call(self, action: str, **fields) -> dict:
        body = urllib.parse.urlencode({"action": action, "identifier": self.identifier,
                                       "secret": self.secret, "responsetype": "json", **fields},
                                      doseq=True).encode()
        with urllib.request.urlopen(self.api_url, data=body, timeout=30) as answer:
            reply = json.load(answer)
        if reply.get("result") != "success":
            raise WhmcsError(f"{action}: {reply.get('message', reply)}")
        return reply

    # --- seeding -----------------------------------------------------------------------

    def seed(self, scenario: dict) -> Account:
        unknown = sorted({service["plan"] for service in scenario["services"]} - set(PRODUCTS))
        if unknown:  # a scenario this installation cannot represent: skipped with the reason
            raise CannotSeed(f"no WHMCS product for plan(s) {', '.join(unknown)}")
        run = uuid4().hex[:8]  # unique emails per scenario, so parallel runs never collide
        today = date.today()
        # The scenario's dates are relative to its `now`; WHMCS lives in today. Shift them.
        # (Amounts that depend on the month's length may then differ from the article's:
        # run those scenarios on a portal with a clock, or pin the dates in your staging.)
        shift = today - datetime.fromisoformat(str(scenario["now"])).date()
        logins, clients, services = {}, {}, {}
        for client in scenario["clients"]:
            local, _, domain = client["email"].partition("@")
            login = f"{local}+{run}@{domain}"
            first, _, last = client.get("name", local).partition(" ")
            reply = self._call("AddClient", firstname=first, lastname=last or "Example", email=login,
                               password2=client["password"], address1="1 Example Street",
                               city="Example", state="EX", postcode="00000", country="US",
                               phonenumber="5550000000", currency=1,  # TODO: your currency id
                               skipvalidation=True)
            clients[client["email"]] = reply["clientid"]
            logins[client["email"]] = login
            if float(client.get("credit", 0)):
                self._call("AddCredit", clientid=reply["clientid"], amount=client["credit"],
                           description="scenario credit balance")
        for service in scenario["services"]:
            client = next(c for c in scenario["clients"] if c["email"] == service["client"])
            order = self._call("AddOrder", clientid=clients[service["client"]],
                               pid=[PRODUCTS[service["plan"]]],
                               billingcycle=[CYCLES[service["cycle"]]],
                               paymentmethod=GATEWAYS[client.get("payment_method", "card")],
                               noinvoice=True, noemail=True)
            self._call("AcceptOrder", orderid=order["orderid"], autosetup=False, sendemail=False)
            real_id = int(str(order["serviceids"]).split(",")[0])
            next_due = date.fromisoformat(str(service["next_due"])) + shift
            self._call("UpdateClientProduct", serviceid=real_id, status=service.get("status", "Active"),
                       nextduedate=next_due.isoformat())
            services[service["id"]] = real_id
        # TODO: tax, credit_on_downgrade and apply_credit_automatically are portal settings in
        # WHMCS: check here that your staging portal's match the scenario, and refuse if not.
        return Account(handle=json.dumps(sorted(clients.values())), logins=logins, services=services)

    def discard(self, account: Account) -> None:
        for client_id in json.loads(account.handle):
            self._call("DeleteClient", clientid=client_id, deleteusers=True, deletetransactions=True)

    # --- the back office -------------------------------------------------------------------

    def pay_invoice(self, account: Account, number: str) -> None:
        # The screen shows "Invoice #<number>": WHMCS's invoice id, unless your installation
        # uses custom invoice numbers (then look the id up with GetInvoices first).
        self._call("AddInvoicePayment", invoiceid=number, transid=f"suite-{uuid4().hex[:12]}",
                   gateway=GATEWAYS["bank_transfer"])

    def state(self, account: Account) -> dict:
        """The SPEC §4 shape, as far as the suite reads it: the clients' credit balances."""
        clients = []
        for client_id in json.loads(account.handle):
            details = self._call("GetClientsDetails", clientid=client_id, stats=True)
            clients.append({"email": details["client"]["email"],
                            "credit": str(details["client"]["credit"])})
        return {"clients": clients}

    def log_in(self, session, login: str, password: str) -> bool:
        """A one-time login link (CreateSsoToken) opened on the session: its cookie logs in."""
        client_id = self._call("GetClientsDetails", email=login)["client"]["id"]
        token = self._call("CreateSsoToken", client_id=client_id)
        answer = session.get(token["redirect_url"])
        return answer.ok
