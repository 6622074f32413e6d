@guide:faq-amount-zero
Feature: FAQ: the amount shows $0 or differs from what was expected
  The difference is prorated to the days left in the period, taxed, offset by
  the credit balance, and for a downgrade credited rather than charged. The
  final result is the "Total charge for today".

  The state is the article's sample account (see upgrade.feature): Basic
  $5.00 → Start $12.00 Monthly on 2026-03-17, period 2026-03-01 → 2026-04-01
  (31 days), $1.00 of credit, 10% tax added.

  Background:
    Given the sample account of the help article
    And "alice@example.com" is logged in

  @needs:state @needs:credit-balance
  Scenario: A credit balance that covers the charge brings the total to $0.00
    # 7.00 × 15/31 = 3.387… → 3.39; tax 0.339 → 0.34; 3.73 ≤ 10.00, all paid by credit; 10.00 − 3.73 = 6.27 left
    Given Alice has a credit balance of "$10.00"
    When she reviews the change to "Start" billed "Monthly"
    Then the amounts read:
      | Subtotal               | $3.39 |
      | Tax (10%)              | $0.34 |
      | Credit applied         | $3.73 |
      | Total charge for today | $0.00 |
    When she clicks "Submit"
    Then the invoice of this change is "Paid" with a Total of "$0.00"
    And Alice's credit balance is "$6.27"

  @needs:scenario-date
  Scenario Outline: Only the days left in the period are charged
    Given today is "<today>"
    And Alice has a credit balance of "$0.00"
    When she reviews the change to "Start" billed "Monthly"
    Then the review says "<days left>"
    And the "Total charge for today" is "<total>"

    # (12.00 − 5.00) × days left / 31, then 10% tax, rounded half up
    # 03-02: 7 × 30/31 = 6.774… → 6.77; tax 0.677 → 0.68; total 7.45
    # 03-17: 7 × 15/31 = 3.387… → 3.39; tax 0.339 → 0.34; total 3.73
    # 03-30: 7 × 2/31 = 0.451… → 0.45; tax 0.045 → 0.05 (half up); total 0.50
    Examples:
      | today      | days left            | total |
      | 2026-03-02 | 30 unused days of 31 | $7.45 |
      | 2026-03-17 | 15 unused days of 31 | $3.73 |
      | 2026-03-30 | 2 unused days of 31  | $0.50 |

  @needs:state @needs:credit-balance
  Scenario: A downgrade shows $0.00 today and credits the difference instead
    # (5.00 − 12.00) × 15/31 = −3.387… → −3.39: nothing to pay; 1.00 + 3.39 = 4.39 of credit
    Given the service is on "Start" billed "Monthly"
    When she reviews the change to "Basic" billed "Monthly"
    Then the "Total charge for today" is "$0.00"
    When she clicks "Submit"
    Then the invoice of this change is "Paid" with a Total of "$0.00"
    And Alice's credit balance is "$4.39"

  Scenario Outline: Tax is added to the difference, or already included in it
    Given Alice has a credit balance of "$0.00" and the tax is "<tax>"
    When she reviews the change to "Start" billed "Monthly"
    Then the amounts read:
      | Subtotal               | $3.39        |
      | <tax row>              | <tax amount> |
      | Credit applied         | $0.00        |
      | Total charge for today | <total>      |

    # net 7 × 15/31 = 3.387… → 3.39
    # 10% added: 3.39 × 10/100 = 0.339 → 0.34; total 3.39 + 0.34 = 3.73
    # 10% included: 3.39 × 10/110 = 0.3081… → 0.31, already in 3.39; total 3.39
    # 8% added: 3.39 × 8/100 = 0.2712 → 0.27; total 3.66
    Examples: the sample's tax
      | tax          | tax row   | tax amount | total |
      | 10% added    | Tax (10%) | $0.34      | $3.73 |

    @needs:per-account-tax
    Examples: a tax of the account's own
      | tax          | tax row   | tax amount | total |
      | 10% included | Tax (10%) | $0.31      | $3.39 |
      | 8% added     | Tax (8%)  | $0.27      | $3.66 |

  @needs:per-account-tax @needs:credit-balance
  Scenario: Without tax there is no tax row
    # 3.39 − 1.00 credit = 2.39
    Given the tax is "none"
    When she reviews the change to "Start" billed "Monthly"
    Then the review shows no tax row
    And the "Total charge for today" is "$2.39"

  @needs:credit-balance
  Scenario: A credit balance the contract does not apply automatically is left out of the charge
    # 3.39 + 0.34 tax = 3.73, none of it taken from the $1.00 of credit
    Given Alice's credit balance is not applied to new invoices automatically
    When she reviews the change to "Start" billed "Monthly"
    Then the amounts read:
      | Credit applied         | $0.00 |
      | Total charge for today | $3.73 |
