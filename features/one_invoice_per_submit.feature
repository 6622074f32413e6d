# The article's sample account holds $1.00 of credit: every scenario here keeps it (credit-balance).
@guide:upgrade-6 @needs:credit-balance
Feature: Every Submit issues exactly one invoice
  Each Submit issues an invoice of its own, even for $0.00. The same review
  submitted twice (a second click before the portal answered, a second tab)
  issues one invoice and shows it (SPEC §6.9, §6.11). Invoice numbers are read
  from the screen. The state is the article's sample account (see upgrade.feature).

  Background:
    Given the sample account of the help article
    And "alice@example.com" is logged in

  @needs:clock
  Scenario: A second change on the same account gets an invoice of its own
    When she submits the change to "Start" billed "Monthly"
    Then the invoice of this change is "Paid" with a Total of "$2.73"
    When the clock reaches "2026-03-20" and she refreshes the page
    And she submits the change to "Business" billed "Monthly"
    # Start → Business with 12 of 31 days left: 18.00 × 12/31 = 6.967… → 6.97;
    # tax 0.697 → 0.70; the credit was used by the first change: 7.67
    Then a new invoice is shown, dated "2026-03-20", "Paid" with a Total of "$7.67"
    When she opens the Invoices list
    Then it lists the invoices she was shown

  Scenario: A second click on Submit before the portal answered the first issues one invoice
    When she reviews the change to "Start" billed "Monthly"
    And she clicks "Submit" twice, the portal slow to answer the first click
    Then the invoice of this change is "Paid" with a Total of "$2.73"
    When she opens the Invoices list
    Then the Invoices list shows only the invoice of this change, dated "2026-03-17", "Paid", with a Total of "$2.73"

  Scenario: The same review submitted in a second tab shows the invoice already issued
    When she reviews the change to "Start" billed "Monthly"
    And she opens the same review in a second tab
    And she clicks "Submit"
    Then the invoice of this change is "Paid" with a Total of "$2.73"
    When she clicks "Submit" in the second tab
    Then the second tab shows the same invoice
    When she opens the Invoices list
    Then it lists the invoices she was shown

  @guide:faq-amount-zero @needs:bank-transfer
  Scenario: A $0.00 invoice is Paid at once, even for a client who pays by bank transfer
    Given Alice pays by "bank transfer"
    And the service is on "Start" billed "Monthly"
    When she submits the change to "Basic" billed "Monthly"
    Then the invoice of this change is "Paid" with a Total of "$0.00"
