# The article's sample account holds $1.00 of credit: every scenario here keeps it (credit-balance).
@extra @needs:credit-balance
Feature: Each client sees only their own services
  Many clients share one portal; none of them sees another's services, in the
  DNS SERVICE list or by opening a service's address directly, nor another's invoices.
  The state is the article's sample account plus Carol's account.

  Background:
    Given the sample account of the help article
    And another client, "carol@example.com", has a "Business" service billed "Monthly"
    And "alice@example.com" is logged in

  Scenario: The DNS SERVICE list shows only the logged-in client's services
    When she opens Services → DNS SERVICE
    Then the list shows only "Basic"

  Scenario: Another client's service cannot be opened by its address
    When she opens the details of the DNS SERVICE of "alice@example.com" by its address
    Then the details of "Basic" are shown
    When she opens the details of the DNS SERVICE of "carol@example.com" by its address
    Then the page says there is no such service and shows nothing of it

  Scenario: The Invoices list shows only the logged-in client's invoices
    When she submits the change to "Start" billed "Monthly"
    Then the invoice of this change is "Paid" with a Total of "$2.73"
    When another client, "carol@example.com", submits the change of her service to "Start" billed "Monthly"
    And she opens the Invoices list
    Then the Invoices list shows only the invoice of this change, dated "2026-03-17", "Paid", with a Total of "$2.73"
