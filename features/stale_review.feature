@guide:upgrade-5
Feature: Submit charges only the figures that were reviewed
  The review shows the final calculation result. If anything it depends on
  changes before Submit (the date, the credit balance, the service), nothing is
  issued and Alice is sent back to review the new figures (SPEC §6.11).
  The state is the article's sample account (see upgrade.feature).

  Background:
    Given the sample account of the help article
    And "alice@example.com" is logged in

  @needs:clock @needs:credit-balance
  Scenario: A review from the day before is shown again with today's figures
    When she reviews the change to "Start" billed "Monthly"
    And the clock reaches "2026-03-18" before she clicks "Submit"
    Then the review is shown again, saying the figures changed
    # 7.00 × 14/31 = 3.161… → 3.16; tax 0.316 → 0.32; 3.48 − 1.00 of credit = 2.48
    And the review says "14 unused days of 31"
    And the "Total charge for today" is "$2.48"
    When she opens the Invoices list
    Then it lists the invoices she was shown

  @needs:several-services @needs:credit-balance
  Scenario: A credit balance that changed in another tab is shown again with the new credit
    Given Alice also has a "Business" service billed "Monthly"
    When she reviews the change to "Start" billed "Monthly"
    And in a second tab she changes her "Business" service to "Start" billed "Monthly"
    And she clicks "Submit"
    Then the review is shown again, saying the figures changed
    # The downgrade credited (12.00 − 30.00) × 15/31 = −8.709… → 8.71: 9.71 of credit now covers 3.73
    And the amounts read:
      | Credit applied         | $3.73 |
      | Total charge for today | $0.00 |
    When she opens the Invoices list
    Then it lists the invoices she was shown

  Scenario: A service changed in another tab is shown again as the change from its new plan
    Given Alice has a credit balance of "$0.00"
    When she reviews the change to "Start" billed "Monthly"
    And in a second tab she changes the same service to "Business" billed "Monthly"
    And she clicks "Submit"
    Then the review is shown again, saying the figures changed
    And the review compares:
      | Plan | Business | Start |
    When she opens the Invoices list
    Then it lists the invoices she was shown
