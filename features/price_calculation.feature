@guide:upgrade-5 @guide:upgrade-6 @guide:faq-amount-zero
Feature: Price of a plan change
  The review page, the invoice and its PDF show the figures of the billing rules
  (SPEC §6). Every expected figure is worked out by hand in the comment beside
  its example: days are counted from the period's start (next due minus one
  cycle, a day past the month's end clamped to its last day) to the next due date.

  # Every rule prices the plans its own way (per-account-catalog) and names its dates.
  @needs:scenario-date @needs:per-account-catalog
  Rule: Amounts in US dollars

    Background:
      Given the sample account of the help article with no credit and the plans priced in "USD":
        | plan     | monthly | quarterly | semiannually | annually |
        | Basic    | 5.00    | 14.00     | 27.00        | 50.00    |
        | Start    | 12.00   | 33.00     | 63.00        | 120.00   |
        | Business | 30.00   |           |              | 300.00   |
      And "alice@example.com" is logged in

    # Some rows keep a credit balance or a tax of their own.
    @needs:credit-balance @needs:per-account-tax
    Scenario Outline: Today's charge for <from> <from cycle> → <to> <to cycle> on <today>
      Given it is "<today>" and the service is on "<from>" billed "<from cycle>", next due "<next due>"
      And Alice has a credit balance of "<credit>" and the tax is "<tax>"
      When she reviews the change to "<to>" billed "<to cycle>"
      Then the amounts read:
        | Subtotal               | <subtotal>       |
        | <tax row>              | <tax amount>     |
        | Credit applied         | <credit applied> |
        | Total charge for today | <total>          |
      When she clicks "Submit"
      Then the invoice and its PDF show the reviewed amounts with a Total of "<total>"

      # Same cycle (§6.1): (new price − old price) × days left / days in the period.
      # 1  SPEC §6 worked example. 03-01 → 04-01 = 31 days, 15 left.
      #    (12 − 5) × 15/31 = 3.387… → 3.39; tax 0.339 → 0.34; 3.73 − 1.00 = 2.73
      # 2  Month-end clamp: 03-31 − 1 month = 02-31 → 02-28; 02-28 → 03-31 = 31 days, 14 left.
      #    7 × 14/31 = 3.161… → 3.16; tax 0.316 → 0.32; total 3.48 (no credit)
      # 3  Leap year: 2027-03-01 → 2028-03-01 = 366 days; 2027-09-01 → 2028-03-01 = 182 left.
      #    (120 − 50) × 182/366 = 34.808… → 34.81; tax 3.481 → 3.48; total 38.29
      # 4  Leap-year clamp: 2028-03-31 − 1 month = 2028-02-29; 02-29 → 03-31 = 31 days, 03-10 → 21 left.
      #    7 × 21/31 = 4.741… → 4.74; tax 0.474 → 0.47; total 5.21
      # 5  Tax included: 3.39 × 10/110 = 0.308… → 0.31, already in 3.39; 3.39 − 1.00 = 2.39
      # 6  Partial credit: 3.73, of which 2.50 from credit; 3.73 − 2.50 = 1.23
      # 7  Full credit: 3.73 ≤ 10.00, all of it from credit; total 0.00
      # 8  Half up: 02-01 → 03-01 = 28 days, 02-24 → 5 left. 7 × 5/28 = 1.25 exactly;
      #    tax 0.125 → 0.13 (half up, not 0.12); total 1.38
      # 9  8% tax: 3.39 × 8/100 = 0.2712 → 0.27; 3.66 − 1.00 = 2.66
      Examples: the same cycle
        | today      | from     | from cycle | next due   | to    | to cycle      | credit | tax          | subtotal | tax row   | tax amount | credit applied | total   |
        | 2026-03-17 | Basic    | Monthly    | 2026-04-01 | Start | Monthly       | $1.00  | 10% added    | $3.39    | Tax (10%) | $0.34      | $1.00          | $2.73   |
        | 2026-03-17 | Basic    | Monthly    | 2026-03-31 | Start | Monthly       | $0.00  | 10% added    | $3.16    | Tax (10%) | $0.32      | $0.00          | $3.48   |
        | 2027-09-01 | Basic    | Annually   | 2028-03-01 | Start | Annually      | $0.00  | 10% added    | $34.81   | Tax (10%) | $3.48      | $0.00          | $38.29  |
        | 2028-03-10 | Basic    | Monthly    | 2028-03-31 | Start | Monthly       | $0.00  | 10% added    | $4.74    | Tax (10%) | $0.47      | $0.00          | $5.21   |
        | 2026-03-17 | Basic    | Monthly    | 2026-04-01 | Start | Monthly       | $1.00  | 10% included | $3.39    | Tax (10%) | $0.31      | $1.00          | $2.39   |
        | 2026-03-17 | Basic    | Monthly    | 2026-04-01 | Start | Monthly       | $2.50  | 10% added    | $3.39    | Tax (10%) | $0.34      | $2.50          | $1.23   |
        | 2026-03-17 | Basic    | Monthly    | 2026-04-01 | Start | Monthly       | $10.00 | 10% added    | $3.39    | Tax (10%) | $0.34      | $3.73          | $0.00   |
        | 2026-02-24 | Basic    | Monthly    | 2026-03-01 | Start | Monthly       | $0.00  | 10% added    | $1.25    | Tax (10%) | $0.13      | $0.00          | $1.38   |
        | 2026-03-17 | Basic    | Monthly    | 2026-04-01 | Start | Monthly       | $1.00  | 8% added     | $3.39    | Tax (8%)  | $0.27      | $1.00          | $2.66   |

      # A new cycle (§6.2): the new plan's price for the new cycle − the old price × days left / days in the period.
      # 1  120.00 − 5.00 × 15/31 = 120 − 2.419… = 117.580… → 117.58; tax 11.758 → 11.76; 129.34 − 1.00 = 128.34
      # 2  Month-end clamp: 05-31 − 3 months = 02-31 → 02-28; 02-28 → 05-31 = 92 days,
      #    03-17 → 05-31 = 75 left. 63.00 − 14.00 × 75/92 = 63 − 11.413… = 51.586… → 51.59;
      #    tax 5.159 → 5.16; 56.75 − 1.00 = 55.75
      # 3  A lower tier on a new cycle still costs: 50.00 − 30.00 × 15/31 = 50 − 14.516… = 35.483… → 35.48;
      #    tax 3.548 → 3.55; 39.03 − 1.00 = 38.03
      @needs:cycle-change
      Examples: a new cycle
        | today      | from     | from cycle | next due   | to    | to cycle      | credit | tax          | subtotal | tax row   | tax amount | credit applied | total   |
        | 2026-03-17 | Basic    | Monthly    | 2026-04-01 | Start | Annually      | $1.00  | 10% added    | $117.58  | Tax (10%) | $11.76     | $1.00          | $128.34 |
        | 2026-03-17 | Basic    | Quarterly  | 2026-05-31 | Start | Semi-Annually | $1.00  | 10% added    | $51.59   | Tax (10%) | $5.16      | $1.00          | $55.75  |
        | 2026-03-17 | Business | Monthly    | 2026-04-01 | Basic | Annually      | $1.00  | 10% added    | $35.48   | Tax (10%) | $3.55      | $1.00          | $38.03  |

    @needs:state
    Scenario Outline: A downgrade charges nothing today: <from> <from cycle> → <to> <to cycle>, <timing>
      Given it is "2026-03-17" and the service is on "<from>" billed "<from cycle>", next due "2026-04-01"
      And downgrades take effect "<timing>"
      When she reviews the change to "<to>" billed "<to cycle>"
      Then the "Total charge for today" is "$0.00"
      When she clicks "Submit"
      Then the invoice of this change is "Paid" with a Total of "$0.00"
      And Alice's credit balance is "<balance>"

      # No credit to begin with; 15 of 31 days left.
      # (5 − 12) × 15/31 = −3.387… → −3.39: credited; balance 3.39
      Examples: at once
        | from     | from cycle | to    | to cycle | timing              | balance |
        | Start    | Monthly    | Basic | Monthly  | immediately         | $3.39   |

      # At the next renewal nothing is charged or credited today (§6.4): balance 0.00
      @needs:downgrade-at-renewal
      Examples: at the next renewal
        | from     | from cycle | to    | to cycle | timing              | balance |
        | Start    | Monthly    | Basic | Monthly  | at the next renewal | $0.00   |

      # New cycle: 12.00 − 300.00 × 15/365 (2025-04-01 → 2026-04-01) = 12 − 12.328… = −0.328… → −0.33: balance 0.33
      @needs:cycle-change
      Examples: at once, on a new cycle
        | from     | from cycle | to    | to cycle | timing              | balance |
        | Business | Annually   | Start | Monthly  | immediately         | $0.33   |

      # At the next renewal, on a new cycle too: balance 0.00
      @needs:cycle-change @needs:downgrade-at-renewal
      Examples: at the next renewal, on a new cycle
        | from     | from cycle | to    | to cycle | timing              | balance |
        | Start    | Monthly    | Basic | Annually | at the next renewal | $0.00   |

  @needs:jpy @needs:scenario-date @needs:per-account-catalog
  Rule: Amounts in yen

    Background:
      Given the sample account of the help article with no credit and the plans priced in "JPY":
        | plan     | monthly | annually |
        | Basic    | 500     | 5000     |
        | Start    | 1200    | 12000    |
        | Business | 3000    | 30000    |
      And "alice@example.com" is logged in

    @needs:credit-balance @needs:per-account-tax
    Scenario Outline: Today's charge in yen for Basic Monthly → Start <to cycle> on <today>
      Given it is "<today>" and the service is on "Basic" billed "Monthly", next due "2026-04-01"
      And Alice has a credit balance of "<credit>" and the tax is "<tax>"
      When she reviews the change to "Start" billed "<to cycle>"
      Then the amounts read:
        | Subtotal               | <subtotal>       |
        | Tax (10%)              | <tax amount>     |
        | Credit applied         | <credit applied> |
        | Total charge for today | <total>          |
      When she clicks "Submit"
      Then the invoice and its PDF show the reviewed amounts with a Total of "<total>"

      # Yen have no minor unit: amounts round half up to whole yen.
      # 1 700 × 15/31 = 338.709… → 339; tax 33.9 → 34; 373 − 100 = 273
      # 2 Tax included: 339 × 10/110 = 30.818… → 31, already in 339; 339 − 100 = 239
      # 3 03-02, 30 left: 700 × 30/31 = 677.419… → 677; tax 67.7 → 68; total 745
      Examples: the same cycle
        | today      | to cycle | credit | tax          | subtotal | tax amount | credit applied | total   |
        | 2026-03-17 | Monthly  | ¥100   | 10% added    | ¥339     | ¥34        | ¥100           | ¥273    |
        | 2026-03-17 | Monthly  | ¥100   | 10% included | ¥339     | ¥31        | ¥100           | ¥239    |
        | 2026-03-02 | Monthly  | ¥0     | 10% added    | ¥677     | ¥68        | ¥0             | ¥745    |

      # New cycle: 12000 − 500 × 15/31 = 12000 − 241.935… = 11758.064… → 11,758; tax 1175.8 → 1,176;
      # 12,934 − 100 = 12,834
      @needs:cycle-change
      Examples: a new cycle
        | today      | to cycle | credit | tax          | subtotal | tax amount | credit applied | total   |
        | 2026-03-17 | Annually | ¥100   | 10% added    | ¥11,758  | ¥1,176     | ¥100           | ¥12,834 |

  @needs:scenario-date @needs:per-account-catalog
  Rule: A half cent rounds up, once, before the tax is worked out

    Background:
      Given the sample account of the help article with no credit and the plans priced in "USD":
        | plan  | monthly |
        | Basic | 5.00    |
        | Start | 11.98   |
      And "alice@example.com" is logged in

    Scenario: A difference of exactly half a cent rounds up, and the tax is worked out on the rounded amount
      Given it is "2026-02-22" and the service is on "Basic" billed "Monthly", next due "2026-03-01"
      When she reviews the change to "Start" billed "Monthly"
      # 02-01 → 03-01 = 28 days, 7 left: 6.98 × 7/28 = 1.745 exactly → 1.75 (half up, not 1.74);
      # the tax on the rounded 1.75: 0.175 → 0.18 (on the unrounded 1.745 it would be 0.17); 1.93
      Then the amounts read:
        | Subtotal               | $1.75 |
        | Tax (10%)              | $0.18 |
        | Credit applied         | $0.00 |
        | Total charge for today | $1.93 |
