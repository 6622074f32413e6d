# The article's sample account holds $1.00 of credit: every scenario here keeps it (credit-balance).
@extra @needs:credit-balance
Feature: Two accounts and two invoices side by side
  Many accounts share one portal: what another account does meanwhile (a change it
  submits, its clock moving on) leaves this account's invoices, dates and figures its
  own; and of two invoices of one account, each keeps its own figures and PDF.
  The state is the article's sample account (see upgrade.feature).

  Background:
    Given the sample account of the help article
    And "alice@example.com" is logged in

  @needs:several-accounts @needs:clock
  Scenario: What another account does meanwhile leaves her invoice, date and figures her own
    Given another account in the same portal is the sample account, on "Basic" billed "Monthly"
    When she reviews the change to "Start" billed "Monthly"
    And another account in the same portal submits the change to "Business" billed "Monthly"
    And the clock of another account in the same portal reaches "2026-03-20"
    And she clicks "Submit"
    Then a new invoice is shown, dated "2026-03-17", "Paid" with a Total of "$2.73"
    When she opens the Invoices list
    Then the Invoices list shows only the invoice of this change, dated "2026-03-17", "Paid", with a Total of "$2.73"

  @needs:clock
  Scenario: The PDF of her older invoice is that invoice's own
    When she submits the change to "Start" billed "Monthly"
    Then a new invoice is shown, dated "2026-03-17", "Paid" with a Total of "$2.73"
    When the clock reaches "2026-03-20" and she refreshes the page
    And she submits the change to "Business" billed "Monthly"
    Then a new invoice is shown, dated "2026-03-20", "Paid" with a Total of "$7.67"
    When she opens her first invoice from the Invoices list
    And she downloads the PDF
    Then the PDF says it is "Paid", dated "2026-03-17", billed to "Alice Example" at "alice@example.com"
    And the PDF lists one line, "Upgrade: Basic (Monthly) → Start (Monthly), 2026-03-17 to 2026-04-01" of "$3.39"
