# The article's sample account holds $1.00 of credit: every scenario here keeps it (credit-balance).
@needs:credit-balance
Feature: Upgrade a DNS SERVICE plan
  As the help article shows, Alice (alice@example.com) upgrades her DNS SERVICE
  from Basic to Start: the service list, its details, the change page, the
  review, the invoice, and back to the list.

  The article's sample account: on 2026-03-17 Alice's service is on Basic at
  $5.00 / Monthly, next due 2026-04-01, Active; she has $1.00 of credit, pays by
  card, and a 10% tax is added to prices. Plans: Basic $5.00 / $50.00, Start
  $12.00 / $120.00, Business $30.00 / $300.00 (Monthly / Annually).

  Background:
    Given the sample account of the help article
    And "alice@example.com" is logged in

  @smoke @guide:overview @guide:upgrade-1 @guide:upgrade-2 @guide:upgrade-3 @guide:upgrade-4 @guide:upgrade-5 @guide:upgrade-6
  Scenario: Alice upgrades Basic to Start along the article's click path
    When she opens "Basic" from Services → DNS SERVICE
    And she clicks "Upgrade / Downgrade" in "Billing Information"
    And she selects "Start" in "Upgrade / Downgrade to"
    And she selects "Monthly" in "Select billing cycle"
    And she clicks "Continue"
    Then the "Total charge for today" is "$2.73"
    When she clicks "Submit"
    Then the invoice of this change is "Paid" with a Total of "$2.73"

  @guide:upgrade-1
  Scenario: The DNS SERVICE list shows the service and leads to its details
    When she opens Services → DNS SERVICE
    Then the list shows "Basic" at "$5.00 / Monthly", next due "2026-04-01", "Active"
    When she selects the service "Basic"
    Then the details of "Basic" are shown

  @guide:upgrade-2
  Scenario: The Billing Information section holds the Upgrade / Downgrade link
    When she opens the details of the DNS SERVICE
    Then "Billing Information" reads:
      | Plan          | Basic      |
      | Price         | $5.00      |
      | Billing cycle | Monthly    |
      | Next due date | 2026-04-01 |
      | Status        | Active     |
    And "Upgrade / Downgrade" is offered

  @guide:upgrade-3
  Scenario: The change page offers every other plan with its tier
    When she opens the Upgrade / Downgrade page
    Then "Upgrade / Downgrade to" offers:
      | Start (upgrade)    |
      | Business (upgrade) |

  @guide:upgrade-4 @needs:cycle-change
  Scenario Outline: The billing cycles offered are those the chosen plan prices
    When she opens the Upgrade / Downgrade page
    And she selects "<plan>" in "Upgrade / Downgrade to"
    Then "Select billing cycle" offers:
      | <monthly>  |
      | <annually> |

    Examples:
      | plan     | monthly          | annually           |
      | Start    | Monthly — $12.00 | Annually — $120.00 |
      | Business | Monthly — $30.00 | Annually — $300.00 |

  @guide:upgrade-5 @needs:cycle-change
  Scenario: The review shows the change before → after and the final amounts
    When she reviews the change to "Start" billed "Annually"
    Then the review compares:
      | Plan            | Basic           | Start              |
      | Billing cycle   | Monthly         | Annually           |
      | Recurring price | $5.00 / Monthly | $120.00 / Annually |
      | Next due date   | 2026-04-01      | 2027-03-17         |
    # A new cycle (SPEC §6.2): 120.00 − 5.00 × 15/31 = 120 − 2.419354… = 117.580645… → 117.58
    # Tax 117.58 × 10% = 11.758 → 11.76; 117.58 + 11.76 = 129.34; credit 1.00 → 128.34
    And the review's amounts rows are, in this order:
      | Subtotal               | $117.58 |
      | Tax (10%)              | $11.76  |
      | Credit applied         | $1.00   |
      | Total charge for today | $128.34 |
    And the review says "15 unused days of 31"
    And the review says the amount shown is the final calculation result

  @guide:upgrade-5 @needs:cycle-change
  Scenario: The review of an upgrade to Business billed annually
    # 300.00 − 5.00 × 15/31 = 297.580… → 297.58; tax 29.758 → 29.76; 327.34 − 1.00 credit = 326.34
    When she reviews the change to "Business" billed "Annually"
    Then the "Total charge for today" is "$326.34"

  @guide:upgrade-6
  Scenario: The invoice is shown after Submit and its PDF carries the same figures
    When she submits the change to "Start" billed "Monthly"
    Then the invoice of this change is "Paid" with a Total of "$2.73"
    And the invoice lists one line, "Upgrade: Basic (Monthly) → Start (Monthly), 2026-03-17 to 2026-04-01" of "$3.39"
    And the invoice is billed to "Alice Example" at "alice@example.com"
    When she downloads the PDF
    # (12.00 − 5.00) × 15/31 = 3.387… → 3.39; tax 0.339 → 0.34; 3.73 − 1.00 credit = 2.73
    # The PDF is read on its own: its amounts rows, whole and in their order, status, date, billed-to and line.
    Then the PDF shows the invoice of this change with:
      | Subtotal       | $3.39 |
      | Tax (10%)      | $0.34 |
      | Credit applied | $1.00 |
      | Total          | $2.73 |
    And the PDF says it is "Paid", dated "2026-03-17", billed to "Alice Example" at "alice@example.com"
    And the PDF lists one line, "Upgrade: Basic (Monthly) → Start (Monthly), 2026-03-17 to 2026-04-01" of "$3.39"

  @guide:upgrade-7
  Scenario: Back on the DNS SERVICE list the service shows its new plan and price
    When she submits the change to "Start" billed "Monthly"
    And she opens Services → DNS SERVICE
    Then the list shows "Start" at "$12.00 / Monthly", next due "2026-04-01", "Active"
