# The article's sample account holds $1.00 of credit: every scenario here keeps it (credit-balance).
@guide:upgrade-4 @needs:cycle-change @needs:credit-balance
Feature: Change the billing cycle with the plan
  Choosing another cycle in "Select billing cycle" starts a new period today: the
  new plan's price for that cycle is charged, less the unused part of the old
  period, and the next due date moves to one new cycle from today (SPEC §6.2).
  A downgrade at the next renewal takes its new cycle on the renewal date.
  The state is the article's sample account (see upgrade.feature).

  Background:
    Given the sample account of the help article
    And "alice@example.com" is logged in

  @guide:upgrade-7
  Scenario: After a change to yearly billing the list and the details show the new cycle, price and next due date
    When she submits the change to "Start" billed "Annually"
    And she opens Services → DNS SERVICE
    # A new cycle starts today, 2026-03-17: next due one year later
    Then the list shows "Start" at "$120.00 / Annually", next due "2027-03-17", "Active"
    When she selects the service "Start"
    Then "Billing Information" reads:
      | Plan          | Start      |
      | Price         | $120.00    |
      | Billing cycle | Annually   |
      | Next due date | 2027-03-17 |

  @guide:downgrade-2 @needs:downgrade-at-renewal @needs:clock
  Scenario: A downgrade at the next renewal to another cycle takes that cycle on the renewal date
    Given the service is on "Start" billed "Monthly"
    And downgrades take effect "at the next renewal"
    When she submits the change to "Basic" billed "Annually"
    And she opens Services → DNS SERVICE
    Then the list shows "Start" with the note "Changes to Basic on 2026-04-01"
    When the clock reaches "2026-04-01" and she refreshes the page
    Then the list shows "Basic" at "$50.00 / Annually"
