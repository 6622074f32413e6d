# The article's sample account holds $1.00 of credit: every scenario here keeps it (credit-balance).
@needs:credit-balance
Feature: Downgrade a DNS SERVICE plan
  Downgrading follows the upgrade steps with a lower-tier plan as the target.
  Whether it takes effect immediately or at the next renewal depends on the
  service settings, and the portal says which.

  Here Alice's service is on Start at $12.00 / Monthly; otherwise it is the
  article's sample account (2026-03-17, next due 2026-04-01, $1.00 of credit,
  10% tax added, card).

  Background:
    Given the sample account of the help article
    And the service is on "Start" billed "Monthly"
    And "alice@example.com" is logged in

  @guide:downgrade-1 @guide:downgrade-2
  Scenario: Alice downgrades Start to Basic along the article's click path
    When she opens the Upgrade / Downgrade page
    And she selects "Basic" in "Upgrade / Downgrade to"
    Then the page says a downgrade takes effect "immediately"
    When she selects "Monthly" in "Select billing cycle"
    And she clicks "Continue"
    Then the "Total charge for today" is "$0.00"
    When she clicks "Submit"
    Then the invoice of this change is "Paid" with a Total of "$0.00"

  @guide:downgrade-1 @guide:upgrade-3
  Scenario: A lower-tier plan is offered as a downgrade
    When she opens the Upgrade / Downgrade page
    Then "Upgrade / Downgrade to" offers:
      | Basic (downgrade)  |
      | Business (upgrade) |

  @smoke @guide:downgrade-1 @guide:downgrade-2 @needs:state
  Scenario: An immediate downgrade costs nothing today and credits the unused difference
    # (5.00 − 12.00) × 15/31 = −3.387… → −3.39: nothing to pay; 1.00 + 3.39 = 4.39 of credit
    When she submits the change to "Basic" billed "Monthly"
    Then the invoice of this change is "Paid" with a Total of "$0.00"
    And Alice's credit balance is "$4.39"
    When she opens Services → DNS SERVICE
    Then the list shows "Basic" at "$5.00 / Monthly", next due "2026-04-01", "Active"

  @guide:downgrade-2
  Scenario Outline: The change page says when a downgrade takes effect
    Given downgrades take effect "<timing>"
    When she opens the Upgrade / Downgrade page
    Then the page says a downgrade takes effect "<timing>"

    Examples:
      | timing              |
      | immediately         |

    @needs:downgrade-at-renewal
    Examples:
      | timing              |
      | at the next renewal |

  @guide:downgrade-2 @needs:downgrade-at-renewal @needs:clock
  Scenario: A downgrade at the next renewal is scheduled and applied on the due date
    Given downgrades take effect "at the next renewal"
    When she submits the change to "Basic" billed "Monthly"
    Then the invoice lists one line, "Downgrade: Start (Monthly) → Basic (Monthly), effective 2026-04-01" of "$0.00"
    When she opens Services → DNS SERVICE
    Then the list shows "Start" with the note "Changes to Basic on 2026-04-01"
    When the clock reaches "2026-04-01" and she refreshes the page
    Then the list shows "Basic" at "$5.00 / Monthly"

  @guide:downgrade-2 @needs:contract-lock
  Scenario: Without a lower-tier plan on offer the page says to contact support
    Given the service may only change to "Business"
    When she opens the Upgrade / Downgrade page
    Then "Upgrade / Downgrade to" offers:
      | Business (upgrade) |
    And the page says downgrading is not available and to contact support

  @guide:downgrade-2 @needs:state
  Scenario: Under a contract that gives no credit for a downgrade, nothing is credited
    Given the contract gives no credit for a downgrade
    When she submits the change to "Basic" billed "Monthly"
    Then the invoice of this change is "Paid" with a Total of "$0.00"
    And Alice's credit balance is "$1.00"

  @guide:downgrade-2 @needs:contract-lock
  Scenario: A plan not on offer cannot be chosen by typing the review's address
    Given the service is on "Start" billed "Monthly"
    And the service may only change to "Business"
    When she opens the review of a change to "Basic" billed "Monthly" by its address
    Then the choice is refused and there is nothing to submit
