# The article's sample account holds $1.00 of credit: every scenario here keeps it (credit-balance).
@guide:faq-display-not-updating @needs:credit-balance
Feature: FAQ: the display is not updating after the plan change
  A paid change may take a while to be provisioned; a bank-transfer invoice
  waits for the payment. Refreshing the page shows the change once it is applied.
  The state is the article's sample account (see upgrade.feature).

  Background:
    Given the sample account of the help article
    And "alice@example.com" is logged in

  @needs:provisioning-delay @needs:clock
  Scenario: A change being provisioned shows "Change in progress", then the new plan
    Given paid changes take "30" minutes to provision
    When she submits the change to "Start" billed "Monthly"
    And she opens Services → DNS SERVICE
    Then the list shows "Basic" with the note "Change in progress"
    When the clock advances "30" minutes and she refreshes the page
    Then the list shows "Start" at "$12.00 / Monthly", next due "2026-04-01", "Active"

  @needs:provisioning-delay @needs:clock
  Scenario: Refreshing before provisioning is done still shows the change in progress
    Given paid changes take "30" minutes to provision
    When she submits the change to "Start" billed "Monthly"
    And she opens Services → DNS SERVICE
    And the clock advances "29" minutes and she refreshes the page
    Then the list shows "Basic" with the note "Change in progress"

  @needs:bank-transfer @needs:pay
  Scenario: A bank-transfer invoice stays Unpaid and the change waits for the payment
    Given Alice pays by "bank transfer"
    When she submits the change to "Start" billed "Monthly"
    Then the invoice of this change is "Unpaid" with a Total of "$2.73"
    When the bank transfer for the invoice of this change arrives and she refreshes the page
    Then the invoice of this change is "Paid" with a Total of "$2.73"
    When she opens Services → DNS SERVICE
    Then the list shows "Start" at "$12.00 / Monthly", next due "2026-04-01", "Active"

  @extra @needs:bank-transfer
  Scenario: While its invoice is Unpaid the change page and the review typed by its address point to it
    Given Alice pays by "bank transfer"
    When she submits the change to "Start" billed "Monthly"
    Then the invoice of this change is "Unpaid" with a Total of "$2.73"
    When she opens the Upgrade / Downgrade page
    Then the page points to the unpaid invoice of this change
    When she opens the review of a change to "Business" billed "Monthly" by its address
    Then the review is refused and the page points to the unpaid invoice of this change
    When she opens the Invoices list
    Then the Invoices list shows only the invoice of this change, dated "2026-03-17", "Unpaid", with a Total of "$2.73"

  @extra @needs:bank-transfer @needs:several-services
  Scenario: While its invoice is Unpaid a Submit sent to the service's address is refused and issues nothing
    Given Alice also has a "Business" service billed "Monthly"
    And Alice pays by "bank transfer"
    When she submits the change to "Start" billed "Monthly"
    Then the invoice of this change is "Unpaid" with a Total of "$2.73"
    When she reviews the change of her "Business" service to "Start" billed "Monthly" and sends its Submit to the address of the DNS SERVICE
    Then the Submit is refused and the page points to the unpaid invoice of this change
    When she opens the Invoices list
    Then it lists the invoices she was shown
